#pragma once
// MediaBridge: the media of one call, whichever side called. One WebRtcTransport toward the
// browser (BUNDLE, one socket) and one RtpEndpoint per m-line toward the SIP peer; relays
// RTP both ways with the payload-type maps of the MediaPlans, presents the SSRC we announced
// to the browser, translates keyframe requests (PLI/FIR) both ways and terminates the
// browser's bandwidth feedback (media/rtcp_feedback.hpp), injects RFC 4733 DTMF toward SIP, reports RFC 4733 DTMF from SIP, stops
// relaying while the call is held, and watches for dead media.
//
// Everything runs on the worker's io_context thread; listener callbacks come from network
// input and timers only.
#include <array>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "gateway/worker_context.hpp"
#include "media/dtls/dtls_endpoint.hpp"
#include "media/dtmf/dtmf_detector.hpp"
#include "media/dtmf/dtmf_injector.hpp"
#include "media/media_activity_monitor.hpp"
#include "media/packet_buffer.hpp"
#include "media/rtp_endpoint.hpp"
#include "media/webrtc_transport.hpp"
#include "sdp/media_plan.hpp"
#include "sdp/webrtc_local.hpp"

namespace callgate::gateway {

class MediaBridge final : public media::WebRtcTransport::Listener, public media::MediaActivityMonitor::Listener {
 public:
  class Listener {
   public:
    // ICE/DTLS failure, the browser closed DTLS, or no media for the configured time.
    virtual void onMediaFailed(std::string reason, bool browserClosed) = 0;
    // A DTMF digit the SIP side sent as RFC 4733 telephone-event.
    virtual void onSipDtmf(char digit) = 0;
    // The browser asked for a keyframe on a video m-line whose SIP peer did not negotiate
    // RTCP keyframe feedback (MediaPlan::sipKeyframeFeedback). At most once per second.
    virtual void onBrowserWantsKeyframe() = 0;

   protected:
    ~Listener() = default;
  };

  MediaBridge(WorkerContext& worker, std::string callId, Listener& listener);
  ~MediaBridge() override;
  MediaBridge(const MediaBridge&) = delete;
  MediaBridge& operator=(const MediaBridge&) = delete;

  // Creates the browser transport with our DTLS `role` and an RTP port pair for each m-line i
  // with wantLeg[i]. Errors name what could not be allocated.
  Result<void> open(media::dtls::DtlsRole role, const std::vector<bool>& wantLeg);
  // Frees the ports of m-lines that ended up not offered/accepted.
  void keepLegs(const std::vector<bool>& keep);
  // Our RTP port per m-line (0 = no leg).
  std::vector<uint16_t> sipPorts() const;
  // Our ICE/DTLS identity, candidate and one fresh SSRC per m-line, for SDP to the browser.
  void describeLocal(sdp::WebRtcLocalParams& params, size_t mLines) const;

  // What an offer/answer exchange decided: PT routes and the SIP peer's addresses. Plans of
  // m-lines without a leg are kept but not relayed. Later calls replace the plans (re-INVITE).
  Result<void> applyPlans(std::vector<sdp::MediaPlan> plans);
  const std::vector<sdp::MediaPlan>& plans() const { return plans_; }

  // Starts ICE/DTLS with the browser's parameters. Once.
  void startWebRtc(const media::WebRtcRemoteParameters& remote);
  // Starts watching for media inactivity (call established). No-op when disabled.
  void startMonitor();
  // Held: nothing is relayed in either direction and inactivity is not watched.
  void setHeld(bool held);
  bool held() const { return held_; }

  // RFC 4733 DTMF toward SIP on the first audio m-line that negotiated telephone-event.
  Result<void> sendDtmf(const std::string& digits);
  // Sends the browser an RTCP PLI for its video stream (a SIP INFO picture_fast_update from
  // the phone). False when no video goes from the browser to SIP or its SSRC is not known yet.
  bool requestBrowserKeyframe();

  void close();

 private:
  struct SipLeg;

  // WebRtcTransport::Listener
  void onConnected() override;
  void onFailed(std::string_view reason) override;
  void onRtp(std::span<uint8_t> packet) override;
  void onRtcp(std::span<uint8_t> packet) override;
  void onRemoteClosed() override;
  // MediaActivityMonitor::Listener
  void onMediaInactive(size_t source, std::string_view reason) override;

  void relayFromSip(SipLeg& leg, std::span<uint8_t> packet);
  void relayRtcpFromSip(SipLeg& leg, std::span<uint8_t> packet);
  void browserAskedForKeyframe(SipLeg& leg);
  void rebuildMonitor();

  WorkerContext& worker_;
  std::string callId_;
  Listener& listener_;
  std::unique_ptr<media::WebRtcTransport> webrtc_;
  std::vector<std::unique_ptr<SipLeg>> legs_;  // per m-line; null when none
  std::vector<sdp::MediaPlan> plans_;
  std::vector<uint32_t> localSsrcs_;  // the SSRC announced to the browser per m-line
  std::optional<media::MediaActivityMonitor> activity_;
  bool monitoring_ = false;
  bool held_ = false;
  bool closed_ = false;

  // Browser PT -> (leg index, SIP PT), for BUNDLE demux of browser RTP.
  struct BrowserRoute {
    int8_t leg = -1;
    uint8_t sipPt = 0;
  };
  std::array<BrowserRoute, 128> browserRoutes_{};
  // Browser RTCP is filtered once per SIP leg, each from a fresh copy of the datagram.
  std::unique_ptr<media::PacketBuffer> rtcpScratch_;
};

}  // namespace callgate::gateway

#pragma once
// OutgoingCall: one client call toward SIP. Binds the SIP INVITE (sip::ua::OutgoingInvite)
// to the media legs — one WebRtcTransport toward the browser (BUNDLE, one socket) and one
// RtpEndpoint per m-line toward the SIP peer — maps SIP events to WCS statuses, relays RTP
// with payload-type mapping, and owns the call's timeouts (ICE/DTLS, media inactivity).
//
// Guarantees: the owner hears exactly one terminal status (FINISH, BUSY or FAILED) per
// call, and exactly one remote SDP; after the terminal status the call keeps running only
// to finish SIP (CANCEL/BYE), then reports onCallDone. Everything runs on the worker's
// io_context thread. start() may report synchronously (TRYING, or FAILED when the request
// cannot be placed); later events come from network input and timers.
#include <boost/asio/io_context.hpp>

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gateway/user_session.hpp"
#include "gateway/worker_context.hpp"
#include "media/media_activity_monitor.hpp"
#include "media/rtp_endpoint.hpp"
#include "media/webrtc_transport.hpp"
#include "sdp/media_plan.hpp"
#include "sdp/session_description.hpp"
#include "sip/ua/account.hpp"
#include "sip/ua/outgoing_invite.hpp"

namespace callgate::gateway {

// The listener bases are public so the objects it owns can hold references to them; the
// overrides stay private.
class OutgoingCall final : public sip::ua::OutgoingInvite::Listener,
                           public media::WebRtcTransport::Listener,
                           public media::MediaActivityMonitor::Listener {
 public:
  class Owner {
   public:
    virtual void onCallStatus(const CallSnapshot& call) = 0;
    virtual void onRemoteSdp(const std::string& callId, const std::string& sdp) = 0;
    // SIP and media are finished: the owner may destroy the call (by posting).
    virtual void onCallDone(const std::string& callId) = 0;

   protected:
    ~Owner() = default;
  };

  OutgoingCall(WorkerContext& worker, sip::ua::Account account, OutgoingCallRequest request, Owner& owner);
  ~OutgoingCall() override;

  void start();
  // Client hangup: FINISH now, CANCEL or BYE in the background.
  void hangup();
  // The client went away: like hangup, but no events to the client at all.
  void abandon();
  // Client DTMF (protocol §2.6): one SIP INFO per digit, in order. type "INFO" =
  // application/dtmf, "INFO_RELAY" = application/dtmf-relay. The error text is the warning
  // for the client (call not established, unsupported type, invalid digit); nothing is sent then.
  Result<void> sendDtmf(const std::string& digits, const std::string& type);

  const std::string& callId() const { return snapshot_.callId; }

 private:
  struct SipLeg;

  // OutgoingInvite::Listener
  void onProvisional(int status, std::string reason, std::optional<std::string> sdp) override;
  void onAnswered(std::string sdp) override;
  void onFailed(int status, std::string reason) override;
  void onCancelled() override;
  void onRemoteBye() override;
  void onTerminated() override;
  // WebRtcTransport::Listener
  void onConnected() override;
  void onFailed(std::string_view reason) override;
  void onRtp(std::span<uint8_t> packet) override;
  void onRtcp(std::span<uint8_t> packet) override;
  void onRemoteClosed() override;
  // MediaActivityMonitor::Listener
  void onMediaInactive(size_t source, std::string_view reason) override;

  Result<void> prepare();
  // Applies a SIP answer SDP: builds the browser answer and media plans. The browser gets
  // its SDP only the first time (protocol §3.3); later answers only update the SIP legs.
  Result<void> applySipAnswer(const std::string& sipSdp);
  void relayFromSip(SipLeg& leg, std::span<uint8_t> packet);
  void report(CallStatus status, int sipStatus = 0, std::string info = {});
  // Ends the call for the client with a terminal status and tears SIP and media down.
  void terminate(CallStatus status, int sipStatus, std::string info);
  void stopMedia();
  void sipFinished();
  void maybeDone();

  WorkerContext& worker_;
  sip::ua::Account account_;
  OutgoingCallRequest request_;
  Owner& owner_;
  CallSnapshot snapshot_;

  sdp::SessionDescription browserOffer_;
  std::string lastSipSdp_;  // the SIP answer SDP applied last
  std::unique_ptr<sip::ua::OutgoingInvite> invite_;
  std::unique_ptr<media::WebRtcTransport> webrtc_;
  std::vector<std::unique_ptr<SipLeg>> legs_;  // one per browser m-line (null when not offered)
  std::optional<media::MediaActivityMonitor> activity_;

  // Browser PT -> (leg index, SIP PT), for BUNDLE demux of browser RTP.
  struct BrowserRoute {
    int8_t leg = -1;
    uint8_t sipPt = 0;
  };
  std::array<BrowserRoute, 128> browserRoutes_{};

  bool answerSent_ = false;
  bool clientTerminal_ = false;  // a terminal status was reported (or the client is gone)
  bool sipDone_ = false;
  bool doneReported_ = false;
  bool established_ = false;
  bool hangupSent_ = false;
  std::shared_ptr<char> alive_ = std::make_shared<char>();
};

}  // namespace callgate::gateway

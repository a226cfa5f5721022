#pragma once
// EchoCall: one call answered by the echo endpoint. It owns the UAS side of the INVITE
// dialog (sip::ua::IncomingInvite: 2xx retransmission until the ACK, BYE, re-INVITE), one
// RTP socket pair per accepted m-line, and the call's limits.
//
// Media: every RTP packet received on an m-line is sent straight back, in place, to the
// address it came from (symmetric RTP, RFC 4961: the first packet latches the peer; nothing
// is sent before it). The SSRC is replaced with the echo's own per m-line, so a peer that
// checks for SSRC collisions (RFC 3550 §8.2) does not mistake its echo for a loop; sequence
// numbers, timestamps, payload type and payload stay as sent. RTCP is received and counted
// but not reflected (the caller's own sender reports are no news to it), except key-frame
// requests for the echoed video, which are turned around to name the caller's SSRC
// (key_frame_requests.hpp). While the call is held toward us (we answered recvonly or
// inactive) nothing is echoed.
//
// Limits: the call ends with BYE after `maxDuration`, or when no RTP/RTCP arrived for
// `mediaTimeout` while the peer was expected to send (not while it holds the call inactive).
//
// Threading: the io_context thread of the SipEndpoint. Events: the owner's onEchoCallDone
// fires once, from network input or a timer, after SIP and media are finished; the owner
// then destroys the call (posted, never inside the callback).
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "media/port_allocator.hpp"
#include "media/rtp_endpoint.hpp"
#include "sdp/session_description.hpp"
#include "sip/transaction/sip_endpoint.hpp"
#include "sip/transaction/timer.hpp"
#include "sip/ua/incoming_invite.hpp"

namespace callgate::echo {

struct EchoCallSettings {
  std::string localIp;        // c= / o= address in our SDP
  std::string user = "echo";  // user part of our Contact
  boost::asio::ip::address rtpBindIp;
  std::chrono::milliseconds maxDuration{600000};
  std::chrono::milliseconds mediaTimeout{30000};  // 0 = never
};

// Why an INVITE is refused before a dialog exists: the final response to send.
struct Refusal {
  int status = 500;
  std::string reason;
};

class EchoCall final : private sip::ua::IncomingInvite::Listener {
 public:
  class Owner {
   public:
    virtual void onEchoCallDone(uint64_t id) = 0;

   protected:
    ~Owner() = default;
  };

  EchoCall(uint64_t id, sip::transaction::SipEndpoint& sip, media::PortAllocator& ports,
           const EchoCallSettings& settings, Owner& owner);
  ~EchoCall();
  EchoCall(const EchoCall&) = delete;
  EchoCall& operator=(const EchoCall&) = delete;

  // Sets up media and answers `invite` (which passed IncomingInvite::check) with 200 OK.
  // On a refusal nothing has been sent: the caller answers the INVITE with it.
  std::optional<Refusal> start(const sip::Message& invite, const sip::transport::PeerAddress& from);
  // BYE (after the ACK when it is still due). `why` is logged.
  void hangup(const std::string& why);
  // The INVITE was cancelled (already answered by the endpoint).
  void cancelled();

  uint64_t id() const { return id_; }
  const std::string& callId() const { return callId_; }
  bool matches(const sip::Message& invite) const;
  // Packets echoed so far, over all m-lines (tests, logs).
  uint64_t echoedPackets() const;

 private:
  // One accepted m-line: its RTP socket pair and the echo loop.
  class Stream final : private media::RtpEndpoint::Listener {
   public:
    static Result<std::unique_ptr<Stream>> open(boost::asio::io_context& io, media::PortAllocator& ports,
                                                const boost::asio::ip::address& bindIp);
    void setSending(bool on) { sending_ = on; }
    void relatch(const sdp::SessionDescription& remote, const sdp::MediaDescription& m);
    uint16_t rtpPort() const { return rtp_->localRtpPort(); }
    uint16_t rtcpPort() const { return rtp_->localRtcpPort(); }
    uint64_t inbound() const { return rtp_->counters().rtpIn + rtp_->counters().rtcpIn; }
    uint64_t echoed() const { return echoed_; }
    void close() { rtp_->close(); }

   private:
    Stream();
    void onRtp(std::span<uint8_t> packet) override;
    void onRtcp(std::span<uint8_t> packet) override;

    std::unique_ptr<media::RtpEndpoint> rtp_;
    uint32_t ssrc_;
    std::optional<uint32_t> callerSsrc_;  // of the last RTP packet echoed
    bool sending_ = true;
    uint64_t echoed_ = 0;
  };

  // IncomingInvite::Listener
  void onConfirmed(std::string ackSdp) override;
  void onCancelled() override { finish("cancelled"); }
  void onFailed(int status, std::string reason) override;
  void onRemoteBye() override { finish("caller hung up"); }
  void onTerminated() override { finish("ended"); }
  // InviteSession::Listener
  Result<std::string> onRemoteOffer(const std::string& sdp) override;
  std::string onOfferRequested() override;
  void onRemoteAnswer(const std::string& sdp) override {}
  void onOfferRejected(int status, const std::string& reason) override {}
  void onInfo(const std::string& contentType, const std::string& body) override {}
  void onTransferProgress(int status, const std::string& reason, bool final) override {}
  Result<void> onReferRequested(const std::string& referTo) override;

  // Answer for `offer`, opening streams for newly accepted m-lines and closing refused ones.
  Result<std::string> answer(const sdp::SessionDescription& offer, bool reoffer);
  void applySending();
  void armMediaCheck();
  void finish(const std::string& why);

  uint64_t id_;
  sip::transaction::SipEndpoint& sip_;
  media::PortAllocator& ports_;
  const EchoCallSettings& settings_;
  Owner& owner_;

  std::string callId_;
  std::string fromTag_;
  uint64_t sessionId_;
  uint64_t sessionVersion_ = 1;
  sdp::SessionDescription local_;                 // our last answer (or offer)
  std::vector<std::unique_ptr<Stream>> streams_;  // per m-line; null = refused

  std::unique_ptr<sip::ua::IncomingInvite> invite_;
  sip::transaction::Timer durationTimer_;
  sip::transaction::Timer mediaTimer_;
  uint64_t lastInbound_ = 0;
  std::chrono::steady_clock::time_point lastActivity_;
  bool ending_ = false;
  bool done_ = false;
};

}  // namespace callgate::echo

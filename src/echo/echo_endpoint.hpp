#pragma once
// EchoEndpoint: callgate's built-in SIP echo service. A SIP UAS on its own UDP socket that
// answers every INVITE at once and sends the caller's RTP straight back, so a call to it
// exercises the whole path (WebSocket, SIP, ICE, DTLS-SRTP, RTP) and the caller hears
// themselves. OPTIONS is answered 200 (a health check for monitors and proxies).
//
// SIP behaviour (on callgate's own stack: SipEndpoint transactions, IncomingInvite):
//  - INVITE (any Request-URI user) with an SDP offer -> 200 with the echo answer
//    (echo_answer.hpp), re-sent until the ACK; without SDP -> 200 with our offer, the
//    answer in the ACK. Bad SDP -> 400 with the parser's reason; nothing we can echo ->
//    488; no From tag / Contact -> 400; more than maxCalls calls -> 503 with Retry-After;
//    no RTP port -> 503; after stop() -> 503.
//  - re-INVITE (hold/resume, new address) answered with the mirrored direction; BYE -> 200;
//    CANCEL, INFO, OPTIONS, REFER (603) as sip::ua::InviteSession / SipEndpoint answer them.
//  - each call ends with BYE after maxDuration or when no media arrived for mediaTimeout.
//
// Threading: everything runs on the io_context thread given to open(); no locks. The RTP
// ports come from its own PortAllocator over the configured range; it can share the range
// with the workers' allocators because a port is only handed out after an exclusive bind.
// Lifetime: destroy it on its io_context thread (or after the loop stopped).
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>

#include "common/result.hpp"
#include "echo/echo_call.hpp"
#include "media/port_allocator.hpp"
#include "sip/transaction/sip_endpoint.hpp"
#include "sip/transport/transport.hpp"

namespace callgate::echo {

struct EchoSettings {
  std::string bindIp = "127.0.0.1";  // SIP and RTP sockets
  std::string advertiseIp;           // Via, Contact and SDP c=; empty = bindIp
  uint16_t sipPort = 0;              // 0 = ephemeral
  uint16_t rtpPortMin = 20000;
  uint16_t rtpPortMax = 29999;
  size_t maxCalls = 20;
  std::chrono::milliseconds maxDuration{600000};
  std::chrono::milliseconds mediaTimeout{30000};  // 0 = never
  std::chrono::milliseconds sipT1{500};
  std::chrono::seconds retryAfter{30};  // Retry-After of the 503 above maxCalls (RFC 3261 §20.33)
};

class EchoEndpoint final : private sip::transaction::SipEndpoint::RequestHandler, private EchoCall::Owner {
 public:
  // Binds the SIP socket (bindIp:sipPort) and starts answering. Errors: bad IP, port in use.
  static Result<std::unique_ptr<EchoEndpoint>> open(boost::asio::io_context& io, EchoSettings settings);
  // Over any transport (tests use sip::transport::FakeTransport); starts answering.
  EchoEndpoint(boost::asio::io_context& io, std::unique_ptr<sip::transport::Transport> transport,
               EchoSettings settings);
  ~EchoEndpoint();
  EchoEndpoint(const EchoEndpoint&) = delete;
  EchoEndpoint& operator=(const EchoEndpoint&) = delete;

  // Where to send requests for the echo from this host: the bound IP and port (a wildcard
  // bind gives the loopback address of its family).
  sip::transport::PeerAddress address() const { return address_; }
  size_t activeCalls() const { return calls_.size(); }
  // Packets echoed by the calls still open (tests, logs).
  uint64_t echoedPackets() const;
  // Ends every call with BYE and refuses new INVITEs with 503.
  void stop();

  sip::transaction::SipEndpoint& sip() { return *sip_; }

 private:
  // SipEndpoint::RequestHandler
  bool onOutOfDialogRequest(const sip::Message& request, const sip::transport::PeerAddress& from) override;
  void onInviteCancelled(const sip::Message& invite) override;
  // EchoCall::Owner
  void onEchoCallDone(uint64_t id) override;

  void refuse(const sip::Message& invite, int status, const std::string& reason);

  boost::asio::io_context& io_;
  EchoSettings settings_;
  EchoCallSettings callSettings_;
  sip::transport::PeerAddress address_;
  media::PortAllocator ports_;
  std::unique_ptr<sip::transaction::SipEndpoint> sip_;
  std::map<uint64_t, std::unique_ptr<EchoCall>> calls_;  // destroyed before sip_ and ports_
  uint64_t nextId_ = 1;
  bool stopping_ = false;
  std::shared_ptr<char> alive_ = std::make_shared<char>();
};

}  // namespace callgate::echo

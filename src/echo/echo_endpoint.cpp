#include "echo/echo_endpoint.hpp"

#include <boost/asio/post.hpp>

#include "common/log.hpp"
#include "sip/transaction/responses.hpp"
#include "sip/transport/udp_transport.hpp"
#include "sip/ua/incoming_invite.hpp"

namespace callgate::echo {

namespace asio = boost::asio;
using sip::transport::PeerAddress;

Result<std::unique_ptr<EchoEndpoint>> EchoEndpoint::open(asio::io_context& io, EchoSettings settings) {
  if (settings.advertiseIp.empty()) settings.advertiseIp = settings.bindIp;
  sip::transport::UdpTransportConfig config;
  config.bindIp = settings.bindIp;
  config.port = settings.sipPort;
  config.advertisedHost = settings.advertiseIp;
  auto transport = sip::transport::UdpTransport::open(io, config);
  if (!transport) return makeError("echo SIP socket: " + transport.error().message);
  PeerAddress bound = (*transport)->localAddress();
  if (bound.ip.is_unspecified()) {
    bound.ip = bound.ip.is_v4() ? asio::ip::address(asio::ip::address_v4::loopback())
                                : asio::ip::address(asio::ip::address_v6::loopback());
  }
  auto endpoint = std::make_unique<EchoEndpoint>(io, std::move(*transport), std::move(settings));
  endpoint->address_ = bound;
  return endpoint;
}

EchoEndpoint::EchoEndpoint(asio::io_context& io, std::unique_ptr<sip::transport::Transport> transport,
                           EchoSettings settings)
    : io_(io), settings_(std::move(settings)), ports_(settings_.rtpPortMin, settings_.rtpPortMax) {
  if (settings_.advertiseIp.empty()) settings_.advertiseIp = settings_.bindIp;
  callSettings_.localIp = settings_.advertiseIp;
  boost::system::error_code ec;
  callSettings_.rtpBindIp = asio::ip::make_address(settings_.bindIp, ec);
  if (ec) callSettings_.rtpBindIp = asio::ip::address_v4::loopback();
  callSettings_.maxDuration = settings_.maxDuration;
  callSettings_.mediaTimeout = settings_.mediaTimeout;

  boost::system::error_code hostEc;
  auto advertised = asio::ip::make_address(transport->advertisedHost(), hostEc);
  address_ = PeerAddress{hostEc ? asio::ip::address(asio::ip::address_v4::loopback()) : advertised,
                         transport->advertisedPort()};

  sip::transaction::EndpointConfig config;
  config.timers.t1 = settings_.sipT1;
  config.userAgent = "callgate-echo/0.1";
  sip_ = std::make_unique<sip::transaction::SipEndpoint>(io_, std::move(transport), config);
  sip_->setRequestHandler(static_cast<sip::transaction::SipEndpoint::RequestHandler*>(this));
  sip_->start();
}

EchoEndpoint::~EchoEndpoint() {
  calls_.clear();  // before the SIP endpoint: IncomingInvites deregister their dialogs
  sip_->setRequestHandler(nullptr);
}

uint64_t EchoEndpoint::echoedPackets() const {
  uint64_t n = 0;
  for (const auto& [id, call] : calls_) n += call->echoedPackets();
  return n;
}

void EchoEndpoint::stop() {
  stopping_ = true;
  for (auto& [id, call] : calls_) call->hangup("callgate is stopping");
}

void EchoEndpoint::refuse(const sip::Message& invite, int status, const std::string& reason) {
  CG_WARN("echo: INVITE {} (Call-ID {}) refused: {} {}", invite.requestUri, invite.header("Call-ID").value_or(""),
          status, reason);
  sip::Message response = sip::transaction::makeResponse(invite, status, reason);
  if (status == 503) response.addHeader("Retry-After", std::to_string(settings_.retryAfter.count()));
  sip_->respond(invite, std::move(response));
}

bool EchoEndpoint::onOutOfDialogRequest(const sip::Message& request, const PeerAddress& from) {
  if (request.method != "INVITE") return false;  // OPTIONS -> 200, others 405/501 (SipEndpoint)
  if (stopping_) {
    refuse(request, 503, "Echo endpoint is stopping");
    return true;
  }
  if (auto usable = sip::ua::IncomingInvite::check(request); !usable) {
    refuse(request, 400, usable.error().message);
    return true;
  }
  if (calls_.size() >= settings_.maxCalls) {
    refuse(request, 503, "Too many echo calls (" + std::to_string(settings_.maxCalls) + ")");
    return true;
  }
  uint64_t id = nextId_++;
  auto call = std::make_unique<EchoCall>(id, *sip_, ports_, callSettings_, static_cast<EchoCall::Owner&>(*this));
  if (auto refusal = call->start(request, from)) {
    refuse(request, refusal->status, refusal->reason);
    return true;
  }
  calls_.emplace(id, std::move(call));
  return true;
}

void EchoEndpoint::onInviteCancelled(const sip::Message& invite) {
  for (auto& [id, call] : calls_) {
    if (call->matches(invite)) call->cancelled();
  }
}

void EchoEndpoint::onEchoCallDone(uint64_t id) {
  // Never destroy a call inside its own callback.
  asio::post(io_, [this, id, alive = std::weak_ptr<char>(alive_)] {
    if (alive.expired()) return;
    calls_.erase(id);
  });
}

}  // namespace callgate::echo

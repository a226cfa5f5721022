#include "gateway/worker.hpp"

#include <boost/asio/post.hpp>

#include <set>

#include "common/log.hpp"
#include "gateway/sip_user_session.hpp"
#include "gateway/worker_context.hpp"
#include "sip/transport/udp_transport.hpp"

namespace callgate::gateway {

struct Worker::Impl {
  explicit Impl(boost::asio::io_context& io, WorkerSettings s)
      : settings(std::move(s)), ports(settings.rtpPortMin, settings.rtpPortMax), io(io) {}

  WorkerSettings settings;
  media::PortAllocator ports;
  boost::asio::io_context& io;
  std::unique_ptr<sip::transaction::SipEndpoint> sip;
  std::unique_ptr<IncomingCallRouter> router;
  std::optional<WorkerContext> context;
  std::set<SipUserSession*> sessions;
  uint16_t sipPort = 0;
};

Worker::Worker(boost::asio::io_context& io, WorkerSettings settings)
    : io_(io), impl_(std::make_unique<Impl>(io, std::move(settings))) {}

Worker::~Worker() = default;

Result<void> Worker::start() {
  auto& s = impl_->settings;
  sip::transport::UdpTransportConfig transportConfig;
  transportConfig.bindIp = s.bindIp;
  transportConfig.port = s.sipPort;
  transportConfig.advertisedHost = s.advertiseIp;
  auto transport = sip::transport::UdpTransport::open(io_, transportConfig);
  if (!transport) return makeError("SIP: " + transport.error().message);
  impl_->sipPort = (*transport)->localAddress().port;

  sip::transaction::EndpointConfig endpointConfig;
  endpointConfig.timers.t1 = s.sipT1;
  endpointConfig.userAgent = "callgate/0.1";
  impl_->sip = std::make_unique<sip::transaction::SipEndpoint>(io_, std::move(*transport), endpointConfig);
  impl_->router = std::make_unique<IncomingCallRouter>(*impl_->sip);
  impl_->sip->setRequestHandler(impl_->router.get());
  impl_->sip->start();
  impl_->context.emplace(WorkerContext{io_, *impl_->sip, impl_->ports, impl_->settings, *impl_->router});
  return {};
}

uint16_t Worker::sipPort() const { return impl_->sipPort; }

std::unique_ptr<UserSession> Worker::create(SipAccount account, UserSession::Listener& listener) {
  auto session = std::make_unique<SipUserSession>(*impl_->context, std::move(account), listener,
                                                  [impl = impl_.get()](SipUserSession* s) { impl->sessions.erase(s); });
  impl_->sessions.insert(session.get());
  return session;
}

void Worker::shutdown(std::function<void()> done) {
  auto pending = std::make_shared<size_t>(impl_->sessions.size());
  auto shared = std::make_shared<std::function<void()>>(std::move(done));
  if (*pending == 0) return boost::asio::post(io_, [shared] { (*shared)(); });
  std::vector<SipUserSession*> sessions(impl_->sessions.begin(), impl_->sessions.end());
  for (auto* session : sessions) {
    session->close([pending, shared] {
      if (--*pending == 0) (*shared)();
    });
  }
}

}  // namespace callgate::gateway

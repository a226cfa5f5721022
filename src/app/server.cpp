#include "app/server.hpp"

#include <ifaddrs.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <thread>
#include <vector>

#include "api/server/session_registry.hpp"
#include "wsserver/tls_identity.hpp"
#include "wsserver/ws_listener.hpp"
#include "common/log.hpp"
#include "echo/echo_endpoint.hpp"
#include "gateway/worker.hpp"
#include "localdomain/local_domain.hpp"

namespace callgate::app {
namespace {

namespace asio = boost::asio;

std::string firstNonLoopbackIpv4() {
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return "127.0.0.1";
  std::string found = "127.0.0.1";
  for (auto* a = list; a; a = a->ifa_next) {
    if (!a->ifa_addr || a->ifa_addr->sa_family != AF_INET) continue;
    auto* sin = reinterpret_cast<sockaddr_in*>(a->ifa_addr);
    if ((ntohl(sin->sin_addr.s_addr) >> 24) == 127) continue;
    char text[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &sin->sin_addr, text, sizeof text);
    found = text;
    break;
  }
  freeifaddrs(list);
  return found;
}

std::string defaultDataDir() {
  if (const char* state = std::getenv("XDG_STATE_HOME"); state && *state) return std::string(state) + "/callgate";
  if (const char* home = std::getenv("HOME"); home && *home) return std::string(home) + "/.local/state/callgate";
  return "callgate-data";
}

struct WorkerThread {
  asio::io_context io{1};
  std::unique_ptr<gateway::Worker> worker;
  std::unique_ptr<api::SessionRegistry> keptSessions;  // keepAlive clients of this worker
  std::thread thread;
};

}  // namespace

int runServer(const Config& config) {
  std::string advertiseIp = config.advertiseIp;
  if (advertiseIp.empty()) {
    advertiseIp = config.bindIp != "0.0.0.0" ? config.bindIp : firstNonLoopbackIpv4();
  }

  // Split the RTP range between workers so they never contend for ports.
  int workerCount = config.workers;
  int rangeSize = config.rtpPortMax - config.rtpPortMin + 1;
  int slice = rangeSize / workerCount;
  if (slice < 4) {
    CG_ERROR("RTP port range {}-{} is too small for {} workers", config.rtpPortMin, config.rtpPortMax, workerCount);
    return 2;
  }

  asio::io_context mainIo{1};

  // The built-in echo endpoint runs on the main thread (which otherwise only accepts
  // WebSocket connections); it is created first so the workers know where to send calls to it.
  std::unique_ptr<echo::EchoEndpoint> echoEndpoint;
  if (!config.echoName.empty()) {
    echo::EchoSettings e;
    e.bindIp = config.bindIp;
    e.advertiseIp = advertiseIp;
    e.sipPort = config.echoPort;
    // The top of the RTP range (two pairs per call: audio and video), shared with the last
    // worker's slice: a port is only handed out after an exclusive bind, so a pair in use by
    // one allocator is skipped by the other; starting at the top keeps such skips rare.
    int echoPorts = std::min(config.echoMaxCalls * 4, config.rtpPortMax - config.rtpPortMin + 1);
    e.rtpPortMin = uint16_t(config.rtpPortMax - echoPorts + 1);
    e.rtpPortMax = config.rtpPortMax;
    e.maxCalls = size_t(config.echoMaxCalls);
    e.maxDuration = std::chrono::seconds(config.echoMaxDuration);
    e.mediaTimeout = std::chrono::seconds(config.mediaTimeout);
    e.sipT1 = std::chrono::milliseconds(config.sipT1Ms);
    auto opened = echo::EchoEndpoint::open(mainIo, e);
    if (!opened) {
      CG_ERROR("echo: {}", opened.error().message);
      return 2;
    }
    echoEndpoint = std::move(*opened);
    CG_INFO("echo endpoint: SIP on {} (callee '{}'), at most {} calls of {} s", echoEndpoint->address().toString(),
            config.echoName, config.echoMaxCalls, config.echoMaxDuration);
  }

  std::vector<std::unique_ptr<WorkerThread>> workers;
  for (int i = 0; i < workerCount; ++i) {
    auto w = std::make_unique<WorkerThread>();
    gateway::WorkerSettings s;
    s.bindIp = config.bindIp;
    s.advertiseIp = advertiseIp;
    s.sipPort = config.sipPort == 0 ? 0 : uint16_t(config.sipPort + i);
    s.registerExpires = config.registerExpires;
    s.noAnswerTimeout = std::chrono::seconds(config.noAnswerTimeout);
    s.rejectStatus = config.rejectStatus;
    s.acceptRefer = config.acceptRefer != 0;
    s.sipT1 = std::chrono::milliseconds(config.sipT1Ms);
    s.rtpPortMin = uint16_t(config.rtpPortMin + i * slice);
    s.rtpPortMax = uint16_t(config.rtpPortMin + (i + 1) * slice - 1);
    s.mediaTimeout = std::chrono::seconds(config.mediaTimeout);
    s.iceTimeout = std::chrono::seconds(config.iceTimeout);
    if (echoEndpoint) {
      s.echoName = config.echoName;
      s.echoHost = echoEndpoint->address().ip.to_string();
      s.echoPort = echoEndpoint->address().port;
    }
    w->worker = std::make_unique<gateway::Worker>(w->io, s);
    if (auto r = w->worker->start(); !r) {
      CG_ERROR("worker {}: {}", i, r.error().message);
      return 2;
    }
    CG_INFO("worker {}: SIP on {}:{} (advertised {}), RTP ports {}-{}", i, config.bindIp, w->worker->sipPort(),
            advertiseIp, s.rtpPortMin, s.rtpPortMax);
    w->keptSessions = std::make_unique<api::SessionRegistry>(
        w->io.get_executor(), std::chrono::seconds(config.keepAliveGraceS), i);
    workers.push_back(std::move(w));
  }

  // Every worker's kept-session registry knows the others, so a re-attaching socket accepted
  // by another worker is relayed to the session's own worker (api/server/session_registry.hpp).
  auto registryPeers = std::make_shared<std::vector<api::SessionRegistry::Peer>>();
  for (auto& w : workers) registryPeers->push_back({w->io.get_executor(), w->keptSessions.get()});
  for (auto& w : workers) w->keptSessions->setPeers(registryPeers);

  // Registered before anything is started so no SIGINT/SIGTERM falls into a gap.
  asio::signal_set signals(mainIo, SIGINT, SIGTERM);

  // The local SIP domain (registrar + proxy) runs on the main thread, next to the WebSocket
  // acceptors; it is up before any client can connect and register to it.
  std::unique_ptr<localdomain::LocalDomain> localDomain;
  if (config.domainEnabled) {
    localdomain::LocalDomainConfig domainConfig;
    domainConfig.name = config.domainName.empty() ? advertiseIp : config.domainName;
    auto users = localdomain::parseDomainUsers(config.domainUsers);  // validated by loadConfig
    if (!users) {
      CG_ERROR("domain-users: {}", users.error().message);
      return 2;
    }
    domainConfig.users = std::move(users.value());
    auto domain = localdomain::LocalDomain::open(mainIo, config.bindIp, config.domainPort, advertiseIp,
                                                 std::move(domainConfig));
    if (!domain) {
      CG_ERROR("{}", domain.error().message);
      return 2;
    }
    localDomain = std::move(domain.value());
    // Softphones in the domain reach the echo too: its user is routed to the echo endpoint
    // (callers still authenticate like for any other call).
    if (echoEndpoint) localDomain->addStaticRoute(config.echoName, echoEndpoint->address());
    localDomain->start();
    CG_INFO("local SIP domain {} on {}:{}, {} users", localDomain->name(), config.bindIp, localDomain->port(),
            localDomain->userCount());
  }

  std::atomic<size_t> nextWorker{0};
  auto pick = [&]() {
    auto& w = *workers[nextWorker++ % workers.size()];
    return wsserver::WorkerChoice{&w.io, w.worker.get(), w.keptSessions.get()};
  };
  wsserver::WsSettings wsSettings;
  wsSettings.keepAliveInterval = std::chrono::milliseconds(config.keepAliveIntervalMs);
  wsSettings.keepAliveProbes = config.keepAliveProbes;
  // The phone page on the same ports, prefilled for what this callgate offers: its own SIP
  // domain (the gateway reaches it at the advertised address) and its echo endpoint.
  wsSettings.http.webRoot = config.webRoot;
  wsSettings.http.websdkDir = config.websdkDir;
  wsSettings.http.pageDefaults.registerRequired = true;
  if (localDomain) {
    wsSettings.http.pageDefaults.sipDomain = localDomain->name();
    wsSettings.http.pageDefaults.sipOutboundProxy = advertiseIp;
    wsSettings.http.pageDefaults.sipPort = localDomain->port();
  }
  if (echoEndpoint) wsSettings.http.pageDefaults.echoName = config.echoName;
  if (!config.webRoot.empty() && !std::filesystem::exists(config.webRoot + "/index.html"))
    CG_WARN("http.web_root {}: no index.html there, the phone page will answer 404", config.webRoot);

  std::vector<std::unique_ptr<wsserver::WsListener>> listeners;
  std::unique_ptr<asio::ssl::context> tls;
  auto bindAddress = asio::ip::make_address(config.bindIp);
  if (config.wsPort) {
    auto l = std::make_unique<wsserver::WsListener>(mainIo, pick, nullptr, wsSettings);
    if (auto r = l->listen({bindAddress, config.wsPort}); !r) {
      CG_ERROR("ws: {}", r.error().message);
      return 2;
    }
    CG_INFO("ws listening on {}:{}", config.bindIp, config.wsPort);
    if (!config.webRoot.empty()) CG_INFO("phone page on http://{}:{}/", advertiseIp, config.wsPort);
    listeners.push_back(std::move(l));
  }
  if (config.wssPort) {
    wsserver::TlsFiles files{config.tlsCert, config.tlsKey};
    if (files.certificatePath.empty()) {
      std::string dir = config.dataDir.empty() ? defaultDataDir() : config.dataDir;
      files = {dir + "/wss-cert.pem", dir + "/wss-key.pem"};
      if (auto r = wsserver::ensureSelfSignedCertificate(files, advertiseIp); !r) {
        CG_ERROR("wss: {}", r.error().message);
        return 2;
      }
      CG_INFO("wss uses the self-signed certificate {}", files.certificatePath);
    }
    auto ctx = wsserver::makeServerTlsContext(files);
    if (!ctx) {
      CG_ERROR("wss: {}", ctx.error().message);
      return 2;
    }
    tls = std::move(*ctx);
    auto l = std::make_unique<wsserver::WsListener>(mainIo, pick, tls.get(), wsSettings);
    if (auto r = l->listen({bindAddress, config.wssPort}); !r) {
      CG_ERROR("wss: {}", r.error().message);
      return 2;
    }
    CG_INFO("wss listening on {}:{}", config.bindIp, config.wssPort);
    listeners.push_back(std::move(l));
  }

  for (auto& w : workers) {
    w->thread = std::thread([io = &w->io] {
      auto guard = asio::make_work_guard(*io);
      io->run();
    });
  }

  // Orderly shutdown: stop accepting, let every worker end its calls and registrations
  // (bounded by the workers' own timeouts), then stop. A second signal exits at once.
  std::atomic<size_t> workersDone{0};
  bool stopping = false;
  std::function<void()> awaitSignal = [&] {
    signals.async_wait([&](boost::system::error_code ec, int signo) {
      if (ec) return;
      if (stopping) {
        CG_WARN("second signal {}: exiting now", signo);
        std::_Exit(1);
      }
      stopping = true;
      CG_INFO("signal {}: ending calls and registrations", signo);
      for (auto& l : listeners) l->stop();
      for (auto& w : workers) {
        asio::post(w->io, [&, worker = w->worker.get()] {
          worker->shutdown([&] {
            // The echo endpoint keeps answering until the workers' calls to it have ended;
            // the local domain stops last: the workers' un-REGISTERs go to it.
            if (++workersDone == workers.size())
              asio::post(mainIo, [&] {
                if (echoEndpoint) echoEndpoint->stop();
                if (localDomain) localDomain->stop();
                signals.cancel();
                mainIo.stop();
              });
          });
        });
      }
      awaitSignal();
    });
  };
  awaitSignal();
  mainIo.run();

  for (auto& w : workers) {
    w->io.stop();
    w->thread.join();
  }
  CG_INFO("callgate stopped");
  // Calls and registrations are closed. Handlers still queued on the workers' io_contexts
  // own client sessions that refer to their worker; unwinding them in dependency order
  // buys nothing at exit, so the workers are left to the OS.
  for (auto& w : workers) w.release();
  return 0;
}

}  // namespace callgate::app

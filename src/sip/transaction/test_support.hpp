#pragma once
// Test helpers for the transaction layer and the UA (header-only, tests only): an endpoint
// on a FakeTransport with millisecond timers, a loop runner that never sleeps blindly, and
// shortcuts to answer what the stack sent.
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include "sip/transaction/responses.hpp"
#include "sip/transaction/sip_endpoint.hpp"
#include "sip/transport/fake_transport.hpp"

namespace callgate::sip::testing {

using namespace std::chrono_literals;

inline transaction::TimerConfig fastTimers() {
  transaction::TimerConfig t;
  t.t1 = std::chrono::milliseconds(10);
  t.t2 = std::chrono::milliseconds(40);
  t.t4 = std::chrono::milliseconds(50);
  t.timerD = std::chrono::milliseconds(50);
  return t;
}

// Runs `io` until `done()` or `limit` elapsed; true when done() became true.
inline bool runUntil(boost::asio::io_context& io, const std::function<bool()>& done,
                     std::chrono::milliseconds limit = 3000ms) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    io.restart();
    io.run_one_for(5ms);
  }
  return true;
}

inline void runFor(boost::asio::io_context& io, std::chrono::milliseconds duration) {
  io.restart();
  io.run_for(duration);
}

struct EndpointHarness {
  explicit EndpointHarness(transaction::TimerConfig timers = fastTimers()) {
    auto transport = std::make_unique<transport::FakeTransport>("192.0.2.10", 5062);
    fake = transport.get();
    transaction::EndpointConfig config;
    config.timers = timers;
    endpoint = std::make_unique<transaction::SipEndpoint>(io, std::move(transport), config);
    endpoint->start();
  }

  // Number of sent requests with `method` (responses when method is a status "486").
  size_t count(const std::string& what) const {
    size_t n = 0;
    for (const auto& s : fake->sent) {
      if (s.message.isRequest() ? s.message.method == what : std::to_string(s.message.status) == what) ++n;
    }
    return n;
  }
  // The n-th (0-based) sent message with `what` (method or status); nullptr if none.
  const transport::FakeTransport::Sent* find(const std::string& what, size_t n = 0) const {
    for (const auto& s : fake->sent) {
      bool match = s.message.isRequest() ? s.message.method == what : std::to_string(s.message.status) == what;
      if (match && n-- == 0) return &s;
    }
    return nullptr;
  }
  bool waitFor(const std::string& what, size_t n = 1, std::chrono::milliseconds limit = 3000ms) {
    return runUntil(io, [&] { return count(what) >= n; }, limit);
  }
  // Delivers a response to a request the stack sent, as the peer at `peer`.
  void reply(const Message& request, int status, std::string reason = {}, const std::string& toTag = "peer-tag",
             const std::function<void(Message&)>& edit = {}) {
    Message response = transaction::makeResponse(request, status, reason, status > 100 ? toTag : std::string());
    if (edit) edit(response);
    fake->deliver(std::move(response), peer);
  }

  boost::asio::io_context io;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard = boost::asio::make_work_guard(io);
  transport::FakeTransport* fake = nullptr;
  std::unique_ptr<transaction::SipEndpoint> endpoint;
  transport::PeerAddress peer{boost::asio::ip::make_address("192.0.2.1"), 5060};
};

}  // namespace callgate::sip::testing

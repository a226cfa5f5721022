#pragma once
// One gateway worker: an io_context run by one thread, its own SIP UDP port, its own slice
// of the RTP port range, and every client session (with its registration and calls) that
// was pinned to it. Workers share nothing (design.md "Threading").
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "common/result.hpp"
#include "gateway/user_session.hpp"

namespace callgate::gateway {

struct WorkerSettings {
  std::string bindIp = "0.0.0.0";
  std::string advertiseIp = "127.0.0.1";
  uint16_t sipPort = 5060;  // 0 = ephemeral
  int registerExpires = 300;
  std::chrono::seconds noAnswerTimeout{60};
  std::chrono::milliseconds sipT1{500};
  uint16_t rtpPortMin = 20000;
  uint16_t rtpPortMax = 29999;
  std::chrono::seconds mediaTimeout{30};  // 0 = never
  std::chrono::seconds iceTimeout{20};
  int rejectStatus = 486;
  bool acceptRefer = true;  // act on a REFER from the SIP side (call the target, RFC 3515)  // SIP status when a client rejects an incoming call (486 or 603)
  // The built-in echo endpoint (src/echo): a call whose callee is echoName sends its INVITE
  // to echoHost:echoPort instead of the client's outbound proxy. Empty name / port 0 = off.
  std::string echoName;
  std::string echoHost;
  uint16_t echoPort = 0;
};

class Worker final : public UserSessionFactory {
 public:
  Worker(boost::asio::io_context& io, WorkerSettings settings);
  ~Worker() override;

  // Binds the SIP socket. Call before run().
  Result<void> start();
  uint16_t sipPort() const;
  boost::asio::io_context& io() { return io_; }

  std::unique_ptr<UserSession> create(SipAccount account, UserSession::Listener& listener) override;

  // Ends every call and registration of this worker (bounded in time), then runs `done`
  // on the worker thread. Must be called on the worker thread.
  void shutdown(std::function<void()> done);

 private:
  struct Impl;
  boost::asio::io_context& io_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace callgate::gateway

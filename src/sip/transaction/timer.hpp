#pragma once
// Timer: a one-shot asio::steady_timer that is safe to restart, cancel or destroy at any time,
// including from inside its own callback. A callback runs only if the timer was neither
// restarted, cancelled nor destroyed since it was armed (a generation counter guards the case
// where the wait already completed but the handler is still queued).
#include <functional>
#include <memory>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "sip/transaction/timer_config.hpp"

namespace callgate::sip::transaction {

class Timer {
 public:
  explicit Timer(boost::asio::io_context& io) : timer_(io) {}
  ~Timer() { cancel(); }
  Timer(const Timer&) = delete;
  Timer& operator=(const Timer&) = delete;

  void start(Duration after, std::function<void()> callback);
  void cancel();
  bool armed() const { return armed_; }

 private:
  boost::asio::steady_timer timer_;
  std::shared_ptr<uint64_t> generation_ = std::make_shared<uint64_t>(0);
  bool armed_ = false;
};

}  // namespace callgate::sip::transaction

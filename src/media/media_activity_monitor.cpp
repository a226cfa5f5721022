#include "media/media_activity_monitor.hpp"

#include <algorithm>

#include "media/failure_reasons.hpp"

namespace callgate::media {

using namespace std::chrono_literals;

MediaActivityMonitor::MediaActivityMonitor(boost::asio::io_context& io, Listener& listener,
                                           std::chrono::milliseconds timeout)
    : listener_(listener),
      timeout_(timeout),
      // A quarter of the timeout (at most 5 s) bounds the detection error to 25 %.
      period_(std::clamp(timeout / 4, std::chrono::milliseconds(10), std::chrono::milliseconds(5000))),
      timer_(io) {}

MediaActivityMonitor::~MediaActivityMonitor() { timer_.cancel(); }

size_t MediaActivityMonitor::watch(const TransportCounters& counters) {
  if (count_ == sources_.size()) return count_ - 1;  // programming error; keep the last slot
  sources_[count_].counters = &counters;
  return count_++;
}

void MediaActivityMonitor::start() {
  if (timeout_.count() <= 0) return;
  const auto now = Clock::now();
  for (size_t i = 0; i < count_; ++i) {
    auto& s = sources_[i];
    s.in = s.counters->rtpIn + s.counters->rtcpIn;
    s.out = s.counters->rtpOut + s.counters->rtcpOut;
    s.lastIn = s.lastOut = now;
  }
  running_ = true;
  arm();
}

void MediaActivityMonitor::stop() {
  running_ = false;
  timer_.cancel();
}

void MediaActivityMonitor::arm() {
  std::weak_ptr<char> alive = alive_;
  timer_.expires_after(period_);
  timer_.async_wait([this, alive](const boost::system::error_code& ec) {
    if (ec || alive.expired() || !running_) return;
    tick();
  });
}

void MediaActivityMonitor::tick() {
  const auto now = Clock::now();
  for (size_t i = 0; i < count_; ++i) {
    auto& s = sources_[i];
    const uint64_t in = s.counters->rtpIn + s.counters->rtcpIn;
    const uint64_t out = s.counters->rtpOut + s.counters->rtcpOut;
    if (in != s.in) s.lastIn = now;
    if (out != s.out) s.lastOut = now;
    s.in = in;
    s.out = out;
    if (now - s.lastIn >= timeout_) {
      running_ = false;
      listener_.onMediaInactive(i, kFailedByRtpActivity);
      return;
    }
  }
  arm();
}

}  // namespace callgate::media

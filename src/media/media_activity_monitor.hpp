#pragma once
// Media inactivity detection. Instead of reading a clock per packet, a timer compares the
// watched transports' inbound RTP counters between ticks; a source whose counter has not
// moved for `timeout` raises onMediaInactive (reason kFailedByRtpActivity). Pause it while
// a leg is on hold (no RTP is expected then).
#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <memory>
#include <string_view>

#include "media/transport_counters.hpp"

namespace callgate::media {

class MediaActivityMonitor {
 public:
  using Clock = std::chrono::steady_clock;
  class Listener {
   public:
    virtual ~Listener() = default;
    // Fires once per start(); `source` is the index returned by watch().
    virtual void onMediaInactive(size_t source, std::string_view reason) = 0;
  };

  // timeout 0 = disabled.
  MediaActivityMonitor(boost::asio::io_context& io, Listener& listener, std::chrono::milliseconds timeout);
  ~MediaActivityMonitor();

  // Watches counters.rtpIn + rtcpIn of a transport that outlives the monitor. Up to 4 sources.
  size_t watch(const TransportCounters& counters);
  void start();  // (re)arms; activity clocks restart now
  void stop();

  // Approximate (tick granularity) time of the last inbound / outbound packet of a source.
  Clock::time_point lastInbound(size_t source) const { return sources_[source].lastIn; }
  Clock::time_point lastOutbound(size_t source) const { return sources_[source].lastOut; }

 private:
  struct Source {
    const TransportCounters* counters = nullptr;
    uint64_t in = 0, out = 0;
    Clock::time_point lastIn{}, lastOut{};
  };
  void arm();
  void tick();

  Listener& listener_;
  std::chrono::milliseconds timeout_;
  std::chrono::milliseconds period_;
  boost::asio::steady_timer timer_;
  std::array<Source, 4> sources_{};
  size_t count_ = 0;
  bool running_ = false;
  std::shared_ptr<char> alive_ = std::make_shared<char>();
};

}  // namespace callgate::media

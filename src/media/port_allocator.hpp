#pragma once
// Hands out RTP ports from a configured range: even ports for RTP with the next odd one for
// RTCP (RFC 3550 §11), verified by actually binding (ports used by other programs are
// skipped). Control plane only; a mutex makes one allocator shareable by all workers.
#include <boost/asio/ip/udp.hpp>
#include <cstdint>
#include <mutex>
#include <vector>

#include "common/result.hpp"

namespace callgate::media {

class PortAllocator;

// Owns one even/odd pair until destroyed. Move-only.
class PortLease {
 public:
  PortLease() = default;
  PortLease(PortAllocator* owner, uint16_t port) : owner_(owner), port_(port) {}
  PortLease(PortLease&& o) noexcept : owner_(o.owner_), port_(o.port_) { o.owner_ = nullptr; }
  PortLease& operator=(PortLease&& o) noexcept;
  PortLease(const PortLease&) = delete;
  PortLease& operator=(const PortLease&) = delete;
  ~PortLease() { release(); }

  uint16_t port() const { return port_; }  // the even (RTP) port; RTCP is port() + 1
  void release();

 private:
  PortAllocator* owner_ = nullptr;
  uint16_t port_ = 0;
};

class PortAllocator {
 public:
  // [minPort, maxPort] inclusive; rounded inward to whole even/odd pairs.
  PortAllocator(uint16_t minPort, uint16_t maxPort);

  // Opens and binds `rtp` to bindIp:even and, if `rtcp` is given, `rtcp` to bindIp:even+1.
  // Tries every free pair once (round robin from the last allocation); fails when the range
  // is exhausted ("MEDIA_PORTS_BUSY" in WCS terms).
  Result<PortLease> allocate(const boost::asio::ip::address& bindIp, boost::asio::ip::udp::socket& rtp,
                             boost::asio::ip::udp::socket* rtcp);

  size_t capacity() const { return used_.size(); }
  size_t inUse() const;

 private:
  friend class PortLease;
  void release(uint16_t port);

  uint16_t first_;  // first even port
  std::vector<bool> used_;  // one flag per pair
  size_t next_ = 0;
  size_t inUse_ = 0;
  mutable std::mutex mutex_;
};

}  // namespace callgate::media

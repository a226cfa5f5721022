#include "media/port_allocator.hpp"

namespace callgate::media {

using boost::asio::ip::udp;

PortLease& PortLease::operator=(PortLease&& o) noexcept {
  if (this != &o) {
    release();
    owner_ = o.owner_;
    port_ = o.port_;
    o.owner_ = nullptr;
  }
  return *this;
}

void PortLease::release() {
  if (owner_) owner_->release(port_);
  owner_ = nullptr;
}

PortAllocator::PortAllocator(uint16_t minPort, uint16_t maxPort) {
  const uint32_t lo = (uint32_t(minPort) + 1) & ~1u;  // round up to even
  first_ = uint16_t(lo);
  size_t pairs = 0;
  if (maxPort >= lo + 1) pairs = (uint32_t(maxPort) - lo + 1) / 2;
  if (lo == 0 && pairs > 0) {  // port 0 means "any": never hand it out
    first_ = 2;
    --pairs;
  }
  used_.assign(pairs, false);
}

size_t PortAllocator::inUse() const {
  std::lock_guard lock(mutex_);
  return inUse_;
}

void PortAllocator::release(uint16_t port) {
  std::lock_guard lock(mutex_);
  const size_t i = (port - first_) / 2;
  if (port >= first_ && i < used_.size() && used_[i]) {
    used_[i] = false;
    --inUse_;
  }
}

Result<PortLease> PortAllocator::allocate(const boost::asio::ip::address& bindIp, udp::socket& rtp,
                                          udp::socket* rtcp) {
  std::lock_guard lock(mutex_);
  const size_t n = used_.size();
  for (size_t k = 0; k < n; ++k) {
    const size_t i = (next_ + k) % n;
    if (used_[i]) continue;
    const uint16_t port = uint16_t(first_ + 2 * i);
    boost::system::error_code ec;
    rtp.close(ec);
    rtp.open(bindIp.is_v4() ? udp::v4() : udp::v6(), ec);
    if (ec) return makeError("cannot open UDP socket: " + ec.message());
    rtp.bind(udp::endpoint(bindIp, port), ec);
    if (ec) {
      rtp.close(ec);
      continue;  // busy (another program) or not bindable: skip the pair
    }
    if (rtcp) {
      rtcp->close(ec);
      rtcp->open(bindIp.is_v4() ? udp::v4() : udp::v6(), ec);
      if (!ec) rtcp->bind(udp::endpoint(bindIp, uint16_t(port + 1)), ec);
      if (ec) {
        rtcp->close(ec);
        rtp.close(ec);
        continue;
      }
    }
    used_[i] = true;
    ++inUse_;
    next_ = (i + 1) % n;
    return PortLease(this, port);
  }
  return makeError("no free media port in range");
}

}  // namespace callgate::media

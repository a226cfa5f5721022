#pragma once
// Payload-type translation between two legs (the WebRTC and SIP sides may number the same
// codec differently). 128 entries, kDrop = not forwarded. Built on the control plane,
// applied per packet with one table lookup.
#include <array>
#include <cstdint>
#include <span>

namespace callgate::media::rtp {

class PayloadTypeMap {
 public:
  static constexpr uint8_t kDrop = 255;

  PayloadTypeMap() { map_.fill(kDrop); }
  // Identity for the given payload types (codecs both sides agreed on with the same number).
  static PayloadTypeMap identity(std::span<const uint8_t> pts) {
    PayloadTypeMap m;
    for (uint8_t pt : pts) m.set(pt, pt);
    return m;
  }
  void set(uint8_t from, uint8_t to) {
    if (from < 128) map_[from] = to < 128 ? to : kDrop;
  }
  uint8_t lookup(uint8_t pt) const { return map_[pt & 0x7f]; }

  // Rewrites the PT of an RTP packet (size >= 2, already classified as RTP) in place,
  // keeping the marker bit. Returns false when the packet must be dropped.
  bool apply(std::span<uint8_t> packet) const {
    if (packet.size() < 2) return false;
    const uint8_t to = map_[packet[1] & 0x7f];
    if (to == kDrop) return false;
    packet[1] = uint8_t((packet[1] & 0x80) | to);
    return true;
  }

 private:
  std::array<uint8_t, 128> map_;
};

}  // namespace callgate::media::rtp

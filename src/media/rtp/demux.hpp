#pragma once
// The one place that classifies a datagram on a WebRTC 5-tuple (RFC 7983 §7, RFC 5761 §4).
#include <cstdint>

#include "common/bytes.hpp"

namespace callgate::media::rtp {

enum class PacketKind : uint8_t { Stun, Dtls, Rtp, Rtcp, Unknown };

inline PacketKind classifyPacket(ByteView p) {
  if (p.empty()) return PacketKind::Unknown;
  const uint8_t b = p[0];
  if (b <= 3) return PacketKind::Stun;
  if (b >= 20 && b <= 63) return PacketKind::Dtls;
  if (b >= 128 && b <= 191) {
    if (p.size() < 2) return PacketKind::Unknown;
    // RTCP packet types 192..223 (SR=200 ... PSFB=206, XR=207) occupy the RTP PT+marker byte
    // range that RFC 5761 §4 forbids for RTP payload types 64..95 with the marker set.
    const uint8_t pt = p[1];
    return (pt >= 192 && pt <= 223) ? PacketKind::Rtcp : PacketKind::Rtp;
  }
  return PacketKind::Unknown;
}

}  // namespace callgate::media::rtp

#pragma once
// Receive buffers for the packet path. Every datagram lands in a buffer with tailroom so that
// SRTP protect (which appends the auth tag, RFC 3711 §3.1) works in place with no copy.
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace callgate::media {

// Largest datagram we accept; larger ones are truncated by the kernel and dropped as malformed.
inline constexpr size_t kMaxDatagram = 1500;
// libsrtp may append SRTP_MAX_TRAILER_LEN (+4 for SRTCP's E-flag/index) bytes; round up.
inline constexpr size_t kPacketTailroom = 160;
inline constexpr size_t kPacketBufferSize = kMaxDatagram + kPacketTailroom;

// Contract for spans handed to Listener::onRtp/onRtcp by the transports: the kPacketTailroom
// bytes after packet.end() belong to the same receive buffer and may be written, so
// `withTailroom(packet)` can be passed to another transport's sendRtp/sendRtcp.
inline std::span<uint8_t> withTailroom(std::span<uint8_t> packet) {
  return {packet.data(), packet.size() + kPacketTailroom};
}

struct alignas(64) PacketBuffer {
  std::array<uint8_t, kPacketBufferSize> bytes;
};

}  // namespace callgate::media

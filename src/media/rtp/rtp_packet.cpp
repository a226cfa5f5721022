#include "media/rtp/rtp_packet.hpp"

namespace callgate::media::rtp {

std::optional<RtpHeaderView> RtpHeaderView::parse(ByteView packet) {
  const size_t size = packet.size();
  if (size < kRtpFixedHeader) return std::nullopt;
  const uint8_t* p = packet.data();
  if ((p[0] >> 6) != 2) return std::nullopt;
  RtpHeaderView v;
  v.data_ = p;
  v.size_ = size;
  size_t offset = kRtpFixedHeader + 4 * size_t(p[0] & 0x0f);
  if (offset > size) return std::nullopt;
  if (p[0] & 0x10) {
    // RFC 3550 §5.3.1: 4-byte extension header, then `length` 32-bit words.
    if (size - offset < 4) return std::nullopt;
    v.extProfile_ = load16(p + offset);
    const size_t extLen = 4 * size_t(load16(p + offset + 2));
    offset += 4;
    if (size - offset < extLen) return std::nullopt;
    v.extOffset_ = offset;
    v.extLength_ = extLen;
    offset += extLen;
  }
  v.headerSize_ = offset;
  if (p[0] & 0x20) {
    // RFC 3550 §5.1: the last octet counts the padding octets, itself included.
    if (size == offset) return std::nullopt;
    const size_t pad = p[size - 1];
    if (pad == 0 || pad > size - offset) return std::nullopt;
    v.padding_ = pad;
  }
  return v;
}

}  // namespace callgate::media::rtp

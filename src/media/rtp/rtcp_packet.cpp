#include "media/rtp/rtcp_packet.hpp"

namespace callgate::media::rtp {
namespace {

constexpr size_t kReportBlock = 24;
constexpr size_t kSenderInfo = 20;

// Type-specific minimum sizes, so consumers of a view can read the fixed part unchecked.
bool bodyFits(uint8_t type, uint8_t count, size_t body) {
  switch (RtcpType(type)) {
    case RtcpType::SenderReport: return body >= 4 + kSenderInfo + count * kReportBlock;
    case RtcpType::ReceiverReport: return body >= 4 + count * kReportBlock;
    case RtcpType::Bye: return body >= 4 * size_t(count);
    case RtcpType::App: return body >= 8;
    case RtcpType::TransportFeedback:
    case RtcpType::PayloadFeedback: return body >= 8;  // sender SSRC + media SSRC
    default: return true;
  }
}

}  // namespace

bool RtcpWalker::next(RtcpPacketView& out) {
  if (error_ || offset_ >= data_.size()) return false;
  const size_t left = data_.size() - offset_;
  const uint8_t* p = data_.data() + offset_;
  if (left < 4 || (p[0] >> 6) != 2) {
    error_ = true;
    return false;
  }
  const size_t length = (size_t(load16(p + 2)) + 1) * 4;
  if (length > left) {
    error_ = true;
    return false;
  }
  size_t bodyLen = length - 4;
  if (p[0] & 0x20) {
    // RFC 3550 §6.4.1: padding only in the last packet of the compound.
    const size_t pad = p[length - 1];
    if (length != left || pad == 0 || pad > bodyLen) {
      error_ = true;
      return false;
    }
    bodyLen -= pad;
  }
  const uint8_t count = p[0] & 0x1f;
  if (!bodyFits(p[1], count, bodyLen)) {
    error_ = true;
    return false;
  }
  out.type = p[1];
  out.count = count;
  out.packet = ByteView(p, length);
  out.body = ByteView(p + 4, bodyLen);
  offset_ += length;
  return true;
}

std::optional<size_t> validateRtcpCompound(ByteView datagram) {
  RtcpWalker walker(datagram);
  RtcpPacketView view;
  size_t n = 0;
  while (walker.next(view)) ++n;
  if (walker.error() || n == 0) return std::nullopt;
  return n;
}

}  // namespace callgate::media::rtp

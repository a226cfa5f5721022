#pragma once
// Bounds-checked views over RTP packets (RFC 3550 §5.1). Views never own the bytes.
//
//  0                   1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |V=2|P|X|  CC   |M|     PT      |       sequence number         |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                           timestamp                           |
// |           synchronization source (SSRC) identifier            |
// |            contributing source (CSRC) identifiers (CC)        |
// | [extension: profile(16) length(16) in 32-bit words, data]     |
// | payload ...                    | [padding ... | pad count]    |
#include <cstdint>
#include <optional>
#include <span>

#include "common/bytes.hpp"

namespace callgate::media::rtp {

inline constexpr size_t kRtpFixedHeader = 12;

class RtpHeaderView {
 public:
  // nullopt when the version is not 2 or any length (CSRC list, extension, padding) overruns.
  static std::optional<RtpHeaderView> parse(ByteView packet);

  bool marker() const { return (data_[1] & 0x80) != 0; }
  uint8_t payloadType() const { return data_[1] & 0x7f; }
  uint16_t sequenceNumber() const { return load16(data_ + 2); }
  uint32_t timestamp() const { return load32(data_ + 4); }
  uint32_t ssrc() const { return load32(data_ + 8); }
  uint8_t csrcCount() const { return data_[0] & 0x0f; }
  uint32_t csrc(size_t i) const { return load32(data_ + kRtpFixedHeader + 4 * i); }
  bool hasExtension() const { return (data_[0] & 0x10) != 0; }
  uint16_t extensionProfile() const { return extProfile_; }
  ByteView extension() const { return {data_ + extOffset_, extLength_}; }
  size_t headerSize() const { return headerSize_; }
  size_t paddingSize() const { return padding_; }
  ByteView payload() const { return {data_ + headerSize_, size_ - headerSize_ - padding_}; }
  size_t size() const { return size_; }

 private:
  RtpHeaderView() = default;
  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
  size_t headerSize_ = 0;
  size_t padding_ = 0;
  size_t extOffset_ = 0;
  size_t extLength_ = 0;
  uint16_t extProfile_ = 0;
};

// Payload type rewrite in place; the caller has parsed the packet (size >= 2).
inline void setPayloadType(std::span<uint8_t> packet, uint8_t pt) {
  packet[1] = uint8_t((packet[1] & 0x80) | (pt & 0x7f));
}
inline void setSsrc(std::span<uint8_t> packet, uint32_t ssrc) { store32(packet.data() + 8, ssrc); }

}  // namespace callgate::media::rtp

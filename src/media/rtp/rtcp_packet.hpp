#pragma once
// RTCP compound packet walker (RFC 3550 §6.1, §6.4; RFC 4585 §6.1 feedback; RFC 5506 reduced
// size is accepted, so the first packet need not be SR/RR).
//
//  0                   1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |V=2|P|  count  |      PT       |     length (words - 1)        |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
#include <cstdint>
#include <optional>

#include "common/bytes.hpp"

namespace callgate::media::rtp {

enum class RtcpType : uint8_t {
  SenderReport = 200,
  ReceiverReport = 201,
  SourceDescription = 202,
  Bye = 203,
  App = 204,
  TransportFeedback = 205,  // RTPFB: generic NACK (FMT 1), ...
  PayloadFeedback = 206,    // PSFB: PLI (FMT 1), FIR (FMT 4), ...
};

struct RtcpPacketView {
  uint8_t type = 0;   // raw PT; compare with RtcpType
  uint8_t count = 0;  // RC / SC / FMT field
  ByteView packet;    // whole packet including the 4-byte header
  ByteView body;      // after the header, padding removed
  // The first SSRC after the header (sender SSRC for SR/RR/feedback); 0 if absent.
  uint32_t senderSsrc() const { return body.size() >= 4 ? load32(body.data()) : 0; }
};

// Iterates the packets of one compound datagram. next() returns false at the end or on the
// first malformed packet; error() distinguishes the two.
class RtcpWalker {
 public:
  explicit RtcpWalker(ByteView datagram) : data_(datagram) {}
  bool next(RtcpPacketView& out);
  bool error() const { return error_; }

 private:
  ByteView data_;
  size_t offset_ = 0;
  bool error_ = false;
};

// Walks the whole datagram: number of packets, or nullopt when any is malformed.
std::optional<size_t> validateRtcpCompound(ByteView datagram);

}  // namespace callgate::media::rtp

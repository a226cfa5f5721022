#pragma once
// STUN message codec (RFC 5389) with the ICE attributes (RFC 8445 §7.1.1, §16.1).
//
//  0                   1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |0 0|     STUN Message Type     |         Message Length        |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                  Magic Cookie (0x2112A442)                    |
// |                Transaction ID (96 bits)                       |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | attributes: Type(16) Length(16) Value (padded to 4 bytes) ... |
//
// Parsing produces a view: string attributes point into the datagram, which must outlive it.
// Nothing here allocates or throws.
#include <array>
#include <boost/asio/ip/udp.hpp>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "common/bytes.hpp"

namespace callgate::media::ice {

inline constexpr size_t kStunHeaderSize = 20;
inline constexpr uint32_t kStunMagicCookie = 0x2112A442;
inline constexpr uint16_t kStunBindingMethod = 0x001;
// RFC 5389 §15.3: USERNAME is < 513 bytes.
inline constexpr size_t kStunMaxUsername = 513;

using TransactionId = std::array<uint8_t, 12>;

enum class StunClass : uint8_t { Request = 0, Indication = 1, SuccessResponse = 2, ErrorResponse = 3 };

enum class StunAttr : uint16_t {
  MappedAddress = 0x0001,
  Username = 0x0006,
  MessageIntegrity = 0x0008,
  ErrorCode = 0x0009,
  UnknownAttributes = 0x000A,
  XorMappedAddress = 0x0020,
  Priority = 0x0024,
  UseCandidate = 0x0025,
  Software = 0x8022,
  Fingerprint = 0x8028,
  IceControlled = 0x8029,
  IceControlling = 0x802A,
};

// RFC 5389 §6: the class bits C1 (bit 8) and C0 (bit 4) are interleaved with the method.
constexpr uint16_t stunType(uint16_t method, StunClass cls) {
  const uint16_t c = uint16_t(cls);
  return uint16_t((method & 0x000F) | ((method & 0x0070) << 1) | ((method & 0x0F80) << 2) |
                  ((c & 1) << 4) | ((c & 2) << 7));
}
constexpr StunClass stunClassOf(uint16_t type) {
  return StunClass(((type >> 4) & 1) | ((type >> 7) & 2));
}
constexpr uint16_t stunMethodOf(uint16_t type) {
  return uint16_t((type & 0x000F) | ((type >> 1) & 0x0070) | ((type >> 2) & 0x0F80));
}

enum class StunParseError : uint8_t {
  None,
  NotStun,          // header shape, cookie or length do not match a STUN message
  BadAttribute,     // an attribute overruns the message or has an invalid size/value
  AfterFingerprint  // RFC 5389 §15.5: FINGERPRINT must be the last attribute
};

struct StunErrorCode {
  uint16_t code = 0;  // 300..699
  std::string_view reason;
};

struct StunMessage {
  uint16_t type = 0;
  StunClass cls = StunClass::Request;
  uint16_t method = 0;
  TransactionId transactionId{};
  ByteView raw;  // the whole datagram

  std::optional<std::string_view> username;
  std::optional<uint32_t> priority;
  bool useCandidate = false;
  std::optional<uint64_t> iceControlling;
  std::optional<uint64_t> iceControlled;
  std::optional<StunErrorCode> errorCode;
  std::optional<boost::asio::ip::udp::endpoint> xorMappedAddress;
  std::optional<std::string_view> software;

  // Offsets of the attributes' headers within `raw`; 0 = absent.
  size_t messageIntegrityOffset = 0;
  size_t fingerprintOffset = 0;
  // Comprehension-required (< 0x8000) attributes we do not know (RFC 5389 §7.3.1 → 420).
  std::array<uint16_t, 4> unknownRequired{};
  uint8_t unknownRequiredCount = 0;

  bool hasMessageIntegrity() const { return messageIntegrityOffset != 0; }
  bool hasFingerprint() const { return fingerprintOffset != 0; }
};

// Cheap test (RFC 7983 first byte + cookie) for demultiplexing.
bool looksLikeStun(ByteView datagram);

// Header only: type, length (must equal the datagram size - 20, multiple of 4), cookie.
// Lets a responder answer 400 to a request whose attributes are broken.
std::optional<StunMessage> parseStunHeader(ByteView datagram);

// Full parse with strict length checks. The first occurrence of a repeated attribute wins
// (RFC 5389 §15); attributes after MESSAGE-INTEGRITY other than FINGERPRINT are ignored.
std::optional<StunMessage> parseStun(ByteView datagram, StunParseError* error = nullptr);

// RFC 5389 §15.4: HMAC-SHA1 over the message up to MESSAGE-INTEGRITY with the length field
// covering it. `key` is the short-term password (ICE: the pwd, SASLprep is the identity for
// the ICE character set). False when absent or wrong.
bool verifyMessageIntegrity(const StunMessage& msg, std::string_view key);
// RFC 5389 §15.5: CRC-32 of the message up to FINGERPRINT, XOR 0x5354554e.
bool verifyFingerprint(const StunMessage& msg);

uint32_t crc32(ByteView data, uint32_t crc = 0);

// Serializer into a caller-owned buffer. Any overflow sets !ok() and the message must not be
// sent. MESSAGE-INTEGRITY then FINGERPRINT must be added last, in that order.
class StunWriter {
 public:
  StunWriter(std::span<uint8_t> out, uint16_t type, const TransactionId& tid);

  void addUsername(std::string_view username) { addBytes(StunAttr::Username, username); }
  void addSoftware(std::string_view text) { addBytes(StunAttr::Software, text); }
  void addPriority(uint32_t priority);
  void addUseCandidate() { addHeader(StunAttr::UseCandidate, 0); }
  void addIceControlling(uint64_t tieBreaker) { add64(StunAttr::IceControlling, tieBreaker); }
  void addIceControlled(uint64_t tieBreaker) { add64(StunAttr::IceControlled, tieBreaker); }
  void addXorMappedAddress(const boost::asio::ip::udp::endpoint& ep);
  void addErrorCode(uint16_t code, std::string_view reason);
  void addUnknownAttributes(std::span<const uint16_t> types);
  void addMessageIntegrity(std::string_view key);
  void addFingerprint();

  bool ok() const { return ok_; }
  size_t size() const { return size_; }
  ByteView bytes() const { return {out_.data(), size_}; }

 private:
  uint8_t* addHeader(StunAttr type, size_t length);
  void addBytes(StunAttr type, std::string_view value);
  void add64(StunAttr type, uint64_t v);
  void setLength(size_t bodyLength);

  std::span<uint8_t> out_;
  size_t size_ = 0;
  bool ok_ = true;
};

}  // namespace callgate::media::ice

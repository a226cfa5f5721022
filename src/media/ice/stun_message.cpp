#include "media/ice/stun_message.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstring>

namespace callgate::media::ice {
namespace {

using boost::asio::ip::udp;

constexpr size_t kMessageIntegritySize = 20;  // HMAC-SHA1
constexpr uint32_t kFingerprintXor = 0x5354554e;
constexpr size_t kMaxStunMessage = 2048;  // larger than any datagram we receive

constexpr std::array<uint32_t, 256> makeCrcTable() {
  std::array<uint32_t, 256> t{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    t[i] = c;
  }
  return t;
}
constexpr auto kCrcTable = makeCrcTable();

size_t padded(size_t n) { return (n + 3) & ~size_t(3); }

bool parseXorAddress(const uint8_t* v, size_t len, const uint8_t* header, udp::endpoint& out) {
  // RFC 5389 §15.2: reserved(8) family(8) x-port(16) x-address(32 or 128).
  if (len < 4) return false;
  const uint16_t port = load16(v + 2) ^ uint16_t(kStunMagicCookie >> 16);
  if (v[1] == 0x01 && len == 8) {
    const uint32_t a = load32(v + 4) ^ kStunMagicCookie;
    out = udp::endpoint(boost::asio::ip::address_v4(a), port);
    return true;
  }
  if (v[1] == 0x02 && len == 20) {
    boost::asio::ip::address_v6::bytes_type b;
    for (size_t i = 0; i < 16; ++i) b[i] = v[4 + i] ^ header[4 + i];  // cookie + transaction id
    out = udp::endpoint(boost::asio::ip::address_v6(b), port);
    return true;
  }
  return false;
}

}  // namespace

uint32_t crc32(ByteView data, uint32_t crc) {
  crc = ~crc;
  for (uint8_t b : data) crc = kCrcTable[(crc ^ b) & 0xff] ^ (crc >> 8);
  return ~crc;
}

bool looksLikeStun(ByteView d) {
  return d.size() >= kStunHeaderSize && d[0] <= 3 && load32(d.data() + 4) == kStunMagicCookie;
}

std::optional<StunMessage> parseStunHeader(ByteView d) {
  if (d.size() < kStunHeaderSize || d.size() > kMaxStunMessage) return std::nullopt;
  const uint8_t* p = d.data();
  if ((p[0] & 0xC0) != 0) return std::nullopt;
  const size_t length = load16(p + 2);
  if ((length & 3) != 0 || length + kStunHeaderSize != d.size()) return std::nullopt;
  if (load32(p + 4) != kStunMagicCookie) return std::nullopt;
  StunMessage m;
  m.type = load16(p);
  m.cls = stunClassOf(m.type);
  m.method = stunMethodOf(m.type);
  std::memcpy(m.transactionId.data(), p + 8, 12);
  m.raw = d;
  return m;
}

std::optional<StunMessage> parseStun(ByteView d, StunParseError* error) {
  auto fail = [error](StunParseError e) -> std::optional<StunMessage> {
    if (error) *error = e;
    return std::nullopt;
  };
  if (error) *error = StunParseError::None;
  auto header = parseStunHeader(d);
  if (!header) return fail(StunParseError::NotStun);
  StunMessage m = *header;
  const uint8_t* p = d.data();
  size_t offset = kStunHeaderSize;
  while (offset < d.size()) {
    if (m.fingerprintOffset != 0) return fail(StunParseError::AfterFingerprint);
    if (d.size() - offset < 4) return fail(StunParseError::BadAttribute);
    const uint16_t type = load16(p + offset);
    const size_t len = load16(p + offset + 2);
    const size_t valueOffset = offset + 4;
    if (d.size() - valueOffset < padded(len)) return fail(StunParseError::BadAttribute);
    const uint8_t* v = p + valueOffset;
    const size_t attrOffset = offset;
    offset = valueOffset + padded(len);

    if (type == uint16_t(StunAttr::Fingerprint)) {
      if (len != 4) return fail(StunParseError::BadAttribute);
      m.fingerprintOffset = attrOffset;
      continue;
    }
    // RFC 5389 §15.4: everything after MESSAGE-INTEGRITY but FINGERPRINT is ignored.
    if (m.messageIntegrityOffset != 0) continue;

    switch (StunAttr(type)) {
      case StunAttr::MessageIntegrity:
        if (len != kMessageIntegritySize) return fail(StunParseError::BadAttribute);
        m.messageIntegrityOffset = attrOffset;
        break;
      case StunAttr::Username:
        if (len > kStunMaxUsername) return fail(StunParseError::BadAttribute);
        if (!m.username) m.username = std::string_view(reinterpret_cast<const char*>(v), len);
        break;
      case StunAttr::Software:
        if (!m.software) m.software = std::string_view(reinterpret_cast<const char*>(v), len);
        break;
      case StunAttr::Priority:
        if (len != 4) return fail(StunParseError::BadAttribute);
        if (!m.priority) m.priority = load32(v);
        break;
      case StunAttr::UseCandidate:
        if (len != 0) return fail(StunParseError::BadAttribute);
        m.useCandidate = true;
        break;
      case StunAttr::IceControlling:
      case StunAttr::IceControlled: {
        if (len != 8) return fail(StunParseError::BadAttribute);
        const uint64_t tb = uint64_t(load32(v)) << 32 | load32(v + 4);
        auto& slot = type == uint16_t(StunAttr::IceControlling) ? m.iceControlling : m.iceControlled;
        if (!slot) slot = tb;
        break;
      }
      case StunAttr::ErrorCode: {
        // RFC 5389 §15.6: reserved(21) class(3) number(8) reason.
        if (len < 4) return fail(StunParseError::BadAttribute);
        const uint16_t cls = v[2] & 0x07;
        const uint16_t num = v[3];
        if (cls < 3 || cls > 6 || num > 99) return fail(StunParseError::BadAttribute);
        if (!m.errorCode)
          m.errorCode = StunErrorCode{uint16_t(cls * 100 + num),
                                      std::string_view(reinterpret_cast<const char*>(v + 4), len - 4)};
        break;
      }
      case StunAttr::XorMappedAddress: {
        udp::endpoint ep;
        if (!parseXorAddress(v, len, p, ep)) return fail(StunParseError::BadAttribute);
        if (!m.xorMappedAddress) m.xorMappedAddress = ep;
        break;
      }
      case StunAttr::MappedAddress:
      case StunAttr::UnknownAttributes:
        break;  // understood, not needed
      default:
        if (type < 0x8000 && m.unknownRequiredCount < m.unknownRequired.size())
          m.unknownRequired[m.unknownRequiredCount++] = type;
        break;
    }
  }
  return m;
}

bool verifyMessageIntegrity(const StunMessage& m, std::string_view key) {
  if (m.messageIntegrityOffset == 0) return false;
  const size_t n = m.messageIntegrityOffset;
  if (n > kMaxStunMessage || m.raw.size() < n + 4 + kMessageIntegritySize) return false;
  // The HMAC input is the message up to the attribute, with the header's length set as if
  // MESSAGE-INTEGRITY were the last attribute (RFC 5389 §15.4).
  std::array<uint8_t, kMaxStunMessage> scratch;
  std::memcpy(scratch.data(), m.raw.data(), n);
  store16(scratch.data() + 2, uint16_t(n + 4 + kMessageIntegritySize - kStunHeaderSize));
  uint8_t mac[EVP_MAX_MD_SIZE];
  unsigned macLen = 0;
  if (!HMAC(EVP_sha1(), key.data(), int(key.size()), scratch.data(), n, mac, &macLen) ||
      macLen != kMessageIntegritySize)
    return false;
  return CRYPTO_memcmp(mac, m.raw.data() + n + 4, kMessageIntegritySize) == 0;
}

bool verifyFingerprint(const StunMessage& m) {
  if (m.fingerprintOffset == 0) return false;
  const size_t n = m.fingerprintOffset;
  if (m.raw.size() != n + 8) return false;
  std::array<uint8_t, kStunHeaderSize> header;
  std::memcpy(header.data(), m.raw.data(), kStunHeaderSize);
  store16(header.data() + 2, uint16_t(n + 8 - kStunHeaderSize));
  uint32_t crc = crc32(header);
  crc = crc32(m.raw.subspan(kStunHeaderSize, n - kStunHeaderSize), crc);
  return (crc ^ kFingerprintXor) == load32(m.raw.data() + n + 4);
}

StunWriter::StunWriter(std::span<uint8_t> out, uint16_t type, const TransactionId& tid) : out_(out) {
  if (out_.size() < kStunHeaderSize) {
    ok_ = false;
    return;
  }
  store16(out_.data(), type & 0x3FFF);
  store16(out_.data() + 2, 0);
  store32(out_.data() + 4, kStunMagicCookie);
  std::memcpy(out_.data() + 8, tid.data(), tid.size());
  size_ = kStunHeaderSize;
}

void StunWriter::setLength(size_t bodyLength) { store16(out_.data() + 2, uint16_t(bodyLength)); }

uint8_t* StunWriter::addHeader(StunAttr type, size_t length) {
  if (!ok_ || length > 0xFFFF || out_.size() - size_ < 4 + padded(length)) {
    ok_ = false;
    return nullptr;
  }
  uint8_t* p = out_.data() + size_;
  store16(p, uint16_t(type));
  store16(p + 2, uint16_t(length));
  std::memset(p + 4 + length, 0, padded(length) - length);
  size_ += 4 + padded(length);
  setLength(size_ - kStunHeaderSize);
  return p + 4;
}

void StunWriter::addBytes(StunAttr type, std::string_view value) {
  if (uint8_t* v = addHeader(type, value.size())) std::memcpy(v, value.data(), value.size());
}

void StunWriter::add64(StunAttr type, uint64_t x) {
  if (uint8_t* v = addHeader(type, 8)) {
    store32(v, uint32_t(x >> 32));
    store32(v + 4, uint32_t(x));
  }
}

void StunWriter::addPriority(uint32_t priority) {
  if (uint8_t* v = addHeader(StunAttr::Priority, 4)) store32(v, priority);
}

void StunWriter::addXorMappedAddress(const udp::endpoint& ep) {
  const bool v4 = ep.address().is_v4();
  uint8_t* v = addHeader(StunAttr::XorMappedAddress, v4 ? 8 : 20);
  if (!v) return;
  v[0] = 0;
  v[1] = v4 ? 0x01 : 0x02;
  store16(v + 2, ep.port() ^ uint16_t(kStunMagicCookie >> 16));
  if (v4) {
    store32(v + 4, ep.address().to_v4().to_uint() ^ kStunMagicCookie);
  } else {
    const auto b = ep.address().to_v6().to_bytes();
    for (size_t i = 0; i < 16; ++i) v[4 + i] = b[i] ^ out_[4 + i];
  }
}

void StunWriter::addErrorCode(uint16_t code, std::string_view reason) {
  if (code < 300 || code > 699) {
    ok_ = false;
    return;
  }
  uint8_t* v = addHeader(StunAttr::ErrorCode, 4 + reason.size());
  if (!v) return;
  v[0] = v[1] = 0;
  v[2] = uint8_t(code / 100);
  v[3] = uint8_t(code % 100);
  std::memcpy(v + 4, reason.data(), reason.size());
}

void StunWriter::addUnknownAttributes(std::span<const uint16_t> types) {
  uint8_t* v = addHeader(StunAttr::UnknownAttributes, 2 * types.size());
  if (!v) return;
  for (size_t i = 0; i < types.size(); ++i) store16(v + 2 * i, types[i]);
}

void StunWriter::addMessageIntegrity(std::string_view key) {
  uint8_t* v = addHeader(StunAttr::MessageIntegrity, kMessageIntegritySize);
  if (!v) return;
  // The length field already covers this attribute (addHeader updated it).
  const size_t n = size_ - 4 - kMessageIntegritySize;
  unsigned macLen = 0;
  if (!HMAC(EVP_sha1(), key.data(), int(key.size()), out_.data(), n, v, &macLen) ||
      macLen != kMessageIntegritySize)
    ok_ = false;
}

void StunWriter::addFingerprint() {
  uint8_t* v = addHeader(StunAttr::Fingerprint, 4);
  if (!v) return;
  const size_t n = size_ - 8;
  store32(v, crc32(ByteView(out_.data(), n)) ^ kFingerprintXor);
}

}  // namespace callgate::media::ice

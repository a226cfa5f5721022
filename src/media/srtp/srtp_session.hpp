#pragma once
// The one adapter around libsrtp2 (global srtp_init once per process). One SrtpSession per
// direction of a DTLS-SRTP association: inbound uses ssrc_any_inbound, outbound
// ssrc_any_outbound, so a session serves every SSRC of a BUNDLE transport (RFC 3711 §3.2.3).
// Not thread-safe: a session lives on its call's worker thread.
#include <cstdint>
#include <span>

#include "common/bytes.hpp"
#include "common/result.hpp"

struct srtp_ctx_t_;

namespace callgate::media::srtp {

// The DTLS-SRTP profiles we offer (RFC 5764 §4.1.2, RFC 7714 §14.2).
enum class SrtpProfile : uint8_t { AesCm128HmacSha1_80, AeadAes128Gcm };

inline constexpr size_t srtpKeyLength(SrtpProfile) { return 16; }
inline constexpr size_t srtpSaltLength(SrtpProfile p) { return p == SrtpProfile::AeadAes128Gcm ? 12 : 14; }
inline constexpr size_t kSrtpMaxKeySalt = 30;
// Bytes protect may append (libsrtp's SRTP_MAX_TRAILER_LEN + 4 for the SRTCP index).
inline constexpr size_t kSrtpRequiredTailroom = 148;

enum class SrtpStatus : uint8_t {
  Ok,
  ReplayDrop,  // replayed or too old for the window: a drop, not an attack signal by itself
  AuthFail,    // tag mismatch (wrong keys, corruption, spoofing)
  BadPacket,   // too short / malformed for libsrtp
  NoTailroom,  // caller's buffer lacks kSrtpRequiredTailroom
  Error,
};

const char* toString(SrtpStatus s);

class SrtpSession {
 public:
  enum class Direction : uint8_t { Inbound, Outbound };

  // masterKeySalt = key || salt (30 bytes for AES-CM, 28 for GCM), as exported by DTLS.
  static Result<SrtpSession> create(Direction direction, SrtpProfile profile, ByteView masterKeySalt);

  SrtpSession(SrtpSession&& other) noexcept;
  SrtpSession& operator=(SrtpSession&& other) noexcept;
  SrtpSession(const SrtpSession&) = delete;
  SrtpSession& operator=(const SrtpSession&) = delete;
  ~SrtpSession();

  // In place. `buffer` starts at the packet and extends over the tailroom; `len` is the
  // packet length on input and the protected/unprotected length on output.
  SrtpStatus protectRtp(std::span<uint8_t> buffer, size_t& len);
  SrtpStatus protectRtcp(std::span<uint8_t> buffer, size_t& len);
  SrtpStatus unprotectRtp(std::span<uint8_t> packet, size_t& len);
  SrtpStatus unprotectRtcp(std::span<uint8_t> packet, size_t& len);

  SrtpProfile profile() const { return profile_; }
  Direction direction() const { return direction_; }

 private:
  SrtpSession(srtp_ctx_t_* ctx, Direction d, SrtpProfile p) : ctx_(ctx), direction_(d), profile_(p) {}
  srtp_ctx_t_* ctx_ = nullptr;
  Direction direction_;
  SrtpProfile profile_;
};

}  // namespace callgate::media::srtp

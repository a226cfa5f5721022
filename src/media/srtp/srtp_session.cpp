#include "media/srtp/srtp_session.hpp"

#include <srtp2/srtp.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <utility>

namespace callgate::media::srtp {
namespace {

void initOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (srtp_init() != srtp_err_status_ok) {
      std::fputs("callgate: srtp_init failed\n", stderr);
      std::abort();  // without libsrtp no call can carry media: a broken install
    }
  });
}

SrtpStatus mapStatus(srtp_err_status_t s) {
  switch (s) {
    case srtp_err_status_ok: return SrtpStatus::Ok;
    case srtp_err_status_replay_fail:
    case srtp_err_status_replay_old: return SrtpStatus::ReplayDrop;
    case srtp_err_status_auth_fail: return SrtpStatus::AuthFail;
    case srtp_err_status_bad_param:
    case srtp_err_status_parse_err: return SrtpStatus::BadPacket;
    default: return SrtpStatus::Error;
  }
}

// libsrtp reads a 12-byte RTP / 8-byte RTCP header before checking lengths in some paths.
constexpr size_t kMinRtp = 12;
constexpr size_t kMinRtcp = 8;

}  // namespace

const char* toString(SrtpStatus s) {
  switch (s) {
    case SrtpStatus::Ok: return "ok";
    case SrtpStatus::ReplayDrop: return "replay";
    case SrtpStatus::AuthFail: return "auth-fail";
    case SrtpStatus::BadPacket: return "bad-packet";
    case SrtpStatus::NoTailroom: return "no-tailroom";
    case SrtpStatus::Error: return "error";
  }
  return "?";
}

Result<SrtpSession> SrtpSession::create(Direction direction, SrtpProfile profile, ByteView keySalt) {
  initOnce();
  const size_t expected = srtpKeyLength(profile) + srtpSaltLength(profile);
  if (keySalt.size() != expected) return makeError("SRTP master key+salt has the wrong length");
  srtp_policy_t policy;
  std::memset(&policy, 0, sizeof policy);
  if (profile == SrtpProfile::AeadAes128Gcm) {
    srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtp);
    srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtcp);
  } else {
    srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtp);
    srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtcp);
  }
  policy.ssrc.type = direction == Direction::Inbound ? ssrc_any_inbound : ssrc_any_outbound;
  // libsrtp copies the key during srtp_create.
  std::array<uint8_t, kSrtpMaxKeySalt> key{};
  std::memcpy(key.data(), keySalt.data(), keySalt.size());
  policy.key = key.data();
  // A wider window than the default 128 tolerates the reordering of a jittery mobile path.
  policy.window_size = 1024;
  // Outbound: the relay may forward an RTP retransmission with a seq it already sent.
  policy.allow_repeat_tx = direction == Direction::Outbound ? 1 : 0;
  policy.next = nullptr;
  srtp_t ctx = nullptr;
  const auto st = srtp_create(&ctx, &policy);
  if (st != srtp_err_status_ok) return makeError("srtp_create failed: " + std::to_string(int(st)));
  return SrtpSession(ctx, direction, profile);
}

SrtpSession::SrtpSession(SrtpSession&& o) noexcept
    : ctx_(std::exchange(o.ctx_, nullptr)), direction_(o.direction_), profile_(o.profile_) {}

SrtpSession& SrtpSession::operator=(SrtpSession&& o) noexcept {
  if (this != &o) {
    if (ctx_) srtp_dealloc(ctx_);
    ctx_ = std::exchange(o.ctx_, nullptr);
    direction_ = o.direction_;
    profile_ = o.profile_;
  }
  return *this;
}

SrtpSession::~SrtpSession() {
  if (ctx_) srtp_dealloc(ctx_);
}

SrtpStatus SrtpSession::protectRtp(std::span<uint8_t> buffer, size_t& len) {
  if (len < kMinRtp || len > buffer.size()) return SrtpStatus::BadPacket;
  if (buffer.size() - len < kSrtpRequiredTailroom) return SrtpStatus::NoTailroom;
  int n = int(len);
  const auto st = srtp_protect(ctx_, buffer.data(), &n);
  if (st == srtp_err_status_ok) len = size_t(n);
  return mapStatus(st);
}

SrtpStatus SrtpSession::protectRtcp(std::span<uint8_t> buffer, size_t& len) {
  if (len < kMinRtcp || len > buffer.size()) return SrtpStatus::BadPacket;
  if (buffer.size() - len < kSrtpRequiredTailroom) return SrtpStatus::NoTailroom;
  int n = int(len);
  const auto st = srtp_protect_rtcp(ctx_, buffer.data(), &n);
  if (st == srtp_err_status_ok) len = size_t(n);
  return mapStatus(st);
}

SrtpStatus SrtpSession::unprotectRtp(std::span<uint8_t> packet, size_t& len) {
  if (len < kMinRtp || len > packet.size()) return SrtpStatus::BadPacket;
  int n = int(len);
  const auto st = srtp_unprotect(ctx_, packet.data(), &n);
  if (st == srtp_err_status_ok) len = size_t(n);
  return mapStatus(st);
}

SrtpStatus SrtpSession::unprotectRtcp(std::span<uint8_t> packet, size_t& len) {
  if (len < kMinRtcp || len > packet.size()) return SrtpStatus::BadPacket;
  int n = int(len);
  const auto st = srtp_unprotect_rtcp(ctx_, packet.data(), &n);
  if (st == srtp_err_status_ok) len = size_t(n);
  return mapStatus(st);
}

}  // namespace callgate::media::srtp

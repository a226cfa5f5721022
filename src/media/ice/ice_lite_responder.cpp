#include "media/ice/ice_lite_responder.hpp"

#include <algorithm>

namespace callgate::media::ice {

using boost::asio::ip::udp;

IceLiteResponder::IceLiteResponder(std::string localUfrag, std::string localPwd)
    : localUfrag_(std::move(localUfrag)), localPwd_(std::move(localPwd)) {}

bool IceLiteResponder::isValidated(const udp::endpoint& ep) const {
  return std::find(validated_.begin(), validated_.begin() + validatedCount_, ep) !=
         validated_.begin() + validatedCount_;
}

void IceLiteResponder::rememberValidated(const udp::endpoint& ep) {
  if (isValidated(ep)) return;
  if (validatedCount_ < validated_.size()) {
    validated_[validatedCount_++] = ep;
    return;
  }
  // Full: replace round-robin, but never the selected address.
  for (size_t i = 0; i < validated_.size(); ++i) {
    const size_t slot = (validatedNext_ + i) % validated_.size();
    if (!selected_ || validated_[slot] != *selected_) {
      validated_[slot] = ep;
      validatedNext_ = slot + 1;
      return;
    }
  }
}

size_t IceLiteResponder::writeError(const StunMessage& req, uint16_t code, std::string_view reason,
                                    bool withIntegrity, std::span<uint8_t> out) {
  StunWriter w(out, stunType(req.method, StunClass::ErrorResponse), req.transactionId);
  w.addErrorCode(code, reason);
  if (code == 420) w.addUnknownAttributes({req.unknownRequired.data(), req.unknownRequiredCount});
  // RFC 5389 §10.1.2: 400 and 401 responses carry no MESSAGE-INTEGRITY.
  if (withIntegrity) w.addMessageIntegrity(localPwd_);
  w.addFingerprint();
  return w.ok() ? w.size() : 0;
}

IceLiteResponder::Result IceLiteResponder::handle(ByteView datagram, const udp::endpoint& from,
                                                  std::span<uint8_t> out) {
  Result r;
  auto msg = parseStun(datagram);
  if (!msg) {
    auto header = parseStunHeader(datagram);
    if (header && header->cls == StunClass::Request) {
      r.outcome = Outcome::BadRequest;
      r.responseSize = writeError(*header, 400, "Bad Request", false, out);
    }
    return r;
  }
  // A wrong FINGERPRINT means it is not STUN at all (RFC 5389 §8): drop silently.
  if (msg->hasFingerprint() && !verifyFingerprint(*msg)) return r;
  if (msg->cls != StunClass::Request) return r;  // lite agents send no requests (§2.5)
  if (msg->method != kStunBindingMethod || !msg->username || !msg->hasMessageIntegrity()) {
    r.outcome = Outcome::BadRequest;
    r.responseSize = writeError(*msg, 400, "Bad Request", false, out);
    return r;
  }
  // RFC 8445 §7.2.2: USERNAME = "<our ufrag>:<their ufrag>".
  const std::string_view user = *msg->username;
  bool userOk = user.size() > localUfrag_.size() && user.substr(0, localUfrag_.size()) == localUfrag_ &&
                user[localUfrag_.size()] == ':';
  if (userOk && !remoteUfrag_.empty()) userOk = user.substr(localUfrag_.size() + 1) == remoteUfrag_;
  if (!userOk || !verifyMessageIntegrity(*msg, localPwd_)) {
    r.outcome = Outcome::Unauthorized;
    r.responseSize = writeError(*msg, 401, "Unauthorized", false, out);
    return r;
  }
  if (msg->unknownRequiredCount > 0) {
    r.outcome = Outcome::UnknownAttribute;
    r.responseSize = writeError(*msg, 420, "Unknown Attribute", true, out);
    return r;
  }
  // RFC 8445 §7.3.1.1: we are always controlled; a controlled peer must switch roles, which
  // a lite agent cannot do, so it gets 487 whatever the tie-breakers.
  if (msg->iceControlled && !msg->iceControlling) {
    r.outcome = Outcome::RoleConflict;
    r.responseSize = writeError(*msg, 487, "Role Conflict", true, out);
    return r;
  }

  const auto before = selected_;
  rememberValidated(from);
  r.nominated = msg->useCandidate;
  // §7.3.1.5: a nominated pair is selected; until then use the newest valid address so
  // DTLS can start right after the first check (browsers do not wait for nomination).
  if (msg->useCandidate) {
    selected_ = from;
    nominated_ = true;
  } else if (!nominated_) {
    selected_ = from;
  }
  r.selectedChanged = before != selected_;

  StunWriter w(out, stunType(kStunBindingMethod, StunClass::SuccessResponse), msg->transactionId);
  w.addXorMappedAddress(from);
  w.addMessageIntegrity(localPwd_);
  w.addFingerprint();
  r.outcome = Outcome::Success;
  r.responseSize = w.ok() ? w.size() : 0;
  return r;
}

}  // namespace callgate::media::ice

#include "media/ice/controlling_agent.hpp"

#include <openssl/rand.h>

#include <cstdlib>

namespace callgate::media::ice {

ControllingAgent::ControllingAgent(std::string localUfrag, std::string localPwd, std::string remoteUfrag,
                                   std::string remotePwd, uint32_t priority)
    : localUfrag_(std::move(localUfrag)),
      localPwd_(std::move(localPwd)),
      remoteUfrag_(std::move(remoteUfrag)),
      remotePwd_(std::move(remotePwd)),
      priority_(priority) {
  if (RAND_bytes(reinterpret_cast<uint8_t*>(&tieBreaker_), sizeof tieBreaker_) != 1) std::abort();
}

size_t ControllingAgent::write(std::span<uint8_t> out) {
  StunWriter w(out, stunType(kStunBindingMethod, StunClass::Request), tid_);
  // RFC 8445 §7.2.2: USERNAME = "<their ufrag>:<our ufrag>", keyed with their pwd.
  std::array<char, 2 * 256 + 1> user;
  if (remoteUfrag_.size() + localUfrag_.size() + 1 > user.size()) return 0;
  size_t n = remoteUfrag_.copy(user.data(), remoteUfrag_.size());
  user[n++] = ':';
  n += localUfrag_.copy(user.data() + n, localUfrag_.size());
  w.addUsername(std::string_view(user.data(), n));
  w.addPriority(priority_);
  w.addIceControlling(tieBreaker_);
  if (useCandidate_) w.addUseCandidate();
  w.addMessageIntegrity(remotePwd_);
  w.addFingerprint();
  return w.ok() ? w.size() : 0;
}

size_t ControllingAgent::buildRequest(std::span<uint8_t> out, bool useCandidate) {
  if (RAND_bytes(tid_.data(), int(tid_.size())) != 1) std::abort();
  useCandidate_ = useCandidate;
  pending_ = true;
  return write(out);
}

size_t ControllingAgent::rebuildPending(std::span<uint8_t> out) { return pending_ ? write(out) : 0; }

ControllingAgent::Result ControllingAgent::handleResponse(ByteView datagram) {
  Result r;
  auto msg = parseStun(datagram);
  if (!msg || !pending_ || msg->transactionId != tid_ || msg->method != kStunBindingMethod) return r;
  if (msg->hasFingerprint() && !verifyFingerprint(*msg)) return r;
  if (msg->cls == StunClass::SuccessResponse) {
    // §7.2.5.2.1 is about the source address; integrity is keyed with their pwd.
    if (!verifyMessageIntegrity(*msg, remotePwd_)) return r;
    pending_ = false;
    r.outcome = Outcome::Success;
    r.mappedAddress = msg->xorMappedAddress;
    return r;
  }
  if (msg->cls == StunClass::ErrorResponse && msg->errorCode) {
    // 400/401 carry no integrity (RFC 5389 §10.1.2); accept them on the transaction id.
    const uint16_t code = msg->errorCode->code;
    if (code != 400 && code != 401 && !verifyMessageIntegrity(*msg, remotePwd_)) return r;
    pending_ = false;
    r.outcome = Outcome::ErrorReply;
    r.errorCode = code;
  }
  return r;
}

}  // namespace callgate::media::ice

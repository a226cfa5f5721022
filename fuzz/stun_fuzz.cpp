// STUN codec fuzzer: parse, verify integrity/fingerprint, re-serialize the parsed fields and
// parse again (the round trip must agree), and run the ICE-lite responder on the input.
#include <cstdint>
#include <cstdlib>
#include <span>

#include "media/ice/ice_lite_responder.hpp"
#include "media/ice/stun_message.hpp"

using namespace callgate::media::ice;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const callgate::ByteView in(data, size);
  std::array<uint8_t, 2048> out;

  IceLiteResponder responder("srvU", "server-password-22chars");
  const auto r = responder.handle(in, {boost::asio::ip::make_address("192.0.2.1"), 4000}, out);
  if (r.responseSize > 0 && !parseStun({out.data(), r.responseSize})) std::abort();

  auto m = parseStun(in);
  if (!m) return 0;
  (void)verifyMessageIntegrity(*m, "server-password-22chars");
  (void)verifyFingerprint(*m);

  StunWriter w(out, m->type, m->transactionId);
  if (m->username) w.addUsername(*m->username);
  if (m->priority) w.addPriority(*m->priority);
  if (m->useCandidate) w.addUseCandidate();
  if (m->iceControlling) w.addIceControlling(*m->iceControlling);
  if (m->iceControlled) w.addIceControlled(*m->iceControlled);
  if (m->xorMappedAddress) w.addXorMappedAddress(*m->xorMappedAddress);
  if (m->errorCode) w.addErrorCode(m->errorCode->code, m->errorCode->reason);
  w.addMessageIntegrity("key");
  w.addFingerprint();
  if (!w.ok()) return 0;  // the re-encoding may be larger than the buffer
  auto again = parseStun(w.bytes());
  if (!again || again->type != m->type || again->transactionId != m->transactionId ||
      again->username != m->username || again->priority != m->priority ||
      again->useCandidate != m->useCandidate || again->iceControlling != m->iceControlling ||
      again->iceControlled != m->iceControlled || again->xorMappedAddress != m->xorMappedAddress ||
      again->errorCode.has_value() != m->errorCode.has_value() ||
      (m->errorCode && (again->errorCode->code != m->errorCode->code ||
                        again->errorCode->reason != m->errorCode->reason)) ||
      !verifyMessageIntegrity(*again, "key") || !verifyFingerprint(*again))
    std::abort();
  return 0;
}

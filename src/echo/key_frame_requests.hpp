#pragma once
// Key-frame requests for echoed video. The caller's receiver asks the echo's stream for a key
// frame (RFC 4585 §6.3.1 PLI, RFC 5104 §4.3.1 FIR naming the echo's SSRC), but only the
// caller's own encoder can make one: the request is turned around to name the caller's
// sending SSRC and sent back, so a lost key frame in the echoed video gets repaired.
#include <cstddef>
#include <cstdint>
#include <span>

#include "common/bytes.hpp"

namespace callgate::echo {

// Copies the PLI and FIR packets of the RTCP compound `in` into `out` with sender SSRC =
// `echoSsrc` and media SSRC (PLI) / FCI SSRC (FIR) = `callerSsrc`. Everything else (reports,
// SDES, NACK, REMB, ...) is left out. Returns the bytes written (0: nothing to send); stops
// at a malformed packet or when `out` is full.
size_t turnAroundKeyFrameRequests(ByteView in, uint32_t echoSsrc, uint32_t callerSsrc, MutableByteView out);

}  // namespace callgate::echo

#pragma once
// Per-transport packet counters: plain integers bumped on the owning worker thread, read by
// the gateway on the same thread for logs, metrics and per-call records. No atomics: a
// transport is pinned to one io_context (design.md, Threading).
#include <cstdint>

namespace callgate::media {

struct TransportCounters {
  uint64_t packetsIn = 0;  // every datagram received
  uint64_t bytesIn = 0;
  uint64_t packetsOut = 0;  // every datagram sent
  uint64_t bytesOut = 0;

  uint64_t rtpIn = 0;  // media delivered to the listener after checks/unprotect
  uint64_t rtcpIn = 0;
  uint64_t rtpOut = 0;  // media sent (after protect)
  uint64_t rtcpOut = 0;
  uint64_t stunIn = 0;
  uint64_t dtlsIn = 0;

  // Drops, by reason.
  uint64_t dropMalformed = 0;      // bad RTP/RTCP/STUN shape, truncated datagram, unknown first byte
  uint64_t dropNotReady = 0;       // media before ICE/DTLS/SRTP is up, or no remote address yet
  uint64_t dropUnknownSource = 0;  // DTLS/SRTP from an address that passed no ICE check
  uint64_t dropSrtpAuth = 0;       // SRTP/SRTCP authentication failed
  uint64_t dropSrtpReplay = 0;     // replayed / too old for the replay window
  uint64_t dropSrtpOther = 0;      // other libsrtp errors
  uint64_t dropSendError = 0;      // socket send failed or would block
  uint64_t dropPayloadType = 0;    // PT not mapped (bumped by the relay via countPayloadTypeDrop)

  uint64_t stunErrorsSent = 0;   // 400/401/420/487 responses
  uint64_t latchChanges = 0;     // symmetric-RTP re-latching or ICE selected-address changes

  uint64_t drops() const {
    return dropMalformed + dropNotReady + dropUnknownSource + dropSrtpAuth + dropSrtpReplay + dropSrtpOther +
           dropSendError + dropPayloadType;
  }
};

}  // namespace callgate::media

#pragma once
// Reports RFC 4733 DTMF events received on one RTP stream, once per event.
//
// An event is identified by its RTP timestamp (RFC 4733 §2.3.1: every packet of an event,
// including the retransmitted end packets of §2.5.1.4, carries the event's start time).
// The digit is reported at the first packet of a new event that arrives, whether or not it
// has the marker bit (the first packets may be lost). Packets of an older event (late
// retransmissions) and continuation segments of a long event (§2.5.1.3: the next segment's
// timestamp is the previous one plus its duration, without the marker bit) are not reported.
// No allocation; one instance per received stream, used on its worker thread.
#include <cstdint>
#include <optional>
#include <span>

#include "common/bytes.hpp"
#include "media/dtmf/telephone_event.hpp"

namespace callgate::media::dtmf {

class DtmfDetector {
 public:
  // Returns the digit ('0'-'9', '*', '#', 'A'-'D') when `rtpPacket` starts a new DTMF event
  // of payload type `telephoneEventPt`; nullopt for other payload types, malformed packets,
  // non-DTMF events and further packets of an event already reported.
  std::optional<char> onPacket(ByteView rtpPacket, uint8_t telephoneEventPt);

  // The last telephone-event packet accepted (valid after onPacket returned a value or
  // consumed a telephone-event packet).
  const std::optional<TelephoneEventPacket>& lastPacket() const { return last_; }

  void reset() { last_.reset(); }

 private:
  std::optional<TelephoneEventPacket> last_;
};

}  // namespace callgate::media::dtmf

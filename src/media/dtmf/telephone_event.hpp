#pragma once
// RFC 4733 telephone-event payload (§2.3) and the DTMF event codes of §3.2.
//
//  0                   1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |     event     |E|R| volume    |          duration             |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "common/bytes.hpp"

namespace callgate::media::dtmf {

inline constexpr size_t kTelephoneEventSize = 4;
// 12-byte RTP header (no CSRC, no extension) + one event.
inline constexpr size_t kTelephoneEventPacketSize = 12 + kTelephoneEventSize;
// RFC 4733 §3.2: events 0-15 are the DTMF digits 0-9 * # A-D.
inline constexpr uint8_t kMaxDtmfEvent = 15;
inline constexpr uint8_t kMaxVolume = 63;  // 6 bits, in -dBm0

struct TelephoneEvent {
  uint8_t event = 0;
  bool end = false;     // E bit: this packet reports the end of the event
  uint8_t volume = 0;   // 0..63; the power level of the tone, as -dBm0
  uint16_t duration = 0;  // in RTP timestamp units, since the event's timestamp

  bool operator==(const TelephoneEvent&) const = default;
};

// `payload` is the RTP payload (header, CSRCs, extension and padding already removed).
// nullopt when it is shorter than one event. Octets after the first event are ignored: a
// sender may not pack several events in one payload without RFC 2198 redundancy, which uses
// its own payload type. The R bit is ignored on receipt (§2.3.3).
std::optional<TelephoneEvent> parseTelephoneEvent(ByteView payload);

// A telephone-event found in a whole RTP packet (RTP header view of media/rtp).
struct TelephoneEventPacket {
  TelephoneEvent event;
  uint32_t ssrc = 0;
  uint32_t timestamp = 0;  // the event's start (§2.3.1): shared by all its packets
  uint16_t sequenceNumber = 0;
  bool marker = false;  // set on the first packet of an event (§2.5.1.1)
};

// nullopt unless `rtpPacket` is a valid RTP packet of payload type `payloadType` whose
// payload holds a telephone-event.
std::optional<TelephoneEventPacket> parseTelephoneEventPacket(ByteView rtpPacket, uint8_t payloadType);

// Writes one event (volume masked to 6 bits, R bit zero).
void writeTelephoneEvent(std::span<uint8_t, kTelephoneEventSize> out, const TelephoneEvent& event);

struct RtpFields {
  uint8_t payloadType = 0;
  bool marker = false;
  uint16_t sequenceNumber = 0;
  uint32_t timestamp = 0;
  uint32_t ssrc = 0;
};
// Writes a complete RTP packet (V=2, no padding/extension/CSRC) carrying one event.
void writeTelephoneEventPacket(std::span<uint8_t, kTelephoneEventPacketSize> out, const RtpFields& rtp,
                               const TelephoneEvent& event);

// '0'-'9', '*', '#', 'A'-'D' (either case) -> 0..15; nullopt for anything else.
std::optional<uint8_t> eventForDigit(char digit);
// 0..15 -> '0'-'9', '*', '#', 'A'-'D'; '\0' for other events (tones, flash, ...).
char digitForEvent(uint8_t event);

}  // namespace callgate::media::dtmf

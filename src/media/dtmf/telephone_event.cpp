#include "media/dtmf/telephone_event.hpp"

#include "media/rtp/rtp_packet.hpp"

namespace callgate::media::dtmf {

namespace {
constexpr char kDigits[] = "0123456789*#ABCD";
}

std::optional<TelephoneEvent> parseTelephoneEvent(ByteView payload) {
  if (payload.size() < kTelephoneEventSize) return std::nullopt;
  const uint8_t* p = payload.data();
  TelephoneEvent e;
  e.event = p[0];
  e.end = (p[1] & 0x80) != 0;
  e.volume = p[1] & 0x3f;
  e.duration = load16(p + 2);
  return e;
}

std::optional<TelephoneEventPacket> parseTelephoneEventPacket(ByteView rtpPacket, uint8_t payloadType) {
  const auto header = rtp::RtpHeaderView::parse(rtpPacket);
  if (!header || header->payloadType() != payloadType) return std::nullopt;
  const auto event = parseTelephoneEvent(header->payload());
  if (!event) return std::nullopt;
  TelephoneEventPacket out;
  out.event = *event;
  out.ssrc = header->ssrc();
  out.timestamp = header->timestamp();
  out.sequenceNumber = header->sequenceNumber();
  out.marker = header->marker();
  return out;
}

void writeTelephoneEvent(std::span<uint8_t, kTelephoneEventSize> out, const TelephoneEvent& event) {
  out[0] = event.event;
  out[1] = uint8_t((event.end ? 0x80 : 0x00) | (event.volume & kMaxVolume));
  store16(out.data() + 2, event.duration);
}

void writeTelephoneEventPacket(std::span<uint8_t, kTelephoneEventPacketSize> out, const RtpFields& rtp,
                               const TelephoneEvent& event) {
  out[0] = 0x80;  // V=2, P=0, X=0, CC=0
  out[1] = uint8_t((rtp.marker ? 0x80 : 0x00) | (rtp.payloadType & 0x7f));
  store16(out.data() + 2, rtp.sequenceNumber);
  store32(out.data() + 4, rtp.timestamp);
  store32(out.data() + 8, rtp.ssrc);
  writeTelephoneEvent(out.subspan<12, kTelephoneEventSize>(), event);
}

std::optional<uint8_t> eventForDigit(char digit) {
  if (digit >= '0' && digit <= '9') return uint8_t(digit - '0');
  if (digit == '*') return uint8_t(10);
  if (digit == '#') return uint8_t(11);
  if (digit >= 'A' && digit <= 'D') return uint8_t(12 + (digit - 'A'));
  if (digit >= 'a' && digit <= 'd') return uint8_t(12 + (digit - 'a'));
  return std::nullopt;
}

char digitForEvent(uint8_t event) { return event <= kMaxDtmfEvent ? kDigits[event] : '\0'; }

}  // namespace callgate::media::dtmf

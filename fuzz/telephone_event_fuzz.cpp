// RFC 4733 telephone-event fuzzer: the payload parser must round-trip through the writer;
// the packet parser must agree with the RTP header view; DtmfDetector and the forwarding
// side of DtmfInjector take any sequence of packets without reading or writing outside
// them. Input: a command byte (payload type, injector actions), then records of
// [length byte][packet bytes].
#include <array>
#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "media/dtmf/dtmf_detector.hpp"
#include "media/dtmf/dtmf_injector.hpp"
#include "media/dtmf/telephone_event.hpp"
#include "media/rtp/rtp_packet.hpp"

using namespace callgate::media::dtmf;
using callgate::ByteView;

namespace {

void checkPayload(ByteView in) {
  const auto e = parseTelephoneEvent(in);
  if (!e) {
    if (in.size() >= kTelephoneEventSize) std::abort();
    return;
  }
  if (e->volume > kMaxVolume) std::abort();
  std::array<uint8_t, kTelephoneEventSize> out{};
  writeTelephoneEvent(out, *e);
  if (parseTelephoneEvent(out) != e) std::abort();
  // Only the reserved R bit may differ from the input.
  if (out[0] != in[0] || out[2] != in[2] || out[3] != in[3] || (out[1] | 0x40) != (in[1] | 0x40)) std::abort();
}

void checkPacket(ByteView in, uint8_t pt) {
  const auto p = parseTelephoneEventPacket(in, pt);
  const auto h = callgate::media::rtp::RtpHeaderView::parse(in);
  if (!p) return;
  if (!h || h->payloadType() != pt || h->payload().size() < kTelephoneEventSize) std::abort();
  if (p->timestamp != h->timestamp() || p->ssrc != h->ssrc() || p->sequenceNumber != h->sequenceNumber()) std::abort();
  const char digit = digitForEvent(p->event.event);
  if (digit != '\0' && eventForDigit(digit) != p->event.event) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  checkPayload(ByteView(data, size));
  if (size < 1) return 0;
  const uint8_t command = data[0];
  const uint8_t pt = command & 0x7f;
  checkPacket(ByteView(data + 1, size - 1), pt);

  boost::asio::io_context io;
  size_t injected = 0;
  DtmfInjector injector(io, [&](std::span<const uint8_t> p) {
    if (p.size() != kTelephoneEventPacketSize || !parseTelephoneEventPacket(p, 101)) std::abort();
    ++injected;
  });
  DtmfDetector detector;
  std::vector<uint8_t> copy;
  size_t offset = 1;
  size_t index = 0;
  while (offset < size) {
    const size_t length = std::min<size_t>(data[offset], size - offset - 1);
    const ByteView packet(data + offset + 1, length);
    offset += 1 + length;

    if (auto digit = detector.onPacket(packet, pt)) {
      if (!eventForDigit(*digit)) std::abort();
    }

    copy.assign(packet.begin(), packet.end());
    (void)injector.onForwarded(copy);
    if (copy.size() != packet.size()) std::abort();
    for (size_t i = 0; i < copy.size(); ++i) {
      if (copy[i] != packet[i] && i != 2 && i != 3) std::abort();  // only the sequence number changes
    }
    // Command bits: start a digit before the 1st/2nd packet, stop before the 3rd.
    ++index;
    if ((command & 0x80) && index == 1) (void)injector.send("1", 101, 8000);
    if ((command & 0x80) && index == 2) (void)injector.send("#x", 101, 8000);  // invalid: nothing queued
    if ((command & 0x80) && index == 3) injector.stop();
  }
  if ((command & 0x80) && index >= 1 && injected != 1) std::abort();
  return 0;
}

// RTP header view + RTCP compound walker + RFC 7983 demux fuzzer. Every view must stay
// inside the input; payload-type rewriting must keep the packet parseable.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "media/rtp/demux.hpp"
#include "media/rtp/payload_type_map.hpp"
#include "media/rtp/rtcp_packet.hpp"
#include "media/rtp/rtp_packet.hpp"

using namespace callgate::media::rtp;

namespace {
bool inside(callgate::ByteView part, const uint8_t* data, size_t size) {
  return part.empty() || (part.data() >= data && part.data() + part.size() <= data + size);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const callgate::ByteView in(data, size);
  (void)classifyPacket(in);

  if (auto v = RtpHeaderView::parse(in)) {
    if (!inside(v->payload(), data, size) || !inside(v->extension(), data, size)) std::abort();
    if (v->headerSize() + v->paddingSize() > size) std::abort();
    for (size_t i = 0; i < v->csrcCount(); ++i) (void)v->csrc(i);
    std::vector<uint8_t> copy(data, data + size);
    PayloadTypeMap map;
    map.set(v->payloadType(), uint8_t((v->payloadType() + 1) & 0x7f));
    if (!map.apply(copy)) std::abort();
    auto again = RtpHeaderView::parse(copy);
    if (!again || again->marker() != v->marker() || again->ssrc() != v->ssrc()) std::abort();
  }

  RtcpWalker walker(in);
  RtcpPacketView p;
  size_t total = 0;
  while (walker.next(p)) {
    if (!inside(p.packet, data, size) || !inside(p.body, data, size)) std::abort();
    if (p.body.size() + 4 > p.packet.size()) std::abort();
    (void)p.senderSsrc();
    total += p.packet.size();
  }
  if (!walker.error() && total != size) std::abort();
  return 0;
}

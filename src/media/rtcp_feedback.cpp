#include "media/rtcp_feedback.hpp"

#include <cstring>

#include "common/bytes.hpp"
#include "media/rtp/rtcp_packet.hpp"

namespace callgate::media {
namespace {

constexpr size_t kFeedbackFixed = 8;  // sender SSRC + media source SSRC (RFC 4585 §6.1)
constexpr size_t kFirEntry = 8;       // SSRC + seq nr + reserved (RFC 5104 §4.3.1.1)

enum class Verdict { Drop, Keep };

bool isReport(uint8_t type) { return type == kRtcpSr || type == kRtcpRr || type == kRtcpSdes || type == kRtcpBye; }
bool isPli(const rtp::RtcpPacketView& p) { return p.type == kRtcpPsfb && p.count == kFmtPli; }
// FIR: at least one entry and whole entries only.
bool isFir(const rtp::RtcpPacketView& p) {
  return p.type == kRtcpPsfb && p.count == kFmtFir && p.body.size() >= kFeedbackFixed + kFirEntry &&
         (p.body.size() - kFeedbackFixed) % kFirEntry == 0;
}

// Walks the compound in `buffer[0, length)` and calls `decide(view, body)` for each packet
// twice: first with body == nullptr to judge it, then, if kept, on the moved copy with `body`
// = its writable body to rewrite SSRCs. Kept packets are compacted to the front.
// The walker reads ahead of every write (kept packets only move towards the front), so the
// source bytes it parses next are never overwritten.
template <typename Decide>
RtcpFilterResult compact(std::span<uint8_t> buffer, size_t length, Decide&& decide) {
  RtcpFilterResult result;
  if (length > buffer.size()) length = buffer.size();
  rtp::RtcpWalker walker(ByteView(buffer.data(), length));
  rtp::RtcpPacketView view;
  size_t out = 0;
  while (walker.next(view)) {
    const size_t size = view.packet.size();
    uint8_t* dst = buffer.data() + out;
    const size_t bodyOffset = size_t(view.body.data() - view.packet.data());
    // Decide on the source bytes, then move and rewrite at the destination.
    uint8_t* src = const_cast<uint8_t*>(view.packet.data());
    if (decide(view, static_cast<uint8_t*>(nullptr)) == Verdict::Drop) {
      ++result.dropped;
      continue;
    }
    if (dst != src) std::memmove(dst, src, size);
    // Rewrite pass on the moved copy: the source may overlap it, so read from it too.
    rtp::RtcpPacketView moved = view;
    moved.packet = ByteView(dst, size);
    moved.body = ByteView(dst + bodyOffset, view.body.size());
    (void)decide(moved, dst + bodyOffset);
    if (isPli(view) || isFir(view)) ++result.keyframeRequests;
    out += size;
  }
  if (walker.error()) {
    result = RtcpFilterResult{};
    result.malformed = true;
    return result;
  }
  // RFC 4585 §3.1: keep the compound form (RR first) when feedback would lead.
  if (out >= 8 && buffer[1] != kRtcpSr && buffer[1] != kRtcpRr && buffer.size() - out >= kEmptyRrSize) {
    const uint32_t sender = load32(buffer.data() + 4);
    std::memmove(buffer.data() + kEmptyRrSize, buffer.data(), out);
    buffer[0] = 0x80;  // V=2, P=0, RC=0
    buffer[1] = kRtcpRr;
    store16(buffer.data() + 2, 1);  // length in words - 1
    store32(buffer.data() + 4, sender);
    out += kEmptyRrSize;
  }
  result.length = out;
  return result;
}

}  // namespace

RtcpFilterResult filterBrowserRtcp(std::span<uint8_t> buffer, size_t length, const BrowserRtcpRoute& route) {
  const bool canTranslate = route.announcedSsrc != 0 && route.peerSsrc != 0;
  bool asked = false;
  auto result = compact(buffer, length, [&](const rtp::RtcpPacketView& p, uint8_t* body) {
    if (isReport(p.type)) return route.keepReports ? Verdict::Keep : Verdict::Drop;
    if (isPli(p)) {
      if (route.announcedSsrc == 0 || load32(p.body.data() + 4) != route.announcedSsrc) return Verdict::Drop;  // another m-line's
      asked = true;
      if (!canTranslate) return Verdict::Drop;
      if (body) store32(body + 4, route.peerSsrc);
      return Verdict::Keep;
    }
    if (isFir(p)) {
      // RFC 5104 §4.3.1.2: the media source SSRC field is unused (0); the entries name the
      // streams. Kept when one of them is this m-line's.
      bool ours = false;
      for (size_t at = kFeedbackFixed; at + kFirEntry <= p.body.size(); at += kFirEntry) {
        if (route.announcedSsrc == 0 || load32(p.body.data() + at) != route.announcedSsrc) continue;
        ours = true;
        if (body && canTranslate) store32(body + at, route.peerSsrc);
      }
      if (!ours) return Verdict::Drop;
      asked = true;
      if (!canTranslate) return Verdict::Drop;
      if (body && load32(p.body.data() + 4) == route.announcedSsrc) store32(body + 4, route.peerSsrc);
      return Verdict::Keep;
    }
    return Verdict::Drop;  // REMB, transport-cc, NACK, APP, XR, ...: terminated here
  });
  result.keyframeAsked = asked && !result.malformed;
  return result;
}

RtcpFilterResult filterSipRtcp(std::span<uint8_t> buffer, size_t length, uint32_t announcedSsrc) {
  return compact(buffer, length, [&](const rtp::RtcpPacketView& p, uint8_t* body) {
    if (!isPli(p) && !isFir(p)) return Verdict::Drop;
    if (body && announcedSsrc) store32(body, announcedSsrc);
    return Verdict::Keep;
  });
}

size_t writePliCompound(std::span<uint8_t> out, uint32_t senderSsrc, uint32_t mediaSsrc) {
  if (out.size() < kPliCompoundSize) return 0;
  uint8_t* p = out.data();
  p[0] = 0x80;  // V=2, RC=0
  p[1] = kRtcpRr;
  store16(p + 2, 1);
  store32(p + 4, senderSsrc);
  p += kEmptyRrSize;
  p[0] = 0x80 | kFmtPli;
  p[1] = kRtcpPsfb;
  store16(p + 2, 2);  // 12 bytes: header, sender SSRC, media source SSRC (no FCI)
  store32(p + 4, senderSsrc);
  store32(p + 8, mediaSsrc);
  return kPliCompoundSize;
}

}  // namespace callgate::media

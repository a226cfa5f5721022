// libFuzzer target for the SDP parser, writer and offer/answer mapping.
// - parse arbitrary bytes; whatever parses must write and re-parse to the same text;
// - a parsed description used as a browser offer must not crash buildSipOffer, and every
//   SIP offer or WebRTC answer the builders return must itself parse;
// - a parsed description used as the SIP answer to a fixed Chromium offer likewise;
// - a parsed description used as an incoming SIP offer: buildWebRtcOffer, then
//   buildSipAnswer with that WebRTC offer standing in for the browser's answer.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "sdp/parser.hpp"
#include "sdp/sip_answer.hpp"
#include "sdp/sip_offer.hpp"
#include "sdp/webrtc_answer.hpp"
#include "sdp/webrtc_offer.hpp"
#include "sdp/writer.hpp"

namespace {

using namespace callgate::sdp;

constexpr std::string_view kChromeOffer =
    "v=0\r\no=- 5433400392776085496 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
    "a=group:BUNDLE 0 1\r\na=msid-semantic: WMS s\r\n"
    "m=audio 9 UDP/TLS/RTP/SAVPF 111 9 0 8 110 126\r\nc=IN IP4 0.0.0.0\r\n"
    "a=ice-ufrag:+1Fm\r\na=ice-pwd:YlWP7Jx9xQ75BmtNQGasoG6l\r\n"
    "a=fingerprint:sha-256 14:4E:02:A7\r\na=setup:actpass\r\na=mid:0\r\na=sendrecv\r\n"
    "a=msid:s a\r\na=rtcp-mux\r\na=rtpmap:111 opus/48000/2\r\n"
    "a=fmtp:111 minptime=10;useinbandfec=1\r\na=rtpmap:9 G722/8000\r\n"
    "a=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:110 telephone-event/48000\r\n"
    "a=rtpmap:126 telephone-event/8000\r\n"
    "m=video 9 UDP/TLS/RTP/SAVPF 96 102\r\nc=IN IP4 0.0.0.0\r\na=mid:1\r\na=sendrecv\r\n"
    "a=rtcp-mux\r\na=rtpmap:96 VP8/90000\r\na=rtcp-fb:96 nack pli\r\n"
    "a=rtpmap:102 H264/90000\r\na=fmtp:102 packetization-mode=1;profile-level-id=42e01f\r\n";

void check(bool ok) {
  if (!ok) std::abort();
}

void mustReparse(const SessionDescription& sdp) { check(parse(write(sdp)).ok()); }

SipOfferParams sipParams() {
  SipOfferParams p;
  p.localIp = "203.0.113.1";
  for (uint16_t i = 0; i < 32; ++i) p.ports.push_back(static_cast<uint16_t>(40000 + 2 * i));
  p.offerVideo = true;
  return p;
}

template <class P>
P localParams() {
  P p;
  p.iceUfrag = "cgUf";
  p.icePwd = "callgateIcePassword0123";
  p.fingerprint = "3A:96";
  p.candidateIp = "203.0.113.1";
  p.candidatePort = 50000;
  p.streamId = "callgate";
  p.ssrcs = {1, 2, 3};
  return p;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto first = parse(text);
  if (!first.ok()) return 0;

  const std::string written = write(*first);
  auto second = parse(written, ParseLimits{1 << 20, 1 << 16, 1 << 16, 1024});
  check(second.ok());
  check(write(*second) == written);
  if (!first->timings.empty()) check(*second == *first);  // writer adds t=0 0 otherwise

  static const SipOfferParams kSip = sipParams();
  static const auto kAnswer = localParams<WebRtcAnswerParams>();
  if (auto offer = buildSipOffer(*first, kSip); offer.ok()) {
    mustReparse(offer->sdp);
    // The SIP side echoing our offer back as its answer.
    if (auto a = buildWebRtcAnswer(*first, offer->sdp, kAnswer); a.ok()) {
      mustReparse(a->sdp);
      check(a->plans.size() == first->media.size());
    }
  }
  static const auto kBrowser = parse(kChromeOffer);
  check(kBrowser.ok());
  if (auto a = buildWebRtcAnswer(*kBrowser, *first, kAnswer); a.ok()) {
    mustReparse(a->sdp);
    check(a->sdp.media.size() == kBrowser->media.size());
  }

  static const auto kOffer = [] {
    auto p = localParams<WebRtcOfferParams>();
    p.offerVideo = true;
    return p;
  }();
  if (auto offer = buildWebRtcOffer(*first, kOffer); offer.ok()) {
    mustReparse(offer->sdp);
    check(offer->sdp.media.size() == first->media.size());
    SipAnswerParams sp;
    sp.localIp = kSip.localIp;
    sp.ports = kSip.ports;
    if (auto a = buildSipAnswer(*first, offer->sdp, sp); a.ok()) {
      mustReparse(a->sdp);
      check(a->plans.size() == first->media.size());
    }
  }
  return 0;
}

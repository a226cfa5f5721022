#include "sdp/webrtc_offer.hpp"

#include <algorithm>

#include "sdp/sip_offer.hpp"

namespace callgate::sdp {

namespace detail {

bool isPlainRtp(const MediaDescription& m) { return m.proto == "RTP/AVP" || m.proto == "RTP/AVPF"; }

std::vector<Codec> sipCompatibleCodecs(const MediaDescription& m) {
  std::vector<Codec> out;
  for (auto& c : codecs(m)) {
    if (isSipCompatible(c, m.media)) out.push_back(std::move(c));
  }
  return out;
}

bool hasMediaCodec(const std::vector<Codec>& list) {
  return std::any_of(list.begin(), list.end(),
                     [](const Codec& c) { return !c.is("telephone-event"); });
}

}  // namespace detail

namespace {

// Payload types across a BUNDLE group must name one codec each (RFC 8843 §9.1.2; Chrome
// rejects "codec collision"), and with rtcp-mux 64-95 are off limits (RFC 5761 §4). SIP
// offers reuse numbers per m-line (opus 96 and VP8 96), so numbers are kept where possible
// and otherwise moved to a free dynamic one.
class PtAllocator {
 public:
  // The PT to use for `c` in the bundle.
  std::optional<uint8_t> assign(const Codec& c) {
    for (const auto& [pt, codec] : used_) {
      if (pt == c.pt && sameFormat(codec, c) && codec.fmtp == c.fmtp) return pt;
    }
    if (isFree(c.pt) && !(c.pt >= 64 && c.pt <= 95)) return take(c.pt, c);
    for (int pt = 96; pt <= 127; ++pt) {
      if (isFree(static_cast<uint8_t>(pt))) return take(static_cast<uint8_t>(pt), c);
    }
    for (int pt = 35; pt <= 63; ++pt) {
      if (isFree(static_cast<uint8_t>(pt))) return take(static_cast<uint8_t>(pt), c);
    }
    return std::nullopt;
  }

 private:
  bool isFree(uint8_t pt) const {
    for (const auto& u : used_) {
      if (u.first == pt) return false;
    }
    return true;
  }
  uint8_t take(uint8_t pt, const Codec& c) {
    used_.emplace_back(pt, c);
    return pt;
  }
  std::vector<std::pair<uint8_t, Codec>> used_;
};

}  // namespace

Result<WebRtcOffer> buildWebRtcOffer(const SessionDescription& sipOffer,
                                     const WebRtcOfferParams& params) {
  if (auto bad = detail::checkLocalParams(params)) {
    return makeError("Invalid offer parameters: " + *bad);
  }
  WebRtcOffer out;
  SessionDescription& sdp = out.sdp;
  sdp = detail::localSession(params);
  std::vector<std::string> bundle;
  PtAllocator pts;

  for (size_t i = 0; i < sipOffer.media.size(); ++i) {
    const MediaDescription& in = sipOffer.media[i];
    const std::string midValue = std::to_string(i);
    const bool wanted = in.port != 0 && detail::isPlainRtp(in) &&
                        (in.media == "audio" || (in.media == "video" && params.offerVideo));
    std::vector<Codec> chosen;
    if (wanted) {
      for (auto& c : detail::sipCompatibleCodecs(in)) {
        if (auto pt = pts.assign(c)) {
          c.pt = *pt;
          chosen.push_back(std::move(c));
        }
      }
    }

    MediaDescription m;
    m.media = in.media;
    m.proto = in.isRtp() ? "UDP/TLS/RTP/SAVPF" : in.proto;
    if (!detail::hasMediaCodec(chosen)) {
      m.port = 0;
      m.connection = Connection{"IN", addrTypeOf(params.candidateIp), params.candidateIp};
      m.formats.push_back(in.formats.empty() ? std::string("0") : in.formats.front());
      m.add("mid", midValue);
      sdp.media.push_back(std::move(m));
      out.offered.push_back(false);
      continue;
    }
    m.port = params.candidatePort;
    detail::addLocalTransport(m, params);
    m.add("mid", midValue);
    bundle.push_back(midValue);
    setDirection(m, direction(sipOffer, in));
    const std::string msidValue = detail::addMsid(m, params, i);
    m.add("rtcp-mux");
    for (auto& c : chosen) {
      c.rtcpFb.clear();
      // Ask the browser for the feedback the relay translates for SIP video peers.
      if (in.media == "video") c.rtcpFb = {"ccm fir", "nack", "nack pli"};
      appendCodec(m, c, /*withRtcpFb=*/true);
    }
    detail::addSsrc(m, params, i, msidValue);
    sdp.media.push_back(std::move(m));
    out.offered.push_back(true);
  }
  if (bundle.empty()) return makeError("No common codecs");
  detail::finishSession(sdp, params, bundle);
  return out;
}

}  // namespace callgate::sdp

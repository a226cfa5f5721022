#include "sdp/sip_offer.hpp"

#include <array>
#include <charconv>

#include "sdp/attributes.hpp"
#include "sdp/codec.hpp"

namespace callgate::sdp {

std::string addrTypeOf(std::string_view address) {
  return address.find(':') != std::string_view::npos ? "IP6" : "IP4";
}

namespace {

// A disabled stream keeps its media type so positions stay aligned (RFC 3264 §8.2); an
// RTP stream is declared RTP/AVP so that SIP peers that only know that profile accept the
// description, other protocols (data channels) keep theirs.
MediaDescription rejectedMedia(const MediaDescription& in) {
  MediaDescription m;
  m.media = in.media;
  m.port = 0;
  m.proto = in.isRtp() ? "RTP/AVP" : in.proto;
  if (!in.formats.empty()) m.formats.push_back(in.formats.front());
  if (m.formats.empty()) m.formats.push_back("0");
  return m;
}

// callgate makes RFC 4733 events itself (sendDtmf type RFC2833) and reads the SIP side's
// (notifyDtmf), so an audio offer carries telephone-event/8000 even when the client's did
// not (the C++ SDK's webrtcbin offers PCMU alone): PT 101, or the first dynamic PT (RFC 3551
// §3) the client does not use. The client never sees it: the answer to the client lists only
// what it offered, and SIP packets of this PT are not relayed (buildWebRtcAnswer).
std::optional<Codec> gatewayTelephoneEvent(const MediaDescription& in, const std::vector<Codec>& chosen) {
  for (const auto& c : chosen)
    if (c.is("telephone-event")) return std::nullopt;
  std::array<bool, 128> used{};
  for (const auto& f : in.formats) {
    unsigned pt = 0;
    auto [end, ec] = std::from_chars(f.data(), f.data() + f.size(), pt);
    if (ec == std::errc() && end == f.data() + f.size() && pt < used.size()) used[pt] = true;
  }
  uint8_t pt = 101;
  for (unsigned p = 96; used[pt] && p < 128; ++p) pt = static_cast<uint8_t>(p);
  if (used[pt]) return std::nullopt;
  return Codec{pt, "telephone-event", 8000, 1, std::string("0-16"), {}};
}

}  // namespace

SessionDescription sipSessionSkeleton(const std::string& username, uint64_t sessionId, uint64_t sessionVersion,
                                      const std::string& localIp) {
  SessionDescription sdp;
  const std::string addrType = addrTypeOf(localIp);
  sdp.origin = Origin{username, std::to_string(sessionId), std::to_string(sessionVersion), "IN", addrType, localIp};
  sdp.sessionName = "callgate";
  sdp.connection = Connection{"IN", addrType, localIp};
  sdp.timings.push_back(Timing{});
  return sdp;
}

Result<SipOffer> buildSipOffer(const SessionDescription& browserOffer,
                               const SipOfferParams& params) {
  if (browserOffer.media.empty()) return makeError("Offer has no m-line");
  if (params.ports.size() < browserOffer.media.size()) {
    return makeError("Not enough RTP ports for the offer's m-lines");
  }
  if (params.localIp.empty()) return makeError("No local IP for the SIP offer");

  SipOffer out;
  out.sdp = sipSessionSkeleton(params.username, params.sessionId, params.sessionVersion, params.localIp);
  SessionDescription& sdp = out.sdp;

  bool anyOffered = false;
  for (size_t i = 0; i < browserOffer.media.size(); ++i) {
    const MediaDescription& in = browserOffer.media[i];
    out.sipIndexForBrowser.push_back(i);

    const bool wanted = in.port != 0 && in.isRtp() &&
                        (in.media == "audio" || (in.media == "video" && params.offerVideo));
    std::vector<Codec> chosen;
    if (wanted) {
      for (auto& c : codecs(in)) {
        if (isSipCompatible(c, in.media)) chosen.push_back(std::move(c));
      }
    }
    // telephone-event alone cannot carry a call.
    bool hasMediaCodec = false;
    for (const auto& c : chosen) hasMediaCodec = hasMediaCodec || !c.is("telephone-event");
    if (!hasMediaCodec || params.ports[i] == 0) {
      sdp.media.push_back(rejectedMedia(in));
      out.offered.push_back(false);
      continue;
    }

    MediaDescription m;
    m.media = in.media;
    m.port = params.ports[i];
    m.proto = "RTP/AVP";
    for (const auto& c : chosen) appendCodec(m, c, /*withRtcpFb=*/false);
    if (in.media == "audio") {
      if (auto events = gatewayTelephoneEvent(in, chosen)) appendCodec(m, *events, /*withRtcpFb=*/false);
    }
    if (params.rtcpAttribute && m.port < 65535) m.add("rtcp", std::to_string(m.port + 1));
    if (in.media == "audio" && params.ptime) m.add("ptime", std::to_string(*params.ptime));
    setDirection(m, direction(browserOffer, in));
    sdp.media.push_back(std::move(m));
    out.offered.push_back(true);
    anyOffered = true;
  }
  if (!anyOffered) return makeError("No SIP-compatible codecs in offer");
  return out;
}

}  // namespace callgate::sdp

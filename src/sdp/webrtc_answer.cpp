#include "sdp/webrtc_answer.hpp"

#include <algorithm>

#include "sdp/codec.hpp"
#include "sdp/plan_builder.hpp"
#include "sdp/sip_offer.hpp"

namespace callgate::sdp {
namespace {

// The offer's SIP-compatible codecs: exactly what buildSipOffer put in the SIP offer.
std::vector<Codec> offeredToSip(const MediaDescription& m) {
  std::vector<Codec> out;
  for (auto& c : codecs(m)) {
    if (isSipCompatible(c, m.media)) out.push_back(std::move(c));
  }
  return out;
}

bool hasMediaCodec(const std::vector<CodecMatch>& matches) {
  return std::any_of(matches.begin(), matches.end(),
                     [](const CodecMatch& m) { return !m.answer.is("telephone-event"); });
}

}  // namespace

Result<WebRtcAnswer> buildWebRtcAnswer(const SessionDescription& browserOffer,
                                       const SessionDescription& sipAnswer,
                                       const WebRtcAnswerParams& params) {
  if (auto bad = detail::checkLocalParams(params)) {
    return makeError("Invalid answer parameters: " + *bad);
  }

  WebRtcAnswer out;
  SessionDescription& sdp = out.sdp;
  sdp = detail::localSession(params);
  const auto offeredBundle = bundleGroup(browserOffer);
  std::vector<std::string> answerBundle;

  bool anyActive = false;
  for (size_t i = 0; i < browserOffer.media.size(); ++i) {
    const MediaDescription& in = browserOffer.media[i];
    const MediaDescription* sip = i < sipAnswer.media.size() ? &sipAnswer.media[i] : nullptr;
    MediaPlan plan;
    plan.index = i;
    plan.media = in.media;
    plan.mid = mid(in);

    std::vector<CodecMatch> matches;
    const Connection* sipConn = nullptr;
    if (sip && sip->port != 0 && in.port != 0 && in.isRtp() && sip->media == in.media) {
      matches = matchCodecs(codecs(*sip), offeredToSip(in));
      sipConn = sipAnswer.connectionFor(*sip);
      if (hasMediaCodec(matches) && !sipConn) {
        return makeError("SIP answer has no c= address for m-line " + std::to_string(i));
      }
    }

    MediaDescription m;
    m.media = in.media;
    m.proto = in.proto;
    if (!hasMediaCodec(matches)) {
      // Rejected (RFC 3264 §6): port 0, any one offered format, mid kept (RFC 8843 §7.3.3).
      m.port = 0;
      m.connection = Connection{"IN", addrTypeOf(params.candidateIp), params.candidateIp};
      m.formats.push_back(in.formats.empty() ? std::string("0") : in.formats.front());
      if (plan.mid) m.add("mid", *plan.mid);
      sdp.media.push_back(std::move(m));
      out.plans.push_back(std::move(plan));
      continue;
    }

    plan.active = true;
    anyActive = true;
    detail::setSipRemote(plan, *sipConn, *sip);
    detail::setDirections(plan, direction(browserOffer, in), direction(sipAnswer, *sip));
    for (const auto& mt : matches) detail::addCodecMapping(plan, mt.offer, mt.answer);
    detail::acceptBrowserPtsFromSip(plan);
    if (in.media == "audio" && !plan.sipTelephoneEventPt) {
      // The telephone-event buildSipOffer added for callgate itself (the client did not
      // offer one): callgate sends and reads these events; they stay off the client's answer.
      for (const auto& c : codecs(*sip)) {
        if (c.is("telephone-event") && c.clockRate == 8000) {
          plan.sipTelephoneEventPt = c.pt;
          break;
        }
      }
    }

    m.port = params.candidatePort;
    detail::addLocalTransport(m, params);
    if (plan.mid) {
      m.add("mid", *plan.mid);
      if (offeredBundle && std::find(offeredBundle->ids.begin(), offeredBundle->ids.end(),
                                     *plan.mid) != offeredBundle->ids.end()) {
        answerBundle.push_back(*plan.mid);
      }
    }
    setDirection(m, plan.browserDirection);
    const std::string msidValue = detail::addMsid(m, params, i);
    m.add("rtcp-mux");
    for (const auto& mt : matches) {
      Codec c = mt.offer;  // the browser's PT number and name
      c.rtcpFb.clear();
      if (in.media == "video") {
        for (const auto& fb : mt.offer.rtcpFb) {
          if (detail::keepVideoFeedback(fb)) c.rtcpFb.push_back(fb);
        }
      }
      // fmtp says what we want to receive, i.e. what the SIP peer wants (RFC 3264 §6.1);
      // H.264 keeps the browser's line so its profile still matches what was offered.
      if (!c.is("H264")) c.fmtp = mt.answer.fmtp;
      appendCodec(m, c, /*withRtcpFb=*/true);
    }
    plan.localSsrc = detail::addSsrc(m, params, i, msidValue);
    sdp.media.push_back(std::move(m));
    out.plans.push_back(std::move(plan));
  }
  if (!anyActive) return makeError("No common codecs");
  detail::finishSession(sdp, params, answerBundle);
  return out;
}

}  // namespace callgate::sdp

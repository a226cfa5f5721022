#include "sdp/sip_answer.hpp"

#include "sdp/codec.hpp"
#include "sdp/plan_builder.hpp"
#include "sdp/sip_offer.hpp"
#include "sdp/webrtc_offer.hpp"

namespace callgate::sdp {

Result<SipAnswer> buildSipAnswer(const SessionDescription& sipOffer,
                                 const SessionDescription& browserAnswer,
                                 const SipAnswerParams& params) {
  if (sipOffer.media.empty()) return makeError("Offer has no m-line");
  if (params.ports.size() < sipOffer.media.size()) {
    return makeError("Not enough RTP ports for the offer's m-lines");
  }
  if (params.localIp.empty()) return makeError("No local IP for the SIP answer");

  SipAnswer out;
  out.sdp = sipSessionSkeleton(params.username, params.sessionId, params.sessionVersion, params.localIp);
  SessionDescription& sdp = out.sdp;

  bool anyActive = false;
  for (size_t i = 0; i < sipOffer.media.size(); ++i) {
    const MediaDescription& in = sipOffer.media[i];
    const MediaDescription* b = i < browserAnswer.media.size() ? &browserAnswer.media[i] : nullptr;
    MediaPlan plan;
    plan.index = i;
    plan.media = in.media;

    std::vector<CodecMatch> matches;  // answer = browser, offer = SIP
    if (b && b->port != 0 && in.port != 0 && params.ports[i] != 0 && b->media == in.media &&
        detail::isPlainRtp(in)) {
      plan.mid = mid(*b);
      matches = matchCodecs(codecs(*b), detail::sipCompatibleCodecs(in));
    }
    bool media = false;
    for (const auto& mt : matches) media = media || !mt.answer.is("telephone-event");
    const Connection* sipConn = sipOffer.connectionFor(in);
    if (media && !sipConn) {
      return makeError("SIP offer has no c= address for m-line " + std::to_string(i));
    }

    MediaDescription m;
    m.media = in.media;
    m.proto = in.proto;
    if (!media) {
      m.port = 0;
      m.formats.push_back(in.formats.empty() ? std::string("0") : in.formats.front());
      sdp.media.push_back(std::move(m));
      out.plans.push_back(std::move(plan));
      continue;
    }

    plan.active = true;
    anyActive = true;
    detail::setSipRemote(plan, *sipConn, in);
    detail::setDirections(plan, direction(browserAnswer, *b), direction(sipOffer, in));
    for (const auto& mt : matches) detail::addCodecMapping(plan, mt.answer, mt.offer);

    m.port = params.ports[i];
    for (const auto& mt : matches) {
      Codec c = mt.offer;  // the SIP offer's PT number and name
      if (!c.is("H264")) c.fmtp = mt.answer.fmtp;
      appendCodec(m, c, /*withRtcpFb=*/false);
    }
    if (in.media == "audio" && !plan.sipTelephoneEventPt) {
      // The client answered without telephone-event (the C++ SDK's webrtcbin answers PCMU
      // alone): accept the SIP offer's telephone-event/8000 for callgate itself, which sends
      // (sendDtmf RFC2833) and reads (notifyDtmf) RFC 4733 events; not relayed to the client.
      for (const auto& c : detail::sipCompatibleCodecs(in)) {
        if (c.is("telephone-event") && c.clockRate == 8000) {
          appendCodec(m, c, /*withRtcpFb=*/false);
          plan.sipTelephoneEventPt = c.pt;
          break;
        }
      }
    }
    if (params.rtcpAttribute && m.port < 65535) m.add("rtcp", std::to_string(m.port + 1));
    if (in.media == "audio" && params.ptime) m.add("ptime", std::to_string(*params.ptime));
    // Our direction toward SIP: we send what the browser sends, take what the browser takes.
    setDirection(m, makeDirection(plan.relayBrowserToSip, plan.relaySipToBrowser));
    sdp.media.push_back(std::move(m));
    out.plans.push_back(std::move(plan));
  }
  if (!anyActive) return makeError("No common codecs");
  return out;
}

}  // namespace callgate::sdp

#include "sdp/webrtc_answer.hpp"

#include <algorithm>

#include "sdp/codec.hpp"
#include "sdp/sip_offer.hpp"

namespace callgate::sdp {
namespace {

// ICE host candidate priority for the only candidate we announce: type preference 126,
// local preference 65535, component 1 (RFC 8445 §5.1.2.1).
constexpr uint32_t kHostPriority = 2130706431;

std::optional<std::string> checkParams(const WebRtcAnswerParams& p) {
  if (p.iceUfrag.size() < 4) return "ice-ufrag shorter than 4 characters";
  if (p.icePwd.size() < 22) return "ice-pwd shorter than 22 characters";
  if (p.fingerprint.empty() || p.fingerprintHash.empty()) return "no DTLS fingerprint";
  if (p.candidateIp.empty() || p.candidatePort == 0) return "no candidate address";
  if (p.streamId.empty()) return "no msid stream id";
  return std::nullopt;
}

// RTCP feedback the relay can honour on video (it translates PLI/FIR and NACK towards the
// SIP side); transport-cc and goog-remb need bandwidth estimation we do not run.
bool keepVideoFeedback(const std::string& fb) {
  return fb == "nack" || fb == "nack pli" || fb == "ccm fir";
}

// The offer's SIP-compatible codecs: exactly what buildSipOffer put in the SIP offer.
std::vector<Codec> offeredToSip(const MediaDescription& m) {
  std::vector<Codec> out;
  for (auto& c : codecs(m)) {
    if (isSipCompatible(c, m.media)) out.push_back(std::move(c));
  }
  return out;
}

void fillPlanCodecs(MediaPlan& plan, const std::vector<CodecMatch>& matches) {
  for (const auto& mt : matches) {
    plan.codecs.push_back(CodecMapping{mt.answer.name, mt.answer.clockRate, mt.answer.channels,
                                       mt.offer.pt, mt.answer.pt, mt.answer.fmtp});
    plan.sipToBrowserPt.set(mt.answer.pt, mt.offer.pt);
    plan.browserToSipPt.set(mt.offer.pt, mt.answer.pt);
    if (mt.answer.is("telephone-event")) {
      const bool better = !plan.browserTelephoneEventPt || mt.answer.clockRate == 8000;
      if (better) {
        plan.browserTelephoneEventPt = mt.offer.pt;
        plan.sipTelephoneEventPt = mt.answer.pt;
      }
    }
  }
  // The peer should send with the numbers we offered (= the browser's); accept those too
  // unless the answer reused the number for another codec.
  for (const auto& mt : matches) plan.sipToBrowserPt.setIfUnmapped(mt.offer.pt, mt.offer.pt);
}

bool hasMediaCodec(const std::vector<CodecMatch>& matches) {
  return std::any_of(matches.begin(), matches.end(),
                     [](const CodecMatch& m) { return !m.answer.is("telephone-event"); });
}

void addTransport(MediaDescription& m, const WebRtcAnswerParams& p) {
  m.add("candidate", formatCandidate(Candidate{"1", 1, "udp", kHostPriority, p.candidateIp,
                                               p.candidatePort, "host", {}, {}, {}}));
  m.add("end-of-candidates");
  m.add("ice-ufrag", p.iceUfrag);
  m.add("ice-pwd", p.icePwd);
  m.add("fingerprint", p.fingerprintHash + " " + p.fingerprint);
  m.add("setup", std::string(toString(p.setup)));
}

}  // namespace

Result<WebRtcAnswer> buildWebRtcAnswer(const SessionDescription& browserOffer,
                                       const SessionDescription& sipAnswer,
                                       const WebRtcAnswerParams& params) {
  if (auto bad = checkParams(params)) return makeError("Invalid answer parameters: " + *bad);

  WebRtcAnswer out;
  SessionDescription& sdp = out.sdp;
  const std::string addrType = addrTypeOf(params.candidateIp);
  sdp.origin = Origin{"-", std::to_string(params.sessionId), std::to_string(params.sessionVersion),
                      "IN", addrType, params.candidateIp};
  sdp.sessionName = "-";
  sdp.timings.push_back(Timing{});
  // ice-lite: the browser is always the controlling agent (RFC 8445 §6.1.1, protocol §5).
  sdp.add("ice-lite");
  const auto offeredBundle = bundleGroup(browserOffer);
  Group answerBundle{"BUNDLE", {}};

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
    m.connection = Connection{"IN", addrType, params.candidateIp};
    if (!hasMediaCodec(matches)) {
      // Rejected (RFC 3264 §6): port 0, any one offered format, mid kept (RFC 8843 §7.3.3).
      m.port = 0;
      m.formats.push_back(in.formats.empty() ? std::string("0") : in.formats.front());
      if (plan.mid) m.add("mid", *plan.mid);
      sdp.media.push_back(std::move(m));
      out.plans.push_back(std::move(plan));
      continue;
    }

    // Directions (RFC 3264 §6.1): relay each way only if the sender sends and the
    // receiver receives. c=0.0.0.0 is the RFC 2543 hold: the SIP peer takes nothing.
    plan.active = true;
    anyActive = true;
    plan.sipDirection = direction(sipAnswer, *sip);
    const Direction browserOfferDir = direction(browserOffer, in);
    const bool sipTakesMedia = sipConn->address != "0.0.0.0" && sipConn->address != "::";
    plan.relaySipToBrowser = sends(plan.sipDirection) && receives(browserOfferDir);
    plan.relayBrowserToSip = sends(browserOfferDir) && receives(plan.sipDirection) && sipTakesMedia;
    plan.browserDirection = makeDirection(plan.relaySipToBrowser, plan.relayBrowserToSip);

    plan.sipRemoteAddress = sipConn->address;
    plan.sipRemoteRtpPort = sip->port;
    plan.sipRemoteRtcpAddress = sipConn->address;
    plan.sipRemoteRtcpPort = sip->port < 65535 ? static_cast<uint16_t>(sip->port + 1) : 0;
    if (auto r = rtcp(*sip)) {
      plan.sipRemoteRtcpPort = r->port;
      if (r->connection) plan.sipRemoteRtcpAddress = r->connection->address;
    }
    fillPlanCodecs(plan, matches);

    m.port = params.candidatePort;
    addTransport(m, params);
    if (plan.mid) {
      m.add("mid", *plan.mid);
      if (offeredBundle && std::find(offeredBundle->ids.begin(), offeredBundle->ids.end(),
                                     *plan.mid) != offeredBundle->ids.end()) {
        answerBundle.ids.push_back(*plan.mid);
      }
    }
    setDirection(m, plan.browserDirection);
    const std::string trackId = i < params.trackIds.size() && !params.trackIds[i].empty()
                                    ? params.trackIds[i]
                                    : params.streamId + "-" + in.media + std::to_string(i);
    const std::string msidValue = params.streamId + " " + trackId;
    m.add("msid", msidValue);
    m.add("rtcp-mux");
    for (const auto& mt : matches) {
      Codec c = mt.offer;  // the browser's PT number and name
      c.rtcpFb.clear();
      if (in.media == "video") {
        for (const auto& fb : mt.offer.rtcpFb) {
          if (keepVideoFeedback(fb)) c.rtcpFb.push_back(fb);
        }
      }
      // fmtp says what we want to receive, i.e. what the SIP peer wants (RFC 3264 §6.1);
      // H.264 keeps the browser's line so its profile still matches what was offered.
      if (!c.is("H264")) c.fmtp = mt.answer.fmtp;
      appendCodec(m, c, /*withRtcpFb=*/true);
    }
    if (i < params.ssrcs.size() && params.ssrcs[i] != 0) {
      plan.localSsrc = params.ssrcs[i];
      const std::string ssrc = std::to_string(plan.localSsrc);
      m.add("ssrc", ssrc + " cname:" + (params.cname.empty() ? params.streamId : params.cname));
      m.add("ssrc", ssrc + " msid:" + msidValue);
    }
    sdp.media.push_back(std::move(m));
    out.plans.push_back(std::move(plan));
  }
  if (!anyActive) return makeError("No common codecs");
  if (!answerBundle.ids.empty()) {
    sdp.attributes.insert(sdp.attributes.begin() + 1, Attribute{"group", formatGroup(answerBundle)});
  }
  sdp.add("msid-semantic", " WMS " + params.streamId);
  return out;
}

}  // namespace callgate::sdp

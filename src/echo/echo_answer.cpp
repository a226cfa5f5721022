#include "echo/echo_answer.hpp"

#include "sdp/attributes.hpp"
#include "sdp/session_update.hpp"
#include "sdp/sip_offer.hpp"

namespace callgate::echo {

namespace {

// Payload formats that carry no media of their own (RFC 4733 events, RFC 3389 comfort
// noise, RFC 2198 redundancy, RFC 4588 retransmission, FEC): never the one codec we answer.
bool isAuxiliary(const sdp::Codec& c) {
  return c.is("telephone-event") || c.is("CN") || c.is("red") || c.is("rtx") || c.is("ulpfec") || c.is("flexfec-03") ||
         c.is("flexfec");
}

bool isPlainRtp(const sdp::MediaDescription& m) { return m.proto == "RTP/AVP" || m.proto == "RTP/AVPF"; }

}  // namespace

std::optional<EchoChoice> chooseEchoCodec(const sdp::MediaDescription& m) {
  if (m.port == 0 || !isPlainRtp(m) || (m.media != "audio" && m.media != "video")) return std::nullopt;
  auto all = sdp::codecs(m);
  std::optional<EchoChoice> choice;
  for (const auto& c : all) {
    if (!isAuxiliary(c)) {
      choice = EchoChoice{c, std::nullopt};
      break;
    }
  }
  if (!choice) return std::nullopt;
  if (m.media == "audio") {
    for (const auto& c : all) {
      if (c.is("telephone-event") && c.clockRate == choice->codec.clockRate) {
        choice->telephoneEvent = c;
        break;
      }
    }
  }
  return choice;
}

Result<sdp::SessionDescription> buildEchoAnswer(const sdp::SessionDescription& offer, const EchoAnswerParams& params) {
  if (params.localIp.empty()) return makeError("No local IP for the echo answer");
  if (params.ports.size() < offer.media.size()) return makeError("Not enough RTP ports for the offer's m-lines");
  sdp::SessionDescription answer =
      sdp::sipSessionSkeleton("callgate", params.sessionId, params.sessionVersion, params.localIp);
  answer.sessionName = "callgate echo";
  bool any = false;
  for (size_t i = 0; i < offer.media.size(); ++i) {
    const auto& in = offer.media[i];
    auto choice = chooseEchoCodec(in);
    sdp::MediaDescription m;
    m.media = in.media;
    m.proto = in.proto;
    if (!choice || params.ports[i] == 0) {
      m.port = 0;  // RFC 3264 §6: refused, but still one format from the offer
      m.formats.push_back(in.formats.empty() ? std::string("0") : in.formats.front());
      answer.media.push_back(std::move(m));
      continue;
    }
    any = true;
    m.port = params.ports[i];
    sdp::appendCodec(m, choice->codec, /*withRtcpFb=*/false);
    if (choice->telephoneEvent) sdp::appendCodec(m, *choice->telephoneEvent, false);
    if (sdp::rtcpMux(in)) {
      m.add("rtcp-mux");
    } else if (i < params.rtcpPorts.size() && params.rtcpPorts[i] != 0) {
      m.add("rtcp", std::to_string(params.rtcpPorts[i]));
    }
    if (auto ptime = sdp::ptime(in)) m.add("ptime", std::to_string(*ptime));
    sdp::setDirection(m, sdp::answerDirection(offer, in));
    answer.media.push_back(std::move(m));
  }
  if (!any) return makeError("No common codecs");
  return answer;
}

sdp::SessionDescription buildEchoOffer(const std::string& localIp, uint16_t port, uint16_t rtcpPort, uint64_t sessionId,
                                       uint64_t sessionVersion) {
  sdp::SessionDescription offer = sdp::sipSessionSkeleton("callgate", sessionId, sessionVersion, localIp);
  offer.sessionName = "callgate echo";
  sdp::MediaDescription m;
  m.media = "audio";
  m.port = port;
  m.proto = "RTP/AVP";
  sdp::appendCodec(m, sdp::Codec{0, "PCMU", 8000, 1, std::nullopt, {}}, false);
  sdp::appendCodec(m, sdp::Codec{8, "PCMA", 8000, 1, std::nullopt, {}}, false);
  sdp::appendCodec(m, sdp::Codec{9, "G722", 8000, 1, std::nullopt, {}}, false);
  sdp::appendCodec(m, sdp::Codec{101, "telephone-event", 8000, 1, std::string("0-16"), {}}, false);
  if (rtcpPort != 0) m.add("rtcp", std::to_string(rtcpPort));
  sdp::setDirection(m, sdp::Direction::SendRecv);
  offer.media.push_back(std::move(m));
  return offer;
}

bool echoSends(const sdp::SessionDescription& local, size_t index) {
  if (index >= local.media.size() || local.media[index].port == 0) return false;
  return sdp::sends(sdp::direction(local, local.media[index]));
}

bool echoExpectsMedia(const sdp::SessionDescription& local) {
  for (const auto& m : local.media) {
    if (m.port != 0 && sdp::receives(sdp::direction(local, m))) return true;
  }
  return false;
}

}  // namespace callgate::echo

#include "sdp/webrtc_local.hpp"

#include "sdp/sip_offer.hpp"

namespace callgate::sdp::detail {
namespace {
// ICE host candidate priority for the only candidate we announce: type preference 126,
// local preference 65535, component 1 (RFC 8445 §5.1.2.1).
constexpr uint32_t kHostPriority = 2130706431;
}  // namespace

std::optional<std::string> checkLocalParams(const WebRtcLocalParams& p) {
  if (p.iceUfrag.size() < 4) return "ice-ufrag shorter than 4 characters";
  if (p.icePwd.size() < 22) return "ice-pwd shorter than 22 characters";
  if (p.fingerprint.empty() || p.fingerprintHash.empty()) return "no DTLS fingerprint";
  if (p.candidateIp.empty() || p.candidatePort == 0) return "no candidate address";
  if (p.streamId.empty()) return "no msid stream id";
  return std::nullopt;
}

SessionDescription localSession(const WebRtcLocalParams& p) {
  SessionDescription sdp;
  sdp.origin = Origin{"-", std::to_string(p.sessionId), std::to_string(p.sessionVersion), "IN",
                      addrTypeOf(p.candidateIp), p.candidateIp};
  sdp.sessionName = "-";
  sdp.timings.push_back(Timing{});
  sdp.add("ice-lite");
  return sdp;
}

void addLocalTransport(MediaDescription& m, const WebRtcLocalParams& p) {
  m.connection = Connection{"IN", addrTypeOf(p.candidateIp), p.candidateIp};
  m.add("candidate", formatCandidate(Candidate{"1", 1, "udp", kHostPriority, p.candidateIp,
                                               p.candidatePort, "host", {}, {}, {}}));
  m.add("end-of-candidates");
  m.add("ice-ufrag", p.iceUfrag);
  m.add("ice-pwd", p.icePwd);
  m.add("fingerprint", p.fingerprintHash + " " + p.fingerprint);
  m.add("setup", std::string(toString(p.setup)));
}

std::string addMsid(MediaDescription& m, const WebRtcLocalParams& p, size_t index) {
  const std::string trackId = index < p.trackIds.size() && !p.trackIds[index].empty()
                                  ? p.trackIds[index]
                                  : p.streamId + "-" + m.media + std::to_string(index);
  std::string value = p.streamId + " " + trackId;
  m.add("msid", value);
  return value;
}

uint32_t addSsrc(MediaDescription& m, const WebRtcLocalParams& p, size_t index,
                 const std::string& msidValue) {
  if (index >= p.ssrcs.size() || p.ssrcs[index] == 0) return 0;
  const std::string ssrc = std::to_string(p.ssrcs[index]);
  m.add("ssrc", ssrc + " cname:" + (p.cname.empty() ? p.streamId : p.cname));
  m.add("ssrc", ssrc + " msid:" + msidValue);
  return p.ssrcs[index];
}

void finishSession(SessionDescription& sdp, const WebRtcLocalParams& p,
                   const std::vector<std::string>& bundleIds) {
  if (!bundleIds.empty()) {
    // After a=ice-lite, as browsers write it.
    sdp.attributes.insert(sdp.attributes.begin() + 1,
                          Attribute{"group", formatGroup(Group{"BUNDLE", bundleIds})});
  }
  sdp.add("msid-semantic", " WMS " + p.streamId);
}

bool keepVideoFeedback(const std::string& fb) {
  // Plain "nack" is not offered: the relay does not translate NACK (media/rtcp_feedback drops
  // it), and a browser told it may NACK waits for retransmissions that never come.
  return fb == "nack pli" || fb == "ccm fir";
}

}  // namespace callgate::sdp::detail

#pragma once
// What the gateway says about itself in SDP sent to a browser (an answer for outgoing
// calls, an offer for incoming ones): ICE-lite host candidate, ICE credentials, DTLS
// fingerprint and role, and the one MediaStream all its tracks belong to (protocol §5).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sdp/attributes.hpp"
#include "sdp/session_description.hpp"

namespace callgate::sdp {

struct WebRtcLocalParams {
  uint64_t sessionId = 0;  // o= sess-id
  uint64_t sessionVersion = 0;
  std::string iceUfrag;  // >= 4 chars (RFC 8839 §5.4)
  std::string icePwd;    // >= 22 chars
  std::string fingerprintHash = "sha-256";
  std::string fingerprint;  // "AB:CD:..." of our DTLS certificate
  Setup setup = Setup::Passive;  // passive in answers, actpass in offers (RFC 5763 §5)
  std::string candidateIp;       // our reachable address for the browser
  uint16_t candidatePort = 0;
  std::string streamId;               // the one msid stream id (token, e.g. a UUID)
  std::vector<std::string> trackIds;  // per m-line; missing/empty -> "<streamId>-<media><i>"
  std::string cname;                  // a=ssrc cname; empty -> streamId
  std::vector<uint32_t> ssrcs;        // per m-line SSRC we send to the browser; missing/0 -> none
};

namespace detail {

// nullopt when the params are usable, else what is wrong.
std::optional<std::string> checkLocalParams(const WebRtcLocalParams& p);
// v= o= s= t= and a=ice-lite (the browser is then always the controlling agent,
// RFC 8445 §6.1.1).
SessionDescription localSession(const WebRtcLocalParams& p);
// c=, one host a=candidate, a=end-of-candidates, a=ice-ufrag/pwd, a=fingerprint, a=setup.
void addLocalTransport(MediaDescription& m, const WebRtcLocalParams& p);
// a=msid:<stream> <track>; returns the msid value.
std::string addMsid(MediaDescription& m, const WebRtcLocalParams& p, size_t index);
// a=ssrc cname + msid when params give an SSRC for this m-line; returns it (0: none).
uint32_t addSsrc(MediaDescription& m, const WebRtcLocalParams& p, size_t index,
                 const std::string& msidValue);
// a=group:BUNDLE (if any ids) right after a=ice-lite, and a=msid-semantic.
void finishSession(SessionDescription& sdp, const WebRtcLocalParams& p,
                   const std::vector<std::string>& bundleIds);
// RTCP feedback the relay can honour on video: PLI and FIR (translated toward the SIP side).
// NACK is not relayed, and transport-cc / goog-remb need bandwidth estimation we do not run.
bool keepVideoFeedback(const std::string& fb);

}  // namespace detail
}  // namespace callgate::sdp

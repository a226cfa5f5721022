#pragma once
// Outgoing call, step 2: (browser offer, SIP answer) -> the WebRTC answer for the browser
// (sent once in setRemoteSDP, protocol §3.3/§5) and a MediaPlan per m-line for the relay.
// Pure function, no I/O.
//
// The answer has the browser offer's m-line count, order and mids (RFC 3264 §6, JSEP
// RFC 8829 §5.3.1). An m-line is accepted when the SIP answer accepted the m-line at the
// same index (port != 0, same media type) and at least one of its codecs matches a
// SIP-compatible codec of the browser offer (encoding name case-insensitively, clock
// rate, channels; H.264 also packetization-mode). Accepted m-lines list those codecs in
// the SIP answer's order but with the BROWSER's payload type numbers, since the answer
// must reuse the offer's numbers for the browser (RFC 8829 §5.3.1). Others get port 0,
// keep their a=mid and leave the BUNDLE group (RFC 8843 §7.3.3).
//
// Transport lines follow protocol §5: a=ice-lite (session), one host a=candidate and
// a=end-of-candidates, a=ice-ufrag/pwd, a=fingerprint, a=setup, a=rtcp-mux, and one common
// a=msid stream id on every m-line so the browser plays all tracks in one MediaStream.
#include <cstdint>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "sdp/attributes.hpp"
#include "sdp/media_plan.hpp"
#include "sdp/session_description.hpp"
#include "sdp/webrtc_local.hpp"

namespace callgate::sdp {

// The gateway's side of the answer (webrtc_local.hpp); setup defaults to passive.
struct WebRtcAnswerParams : WebRtcLocalParams {};

struct WebRtcAnswer {
  SessionDescription sdp;
  std::vector<MediaPlan> plans;  // one per m-line, same index as the browser offer
};

// Errors: invalid params ("Invalid answer parameters: ..."), a SIP answer m-line that is
// accepted but has no c= address, or no m-line with a common codec ("No common codecs").
Result<WebRtcAnswer> buildWebRtcAnswer(const SessionDescription& browserOffer,
                                       const SessionDescription& sipAnswer,
                                       const WebRtcAnswerParams& params);

}  // namespace callgate::sdp

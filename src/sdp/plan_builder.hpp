#pragma once
// Internal: filling a MediaPlan from negotiated descriptions, shared by the outgoing-call
// (webrtc_answer) and incoming-call (sip_answer) builders.
#include "sdp/codec.hpp"
#include "sdp/media_plan.hpp"

namespace callgate::sdp::detail {

// Records one agreed codec: its PT on each side, both PT maps, telephone-event PTs
// (/8000 preferred over /48000). `sip` is the SIP side's codec (name and fmtp kept).
void addCodecMapping(MediaPlan& plan, const Codec& browser, const Codec& sip);
// After all addCodecMapping calls: also accept, from SIP, the browser's PT numbers where
// they are free. We offer/answer SIP with numbers the peer may send instead of its own.
void acceptBrowserPtsFromSip(MediaPlan& plan);
// The SIP peer's RTP/RTCP destination from its m= line and applicable c= (RFC 3605 a=rtcp,
// else RTP port + 1 per RFC 3550 §11).
void setSipRemote(MediaPlan& plan, const Connection& conn, const MediaDescription& sip);
// Relay flags and the gateway's direction toward the browser, from the browser's own
// direction and the SIP peer's own direction (RFC 3264 §6.1). c=0.0.0.0 (RFC 2543 hold,
// RFC 3264 §8.4) means the SIP peer takes no media.
void setDirections(MediaPlan& plan, Direction browserOwn, Direction sipOwn);

}  // namespace callgate::sdp::detail

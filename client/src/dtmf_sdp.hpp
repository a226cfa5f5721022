#pragma once
// telephone-event (RFC 4733) in the SDK's SDP. callgate can only send RFC2833 DTMF to the
// SIP side when its SDP exchange with the client carries it (media_bridge: "The SIP side did
// not negotiate telephone-event"), whatever MediaEngine the app plugs in. So the SDK adds it
// to what it sends unless the engine's SDP has it (the GStreamer engine offers it at 8 and
// 48 kHz) and removes it from what it hands to the engine, which thus never sees it
// (callgate's relayed events would be dropped anyway; the app gets the digits as
// Call::onDtmf events instead). Pure text functions on the first
// audio m-line; other m-lines and the session part are left as they are.
#include <string>

namespace callgate::client::detail {

// The payload type of telephone-event/8000 in the first audio m-line, or -1.
int telephoneEventPt(const std::string& sdp);

// Adds telephone-event/8000 (events 0-15) to the first audio m-line unless it has it:
// payload type `preferredPt` if free there, else the first free one in 96..127.
std::string addTelephoneEvent(const std::string& sdp, int preferredPt = 101);

// Removes telephone-event (any rate) from the first audio m-line: format list, rtpmap, fmtp
// and rtcp-fb lines.
std::string removeTelephoneEvent(const std::string& sdp);

}  // namespace callgate::client::detail

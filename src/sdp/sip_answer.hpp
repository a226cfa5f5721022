#pragma once
// Incoming call, step 2: (SIP offer, the browser's answer to our WebRTC offer) -> the SIP
// answer for the 200 OK, and a MediaPlan per m-line for the relay. Pure function.
//
// One SIP m-line per SIP offer m-line (RFC 3264 §6). An m-line is accepted when the browser
// accepted the m-line at the same index and one of its codecs matches a SIP-compatible codec
// of the SIP offer; the answer then lists those codecs in the browser's order with the SIP
// offer's PT numbers (RFC 3264 §6.1), the browser's fmtp (what it wants to receive; H.264
// keeps the SIP offer's so the profile still matches), our address and the caller-allocated
// port, and the direction that results from both sides. Others get port 0.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "sdp/media_plan.hpp"
#include "sdp/session_description.hpp"

namespace callgate::sdp {

struct SipAnswerParams {
  std::string localIp;          // our RTP address for the SIP side
  std::vector<uint16_t> ports;  // RTP port per SIP offer m-line (RTCP = port + 1)
  uint64_t sessionId = 0;
  uint64_t sessionVersion = 0;
  std::string username = "callgate";
  bool rtcpAttribute = true;           // a=rtcp:<port+1> (RFC 3605)
  std::optional<uint32_t> ptime = 20;  // a=ptime on audio m-lines
};

struct SipAnswer {
  SessionDescription sdp;
  std::vector<MediaPlan> plans;  // one per SIP offer m-line, same index
};

// Errors: no m-line / fewer ports than m-lines / empty localIp, an accepted SIP offer m-line
// without c=, or nothing accepted ("No common codecs").
Result<SipAnswer> buildSipAnswer(const SessionDescription& sipOffer,
                                 const SessionDescription& browserAnswer,
                                 const SipAnswerParams& params);

}  // namespace callgate::sdp

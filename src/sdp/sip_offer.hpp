#pragma once
// Outgoing call, step 1: the browser's WebRTC offer -> the plain SIP offer the gateway puts
// in its INVITE. Pure function, no I/O.
//
// Every browser m-line yields one SIP m-line at the same index (RFC 3264 §8: m-lines are
// matched by position, so the indexes must stay aligned for the answer):
// - audio (and video when offerVideo) with SIP-compatible codecs (codec.hpp): RTP/AVP, the
//   browser's PT numbers and order, rtpmap + fmtp only (rtcp-fb, extmap, ssrc, ICE and DTLS
//   lines are WebRTC transport details the SIP side must not see), the browser's direction,
//   our address and the caller-allocated port;
// - anything else (no compatible codec, video when !offerVideo, data channels): port 0.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "sdp/session_description.hpp"

namespace callgate::sdp {

struct SipOfferParams {
  std::string localIp;          // our RTP address for the SIP side (IPv4 or IPv6)
  std::vector<uint16_t> ports;  // RTP port per browser m-line (RTCP = port + 1); one each
  uint64_t sessionId = 0;  // o= sess-id
  uint64_t sessionVersion = 0;
  std::string username = "callgate";  // o= username
  bool offerVideo = false;
  bool rtcpAttribute = true;        // add a=rtcp:<port+1> (RFC 3605)
  std::optional<uint32_t> ptime = 20;  // a=ptime on audio m-lines
};

struct SipOffer {
  SessionDescription sdp;
  // sipIndexForBrowser[i] = SIP m-line index for browser m-line i (identity today).
  std::vector<size_t> sipIndexForBrowser;
  // offered[i] = browser m-line i is offered with a real port (not 0).
  std::vector<bool> offered;
};

// Errors: no m-line, fewer ports than m-lines, empty localIp, or not a single m-line with a
// SIP-compatible codec ("No SIP-compatible codecs in offer").
Result<SipOffer> buildSipOffer(const SessionDescription& browserOffer,
                               const SipOfferParams& params);

// "IP6" if the address contains ':', else "IP4".
std::string addrTypeOf(std::string_view address);

// The session-level lines of a plain SIP-side description (our offer or our answer):
// o= with our address, s=callgate, c= our address, t=0 0; no media yet.
SessionDescription sipSessionSkeleton(const std::string& username, uint64_t sessionId, uint64_t sessionVersion,
                                      const std::string& localIp);

}  // namespace callgate::sdp

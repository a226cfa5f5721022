#pragma once
// The echo endpoint's side of offer/answer (RFC 3264): which m-lines of an offer it can echo
// and the answer it sends. Pure functions, no I/O.
//
// The echo never decodes media, so any RTP codec works: per audio/video m-line over plain
// RTP (RTP/AVP, RTP/AVPF) we answer the first offered media codec (not telephone-event, CN,
// red, rtx or FEC, which carry no media of their own) with the offer's PT number, plus the
// offer's telephone-event at the same clock rate when there is one (RFC 4733 §7.1.1), so
// DTMF comes back too. Everything else — SRTP profiles (no keys to offer), data channels,
// m-lines offered with port 0, m-lines without a codec — is refused with port 0 (§6).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "sdp/codec.hpp"
#include "sdp/session_description.hpp"

namespace callgate::echo {

// The codec we answer for one m-line and the telephone-event kept with it.
struct EchoChoice {
  sdp::Codec codec;
  std::optional<sdp::Codec> telephoneEvent;
};

// What the echo answers for m-line `m`; nullopt = refuse it (port 0).
std::optional<EchoChoice> chooseEchoCodec(const sdp::MediaDescription& m);

struct EchoAnswerParams {
  std::string localIp;              // c= and o= address (the advertised IP)
  std::vector<uint16_t> ports;      // RTP port per offer m-line; 0 = refuse that m-line
  std::vector<uint16_t> rtcpPorts;  // RTCP port per m-line (a=rtcp, RFC 3605); may be empty
  uint64_t sessionId = 0;
  uint64_t sessionVersion = 1;
};

// The answer: one m-line per offer m-line, same order (§6). Accepted m-lines carry the
// chosen codec(s), our port, a=rtcp-mux when offered (RFC 5761 §5.1.1) else a=rtcp:<port>,
// and the direction that mirrors the offer's (sendonly -> recvonly ..., §6.1).
// Errors: empty localIp, fewer ports than m-lines, or no m-line accepted ("No common codecs",
// answered 488).
Result<sdp::SessionDescription> buildEchoAnswer(const sdp::SessionDescription& offer, const EchoAnswerParams& params);

// Our offer for an INVITE without SDP (RFC 3261 §13.2.1 delayed offer): one audio m-line,
// PCMU, PCMA, G722 and telephone-event/8000 (PT 101), sendrecv, a=rtcp.
sdp::SessionDescription buildEchoOffer(const std::string& localIp, uint16_t port, uint16_t rtcpPort, uint64_t sessionId,
                                       uint64_t sessionVersion);

// True when the m-line of our answer (or offer) sends, i.e. the echo may send RTP back.
bool echoSends(const sdp::SessionDescription& local, size_t index);
// True when the peer is expected to send on any accepted m-line of our description (our
// direction receives): the media timeout applies only then.
bool echoExpectsMedia(const sdp::SessionDescription& local);

}  // namespace callgate::echo

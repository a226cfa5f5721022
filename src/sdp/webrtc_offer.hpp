#pragma once
// Incoming call, step 1: the SIP peer's offer (INVITE body) -> the WebRTC offer sent to the
// browser in setRemoteSDP before notifyIncomingCall (protocol §3.3, §4.6). Pure function.
//
// Every SIP m-line yields one WebRTC m-line at the same index, mid "<index>". Audio (and
// video when offerVideo) in RTP/AVP or RTP/AVPF with SIP-compatible codecs (codec.hpp) is
// offered as UDP/TLS/RTP/SAVPF with the SIP offer's PT numbers and fmtp, so RTP needs no PT
// rewriting in the common case; anything else gets port 0. The SIP direction is mirrored.
// Transport lines as in webrtc_local.hpp, with a=setup:actpass (RFC 5763 §5).
#include <vector>

#include "common/result.hpp"
#include "sdp/codec.hpp"
#include "sdp/session_description.hpp"
#include "sdp/webrtc_local.hpp"

namespace callgate::sdp {

struct WebRtcOfferParams : WebRtcLocalParams {
  WebRtcOfferParams() { setup = Setup::ActPass; }
  bool offerVideo = false;
};

struct WebRtcOffer {
  SessionDescription sdp;
  std::vector<bool> offered;  // offered[i]: SIP m-line i is offered to the browser (port != 0)
};

// Errors: invalid params, or no SIP m-line with a SIP-compatible codec ("No common codecs",
// answer the INVITE with 488).
Result<WebRtcOffer> buildWebRtcOffer(const SessionDescription& sipOffer,
                                     const WebRtcOfferParams& params);

namespace detail {
// RTP/AVP or RTP/AVPF: the profiles the gateway relays without SDES-SRTP (RFC 4568).
bool isPlainRtp(const MediaDescription& m);
// SIP-compatible codecs of an m-line (codec.hpp isSipCompatible), in m= order.
std::vector<Codec> sipCompatibleCodecs(const MediaDescription& m);
bool hasMediaCodec(const std::vector<Codec>& list);
}  // namespace detail

}  // namespace callgate::sdp

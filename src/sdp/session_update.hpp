#pragma once
// Mid-call offer/answer on the SIP side (hold, resume, the peer's re-INVITE) without touching
// the browser: the browser's PeerConnection is never renegotiated (protocol §4.7), so the
// codecs agreed at call setup stay, and a new exchange only changes directions and the SIP
// peer's media address. Pure functions.
#include <optional>
#include <vector>

#include "common/result.hpp"
#include "sdp/attributes.hpp"
#include "sdp/media_plan.hpp"
#include "sdp/session_description.hpp"

namespace callgate::sdp {

// Our previous SIP-side description (the last one we sent) as a new offer or answer: every
// m-line with a port gets `direction` (or what `perMLine` gives for its index), and o= gets
// the next version (RFC 3264 §8: same o= otherwise).
SessionDescription nextLocalDescription(const SessionDescription& previous, Direction direction,
                                        const std::vector<std::optional<Direction>>& perMLine = {});

// Our direction in an answer to an offered direction (RFC 3264 §6.1): sendonly -> recvonly,
// recvonly -> sendonly, inactive -> inactive, sendrecv -> sendrecv. A c=0.0.0.0 offer
// (RFC 2543 hold) counts as sendonly.
Direction answerDirection(const SessionDescription& offer, const MediaDescription& m);

// Applies the SIP peer's new description (its re-offer, or its answer to our re-offer) to the
// relay plans: media address and ports, its direction and the relay flags that follow from it.
// Errors: an m-line count that no longer matches, or (when `isOffer`) an active m-line whose
// new offer lists none of the codecs agreed at setup ("No common codecs").
Result<void> refreshPlans(std::vector<MediaPlan>& plans, const SessionDescription& remote, bool isOffer);

// True when the peer's description puts the call on hold: every active audio/video m-line is
// sendonly or inactive (or c=0.0.0.0).
bool isRemoteHold(const SessionDescription& remote);

}  // namespace callgate::sdp

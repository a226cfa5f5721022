#pragma once
// SDP writer: the wire form of a SessionDescription, lines in the RFC 8866 §5 order, each
// ended by CRLF. Writes what the model holds; it does not validate values (the builders
// in sip_offer.hpp / webrtc_answer.hpp produce valid ones). A model without t= gets
// "t=0 0", which RFC 8866 §5.9 requires.
#include <string>

#include "sdp/session_description.hpp"

namespace callgate::sdp {

std::string write(const SessionDescription& sdp);

}  // namespace callgate::sdp

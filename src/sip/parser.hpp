#pragma once
// SIP message parser (RFC 3261 §7, §25). Accepts what real peers send: compact header
// names, line folding, repeated headers, LWS around ':'. Enforces hard limits before work.
// Never throws; a failure says what is wrong so the caller can answer 400 with that reason.
#include <string_view>

#include "common/result.hpp"
#include "sip/message.hpp"

namespace callgate::sip {

struct ParseLimits {
  size_t maxMessageBytes = 65535;
  size_t maxHeaders = 128;
  size_t maxLineBytes = 8192;
};

// Parses one complete datagram. Body length comes from Content-Length when present (a
// shorter datagram is an error, extra bytes are ignored), else the rest of the datagram.
// Mandatory headers for requests (Via, From, To, Call-ID, CSeq, Max-Forwards optional)
// are checked: Result error message is a short reason phrase suitable for a 400
// ("Missing Call-ID header", "Malformed CSeq").
Result<Message> parseMessage(std::string_view datagram, const ParseLimits& limits = {});

}  // namespace callgate::sip

#pragma once
// SDP parser (RFC 8866 §5, §9 grammar). Tolerant of line endings (CRLF or bare LF,
// RFC 8866 §5 asks parsers to accept LF), of trailing whitespace and of blank lines;
// strict about structure: v= o= s= must come first in that order, every line must be
// "<letter>=<value>", only the line types RFC 8866 defines are accepted, each at the level
// the grammar allows, and the typed lines (o= c= b= t= m= a=) must be well formed.
//
// Never throws; a malformed description yields an Error whose message names the line.
// Hard limits bound the work done on hostile input (a SIP body or a WebSocket message).
#include <cstddef>
#include <string_view>

#include "common/result.hpp"
#include "sdp/session_description.hpp"

namespace callgate::sdp {

struct ParseLimits {
  size_t maxBytes = 64 * 1024;   // a Chrome audio+video offer is ~6 KB
  size_t maxLines = 2000;
  size_t maxLineLength = 4096;
  size_t maxMediaSections = 32;
};

Result<SessionDescription> parse(std::string_view text, const ParseLimits& limits = {});

}  // namespace callgate::sdp

#pragma once
// Validation of client-supplied SIP identity fields against RFC 3261 grammar (mission.md
// "Known problem": a login with a space must be refused clearly, never leave a call hanging).
#include <string_view>

#include "common/result.hpp"

namespace callgate::sip {

// RFC 3261 `user`: unreserved / escaped (%HH) / user-unreserved. The error names the
// offending character and its position, e.g. "character ' ' not allowed by RFC 3261".
Result<void> validateUserPart(std::string_view user);
// Host: hostname, IPv4 or [IPv6] (RFC 3261 `host`).
Result<void> validateHost(std::string_view host);
// Digest username: any printable UTF-8 without CR/LF/control characters (it is a
// quoted-string on the wire, escaped there).
Result<void> validateAuthName(std::string_view name);
// Display name: no CR/LF/control characters.
Result<void> validateDisplayName(std::string_view name);
// Header name (RFC 3261 `token`) and value (no CR/LF) for client-supplied extra headers.
Result<void> validateHeaderName(std::string_view name);
Result<void> validateHeaderValue(std::string_view value);

}  // namespace callgate::sip

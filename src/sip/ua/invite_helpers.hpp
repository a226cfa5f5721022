#pragma once
// Small pieces shared by the INVITE usages (OutgoingInvite, IncomingInvite, InviteSession).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "sip/transaction/sip_endpoint.hpp"
#include "sip/uri.hpp"

#include "sip/message.hpp"

namespace callgate::sip::ua {

// The body when the message carries application/sdp (Content-Type compared without case).
std::optional<std::string> sdpBody(const Message& message);
// The CSeq number, 0 when the header is unusable.
uint32_t cseqNumber(const Message& message);
// Our Contact URI for `login` on this endpoint: sip:login@advertisedHost:port;transport=udp
// (REGISTER binding, INVITE, 18x/2xx and in-dialog target refreshes all use it).
Uri localContact(const std::string& login, const transaction::SipEndpoint& endpoint);

// Extra headers a client asks for on an INVITE or its 2xx: names must be tokens, values free
// of CR/LF, and none may replace a header the stack owns (Via, From, To, Call-ID, CSeq,
// Contact, Route, Content-*, Max-Forwards, *Authorization). The error names the header.
Result<void> validateExtraHeaders(const std::vector<Header>& headers);

}  // namespace callgate::sip::ua

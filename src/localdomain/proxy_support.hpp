#pragma once
// Stateless helpers of the local domain's proxy and responder (RFC 3261 §16.11): branch
// derivation, deterministic To tags for local responses, Via popping.
#include <optional>
#include <string>
#include <string_view>

#include "sip/message.hpp"

namespace callgate::localdomain {

// Prefix of every branch this proxy puts in its Via: "z9hG4bK" (§8.1.1.7) + our mark.
inline constexpr std::string_view kBranchPrefix = "z9hG4bKcgld";

// §16.11: the branch of a forwarded request derived from the incoming one, so that a
// retransmission, the CANCEL and the ACK of a non-2xx (which share the INVITE's branch,
// §9.1, §17.1.1.3) leave with the same branch and the next hop matches them to its server
// transaction. Requests without the magic cookie (RFC 2543) hash the fields §16.11 lists
// that do not differ between an INVITE and its CANCEL/ACK.
std::string derivedBranch(const sip::Message& request);

// The To tag of a response this node generates itself (401/407/404/480/...): a hash of the
// Call-ID, From tag and top Via branch. The ACK for a non-2xx final response repeats all
// three (§17.1.1.3), so such an ACK is recognised — and absorbed — without keeping state,
// the way a stateful UAS transaction would absorb it.
std::string localToTag(const sip::Message& request);

// Removes the first value of header `name` (even from a comma-separated line). False when
// there is none.
bool popFirstValue(sip::Message& message, std::string_view name);
inline bool popTopVia(sip::Message& message) { return popFirstValue(message, "Via"); }
// Removes the last value of header `name` (strict-routing Route rewrite, §16.4).
bool popLastValue(sip::Message& message, std::string_view name);

// Max-Forwards of a request (70 when absent, §8.1.1.6); nullopt when unparsable.
std::optional<unsigned> maxForwards(const sip::Message& request);

}  // namespace callgate::localdomain

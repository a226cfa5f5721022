#pragma once
// Building responses to a request (RFC 3261 §8.2.6).
#include <string_view>

#include "sip/message.hpp"

namespace callgate::sip::transaction {

// A response to `request`: its Via lines (in order), From, To, Call-ID and CSeq copied
// (§8.2.6.2). When the To has no tag and status > 100, `toTag` is added (a random one when
// empty). `reason` empty = the standard phrase.
Message makeResponse(const Message& request, int status, std::string_view reason = {}, std::string_view toTag = {});

}  // namespace callgate::sip::transaction

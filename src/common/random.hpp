#pragma once
// Unpredictable tokens (OpenSSL's CSPRNG) for SIP tags, branches, Call-IDs, ICE
// credentials and auth tokens: control-plane only, never per packet.
#include <cstdint>
#include <string>

namespace callgate {

// `length` characters from [A-Za-z0-9].
std::string randomToken(size_t length);
uint32_t randomU32();
// RFC 4122 version 4 UUID text.
std::string randomUuid();

}  // namespace callgate

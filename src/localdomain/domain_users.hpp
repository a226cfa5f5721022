#pragma once
// The accounts of the local SIP domain, from configuration ("1000:secret,1001:secret2").
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace callgate::localdomain {

struct DomainUser {
  std::string login;     // SIP user part and digest username
  std::string password;  // clear text: HA1 is computed per request (realm may change at start)
};

// Parses "login:password[,login:password...]". Whitespace around entries is ignored; an empty
// text is an empty list. Errors name the entry: "entry 2 ('1001'): missing ':password'",
// "login 'a b': character ' ' not allowed by RFC 3261", "login '1000' given twice".
// A login must be an RFC 3261 user part; the password is everything after the first ':'
// (non-empty, no ',' since that separates entries).
Result<std::vector<DomainUser>> parseDomainUsers(std::string_view text);

// Lookup by login (exact, case-sensitive like SIP user parts, RFC 3261 §19.1.4).
const DomainUser* findUser(const std::vector<DomainUser>& users, std::string_view login);

}  // namespace callgate::localdomain

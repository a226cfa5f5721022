// Validation of client-supplied identity fields (RFC 3261 §25.1 grammar). Error messages
// name the offending character so the client sees exactly what to fix, e.g.
// "character ' ' not allowed by RFC 3261" (the API layer prefixes the field name).
#include "sip/identity_validation.hpp"

#include <cstdio>

#include "sip/grammar.hpp"

namespace callgate::sip {
namespace {

using grammar::isAlnum;
using grammar::isAlpha;
using grammar::isDigit;
using grammar::isHex;
using grammar::isTokenChar;
using grammar::isUnreserved;
using grammar::isUserUnreserved;

// Length of the UTF-8 sequence starting at s[i] (1 when it is not a valid lead byte), so a
// multi-byte character is named whole in the error message.
size_t utf8Length(std::string_view s, size_t i) {
  const auto b = static_cast<unsigned char>(s[i]);
  size_t n = 1;
  if (b >= 0xc2 && b <= 0xdf) n = 2;
  else if (b >= 0xe0 && b <= 0xef) n = 3;
  else if (b >= 0xf0 && b <= 0xf4) n = 4;
  if (i + n > s.size()) return 1;
  for (size_t k = 1; k < n; ++k) {
    if ((static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80) return 1;
  }
  return n;
}

// "' '" for printable characters, "'é'" for a UTF-8 sequence, "0x0A" for control bytes.
std::string describeChar(std::string_view s, size_t i) {
  const auto b = static_cast<unsigned char>(s[i]);
  if (b >= 0x20 && b < 0x7f) return std::string("'") + s[i] + "'";
  const size_t n = utf8Length(s, i);
  if (n > 1) return "'" + std::string(s.substr(i, n)) + "'";
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02X", b);
  return buf;
}

Error charError(std::string_view s, size_t i, std::string_view where = {}) {
  std::string msg = "character " + describeChar(s, i) + " not allowed";
  if (!where.empty()) msg.append(" in ").append(where);
  msg.append(" by RFC 3261");
  return makeError(std::move(msg));
}

Result<void> noControls(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x20 || b == 0x7f) return charError(s, i);
  }
  return {};
}

bool validIpv4(std::string_view s) {
  int parts = 0;
  while (true) {
    size_t i = 0;
    unsigned v = 0;
    while (i < s.size() && isDigit(s[i]) && i < 3) v = v * 10 + static_cast<unsigned>(s[i++] - '0');
    if (i == 0 || v > 255) return false;
    ++parts;
    s.remove_prefix(i);
    if (s.empty()) return parts == 4;
    if (s.front() != '.' || parts == 4) return false;
    s.remove_prefix(1);
  }
}

// IPv6address (RFC 3261 §25.1 / RFC 4291 §2.2): up to 8 hex groups, one "::", optional
// trailing IPv4.
bool validIpv6(std::string_view s) {
  if (s.empty()) return false;
  int groups = 0;
  bool compressed = false;
  size_t i = 0;
  if (s.substr(0, 2) == "::") {
    compressed = true;
    i = 2;
    if (i == s.size()) return true;
  } else if (s.front() == ':') {
    return false;
  }
  while (i < s.size()) {
    size_t j = i;
    while (j < s.size() && isHex(s[j]) && j - i < 4) ++j;
    if (j < s.size() && s[j] == '.') {
      if (!validIpv4(s.substr(i))) return false;
      groups += 2;
      i = s.size();
      break;
    }
    if (j == i) return false;
    ++groups;
    if (j == s.size()) {
      i = j;
      break;
    }
    if (s[j] != ':') return false;
    if (j + 1 < s.size() && s[j + 1] == ':') {
      if (compressed) return false;
      compressed = true;
      i = j + 2;
      if (i == s.size()) break;
    } else {
      i = j + 1;
      if (i == s.size()) return false;
    }
  }
  return compressed ? groups < 8 : groups == 8;
}

}  // namespace

// user = 1*( unreserved / escaped / user-unreserved )
Result<void> validateUserPart(std::string_view user) {
  if (user.empty()) return makeError("user part is empty");
  for (size_t i = 0; i < user.size(); ++i) {
    const char c = user[i];
    if (isUnreserved(c) || isUserUnreserved(c)) continue;
    if (c == '%') {
      if (i + 2 < user.size() && isHex(user[i + 1]) && isHex(user[i + 2])) {
        i += 2;
        continue;
      }
      return makeError("malformed escape '%' not allowed by RFC 3261");
    }
    return charError(user, i);
  }
  return {};
}

// host = hostname / IPv4address / IPv6reference
// hostname = *( domainlabel "." ) toplabel [ "." ]; labels are alphanum with inner '-'.
Result<void> validateHost(std::string_view host) {
  if (host.empty()) return makeError("host is empty");
  if (host.front() == '[') {
    if (host.back() != ']' || !validIpv6(host.substr(1, host.size() - 2))) {
      return makeError("malformed IPv6 reference " + std::string(host));
    }
    return {};
  }
  for (size_t i = 0; i < host.size(); ++i) {
    const char c = host[i];
    if (!isAlnum(c) && c != '-' && c != '.') return charError(host, i, "a host");
  }
  if (validIpv4(host)) return {};
  std::string_view rest = host;
  if (rest.back() == '.') rest.remove_suffix(1);
  std::string_view last;
  while (true) {
    const size_t dot = rest.find('.');
    const std::string_view label = rest.substr(0, dot);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return makeError("malformed host name " + std::string(host));
    }
    last = label;
    if (dot == std::string_view::npos) break;
    rest.remove_prefix(dot + 1);
  }
  // toplabel = ALPHA / ALPHA *( alphanum / "-" ) alphanum: an all-numeric name that is not a
  // valid IPv4 address (e.g. "1.2.3.999") is refused.
  if (!isAlpha(last.front())) return makeError("malformed host name " + std::string(host));
  return {};
}

Result<void> validateAuthName(std::string_view name) {
  if (name.empty()) return makeError("authentication name is empty");
  return noControls(name);
}

Result<void> validateDisplayName(std::string_view name) { return noControls(name); }

// token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~")
Result<void> validateHeaderName(std::string_view name) {
  if (name.empty()) return makeError("header name is empty");
  for (size_t i = 0; i < name.size(); ++i) {
    if (!isTokenChar(name[i])) return charError(name, i, "a header name");
  }
  return {};
}

// Header values may contain HTAB and UTF-8 (TEXT-UTF8), never CR/LF (header injection) or
// other control characters.
Result<void> validateHeaderValue(std::string_view value) {
  for (size_t i = 0; i < value.size(); ++i) {
    const auto b = static_cast<unsigned char>(value[i]);
    if ((b < 0x20 && b != '\t') || b == 0x7f) return charError(value, i, "a header value");
  }
  return {};
}

}  // namespace callgate::sip

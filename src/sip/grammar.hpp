// Character classes and small string helpers for the SIP grammar (RFC 3261 §25.1), shared by
// the parsers in src/sip. All of them are ASCII-only on purpose: SIP names and tokens are
// ASCII, and the result must not depend on the process locale (std::tolower and friends do).
#pragma once

#include <cstddef>
#include <string_view>

namespace callgate::sip::grammar {

// ALPHA / DIGIT / HEXDIG / alphanum (RFC 5234 Appendix B.1, RFC 3261 §25.1).
inline constexpr bool isAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
inline constexpr bool isDigit(char c) { return c >= '0' && c <= '9'; }
inline constexpr bool isAlnum(char c) { return isAlpha(c) || isDigit(c); }
inline constexpr bool isHex(char c) { return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// Value of a hex digit. Only meaningful when isHex(c); callers check first.
inline constexpr int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}

// WSP = SP / HTAB (RFC 5234 B.1; the building block of RFC 3261 LWS). Used where a CR or
// LF is significant, e.g. the message parser telling a folded continuation line from a
// new header line (RFC 3261 §7.3.1).
inline constexpr bool isWsp(char c) { return c == ' ' || c == '\t'; }

// SP / HTAB / CR / LF: for header values handed over after line splitting, where a stray
// line ending is just more whitespace.
inline constexpr bool isWhitespace(char c) { return isWsp(c) || c == '\r' || c == '\n'; }

// Strips leading and trailing SP / HTAB.
inline constexpr std::string_view trimWsp(std::string_view s) {
  while (!s.empty() && isWsp(s.front())) s.remove_prefix(1);
  while (!s.empty() && isWsp(s.back())) s.remove_suffix(1);
  return s;
}

// Strips leading and trailing SP / HTAB / CR / LF.
inline constexpr std::string_view trimWhitespace(std::string_view s) {
  while (!s.empty() && isWhitespace(s.front())) s.remove_prefix(1);
  while (!s.empty() && isWhitespace(s.back())) s.remove_suffix(1);
  return s;
}

inline constexpr char lowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// ASCII case-insensitive equality: method names, header and parameter names, URI schemes
// (RFC 3261 §7.3.1, §19.1.4).
inline constexpr bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lowerAscii(a[i]) != lowerAscii(b[i])) return false;
  }
  return true;
}

// RFC 3261 §25.1:
//   token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~")
inline constexpr bool isTokenChar(char c) {
  if (isAlnum(c)) return true;
  switch (c) {
    case '-': case '.': case '!': case '%': case '*': case '_': case '+': case '`': case '\'': case '~':
      return true;
    default:
      return false;
  }
}

inline constexpr bool isToken(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!isTokenChar(c)) return false;
  }
  return true;
}

// RFC 3261 §25.1:
//   unreserved      = alphanum / mark
//   mark            = "-" / "_" / "." / "!" / "~" / "*" / "'" / "(" / ")"
//   user-unreserved = "&" / "=" / "+" / "$" / "," / ";" / "?" / "/"
inline constexpr bool isUnreserved(char c) {
  if (isAlnum(c)) return true;
  switch (c) {
    case '-': case '_': case '.': case '!': case '~': case '*': case '\'': case '(': case ')':
      return true;
    default:
      return false;
  }
}

inline constexpr bool isUserUnreserved(char c) {
  switch (c) {
    case '&': case '=': case '+': case '$': case ',': case ';': case '?': case '/':
      return true;
    default:
      return false;
  }
}

}  // namespace callgate::sip::grammar

#pragma once
// Small string helpers shared by the SDP parser, the attribute parsers and the mapping.
// Internal to callgate::sdp.
#include <charconv>
#include <string>
#include <string_view>
#include <vector>

namespace callgate::sdp {

// Splits on runs of spaces/tabs; no empty pieces.
std::vector<std::string_view> splitWords(std::string_view s);
std::string_view trimRight(std::string_view s);
std::string_view trim(std::string_view s);
bool iequals(std::string_view a, std::string_view b);
std::string toLower(std::string_view s);

// Whole-string decimal number in T's range (no sign, no spaces).
template <class T>
bool parseNumber(std::string_view s, T& out) {
  if (s.empty() || s.front() < '0' || s.front() > '9') return false;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

}  // namespace callgate::sdp

// SIP / SIPS URI (RFC 3261 §19.1, grammar §25.1) and tel URI (RFC 3966).
//
//   sip:user:password@host:port;uri-parameters?headers
//   tel:+1-201-555-0123;phone-context=example.com      (number kept in Uri::user)
//
// User and password are stored unescaped; parameter and header values are stored as they
// appear on the wire (still escaped), which keeps serialize() a faithful round trip.
#include "sip/uri.hpp"

#include <charconv>

#include "sip/grammar.hpp"

namespace callgate::sip {
namespace {

using grammar::hexValue;
using grammar::iequals;
using grammar::isAlnum;
using grammar::isHex;
using grammar::isUnreserved;
using grammar::isUserUnreserved;

// password = *( unreserved / escaped / "&" / "=" / "+" / "$" / "," )
bool isPasswordChar(char c) {
  return isUnreserved(c) || c == '&' || c == '=' || c == '+' || c == '$' || c == ',';
}

// Characters never acceptable raw inside a URI component we parse leniently.
bool isForbiddenRaw(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u <= 0x20 || u == 0x7f || c == '<' || c == '>' || c == '"';
}

// %HH-decodes `in`; rejects truncated or non-hex escapes and raw forbidden characters.
bool unescape(std::string_view in, std::string& out) {
  out.clear();
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return false;
      if (!isHex(in[i + 1]) || !isHex(in[i + 2])) return false;
      out.push_back(static_cast<char>(hexValue(in[i + 1]) * 16 + hexValue(in[i + 2])));
      i += 2;
    } else if (isForbiddenRaw(c)) {
      return false;
    } else {
      out.push_back(c);
    }
  }
  return true;
}

template <class Allowed>
std::string escapeWith(std::string_view in, Allowed allowed) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(in.size());
  for (char c : in) {
    if (allowed(c)) {
      out.push_back(c);
    } else {
      const auto u = static_cast<unsigned char>(c);
      out.push_back('%');
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 0xf]);
    }
  }
  return out;
}

// host = hostname / IPv4address / IPv6reference. Hostname and IPv4 share the character set
// alphanum / "-" / "."; the exact label rules are left to DNS.
bool validHost(std::string_view host) {
  if (host.empty()) return false;
  if (host.front() == '[') {
    if (host.size() < 4 || host.back() != ']') return false;
    const std::string_view inner = host.substr(1, host.size() - 2);
    if (inner.find(':') == std::string_view::npos) return false;
    for (char c : inner) {
      if (!isHex(c) && c != ':' && c != '.') return false;
    }
    return true;
  }
  for (char c : host) {
    if (!isAlnum(c) && c != '-' && c != '.') return false;
  }
  return true;
}

bool parsePort(std::string_view s, uint16_t& port) {
  if (s.empty() || s.size() > 5) return false;
  unsigned v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<unsigned>(c - '0');
  }
  if (v > 65535) return false;
  port = static_cast<uint16_t>(v);
  return true;
}

bool validParamPart(std::string_view s) {
  for (char c : s) {
    if (isForbiddenRaw(c)) return false;
  }
  return true;
}

// *( ";" pname [ "=" pvalue ] ) — `text` starts after the first ';'.
bool parseParams(std::string_view text, char sep, std::vector<UriParam>& out) {
  while (true) {
    const size_t end = text.find(sep);
    const std::string_view item = text.substr(0, end);
    const size_t eq = item.find('=');
    const std::string_view name = item.substr(0, eq);
    if (name.empty() || !validParamPart(name)) return false;
    UriParam p{std::string(name), std::nullopt};
    if (eq != std::string_view::npos) {
      const std::string_view value = item.substr(eq + 1);
      if (!validParamPart(value)) return false;
      p.value.emplace(value);
    }
    out.push_back(std::move(p));
    if (end == std::string_view::npos) return true;
    text.remove_prefix(end + 1);
  }
}

void appendParams(std::string& out, const std::vector<UriParam>& params, char first, char sep) {
  bool isFirst = true;
  for (const UriParam& p : params) {
    out.push_back(isFirst ? first : sep);
    isFirst = false;
    out.append(p.name);
    if (p.value) out.append("=").append(*p.value);
  }
}

Result<Uri> parseTel(std::string_view rest, Uri uri) {
  const size_t semi = rest.find(';');
  const std::string_view number = rest.substr(0, semi);
  if (number.empty()) return makeError("Malformed tel URI: empty number");
  if (!unescape(number, uri.user)) return makeError("Malformed tel URI number");
  if (semi != std::string_view::npos && !parseParams(rest.substr(semi + 1), ';', uri.params)) {
    return makeError("Malformed tel URI parameters");
  }
  return uri;
}

}  // namespace

std::optional<std::string> Uri::param(std::string_view name) const {
  for (const UriParam& p : params) {
    if (iequals(p.name, name)) return p.value.value_or(std::string());
  }
  return std::nullopt;
}

bool Uri::hasParam(std::string_view name) const {
  for (const UriParam& p : params) {
    if (iequals(p.name, name)) return true;
  }
  return false;
}

void Uri::setParam(std::string name, std::optional<std::string> value) {
  for (UriParam& p : params) {
    if (iequals(p.name, name)) {
      p.value = std::move(value);
      return;
    }
  }
  params.push_back(UriParam{std::move(name), std::move(value)});
}

std::string Uri::hostPort() const {
  if (port == 0) return host;
  return host + ":" + std::to_string(port);
}

std::string Uri::serialize() const {
  std::string out;
  out.reserve(16 + user.size() + host.size() + params.size() * 16);
  out.append(scheme).push_back(':');
  if (scheme == "tel") {
    // RFC 3966 §3: the number is unreserved characters and '+'; anything else (';' would
    // start a parameter) is escaped.
    out.append(escapeWith(user, [](char c) { return isUnreserved(c) || c == '+'; }));
    appendParams(out, params, ';', ';');
    return out;
  }
  if (!user.empty() || !password.empty()) {
    out.append(escapeUser(user));
    if (!password.empty()) out.append(":").append(escapeWith(password, isPasswordChar));
    out.push_back('@');
  }
  out.append(hostPort());
  appendParams(out, params, ';', ';');
  appendParams(out, headers, '?', '&');
  return out;
}

Result<Uri> parseUri(std::string_view text) {
  Uri uri;
  const size_t colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0) return makeError("Malformed URI: no scheme");
  const std::string_view scheme = text.substr(0, colon);
  std::string_view rest = text.substr(colon + 1);
  if (iequals(scheme, "sip")) {
    uri.scheme = "sip";
  } else if (iequals(scheme, "sips")) {
    uri.scheme = "sips";
  } else if (iequals(scheme, "tel")) {
    uri.scheme = "tel";
    return parseTel(rest, std::move(uri));
  } else {
    return makeError("Unsupported URI scheme");
  }

  // userinfo: '@' may not appear unescaped in user, password, parameters or headers
  // (§25.1), so the first '@' ends the userinfo.
  const size_t at = rest.find('@');
  if (at != std::string_view::npos) {
    const std::string_view userinfo = rest.substr(0, at);
    const size_t pw = userinfo.find(':');
    const std::string_view user = userinfo.substr(0, pw);
    if (user.empty()) return makeError("Malformed URI: empty user");
    if (!unescape(user, uri.user)) return makeError("Malformed URI user part");
    if (pw != std::string_view::npos && !unescape(userinfo.substr(pw + 1), uri.password)) {
      return makeError("Malformed URI password");
    }
    rest.remove_prefix(at + 1);
  }

  const size_t hostEnd = rest.find_first_of(";?");
  std::string_view hostport = rest.substr(0, hostEnd);
  std::string_view host = hostport;
  std::string_view portText;
  if (!hostport.empty() && hostport.front() == '[') {
    const size_t close = hostport.find(']');
    if (close == std::string_view::npos) return makeError("Malformed URI: unterminated IPv6 reference");
    host = hostport.substr(0, close + 1);
    const std::string_view after = hostport.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return makeError("Malformed URI host");
      portText = after.substr(1);
      if (!parsePort(portText, uri.port)) return makeError("Malformed URI port");
    }
  } else {
    const size_t pc = hostport.find(':');
    if (pc != std::string_view::npos) {
      host = hostport.substr(0, pc);
      if (!parsePort(hostport.substr(pc + 1), uri.port)) return makeError("Malformed URI port");
    }
  }
  if (!validHost(host)) return makeError("Malformed URI host");
  uri.host.assign(host);
  if (hostEnd == std::string_view::npos) return uri;

  rest.remove_prefix(hostEnd);
  const size_t q = rest.find('?');
  if (rest.front() == ';') {
    if (!parseParams(rest.substr(1, q == std::string_view::npos ? std::string_view::npos : q - 1), ';', uri.params)) {
      return makeError("Malformed URI parameters");
    }
  }
  if (q != std::string_view::npos && !parseParams(rest.substr(q + 1), '&', uri.headers)) {
    return makeError("Malformed URI headers");
  }
  return uri;
}

std::string escapeUser(std::string_view user) {
  return escapeWith(user, [](char c) { return isUnreserved(c) || isUserUnreserved(c); });
}

}  // namespace callgate::sip

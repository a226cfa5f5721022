// Structured header values (RFC 3261 §20, grammar §25.1): name-addr / addr-spec with header
// parameters, Via, CSeq.
#include "sip/header_values.hpp"

#include "sip/grammar.hpp"

namespace callgate::sip {
namespace {

// These are single header values (the parser has already unfolded them), so CR / LF are
// treated as whitespace like SP / HTAB rather than as line structure.
using grammar::iequals;
using grammar::isToken;
using grammar::isTokenChar;
using grammar::isWhitespace;
using grammar::trimWhitespace;

std::optional<std::string> findParam(const std::vector<UriParam>& params, std::string_view name) {
  for (const UriParam& p : params) {
    if (iequals(p.name, name)) return p.value.value_or(std::string());
  }
  return std::nullopt;
}

// Header parameters: *( SEMI generic-param ), generic-param = token [ EQUAL gen-value ],
// gen-value = token / host / quoted-string. SEMI and EQUAL allow LWS around them. Quoted
// values keep their quotes, so serialization reproduces them (e.g. +sip.instance="<urn:…>").
// `text` is what follows the URI; it must be empty or start with ';'.
Result<void> parseHeaderParams(std::string_view text, std::vector<UriParam>& out) {
  text = trimWhitespace(text);
  while (!text.empty()) {
    if (text.front() != ';') return makeError("Malformed header parameters");
    text = trimWhitespace(text.substr(1));
    size_t i = 0;
    while (i < text.size() && isTokenChar(text[i])) ++i;
    const std::string_view name = text.substr(0, i);
    if (name.empty()) return makeError("Malformed header parameter name");
    UriParam p{std::string(name), std::nullopt};
    text = trimWhitespace(text.substr(i));
    if (!text.empty() && text.front() == '=') {
      text = trimWhitespace(text.substr(1));
      size_t end = 0;
      if (!text.empty() && text.front() == '"') {
        end = 1;
        while (end < text.size() && text[end] != '"') end += (text[end] == '\\') ? 2 : 1;
        if (end >= text.size()) return makeError("Unterminated quoted parameter value");
        ++end;
      } else {
        // token / host (IPv6 references carry ':' '[' ']')
        while (end < text.size() && (isTokenChar(text[end]) || text[end] == ':' || text[end] == '[' ||
                                     text[end] == ']')) {
          ++end;
        }
        if (end == 0) return makeError("Malformed header parameter value");
      }
      p.value.emplace(text.substr(0, end));
      text = trimWhitespace(text.substr(end));
    }
    out.push_back(std::move(p));
  }
  return {};
}

void appendParams(std::string& out, const std::vector<UriParam>& params) {
  for (const UriParam& p : params) {
    out.push_back(';');
    out.append(p.name);
    if (p.value) out.append("=").append(*p.value);
  }
}

void setParamIn(std::vector<UriParam>& params, std::string name, std::optional<std::string> value) {
  for (UriParam& p : params) {
    if (iequals(p.name, name)) {
      p.value = std::move(value);
      return;
    }
  }
  params.push_back(UriParam{std::move(name), std::move(value)});
}

}  // namespace

std::optional<std::string> NameAddr::param(std::string_view name) const { return findParam(params, name); }

void NameAddr::setParam(std::string name, std::optional<std::string> value) {
  setParamIn(params, std::move(name), std::move(value));
}

std::string NameAddr::serialize() const {
  std::string out;
  if (!displayName.empty()) out.append(quoteString(displayName)).push_back(' ');
  out.push_back('<');
  out.append(uri.serialize());
  out.push_back('>');
  appendParams(out, params);
  return out;
}

// name-addr = [ display-name ] LAQUOT addr-spec RAQUOT
// display-name = *(token LWS) / quoted-string
// Without <>, the URI ends at the first ';' and what follows are header parameters
// (§20.10: "parameters ... are header-parameters, not URI parameters").
Result<NameAddr> parseNameAddr(std::string_view text) {
  NameAddr na;
  text = trimWhitespace(text);
  if (text.empty()) return makeError("Empty address");

  std::string_view uriText;
  std::string_view after;
  if (text.front() == '"') {
    size_t i = 1;
    for (; i < text.size() && text[i] != '"'; ++i) {
      if (text[i] == '\\') {
        if (++i >= text.size()) break;
      }
      na.displayName.push_back(text[i]);
    }
    if (i >= text.size()) return makeError("Unterminated quoted display name");
    text = trimWhitespace(text.substr(i + 1));
    if (text.empty() || text.front() != '<') return makeError("Missing '<' after display name");
  }
  const size_t lt = text.find('<');
  if (lt != std::string_view::npos) {
    if (lt > 0) {
      const std::string_view name = trimWhitespace(text.substr(0, lt));
      // Unquoted display names are tokens separated by LWS.
      for (char c : name) {
        if (!isTokenChar(c) && !isWhitespace(c)) return makeError("Malformed display name");
      }
      na.displayName.assign(name);
    }
    const size_t gt = text.find('>', lt);
    if (gt == std::string_view::npos) return makeError("Missing '>' in address");
    uriText = text.substr(lt + 1, gt - lt - 1);
    after = text.substr(gt + 1);
  } else {
    const size_t semi = text.find(';');
    uriText = trimWhitespace(text.substr(0, semi));
    after = semi == std::string_view::npos ? std::string_view() : text.substr(semi);
    // An addr-spec may not carry URI headers or a comma (§20.10).
    if (uriText.find_first_of("?, \t") != std::string_view::npos) return makeError("Malformed address");
  }

  auto uri = parseUri(uriText);
  if (!uri) return uri.error();
  na.uri = std::move(*uri);
  if (auto r = parseHeaderParams(after, na.params); !r) return r.error();
  return na;
}

std::optional<std::string> Via::param(std::string_view name) const { return findParam(params, name); }

std::string Via::serialize() const {
  std::string out = "SIP/2.0/";
  out.append(transport).push_back(' ');
  out.append(host);
  if (port != 0) out.append(":").append(std::to_string(port));
  appendParams(out, params);
  return out;
}

// via-parm = sent-protocol LWS sent-by *( SEMI via-params )
// sent-protocol = protocol-name SLASH protocol-version SLASH transport (SLASH allows LWS)
// sent-by = host [ COLON port ]
Result<Via> parseVia(std::string_view text) {
  Via via;
  text = trimWhitespace(text);
  std::string_view parts[3];
  for (int k = 0; k < 3; ++k) {
    size_t i = 0;
    while (i < text.size() && isTokenChar(text[i])) ++i;
    parts[k] = text.substr(0, i);
    if (parts[k].empty()) return makeError("Malformed Via sent-protocol");
    text = trimWhitespace(text.substr(i));
    if (k < 2) {
      if (text.empty() || text.front() != '/') return makeError("Malformed Via sent-protocol");
      text = trimWhitespace(text.substr(1));
    }
  }
  if (!iequals(parts[0], "SIP") || parts[1] != "2.0") return makeError("Unsupported Via protocol");
  via.transport.reserve(parts[2].size());
  for (char c : parts[2]) via.transport.push_back((c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c);

  if (text.empty()) return makeError("Malformed Via: missing sent-by");
  size_t hostEnd = 0;
  if (text.front() == '[') {
    hostEnd = text.find(']');
    if (hostEnd == std::string_view::npos) return makeError("Malformed Via host");
    ++hostEnd;
  } else {
    while (hostEnd < text.size() && (isTokenChar(text[hostEnd]) && text[hostEnd] != '%')) ++hostEnd;
  }
  via.host.assign(text.substr(0, hostEnd));
  if (via.host.empty()) return makeError("Malformed Via host");
  for (char c : via.host) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                    c == '.' || c == ':' || c == '[' || c == ']';
    if (!ok) return makeError("Malformed Via host");
  }
  text = trimWhitespace(text.substr(hostEnd));
  if (!text.empty() && text.front() == ':') {
    text = trimWhitespace(text.substr(1));
    size_t i = 0;
    unsigned port = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9' && i < 6) {
      port = port * 10 + static_cast<unsigned>(text[i] - '0');
      ++i;
    }
    if (i == 0 || port > 65535) return makeError("Malformed Via port");
    via.port = static_cast<uint16_t>(port);
    text = text.substr(i);
  }
  // A comment after sent-by ("(...)", §25.1 via-extension is rare) is not supported.
  if (auto r = parseHeaderParams(text, via.params); !r) return makeError("Malformed Via parameters");
  return via;
}

// CSeq = 1*DIGIT LWS Method; the number is below 2^31 (§8.1.1.5).
Result<CSeq> parseCSeq(std::string_view text) {
  text = trimWhitespace(text);
  size_t i = 0;
  uint64_t n = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
    n = n * 10 + static_cast<uint64_t>(text[i] - '0');
    if (n > 0x7fffffffULL) return makeError("Malformed CSeq");
    ++i;
  }
  if (i == 0 || i == text.size() || !isWhitespace(text[i])) return makeError("Malformed CSeq");
  const std::string_view method = trimWhitespace(text.substr(i));
  if (!isToken(method)) return makeError("Malformed CSeq");
  return CSeq{static_cast<uint32_t>(n), std::string(method)};
}

std::string quoteString(std::string_view raw) {
  std::string out;
  out.reserve(raw.size() + 2);
  out.push_back('"');
  for (char c : raw) {
    // quoted-pair cannot carry CR or LF (§25.1); dropping them also prevents header
    // injection through a client-supplied display name.
    if (c == '\r' || c == '\n') continue;
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

}  // namespace callgate::sip

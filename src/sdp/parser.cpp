#include "sdp/parser.hpp"

#include <string>
#include <vector>

#include "sdp/text.hpp"

namespace callgate::sdp {
namespace {

// RFC 8866 §9: token-char, used for attribute names and bandwidth types.
bool isTokenChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+':
    case '-': case '.': case '^': case '_': case '`': case '{': case '|': case '}': case '~':
      return true;
    default:
      return false;
  }
}

bool isToken(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!isTokenChar(c)) return false;
  }
  return true;
}

bool isDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

std::optional<Connection> parseConnection(std::string_view v) {
  auto f = splitWords(v);
  if (f.size() != 3) return std::nullopt;
  return Connection{std::string(f[0]), std::string(f[1]), std::string(f[2])};
}

std::optional<Bandwidth> parseBandwidth(std::string_view v) {
  auto colon = v.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  Bandwidth b;
  if (!isToken(v.substr(0, colon)) || !parseNumber(v.substr(colon + 1), b.value)) {
    return std::nullopt;
  }
  b.type = std::string(v.substr(0, colon));
  return b;
}

std::optional<Origin> parseOrigin(std::string_view v) {
  auto f = splitWords(v);
  if (f.size() != 6 || !isDigits(f[1]) || !isDigits(f[2])) return std::nullopt;
  return Origin{std::string(f[0]), std::string(f[1]), std::string(f[2]),
                std::string(f[3]), std::string(f[4]), std::string(f[5])};
}

std::optional<Timing> parseTiming(std::string_view v) {
  auto f = splitWords(v);
  Timing t;
  if (f.size() != 2 || !parseNumber(f[0], t.start) || !parseNumber(f[1], t.stop)) {
    return std::nullopt;
  }
  return t;
}

std::optional<MediaDescription> parseMediaLine(std::string_view v) {
  auto f = splitWords(v);
  if (f.size() < 3) return std::nullopt;
  MediaDescription m;
  if (!isToken(f[0])) return std::nullopt;
  m.media = std::string(f[0]);
  std::string_view port = f[1];
  if (auto slash = port.find('/'); slash != std::string_view::npos) {
    uint16_t n = 0;
    if (!parseNumber(port.substr(slash + 1), n)) return std::nullopt;
    m.numPorts = n;
    port = port.substr(0, slash);
  }
  if (!parseNumber(port, m.port)) return std::nullopt;
  m.proto = std::string(f[2]);
  for (size_t i = 3; i < f.size(); ++i) m.formats.emplace_back(f[i]);
  // RFC 8866 §5.14 requires at least one format; some stacks omit it on a rejected
  // (port 0) stream, which is harmless.
  if (m.formats.empty() && m.port != 0) return std::nullopt;
  return m;
}

std::optional<Attribute> parseAttribute(std::string_view v) {
  auto colon = v.find(':');
  std::string_view name = v.substr(0, colon);
  if (!isToken(name)) return std::nullopt;
  Attribute a{std::string(name), std::nullopt};
  if (colon != std::string_view::npos) a.value = std::string(v.substr(colon + 1));
  return a;
}

class Parser {
 public:
  Parser(std::string_view text, const ParseLimits& limits) : text_(text), limits_(limits) {}

  Result<SessionDescription> run() {
    if (text_.size() > limits_.maxBytes) return makeError("SDP too large");
    if (text_.find('\0') != std::string_view::npos) return makeError("SDP contains a NUL byte");
    size_t pos = 0;
    size_t lines = 0;
    while (pos < text_.size()) {
      size_t nl = text_.find('\n', pos);
      size_t end = nl == std::string_view::npos ? text_.size() : nl;
      std::string_view line = text_.substr(pos, end - pos);
      pos = end + 1;
      ++lineNo_;
      if (++lines > limits_.maxLines) return makeError("SDP has too many lines");
      if (line.size() > limits_.maxLineLength) return fail("line too long");
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      line = trimRight(line);
      if (line.empty()) continue;  // blank lines (often a trailing CRLF) carry nothing
      if (line.find('\r') != std::string_view::npos) return fail("stray CR");
      if (line.size() < 2 || line[1] != '=' || line[0] < 'a' || line[0] > 'z') {
        return fail("not a <type>=<value> line");
      }
      if (auto err = onLine(line[0], line.substr(2))) return *err;
    }
    if (state_ != State::Body) return makeError("SDP incomplete: v=, o= and s= lines required");
    return std::move(sdp_);
  }

 private:
  enum class State { ExpectV, ExpectO, ExpectS, Body };

  Error fail(std::string_view what) const {
    return makeError("SDP line " + std::to_string(lineNo_) + ": " + std::string(what));
  }

  std::optional<Error> onLine(char type, std::string_view value) {
    switch (state_) {
      case State::ExpectV:
        if (type != 'v') return fail("first line must be v=");
        if (value != "0") return fail("unsupported version");
        sdp_.version = 0;
        state_ = State::ExpectO;
        return std::nullopt;
      case State::ExpectO: {
        if (type != 'o') return fail("o= must follow v=");
        auto o = parseOrigin(value);
        if (!o) return fail("malformed o= line");
        sdp_.origin = std::move(*o);
        state_ = State::ExpectS;
        return std::nullopt;
      }
      case State::ExpectS:
        if (type != 's') return fail("s= must follow o=");
        sdp_.sessionName = std::string(value);
        state_ = State::Body;
        return std::nullopt;
      case State::Body:
        break;
    }
    if (type == 'm') {
      if (sdp_.media.size() >= limits_.maxMediaSections) return fail("too many m= sections");
      auto m = parseMediaLine(value);
      if (!m) return fail("malformed m= line");
      sdp_.media.push_back(std::move(*m));
      return std::nullopt;
    }
    return sdp_.media.empty() ? onSessionLine(type, value) : onMediaLine(type, value);
  }

  std::optional<Error> onSessionLine(char type, std::string_view value) {
    switch (type) {
      case 'i': return setOnce(sdp_.information, value, "i=");
      case 'u': return setOnce(sdp_.uri, value, "u=");
      case 'e': sdp_.emails.emplace_back(value); return std::nullopt;
      case 'p': sdp_.phones.emplace_back(value); return std::nullopt;
      case 'z': return setOnce(sdp_.zone, value, "z=");
      case 'k': return setOnce(sdp_.key, value, "k=");
      case 'c': {
        if (sdp_.connection) return fail("duplicate c= line");
        auto c = parseConnection(value);
        if (!c) return fail("malformed c= line");
        sdp_.connection = std::move(*c);
        return std::nullopt;
      }
      case 'b': {
        auto b = parseBandwidth(value);
        if (!b) return fail("malformed b= line");
        sdp_.bandwidths.push_back(std::move(*b));
        return std::nullopt;
      }
      case 't': {
        auto t = parseTiming(value);
        if (!t) return fail("malformed t= line");
        sdp_.timings.push_back(std::move(*t));
        return std::nullopt;
      }
      case 'r':
        if (sdp_.timings.empty()) return fail("r= without t=");
        sdp_.timings.back().repeats.emplace_back(value);
        return std::nullopt;
      case 'a': return addAttribute(sdp_, value);
      default: return fail(std::string("unexpected ") + type + "= line at session level");
    }
  }

  std::optional<Error> onMediaLine(char type, std::string_view value) {
    MediaDescription& m = sdp_.media.back();
    switch (type) {
      case 'i': return setOnce(m.information, value, "i=");
      case 'k': return setOnce(m.key, value, "k=");
      case 'c': {
        // Several c= lines are legal only for multicast layered coding (§5.7); the
        // gateway never uses that and keeps the model to one.
        if (m.connection) return fail("duplicate c= line");
        auto c = parseConnection(value);
        if (!c) return fail("malformed c= line");
        m.connection = std::move(*c);
        return std::nullopt;
      }
      case 'b': {
        auto b = parseBandwidth(value);
        if (!b) return fail("malformed b= line");
        m.bandwidths.push_back(std::move(*b));
        return std::nullopt;
      }
      case 'a': return addAttribute(m, value);
      default: return fail(std::string("unexpected ") + type + "= line in a media section");
    }
  }

  std::optional<Error> setOnce(std::optional<std::string>& field, std::string_view value,
                               std::string_view what) {
    if (field) return fail("duplicate " + std::string(what) + " line");
    field = std::string(value);
    return std::nullopt;
  }

  std::optional<Error> addAttribute(AttributeList& list, std::string_view value) {
    auto a = parseAttribute(value);
    if (!a) return fail("malformed a= line");
    list.attributes.push_back(std::move(*a));
    return std::nullopt;
  }

  std::string_view text_;
  const ParseLimits& limits_;
  SessionDescription sdp_;
  State state_ = State::ExpectV;
  size_t lineNo_ = 0;
};

}  // namespace

Result<SessionDescription> parse(std::string_view text, const ParseLimits& limits) {
  return Parser(text, limits).run();
}

}  // namespace callgate::sdp

// SIP message parser (RFC 3261 §7, §25.1).
//
//   start-line CRLF              Method SP Request-URI SP SIP/2.0   |   SIP/2.0 SP 3DIGIT SP Reason
//   *( name HCOLON value CRLF    (value may continue on lines starting with SP / HTAB: folding)
//   CRLF
//   [ body ]                     Content-Length octets, or the rest of the datagram
//
// Hard limits (size, header count, line length) are enforced before any work that scales
// with them. Lines may end in CRLF or a bare LF (robustness, RFC 3261 §7.5 spirit).
#include "sip/parser.hpp"

#include <charconv>
#include <cstring>

#include "sip/grammar.hpp"

namespace callgate::sip {
namespace {

using grammar::iequals;
using grammar::isToken;
using grammar::isTokenChar;
// The message parser needs CR / LF kept apart from SP / HTAB: a line starting with SP / HTAB
// is a folded continuation (RFC 3261 §7.3.1), so only WSP counts as whitespace here.
using grammar::isWsp;
using grammar::trimWsp;

bool startsWithNoCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

// Digits only, no sign, no overflow past `max`.
bool parseUnsigned(std::string_view s, uint64_t max, uint64_t& out) {
  if (s.empty() || s.size() > 19) return false;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<uint64_t>(c - '0');
    if (v > max) return false;
  }
  out = v;
  return true;
}

// Bounds-checked line reader over the header section. Every read of the datagram in the
// header section goes through next().
class LineReader {
 public:
  LineReader(std::string_view data, size_t pos, size_t maxLine) : data_(data), pos_(pos), maxLine_(maxLine) {}

  enum class Status { Ok, Unterminated, TooLong, BadChar };

  // Reads one physical line without its CRLF / LF.
  Status next(std::string_view& line) {
    const size_t start = pos_;
    const size_t end = data_.size();
    size_t i = start;
    for (; i < end; ++i) {
      const auto c = static_cast<unsigned char>(data_[i]);
      if (c >= 0x20 && c != 0x7f) continue;
      if (c == '\t') continue;
      if (c == '\n') break;
      // A CR is only allowed right before LF; NUL and other controls never in headers.
      if (c == '\r' && i + 1 < end && data_[i + 1] == '\n') continue;
      return Status::BadChar;
    }
    if (i >= end) return Status::Unterminated;
    size_t lineEnd = i;
    if (lineEnd > start && data_[lineEnd - 1] == '\r') --lineEnd;
    if (lineEnd - start > maxLine_) return Status::TooLong;
    line = data_.substr(start, lineEnd - start);
    pos_ = i + 1;
    return Status::Ok;
  }

  // True when the next physical line continues the current header (folding, RFC 3261 §7.3.1).
  bool continues() const { return pos_ < data_.size() && isWsp(data_[pos_]); }
  size_t pos() const { return pos_; }

 private:
  std::string_view data_;
  size_t pos_;
  size_t maxLine_;
};

Error lineError(LineReader::Status s) {
  switch (s) {
    case LineReader::Status::Unterminated: return makeError("Incomplete header section");
    case LineReader::Status::TooLong: return makeError("Header line too long");
    case LineReader::Status::BadChar: return makeError("Invalid character in header section");
    case LineReader::Status::Ok: break;
  }
  return makeError("Malformed message");
}

// SIP-Version is case-insensitive (RFC 3261 §7.1); anything but 2.0 gets 505 upstream.
std::optional<Error> checkVersion(std::string_view v) {
  if (iequals(v, "SIP/2.0")) return std::nullopt;
  if (startsWithNoCase(v, "SIP/")) return makeError("Version Not Supported");
  return makeError("Malformed start line");
}

std::optional<Error> parseStartLine(std::string_view line, Message& msg) {
  if (startsWithNoCase(line, "SIP/")) {
    // Status-Line = SIP-Version SP Status-Code SP Reason-Phrase (§7.2)
    const size_t sp = line.find(' ');
    if (sp == std::string_view::npos) return makeError("Malformed status line");
    if (auto e = checkVersion(line.substr(0, sp))) return e;
    std::string_view rest = line.substr(sp + 1);
    if (rest.size() < 3) return makeError("Malformed status line");
    uint64_t code = 0;
    if (!parseUnsigned(rest.substr(0, 3), 699, code) || code < 100) return makeError("Malformed status line");
    rest.remove_prefix(3);
    if (!rest.empty()) {
      if (rest.front() != ' ') return makeError("Malformed status line");
      rest.remove_prefix(1);
    }
    msg.status = static_cast<int>(code);
    msg.reason.assign(rest);
    return std::nullopt;
  }
  // Request-Line = Method SP Request-URI SP SIP-Version (§7.1): exactly single spaces, so
  // a Request-URI with embedded whitespace is refused (RFC 4475 §3.1.2.5 lwsruri).
  const size_t sp1 = line.find(' ');
  const size_t sp2 = line.rfind(' ');
  if (sp1 == std::string_view::npos || sp2 == sp1) return makeError("Malformed request line");
  const std::string_view method = line.substr(0, sp1);
  const std::string_view uri = line.substr(sp1 + 1, sp2 - sp1 - 1);
  const std::string_view version = line.substr(sp2 + 1);
  if (!isToken(method)) return makeError("Malformed request line");
  if (auto e = checkVersion(version)) return e;
  if (uri.empty() || uri.find_first_of(" \t") != std::string_view::npos ||
      uri.find(':') == std::string_view::npos) {
    return makeError("Malformed Request-URI");
  }
  msg.method.assign(method);
  msg.requestUri.assign(uri);
  return std::nullopt;
}

// The top Via starts with sent-protocol "SIP/2.0/transport"; SLASH allows LWS around it
// (§25.1, RFC 4475 §3.1.1.1 wsinv), so whitespace is skipped while matching.
bool sentProtocolOk(std::string_view via) {
  static constexpr std::string_view kPrefix = "sip/2.0/";
  size_t i = 0;
  for (char want : kPrefix) {
    while (i < via.size() && isWsp(via[i])) ++i;
    if (i >= via.size()) return false;
    if (grammar::lowerAscii(via[i++]) != want) return false;
  }
  while (i < via.size() && isWsp(via[i])) ++i;
  return i < via.size() && isTokenChar(via[i]);
}

// CSeq = 1*DIGIT LWS Method (§20.16); the number must be below 2^31 (§8.1.1.5).
bool cseqValid(std::string_view value, std::string_view& method) {
  size_t i = 0;
  while (i < value.size() && value[i] >= '0' && value[i] <= '9') ++i;
  uint64_t n = 0;
  if (!parseUnsigned(value.substr(0, i), 0x7fffffffULL, n)) return false;
  const size_t digitsEnd = i;
  while (i < value.size() && isWsp(value[i])) ++i;
  if (i == digitsEnd) return false;
  method = value.substr(i);
  return isToken(method);
}

std::optional<Error> checkMandatory(const Message& msg, size_t& contentLength, bool& hasContentLength) {
  size_t via = 0, from = 0, to = 0, callId = 0, cseq = 0, maxForwards = 0;
  const Header* cseqHeader = nullptr;
  const Header* firstVia = nullptr;
  hasContentLength = false;
  for (const Header& h : msg.headers) {
    const std::string& n = h.name;
    if (n == "Via") {
      if (via++ == 0) firstVia = &h;
    } else if (n == "From") {
      ++from;
    } else if (n == "To") {
      ++to;
    } else if (n == "Call-ID") {
      ++callId;
      if (h.value.empty()) return makeError("Malformed Call-ID");
    } else if (n == "CSeq") {
      ++cseq;
      cseqHeader = &h;
    } else if (n == "Max-Forwards") {
      ++maxForwards;
      uint64_t mf = 0;
      if (!parseUnsigned(h.value, 255, mf)) return makeError("Malformed Max-Forwards");
    } else if (n == "Content-Length") {
      uint64_t len = 0;
      if (!parseUnsigned(h.value, 0xffffffffULL, len)) return makeError("Malformed Content-Length");
      // Repeated Content-Length lines that disagree make the framing ambiguous.
      if (hasContentLength && len != contentLength) return makeError("Conflicting Content-Length headers");
      contentLength = static_cast<size_t>(len);
      hasContentLength = true;
    }
  }
  if (via == 0) return makeError("Missing Via header");
  if (from == 0) return makeError("Missing From header");
  if (to == 0) return makeError("Missing To header");
  if (callId == 0) return makeError("Missing Call-ID header");
  if (cseq == 0) return makeError("Missing CSeq header");
  // Single-valued headers (§20): more than one is a malformed message (RFC 4475 §3.1.2.19).
  if (from > 1) return makeError("Multiple From headers");
  if (to > 1) return makeError("Multiple To headers");
  if (callId > 1) return makeError("Multiple Call-ID headers");
  if (cseq > 1) return makeError("Multiple CSeq headers");
  if (maxForwards > 1) return makeError("Multiple Max-Forwards headers");
  if (msg.header("From")->empty()) return makeError("Malformed From");
  if (msg.header("To")->empty()) return makeError("Malformed To");
  if (!sentProtocolOk(firstVia->value)) return makeError("Malformed Via");
  std::string_view cseqMethod;
  if (!cseqValid(cseqHeader->value, cseqMethod)) return makeError("Malformed CSeq");
  // §8.2: the CSeq method must match the request method (RFC 4475 §3.1.2.16 mismatch01).
  if (msg.isRequest() && cseqMethod != msg.method) return makeError("CSeq method does not match request method");
  return std::nullopt;
}

}  // namespace

Result<Message> parseMessage(std::string_view data, const ParseLimits& limits) {
  if (data.size() > limits.maxMessageBytes) return makeError("Message too large");
  // §7.5: CRLFs before the start line are ignored (they are also keep-alives, RFC 5626).
  size_t start = 0;
  while (start < data.size() && (data[start] == '\r' || data[start] == '\n')) ++start;
  if (start == data.size()) return makeError("Empty message");

  Message msg;
  LineReader reader(data, start, limits.maxLineBytes);
  std::string_view line;
  if (auto s = reader.next(line); s != LineReader::Status::Ok) return lineError(s);
  if (auto e = parseStartLine(line, msg)) return *e;

  msg.headers.reserve(16);
  for (;;) {
    if (auto s = reader.next(line); s != LineReader::Status::Ok) return lineError(s);
    if (line.empty()) break;
    if (isWsp(line.front())) return makeError("Malformed header line");
    // message-header = field-name *WS ":" LWS field-value (HCOLON, §25.1)
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) return makeError("Malformed header line");
    const std::string_view name = trimWsp(line.substr(0, colon));
    if (!isToken(name)) return makeError("Malformed header name");
    if (msg.headers.size() >= limits.maxHeaders) return makeError("Too many headers");

    Header& h = msg.headers.emplace_back();
    h.name = canonicalHeaderName(name);
    h.value.assign(trimWsp(line.substr(colon + 1)));
    // Folded continuation lines join with a single SP (§7.3.1: equivalent to one SP).
    while (reader.continues()) {
      if (auto s = reader.next(line); s != LineReader::Status::Ok) return lineError(s);
      const std::string_view more = trimWsp(line);
      if (more.empty()) continue;
      if (!h.value.empty()) h.value.push_back(' ');
      h.value.append(more);
      if (h.value.size() > limits.maxLineBytes) return makeError("Header line too long");
    }
  }

  size_t contentLength = 0;
  bool hasContentLength = false;
  if (auto e = checkMandatory(msg, contentLength, hasContentLength)) return *e;

  const std::string_view rest = data.substr(reader.pos());
  if (hasContentLength) {
    // §18.3: a datagram shorter than Content-Length is an error; extra bytes are discarded.
    if (contentLength > rest.size()) return makeError("Content-Length larger than message");
    msg.body.assign(rest.substr(0, contentLength));
  } else {
    msg.body.assign(rest);
  }
  return msg;
}

}  // namespace callgate::sip

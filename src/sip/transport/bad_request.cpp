#include "sip/transport/bad_request.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "common/random.hpp"
#include "sip/grammar.hpp"
#include "sip/header_values.hpp"

namespace callgate::sip::transport {
namespace {

constexpr size_t kMaxReasonBytes = 120;
constexpr size_t kMaxSalvagedValueBytes = 1024;
constexpr size_t kMaxSalvagedVias = 16;

std::string sanitize(std::string_view text, size_t limit) {
  std::string out;
  out.reserve(std::min(text.size(), limit));
  for (char c : text) {
    if (out.size() >= limit) break;
    auto u = static_cast<unsigned char>(c);
    out.push_back(u < 0x20 || u == 0x7f ? ' ' : c);
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  size_t start = out.find_first_not_of(' ');
  return start == std::string::npos ? std::string() : out.substr(start);
}

// SP / HTAB at both ends plus CR at the end only: lines here are cut at LF, so a CR may
// still hang off the end, while a leading CR / LF is structure, not padding (unlike
// grammar::trimWhitespace).
std::string_view trimRawLine(std::string_view s) {
  while (!s.empty() && grammar::isWsp(s.front())) s.remove_prefix(1);
  while (!s.empty() && (grammar::isWsp(s.back()) || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::string_view firstLine(std::string_view datagram) {
  // Leading CRLFs before a request line are tolerated (§7.5).
  while (!datagram.empty() && (datagram.front() == '\r' || datagram.front() == '\n')) datagram.remove_prefix(1);
  return datagram.substr(0, datagram.find('\n'));
}

}  // namespace

DatagramKind classifyDatagram(std::string_view datagram) {
  std::string_view line = firstLine(datagram);
  if (trimRawLine(line).empty() && datagram.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return DatagramKind::KeepAlive;
  }
  if (line.substr(0, 8) == "SIP/2.0 " || line.substr(0, 8) == "sip/2.0 ") return DatagramKind::Response;
  if (line.substr(0, 4) == "ACK ") return DatagramKind::Ack;
  return DatagramKind::Request;
}

std::optional<Message> makeBadRequestResponse(std::string_view datagram, std::string_view reason) {
  // Unfold header lines (a line starting with SP/HT continues the previous one) up to the
  // blank line that ends the header section.
  std::vector<std::string> lines;
  bool first = true;
  while (!datagram.empty()) {
    size_t end = datagram.find('\n');
    std::string_view raw = datagram.substr(0, end);
    datagram = end == std::string_view::npos ? std::string_view() : datagram.substr(end + 1);
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    if (first) {
      if (raw.empty()) continue;  // leading CRLFs
      first = false;            // request line: not salvaged
      continue;
    }
    if (raw.empty()) break;
    if (grammar::isWsp(raw.front()) && !lines.empty()) {
      lines.back() += ' ';
      lines.back() += trimRawLine(raw);
    } else {
      lines.emplace_back(raw);
    }
    if (lines.size() > 256) break;
  }

  std::vector<Header> vias;
  std::optional<std::string> from, to, callId, cseq;
  for (const auto& line : lines) {
    size_t colon = line.find(':');
    if (colon == std::string::npos || colon == 0) continue;
    std::string_view name = trimRawLine(std::string_view(line).substr(0, colon));
    std::string value = sanitize(trimRawLine(std::string_view(line).substr(colon + 1)), kMaxSalvagedValueBytes);
    if (value.empty() || name.find_first_of(" \t") != std::string_view::npos) continue;
    std::string canonical = canonicalHeaderName(name);
    // A value that fails its own grammar is left out: echoing it would make the 400 itself
    // unparsable for the peer.
    if (canonical == "Via" && !parseVia(value)) continue;
    if ((canonical == "From" || canonical == "To") && !parseNameAddr(value)) continue;
    if (canonical == "CSeq" && !parseCSeq(value)) continue;
    if (canonical == "Via") {
      if (vias.size() < kMaxSalvagedVias) vias.push_back(Header{"Via", std::move(value)});
    } else if (canonical == "From" && !from) {
      from = std::move(value);
    } else if (canonical == "To" && !to) {
      to = std::move(value);
    } else if (canonical == "Call-ID" && !callId) {
      callId = std::move(value);
    } else if (canonical == "CSeq" && !cseq) {
      cseq = std::move(value);
    }
  }
  if (vias.empty() && !from && !to && !callId && !cseq) return std::nullopt;

  std::string phrase = sanitize(reason, kMaxReasonBytes);
  if (phrase.empty()) phrase = "Bad Request";
  Message response = Message::response(400, std::move(phrase));
  for (auto& via : vias) response.headers.push_back(std::move(via));
  if (from) response.addHeader("From", std::move(*from));
  if (to) {
    if (to->find(";tag=") == std::string::npos && to->find(";TAG=") == std::string::npos) *to += ";tag=" + randomToken(10);
    response.addHeader("To", std::move(*to));
  }
  if (callId) response.addHeader("Call-ID", std::move(*callId));
  if (cseq) response.addHeader("CSeq", std::move(*cseq));
  return response;
}

}  // namespace callgate::sip::transport

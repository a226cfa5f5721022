#include "localdomain/proxy_support.hpp"

#include <algorithm>
#include <charconv>
#include <optional>
#include <vector>

#include "sip/digest.hpp"
#include "sip/grammar.hpp"
#include "sip/header_values.hpp"

namespace callgate::localdomain {
namespace {

std::string_view topViaText(const sip::Message& m) {
  auto vias = m.headerValues("Via");
  return vias.empty() ? std::string_view{} : vias.front();
}

std::string fromTag(const sip::Message& m) {
  if (auto from = m.header("From"))
    if (auto na = sip::parseNameAddr(*from)) return na->tag().value_or("");
  return {};
}

}  // namespace

std::string derivedBranch(const sip::Message& request) {
  const std::string_view top = topViaText(request);
  std::string key;
  auto via = sip::parseVia(top);
  const std::string branch = via ? via->branch().value_or("") : std::string();
  if (branch.rfind("z9hG4bK", 0) == 0) {
    // RFC 3261 client: branch + sent-by identify the transaction (§17.2.3).
    key = branch + "|" + via->host + ":" + std::to_string(via->port);
  } else {
    auto cseq = request.header("CSeq") ? sip::parseCSeq(*request.header("CSeq")) : Result<sip::CSeq>(makeError("x"));
    key = std::string(request.header("Call-ID").value_or("")) + "|" + fromTag(request) + "|" +
          (cseq ? std::to_string(cseq->number) : std::string()) + "|" + request.requestUri + "|" + std::string(top);
  }
  return std::string(kBranchPrefix) + sip::hexHash("SHA-256", key).substr(0, 24);
}

std::string localToTag(const sip::Message& request) {
  auto via = sip::parseVia(topViaText(request));
  const std::string key = std::string(request.header("Call-ID").value_or("")) + "|" + fromTag(request) + "|" +
                          (via ? via->branch().value_or("") : std::string());
  return "cgld" + sip::hexHash("SHA-256", key).substr(0, 16);
}

bool popFirstValue(sip::Message& message, std::string_view name) {
  for (auto it = message.headers.begin(); it != message.headers.end(); ++it) {
    if (!sip::headerNameEquals(it->name, name)) continue;
    // The line may hold several values; keep all but the first.
    sip::Message probe;
    probe.headers.push_back(*it);
    auto values = probe.headerValues(name);
    if (values.size() <= 1) {
      message.headers.erase(it);
      return true;
    }
    std::string rest;
    for (size_t i = 1; i < values.size(); ++i) {
      if (!rest.empty()) rest += ", ";
      rest.append(values[i]);
    }
    it->value = std::move(rest);
    return true;
  }
  return false;
}

bool popLastValue(sip::Message& message, std::string_view name) {
  std::vector<std::string> values;
  for (auto v : message.headerValues(name)) values.emplace_back(v);
  if (values.empty()) return false;
  values.pop_back();
  // Rebuilt one value per line where the first line was, so the order of the rest is kept.
  auto first = std::find_if(message.headers.begin(), message.headers.end(),
                            [&](const sip::Header& h) { return sip::headerNameEquals(h.name, name); });
  const size_t at = size_t(first - message.headers.begin());
  const std::string canonical = first->name;
  message.removeHeader(name);
  std::vector<sip::Header> lines;
  for (auto& v : values) lines.push_back(sip::Header{canonical, std::move(v)});
  message.headers.insert(message.headers.begin() + std::ptrdiff_t(std::min(at, message.headers.size())),
                         lines.begin(), lines.end());
  return true;
}

std::optional<unsigned> maxForwards(const sip::Message& request) {
  auto value = request.header("Max-Forwards");
  if (!value) return 70;
  const std::string_view text = sip::grammar::trimWhitespace(*value);
  unsigned v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v > 255) return std::nullopt;
  return v;
}

}  // namespace callgate::localdomain

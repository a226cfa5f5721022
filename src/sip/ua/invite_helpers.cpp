#include "sip/ua/invite_helpers.hpp"

#include <algorithm>
#include <cctype>

#include "sip/header_values.hpp"
#include "sip/identity_validation.hpp"

namespace callgate::sip::ua {

std::optional<std::string> sdpBody(const Message& message) {
  if (message.body.empty()) return std::nullopt;
  std::string_view type = message.header("Content-Type").value_or("");
  constexpr std::string_view kSdp = "application/sdp";
  auto it = std::search(type.begin(), type.end(), kSdp.begin(), kSdp.end(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
  });
  if (it == type.end()) return std::nullopt;
  return message.body;
}

uint32_t cseqNumber(const Message& message) {
  auto cseq = parseCSeq(message.header("CSeq").value_or(""));
  return cseq ? cseq->number : 0;
}

namespace {
bool isReservedHeader(std::string_view name) {
  const std::string canonical = canonicalHeaderName(name);
  for (std::string_view reserved :
       {"Via", "From", "To", "Call-ID", "CSeq", "Contact", "Route", "Record-Route", "Content-Type", "Content-Length",
        "Content-Encoding", "Max-Forwards", "Authorization", "Proxy-Authorization"}) {
    if (canonical == reserved) return true;
  }
  return false;
}
}  // namespace

Uri localContact(const std::string& login, const transaction::SipEndpoint& endpoint) {
  Uri contact;
  contact.user = login;
  contact.host = endpoint.advertisedHost();
  contact.port = endpoint.advertisedPort();
  contact.setParam("transport", "udp");
  return contact;
}

Result<void> validateExtraHeaders(const std::vector<Header>& headers) {
  for (const auto& h : headers) {
    if (auto valid = validateHeaderName(h.name); !valid) return makeError("Invalid extra header name: " + valid.error().message);
    if (auto valid = validateHeaderValue(h.value); !valid) {
      return makeError("Invalid value of extra header " + h.name + ": " + valid.error().message);
    }
    if (isReservedHeader(h.name)) return makeError("Extra header " + h.name + " is set by callgate and cannot be replaced");
  }
  return {};
}

}  // namespace callgate::sip::ua

#include "sip/transaction/responses.hpp"

#include <string>

#include "common/random.hpp"
#include "sip/header_values.hpp"

namespace callgate::sip::transaction {

Message makeResponse(const Message& request, int status, std::string_view reason, std::string_view toTag) {
  Message response = Message::response(status, reason.empty() ? std::string(reasonPhrase(status)) : std::string(reason));
  for (const auto& h : request.headers) {
    if (headerNameEquals(h.name, "Via")) response.headers.push_back(Header{"Via", h.value});
  }
  if (auto from = request.header("From")) response.addHeader("From", std::string(*from));
  if (auto to = request.header("To")) {
    std::string value(*to);
    if (status > 100) {
      auto parsed = parseNameAddr(value);
      bool hasTag = parsed ? parsed->tag().has_value() : value.find(";tag=") != std::string::npos;
      if (!hasTag) value += ";tag=" + (toTag.empty() ? randomToken(10) : std::string(toTag));
    }
    response.addHeader("To", std::move(value));
  }
  if (auto callId = request.header("Call-ID")) response.addHeader("Call-ID", std::string(*callId));
  if (auto cseq = request.header("CSeq")) response.addHeader("CSeq", std::string(*cseq));
  return response;
}

}  // namespace callgate::sip::transaction

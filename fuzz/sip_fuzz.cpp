// libFuzzer target for the SIP message layer: parseMessage, and on success the round trip
// parse -> serialize -> parse (must succeed and be stable); the structured header parsers
// (URI, name-addr, Via, CSeq, digest challenge) on every header value and on the raw input;
// and the identity validators. Any abort() here is a bug in src/sip.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "sip/digest.hpp"
#include "sip/header_values.hpp"
#include "sip/identity_validation.hpp"
#include "sip/message.hpp"
#include "sip/parser.hpp"
#include "sip/uri.hpp"

using namespace callgate::sip;

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

void fuzzUri(std::string_view text) {
  auto uri = parseUri(text);
  if (!uri) return;
  const std::string wire = uri->serialize();
  auto again = parseUri(wire);
  check(again.ok());
  check(again->serialize() == wire);
  (void)uri->hostPort();
}

void fuzzNameAddr(std::string_view text) {
  auto na = parseNameAddr(text);
  if (!na) return;
  const std::string wire = na->serialize();
  auto again = parseNameAddr(wire);
  check(again.ok());
  check(again->serialize() == wire);
  (void)na->tag();
}

void fuzzVia(std::string_view text) {
  auto via = parseVia(text);
  if (!via) return;
  const std::string wire = via->serialize();
  auto again = parseVia(wire);
  check(again.ok());
  check(again->serialize() == wire);
  (void)via->branch();
}

void fuzzDigest(std::string_view text) {
  auto c = parseDigestChallenge(text);
  if (!c) return;
  const std::string v = buildDigestAuthorization(*c, {"user", "pass"}, "REGISTER", "sip:example.com", 1, "abc");
  check(!v.empty());
}

void fuzzHeaderValues(const Message& m) {
  for (std::string_view name : {"Via"}) {
    for (std::string_view v : m.headerValues(name)) fuzzVia(v);
  }
  for (std::string_view name : {"From", "To", "Contact", "Route", "Record-Route", "Refer-To"}) {
    for (std::string_view v : m.headerValues(name)) fuzzNameAddr(v);
  }
  for (std::string_view name : {"WWW-Authenticate", "Proxy-Authenticate"}) {
    for (std::string_view v : m.headerValues(name)) fuzzDigest(v);
  }
  if (auto cseq = m.header("CSeq")) (void)parseCSeq(*cseq);
  if (m.isRequest()) fuzzUri(m.requestUri);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  auto msg = parseMessage(input);
  if (msg) {
    const std::string wire = msg->serialize();
    auto again = parseMessage(wire);
    check(again.ok());
    check(again->serialize() == wire);
    check(again->body == msg->body);
    fuzzHeaderValues(*msg);
  }

  // The structured parsers on the raw bytes too: they also see client-supplied values.
  fuzzUri(input);
  fuzzNameAddr(input);
  fuzzVia(input);
  fuzzDigest(input);
  (void)parseCSeq(input);
  (void)validateUserPart(input);
  (void)validateHost(input);
  (void)validateAuthName(input);
  (void)validateDisplayName(input);
  (void)validateHeaderName(input);
  (void)validateHeaderValue(input);
  (void)escapeUser(input);
  (void)quoteString(input);
  return 0;
}

#include "sip/message.hpp"

#include <gtest/gtest.h>

namespace callgate::sip {
namespace {

TEST(CanonicalHeaderName, CompactForms) {
  EXPECT_EQ(canonicalHeaderName("v"), "Via");
  EXPECT_EQ(canonicalHeaderName("V"), "Via");
  EXPECT_EQ(canonicalHeaderName("i"), "Call-ID");
  EXPECT_EQ(canonicalHeaderName("m"), "Contact");
  EXPECT_EQ(canonicalHeaderName("e"), "Content-Encoding");
  EXPECT_EQ(canonicalHeaderName("l"), "Content-Length");
  EXPECT_EQ(canonicalHeaderName("c"), "Content-Type");
  EXPECT_EQ(canonicalHeaderName("f"), "From");
  EXPECT_EQ(canonicalHeaderName("s"), "Subject");
  EXPECT_EQ(canonicalHeaderName("k"), "Supported");
  EXPECT_EQ(canonicalHeaderName("t"), "To");
  EXPECT_EQ(canonicalHeaderName("o"), "Event");
  EXPECT_EQ(canonicalHeaderName("u"), "Allow-Events");
  EXPECT_EQ(canonicalHeaderName("r"), "Refer-To");
  EXPECT_EQ(canonicalHeaderName("b"), "Referred-By");
  EXPECT_EQ(canonicalHeaderName("x"), "Session-Expires");
  EXPECT_EQ(canonicalHeaderName("y"), "Identity");
  EXPECT_EQ(canonicalHeaderName("q"), "q");  // not a compact form
}

TEST(CanonicalHeaderName, LongFormsAnyCase) {
  EXPECT_EQ(canonicalHeaderName("call-id"), "Call-ID");
  EXPECT_EQ(canonicalHeaderName("CSEQ"), "CSeq");
  EXPECT_EQ(canonicalHeaderName("www-authenticate"), "WWW-Authenticate");
  EXPECT_EQ(canonicalHeaderName("max-forwards"), "Max-Forwards");
  EXPECT_EQ(canonicalHeaderName("X-Foo"), "X-Foo");
  EXPECT_EQ(canonicalHeaderName("x-foo"), "x-foo");
}

TEST(HeaderNameEquals, CompactAndCase) {
  EXPECT_TRUE(headerNameEquals("v", "VIA"));
  EXPECT_TRUE(headerNameEquals("X-Foo", "x-FOO"));
  EXPECT_FALSE(headerNameEquals("To", "From"));
  EXPECT_FALSE(headerNameEquals("t", "f"));
}

TEST(ReasonPhrase, Known) {
  EXPECT_EQ(reasonPhrase(486), "Busy Here");
  EXPECT_EQ(reasonPhrase(200), "OK");
  EXPECT_EQ(reasonPhrase(481), "Call/Transaction Does Not Exist");
  EXPECT_EQ(reasonPhrase(299), "Unknown");
}

TEST(Message, HeaderAccess) {
  Message m = Message::request("INVITE", "sip:bob@example.com");
  m.addHeader("v", "SIP/2.0/UDP a;branch=z9hG4bK1, SIP/2.0/UDP b;branch=z9hG4bK2");
  m.addHeader("Via", "SIP/2.0/TCP c;branch=z9hG4bK3");
  m.addHeader("x-custom", "1");
  EXPECT_EQ(m.headers[0].name, "Via");
  EXPECT_EQ(m.header("VIA").value(), "SIP/2.0/UDP a;branch=z9hG4bK1, SIP/2.0/UDP b;branch=z9hG4bK2");
  EXPECT_EQ(m.header("X-Custom").value(), "1");
  EXPECT_FALSE(m.header("To").has_value());
  EXPECT_EQ(m.headerCount("v"), 2u);
  auto vias = m.headerValues("Via");
  ASSERT_EQ(vias.size(), 3u);
  EXPECT_EQ(vias[0], "SIP/2.0/UDP a;branch=z9hG4bK1");
  EXPECT_EQ(vias[1], "SIP/2.0/UDP b;branch=z9hG4bK2");
  EXPECT_EQ(vias[2], "SIP/2.0/TCP c;branch=z9hG4bK3");
}

TEST(Message, HeaderValuesRespectsQuotesAndBrackets) {
  Message m = Message::request("REGISTER", "sip:example.com");
  m.addHeader("Contact", "\"Doe, John\" <sip:j@h;x=a,b>;q=0.5, <sip:k@h>");
  auto c = m.headerValues("m");
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0], "\"Doe, John\" <sip:j@h;x=a,b>;q=0.5");
  EXPECT_EQ(c[1], "<sip:k@h>");
}

TEST(Message, HeaderValuesDoesNotSplitAuthOrDate) {
  Message m = Message::response(401, "");
  m.addHeader("WWW-Authenticate", "Digest realm=\"a\", nonce=\"b\"");
  m.addHeader("WWW-Authenticate", "Digest realm=\"a\", nonce=\"c\", algorithm=SHA-256");
  m.addHeader("Date", "Sat, 13 Nov 2010 23:29:00 GMT");
  EXPECT_EQ(m.headerValues("WWW-Authenticate").size(), 2u);
  EXPECT_EQ(m.headerValues("Date").size(), 1u);
  EXPECT_EQ(m.reason, "Unauthorized");
}

TEST(Message, SetRemovePrepend) {
  Message m = Message::request("OPTIONS", "sip:a@b");
  m.addHeader("Via", "SIP/2.0/UDP x;branch=z9hG4bK1");
  m.addHeader("Route", "<sip:r1>");
  m.addHeader("Route", "<sip:r2>");
  m.addHeader("To", "<sip:a@b>");
  m.setHeader("route", "<sip:only>");
  EXPECT_EQ(m.headerCount("Route"), 1u);
  EXPECT_EQ(m.headers[1].name, "Route");
  EXPECT_EQ(m.headers[1].value, "<sip:only>");
  m.prependHeader("v", "SIP/2.0/UDP y;branch=z9hG4bK2");
  EXPECT_EQ(m.headers[0].value, "SIP/2.0/UDP y;branch=z9hG4bK2");
  EXPECT_EQ(m.header("Via").value(), "SIP/2.0/UDP y;branch=z9hG4bK2");
  m.removeHeader("VIA");
  EXPECT_EQ(m.headerCount("Via"), 0u);
  m.prependHeader("Max-Forwards", "70");
  EXPECT_EQ(m.headers.front().name, "Max-Forwards");
  m.setHeader("Subject", "new");
  EXPECT_EQ(m.headers.back().name, "Subject");
}

TEST(Message, SerializeRequestSetsContentLength) {
  Message m = Message::request("MESSAGE", "sip:bob@example.com");
  m.addHeader("Via", "SIP/2.0/UDP h;branch=z9hG4bK1");
  m.addHeader("l", "999");  // stale value must be replaced
  m.addHeader("Content-Type", "text/plain");
  m.body = "hello";
  EXPECT_EQ(m.serialize(),
            "MESSAGE sip:bob@example.com SIP/2.0\r\n"
            "Via: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
            "Content-Type: text/plain\r\n"
            "Content-Length: 5\r\n\r\nhello");
}

TEST(Message, SerializeResponse) {
  Message m = Message::response(486, "");
  EXPECT_TRUE(m.isResponse());
  EXPECT_EQ(m.serialize(), "SIP/2.0 486 Busy Here\r\nContent-Length: 0\r\n\r\n");
  Message custom = Message::response(200, "Fine");
  EXPECT_EQ(custom.serialize(), "SIP/2.0 200 Fine\r\nContent-Length: 0\r\n\r\n");
}

}  // namespace
}  // namespace callgate::sip

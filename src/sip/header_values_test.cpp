#include "sip/header_values.hpp"

#include <gtest/gtest.h>

namespace callgate::sip {
namespace {

TEST(NameAddr, QuotedDisplayNameWithEscapes) {
  auto r = parseNameAddr(R"("J. \"Rose\" Doe \\ x" <sip:j%20doe@example.com;transport=tcp>;tag=abc;expires=60)");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->displayName, R"(J. "Rose" Doe \ x)");
  EXPECT_EQ(r->uri.user, "j doe");
  EXPECT_EQ(r->uri.param("transport").value(), "tcp");
  EXPECT_EQ(r->tag().value(), "abc");
  EXPECT_EQ(r->param("EXPIRES").value(), "60");
  EXPECT_EQ(r->serialize(), R"("J. \"Rose\" Doe \\ x" <sip:j%20doe@example.com;transport=tcp>;tag=abc;expires=60)");
}

TEST(NameAddr, TokenDisplayName) {
  auto r = parseNameAddr("Bob  Smith<sip:bob@biloxi.example.com>");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->displayName, "Bob  Smith");
  EXPECT_EQ(r->uri.host, "biloxi.example.com");
  EXPECT_FALSE(r->tag());
}

TEST(NameAddr, AddrSpecParamsBelongToHeader) {
  // §20.10: without <>, ;tag is a header parameter, not a URI parameter.
  auto r = parseNameAddr("sip:alice@atlanta.example.com;tag=88sja8x ; q=0.7");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->uri.params.empty());
  EXPECT_EQ(r->tag().value(), "88sja8x");
  EXPECT_EQ(r->param("q").value(), "0.7");
  EXPECT_EQ(r->serialize(), "<sip:alice@atlanta.example.com>;tag=88sja8x;q=0.7");
}

TEST(NameAddr, UriParamsInsideBrackets) {
  auto r = parseNameAddr("<sip:proxy.example.com;lr>");
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->uri.hasParam("lr"));
  EXPECT_TRUE(r->params.empty());
}

TEST(NameAddr, QuotedParamValueAndSetParam) {
  auto r = parseNameAddr(R"(<sip:a@192.0.2.1:5060>;+sip.instance="<urn:uuid:00000000-0000-1000-8000-000A95A0E128>";reg-id=1)");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->param("+sip.instance").value(), R"("<urn:uuid:00000000-0000-1000-8000-000A95A0E128>")");
  r->setParam("tag", "t1");
  r->setParam("reg-id", "2");
  EXPECT_EQ(r->serialize(),
            R"(<sip:a@192.0.2.1:5060>;+sip.instance="<urn:uuid:00000000-0000-1000-8000-000A95A0E128>";reg-id=2;tag=t1)");
}

TEST(NameAddr, Errors) {
  EXPECT_FALSE(parseNameAddr(""));
  EXPECT_FALSE(parseNameAddr("\"unterminated <sip:a@b>"));
  EXPECT_FALSE(parseNameAddr("\"x\" sip:a@b"));
  EXPECT_FALSE(parseNameAddr("<sip:a@b"));
  EXPECT_FALSE(parseNameAddr("<sip:a@b>tag=1"));
  EXPECT_FALSE(parseNameAddr("<sip:a@b>;"));
  EXPECT_FALSE(parseNameAddr("<sip:a@b>;tag=\"x"));
  EXPECT_FALSE(parseNameAddr("sip:a@b?x=y"));
  EXPECT_FALSE(parseNameAddr("<http://x>"));
  EXPECT_FALSE(parseNameAddr("Bad\"Name <sip:a@b>"));
}

TEST(Via, Typical) {
  auto r = parseVia("SIP/2.0/UDP pc33.atlanta.example.com:5066;branch=z9hG4bK776asdhds;rport;received=192.0.2.1");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->transport, "UDP");
  EXPECT_EQ(r->host, "pc33.atlanta.example.com");
  EXPECT_EQ(r->port, 5066);
  EXPECT_EQ(r->branch().value(), "z9hG4bK776asdhds");
  EXPECT_EQ(r->param("rport").value(), "");
  EXPECT_EQ(r->param("received").value(), "192.0.2.1");
  EXPECT_FALSE(r->param("maddr"));
  EXPECT_EQ(r->serialize(),
            "SIP/2.0/UDP pc33.atlanta.example.com:5066;branch=z9hG4bK776asdhds;rport;received=192.0.2.1");
}

TEST(Via, OddWhitespaceAndCase) {
  auto r = parseVia("  sip / 2.0 / tcp\t 192.0.2.2 : 5060 ; branch = z9hG4bKkjshdyff  ");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->transport, "TCP");
  EXPECT_EQ(r->host, "192.0.2.2");
  EXPECT_EQ(r->port, 5060);
  EXPECT_EQ(r->branch().value(), "z9hG4bKkjshdyff");
}

TEST(Via, Ipv6AndWebSocket) {
  auto r = parseVia("SIP/2.0/WSS [2001:db8::9]:443;branch=z9hG4bK1;received=2001:db8::1");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->transport, "WSS");
  EXPECT_EQ(r->host, "[2001:db8::9]");
  EXPECT_EQ(r->port, 443);
  EXPECT_EQ(r->param("received").value(), "2001:db8::1");
  auto noPort = parseVia("SIP/2.0/TLS df7jal23ls0d.invalid;branch=z9hG4bK2");
  ASSERT_TRUE(noPort);
  EXPECT_EQ(noPort->port, 0);
  EXPECT_EQ(noPort->serialize(), "SIP/2.0/TLS df7jal23ls0d.invalid;branch=z9hG4bK2");
}

TEST(Via, Errors) {
  EXPECT_FALSE(parseVia(""));
  EXPECT_FALSE(parseVia("SIP/2.0/UDP"));
  EXPECT_FALSE(parseVia("SIP/2.0 host"));
  EXPECT_FALSE(parseVia("SIP/3.0/UDP host"));
  EXPECT_FALSE(parseVia("HTTP/2.0/UDP host"));
  EXPECT_FALSE(parseVia("SIP/2.0/UDP host:"));
  EXPECT_FALSE(parseVia("SIP/2.0/UDP host:99999"));
  EXPECT_FALSE(parseVia("SIP/2.0/UDP host;"));
  EXPECT_FALSE(parseVia("SIP/2.0/UDP [::1"));
  EXPECT_FALSE(parseVia("SIP/2.0/UDP ho!st"));
}

TEST(CSeq, Parse) {
  auto r = parseCSeq("4711 INVITE");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->number, 4711u);
  EXPECT_EQ(r->method, "INVITE");
  auto ws = parseCSeq(" 1 \t ACK ");
  ASSERT_TRUE(ws);
  EXPECT_EQ(ws->method, "ACK");
  EXPECT_EQ(parseCSeq("2147483647 BYE")->number, 2147483647u);
  EXPECT_FALSE(parseCSeq("2147483648 BYE"));
  EXPECT_FALSE(parseCSeq("INVITE"));
  EXPECT_FALSE(parseCSeq("1INVITE"));
  EXPECT_FALSE(parseCSeq("1"));
  EXPECT_FALSE(parseCSeq("1 IN VITE"));
  EXPECT_FALSE(parseCSeq("-1 INVITE"));
}

TEST(QuoteString, EscapesAndDropsCrLf) {
  EXPECT_EQ(quoteString("Alice"), "\"Alice\"");
  EXPECT_EQ(quoteString("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(quoteString("x\r\nVia: evil"), "\"xVia: evil\"");
  auto back = parseNameAddr(quoteString("a\"b\\c") + " <sip:x@y>");
  ASSERT_TRUE(back);
  EXPECT_EQ(back->displayName, "a\"b\\c");
}

}  // namespace
}  // namespace callgate::sip

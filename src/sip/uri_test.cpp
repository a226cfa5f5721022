#include "sip/uri.hpp"

#include <gtest/gtest.h>

namespace callgate::sip {
namespace {

TEST(Uri, Full) {
  auto r = parseUri("sip:alice:secret@atlanta.example.com:5061;transport=tcp;lr?subject=project&priority=urgent");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->scheme, "sip");
  EXPECT_EQ(r->user, "alice");
  EXPECT_EQ(r->password, "secret");
  EXPECT_EQ(r->host, "atlanta.example.com");
  EXPECT_EQ(r->port, 5061);
  ASSERT_EQ(r->params.size(), 2u);
  EXPECT_EQ(r->param("TRANSPORT").value(), "tcp");
  EXPECT_TRUE(r->hasParam("lr"));
  EXPECT_EQ(r->param("lr").value(), "");
  EXPECT_FALSE(r->param("maddr"));
  ASSERT_EQ(r->headers.size(), 2u);
  EXPECT_EQ(r->headers[1].name, "priority");
  EXPECT_EQ(r->headers[1].value.value(), "urgent");
  EXPECT_EQ(r->hostPort(), "atlanta.example.com:5061");
  EXPECT_EQ(r->serialize(),
            "sip:alice:secret@atlanta.example.com:5061;transport=tcp;lr?subject=project&priority=urgent");
}

TEST(Uri, HostOnlyAndSchemeCase) {
  auto r = parseUri("SIPS:example.com");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->scheme, "sips");
  EXPECT_EQ(r->user, "");
  EXPECT_EQ(r->port, 0);
  EXPECT_EQ(r->hostPort(), "example.com");
  EXPECT_EQ(r->serialize(), "sips:example.com");
}

TEST(Uri, EscapedUser) {
  // RFC 4475 §3.1.1.10 escruri-like: escaped characters in the user part.
  auto r = parseUri("sip:sips%3Auser%40example.com@example.net");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->user, "sips:user@example.com");
  EXPECT_EQ(r->host, "example.net");
  EXPECT_EQ(r->serialize(), "sip:sips%3Auser%40example.com@example.net");

  auto space = parseUri("sip:j%20doe@example.com");
  ASSERT_TRUE(space);
  EXPECT_EQ(space->user, "j doe");
  EXPECT_EQ(space->serialize(), "sip:j%20doe@example.com");

  auto lower = parseUri("sip:%61lice@example.com");
  ASSERT_TRUE(lower);
  EXPECT_EQ(lower->user, "alice");
  EXPECT_EQ(lower->serialize(), "sip:alice@example.com");
}

TEST(Uri, UserUnreservedAndTelephoneSubscriber) {
  auto r = parseUri("sip:+1-212-555-1212;npdi=yes@gateway.com;user=phone");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->user, "+1-212-555-1212;npdi=yes");
  EXPECT_EQ(r->host, "gateway.com");
  EXPECT_EQ(r->param("user").value(), "phone");
  EXPECT_EQ(r->serialize(), "sip:+1-212-555-1212;npdi=yes@gateway.com;user=phone");
}

TEST(Uri, Ipv6) {
  auto r = parseUri("sip:[2001:db8::10]:5070;transport=udp");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->host, "[2001:db8::10]");
  EXPECT_EQ(r->port, 5070);
  EXPECT_EQ(r->hostPort(), "[2001:db8::10]:5070");
  auto noPort = parseUri("sip:bob@[::ffff:192.0.2.1]");
  ASSERT_TRUE(noPort);
  EXPECT_EQ(noPort->host, "[::ffff:192.0.2.1]");
  EXPECT_EQ(noPort->port, 0);
  EXPECT_FALSE(parseUri("sip:[2001:db8::10"));
  EXPECT_FALSE(parseUri("sip:[2001:db8::10]x"));
  EXPECT_FALSE(parseUri("sip:[zz::1]"));
}

TEST(Uri, Tel) {
  auto r = parseUri("tel:+1-201-555-0123;phone-context=example.com");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->scheme, "tel");
  EXPECT_EQ(r->user, "+1-201-555-0123");
  EXPECT_EQ(r->param("phone-context").value(), "example.com");
  EXPECT_EQ(r->serialize(), "tel:+1-201-555-0123;phone-context=example.com");
  EXPECT_FALSE(parseUri("tel:"));
  auto escaped = parseUri("tel:%3B1");
  ASSERT_TRUE(escaped);
  EXPECT_EQ(escaped->user, ";1");
  EXPECT_EQ(escaped->serialize(), "tel:%3B1");
}

TEST(Uri, Errors) {
  EXPECT_EQ(parseUri("http://example.com").error().message, "Unsupported URI scheme");
  EXPECT_FALSE(parseUri("example.com"));
  EXPECT_FALSE(parseUri(":x"));
  EXPECT_FALSE(parseUri("sip:"));
  EXPECT_FALSE(parseUri("sip:@example.com"));
  EXPECT_FALSE(parseUri("sip:a b@example.com"));
  EXPECT_FALSE(parseUri("sip:a%2@example.com"));
  EXPECT_FALSE(parseUri("sip:a%zz@example.com"));
  EXPECT_FALSE(parseUri("sip:a@exa mple.com"));
  EXPECT_FALSE(parseUri("sip:a@example.com:"));
  EXPECT_FALSE(parseUri("sip:a@example.com:65536"));
  EXPECT_FALSE(parseUri("sip:a@example.com:5x"));
  EXPECT_FALSE(parseUri("sip:a@example.com;"));
  EXPECT_FALSE(parseUri("sip:a@example.com;=x"));
  EXPECT_FALSE(parseUri("sip:a@example_com"));
}

TEST(Uri, SetParam) {
  Uri u;
  u.host = "example.com";
  u.user = "a b";
  u.setParam("transport", "tcp");
  u.setParam("lr");
  u.setParam("Transport", "tls");
  EXPECT_EQ(u.serialize(), "sip:a%20b@example.com;transport=tls;lr");
  u.port = 5061;
  u.password = "p@ss";
  EXPECT_EQ(u.serialize(), "sip:a%20b:p%40ss@example.com:5061;transport=tls;lr");
}

TEST(EscapeUser, Rfc3261UserGrammar) {
  EXPECT_EQ(escapeUser("alice.smith-1_(x)!~*'"), "alice.smith-1_(x)!~*'");
  EXPECT_EQ(escapeUser("&=+$,;?/"), "&=+$,;?/");
  EXPECT_EQ(escapeUser("a b"), "a%20b");
  EXPECT_EQ(escapeUser("a@b:c%d\"<>#"), "a%40b%3Ac%25d%22%3C%3E%23");
  EXPECT_EQ(escapeUser("\xc3\xa9"), "%C3%A9");
}

}  // namespace
}  // namespace callgate::sip

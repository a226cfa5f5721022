#include "sip/identity_validation.hpp"

#include <gtest/gtest.h>

namespace callgate::sip {
namespace {

std::string err(const Result<void>& r) { return r ? std::string("<ok>") : r.error().message; }

TEST(ValidateUserPart, Accepts) {
  EXPECT_EQ(err(validateUserPart("1000")), "<ok>");
  EXPECT_EQ(err(validateUserPart("alice.smith-1_(x)!~*'")), "<ok>");
  EXPECT_EQ(err(validateUserPart("+1-212-555-1212;npdi=yes")), "<ok>");
  EXPECT_EQ(err(validateUserPart("&=+$,;?/")), "<ok>");
  EXPECT_EQ(err(validateUserPart("j%20doe")), "<ok>");
}

TEST(ValidateUserPart, RejectsNamingTheCharacter) {
  EXPECT_EQ(err(validateUserPart("john doe")), "character ' ' not allowed by RFC 3261");
  EXPECT_EQ(err(validateUserPart("a@b")), "character '@' not allowed by RFC 3261");
  EXPECT_EQ(err(validateUserPart("a:b")), "character ':' not allowed by RFC 3261");
  EXPECT_EQ(err(validateUserPart("a\"b")), "character '\"' not allowed by RFC 3261");
  EXPECT_EQ(err(validateUserPart("<x>")), "character '<' not allowed by RFC 3261");
  EXPECT_EQ(err(validateUserPart("caf\xc3\xa9")), "character '\xc3\xa9' not allowed by RFC 3261");
  EXPECT_EQ(err(validateUserPart("a\tb")), "character 0x09 not allowed by RFC 3261");
  EXPECT_EQ(err(validateUserPart("a\r\nb")), "character 0x0D not allowed by RFC 3261");
  EXPECT_EQ(err(validateUserPart("bad%2")), "malformed escape '%' not allowed by RFC 3261");
  EXPECT_EQ(err(validateUserPart("bad%zz")), "malformed escape '%' not allowed by RFC 3261");
  EXPECT_EQ(err(validateUserPart("")), "user part is empty");
}

TEST(ValidateHost, Accepts) {
  for (const char* h : {"example.com", "pbx.example.com.", "localhost", "a-b.c0m", "192.0.2.1", "[::1]",
                        "[2001:db8::10]", "[::ffff:192.0.2.1]", "[1:2:3:4:5:6:7:8]"}) {
    EXPECT_EQ(err(validateHost(h)), "<ok>") << h;
  }
}

TEST(ValidateHost, Rejects) {
  EXPECT_EQ(err(validateHost("exa mple.com")), "character ' ' not allowed in a host by RFC 3261");
  EXPECT_EQ(err(validateHost("under_score.com")), "character '_' not allowed in a host by RFC 3261");
  EXPECT_EQ(err(validateHost("")), "host is empty");
  for (const char* h : {"-a.com", "a-.com", "a..com", ".com", "1.2.3.999", "123", "[::1", "[1::2::3]", "[12345::]",
                        "[1:2:3:4:5:6:7:8:9]", "[1:2:3:4:5:6:7]", "[]", "[1.2.3.4]"}) {
    EXPECT_NE(err(validateHost(h)), "<ok>") << h;
  }
}

TEST(ValidateOther, AuthAndDisplayName) {
  EXPECT_EQ(err(validateAuthName("user name with spaces \"and quotes\"")), "<ok>");
  EXPECT_EQ(err(validateAuthName("x\ny")), "character 0x0A not allowed by RFC 3261");
  EXPECT_NE(err(validateAuthName("")), "<ok>");
  EXPECT_EQ(err(validateDisplayName("")), "<ok>");
  EXPECT_EQ(err(validateDisplayName("Jöhn \"J\" Doe")), "<ok>");
  EXPECT_EQ(err(validateDisplayName("a\x7f")), "character 0x7F not allowed by RFC 3261");
}

TEST(ValidateOther, HeaderNameAndValue) {
  EXPECT_EQ(err(validateHeaderName("X-Custom-Header")), "<ok>");
  EXPECT_EQ(err(validateHeaderName("X Custom")), "character ' ' not allowed in a header name by RFC 3261");
  EXPECT_EQ(err(validateHeaderName("X:Y")), "character ':' not allowed in a header name by RFC 3261");
  EXPECT_NE(err(validateHeaderName("")), "<ok>");
  EXPECT_EQ(err(validateHeaderValue("anything, \"quoted\";p=1\twith tab é")), "<ok>");
  EXPECT_EQ(err(validateHeaderValue("a\r\nVia: x")), "character 0x0D not allowed in a header value by RFC 3261");
}

}  // namespace
}  // namespace callgate::sip

#include "sip/grammar.hpp"

#include <gtest/gtest.h>

namespace callgate::sip::grammar {
namespace {

TEST(Grammar, WspIsSpaceAndTabOnlyWhitespaceAddsLineEnds) {
  EXPECT_TRUE(isWsp(' '));
  EXPECT_TRUE(isWsp('\t'));
  EXPECT_FALSE(isWsp('\r'));
  EXPECT_FALSE(isWsp('\n'));
  EXPECT_TRUE(isWhitespace('\r'));
  EXPECT_TRUE(isWhitespace('\n'));
  EXPECT_FALSE(isWhitespace('x'));
  EXPECT_EQ(trimWsp(" \tabc \t"), "abc");
  EXPECT_EQ(trimWsp("\r\nabc\r\n"), "\r\nabc\r\n");
  EXPECT_EQ(trimWhitespace("\r\n abc\t\r\n"), "abc");
  EXPECT_EQ(trimWhitespace(" \r\n"), "");
}

TEST(Grammar, TokenCharactersFollowRfc3261) {
  EXPECT_TRUE(isToken("INVITE"));
  EXPECT_TRUE(isToken("a-b.c!d%e*f_g+h`i'j~k09"));
  EXPECT_FALSE(isToken(""));
  EXPECT_FALSE(isToken("a b"));
  for (char c : std::string_view("/=:;,\"<>()[]{}?@\\")) EXPECT_FALSE(isTokenChar(c)) << c;
  EXPECT_FALSE(isTokenChar(static_cast<char>(0xC3)));
}

TEST(Grammar, CaseInsensitiveEqualityIsAsciiOnly) {
  EXPECT_TRUE(iequals("Call-ID", "call-id"));
  EXPECT_FALSE(iequals("Call-ID", "call-id "));
  EXPECT_FALSE(iequals("\xC3\x89", "\xC3\xA9"));  // É vs é: not folded
  EXPECT_EQ(lowerAscii('Z'), 'z');
  EXPECT_EQ(lowerAscii('['), '[');
}

TEST(Grammar, HexAndUnreserved) {
  EXPECT_EQ(hexValue('0'), 0);
  EXPECT_EQ(hexValue('a'), 10);
  EXPECT_EQ(hexValue('F'), 15);
  EXPECT_TRUE(isHex('f'));
  EXPECT_FALSE(isHex('g'));
  EXPECT_TRUE(isUnreserved('('));
  EXPECT_FALSE(isUnreserved('%'));
  EXPECT_TRUE(isUserUnreserved(';'));
  EXPECT_FALSE(isUserUnreserved('@'));
}

}  // namespace
}  // namespace callgate::sip::grammar

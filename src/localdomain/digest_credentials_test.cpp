#include "localdomain/digest_credentials.hpp"

#include <gtest/gtest.h>

#include <chrono>

#include "localdomain/digest_verifier.hpp"
#include "sip/digest.hpp"

namespace callgate::localdomain {
namespace {

TEST(DigestCredentials, ParsesWhatUasSend) {
  auto c = parseDigestResponse(
      "Digest username=\"1000\",realm=\"demo.test\", nonce=\"12.ab\", uri=\"sip:demo.test\", "
      "response=\"0123abcd\", algorithm=MD5, cnonce=\"x y\", qop=auth, nc=00000001, opaque=\"o\"");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->username, "1000");
  EXPECT_EQ(c->realm, "demo.test");
  EXPECT_EQ(c->nonce, "12.ab");
  EXPECT_EQ(c->uri, "sip:demo.test");
  EXPECT_EQ(c->response, "0123abcd");
  EXPECT_EQ(c->algorithm, "MD5");
  EXPECT_EQ(c->cnonce, "x y");
  EXPECT_EQ(c->qop, "auth");
  EXPECT_EQ(c->nc, "00000001");
  EXPECT_EQ(c->opaque, "o");
}

TEST(DigestCredentials, QuotedPairsAndUnknownParams) {
  auto c = parseDigestResponse("Digest username=\"a\\\"b\", nonce=n, response=r, uri=sip:x@h:5070, foo=\"bar\"");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->username, "a\"b");
  EXPECT_EQ(c->uri, "sip:x@h:5070");
}

TEST(DigestCredentials, RefusesBrokenInput) {
  EXPECT_EQ(parseDigestResponse("Basic abc").error().message, "Not Digest credentials");
  EXPECT_EQ(parseDigestResponse("Digest username=\"1000").error().message, "Unterminated quoted string in credentials");
  EXPECT_EQ(parseDigestResponse("Digest nonce=\"n\", response=\"r\"").error().message, "Credentials without username");
  EXPECT_EQ(parseDigestResponse("Digest username=\"u\", response=\"r\"").error().message, "Credentials without nonce");
  EXPECT_EQ(parseDigestResponse("Digest username=\"u\", nonce=\"n\"").error().message, "Credentials without response");
  EXPECT_FALSE(parseDigestResponse("Digest username"));
  EXPECT_FALSE(parseDigestResponse("Digest username=\"u\" nonce=\"n\""));
  EXPECT_FALSE(parseDigestResponse("Digest =x"));
  EXPECT_FALSE(parseDigestResponse("Digest username=,"));
  EXPECT_FALSE(parseDigestResponse(""));
}

struct FakeClock {
  TimePoint now = TimePoint{} + std::chrono::hours(100);
  Clock clock() {
    return [this] { return now; };
  }
};

sip::Message requestWith(const std::string& authorization) {
  sip::Message m = sip::Message::request("REGISTER", "sip:demo.test");
  m.addHeader("Authorization", authorization);
  return m;
}

TEST(DigestVerifier, AcceptsCredentialsBuiltByOurClientSide) {
  FakeClock t;
  DigestVerifier v("demo.test", t.clock());
  std::vector<DomainUser> users{{"1000", "pw"}};
  auto challenge = sip::parseDigestChallenge(v.challenge());
  ASSERT_TRUE(challenge) << challenge.error().message;
  EXPECT_EQ(challenge->realm, "demo.test");
  EXPECT_TRUE(challenge->qopAuth);
  EXPECT_EQ(challenge->algorithm, "MD5");
  EXPECT_FALSE(challenge->stale);

  auto good = v.verify(requestWith(sip::buildDigestAuthorization(*challenge, {"1000", "pw"}, "REGISTER",
                                                                 "sip:demo.test", 1, "c1")),
                       "Authorization", users);
  EXPECT_EQ(good.kind, AuthResult::Kind::Ok);
  EXPECT_EQ(good.user, "1000");

  auto wrong = v.verify(requestWith(sip::buildDigestAuthorization(*challenge, {"1000", "nope"}, "REGISTER",
                                                                  "sip:demo.test", 1, "c1")),
                        "Authorization", users);
  EXPECT_EQ(wrong.kind, AuthResult::Kind::WrongPassword);

  auto unknown = v.verify(requestWith(sip::buildDigestAuthorization(*challenge, {"1001", "pw"}, "REGISTER",
                                                                    "sip:demo.test", 1, "c1")),
                          "Authorization", users);
  EXPECT_EQ(unknown.kind, AuthResult::Kind::UnknownUser);

  // The response binds the method: the same credentials on another method fail.
  sip::Message invite = requestWith(
      sip::buildDigestAuthorization(*challenge, {"1000", "pw"}, "REGISTER", "sip:demo.test", 1, "c1"));
  invite.method = "INVITE";
  EXPECT_EQ(v.verify(invite, "Authorization", users).kind, AuthResult::Kind::WrongPassword);
}

TEST(DigestVerifier, NonceAgesOutAndForeignNoncesAreStale) {
  FakeClock t;
  DigestVerifier v("demo.test", t.clock(), std::chrono::seconds(300));
  std::vector<DomainUser> users{{"1000", "pw"}};
  auto challenge = sip::parseDigestChallenge(v.challenge());
  ASSERT_TRUE(challenge);
  const std::string auth =
      sip::buildDigestAuthorization(*challenge, {"1000", "pw"}, "REGISTER", "sip:demo.test", 1, "c1");
  t.now += std::chrono::seconds(299);
  EXPECT_EQ(v.verify(requestWith(auth), "Authorization", users).kind, AuthResult::Kind::Ok);
  t.now += std::chrono::seconds(2);
  EXPECT_EQ(v.verify(requestWith(auth), "Authorization", users).kind, AuthResult::Kind::Stale);

  // A nonce another process (or an attacker) made: right password, so stale, not wrong.
  sip::DigestChallenge forged = *challenge;
  forged.nonce = "99999.0000";
  EXPECT_EQ(v.verify(requestWith(sip::buildDigestAuthorization(forged, {"1000", "pw"}, "REGISTER", "sip:demo.test",
                                                               1, "c1")),
                     "Authorization", users)
                .kind,
            AuthResult::Kind::Stale);
  EXPECT_TRUE(v.challenge(true).find("stale=true") != std::string::npos);
}

TEST(DigestVerifier, OtherRealmsAndBrokenCredentials) {
  FakeClock t;
  DigestVerifier v("demo.test", t.clock());
  std::vector<DomainUser> users{{"1000", "pw"}};
  EXPECT_EQ(v.verify(sip::Message::request("REGISTER", "sip:demo.test"), "Authorization", users).kind,
            AuthResult::Kind::NoCredentials);
  auto other = v.verify(requestWith("Digest username=\"1000\", realm=\"elsewhere\", nonce=\"n\", response=\"r\""),
                        "Authorization", users);
  EXPECT_EQ(other.kind, AuthResult::Kind::NoCredentials);
  auto broken = v.verify(requestWith("Digest username=\"1000"), "Authorization", users);
  EXPECT_EQ(broken.kind, AuthResult::Kind::Malformed);
  EXPECT_EQ(broken.reason, "Unterminated quoted string in credentials");
  auto authInt = v.verify(
      requestWith("Digest username=\"1000\", realm=\"demo.test\", nonce=\"n\", response=\"r\", qop=auth-int"),
      "Authorization", users);
  EXPECT_EQ(authInt.kind, AuthResult::Kind::Malformed);
  EXPECT_EQ(authInt.reason, "Unsupported qop auth-int");
}

}  // namespace
}  // namespace callgate::localdomain

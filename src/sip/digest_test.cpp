#include "sip/digest.hpp"

#include <gtest/gtest.h>

namespace callgate::sip {
namespace {

TEST(HexHash, KnownVectors) {
  EXPECT_EQ(hexHash("MD5", ""), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(hexHash("md5", "abc"), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(hexHash("SHA-256", "abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(hexHash("SHA-1", "abc"), "");
}

TEST(DigestChallenge, ParseFull) {
  auto r = parseDigestChallenge(
      R"(Digest realm="atlanta.example.com", domain="sip:ss1.example.com", qop="auth,auth-int", )"
      R"(nonce="f84f1cec41e6cbe5aea9c8e88d359", opaque="", stale=FALSE, algorithm=MD5)");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->realm, "atlanta.example.com");
  EXPECT_EQ(r->nonce, "f84f1cec41e6cbe5aea9c8e88d359");
  EXPECT_EQ(r->opaque, "");
  EXPECT_EQ(r->algorithm, "MD5");
  EXPECT_TRUE(r->qopAuth);
  EXPECT_FALSE(r->stale);
}

TEST(DigestChallenge, Sha256StaleEscapesAndCase) {
  auto r = parseDigestChallenge(
      "digest   REALM = \"a \\\"quoted\\\" realm\" ,nonce=abc/def+=,algorithm=sha-256,stale=true,qop=\"auth\"");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->realm, "a \"quoted\" realm");
  EXPECT_EQ(r->nonce, "abc/def+=");
  EXPECT_EQ(r->algorithm, "SHA-256");
  EXPECT_TRUE(r->stale);
  EXPECT_TRUE(r->qopAuth);
}

TEST(DigestChallenge, NoQopDefaultsToMd5) {
  auto r = parseDigestChallenge(R"(Digest realm="asterisk",nonce="4a5b6c")");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->algorithm, "MD5");
  EXPECT_FALSE(r->qopAuth);
}

TEST(DigestChallenge, Errors) {
  EXPECT_FALSE(parseDigestChallenge("Basic realm=\"x\""));
  EXPECT_FALSE(parseDigestChallenge("Digest"));
  EXPECT_FALSE(parseDigestChallenge("Digestrealm=\"x\", nonce=\"y\""));
  EXPECT_EQ(parseDigestChallenge("Digest nonce=\"y\"").error().message, "Digest challenge without realm");
  EXPECT_EQ(parseDigestChallenge("Digest realm=\"x\"").error().message, "Digest challenge without nonce");
  EXPECT_FALSE(parseDigestChallenge("Digest realm=\"x, nonce=\"y\""));
  EXPECT_FALSE(parseDigestChallenge("Digest realm=\"x\" nonce=\"y\""));
  EXPECT_FALSE(parseDigestChallenge("Digest realm=\"x\", nonce"));
  EXPECT_FALSE(parseDigestChallenge("Digest realm=\"x\", nonce=\"y\", algorithm=MD5-sess"));
  EXPECT_FALSE(parseDigestChallenge("Digest realm=\"x\", nonce=\"y\", algorithm=SHA-512-256"));
  EXPECT_FALSE(parseDigestChallenge("Digest realm=\"x\", nonce=\"y\", qop=\"auth-int\""));
}

// RFC 2617 §3.5 example (qop=auth, MD5).
TEST(DigestAuthorization, Rfc2617Example) {
  DigestChallenge c;
  c.realm = "testrealm@host.com";
  c.nonce = "dcd98b7102dd2f0e8b11d0f600bfb0c093";
  c.opaque = "5ccc069c403ebaf9f0171e9517f40e41";
  c.qopAuth = true;
  const std::string v = buildDigestAuthorization(c, {"Mufasa", "Circle Of Life"}, "GET", "/dir/index.html", 1, "0a4f113b");
  EXPECT_EQ(v,
            "Digest username=\"Mufasa\", realm=\"testrealm@host.com\", nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", "
            "uri=\"/dir/index.html\", response=\"6629fae49393a05397450978507c4ef1\", algorithm=MD5, "
            "cnonce=\"0a4f113b\", qop=auth, nc=00000001, opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"");
}

// RFC 7616 §3.9.1: the same request with MD5 and with SHA-256.
TEST(DigestAuthorization, Rfc7616Examples) {
  DigestChallenge c;
  c.realm = "http-auth@example.org";
  c.nonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
  c.opaque = "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS";
  c.qopAuth = true;
  const DigestCredentials creds{"Mufasa", "Circle of Life"};
  const std::string cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";

  c.algorithm = "MD5";
  std::string md5 = buildDigestAuthorization(c, creds, "GET", "/dir/index.html", 1, cnonce);
  EXPECT_NE(md5.find("response=\"8ca523f5e9506fed4657c9700eebdbec\""), std::string::npos) << md5;
  EXPECT_NE(md5.find("algorithm=MD5"), std::string::npos);

  c.algorithm = "SHA-256";
  std::string sha = buildDigestAuthorization(c, creds, "GET", "/dir/index.html", 1, cnonce);
  EXPECT_NE(sha.find("response=\"753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1\""),
            std::string::npos)
      << sha;
  EXPECT_NE(sha.find("algorithm=SHA-256"), std::string::npos);
  EXPECT_NE(sha.find("nc=00000001"), std::string::npos);
  EXPECT_NE(sha.find("opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\""), std::string::npos);
}

// RFC 2069 form (no qop): response = H(HA1:nonce:HA2), and no cnonce/nc/qop on the wire.
TEST(DigestAuthorization, NoQop) {
  DigestChallenge c;
  c.realm = "testrealm@host.com";
  c.nonce = "dcd98b7102dd2f0e8b11d0f600bfb0c093";
  const std::string v = buildDigestAuthorization(c, {"Mufasa", "CircleOfLife"}, "GET", "/dir/index.html", 1, "ignored");
  EXPECT_EQ(v,
            "Digest username=\"Mufasa\", realm=\"testrealm@host.com\", nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", "
            "uri=\"/dir/index.html\", response=\"1949323746fe6a43ef61f9606e7febea\", algorithm=MD5");
}

// SIP REGISTER with nc counting and an escaped username (values cross-checked with Python hashlib).
TEST(DigestAuthorization, SipRegisterNonceCountAndEscaping) {
  DigestChallenge c;
  c.realm = "biloxi.com";
  c.nonce = "dcd98b7102dd2f0e8b11d0f600bfb0c093";
  c.qopAuth = true;
  std::string v = buildDigestAuthorization(c, {"bob", "zanzibar"}, "REGISTER", "sip:biloxi.com", 2, "0a4f113b");
  EXPECT_NE(v.find("response=\"bef6c26ce562c084baeb1c500569a239\""), std::string::npos) << v;
  EXPECT_NE(v.find("nc=00000002"), std::string::npos);
  EXPECT_EQ(v.find("opaque"), std::string::npos);

  c.qopAuth = false;
  c.algorithm = "SHA-256";
  v = buildDigestAuthorization(c, {"bob", "zanzibar"}, "REGISTER", "sip:biloxi.com", 1, "x");
  EXPECT_NE(v.find("response=\"10503915e86126c221a99ecec4bd61ed6a5f0c1bac8125b5df9db47ab06503c1\""),
            std::string::npos)
      << v;

  c.qopAuth = true;
  v = buildDigestAuthorization(c, {"a\"b", "p"}, "INVITE", "sip:x@y", 0x1a2b, "c");
  EXPECT_NE(v.find("username=\"a\\\"b\""), std::string::npos) << v;
  EXPECT_NE(v.find("nc=00001a2b"), std::string::npos) << v;
}

TEST(DigestAuthorization, ParsedChallengeRoundTrip) {
  auto c = parseDigestChallenge(
      R"(Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, )"
      R"(nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS")");
  ASSERT_TRUE(c) << c.error().message;
  std::string v = buildDigestAuthorization(*c, {"Mufasa", "Circle of Life"}, "GET", "/dir/index.html", 1,
                                           "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ");
  EXPECT_NE(v.find("753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"), std::string::npos) << v;
}

}  // namespace
}  // namespace callgate::sip

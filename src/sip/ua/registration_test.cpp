#include "sip/ua/registration.hpp"

#include <gtest/gtest.h>

#include "sip/digest.hpp"
#include "sip/header_values.hpp"
#include "sip/transaction/test_support.hpp"

namespace callgate::sip::ua {
namespace {

using testing::EndpointHarness;
using testing::runFor;
using testing::runUntil;
using namespace std::chrono_literals;

struct Recorder : Registration::Listener {
  void onRegistered() override { ++registered; }
  void onRegistrationFailed(int status, std::string reason) override { failures.emplace_back(status, reason); }
  int registered = 0;
  std::vector<std::pair<int, std::string>> failures;
};

Account account() {
  Account a;
  a.login = "1000";
  a.authName = "auth1000";
  a.password = "secret";
  a.domain = "example.com";
  a.outboundProxy = "192.0.2.1";
  a.displayName = "Alice";
  a.registerExpires = 300;
  return a;
}

// Extracts name="value" or name=value from an Authorization header.
std::string authParam(std::string_view header, const std::string& name) {
  size_t pos = header.find(name + "=");
  if (pos == std::string_view::npos) return {};
  pos += name.size() + 1;
  if (header[pos] == '"') {
    size_t end = header.find('"', pos + 1);
    return std::string(header.substr(pos + 1, end - pos - 1));
  }
  size_t end = header.find_first_of(", ", pos);
  return std::string(header.substr(pos, end - pos));
}

struct RegistrationTest : ::testing::Test {
  EndpointHarness h;
  Recorder listener;
  Registration registration{*h.endpoint, account(), listener};

  Message waitRegister(size_t n) {
    EXPECT_TRUE(h.waitFor("REGISTER", n));
    auto* sent = h.find("REGISTER", n - 1);
    return sent ? sent->message : Message::request("NONE", "sip:none");
  }
};

TEST_F(RegistrationTest, ChallengeThenSuccess) {
  ASSERT_TRUE(registration.start());
  Message first = waitRegister(1);
  EXPECT_EQ(first.requestUri, "sip:example.com");
  EXPECT_EQ(h.find("REGISTER")->to, h.peer);
  EXPECT_EQ(first.header("To").value_or(""), "<sip:1000@example.com>");
  auto from = parseNameAddr(first.header("From").value_or(""));
  ASSERT_TRUE(from);
  EXPECT_EQ(from->uri.serialize(), "sip:1000@example.com");
  EXPECT_EQ(from->displayName, "Alice");
  EXPECT_TRUE(from->tag());
  EXPECT_EQ(first.header("Contact").value_or(""), "<sip:1000@192.0.2.10:5062;transport=udp>");
  EXPECT_EQ(first.header("Expires").value_or(""), "300");
  EXPECT_FALSE(first.header("Authorization"));

  h.reply(first, 401, "Unauthorized", "reg", [](Message& r) {
    r.addHeader("WWW-Authenticate", "Digest realm=\"example.com\", nonce=\"n1\", qop=\"auth\", algorithm=MD5");
  });
  Message second = waitRegister(2);
  EXPECT_EQ(second.header("Call-ID"), first.header("Call-ID"));
  EXPECT_EQ(parseCSeq(second.header("CSeq").value_or(""))->number, parseCSeq(first.header("CSeq").value_or(""))->number + 1);
  std::string authorization(second.header("Authorization").value_or(""));
  ASSERT_FALSE(authorization.empty());
  EXPECT_EQ(authParam(authorization, "username"), "auth1000");
  EXPECT_EQ(authParam(authorization, "uri"), "sip:example.com");
  EXPECT_EQ(authParam(authorization, "nc"), "00000001");
  // The digest must be the one RFC 7616 defines for these inputs.
  auto challenge = parseDigestChallenge("Digest realm=\"example.com\", nonce=\"n1\", qop=\"auth\", algorithm=MD5");
  ASSERT_TRUE(challenge);
  EXPECT_EQ(authorization, buildDigestAuthorization(*challenge, {"auth1000", "secret"}, "REGISTER", "sip:example.com", 1,
                                                    authParam(authorization, "cnonce")));

  h.reply(second, 200, "OK", "reg", [](Message& r) { r.addHeader("Contact", "<sip:1000@192.0.2.10:5062;transport=udp>;expires=120"); });
  EXPECT_EQ(listener.registered, 1);
  EXPECT_TRUE(registration.registered());
  EXPECT_EQ(registration.grantedExpires(), 120u);
  EXPECT_TRUE(listener.failures.empty());
}

TEST_F(RegistrationTest, RefreshesAtEightyPercentOfGrantedExpiry) {
  ASSERT_TRUE(registration.start());
  Message first = waitRegister(1);
  h.reply(first, 200, "OK", "reg", [](Message& r) { r.addHeader("Expires", "1"); });
  ASSERT_EQ(listener.registered, 1);
  auto started = std::chrono::steady_clock::now();
  Message refresh = waitRegister(2);
  auto elapsed = std::chrono::steady_clock::now() - started;
  EXPECT_GE(elapsed, 700ms);
  EXPECT_LE(elapsed, 2500ms);  // generous: shared CI machines
  EXPECT_EQ(refresh.header("Call-ID"), first.header("Call-ID"));
  EXPECT_EQ(refresh.header("Expires").value_or(""), "300");
  h.reply(refresh, 200, "OK", "reg", [](Message& r) { r.addHeader("Expires", "300"); });
  EXPECT_EQ(listener.registered, 1);  // refresh is silent
}

TEST_F(RegistrationTest, WrongPasswordFailsWith401) {
  ASSERT_TRUE(registration.start());
  const char* challenge = "Digest realm=\"example.com\", nonce=\"n1\", qop=\"auth\"";
  h.reply(waitRegister(1), 401, "Unauthorized", "reg", [&](Message& r) { r.addHeader("WWW-Authenticate", challenge); });
  h.reply(waitRegister(2), 401, "Unauthorized", "reg", [&](Message& r) {
    r.addHeader("WWW-Authenticate", "Digest realm=\"example.com\", nonce=\"n2\", qop=\"auth\"");
  });
  ASSERT_EQ(listener.failures.size(), 1u);
  EXPECT_EQ(listener.failures[0].first, 401);
  EXPECT_EQ(h.count("REGISTER"), 2u);
}

TEST_F(RegistrationTest, StaleNonceIsRetriedWithNewNonce) {
  ASSERT_TRUE(registration.start());
  h.reply(waitRegister(1), 407, "Proxy Authentication Required", "reg", [](Message& r) {
    r.addHeader("Proxy-Authenticate", "Digest realm=\"proxy\", nonce=\"old\", qop=\"auth\", algorithm=SHA-256");
  });
  Message second = waitRegister(2);
  EXPECT_EQ(authParam(second.header("Proxy-Authorization").value_or(""), "algorithm"), "SHA-256");
  h.reply(second, 407, "Proxy Authentication Required", "reg", [](Message& r) {
    r.addHeader("Proxy-Authenticate", "Digest realm=\"proxy\", nonce=\"new\", qop=\"auth\", stale=true, algorithm=SHA-256");
  });
  Message third = waitRegister(3);
  EXPECT_EQ(authParam(third.header("Proxy-Authorization").value_or(""), "nonce"), "new");
  h.reply(third, 200, "OK");
  EXPECT_EQ(listener.registered, 1);
}

TEST_F(RegistrationTest, RejectionIsReported) {
  ASSERT_TRUE(registration.start());
  h.reply(waitRegister(1), 403, "Forbidden");
  ASSERT_EQ(listener.failures.size(), 1u);
  EXPECT_EQ(listener.failures[0], (std::pair<int, std::string>{403, "Forbidden"}));
  EXPECT_EQ(registration.state(), Registration::State::Failed);
}

TEST_F(RegistrationTest, IntervalTooBriefRetriesWithMinExpires) {
  ASSERT_TRUE(registration.start());
  h.reply(waitRegister(1), 423, "Interval Too Brief", "reg", [](Message& r) { r.addHeader("Min-Expires", "600"); });
  Message second = waitRegister(2);
  EXPECT_EQ(second.header("Expires").value_or(""), "600");
  h.reply(second, 200, "OK");
  EXPECT_EQ(listener.registered, 1);
}

TEST_F(RegistrationTest, TimeoutIsReportedAs408) {
  ASSERT_TRUE(registration.start());
  ASSERT_TRUE(runUntil(h.io, [&] { return !listener.failures.empty(); }));
  EXPECT_EQ(listener.failures[0].first, 408);
  EXPECT_EQ(listener.failures[0].second, "No response from 192.0.2.1:5060");
  EXPECT_GE(h.count("REGISTER"), 5u);  // retransmitted over UDP until timer F
}

TEST_F(RegistrationTest, UnregisterSendsExpiresZero) {
  ASSERT_TRUE(registration.start());
  h.reply(waitRegister(1), 200, "OK");
  bool done = false;
  registration.unregister([&] { done = true; });
  Message bye = waitRegister(2);
  EXPECT_EQ(bye.header("Expires").value_or(""), "0");
  EXPECT_NE(std::string(bye.header("Contact").value_or("")).find("expires=0"), std::string::npos);
  EXPECT_FALSE(done);
  h.reply(bye, 200, "OK");
  EXPECT_TRUE(done);
  EXPECT_EQ(registration.state(), Registration::State::Unregistered);
}

TEST_F(RegistrationTest, UnregisterIsBoundedInTime) {
  Registration quick(*h.endpoint, account(), listener, RegistrationOptions{100ms});
  ASSERT_TRUE(quick.start());
  ASSERT_TRUE(runUntil(h.io, [&] { return h.count("REGISTER") >= 1; }));
  h.reply(h.find("REGISTER")->message, 200, "OK");
  bool done = false;
  quick.unregister([&] { done = true; });
  EXPECT_TRUE(runUntil(h.io, [&] { return done; }, 500ms));
}

TEST_F(RegistrationTest, InvalidLoginRefusedAtStart) {
  Account bad = account();
  bad.login = "Ralf C12441@host.com";
  Registration r(*h.endpoint, bad, listener);
  auto result = r.start();
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("SIP login"), std::string::npos) << result.error().message;
  runFor(h.io, 20ms);
  EXPECT_EQ(h.count("REGISTER"), 0u);
}

}  // namespace
}  // namespace callgate::sip::ua

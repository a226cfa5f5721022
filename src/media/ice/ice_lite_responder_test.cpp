#include "media/ice/ice_lite_responder.hpp"

#include <gtest/gtest.h>

#include "media/ice/controlling_agent.hpp"

namespace callgate::media::ice {
namespace {

using boost::asio::ip::make_address;
using boost::asio::ip::udp;

constexpr std::string_view kLocalUfrag = "srvU";
constexpr std::string_view kLocalPwd = "server-password-22chars";
constexpr std::string_view kRemoteUfrag = "cliU";
constexpr std::string_view kRemotePwd = "client-password-22chars";

struct IceLiteResponderTest : ::testing::Test {
  IceLiteResponder responder{std::string(kLocalUfrag), std::string(kLocalPwd)};
  ControllingAgent agent{std::string(kRemoteUfrag), std::string(kRemotePwd), std::string(kLocalUfrag),
                         std::string(kLocalPwd), 0x6e0001ff};
  std::array<uint8_t, 512> req{}, resp{};
  udp::endpoint from{make_address("192.0.2.7"), 40000};
};

TEST_F(IceLiteResponderTest, AnswersValidCheckAndNominates) {
  responder.setRemoteUfrag(std::string(kRemoteUfrag));
  const size_t n = agent.buildRequest(req, /*useCandidate=*/true);
  ASSERT_GT(n, 0u);
  auto r = responder.handle({req.data(), n}, from, resp);
  EXPECT_EQ(r.outcome, IceLiteResponder::Outcome::Success);
  EXPECT_TRUE(r.nominated);
  EXPECT_TRUE(r.selectedChanged);
  ASSERT_TRUE(responder.selected());
  EXPECT_EQ(*responder.selected(), from);
  EXPECT_TRUE(responder.nominated());
  EXPECT_TRUE(responder.isValidated(from));

  auto ar = agent.handleResponse({resp.data(), r.responseSize});
  EXPECT_EQ(ar.outcome, ControllingAgent::Outcome::Success);
  ASSERT_TRUE(ar.mappedAddress);
  EXPECT_EQ(*ar.mappedAddress, from);
}

TEST_F(IceLiteResponderTest, NominationSticksAndOtherAddressIsOnlyValidated) {
  auto n = agent.buildRequest(req, true);
  ASSERT_EQ(responder.handle({req.data(), n}, from, resp).outcome, IceLiteResponder::Outcome::Success);
  udp::endpoint other{make_address("198.51.100.1"), 5000};
  n = agent.buildRequest(req, false);
  auto r = responder.handle({req.data(), n}, other, resp);
  EXPECT_EQ(r.outcome, IceLiteResponder::Outcome::Success);
  EXPECT_FALSE(r.selectedChanged);
  EXPECT_EQ(*responder.selected(), from);
  EXPECT_TRUE(responder.isValidated(other));
}

TEST_F(IceLiteResponderTest, WrongPasswordGets401WithoutIntegrity) {
  ControllingAgent bad{std::string(kRemoteUfrag), std::string(kRemotePwd), std::string(kLocalUfrag),
                       "not-the-right-password", 1};
  const size_t n = bad.buildRequest(req);
  auto r = responder.handle({req.data(), n}, from, resp);
  EXPECT_EQ(r.outcome, IceLiteResponder::Outcome::Unauthorized);
  auto m = parseStun({resp.data(), r.responseSize});
  ASSERT_TRUE(m);
  EXPECT_EQ(m->cls, StunClass::ErrorResponse);
  EXPECT_EQ(m->errorCode->code, 401);
  EXPECT_FALSE(m->hasMessageIntegrity());
  EXPECT_TRUE(verifyFingerprint(*m));
  EXPECT_FALSE(responder.selected());
  EXPECT_FALSE(responder.isValidated(from));
  // The agent accepts the unauthenticated 401 for its transaction.
  EXPECT_EQ(bad.handleResponse({resp.data(), r.responseSize}).errorCode, 401);
}

TEST_F(IceLiteResponderTest, WrongUfragGets401) {
  responder.setRemoteUfrag("someoneElse");
  const size_t n = agent.buildRequest(req);
  EXPECT_EQ(responder.handle({req.data(), n}, from, resp).outcome, IceLiteResponder::Outcome::Unauthorized);
}

TEST_F(IceLiteResponderTest, MissingIntegrityGets400) {
  std::array<uint8_t, 128> q;
  StunWriter w(q, stunType(kStunBindingMethod, StunClass::Request), TransactionId{9});
  w.addUsername("srvU:cliU");
  w.addFingerprint();
  auto r = responder.handle(w.bytes(), from, resp);
  EXPECT_EQ(r.outcome, IceLiteResponder::Outcome::BadRequest);
  auto m = parseStun({resp.data(), r.responseSize});
  ASSERT_TRUE(m);
  EXPECT_EQ(m->errorCode->code, 400);
  EXPECT_EQ(m->transactionId, (TransactionId{9}));
}

TEST_F(IceLiteResponderTest, MalformedAttributesGet400) {
  const size_t n = agent.buildRequest(req);
  req[20 + 3] = 0xf0;  // USERNAME length overruns
  auto r = responder.handle({req.data(), n}, from, resp);
  EXPECT_EQ(r.outcome, IceLiteResponder::Outcome::BadRequest);
  EXPECT_GT(r.responseSize, 0u);
}

TEST_F(IceLiteResponderTest, ControlledPeerGets487) {
  std::array<uint8_t, 256> q;
  StunWriter w(q, stunType(kStunBindingMethod, StunClass::Request), TransactionId{7});
  w.addUsername("srvU:cliU");
  w.addIceControlled(42);
  w.addMessageIntegrity(kLocalPwd);
  w.addFingerprint();
  auto r = responder.handle(w.bytes(), from, resp);
  EXPECT_EQ(r.outcome, IceLiteResponder::Outcome::RoleConflict);
  auto m = parseStun({resp.data(), r.responseSize});
  ASSERT_TRUE(m);
  EXPECT_EQ(m->errorCode->code, 487);
  EXPECT_TRUE(verifyMessageIntegrity(*m, kLocalPwd));
}

TEST_F(IceLiteResponderTest, GarbageAndBadFingerprintAreIgnored) {
  const uint8_t junk[] = {0x00, 0x01, 0x02};
  EXPECT_EQ(responder.handle(junk, from, resp).responseSize, 0u);
  const size_t n = agent.buildRequest(req);
  req[n - 1] ^= 0xff;
  auto r = responder.handle({req.data(), n}, from, resp);
  EXPECT_EQ(r.outcome, IceLiteResponder::Outcome::Ignored);
  EXPECT_EQ(r.responseSize, 0u);
}

TEST_F(IceLiteResponderTest, AgentIgnoresForeignTransactions) {
  agent.buildRequest(req);
  ControllingAgent other{"x123", "other-password-22chars!", std::string(kLocalUfrag), std::string(kLocalPwd), 1};
  const size_t n = other.buildRequest(req);
  auto r = responder.handle({req.data(), n}, from, resp);
  ASSERT_EQ(r.outcome, IceLiteResponder::Outcome::Success);
  EXPECT_EQ(agent.handleResponse({resp.data(), r.responseSize}).outcome, ControllingAgent::Outcome::Ignored);
}

}  // namespace
}  // namespace callgate::media::ice

#include "status_line.hpp"

#include <gtest/gtest.h>

namespace callgate::phone {
namespace {

using client::CallStatus;
using client::SessionStatus;

TEST(PhoneStatusLine, SessionRegistrationAndCall) {
  PhoneState s;
  EXPECT_EQ(describe(s), "session PENDING | registering | no call");
  s.session = SessionStatus::Registered;
  s.everRegistered = true;
  s.haveCall = true;
  s.peer = "1001";
  s.call = CallStatus::Established;
  s.sipStatus = 200;
  s.callInfo = "OK";
  EXPECT_EQ(describe(s), "session REGISTERED | registered | call 1001 ESTABLISHED 200 OK");
  s.incoming = true;
  s.call = CallStatus::Ring;
  s.sipStatus = 0;
  s.callInfo.clear();
  EXPECT_EQ(describe(s), "session REGISTERED | registered | incoming call from 1001 RING");
}

TEST(PhoneStatusLine, NoRegistrationAndFailure) {
  PhoneState s;
  s.registerRequired = false;
  s.session = SessionStatus::Established;
  EXPECT_EQ(describe(s), "session ESTABLISHED | registration off | no call");
  s.registerRequired = true;
  s.session = SessionStatus::Failed;
  s.sessionInfo = "SIP registration failed: 403 Forbidden";
  EXPECT_EQ(describe(s), "session FAILED (SIP registration failed: 403 Forbidden) | not registered | no call");
}

}  // namespace
}  // namespace callgate::phone

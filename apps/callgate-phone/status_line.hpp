#pragma once
// What callgate-phone's status line (and the `status` command) shows: session status,
// registration, and the call with its SIP code and reason. Pure formatting.
#include <callgate/client/status.hpp>

#include <string>

namespace callgate::phone {

struct PhoneState {
  client::SessionStatus session = client::SessionStatus::Pending;
  std::string sessionInfo;
  bool registerRequired = true;
  bool everRegistered = false;

  bool haveCall = false;  // a call exists (live, or the last one that ended)
  bool incoming = false;
  std::string peer;  // callee, or the caller of an incoming call
  client::CallStatus call = client::CallStatus::New;
  int sipStatus = 0;
  std::string callInfo;
};

// "session REGISTERED | registered | call 1001 ESTABLISHED 200 OK"
// "session ESTABLISHED | registration off | no call"
// "session REGISTERED | registered | incoming call from 1001 RING"
std::string describe(const PhoneState& state);

}  // namespace callgate::phone

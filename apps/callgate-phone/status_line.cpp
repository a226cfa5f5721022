#include "status_line.hpp"

namespace callgate::phone {

using client::SessionStatus;

std::string describe(const PhoneState& s) {
  std::string out = std::string("session ") + client::toString(s.session);
  if (s.session == SessionStatus::Failed || s.session == SessionStatus::Disconnected) {
    if (!s.sessionInfo.empty()) out += " (" + s.sessionInfo + ")";
  }
  out += " | ";
  if (!s.registerRequired)
    out += "registration off";
  else if (s.session == SessionStatus::Registered)
    out += "registered";
  else if (s.session == SessionStatus::Failed || s.session == SessionStatus::Disconnected)
    out += "not registered";
  else
    out += s.everRegistered ? "registered" : "registering";
  out += " | ";
  if (!s.haveCall) return out + "no call";
  out += s.incoming ? "incoming call from " : "call ";
  out += s.peer.empty() ? "?" : s.peer;
  out += " ";
  out += client::toString(s.call);
  if (s.sipStatus != 0) out += " " + std::to_string(s.sipStatus);
  if (!s.callInfo.empty()) out += " " + s.callInfo;
  return out;
}

}  // namespace callgate::phone

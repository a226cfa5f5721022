#include "callgate/client/status.hpp"

#include <array>
#include <utility>

namespace callgate::client {
namespace {

constexpr std::array<std::pair<CallStatus, const char*>, 11> kCallStatusNames{{
    {CallStatus::New, "NEW"},
    {CallStatus::Pending, "PENDING"},
    {CallStatus::Trying, "TRYING"},
    {CallStatus::Ring, "RING"},
    {CallStatus::RingMedia, "RING_MEDIA"},
    {CallStatus::SessionProgress, "SESSION_PROGRESS"},
    {CallStatus::Established, "ESTABLISHED"},
    {CallStatus::Hold, "HOLD"},
    {CallStatus::Busy, "BUSY"},
    {CallStatus::Finish, "FINISH"},
    {CallStatus::Failed, "FAILED"},
}};

constexpr std::array<std::pair<SessionStatus, const char*>, 6> kSessionStatusNames{{
    {SessionStatus::Pending, "PENDING"},
    {SessionStatus::Connected, "CONNECTED"},
    {SessionStatus::Established, "ESTABLISHED"},
    {SessionStatus::Registered, "REGISTERED"},
    {SessionStatus::Disconnected, "DISCONNECTED"},
    {SessionStatus::Failed, "FAILED"},
}};

}  // namespace

const char* toString(CallStatus status) {
  for (auto& [s, name] : kCallStatusNames)
    if (s == status) return name;
  return "UNKNOWN";
}

const char* toString(SessionStatus status) {
  for (auto& [s, name] : kSessionStatusNames)
    if (s == status) return name;
  return "UNKNOWN";
}

const char* toString(DtmfType type) {
  switch (type) {
    case DtmfType::Info:
      return "INFO";
    case DtmfType::InfoRelay:
      return "INFO_RELAY";
    case DtmfType::Rfc2833:
      break;
  }
  return "RFC2833";
}

std::optional<CallStatus> callStatusFromString(std::string_view text) {
  for (auto& [s, name] : kCallStatusNames)
    if (text == name) return s;
  return std::nullopt;
}

std::optional<SessionStatus> sessionStatusFromString(std::string_view text) {
  for (auto& [s, name] : kSessionStatusNames)
    if (text == name) return s;
  return std::nullopt;
}

bool isTerminal(CallStatus status) {
  return status == CallStatus::Busy || status == CallStatus::Finish || status == CallStatus::Failed;
}

}  // namespace callgate::client

#include "gateway/user_session.hpp"

namespace callgate::gateway {

const char* toString(CallStatus status) {
  switch (status) {
    case CallStatus::Trying: return "TRYING";
    case CallStatus::Ring: return "RING";
    case CallStatus::RingMedia: return "RING_MEDIA";
    case CallStatus::Established: return "ESTABLISHED";
    case CallStatus::Hold: return "HOLD";
    case CallStatus::Busy: return "BUSY";
    case CallStatus::Finish: return "FINISH";
    case CallStatus::Failed: return "FAILED";
  }
  return "FAILED";
}

bool isTerminal(CallStatus status) {
  return status == CallStatus::Busy || status == CallStatus::Finish || status == CallStatus::Failed;
}

}  // namespace callgate::gateway

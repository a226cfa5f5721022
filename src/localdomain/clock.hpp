#pragma once
// The local domain's notion of time: injectable so binding expiry and nonce age are tested
// without sleeping.
#include <chrono>
#include <functional>

namespace callgate::localdomain {

using TimePoint = std::chrono::steady_clock::time_point;
using Clock = std::function<TimePoint()>;

inline Clock systemClock() {
  return [] { return std::chrono::steady_clock::now(); };
}

}  // namespace callgate::localdomain

#pragma once
// RFC 3261 §17 timer values (Table 4). T1/T2/T4 are configurable so tests can run the state
// machines in milliseconds; derived timers follow the RFC formulas for unreliable transports.
#include <chrono>

namespace callgate::sip::transaction {

using Duration = std::chrono::milliseconds;

struct TimerConfig {
  Duration t1{500};    // RTT estimate
  Duration t2{4000};   // maximum retransmit interval for non-INVITE requests and INVITE responses
  Duration t4{5000};   // maximum time a message remains in the network
  Duration timerD{32000};  // INVITE client: wait for response retransmits (>= 32 s over UDP)

  Duration timeout64() const { return t1 * 64; }  // Timer B, F, H, J and RFC 6026 L, M
};

}  // namespace callgate::sip::transaction

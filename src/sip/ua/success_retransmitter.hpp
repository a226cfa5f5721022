#pragma once
// SuccessRetransmitter: the UAS core's duty for a 2xx to an INVITE (RFC 3261 §13.3.1.4): the
// transaction is done once the 2xx is sent, so the core re-sends it at T1, 2*T1, ... capped
// at T2 until the ACK arrives, and gives up after 64*T1 (the caller then ends the session).
#include <algorithm>
#include <functional>

#include "sip/message.hpp"
#include "sip/transaction/sip_endpoint.hpp"
#include "sip/transaction/timer.hpp"

namespace callgate::sip::ua {

class SuccessRetransmitter {
 public:
  explicit SuccessRetransmitter(transaction::SipEndpoint& endpoint)
      : endpoint_(endpoint), retransmit_(endpoint.io()), giveUp_(endpoint.io()) {}

  // `response` has just been sent with SipEndpoint::respond; `source` is where the INVITE came
  // from (used when its Via gives no better address). `onNoAck` runs after 64*T1 without ACK.
  void start(Message response, transport::PeerAddress source, std::function<void()> onNoAck) {
    response_ = std::move(response);
    source_ = source;
    interval_ = endpoint_.timers().t1;
    active_ = true;
    arm();
    giveUp_.start(endpoint_.timers().timeout64(), [this, onNoAck = std::move(onNoAck)] {
      stop();
      onNoAck();
    });
  }
  void stop() {
    active_ = false;
    retransmit_.cancel();
    giveUp_.cancel();
  }
  bool active() const { return active_; }

 private:
  void arm() {
    retransmit_.start(interval_, [this] {
      endpoint_.resendResponse(response_, source_);
      interval_ = std::min(interval_ * 2, endpoint_.timers().t2);
      arm();
    });
  }

  transaction::SipEndpoint& endpoint_;
  Message response_;
  transport::PeerAddress source_;
  transaction::Duration interval_{};
  bool active_ = false;
  transaction::Timer retransmit_;
  transaction::Timer giveUp_;
};

}  // namespace callgate::sip::ua

#pragma once
// What a transaction needs from its owner (the SipEndpoint): the loop, timer values, a way
// to send, and a way to say it is finished. Kept as an interface so state machines do not
// depend on the endpoint's other duties.
#include <string>

#include <boost/asio/io_context.hpp>

#include "sip/message.hpp"
#include "sip/transaction/timer_config.hpp"
#include "sip/transport/transport.hpp"

namespace callgate::sip::transaction {

using TransactionId = uint64_t;  // 0 = none

class TransactionContext {
 public:
  virtual boost::asio::io_context& io() = 0;
  virtual const TimerConfig& timers() const = 0;
  virtual void sendToNetwork(const Message& message, const transport::PeerAddress& to) = 0;
  // The transaction reached Terminated; the owner destroys it later (never synchronously).
  virtual void clientTerminated(TransactionId id) = 0;
  virtual void serverTerminated(const std::string& key) = 0;

 protected:
  ~TransactionContext() = default;
};

}  // namespace callgate::sip::transaction

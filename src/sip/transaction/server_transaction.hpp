#pragma once
// Server transactions (RFC 3261 §17.2) over an unreliable transport.
//
// non-INVITE (§17.2.2): Trying -(1xx)-> Proceeding -(final)-> Completed (timer J = 64*T1)
//   -> Terminated. A retransmitted request re-sends the last response (none in Trying).
// INVITE (§17.2.1, RFC 6026): Proceeding (100 Trying sent at once) -(2xx)-> Accepted
//   (timer L = 64*T1 absorbs retransmitted INVITEs; 2xx retransmission is the TU's job)
//   -(300-699)-> Completed (timer G re-sends the final, T1 doubling up to T2; timer H = 64*T1
//   gives up) -(ACK)-> Confirmed (timer I = T4) -> Terminated.
// A guard answers "500 Server Internal Error" to a non-INVITE request the TU never answers
// within 64*T1, so a forgotten request cannot pin a transaction (and the peer) forever.
#include <optional>
#include <string>

#include "sip/message.hpp"
#include "sip/transaction/timer.hpp"
#include "sip/transaction/transaction_context.hpp"

namespace callgate::sip::transaction {

class ServerTransaction {
 public:
  enum class State { Trying, Proceeding, Accepted, Completed, Confirmed, Terminated };

  ServerTransaction(TransactionContext& context, std::string key, const Message& request,
                    transport::PeerAddress source);
  ServerTransaction(const ServerTransaction&) = delete;
  ServerTransaction& operator=(const ServerTransaction&) = delete;

  // A retransmission of the request (same branch and method).
  void onRetransmission();
  // An ACK matching this INVITE transaction (non-2xx ACK, §17.2.1).
  void onAck();
  // Sends a response from the TU. Responses after the final one are ignored (logged).
  void respond(Message response);

  State state() const { return state_; }
  bool isInvite() const { return invite_; }
  bool hasFinalResponse() const { return state_ != State::Trying && state_ != State::Proceeding; }
  const std::string& key() const { return key_; }
  const Message& request() const { return request_; }

 private:
  void send(const Message& response);
  void retransmitFinal();
  void terminate();

  TransactionContext& context_;
  std::string key_;
  Message request_;
  transport::PeerAddress source_;
  bool invite_;
  State state_;
  std::optional<Message> lastResponse_;
  Duration interval_;
  Timer retransmitTimer_;  // G
  Timer timeoutTimer_;     // H, J, L, I, and the unanswered guard
};

}  // namespace callgate::sip::transaction

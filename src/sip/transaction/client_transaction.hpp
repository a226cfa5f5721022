#pragma once
// Client transactions (RFC 3261 §17.1) over an unreliable transport.
//
// INVITE (§17.1.1, with RFC 6026's Accepted state): Calling -(1xx)-> Proceeding
//   -(2xx)-> Accepted (timer M = 64*T1; every 2xx, retransmits and forks, goes to the user,
//   which ACKs them: the ACK for a 2xx is the user's job, §13.2.2.4)
//   -(300-699)-> Completed (the transaction sends the ACK itself, §17.1.1.3; timer D absorbs
//   retransmitted finals). Timer A retransmits in Calling; timer B (64*T1) times out Calling.
// non-INVITE (§17.1.2): Trying -(1xx)-> Proceeding -(final)-> Completed (timer K = T4).
//   Timer E retransmits (T1 doubling, capped at T2); timer F (64*T1) times out.
//
// The user is notified through ClientTransactionUser on the io_context thread. The user
// pointer may be cleared (abandon) at any time; the state machine then runs to its end alone.
#include <optional>
#include <string>

#include "sip/message.hpp"
#include "sip/transaction/timer.hpp"
#include "sip/transaction/transaction_context.hpp"

namespace callgate::sip::transaction {

class ClientTransactionUser {
 public:
  // A response the user must see: every provisional, the first final, and (INVITE only)
  // every 2xx including retransmissions and forked 2xx. `id` tells which transaction.
  virtual void onResponse(TransactionId id, const Message& response) = 0;
  // Timer B/F fired (no final response), reported as the RFC's "408" to the TU (§8.1.3.1).
  virtual void onTransactionTimeout(TransactionId id) = 0;

 protected:
  ~ClientTransactionUser() = default;
};

class ClientTransaction {
 public:
  enum class State { Calling, Trying, Proceeding, Accepted, Completed, Terminated };

  // `request` already carries its top Via with the branch.
  ClientTransaction(TransactionContext& context, TransactionId id, Message request, transport::PeerAddress destination,
                    ClientTransactionUser* user);
  ClientTransaction(const ClientTransaction&) = delete;
  ClientTransaction& operator=(const ClientTransaction&) = delete;

  void start();
  void onResponse(const Message& response);
  void abandon() { user_ = nullptr; }

  TransactionId id() const { return id_; }
  State state() const { return state_; }
  bool isInvite() const { return invite_; }
  const Message& request() const { return request_; }
  const transport::PeerAddress& destination() const { return destination_; }

 private:
  void retransmit();
  void onTimeout();
  void terminate();
  Message buildAckForNonSuccess(const Message& response) const;

  TransactionContext& context_;
  TransactionId id_;
  Message request_;
  transport::PeerAddress destination_;
  ClientTransactionUser* user_;
  bool invite_;
  State state_;

  Duration interval_;     // current retransmit interval (A/E)
  Timer retransmitTimer_; // A or E
  Timer timeoutTimer_;    // B or F
  Timer lingerTimer_;     // D, K or M
  std::optional<Message> ack_;  // ACK for a non-2xx final, re-sent on retransmitted finals
};

}  // namespace callgate::sip::transaction

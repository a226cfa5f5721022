#pragma once
// SipEndpoint: the transaction layer and message dispatcher of one SIP user-agent instance
// (RFC 3261 §8, §17). It owns a Transport, runs the client and server transactions, and
// routes what arrives:
//   responses      -> the matching client transaction (branch + CSeq method, §17.1.3), else
//                     dropped and counted;
//   requests       -> a matching server transaction absorbs retransmissions (branch + method,
//                     ACK and CANCEL handled per §17.2.3 / §9.2); otherwise a new server
//                     transaction is created and the request goes to
//                       - the DialogHandler registered for (Call-ID, To-tag) when To has a tag
//                         (no such dialog -> 481);
//                       - else the RequestHandler (set by the owner, e.g. for incoming calls);
//                         when it declines: OPTIONS -> 200, INVITE -> 480, other known
//                         methods -> 405, unknown -> 501.
//                     A stray ACK is absorbed.
// Handlers answer with respond(request, response); each request is answered once finally.
//
// Threading: everything runs on the io_context thread passed in; no locks. Every callback
// (ClientTransactionUser, DialogHandler, RequestHandler) fires on that thread from network
// input or a timer, never synchronously inside sendRequest()/respond()/sendCancel().
// Lifetime: the endpoint must outlive every user/handler registered with it, or they must
// abandon()/removeDialog() first (the UA classes do this in their destructors). Transactions
// are destroyed by posting, never inside their own callbacks.
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>

#include <boost/asio/io_context.hpp>

#include "sip/message.hpp"
#include "sip/transaction/client_transaction.hpp"
#include "sip/transaction/server_transaction.hpp"
#include "sip/transaction/timer_config.hpp"
#include "sip/transaction/transaction_context.hpp"
#include "sip/transport/transport.hpp"

namespace callgate::sip::transaction {

struct EndpointConfig {
  TimerConfig timers;
  std::string userAgent = "callgate";
};

struct EndpointStats {
  uint64_t strayResponses = 0;
  uint64_t strayAcks = 0;
  uint64_t unknownDialog = 0;  // answered 481
};

class SipEndpoint final : private transport::Transport::Listener, private TransactionContext {
 public:
  // Requests inside a dialog this node takes part in. The handler must respond (except ACK).
  class DialogHandler {
   public:
    virtual void onDialogRequest(const Message& request, const transport::PeerAddress& from) = 0;

   protected:
    ~DialogHandler() = default;
  };

  // Out-of-dialog requests (no To tag). Return true when the handler takes the request (it
  // then must respond, except to ACK); false lets the endpoint's default answer apply.
  class RequestHandler {
   public:
    virtual bool onOutOfDialogRequest(const Message& request, const transport::PeerAddress& from) = 0;
    // A CANCEL matched a pending INVITE server transaction: the endpoint has already answered
    // the CANCEL 200 and the INVITE 487 (§9.2); the handler only drops its state.
    virtual void onInviteCancelled(const Message& invite) {}

   protected:
    ~RequestHandler() = default;
  };

  SipEndpoint(boost::asio::io_context& io, std::unique_ptr<transport::Transport> transport, EndpointConfig config = {});
  ~SipEndpoint();
  SipEndpoint(const SipEndpoint&) = delete;
  SipEndpoint& operator=(const SipEndpoint&) = delete;

  // Starts receiving. Call once, after handlers are set.
  void start();

  // --- client side -------------------------------------------------------------------------
  // Starts a client transaction: adds the top Via (new branch, rport), Max-Forwards: 70 and
  // User-Agent when absent, sends, and retransmits per §17.1. `user` may be null (fire and
  // forget). Returns the transaction id (never 0).
  TransactionId sendRequest(Message request, const transport::PeerAddress& to, ClientTransactionUser* user);
  // Sends a CANCEL for a pending INVITE client transaction (§9.1: same Request-URI, Call-ID,
  // From, To, Route, CSeq number and top Via as the INVITE). Returns 0 when the INVITE
  // transaction is gone or already has a final response.
  TransactionId sendCancel(TransactionId invite, ClientTransactionUser* user);
  // The user goes away: its transactions finish without it.
  void abandon(TransactionId id);
  // Sends a request outside any transaction (the ACK for a 2xx, §13.2.2.4). Adds a Via with a
  // new branch when `request` has none, so re-sending the same object repeats the same ACK.
  void sendStateless(Message& request, const transport::PeerAddress& to);

  // --- server side -------------------------------------------------------------------------
  // Sends `response` within the server transaction of `request` (build it with makeResponse).
  void respond(const Message& request, Message response);
  // makeResponse + respond in one.
  void respond(const Message& request, int status, std::string_view reason = {});
  // Re-sends a 2xx to an INVITE outside its (already accepted) transaction: the UAS core
  // retransmits it until the ACK (§13.3.1.4). Goes where the top Via says, else `fallback`.
  void resendResponse(const Message& response, const transport::PeerAddress& fallback);

  // --- routing -----------------------------------------------------------------------------
  void addDialog(const std::string& callId, const std::string& localTag, DialogHandler& handler);
  void removeDialog(const std::string& callId, const std::string& localTag);
  void setRequestHandler(RequestHandler* handler) { requestHandler_ = handler; }

  // --- identity ----------------------------------------------------------------------------
  const std::string& advertisedHost() const { return transport_->advertisedHost(); }
  uint16_t advertisedPort() const { return transport_->advertisedPort(); }
  std::string_view transportName() const { return transport_->protocol(); }
  const std::string& userAgent() const { return config_.userAgent; }
  // Methods this UA answers, for Allow headers.
  static constexpr std::string_view kAllow = "INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, REFER, NOTIFY";

  boost::asio::io_context& io() override { return io_; }
  const TimerConfig& timers() const override { return config_.timers; }
  transport::Transport& transport() { return *transport_; }
  const EndpointStats& stats() const { return stats_; }
  size_t clientTransactionCount() const { return clients_.size(); }
  size_t serverTransactionCount() const { return servers_.size(); }

 private:
  // Transport::Listener
  void onMessage(Message message, const transport::PeerAddress& from) override;
  // TransactionContext
  void sendToNetwork(const Message& message, const transport::PeerAddress& to) override;
  void clientTerminated(TransactionId id) override;
  void serverTerminated(const std::string& key) override;

  void onResponse(const Message& response);
  void onRequest(const Message& request, const transport::PeerAddress& from);
  void onCancel(const Message& cancel, const std::string& key, const transport::PeerAddress& from);
  void defaultOutOfDialog(const Message& request);
  std::string makeVia(const std::string& branch) const;

  boost::asio::io_context& io_;
  std::unique_ptr<transport::Transport> transport_;
  EndpointConfig config_;

  TransactionId nextId_ = 1;
  struct ClientEntry {
    std::unique_ptr<ClientTransaction> transaction;
    std::string key;
  };
  TransactionId startClient(Message request, const std::string& branch, const transport::PeerAddress& to,
                            ClientTransactionUser* user);
  void addDefaults(Message& request) const;

  std::unordered_map<TransactionId, ClientEntry> clients_;
  std::unordered_map<std::string, TransactionId> clientKeys_;  // branch + method -> id
  std::unordered_map<std::string, std::unique_ptr<ServerTransaction>> servers_;
  std::unordered_map<std::string, DialogHandler*> dialogs_;  // Call-ID + local tag
  RequestHandler* requestHandler_ = nullptr;
  EndpointStats stats_;

  std::shared_ptr<char> life_ = std::make_shared<char>();
};

// "z9hG4bK" + random: an RFC 3261 §8.1.1.7 branch.
std::string newBranch();

}  // namespace callgate::sip::transaction

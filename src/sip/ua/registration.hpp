#pragma once
// Registration: a REGISTER client with digest auth and refresh (RFC 3261 §10, §22).
//
// Wire behaviour: REGISTER sip:<domain> sent to <outboundProxy or domain>:<port>;
// From/To <sip:login@domain> (From carries the display name and a tag), one Call-ID for the
// life of the object with CSeq increasing (§10.2.4), Contact
// <sip:login@advertisedHost:advertisedPort;transport=udp>, Expires: registerExpires.
// 401/407 are answered with credentials (see Authenticator); 423 is retried once with the
// Min-Expires asked for. The binding is refreshed at 80 % of the expiry the registrar
// granted (the Contact's expires param for our contact, else Expires, else what we asked).
//
// Events (Listener), all on the endpoint's io_context thread, never inside a call of this
// class (start() resolves asynchronously):
//   onRegistered()                    the first 200 after start() or after a failure; refreshes
//                                     that succeed are silent;
//   onRegistrationFailed(status, why) final failure of a REGISTER, initial or refresh
//                                     (a timeout is 408 "No response from <host:port>");
//                                     the registration then stays idle until start() again.
// Lifetime: never destroy a Registration inside its own callback: post the destruction to
// the io_context. Destroying it does not unregister: call unregister() and destroy it in (or
// after) the done callback - again by posting.
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "sip/transaction/sip_endpoint.hpp"
#include "sip/transaction/timer.hpp"
#include "sip/transport/resolver.hpp"
#include "sip/ua/account.hpp"
#include "sip/ua/authenticator.hpp"

namespace callgate::sip::ua {

struct RegistrationOptions {
  // unregister() reports done at the latest after this long, answered or not.
  std::chrono::milliseconds unregisterTimeout{5000};
};

class Registration final : private transaction::ClientTransactionUser {
 public:
  class Listener {
   public:
    virtual void onRegistered() = 0;
    virtual void onRegistrationFailed(int sipStatus, std::string reason) = 0;

   protected:
    ~Listener() = default;
  };

  enum class State { Idle, Registering, Registered, Failed, Unregistering, Unregistered };

  Registration(transaction::SipEndpoint& endpoint, Account account, Listener& listener,
               RegistrationOptions options = {});
  ~Registration();
  Registration(const Registration&) = delete;
  Registration& operator=(const Registration&) = delete;

  // Validates the account (error returned synchronously, nothing sent) and starts
  // registering. Allowed in Idle, Failed and Unregistered.
  Result<void> start();
  // Removes the binding (Expires: 0) and calls `done` once that REGISTER is answered, times
  // out, or after RegistrationOptions::unregisterTimeout. If nothing was ever sent, `done` is
  // posted at once. No Listener events fire afterwards.
  void unregister(std::function<void()> done);

  State state() const { return state_; }
  bool registered() const { return state_ == State::Registered; }
  uint32_t grantedExpires() const { return grantedExpires_; }
  const std::string& callId() const { return callId_; }
  const Account& account() const { return account_; }
  // <sip:login@advertisedHost:port;transport=udp>, without brackets.
  std::string contactUri() const;

 private:
  void onResponse(transaction::TransactionId id, const Message& response) override;
  void onTransactionTimeout(transaction::TransactionId id) override;

  void sendRegister();
  void onSuccess(const Message& response);
  void fail(int status, std::string reason);
  void finishUnregister();
  uint32_t grantedFrom(const Message& response) const;

  transaction::SipEndpoint& endpoint_;
  Account account_;
  Listener& listener_;
  RegistrationOptions options_;

  State state_ = State::Idle;
  transport::Resolver resolver_;
  std::optional<transport::PeerAddress> proxy_;
  Authenticator auth_;

  // Identity of this registration (§10.2): constant Call-ID and From tag, increasing CSeq.
  std::string callId_;
  std::string fromTag_;
  uint32_t cseq_ = 0;

  transaction::TransactionId transaction_ = 0;
  uint32_t expiresAsked_ = 0;     // value in the REGISTER in flight (0 = unregistering)
  uint32_t requestedExpires_ = 0; // what refreshes ask (raised by a 423)
  uint32_t grantedExpires_ = 0;
  bool intervalRetried_ = false;
  transaction::Timer refreshTimer_;
  transaction::Timer unregisterTimer_;
  std::vector<std::function<void()>> unregisterDone_;
};

}  // namespace callgate::sip::ua

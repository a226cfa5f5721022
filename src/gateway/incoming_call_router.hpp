#pragma once
// IncomingCallRouter: a worker's out-of-dialog INVITEs go to the client session of the user
// they are addressed to (the Request-URI user = the login in the Contact we registered).
// An INVITE for nobody here gets the endpoint's 480; one the UAS cannot handle (no From
// tag, no Contact) gets 400 with the reason. CANCELs find their call through the session.
#include <string>
#include <unordered_map>
#include <vector>

#include "sip/transaction/sip_endpoint.hpp"

namespace callgate::gateway {

class IncomingCallTarget {
 public:
  // Takes the INVITE (it must answer it).
  virtual void onIncomingInvite(const sip::Message& invite, const sip::transport::PeerAddress& from) = 0;
  // A CANCEL matched `invite`; the endpoint already answered 200 and 487.
  virtual void onIncomingCancelled(const sip::Message& invite) = 0;

 protected:
  ~IncomingCallTarget() = default;
};

class IncomingCallRouter final : public sip::transaction::SipEndpoint::RequestHandler {
 public:
  explicit IncomingCallRouter(sip::transaction::SipEndpoint& endpoint) : endpoint_(endpoint) {}

  // The newest target of a login gets its calls (a client that reconnects replaces the old).
  void add(const std::string& login, IncomingCallTarget& target);
  void remove(const std::string& login, IncomingCallTarget& target);

  bool onOutOfDialogRequest(const sip::Message& request, const sip::transport::PeerAddress& from) override;
  void onInviteCancelled(const sip::Message& invite) override;

 private:
  IncomingCallTarget* find(const sip::Message& request) const;

  sip::transaction::SipEndpoint& endpoint_;
  std::unordered_map<std::string, std::vector<IncomingCallTarget*>> targets_;
};

}  // namespace callgate::gateway

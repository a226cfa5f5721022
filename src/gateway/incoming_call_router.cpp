#include "gateway/incoming_call_router.hpp"

#include <algorithm>

#include "common/log.hpp"
#include "sip/transaction/responses.hpp"
#include "sip/ua/incoming_invite.hpp"
#include "sip/uri.hpp"

namespace callgate::gateway {

void IncomingCallRouter::add(const std::string& login, IncomingCallTarget& target) {
  auto& list = targets_[login];
  list.erase(std::remove(list.begin(), list.end(), &target), list.end());
  list.push_back(&target);
}

void IncomingCallRouter::remove(const std::string& login, IncomingCallTarget& target) {
  auto it = targets_.find(login);
  if (it == targets_.end()) return;
  auto& list = it->second;
  list.erase(std::remove(list.begin(), list.end(), &target), list.end());
  if (list.empty()) targets_.erase(it);
}

IncomingCallTarget* IncomingCallRouter::find(const sip::Message& request) const {
  auto uri = sip::parseUri(request.requestUri);
  if (!uri || uri->user.empty()) return nullptr;
  auto it = targets_.find(uri->user);
  if (it == targets_.end() || it->second.empty()) return nullptr;
  return it->second.back();
}

bool IncomingCallRouter::onOutOfDialogRequest(const sip::Message& request, const sip::transport::PeerAddress& from) {
  if (request.method != "INVITE") return false;
  IncomingCallTarget* target = find(request);
  if (!target) {
    CG_INFO("sip: INVITE for {} from {}: nobody connected with that login", request.requestUri, from.toString());
    return false;  // the endpoint answers 480
  }
  if (auto usable = sip::ua::IncomingInvite::check(request); !usable) {
    CG_WARN("sip: INVITE for {} refused: {}", request.requestUri, usable.error().message);
    endpoint_.respond(request, 400, usable.error().message);
    return true;
  }
  target->onIncomingInvite(request, from);
  return true;
}

void IncomingCallRouter::onInviteCancelled(const sip::Message& invite) {
  if (IncomingCallTarget* target = find(invite)) target->onIncomingCancelled(invite);
}

}  // namespace callgate::gateway

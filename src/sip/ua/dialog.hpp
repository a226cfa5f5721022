#pragma once
// Dialog state (RFC 3261 §12) and building requests inside a dialog (§12.2.1.1), shared by
// the INVITE usages. Plain data: the owner keeps it, nothing here does I/O.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "sip/header_values.hpp"
#include "sip/message.hpp"

namespace callgate::sip::ua {

struct Dialog {
  std::string callId;
  NameAddr local;   // our From, with our tag
  NameAddr remote;  // the peer's To/From, with its tag
  Uri remoteTarget; // the peer's Contact (§12.1.2)
  std::vector<std::string> routeSet;  // Route values in the order they are sent
  uint32_t localCseq = 0;
  std::optional<uint32_t> remoteCseq;

  std::string localTag() const { return local.tag().value_or(""); }
  std::string remoteTag() const { return remote.tag().value_or(""); }

  // §12.1.2: the UAC side of a dialog created by `response` (a 2xx, or a 1xx with a To tag):
  // remote = response To, target = response Contact (or `fallbackTarget` when absent), route
  // set = Record-Route reversed. Error when the To is unusable or carries no tag.
  static Result<Dialog> fromUacResponse(const Message& response, const NameAddr& local, const Uri& fallbackTarget,
                                        uint32_t localCseq);

  // §12.1.1: the UAS side of a dialog created by answering `request` (an INVITE) with a To
  // tag `localTag`: remote = From (must carry a tag), local = To + localTag, target = Contact
  // (required), route set = Record-Route in order, remote CSeq = the request's.
  static Result<Dialog> fromUasRequest(const Message& request, const std::string& localTag);

  // A request inside the dialog (§12.2.1.1): Request-URI = remote target and Route = route
  // set (loose routing), or, when the first route lacks ;lr, strict routing (§12.2.1.1 last
  // paragraphs). From/To/Call-ID/CSeq <cseq> <method>. No Via: the endpoint adds it.
  Message makeRequest(std::string_view method, uint32_t cseq) const;

  // Host and port of the next hop: the first route when there is a route set, else the
  // remote target; default port 5060 (5061 for sips).
  std::pair<std::string, uint16_t> nextHop() const;
};

}  // namespace callgate::sip::ua

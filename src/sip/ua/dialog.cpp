#include "sip/ua/dialog.hpp"

namespace callgate::sip::ua {

Result<Dialog> Dialog::fromUacResponse(const Message& response, const NameAddr& local, const Uri& fallbackTarget,
                                       uint32_t localCseq) {
  auto to = parseNameAddr(response.header("To").value_or(""));
  if (!to) return makeError("unusable To in response: " + to.error().message);
  if (!to->tag()) return makeError("response To carries no tag");

  Dialog dialog;
  dialog.callId = std::string(response.header("Call-ID").value_or(""));
  dialog.local = local;
  dialog.remote = std::move(to.value());
  dialog.remoteTarget = fallbackTarget;
  if (auto contacts = response.headerValues("Contact"); !contacts.empty()) {
    if (auto contact = parseNameAddr(contacts.front())) dialog.remoteTarget = contact->uri;
  }
  auto recordRoutes = response.headerValues("Record-Route");
  for (auto it = recordRoutes.rbegin(); it != recordRoutes.rend(); ++it) dialog.routeSet.emplace_back(*it);
  dialog.localCseq = localCseq;
  return dialog;
}

Result<Dialog> Dialog::fromUasRequest(const Message& request, const std::string& localTag) {
  auto from = parseNameAddr(request.header("From").value_or(""));
  if (!from) return makeError("Malformed From: " + from.error().message);
  if (!from->tag()) return makeError("From carries no tag");
  auto to = parseNameAddr(request.header("To").value_or(""));
  if (!to) return makeError("Malformed To: " + to.error().message);
  auto contacts = request.headerValues("Contact");
  if (contacts.empty()) return makeError("Missing Contact");
  auto contact = parseNameAddr(contacts.front());
  if (!contact) return makeError("Malformed Contact: " + contact.error().message);
  auto cseq = parseCSeq(request.header("CSeq").value_or(""));
  if (!cseq) return makeError("Malformed CSeq");

  Dialog dialog;
  dialog.callId = std::string(request.header("Call-ID").value_or(""));
  dialog.remote = std::move(from.value());
  dialog.local = std::move(to.value());
  dialog.local.setParam("tag", localTag);
  dialog.remoteTarget = std::move(contact->uri);
  for (auto route : request.headerValues("Record-Route")) dialog.routeSet.emplace_back(route);
  dialog.remoteCseq = cseq->number;
  return dialog;
}

Message Dialog::makeRequest(std::string_view method, uint32_t cseq) const {
  Uri requestUri = remoteTarget;
  std::vector<std::string> routes = routeSet;
  if (!routes.empty()) {
    auto first = parseNameAddr(routes.front());
    if (first && !first->uri.hasParam("lr")) {
      // Strict router (RFC 2543): it gets the Request-URI, the target goes last in Route.
      requestUri = first->uri;
      routes.erase(routes.begin());
      routes.push_back("<" + remoteTarget.serialize() + ">");
    }
  }
  Message request = Message::request(std::string(method), requestUri.serialize());
  for (auto& route : routes) request.addHeader("Route", std::move(route));
  request.addHeader("From", local.serialize());
  request.addHeader("To", remote.serialize());
  request.addHeader("Call-ID", callId);
  request.addHeader("CSeq", std::to_string(cseq) + " " + std::string(method));
  return request;
}

std::pair<std::string, uint16_t> Dialog::nextHop() const {
  const Uri* hop = &remoteTarget;
  std::optional<NameAddr> first;
  if (!routeSet.empty()) {
    if (auto parsed = parseNameAddr(routeSet.front())) {
      first = std::move(parsed.value());
      hop = &first->uri;
    }
  }
  uint16_t port = hop->port != 0 ? hop->port : (hop->scheme == "sips" ? 5061 : 5060);
  return {hop->host, port};
}

}  // namespace callgate::sip::ua

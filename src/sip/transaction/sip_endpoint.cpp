#include "sip/transaction/sip_endpoint.hpp"

#include <boost/asio/post.hpp>

#include "common/log.hpp"
#include "common/random.hpp"
#include "sip/header_values.hpp"
#include "sip/transaction/responses.hpp"
#include "sip/transport/via_routing.hpp"

namespace callgate::sip::transaction {

namespace asio = boost::asio;
using transport::PeerAddress;

namespace {

constexpr std::string_view kMagicCookie = "z9hG4bK";

std::optional<Via> topVia(const Message& message) {
  auto values = message.headerValues("Via");
  if (values.empty()) return std::nullopt;
  auto via = parseVia(values.front());
  if (!via) return std::nullopt;
  return std::move(via.value());
}

// §17.2.3: branch + sent-by + method for RFC 3261 peers; for RFC 2543 peers (no magic
// cookie) Call-ID, CSeq number and From tag approximate the old matching rules.
std::string serverKey(const Message& request, std::string_view method) {
  auto via = topVia(request);
  auto branch = via ? via->branch() : std::nullopt;
  if (branch && branch->rfind(kMagicCookie, 0) == 0) {
    return *branch + '|' + via->host + ':' + std::to_string(via->port) + '|' + std::string(method);
  }
  std::string key = "2543|" + std::string(request.header("Call-ID").value_or(""));
  if (auto cseq = parseCSeq(request.header("CSeq").value_or(""))) key += '|' + std::to_string(cseq->number);
  if (auto from = parseNameAddr(request.header("From").value_or(""))) key += '|' + from->tag().value_or("");
  return key + '|' + std::string(method);
}

std::optional<std::string> toTag(const Message& request) {
  auto to = parseNameAddr(request.header("To").value_or(""));
  if (!to) return std::nullopt;
  return to->tag();
}

std::string dialogKey(std::string_view callId, std::string_view localTag) {
  return std::string(callId) + '|' + std::string(localTag);
}

bool isKnownMethod(std::string_view method) {
  for (std::string_view m : {"REGISTER", "SUBSCRIBE", "NOTIFY", "MESSAGE", "INFO", "UPDATE", "PRACK", "REFER", "PUBLISH"})
    if (method == m) return true;
  return false;
}

}  // namespace

std::string newBranch() { return std::string(kMagicCookie) + randomToken(16); }

SipEndpoint::SipEndpoint(asio::io_context& io, std::unique_ptr<transport::Transport> transport, EndpointConfig config)
    : io_(io), transport_(std::move(transport)), config_(std::move(config)) {}

SipEndpoint::~SipEndpoint() {
  // Transactions die with their timers; their queued handlers see a dead generation.
  clients_.clear();
  servers_.clear();
}

void SipEndpoint::start() { transport_->start(*this); }

std::string SipEndpoint::makeVia(const std::string& branch) const {
  return "SIP/2.0/" + std::string(transport_->protocol()) + ' ' + transport_->advertisedHost() + ':' +
         std::to_string(transport_->advertisedPort()) + ";branch=" + branch + ";rport";
}

void SipEndpoint::addDefaults(Message& request) const {
  if (!request.header("Max-Forwards")) request.addHeader("Max-Forwards", "70");
  if (!request.header("User-Agent") && !config_.userAgent.empty()) request.addHeader("User-Agent", config_.userAgent);
}

TransactionId SipEndpoint::sendRequest(Message request, const PeerAddress& to, ClientTransactionUser* user) {
  std::string branch = newBranch();
  request.headers.insert(request.headers.begin(), Header{"Via", makeVia(branch)});
  addDefaults(request);
  return startClient(std::move(request), branch, to, user);
}

TransactionId SipEndpoint::startClient(Message request, const std::string& branch, const PeerAddress& to,
                                       ClientTransactionUser* user) {
  TransactionId id = nextId_++;
  std::string key = branch + '|' + request.method;
  auto transaction = std::make_unique<ClientTransaction>(static_cast<TransactionContext&>(*this), id, std::move(request), to, user);
  ClientTransaction* raw = transaction.get();
  clientKeys_[key] = id;
  clients_.emplace(id, ClientEntry{std::move(transaction), std::move(key)});
  raw->start();
  return id;
}

TransactionId SipEndpoint::sendCancel(TransactionId invite, ClientTransactionUser* user) {
  auto it = clients_.find(invite);
  if (it == clients_.end()) return 0;
  const ClientTransaction& transaction = *it->second.transaction;
  if (!transaction.isInvite()) return 0;
  if (transaction.state() != ClientTransaction::State::Calling &&
      transaction.state() != ClientTransaction::State::Proceeding) {
    return 0;
  }
  const Message& original = transaction.request();
  auto via = topVia(original);
  auto branch = via ? via->branch() : std::nullopt;
  if (!branch) return 0;

  Message cancel = Message::request("CANCEL", original.requestUri);
  cancel.addHeader("Via", std::string(original.headerValues("Via").front()));
  for (const auto& h : original.headers) {
    if (headerNameEquals(h.name, "Route")) cancel.addHeader("Route", h.value);
  }
  if (auto from = original.header("From")) cancel.addHeader("From", std::string(*from));
  if (auto to = original.header("To")) cancel.addHeader("To", std::string(*to));
  if (auto callId = original.header("Call-ID")) cancel.addHeader("Call-ID", std::string(*callId));
  auto cseq = parseCSeq(original.header("CSeq").value_or(""));
  cancel.addHeader("CSeq", std::to_string(cseq ? cseq->number : 1) + " CANCEL");
  addDefaults(cancel);
  return startClient(std::move(cancel), *branch, transaction.destination(), user);
}

void SipEndpoint::abandon(TransactionId id) {
  if (auto it = clients_.find(id); it != clients_.end()) it->second.transaction->abandon();
}

void SipEndpoint::sendStateless(Message& request, const PeerAddress& to) {
  if (!request.header("Via")) request.headers.insert(request.headers.begin(), Header{"Via", makeVia(newBranch())});
  addDefaults(request);
  transport_->send(request, to);
}

void SipEndpoint::respond(const Message& request, Message response) {
  auto it = servers_.find(serverKey(request, request.method));
  if (it == servers_.end()) {
    CG_DEBUG("sip: no server transaction for {} response {}", request.method, response.status);
    return;
  }
  if (!response.header("User-Agent") && !config_.userAgent.empty() && response.status >= 200) {
    response.addHeader("User-Agent", config_.userAgent);
  }
  it->second->respond(std::move(response));
}

void SipEndpoint::respond(const Message& request, int status, std::string_view reason) {
  respond(request, makeResponse(request, status, reason));
}

void SipEndpoint::addDialog(const std::string& callId, const std::string& localTag, DialogHandler& handler) {
  dialogs_[dialogKey(callId, localTag)] = &handler;
}

void SipEndpoint::removeDialog(const std::string& callId, const std::string& localTag) {
  dialogs_.erase(dialogKey(callId, localTag));
}

void SipEndpoint::sendToNetwork(const Message& message, const PeerAddress& to) { transport_->send(message, to); }

void SipEndpoint::clientTerminated(TransactionId id) {
  asio::post(io_, [this, life = std::weak_ptr<char>(life_), id] {
    if (life.expired()) return;
    auto it = clients_.find(id);
    if (it == clients_.end()) return;
    if (auto key = clientKeys_.find(it->second.key); key != clientKeys_.end() && key->second == id) {
      clientKeys_.erase(key);
    }
    clients_.erase(it);
  });
}

void SipEndpoint::serverTerminated(const std::string& key) {
  asio::post(io_, [this, life = std::weak_ptr<char>(life_), key] {
    if (life.expired()) return;
    auto it = servers_.find(key);
    if (it != servers_.end() && it->second->state() == ServerTransaction::State::Terminated) servers_.erase(it);
  });
}

void SipEndpoint::resendResponse(const Message& response, const PeerAddress& fallback) {
  auto destination = transport::responseDestination(response);
  // The copy must be byte-identical to the first 2xx (peers match retransmissions so).
  if (!response.header("User-Agent") && !config_.userAgent.empty() && response.status >= 200) {
    Message copy = response;
    copy.addHeader("User-Agent", config_.userAgent);
    sendToNetwork(copy, destination ? *destination : fallback);
    return;
  }
  sendToNetwork(response, destination ? *destination : fallback);
}

void SipEndpoint::onMessage(Message message, const PeerAddress& from) {
  if (message.isResponse()) {
    onResponse(message);
  } else {
    onRequest(message, from);
  }
}

void SipEndpoint::onResponse(const Message& response) {
  auto via = topVia(response);
  auto branch = via ? via->branch() : std::nullopt;
  auto cseq = parseCSeq(response.header("CSeq").value_or(""));
  if (!branch || !cseq) {
    ++stats_.strayResponses;
    return;
  }
  auto key = clientKeys_.find(*branch + '|' + cseq->method);
  if (key == clientKeys_.end()) {
    ++stats_.strayResponses;
    CG_DEBUG("sip: stray response {} {} (branch {})", response.status, cseq->method, *branch);
    return;
  }
  auto it = clients_.find(key->second);
  if (it == clients_.end()) {
    ++stats_.strayResponses;
    return;
  }
  it->second.transaction->onResponse(response);
}

void SipEndpoint::onRequest(const Message& request, const PeerAddress& from) {
  const std::string& method = request.method;
  const bool isAck = method == "ACK";
  std::string key = serverKey(request, isAck ? std::string_view("INVITE") : std::string_view(method));

  if (auto it = servers_.find(key); it != servers_.end()) {
    if (isAck) {
      it->second->onAck();
    } else {
      it->second->onRetransmission();
    }
    return;
  }

  auto tag = toTag(request);
  if (isAck) {
    // The ACK for a 2xx travels in its own transaction (§13.2.2.4): the dialog may want it.
    if (tag) {
      if (auto d = dialogs_.find(dialogKey(request.header("Call-ID").value_or(""), *tag)); d != dialogs_.end()) {
        d->second->onDialogRequest(request, from);
        return;
      }
    }
    ++stats_.strayAcks;
    return;
  }

  servers_.emplace(key, std::make_unique<ServerTransaction>(static_cast<TransactionContext&>(*this), key, request, from));
  if (method == "INVITE") respond(request, makeResponse(request, 100, "Trying"));  // §17.2.1

  if (method == "CANCEL") {
    onCancel(request, serverKey(request, "INVITE"), from);
    return;
  }

  if (tag) {
    auto d = dialogs_.find(dialogKey(request.header("Call-ID").value_or(""), *tag));
    if (d == dialogs_.end()) {
      ++stats_.unknownDialog;
      respond(request, 481, "Call/Transaction Does Not Exist");  // §12.2.2
      return;
    }
    d->second->onDialogRequest(request, from);
    return;
  }

  if (requestHandler_ && requestHandler_->onOutOfDialogRequest(request, from)) return;
  defaultOutOfDialog(request);
}

void SipEndpoint::onCancel(const Message& cancel, const std::string& inviteKey, const PeerAddress& from) {
  auto it = servers_.find(inviteKey);
  if (it == servers_.end()) {
    respond(cancel, 481, "Call/Transaction Does Not Exist");  // §9.2
    return;
  }
  respond(cancel, 200, "OK");
  ServerTransaction& invite = *it->second;
  if (invite.hasFinalResponse()) return;
  Message inviteRequest = invite.request();
  respond(inviteRequest, makeResponse(inviteRequest, 487, "Request Terminated"));
  if (requestHandler_) requestHandler_->onInviteCancelled(inviteRequest);
}

void SipEndpoint::defaultOutOfDialog(const Message& request) {
  const std::string& method = request.method;
  if (method == "OPTIONS") {
    Message response = makeResponse(request, 200, "OK");
    response.addHeader("Allow", std::string(kAllow));
    response.addHeader("Accept", "application/sdp");
    respond(request, std::move(response));
  } else if (method == "INVITE") {
    respond(request, 480, "Temporarily Unavailable");
  } else if (method == "BYE") {
    respond(request, 481, "Call/Transaction Does Not Exist");
  } else if (isKnownMethod(method)) {
    Message response = makeResponse(request, 405, "Method Not Allowed");
    response.addHeader("Allow", std::string(kAllow));
    respond(request, std::move(response));
  } else {
    respond(request, 501, "Not Implemented");
  }
}

}  // namespace callgate::sip::transaction

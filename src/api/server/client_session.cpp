#include "api/server/client_session.hpp"

#include <boost/asio/post.hpp>

#include <utility>
#include <vector>

#include "api/protocol/frames.hpp"
#include "api/server/session_registry.hpp"
#include "common/log.hpp"
#include "common/random.hpp"

namespace callgate::api {
namespace {

const char* frameNameFor(gateway::CallStatus status) {
  using gateway::CallStatus;
  switch (status) {
    case CallStatus::Trying: return "notifyTryingResponse";
    case CallStatus::Ring:
    case CallStatus::RingMedia: return "ring";
    case CallStatus::Established: return "talk";
    case CallStatus::Hold: return "hold";
    case CallStatus::Busy:
    case CallStatus::Finish:
    case CallStatus::Failed: return "finish";
  }
  return "finish";
}

// §3.8 call object. Never carries keys the Web SDK would read as call options.
Json callObject(const gateway::CallSnapshot& call) {
  Json obj = {{"callId", call.callId},
              {"status", gateway::toString(call.status)},
              {"incoming", call.incoming},
              {"caller", call.caller},
              {"callee", call.callee},
              {"visibleName", call.visibleName},
              {"hasAudio", call.hasAudio},
              {"hasVideo", call.hasVideo},
              {"mediaProvider", "WebRTC"}};
  if (call.sipStatus) obj["sipStatus"] = call.sipStatus;
  if (!call.info.empty()) obj["info"] = call.info;
  return obj;
}

}  // namespace

// Frames of a session owned by another worker, posted to the worker of the socket that
// re-attached it; dropped once the relaying ClientSession there is gone. Lives on the owner.
class RelaySink final : public FrameSink {
 public:
  RelaySink(boost::asio::any_io_executor home, std::weak_ptr<char> alive, ClientSession* relay)
      : home_(std::move(home)), alive_(std::move(alive)), relay_(relay) {}
  void sendText(std::string text) override {
    boost::asio::post(home_, [alive = alive_, relay = relay_, text = std::move(text)]() mutable {
      if (!alive.expired()) relay->relayOut(std::move(text));
    });
  }
  void closeAfterSend() override {
    boost::asio::post(home_, [alive = alive_, relay = relay_] {
      if (!alive.expired() && relay->sink_) relay->sink_->closeAfterSend();
    });
  }
  void adopt(std::unique_ptr<ClientSession>) override {}  // a connected session never re-attaches

 private:
  boost::asio::any_io_executor home_;
  std::weak_ptr<char> alive_;
  ClientSession* relay_;  // dereferenced only on home_'s thread, while alive_
};

ClientSession::ClientSession(boost::asio::any_io_executor executor, FrameSink& sink,
                             gateway::UserSessionFactory& factory, KeepAliveSettings keepAlive,
                             SessionRegistry* registry)
    : executor_(std::move(executor)),
      sink_(&sink),
      factory_(factory),
      keepAlive_(keepAlive),
      registry_(registry),
      id_(randomUuid()) {}

ClientSession::~ClientSession() = default;

void ClientSession::send(std::string_view message, Json data) {
  if (sink_) sink_->sendText(encodeFrame(message, data));
}

void ClientSession::sendFail(std::string_view apiMethod, const std::string& info, const std::string& callId) {
  Json payload = {{"apiMethod", apiMethod}, {"status", "FAILED"}, {"info", info}};
  if (!callId.empty()) {
    payload["id"] = callId;
    payload["callId"] = callId;
  }
  send("fail", Json::array({payload}));
}

void ClientSession::failCall(const std::string& callId, const std::string& info) {
  // §6.2: a refused call gets a terminal status (releases the SDK's Call) and a `fail`
  // so the reason is visible through the session's WARN event.
  gateway::CallSnapshot snapshot;
  snapshot.callId = callId;
  snapshot.status = gateway::CallStatus::Failed;
  snapshot.caller = sipLogin_;
  snapshot.info = info;
  onCallStatus(snapshot);
}

void ClientSession::onText(std::string_view text) {
  if (closing_) return;
  if (relayOwner_) {
    // Link checks stay with this socket; everything else belongs to the relayed session.
    auto frame = decodeFrame(text);
    if (frame && (frame->message == "pong" || frame->message == "ping")) {
      unansweredPings_ = 0;
      if (frame->message == "ping") send("pong", Json::array());
      return;
    }
    boost::asio::post(relayOwner_->executor, [registry = relayOwner_->registry, token = relayToken_,
                                              attachment = relayAttachment_, text = std::string(text)] {
      registry->deliverRemote(token, attachment, text);
    });
    return;
  }
  auto frame = decodeFrame(text);
  if (!frame) {
    CG_WARN("client {}: bad frame: {}", id_, frame.error().message);
    sendFail("unknown", frame.error().message);
    return;
  }
  const std::string& name = frame->message;
  const Json& payload = frame->payload;
  CG_DEBUG("client {}: <- {}", id_, name);

  if (name == "pong") {
    unansweredPings_ = 0;
    return;
  }
  if (name == "ping") {
    unansweredPings_ = 0;
    send("pong", Json::array());
    return;
  }
  if (name == "connection") return handleConnection(payload);
  if (!connected_) return sendFail(name, "Session not ready: send connection first");

  if (name == "call") return handleCall(payload);
  if (name == "hangup" || name == "hold" || name == "unhold") {
    auto callId = decodeCallId(payload);
    if (!callId) return sendFail(name, callId.error().message);
    if (!userSession_) return;  // no SIP account: no calls exist; §2.4 ignore unknown ids
    if (name == "hangup") return userSession_->hangup(*callId);
    return userSession_->hold(*callId, name == "hold");
  }
  if (name == "sendDtmf") {
    auto dtmf = decodeDtmf(payload);
    if (!dtmf) return sendFail(name, dtmf.error().message);
    if (userSession_) userSession_->sendDtmf(dtmf->callId, dtmf->digits, dtmf->type);
    return;
  }
  if (name == "answer") {
    auto answer = decodeAnswer(payload);
    if (!answer) {
      auto callId = decodeCallId(payload);
      return sendFail(name, answer.error().message, callId ? *callId : std::string());
    }
    if (!userSession_) return sendFail(name, "Unknown callId", answer->callId);
    if (auto it = calls_.find(answer->callId); it != calls_.end()) it->second.answered = true;
    return userSession_->answer(answer->callId, answer->sdp, std::move(answer->sipHeaders));
  }
  if (name == "transfer") {
    auto request = decodeTransfer(payload);
    if (!request) {
      auto callId = decodeCallId(payload);
      return sendFail(name, request.error().message, callId ? *callId : std::string());
    }
    if (!userSession_) return sendFail(name, "Unknown callId", request->callId);
    return userSession_->transfer(request->callId, request->target);
  }
  if (name == "sendData") {
    Json status = {{"status", "FAILED"}, {"info", "sendData is not supported"}};
    if (payload.is_object() && payload.contains("operationId")) status["operationId"] = payload["operationId"];
    return send("DataStatusEvent", Json::array({status}));
  }
  if (name == "pushLogs" || name == "submitBugReport" || name == "sessionDebug") return;
  if (name == "publishStream" || name == "playStream" || name == "unPublishStream" || name == "stopStream") {
    Json fail = {{"apiMethod", "StreamStatusEvent"}, {"status", "FAILED"}, {"info", "Streams are not supported by callgate"}};
    if (payload.is_object() && payload.contains("mediaSessionId")) fail["id"] = payload["mediaSessionId"];
    return send("fail", Json::array({fail}));
  }
  sendFail(name, "Unknown message " + name);
}

void ClientSession::refuseConnection(const std::string& info) {
  CG_WARN("client {}: connection refused: {}", id_, info);
  sendFail("ConnectionStatusEvent", info);
  closing_ = true;
  if (sink_) sink_->closeAfterSend();
}

void ClientSession::handleConnection(const Json& payload) {
  if (connected_) return sendFail("connection", "Session already connected");
  auto request = decodeConnection(payload);
  if (!request) return refuseConnection(request.error().message);
  // §1: a `connection` carrying an authToken asks for the session kept under it; SIP
  // fields, if any, are ignored (the kept identity stays). A token we cannot honour is
  // refused rather than silently starting a new session the app did not ask for.
  if (!request->authToken.empty()) return reattach(*request);
  connected_ = true;
  dtmfEvents_ = request->dtmfEvents;
  sipLogin_ = request->sipLogin;
  keepAliveRequested_ = request->keepAlive;
  // The token names this session in the worker's registry; it is unguessable (CSPRNG,
  // SessionRegistry) because presenting it hands over the SIP identity.
  authToken_ = registry_ ? registry_->add(*this) : randomToken(48);

  // §3.1: echo the accepted fields (never the password) plus our token and session id.
  Json userData = request->raw;
  userData.erase("sipPassword");
  userData["authToken"] = authToken_;
  userData["sessionId"] = id_;
  userData["status"] = "ESTABLISHED";
  if (!sipLogin_.empty()) userData["sipLogin"] = sipLogin_;
  userData_ = userData;
  send("getUserData", Json::array({userData}));
  CG_INFO("client {}: connected as '{}' (domain '{}', register {}, keepAlive {})", id_, request->sipLogin,
          request->sipDomain, request->sipRegisterRequired, keepAliveRequested_);

  if (!request->hasSipAccount) return;
  gateway::SipAccount account{request->sipLogin,        request->sipAuthenticationName, request->sipPassword,
                              request->sipDomain,       request->sipOutboundProxy,      request->sipPort,
                              request->sipVisibleName,  request->sipRegisterRequired};
  userSession_ = factory_.create(std::move(account), *this);
  userSession_->start();
}

void ClientSession::handleCall(const Json& payload) {
  auto request = decodeCall(payload);
  if (!request) {
    std::string callId = payload.is_object() ? payload.value("callId", std::string()) : std::string();
    CG_WARN("client {}: call {} refused: {}", id_, callId, request.error().message);
    if (callId.empty()) return sendFail("call", request.error().message);
    return failCall(callId, request.error().message);
  }
  if (!userSession_) return failCall(request->callId, "No SIP account: connect with sipLogin and sipDomain first");
  calls_.try_emplace(request->callId);
  gateway::OutgoingCallRequest call;
  call.callId = request->callId;
  call.callee = request->callee;
  call.sdpOffer = std::move(request->sdp);
  call.visibleName = request->visibleName;
  call.hasAudio = request->hasAudio;
  call.hasVideo = request->hasVideo;
  call.extraHeaders = std::move(request->inviteParameters);
  for (auto& line : request->sipHeaders) {
    auto colon = line.find(':');
    if (colon == std::string::npos) return failCall(call.callId, "Invalid sipHeaders entry '" + line + "'");
    auto trim = [](std::string s) {
      s.erase(0, s.find_first_not_of(" \t"));
      s.erase(s.find_last_not_of(" \t") + 1);
      return s;
    };
    call.extraHeaders.emplace_back(trim(line.substr(0, colon)), trim(line.substr(colon + 1)));
  }
  userSession_->call(std::move(call));
}

void ClientSession::reattach(const ConnectionRequest& request) {
  if (!registry_) return refuseConnection(SessionRegistry::kUnknownToken);
  if (const auto* owner = registry_->ownerOf(request.authToken)) return relayTo(*owner, request);
  auto kept = registry_->take(request.authToken);
  if (!kept) return refuseConnection(kept.error().message);
  // This session only carried the request: it never had an identity, and it is done.
  closing_ = true;
  FrameSink* sink = std::exchange(sink_, nullptr);
  CG_INFO("client {}: re-attached by authToken on the socket of client {}", (*kept)->id(), id_);
  (*kept)->attach(*sink, request);
  sink->adopt(std::move(*kept));  // may destroy nothing now; `this` is released later
}

void ClientSession::relayTo(const SessionRegistry::Peer& owner, const ConnectionRequest& request) {
  relayOwner_ = &owner;
  relayToken_ = request.authToken;
  relayAttachment_ = (uint64_t(randomU32()) << 32) | randomU32();
  CG_INFO("client {}: authToken of another worker, relaying this socket there", id_);
  auto sink = std::make_unique<RelaySink>(executor_, alive_, this);
  // Posted in order: the attach runs on the owner before any frame relayed after it.
  boost::asio::post(owner.executor, [registry = owner.registry, token = relayToken_, attachment = relayAttachment_,
                                     request, sink = std::move(sink), home = executor_,
                                     alive = std::weak_ptr<char>(alive_), self = this]() mutable {
    auto attached = registry->attachRemote(token, attachment, request, std::move(sink));
    if (attached) return;
    boost::asio::post(home, [alive, self, info = attached.error().message] {
      if (!alive.expired()) self->relayRefused(info);
    });
  });
}

void ClientSession::relayOut(std::string text) {
  if (sink_ && !closing_) sink_->sendText(std::move(text));
}

void ClientSession::relayRefused(const std::string& info) {
  relayOwner_ = nullptr;
  refuseConnection(info);
}

std::unique_ptr<ClientSession> ClientSession::surrender(const std::string& info) {
  if (!sink_) return nullptr;
  FrameSink* sink = sink_;
  auto self = sink->release();
  if (!self) return nullptr;
  CG_INFO("client {}: {}", id_, info);
  sendFail("ConnectionStatusEvent", info);  // queued before the close, in case the old client still listens
  sink->closeAfterSend();
  detach();
  return self;
}

void ClientSession::detach() {
  sink_ = nullptr;
  unansweredPings_ = 0;
  // Protocol §4.11: the registration and still-ringing incoming calls wait for the client;
  // every other call ends now. No official client can resume a call on a new socket: the
  // SDKs' Call objects and their PeerConnections belong to the old session (§1), and the
  // browser's ICE/DTLS association was with the old PeerConnection, so the media of such a
  // call would have nowhere to go. Ending it (BYE/CANCEL) frees the SIP peer at once.
  std::vector<std::string> ending;
  for (const auto& [callId, call] : calls_)
    if (!isRinging(call)) ending.push_back(callId);
  CG_INFO("client {}: detached; ending {} calls, keeping {} ringing, registration {}", id_, ending.size(),
          calls_.size() - ending.size(), registered_ ? "up" : "down");
  for (const auto& callId : ending) {
    if (userSession_) userSession_->hangup(callId);
  }
}

void ClientSession::attach(FrameSink& sink, const ConnectionRequest& request) {
  sink_ = &sink;
  unansweredPings_ = 0;
  // The new socket's wishes apply from now on (keepAlive false: the next close ends us).
  keepAliveRequested_ = request.keepAlive;
  dtmfEvents_ = request.dtmfEvents || dtmfEvents_;
  userData_["keepAlive"] = request.keepAlive;
  send("getUserData", Json::array({userData_}));
  if (registered_) send("registered", Json::array({{{"status", "REGISTERED"}, {"sipLogin", sipLogin_}}}));
  size_t redelivered = 0;
  for (const auto& [callId, call] : calls_) {
    if (!isRinging(call)) continue;
    gateway::CallSnapshot ring = call.snapshot;
    ring.status = gateway::CallStatus::Ring;
    send("setRemoteSDP", Json::array({callId, call.offer, false}));
    send("notifyIncomingCall", Json::array({callObject(call.snapshot)}));
    send(frameNameFor(ring.status), Json::array({callObject(ring)}));
    ++redelivered;
  }
  CG_INFO("client {}: attached to a new socket ({}registered, {} ringing calls re-delivered)", id_,
          registered_ ? "" : "not ", redelivered);
}

bool ClientSession::onKeepAliveTick() {
  if (closing_) return true;
  if (unansweredPings_ >= keepAlive_.probes) {
    CG_WARN("client {}: {} pings unanswered, closing", id_, unansweredPings_);
    return false;
  }
  ++unansweredPings_;
  send("ping", Json::array({nullptr}));
  return true;
}

void ClientSession::shutdown(std::function<void()> done) {
  closing_ = true;
  sink_ = nullptr;
  if (relayOwner_) {
    boost::asio::post(relayOwner_->executor, [registry = relayOwner_->registry, token = relayToken_,
                                              attachment = relayAttachment_] {
      registry->remoteLost(token, attachment);
    });
    relayOwner_ = nullptr;
  }
  if (registry_ && !authToken_.empty()) registry_->remove(authToken_);
  if (!userSession_) {
    boost::asio::post(executor_, std::move(done));
    return;
  }
  userSession_->close([this, done = std::move(done)]() mutable {
    // Never destroy the user session inside its own callback: post it.
    boost::asio::post(executor_, [this, done = std::move(done)] {
      userSession_.reset();
      done();
    });
  });
}

void ClientSession::onRegistered() {
  registered_ = true;
  if (closing_) return;
  send("registered", Json::array({{{"status", "REGISTERED"}, {"sipLogin", sipLogin_}}}));
}

void ClientSession::onRegistrationFailed(int sipStatus, const std::string& info) {
  registered_ = false;
  if (closing_) return;
  Json payload = {{"apiMethod", "RegistrationStatusEvent"}, {"status", "FAILED"}, {"info", info}};
  if (sipStatus) payload["sipStatus"] = sipStatus;
  send("fail", Json::array({payload}));
}

void ClientSession::onCallStatus(const gateway::CallSnapshot& call) {
  if (gateway::isTerminal(call.status)) {
    calls_.erase(call.callId);
  } else if (auto it = calls_.find(call.callId); it != calls_.end()) {
    it->second.status = call.status;
    if (it->second.incoming) it->second.snapshot = call;
  }
  if (closing_) return;
  send(frameNameFor(call.status), Json::array({callObject(call)}));
  if (call.status == gateway::CallStatus::Failed && !call.info.empty()) {
    sendFail("CallStatusEvent", call.info, call.callId);
  }
}

void ClientSession::onRemoteSdp(const std::string& callId, const std::string& sdp, bool isInitiator) {
  if (!isInitiator) {  // an incoming call's offer: comes first (protocol §3.3)
    KnownCall& known = calls_[callId];
    known.incoming = true;
    known.offer = sdp;
  }
  if (closing_) return;
  send("setRemoteSDP", Json::array({callId, sdp, isInitiator}));
}

void ClientSession::onTransferCompleted(const std::string& callId) {
  if (closing_) return;
  send("notifyTransferEvent", Json::array({{{"callId", callId}, {"status", "COMPLETED"}}}));
}

void ClientSession::onIncomingCall(const gateway::CallSnapshot& call) {
  KnownCall& known = calls_[call.callId];
  known.incoming = true;
  known.status = gateway::CallStatus::Ring;
  known.snapshot = call;
  if (closing_) return;
  send("notifyIncomingCall", Json::array({callObject(call)}));
}

void ClientSession::onCallDtmf(const std::string& callId, char digit, const std::string& type) {
  if (closing_ || !dtmfEvents_) return;
  send("notifyDtmf", Json::array({{{"callId", callId}, {"dtmf", std::string(1, digit)}, {"type", type}}}));
}

void ClientSession::onCallWarning(const std::string& callId, const std::string& apiMethod, const std::string& info) {
  if (closing_) return;
  sendFail(apiMethod, info, callId);
}

}  // namespace callgate::api

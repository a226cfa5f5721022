#include "callgate/client/session.hpp"

#include <cstdio>
#include <cstdlib>

#include <boost/asio/dispatch.hpp>

#include "session_impl.hpp"
#include "thread_name.hpp"

namespace callgate::client {
namespace {
// CALLGATE_CLIENT_TRACE=1 prints every WebSocket frame to stderr (debugging aid).
bool traceFrames() {
  static const bool on = [] {
    const char* v = std::getenv("CALLGATE_CLIENT_TRACE");
    return v && *v && *v != '0';
  }();
  return on;
}
}  // namespace

using detail::Json;

Session::Impl::Impl(SessionOptions o) : options(std::move(o)) {
  mediaFactory = options.mediaEngineFactory ? options.mediaEngineFactory : makeGstMediaEngineFactory();
}

Session::Impl::~Impl() {
  if (thread.joinable()) thread.detach();
}

void Session::Impl::start() {
  // The thread holds the Impl so a Session destroyed on its own thread can detach safely.
  thread = std::thread([self = shared_from_this()] {
    detail::nameCurrentThread(kSessionThreadName);
    self->io.run();
  });
}

void Session::Impl::shutdown() {
  post([self = shared_from_this()] {
    self->userDisconnect = true;
    self->endAllCalls("Session closed");
    if (self->transport) self->transport->close();
    self->transport.reset();
    self->probeTimer.cancel();
    self->reattachTimer.cancel();
    self->work.reset();
    self->io.stop();
  });
  if (std::this_thread::get_id() == thread.get_id())
    thread.detach();
  else if (thread.joinable())
    thread.join();
}

void Session::Impl::setStatus(SessionStatus status, const std::string& info) {
  SessionEvent event{status, info};
  {
    std::lock_guard lock(mutex);
    last = event;
  }
  // Copies: a callback may replace itself (on()/onAnyStatus() run at once on this thread).
  if (auto it = callbacks.find(status); it != callbacks.end() && it->second) {
    auto cb = it->second;
    cb(event);
  }
  if (auto any = anyCallback) any(event);
}

void Session::Impl::sendText(std::string text) {
  if (traceFrames()) std::fprintf(stderr, "callgate-client >> %s\n", text.c_str());
  if (transport) transport->send(std::move(text));
}

void Session::Impl::doConnect(detail::ServerUrl url) {
  if (transport) return;  // already connecting or connected
  reattachTimer.cancel();
  reattachAttempt = 0;
  userDisconnect = false;
  serverUrl = std::move(url);
  setStatus(SessionStatus::Pending);
  openTransport();
}

void Session::Impl::openTransport() {
  pendingFailInfo.clear();
  serverRefusal.clear();
  registrationFailedClose = false;
  auto weak = weak_from_this();
  detail::WsTransport::Handlers h;
  h.onOpen = [weak] {
    if (auto s = weak.lock()) s->onOpen();
  };
  h.onMessage = [weak](std::string text) {
    if (auto s = weak.lock()) s->onMessage(text);
  };
  h.onClosed = [weak](bool error, std::string info) {
    if (auto s = weak.lock()) s->onClosed(error, info);
  };
  transport = detail::makeWsTransport(io, *serverUrl, {options.verifyCertificate, options.trustedCertificateFile},
                                      options.connectTimeout, std::move(h));
  transport->open();
}

void Session::Impl::doDisconnect(const std::string& info) {
  userDisconnect = true;
  if (transport) return transport->close();
  if (reattachAttempt > 0) {  // waiting between re-attach attempts: nothing to close
    reattachTimer.cancel();
    reattachAttempt = 0;
    setStatus(SessionStatus::Disconnected, info);
  }
}

void Session::Impl::onOpen() {
  setStatus(SessionStatus::Connected);
  if (reattachAttempt > 0) {
    // Only the token (protocol §1): the server keeps the SIP identity; no password resent.
    SessionOptions reattach;
    reattach.appKey = options.appKey;
    reattach.keepAlive = true;
    {
      std::lock_guard lock(mutex);
      reattach.authToken = authToken;
    }
    sendText(detail::encodeConnection(reattach));
  } else {
    sendText(detail::encodeConnection(options));
  }
  silentIntervals = 0;
  if (options.receiveProbes > 0) {
    probeTimer.expires_after(options.probesInterval);
    probeTimer.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
      if (auto s = weak.lock(); s && !ec) s->onProbeTimer();
    });
  }
}

void Session::Impl::onProbeTimer() {
  if (!transport) return;
  if (++silentIntervals >= options.receiveProbes) {
    auto t = transport;
    pendingFailInfo = "No message from the server for " +
                      std::to_string(options.receiveProbes * options.probesInterval.count()) + " ms (link lost)";
    t->close();
    return;
  }
  probeTimer.expires_after(options.probesInterval);
  probeTimer.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
    if (auto s = weak.lock(); s && !ec) s->onProbeTimer();
  });
}

void Session::Impl::onClosed(bool error, const std::string& info) {
  transport.reset();
  probeTimer.cancel();
  const bool wasUp = last.status == SessionStatus::Established || last.status == SessionStatus::Registered;
  if (shouldReattach(wasUp)) {
    // The server (keepAlive) keeps the registration and ringing incoming calls, but ends every
    // established call at once (protocol §4.11): the calls end here too, with the reason. A
    // call still ringing comes back after the re-attach as a new incoming call.
    const std::string why = pendingFailInfo.empty() ? info : pendingFailInfo;
    if (wasUp) endAllCalls("Session link lost (" + why + "); the server ends calls on a lost link");
    return scheduleReattach(why);
  }
  const bool reattaching = reattachAttempt > 0;
  reattachAttempt = 0;
  endAllCalls(pendingFailInfo.empty() ? "Session disconnected: " + info : pendingFailInfo);
  if (reattaching && !userDisconnect) {
    setStatus(SessionStatus::Failed, "Re-attach failed: " + (pendingFailInfo.empty() ? info : pendingFailInfo));
  } else if (!pendingFailInfo.empty()) {
    setStatus(SessionStatus::Failed, pendingFailInfo);
  } else if (userDisconnect) {
    setStatus(SessionStatus::Disconnected, info);
  } else if (error || !wasUp) {
    setStatus(SessionStatus::Failed, info);
  } else {
    setStatus(SessionStatus::Disconnected, info);
  }
}

bool Session::Impl::shouldReattach(bool wasUp) const {
  if (userDisconnect || !options.keepAlive || options.reconnectAttempts <= 0 || registrationFailedClose) return false;
  if (!wasUp && reattachAttempt == 0) return false;  // never got in: a plain connect failure
  {
    std::lock_guard lock(mutex);
    if (authToken.empty()) return false;
  }
  if (serverRefusal.empty()) return true;  // the link broke (closed, error, probe timeout)
  // Refused: worth another try only while the server still holds the session for the old
  // socket (it has not noticed the loss yet) or the socket landed on another worker.
  return serverRefusal.find("in use") != std::string::npos ||
         serverRefusal.find("another worker") != std::string::npos;
}

void Session::Impl::scheduleReattach(const std::string& reason) {
  if (reattachAttempt >= options.reconnectAttempts) {
    reattachAttempt = 0;
    endAllCalls("Session link lost: " + reason);
    return setStatus(SessionStatus::Failed, "Re-attach failed after " + std::to_string(options.reconnectAttempts) +
                                                " attempts: " + reason);
  }
  ++reattachAttempt;
  setStatus(SessionStatus::Pending, "Reconnecting (attempt " + std::to_string(reattachAttempt) + " of " +
                                        std::to_string(options.reconnectAttempts) + "): " + reason);
  reattachTimer.expires_after(options.reconnectInterval);
  reattachTimer.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
    auto s = weak.lock();
    if (!s || ec || s->transport || s->userDisconnect || s->reattachAttempt == 0) return;
    s->openTransport();
  });
}

void Session::Impl::endAllCalls(const std::string& info) {
  auto live = std::move(calls);
  calls.clear();
  for (auto& [id, call] : live) {
    if (!isTerminal(call->last.status)) call->terminate(CallStatus::Failed, 0, info);
  }
}

void Session::Impl::onMessage(const std::string& text) {
  silentIntervals = 0;
  if (traceFrames()) std::fprintf(stderr, "callgate-client << %s\n", text.c_str());
  auto frame = detail::decodeServerFrame(text);
  if (!frame) return;  // not ours to judge; the Web SDK ignores what it cannot parse too
  const std::string& name = frame->message;
  const Json& data = frame->data;
  const Json& first = data.empty() ? Json() : data[0];

  if (name == "ping") return sendText(detail::encodePong());
  if (name == "getUserData") {
    if (first.is_object()) {
      std::lock_guard lock(mutex);
      if (auto it = first.find("authToken"); it != first.end() && it->is_string()) authToken = *it;
      if (auto it = first.find("sipLogin"); it != first.end() && it->is_string()) sipLogin = *it;
    }
    if (reattachAttempt > 0) {
      reattachAttempt = 0;
      return setStatus(SessionStatus::Established, "Re-attached to the kept session");
    }
    return setStatus(SessionStatus::Established);
  }
  if (name == "registered") return setStatus(SessionStatus::Registered);
  if (name == "setRemoteSDP") {
    auto sdp = detail::decodeRemoteSdp(data);
    if (!sdp) return;
    if (auto it = calls.find(sdp->callId); it != calls.end()) return it->second->onRemoteSdp(*sdp);
    remoteSdpCache[sdp->callId] = sdp->sdp;  // §3: an incoming offer precedes notifyIncomingCall
    return;
  }
  if (name == "notifyIncomingCall") {
    auto update = detail::decodeCallUpdate(first);
    if (!update) return;
    auto impl = std::make_shared<Call::Impl>(shared_from_this(), update->callId, true, CallOptions{});
    {
      std::lock_guard lock(impl->mutex);
      impl->caller = update->caller;
      impl->callee = update->callee;
      impl->visibleName = update->visibleName;
    }
    impl->custom = update->custom;
    if (auto it = remoteSdpCache.find(update->callId); it != remoteSdpCache.end()) {
      impl->remoteOffer = std::move(it->second);
      remoteSdpCache.erase(it);
    }
    calls[update->callId] = impl;
    if (auto cb = incomingCallback) cb(std::shared_ptr<Call>(new Call(impl)));
    return;
  }
  if (name == "notifyTryingResponse" || name == "ring" || name == "talk" || name == "hold" || name == "finish" ||
      name == "busy") {
    // §3: the message name is irrelevant; data[0].status is the event.
    auto update = detail::decodeCallUpdate(first);
    if (!update) return;
    return routeCallUpdate(*update, name);
  }
  if (name == "notifyDtmf") {
    auto notice = detail::decodeDtmfNotice(first);
    if (!notice) return;
    if (auto it = calls.find(notice->callId); it != calls.end()) it->second->onDtmf(*notice);
    return;
  }
  if (name == "fail") {
    auto notice = detail::decodeFail(first);
    if (!notice) return;
    if (notice->apiMethod == "ConnectionStatusEvent") {
      pendingFailInfo = "Connection refused by the server: " + notice->info;
      serverRefusal = notice->info;
      return;  // the server closes next
    }
    if (notice->apiMethod == "RegistrationStatusEvent") {
      // The WS stays open on the server side (§4.3); for the SDK a session that was asked to
      // register and cannot is FAILED: the app cannot receive calls.
      if (options.sipRegisterRequired) {
        pendingFailInfo = "SIP registration failed: " + notice->info;
        registrationFailedClose = true;
        if (transport) transport->close();
      }
      return;
    }
    if (!notice->callId.empty()) {
      if (auto it = calls.find(notice->callId); it != calls.end()) it->second->onFailNotice(*notice);
    }
    return;
  }
  // Everything else (DataStatusEvent, unknown messages) is ignored.
}

void Session::Impl::routeCallUpdate(const detail::CallUpdate& update, const std::string& message) {
  auto it = calls.find(update.callId);
  if (it == calls.end()) return;
  auto call = it->second;  // keep alive across the callback
  if (update.status && isTerminal(*update.status)) calls.erase(it);
  call->onUpdate(update);
}

// ---- public API ----

Session::Session(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

std::shared_ptr<Session> Session::create(SessionOptions options) {
  auto impl = std::make_shared<Impl>(std::move(options));
  impl->start();
  return std::shared_ptr<Session>(new Session(std::move(impl)));
}

Session::~Session() { impl_->shutdown(); }

Outcome Session::connect() {
  auto url = detail::parseServerUrl(impl_->options.urlServer);
  if (!url) return url.error();
  impl_->post([impl = impl_, u = *url] { impl->doConnect(u); });
  return {};
}

void Session::disconnect() {
  impl_->post([impl = impl_] { impl->doDisconnect("Disconnected by the client"); });
}

std::shared_ptr<Call> Session::createCall(CallOptions options) {
  auto impl = std::make_shared<Call::Impl>(impl_, detail::makeUuid(), false, std::move(options));
  return std::shared_ptr<Call>(new Call(std::move(impl)));
}

void Session::on(SessionStatus status, StatusCallback callback) {
  boost::asio::dispatch(impl_->io, [impl = impl_, status, cb = std::move(callback)] { impl->callbacks[status] = cb; });
}

void Session::onAnyStatus(StatusCallback callback) {
  boost::asio::dispatch(impl_->io, [impl = impl_, cb = std::move(callback)] { impl->anyCallback = cb; });
}

void Session::onIncomingCall(IncomingCallCallback callback) {
  boost::asio::dispatch(impl_->io, [impl = impl_, cb = std::move(callback)] { impl->incomingCallback = cb; });
}

SessionStatus Session::status() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->last.status;
}

SessionEvent Session::lastEvent() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->last;
}

std::string Session::authToken() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->authToken;
}

}  // namespace callgate::client

#include "callgate/client/call.hpp"

#include <boost/asio/dispatch.hpp>

#include "dtmf_sdp.hpp"
#include "session_impl.hpp"

namespace callgate::client {

namespace {
// After our hangup the server answers with `finish`; if it does not (link gone), the call
// still ends locally after this long.
constexpr auto kHangupGrace = std::chrono::seconds(5);
}  // namespace

Call::Impl::Impl(std::shared_ptr<Session::Impl> s, std::string callId, bool isIncoming, CallOptions o)
    : session(std::move(s)),
      io(session->io),
      id(std::move(callId)),
      incoming(isIncoming),
      options(std::move(o)),
      hangupTimer(io) {
  callee = options.callee;
  visibleName = options.visibleName;
}

void Call::Impl::send(std::string text) { session->sendText(std::move(text)); }

void Call::Impl::setStatus(CallStatus status, int sipStatus, const std::string& info) {
  CallEvent event{status, sipStatus, info};
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

void Call::Impl::terminate(CallStatus status, int sipStatus, const std::string& info) {
  if (isTerminal(last.status)) return;
  hangupTimer.cancel();
  if (media) {
    media->close();  // finalises WAV sinks before the app hears about the end
    std::lock_guard lock(mutex);
    finalStats = media->stats();
    statsSource.reset();
    media.reset();
  }
  session->calls.erase(id);
  setStatus(status, sipStatus, info);
}

bool Call::Impl::startMedia() {
  if (options.media.iceLocalAddresses.empty()) {
    // A server on loopback is only reachable from loopback, which libnice skips by default.
    if (auto url = detail::parseServerUrl(session->options.urlServer);
        url && (url->host.starts_with("127.") || url->host == "localhost")) {
      options.media.iceLocalAddresses.push_back("127.0.0.1");
    }
  }
  auto weak = weak_from_this();
  auto& ioRef = io;
  auto created =
      session->mediaFactory->create(options.media, [weak, &ioRef](MediaEvent event, const std::string& info) {
        boost::asio::post(ioRef, [weak, event, info] {
          if (auto c = weak.lock()) c->onMedia(event, info);
        });
      });
  if (!created) {
    terminate(CallStatus::Failed, 0, "Media engine: " + created.error().message);
    return false;
  }
  media = std::move(*created);
  std::lock_guard lock(mutex);
  statsSource = media;
  return true;
}

void Call::Impl::doCall() {
  if (last.status != CallStatus::New) return;
  auto st = session->last.status;
  if (st != SessionStatus::Established && st != SessionStatus::Registered) {
    return terminate(
        CallStatus::Failed, 0,
        std::string("Invalid session state ") + toString(st) + ": wait for ESTABLISHED or REGISTERED before calling");
  }
  session->calls[id] = shared_from_this();
  setStatus(CallStatus::Pending, 0, "");
  if (!startMedia()) return;
  auto weak = weak_from_this();
  auto& ioRef = io;
  media->createOffer([weak, &ioRef](Result<std::string> sdp) {
    boost::asio::post(ioRef, [weak, sdp = std::move(sdp)] {
      auto c = weak.lock();
      if (!c || c->last.status != CallStatus::Pending) return;
      if (!sdp) return c->terminate(CallStatus::Failed, 0, "Cannot create the SDP offer: " + sdp.error().message);
      std::string caller;
      {
        std::lock_guard lock(c->session->mutex);
        caller = c->session->sipLogin.empty() ? c->session->options.sipLogin : c->session->sipLogin;
      }
      c->requestSent = true;
      // telephone-event lets callgate send RFC2833 DTMF to the SIP side (dtmf_sdp.hpp).
      c->send(detail::encodeCall(c->id, caller, c->options, detail::addTelephoneEvent(*sdp)));
    });
  });
}

void Call::Impl::doAnswer() {
  if (last.status != CallStatus::New && last.status != CallStatus::Ring) return;
  if (remoteOffer.empty()) return terminate(CallStatus::Failed, 0, "No remote sdp available");
  setStatus(CallStatus::Pending, 0, "");
  if (!startMedia()) {
    send(detail::encodeCallRequest("hangup", id));  // reject: we cannot take it
    return;
  }
  auto weak = weak_from_this();
  auto& ioRef = io;
  // webrtcbin answers without telephone-event; take it back in with the offer's payload type.
  const int eventPt = detail::telephoneEventPt(remoteOffer);
  media->createAnswer(detail::removeTelephoneEvent(remoteOffer), [weak, &ioRef, eventPt](Result<std::string> sdp) {
    boost::asio::post(ioRef, [weak, eventPt, sdp = std::move(sdp)] {
      auto c = weak.lock();
      // Not `status == Pending`: the server's `ring` may arrive while the answer is made.
      if (!c || isTerminal(c->last.status) || c->requestSent) return;
      if (!sdp) {
        c->send(detail::encodeCallRequest("hangup", c->id));
        return c->terminate(CallStatus::Failed, 0, "Cannot create the SDP answer: " + sdp.error().message);
      }
      c->requestSent = true;
      std::string calleeCopy;
      {
        std::lock_guard lock(c->mutex);
        calleeCopy = c->callee;
      }
      const std::string answer = eventPt >= 0 ? detail::addTelephoneEvent(*sdp, eventPt) : *sdp;
      c->send(detail::encodeAnswer(c->id, answer, calleeCopy, c->custom,
                                   c->options.media.local.video || c->options.media.remote.video));
    });
  });
}

void Call::Impl::doHangup() {
  if (isTerminal(last.status)) return;
  if (!requestSent && !incoming) return terminate(CallStatus::Finish, 0, "Hung up before the call started");
  send(detail::encodeCallRequest("hangup", id));
  hangupTimer.expires_after(kHangupGrace);
  hangupTimer.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
    if (auto c = weak.lock(); c && !ec) c->terminate(CallStatus::Finish, 0, "Hung up (no answer from the server)");
  });
}

void Call::Impl::onUpdate(const detail::CallUpdate& u) {
  if (!u.status || isTerminal(last.status)) return;
  if (isTerminal(*u.status)) return terminate(*u.status, u.sipStatus, u.info);
  setStatus(*u.status, u.sipStatus, u.info);
}

void Call::Impl::onRemoteSdp(const detail::RemoteSdp& sdp) {
  if (incoming) {
    remoteOffer = sdp.sdp;
    return;
  }
  if (!media) return;
  auto weak = weak_from_this();
  auto& ioRef = io;
  media->setRemoteDescription(detail::removeTelephoneEvent(sdp.sdp), [weak, &ioRef](Outcome r) {
    if (r) return;
    boost::asio::post(ioRef, [weak, msg = r.message()] {
      auto c = weak.lock();
      if (!c || isTerminal(c->last.status)) return;
      c->send(detail::encodeCallRequest("hangup", c->id));
      c->terminate(CallStatus::Failed, 0, "Cannot apply the server's SDP answer: " + msg);
    });
  });
}

void Call::Impl::onFailNotice(const detail::FailNotice& notice) {
  // A warning (hold refused, ...): the call goes on; the text is kept for lastEvent().
  std::lock_guard lock(mutex);
  last.info = notice.info;
}

void Call::Impl::onDtmf(const detail::DtmfNotice& notice) {
  if (isTerminal(last.status)) return;
  if (auto cb = dtmfCallback) cb(notice.digit, notice.type);  // a copy: it may replace itself
}

void Call::Impl::onMedia(MediaEvent event, const std::string& info) {
  if (event == MediaEvent::Failed && !isTerminal(last.status)) {
    send(detail::encodeCallRequest("hangup", id));
    terminate(CallStatus::Failed, 0, "Media failed: " + info);
  }
}

// ---- public API ----

Call::Call(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
Call::~Call() = default;

Outcome Call::call() {
  if (impl_->incoming) return Error{"call() is for outgoing calls; use answer()"};
  if (impl_->options.callee.empty()) return Error{"No callee: set CallOptions::callee"};
  if (status() != CallStatus::New) return Error{std::string("Invalid call state ") + toString(status())};
  boost::asio::post(impl_->io, [impl = impl_] { impl->doCall(); });
  return {};
}

Outcome Call::answer(MediaConfig media) {
  if (!impl_->incoming) return Error{"answer() is for incoming calls"};
  auto st = status();
  if (st != CallStatus::New && st != CallStatus::Ring) return Error{std::string("Invalid call state ") + toString(st)};
  boost::asio::post(impl_->io, [impl = impl_, media = std::move(media)] {
    impl->options.media = media;
    impl->doAnswer();
  });
  return {};
}

Outcome Call::hangup() {
  if (isTerminal(status())) return Error{std::string("Call already ended (") + toString(status()) + ")"};
  boost::asio::post(impl_->io, [impl = impl_] { impl->doHangup(); });
  return {};
}

Outcome Call::hold() {
  if (isTerminal(status())) return Error{"Call already ended"};
  boost::asio::post(impl_->io, [impl = impl_] { impl->send(detail::encodeCallRequest("hold", impl->id)); });
  return {};
}

Outcome Call::unhold() {
  if (isTerminal(status())) return Error{"Call already ended"};
  boost::asio::post(impl_->io, [impl = impl_] { impl->send(detail::encodeCallRequest("unhold", impl->id)); });
  return {};
}

Outcome Call::sendDtmf(const std::string& digits, DtmfType type) {
  if (auto r = detail::validateDtmf(digits); !r) return r;
  if (isTerminal(status())) return Error{"Call already ended"};
  boost::asio::post(impl_->io,
                    [impl = impl_, digits, type] { impl->send(detail::encodeDtmf(impl->id, digits, type)); });
  return {};
}

Outcome Call::requestKeyFrame() {
  if (isTerminal(status())) return Error{"Call already ended"};
  boost::asio::post(impl_->io, [impl = impl_] {
    if (impl->media) impl->media->requestKeyFrame();
  });
  return {};
}

MediaStats Call::mediaStats() const {
  std::shared_ptr<MediaEngine> media;
  {
    std::lock_guard lock(impl_->mutex);
    if (!impl_->statsSource) return impl_->finalStats;
    media = impl_->statsSource;
  }
  return media->stats();
}

void Call::on(CallStatus status, StatusCallback callback) {
  // dispatch: set inside onIncomingCall (SDK thread), it applies before the next event.
  boost::asio::dispatch(impl_->io, [impl = impl_, status, cb = std::move(callback)] { impl->callbacks[status] = cb; });
}

void Call::onAnyStatus(StatusCallback callback) {
  boost::asio::dispatch(impl_->io, [impl = impl_, cb = std::move(callback)] { impl->anyCallback = cb; });
}

void Call::onDtmf(DtmfCallback callback) {
  boost::asio::dispatch(impl_->io, [impl = impl_, cb = std::move(callback)] { impl->dtmfCallback = cb; });
}

std::string Call::id() const { return impl_->id; }
bool Call::incoming() const { return impl_->incoming; }
std::string Call::caller() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->caller;
}
std::string Call::callee() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->callee;
}
std::string Call::visibleName() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->visibleName;
}
CallStatus Call::status() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->last.status;
}
CallEvent Call::lastEvent() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->last;
}

}  // namespace callgate::client

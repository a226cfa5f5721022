#pragma once
// Internals of Session and Call. Everything below runs on the SDK thread (io_), except the
// small public getters, which read under mutex_.
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <map>
#include <optional>
#include <mutex>
#include <thread>

#include "callgate/client/session.hpp"
#include "protocol.hpp"
#include "ws_transport.hpp"

namespace callgate::client {

struct Session::Impl : std::enable_shared_from_this<Session::Impl> {
  explicit Impl(SessionOptions o);
  ~Impl();

  void start();     // starts the SDK thread
  void shutdown();  // from ~Session: close, stop, join (or detach on the SDK thread)

  // SDK thread:
  void doConnect(detail::ServerUrl url);
  void openTransport();
  bool shouldReattach(bool wasUp) const;
  void scheduleReattach(const std::string& reason);
  void doDisconnect(const std::string& info);
  void onOpen();
  void onMessage(const std::string& text);
  void onClosed(bool error, const std::string& info);
  void onProbeTimer();
  void setStatus(SessionStatus status, const std::string& info = {});
  void sendText(std::string text);
  void routeCallUpdate(const detail::CallUpdate& update, const std::string& message);
  void endAllCalls(const std::string& info);

  template <class F>
  void post(F&& f) {
    boost::asio::post(io, std::forward<F>(f));
  }

  SessionOptions options;
  boost::asio::io_context io;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work{io.get_executor()};
  std::thread thread;

  // SDK thread state.
  std::shared_ptr<detail::WsTransport> transport;
  boost::asio::steady_timer probeTimer{io};
  int silentIntervals = 0;
  bool userDisconnect = false;
  std::string pendingFailInfo;  // a `fail` ConnectionStatusEvent explains the close that follows
  std::string serverRefusal;    // its info, raw (decides whether a re-attach is retried)
  bool registrationFailedClose = false;  // we closed because REGISTER failed: not a link loss
  std::optional<detail::ServerUrl> serverUrl;  // of connect(), for re-attaching
  int reattachAttempt = 0;  // > 0 while re-attaching after a link loss
  boost::asio::steady_timer reattachTimer{io};
  std::map<std::string, std::shared_ptr<Call::Impl>> calls;  // live calls by callId
  std::map<std::string, std::string> remoteSdpCache;         // incoming offers before notifyIncomingCall
  std::map<SessionStatus, StatusCallback> callbacks;
  StatusCallback anyCallback;
  IncomingCallCallback incomingCallback;
  std::shared_ptr<MediaEngineFactory> mediaFactory;

  // Read from any thread.
  mutable std::mutex mutex;
  SessionEvent last;
  std::string authToken;
  std::string sipLogin;  // as the server echoed it
};

struct Call::Impl : std::enable_shared_from_this<Call::Impl> {
  Impl(std::shared_ptr<Session::Impl> session, std::string id, bool incoming, CallOptions options);

  // SDK thread:
  void doCall();
  void doAnswer();
  void doHangup();
  void onUpdate(const detail::CallUpdate& update);
  void onRemoteSdp(const detail::RemoteSdp& sdp);
  void onFailNotice(const detail::FailNotice& notice);
  void onDtmf(const detail::DtmfNotice& notice);
  void onMedia(MediaEvent event, const std::string& info);
  void setStatus(CallStatus status, int sipStatus, const std::string& info);
  void terminate(CallStatus status, int sipStatus, const std::string& info);
  bool startMedia();
  void send(std::string text);

  // Strong: a Call handle may outlive its Session (the io_context then just stops running).
  // The cycle through Session::Impl::calls ends when the call ends or the session shuts down.
  std::shared_ptr<Session::Impl> session;
  boost::asio::io_context& io;
  const std::string id;
  const bool incoming;
  CallOptions options;
  std::shared_ptr<MediaEngine> media;
  bool requestSent = false;  // `call`/`answer` went out: the server owns the call's end
  std::string remoteOffer;   // incoming
  nlohmann::json custom;     // incoming: echoed in answer
  boost::asio::steady_timer hangupTimer;
  std::map<CallStatus, StatusCallback> callbacks;
  StatusCallback anyCallback;
  DtmfCallback dtmfCallback;

  mutable std::mutex mutex;
  CallEvent last;
  std::string caller, callee, visibleName;
  std::shared_ptr<MediaEngine> statsSource;  // `media` while it runs, for mediaStats()
  MediaStats finalStats;                     // when it has been closed
};

}  // namespace callgate::client

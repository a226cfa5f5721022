#pragma once
// A SIP call through callgate (FPWCSApi2Call). Created by Session::createCall (outgoing) or
// handed to Session::onIncomingCall (incoming). All methods are thread-safe: they validate
// what they can at once (returning an Error) and post the rest to the SDK thread; results
// arrive as status callbacks on the SDK thread.
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "callgate/client/media_engine.hpp"
#include "callgate/client/result.hpp"
#include "callgate/client/status.hpp"

namespace callgate::client {

struct CallOptions {
  std::string callee;                                   // "1001", "user@host" or a SIP URI
  std::string visibleName;                              // display name in From; default sipLogin
  std::map<std::string, std::string> inviteParameters;  // extra INVITE headers
  MediaConfig media;                                    // constraints, source and sink
};

struct CallEvent {
  CallStatus status = CallStatus::New;
  int sipStatus = 0;  // SIP response code behind the status, 0 when none
  std::string info;   // reason text ("Normal call clearing", "Busy Here", ...)
};

class Call {
 public:
  using StatusCallback = std::function<void(const CallEvent&)>;
  // One digit ("0"-"9", "*", "#", "A"-"D") the SIP side sent, and how it came.
  using DtmfCallback = std::function<void(const std::string& digit, DtmfType type)>;

  ~Call();
  Call(const Call&) = delete;
  Call& operator=(const Call&) = delete;

  // Outgoing: makes the offer and sends `call`. NEW -> PENDING -> TRYING -> RING -> ESTABLISHED.
  Outcome call();
  // Incoming: makes the answer to the server's offer (with this media set-up) and sends
  // `answer`.
  Outcome answer(MediaConfig media = {});
  // Cancels, rejects or ends the call; the terminal status (FINISH) follows.
  Outcome hangup();
  Outcome hold();
  Outcome unhold();
  // Digits 0-9 * # A-D, sent in order.
  Outcome sendDtmf(const std::string& digits, DtmfType type = DtmfType::Rfc2833);
  // Asks the far end for a video key frame (RTCP PLI); no-op without received video.
  Outcome requestKeyFrame();
  // The media engine's counters and negotiated codecs (MediaStats); after the call ended,
  // the final ones. Any thread.
  MediaStats mediaStats() const;

  // Callback for one status, or for all with onAnyStatus. Replaces an earlier one.
  void on(CallStatus status, StatusCallback callback);
  void onAnyStatus(StatusCallback callback);
  // DTMF from the far end (needs SessionOptions::dtmfEvents, on by default). Replaces an
  // earlier one; runs on the SDK thread like the status callbacks.
  void onDtmf(DtmfCallback callback);

  std::string id() const;
  bool incoming() const;
  std::string caller() const;
  std::string callee() const;
  std::string visibleName() const;
  CallStatus status() const;
  CallEvent lastEvent() const;

  struct Impl;
  explicit Call(std::shared_ptr<Impl> impl);
  const std::shared_ptr<Impl>& impl() const { return impl_; }

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace callgate::client

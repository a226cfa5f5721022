#pragma once
// Events from the SDK thread (and, in interactive mode, from the stdin reader) to
// callgate-phone's main thread, which handles them one at a time.
#include <callgate/client/client.hpp>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace callgate::phone {

struct Event {
  enum Kind { SessionStatusChanged, CallStatusChanged, Incoming, Dtmf, InputLine, InputClosed };
  Kind kind = InputClosed;
  client::SessionEvent session;
  client::CallEvent call;
  std::shared_ptr<client::Call> incoming;
  std::string callId;  // CallStatusChanged, Dtmf, Incoming
  std::string text;    // Dtmf: the digit; InputLine: the line
  client::DtmfType dtmfType = client::DtmfType::Rfc2833;
};

inline Event makeEvent(Event::Kind kind) {
  Event e;
  e.kind = kind;
  return e;
}

class EventQueue {
 public:
  void push(Event e) {
    {
      std::lock_guard lock(mutex_);
      events_.push_back(std::move(e));
    }
    cv_.notify_one();
  }
  std::optional<Event> pop(std::chrono::steady_clock::time_point deadline) {
    std::unique_lock lock(mutex_);
    if (!cv_.wait_until(lock, deadline, [&] { return !events_.empty(); })) return std::nullopt;
    Event e = std::move(events_.front());
    events_.pop_front();
    return e;
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<Event> events_;
};

// Registers the call's callbacks (status and DTMF) to push into `queue`. Call it inside
// onIncomingCall (SDK thread) so the first events are not missed.
inline void watchCall(const std::shared_ptr<client::Call>& call, EventQueue& queue) {
  const std::string id = call->id();
  call->onAnyStatus([&queue, id](const client::CallEvent& e) {
    Event ev = makeEvent(Event::CallStatusChanged);
    ev.call = e;
    ev.callId = id;
    queue.push(std::move(ev));
  });
  call->onDtmf([&queue, id](const std::string& digit, client::DtmfType type) {
    Event ev = makeEvent(Event::Dtmf);
    ev.callId = id;
    ev.text = digit;
    ev.dtmfType = type;
    queue.push(std::move(ev));
  });
}

// "dtmf received 5 INFO_RELAY"
inline std::string dtmfLine(const Event& e) {
  return "dtmf received " + e.text + " " + client::toString(e.dtmfType);
}

}  // namespace callgate::phone

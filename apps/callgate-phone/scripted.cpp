#include "scripted.hpp"

#include <chrono>
#include <iostream>
#include <thread>

#include "phone_events.hpp"

namespace callgate::phone {

using namespace client;
using namespace std::chrono_literals;

int runScripted(const PhoneOptions& args) {
  auto say = [&](const std::string& line) {
    if (!args.quiet) std::cout << line << std::endl;
  };
  std::shared_ptr<Call> call;
  MediaActions mediaActions;
  auto finalLine = [&](int code, const std::string& line) {
    if (call && !args.quiet) std::cout << mediaSummary(call->mediaStats()) << std::endl;
    std::cout << "result " << code << " " << line << std::endl;
    return code;
  };

  EventQueue queue;
  auto session = Session::create(args.session);
  session->onAnyStatus([&](const SessionEvent& e) {
    Event ev = makeEvent(Event::SessionStatusChanged);
    ev.session = e;
    queue.push(std::move(ev));
  });
  auto watch = [&](const std::shared_ptr<Call>& c) { watchCall(c, queue); };
  // Watch an incoming call from inside the callback (SDK thread) so its first RING is seen.
  session->onIncomingCall([&](std::shared_ptr<Call> c) {
    watch(c);
    Event e = makeEvent(Event::Incoming);
    e.incoming = std::move(c);
    queue.push(std::move(e));
  });
  if (auto r = session->connect(); !r) return finalLine(kConnectFailed, r.message());

  using Clock = std::chrono::steady_clock;
  auto secs = [](double s) { return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s)); };
  const SessionStatus ready = args.session.sipRegisterRequired ? SessionStatus::Registered : SessionStatus::Established;

  // 1. Session up.
  bool connected = false;
  auto deadline = Clock::now() + secs(args.timeout);
  for (bool up = false; !up;) {
    auto e = queue.pop(deadline);
    if (!e) return finalLine(connected ? kSessionRefused : kConnectFailed, "timeout waiting for the session");
    if (e->kind != Event::SessionStatusChanged) continue;
    say(std::string("session ") + toString(e->session.status) + (e->session.info.empty() ? "" : " " + e->session.info));
    if (e->session.status == SessionStatus::Connected) connected = true;
    if (e->session.status == ready) up = true;
    if (up && args.session.keepAlive) say("auth token " + session->authToken());
    if (e->session.status == SessionStatus::Failed || e->session.status == SessionStatus::Disconnected)
      return finalLine(connected ? kSessionRefused : kConnectFailed, e->session.info);
  }

  CallOptions callOptions;
  callOptions.callee = args.call;
  callOptions.media = composeMedia(args.media, args.source, args.sink);

  if (!args.call.empty()) {
    call = session->createCall(callOptions);
    watch(call);
    if (auto r = call->call(); !r) return finalLine(kCallFailed, r.message());
  } else if (args.answer) {
    deadline = Clock::now() + secs(args.timeout);
    while (!call) {
      auto e = queue.pop(deadline);
      if (!e) return finalLine(kNoIncomingCall, "no incoming call within the timeout");
      if (e->kind == Event::SessionStatusChanged &&
          (e->session.status == SessionStatus::Failed || e->session.status == SessionStatus::Disconnected))
        return finalLine(kSessionLost, e->session.info);
      if (e->kind == Event::Incoming) {
        call = e->incoming;
        say("incoming call from '" + call->caller() + "'");
        if (auto r = call->answer(callOptions.media); !r) return finalLine(kCallFailed, r.message());
      }
    }
  } else {
    // Session only: stay connected for --duration, reporting status changes (a re-attach
    // after a lost link shows as PENDING "Reconnecting ...", then ESTABLISHED/REGISTERED).
    deadline = Clock::now() + secs(args.duration);
    for (;;) {
      auto e = queue.pop(deadline);
      if (!e) break;
      if (e->kind != Event::SessionStatusChanged) continue;
      say(std::string("session ") + toString(e->session.status) + (e->session.info.empty() ? "" : " " + e->session.info));
      if (e->session.status == SessionStatus::Failed || e->session.status == SessionStatus::Disconnected)
        return finalLine(kSessionLost, e->session.info);
    }
    const SessionStatus now = session->status();
    session->disconnect();
    if (now != ready) return finalLine(kSessionLost, std::string("session ") + toString(now) + " at the end");
    return finalLine(kOk, "session only");
  }

  // 2. Call until established, then for --duration, then hang up and wait for the end.
  bool established = false, hungUp = false, dtmfSent = args.dtmf.empty();
  enum { kNoHold, kHoldDue, kUnholdDue, kHoldDone } hold = args.hold > 0 ? kHoldDue : kNoHold;
  Clock::time_point establishedAt{};
  deadline = Clock::now() + secs(args.timeout);
  for (;;) {
    auto next = deadline;
    const auto dtmfAt = establishedAt + 1s;
    const auto holdAt = establishedAt + 1500ms;
    const auto unholdAt = holdAt + secs(args.hold);
    if (established && !dtmfSent) next = std::min(next, dtmfAt);
    if (established && hold == kHoldDue) next = std::min(next, holdAt);
    if (established && hold == kUnholdDue) next = std::min(next, unholdAt);
    auto e = queue.pop(next);
    if (!e) {
      auto now = Clock::now();
      if (established && !dtmfSent && now >= dtmfAt) {
        dtmfSent = true;
        if (auto r = call->sendDtmf(args.dtmf, args.dtmfType); !r)
          say("dtmf error " + r.message());
        else
          say("dtmf " + args.dtmf);
        continue;
      }
      if (established && hold == kHoldDue && now >= holdAt) {
        hold = kUnholdDue;
        say("hold");
        call->hold().ok();
        continue;
      }
      if (established && hold == kUnholdDue && now >= unholdAt) {
        hold = kHoldDone;
        say("unhold");
        call->unhold().ok();
        continue;
      }
      if (now < deadline) continue;
      if (!established) {
        call->hangup().ok();
        return finalLine(kCallNotEstablished, "not established within the timeout");
      }
      if (!hungUp) {
        hungUp = true;
        say("hangup");
        call->hangup().ok();
        deadline = Clock::now() + 8s;  // the SDK ends the call locally after 5 s without finish
        continue;
      }
      return finalLine(kCallFailed, "no end of call after hangup");
    }
    if (e->kind == Event::SessionStatusChanged) {
      say(std::string("session ") + toString(e->session.status) + " " + e->session.info);
      continue;  // the call follows with its own FAILED
    }
    if (e->kind == Event::Dtmf) {
      say(dtmfLine(*e));
      continue;
    }
    if (e->kind != Event::CallStatusChanged) continue;
    const CallEvent& ce = e->call;
    say(std::string("call ") + toString(ce.status) + " " + std::to_string(ce.sipStatus) +
        (ce.info.empty() ? "" : " " + ce.info));
    if (ce.status == CallStatus::Established && !established) {
      established = true;
      establishedAt = Clock::now();
      deadline = establishedAt + secs(args.duration);
      mediaActions.onEstablished(args.mediaFlags, call);
    }
    if (!isTerminal(ce.status)) continue;
    std::string why = std::string(toString(ce.status)) + " " + std::to_string(ce.sipStatus) + " " + ce.info;
    if (ce.status == CallStatus::Busy) return finalLine(kCallBusy, why);
    if (ce.status == CallStatus::Failed) {
      if (ce.info.starts_with("Media")) return finalLine(kMediaFailed, why);
      if (ce.info.starts_with("Session")) return finalLine(kSessionLost, why);
      return finalLine(kCallFailed, why);
    }
    session->disconnect();
    return finalLine(established ? kOk : kCallNotEstablished, why);
  }
}

}  // namespace callgate::phone

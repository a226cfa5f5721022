#include "interactive.hpp"

#include <poll.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <optional>
#include <iostream>
#include <sstream>
#include <thread>

#include "command_parser.hpp"
#include "phone_events.hpp"
#include "status_line.hpp"

namespace callgate::phone {

using namespace client;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

namespace {

// Reads stdin lines on its own thread into the queue; InputClosed at the end of input.
// poll() with a short timeout lets stop() join it instead of leaving it blocked in read().
class StdinReader {
 public:
  explicit StdinReader(EventQueue& queue) : queue_(queue) {
    thread_ = std::thread([this] { run(); });
  }
  ~StdinReader() {
    stop_ = true;
    thread_.join();
  }

 private:
  void run() {
    std::string pending;
    char buf[512];
    while (!stop_) {
      pollfd p{STDIN_FILENO, POLLIN, 0};
      int n = ::poll(&p, 1, 100);
      if (n == 0) continue;
      if (n < 0) {
        if (errno == EINTR) continue;
        break;
      }
      ssize_t got = ::read(STDIN_FILENO, buf, sizeof buf);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) break;
      pending.append(buf, static_cast<size_t>(got));
      for (size_t nl; (nl = pending.find('\n')) != std::string::npos;) {
        pushLine(pending.substr(0, nl));
        pending.erase(0, nl + 1);
      }
      // A "line" that never ends is cut here; the parser rejects it as too long.
      if (pending.size() > 4 * kMaxCommandLine) {
        pushLine(pending);
        pending.clear();
      }
    }
    if (!pending.empty()) pushLine(pending);
    queue_.push(makeEvent(Event::InputClosed));
  }

  void pushLine(std::string line) {
    Event e = makeEvent(Event::InputLine);
    e.text = std::move(line);
    queue_.push(std::move(e));
  }

  EventQueue& queue_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

class InteractivePhone {
 public:
  explicit InteractivePhone(const PhoneOptions& options)
      : options_(options), tty_(::isatty(STDOUT_FILENO) == 1) {
    state_.registerRequired = options.session.sipRegisterRequired;
  }

  int run();

 private:
  enum class Quit { No, WaitCall, WaitSession };

  void print(const std::string& line);
  void redraw();
  int finish(int code, const std::string& why);

  void onSession(const SessionEvent& e);
  void onCall(const Event& e);
  void onIncoming(std::shared_ptr<Call> call);
  void onCommand(const std::string& line);
  void startQuit(const std::string& why);
  void disconnect();
  MediaConfig media() const;

  const PhoneOptions& options_;
  const bool tty_;
  EventQueue queue_;
  std::shared_ptr<Session> session_;
  std::shared_ptr<Call> call_;  // the live call, null when there is none
  PhoneState state_;
  bool ready_ = false;      // ESTABLISHED, or REGISTERED when registering
  bool connected_ = false;  // the WebSocket opened once
  Quit quit_ = Quit::No;
  Clock::time_point quitDeadline_{};
  std::optional<int> exit_;
  std::string exitWhy_;
};

void InteractivePhone::print(const std::string& line) {
  if (tty_) {
    std::cout << "\r\033[K" << line << "\n";
    redraw();
  } else {
    std::cout << line << std::endl;
  }
}

void InteractivePhone::redraw() {
  if (!tty_ || exit_) return;
  std::cout << "\r\033[K[" << describe(state_) << "] > " << std::flush;
}

int InteractivePhone::finish(int code, const std::string& why) {
  exit_ = code;
  exitWhy_ = why;
  return code;
}

MediaConfig InteractivePhone::media() const { return composeMedia(options_.media, options_.source, options_.sink); }

void InteractivePhone::onSession(const SessionEvent& e) {
  state_.session = e.status;  // before print(): the redrawn status line shows the new state
  state_.sessionInfo = e.info;
  print(std::string("session ") + toString(e.status) + (e.info.empty() ? "" : " " + e.info));
  if (e.status == SessionStatus::Connected) connected_ = true;
  if (e.status == SessionStatus::Registered) state_.everRegistered = true;
  const SessionStatus readyAt = options_.session.sipRegisterRequired ? SessionStatus::Registered
                                                                      : SessionStatus::Established;
  if (e.status == readyAt && !ready_) {
    ready_ = true;
    if (tty_) print("ready: type help for the commands");
  }
  if (e.status == SessionStatus::Failed || e.status == SessionStatus::Disconnected) {
    if (quit_ != Quit::No) {
      finish(kOk, "quit");
    } else if (!ready_) {
      finish(connected_ ? kSessionRefused : kConnectFailed, e.info);
    } else {
      finish(kSessionLost, std::string("session ") + toString(e.status) + " " + e.info);
    }
  }
}

void InteractivePhone::onCall(const Event& e) {
  if (!call_ || e.callId != call_->id()) return;  // a call we already let go (rejected, ended)
  const CallEvent& c = e.call;
  state_.call = c.status;
  state_.sipStatus = c.sipStatus;
  state_.callInfo = c.info;
  print(std::string("call ") + toString(c.status) + " " + std::to_string(c.sipStatus) +
        (c.info.empty() ? "" : " " + c.info));
  if (!isTerminal(c.status)) return;
  call_.reset();
  if (quit_ == Quit::WaitCall) disconnect();
}

void InteractivePhone::onIncoming(std::shared_ptr<Call> call) {
  if (call_ || quit_ != Quit::No) {
    print("incoming call from '" + call->caller() + "' rejected: " +
          (call_ ? "another call is in progress" : "quitting"));
    call->hangup().ok();
    return;
  }
  call_ = std::move(call);
  state_.haveCall = true;
  state_.incoming = true;
  state_.peer = call_->caller();
  state_.call = call_->status();
  state_.sipStatus = 0;
  state_.callInfo.clear();
  print("incoming call from '" + state_.peer + "'");
  print("answer? (answer/hangup)");
}

void InteractivePhone::onCommand(const std::string& line) {
  auto parsed = parseCommand(line);
  if (!parsed) return print("error: " + parsed.error().message);
  const Command& cmd = *parsed;
  using K = Command::Kind;
  auto needCall = [&]() {
    if (call_) return true;
    print("error: no call");
    return false;
  };
  auto report = [&](const Outcome& r, const std::string& done) {
    if (!r)
      print("error: " + r.message());
    else if (!done.empty())
      print(done);
  };
  switch (cmd.kind) {
    case K::None:
      return redraw();
    case K::Help: {
      std::istringstream in(kCommandHelp);
      for (std::string l; std::getline(in, l);) print(l);
      return;
    }
    case K::Status:
      return print("status " + describe(state_));
    case K::Quit:
      return startQuit("quit");
    case K::Call: {
      if (quit_ != Quit::No) return print("error: quitting");
      if (!ready_) return print(std::string("error: not connected yet (session ") + toString(state_.session) + ")");
      if (call_) return print("error: a call is in progress (hangup first)");
      CallOptions o;
      o.callee = cmd.argument;
      o.media = media();
      call_ = session_->createCall(o);
      watchCall(call_, queue_);
      state_.haveCall = true;
      state_.incoming = false;
      state_.peer = cmd.argument;
      state_.call = CallStatus::New;
      state_.sipStatus = 0;
      state_.callInfo.clear();
      if (auto r = call_->call(); !r) {
        call_.reset();
        state_.haveCall = false;
        return print("error: " + r.message());
      }
      return print("calling " + cmd.argument);
    }
    case K::Answer:
      if (!call_ || !call_->incoming()) return print("error: no incoming call to answer");
      return report(call_->answer(media()), "answering");
    case K::Hangup:
      if (!needCall()) return;
      return report(call_->hangup(), "hanging up");
    case K::Hold:
      if (!needCall()) return;
      return report(call_->hold(), "");
    case K::Unhold:
      if (!needCall()) return;
      return report(call_->unhold(), "");
    case K::Dtmf:
      if (!needCall()) return;
      return report(call_->sendDtmf(cmd.argument, cmd.dtmfType),
                    "dtmf sent " + cmd.argument + " " + toString(cmd.dtmfType));
  }
}

void InteractivePhone::startQuit(const std::string& why) {
  if (quit_ != Quit::No) return;
  print(why == "quit" ? "quitting" : why + ": quitting");
  if (call_ && call_->hangup()) {
    quit_ = Quit::WaitCall;
    quitDeadline_ = Clock::now() + 8s;  // the SDK ends the call locally 5 s after hangup
    return;
  }
  disconnect();
}

void InteractivePhone::disconnect() {
  quit_ = Quit::WaitSession;
  quitDeadline_ = Clock::now() + 3s;
  const auto st = state_.session;
  if (st == SessionStatus::Failed || st == SessionStatus::Disconnected) {
    finish(kOk, "quit");
    return;
  }
  session_->disconnect();
}

int InteractivePhone::run() {
  session_ = Session::create(options_.session);
  session_->onAnyStatus([this](const SessionEvent& e) {
    Event ev = makeEvent(Event::SessionStatusChanged);
    ev.session = e;
    queue_.push(std::move(ev));
  });
  // Watch an incoming call from inside the callback (SDK thread) so its first RING is seen.
  session_->onIncomingCall([this](std::shared_ptr<Call> c) {
    watchCall(c, queue_);
    Event e = makeEvent(Event::Incoming);
    e.callId = c->id();
    e.incoming = std::move(c);
    queue_.push(std::move(e));
  });
  if (auto r = session_->connect(); !r) {
    std::cout << "result " << kConnectFailed << " " << r.message() << std::endl;
    return kConnectFailed;
  }
  StdinReader reader(queue_);
  redraw();
  const auto readyDeadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                                std::chrono::duration<double>(options_.timeout));
  while (!exit_) {
    auto e = queue_.pop(Clock::now() + 200ms);
    if (!e) {
      const auto now = Clock::now();
      if (!ready_ && quit_ == Quit::No && now >= readyDeadline)
        finish(connected_ ? kSessionRefused : kConnectFailed, "timeout waiting for the session");
      if (quit_ == Quit::WaitCall && now >= quitDeadline_) {
        print("the call did not end after hangup");
        disconnect();
      } else if (quit_ == Quit::WaitSession && now >= quitDeadline_) {
        finish(kOk, "quit (no answer to the disconnect)");
      }
      continue;
    }
    switch (e->kind) {
      case Event::SessionStatusChanged:
        onSession(e->session);
        break;
      case Event::CallStatusChanged:
        onCall(*e);
        break;
      case Event::Incoming:
        onIncoming(std::move(e->incoming));
        break;
      case Event::Dtmf:
        print(dtmfLine(*e));
        break;
      case Event::InputLine:
        onCommand(e->text);
        break;
      case Event::InputClosed:
        startQuit("end of input");
        break;
    }
  }
  if (tty_) std::cout << "\r\033[K";
  std::cout << "result " << *exit_ << " " << exitWhy_ << std::endl;
  return *exit_;
}

}  // namespace

int runInteractive(const PhoneOptions& options) { return InteractivePhone(options).run(); }

}  // namespace callgate::phone

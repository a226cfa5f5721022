// callgate-phone: a terminal phone on the callgate C++ client SDK. Scriptable mode: connect,
// place (--call) or take (--answer) one call, play a tone or a WAV, record what comes back,
// send DTMF, hang up after --duration, and exit with a code that tells what failed.
#include <callgate/client/client.hpp>

#include <charconv>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <iostream>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

using namespace callgate::client;
using namespace std::chrono_literals;

namespace {

// Exit codes (also in --help and docs/client-sdk.md).
enum Exit : int {
  kOk = 0,
  kUsage = 1,
  kConnectFailed = 2,       // bad URL, refused, TLS, WebSocket handshake, no answer
  kSessionRefused = 3,      // the server refused the connection or the SIP registration failed
  kCallFailed = 4,          // the call ended FAILED (info printed)
  kCallBusy = 5,            // BUSY
  kCallNotEstablished = 6,  // ended (FINISH) or timed out before ESTABLISHED
  kNoIncomingCall = 7,      // --answer: nothing came within --timeout
  kMediaFailed = 8,         // the media engine failed (ICE/DTLS, GStreamer, WAV file)
  kSessionLost = 9,         // the session went away during the call
};

const char* kHelp = R"(callgate-phone: a terminal phone for callgate (WCS WebSocket protocol)

Usage: callgate-phone --url ws://HOST:8080 --login USER [options]

Account:
  --url URL               ws://host:port or wss://host:port (required)
  --login USER            SIP login
  --auth-name NAME        SIP authentication name (default: login)
  --password PASS         SIP password
  --domain DOMAIN         SIP domain
  --outbound-proxy HOST   SIP outbound proxy (default: domain)
  --port N                SIP port on the outbound proxy (default 5060)
  --register 0|1          REGISTER the account (default 1)
  --visible-name NAME     display name
  --trust-cert FILE       wss: trust this PEM certificate (self-signed server / private CA)
  --insecure              wss: do not verify the certificate (tests only)
Reconnect (server keepAlive, docs/client-sdk.md "Reconnect"):
  --keep-alive            ask the server to keep the session when the link drops, and
                          re-attach automatically (prints "auth token T" once connected)
  --auth-token TOKEN      re-attach to a session the server kept (no SIP fields needed)
  --reconnect-attempts N  automatic re-attach tries (default 5; 0: off)
  --reconnect-interval SEC  between tries (default 2)
Call (scriptable mode):
  --call CALLEE           place a call (e.g. 1001, echo)
  --answer                wait for an incoming call and answer it
  --duration SEC          hang up after SEC seconds established (default 10)
  --tone HZ               send a sine tone (default 1000 Hz)
  --play FILE.wav         send a WAV file instead
  --silence               send silence
  --record FILE.wav       write received audio (16-bit 8 kHz mono)
  --dtmf DIGITS           send DIGITS 1 s after the call is established
  --dtmf-type rfc2833|info
  --hold SEC              hold 1.5 s after the call is established, unhold SEC s later
  --timeout SEC           limit for connecting, ringing, waiting for a call (default 15)
  -q, --quiet             print only the final line

Output: one line per status change ("session REGISTERED", "call RING", "call FINISH 0 ...").
Exit codes:
  0 success (connected; the call, if any, was established and ended normally)
  1 usage error
  2 cannot connect (bad URL, connection refused, TLS failure, handshake, timeout)
  3 the server refused the session or SIP registration failed
  4 the call FAILED
  5 the call was BUSY
  6 the call ended or timed out before ESTABLISHED
  7 --answer: no incoming call within --timeout
  8 media failure (ICE/DTLS, GStreamer, WAV file)
  9 the session was lost during the call
)";

struct Args {
  SessionOptions session;
  std::string call;
  bool answer = false;
  double duration = 10;
  double timeout = 15;
  AudioSource source;
  AudioSink sink;
  std::string dtmf;
  DtmfType dtmfType = DtmfType::Rfc2833;
  double hold = 0;
  bool quiet = false;
};

std::optional<double> number(const std::string& s) {
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v < 0) return std::nullopt;
  return v;
}

// Returns an error message or "".
std::string parseArgs(int argc, char** argv, Args& a) {
  a.session.sipRegisterRequired = true;
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    auto value = [&](std::string& out) -> bool {
      if (i + 1 >= argc) return false;
      out = argv[++i];
      return true;
    };
    std::string v;
    if (flag == "-h" || flag == "--help") {
      std::cout << kHelp;
      std::exit(kOk);
    } else if (flag == "--keep-alive") {
      a.session.keepAlive = true;
    } else if (flag == "--insecure") {
      a.session.verifyCertificate = false;
    } else if (flag == "--answer") {
      a.answer = true;
    } else if (flag == "--silence") {
      a.source.kind = AudioSource::Kind::Silence;
    } else if (flag == "-q" || flag == "--quiet") {
      a.quiet = true;
    } else if (!value(v)) {
      return flag.starts_with("-") ? "missing value for " + flag : "unexpected argument '" + flag + "'";
    } else if (flag == "--url") {
      a.session.urlServer = v;
    } else if (flag == "--auth-token") {
      a.session.authToken = v;
      a.session.keepAlive = true;
    } else if (flag == "--reconnect-attempts") {
      auto n = number(v);
      if (!n || *n > 100 || *n != int(*n)) return "--reconnect-attempts must be 0..100";
      a.session.reconnectAttempts = int(*n);
    } else if (flag == "--reconnect-interval") {
      auto n = number(v);
      if (!n || *n <= 0 || *n > 600) return "--reconnect-interval must be above 0 and at most 600 seconds";
      a.session.reconnectInterval = std::chrono::milliseconds(int64_t(*n * 1000));
    } else if (flag == "--login") {
      a.session.sipLogin = v;
    } else if (flag == "--auth-name") {
      a.session.sipAuthenticationName = v;
    } else if (flag == "--password") {
      a.session.sipPassword = v;
    } else if (flag == "--domain") {
      a.session.sipDomain = v;
    } else if (flag == "--outbound-proxy") {
      a.session.sipOutboundProxy = v;
    } else if (flag == "--port") {
      auto n = number(v);
      if (!n || *n < 1 || *n > 65535) return "--port must be 1..65535";
      a.session.sipPort = static_cast<uint16_t>(*n);
    } else if (flag == "--register") {
      if (v != "0" && v != "1") return "--register must be 0 or 1";
      a.session.sipRegisterRequired = v == "1";
    } else if (flag == "--visible-name") {
      a.session.sipVisibleName = v;
    } else if (flag == "--trust-cert") {
      a.session.trustedCertificateFile = v;
    } else if (flag == "--call") {
      a.call = v;
    } else if (flag == "--duration") {
      auto n = number(v);
      if (!n) return "--duration must be a number of seconds";
      a.duration = *n;
    } else if (flag == "--timeout") {
      auto n = number(v);
      if (!n || *n <= 0) return "--timeout must be a positive number of seconds";
      a.timeout = *n;
    } else if (flag == "--hold") {
      auto n = number(v);
      if (!n || *n <= 0) return "--hold must be a positive number of seconds";
      a.hold = *n;
    } else if (flag == "--tone") {
      auto n = number(v);
      if (!n || *n <= 0 || *n >= 4000) return "--tone must be a frequency in Hz below 4000 (8 kHz audio)";
      a.source.kind = AudioSource::Kind::Tone;
      a.source.toneHz = *n;
    } else if (flag == "--play") {
      a.source.kind = AudioSource::Kind::WavFile;
      a.source.path = v;
    } else if (flag == "--record") {
      a.sink.kind = AudioSink::Kind::WavFile;
      a.sink.path = v;
    } else if (flag == "--dtmf") {
      a.dtmf = v;
    } else if (flag == "--dtmf-type") {
      if (v == "rfc2833" || v == "RFC2833")
        a.dtmfType = DtmfType::Rfc2833;
      else if (v == "info" || v == "INFO")
        a.dtmfType = DtmfType::Info;
      else
        return "--dtmf-type must be rfc2833 or info";
    } else {
      return "unknown option " + flag;
    }
  }
  if (a.session.urlServer.empty()) return "--url is required";
  if (!a.call.empty() && a.answer) return "--call and --answer exclude each other";
  return "";
}

// Events from the SDK thread, consumed by main().
struct Event {
  enum Kind { SessionStatusChanged, CallStatusChanged, Incoming } kind;
  SessionEvent session;
  CallEvent call;
  std::shared_ptr<Call> incoming;
};

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

}  // namespace

int main(int argc, char** argv) {
  Args args;
  if (std::string err = parseArgs(argc, argv, args); !err.empty()) {
    std::cerr << "callgate-phone: " << err << " (see --help)\n";
    return kUsage;
  }
  auto say = [&](const std::string& line) {
    if (!args.quiet) std::cout << line << std::endl;
  };
  auto finalLine = [&](int code, const std::string& line) {
    std::cout << "result " << code << " " << line << std::endl;
    return code;
  };

  EventQueue queue;
  auto session = Session::create(args.session);
  session->onAnyStatus([&](const SessionEvent& e) { queue.push({Event::SessionStatusChanged, e, {}, nullptr}); });
  auto watch = [&](const std::shared_ptr<Call>& c) {
    c->onAnyStatus([&](const CallEvent& e) { queue.push({Event::CallStatusChanged, {}, e, nullptr}); });
  };
  // Watch an incoming call from inside the callback (SDK thread) so its first RING is seen.
  session->onIncomingCall([&](std::shared_ptr<Call> c) {
    watch(c);
    queue.push({Event::Incoming, {}, {}, std::move(c)});
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

  std::shared_ptr<Call> call;
  CallOptions callOptions;
  callOptions.callee = args.call;
  callOptions.media.source = args.source;
  callOptions.media.sink = args.sink;

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
    if (e->kind != Event::CallStatusChanged) continue;
    const CallEvent& ce = e->call;
    say(std::string("call ") + toString(ce.status) + " " + std::to_string(ce.sipStatus) +
        (ce.info.empty() ? "" : " " + ce.info));
    if (ce.status == CallStatus::Established && !established) {
      established = true;
      establishedAt = Clock::now();
      deadline = establishedAt + secs(args.duration);
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

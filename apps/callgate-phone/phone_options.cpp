#include "phone_options.hpp"

#include <charconv>
#include <chrono>
#include <optional>

namespace callgate::phone {

using namespace client;

const char* const kHelp = R"(callgate-phone: a terminal phone for callgate (WCS WebSocket protocol)

Usage: callgate-phone --url ws://HOST:8080 --login USER [options]
       callgate-phone --config phone.toml --interactive

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
  --config FILE           read settings from a TOML file: the flag names without "--" as
                          keys (url = "ws://...", register = true, tone = 600); flags given
                          on the command line override the file
Reconnect (server keepAlive, docs/client-sdk.md "Reconnect"):
  --keep-alive            ask the server to keep the session when the link drops, and
                          re-attach automatically (prints "auth token T" once connected)
  --auth-token TOKEN      re-attach to a session the server kept (no SIP fields needed)
  --reconnect-attempts N  automatic re-attach tries (default 5; 0: off)
  --reconnect-interval SEC  between tries (default 2)
Interactive mode:
  -i, --interactive       read commands from stdin: call ID, answer, hangup, hold, unhold,
                          dtmf DIGITS [rfc2833|info|info_relay], status, help, quit
                          (end of input = quit); a live status line on a terminal, plain
                          event lines otherwise
Call (scriptable mode):
  --call CALLEE           place a call (e.g. 1001, echo)
  --answer                wait for an incoming call and answer it
  --duration SEC          hang up after SEC seconds established (default 10)
  --dtmf DIGITS           send DIGITS 1 s after the call is established
  --dtmf-type rfc2833|info|info_relay
  --hold SEC              hold 1.5 s after the call is established, unhold SEC s later
  --timeout SEC           limit for connecting, ringing, waiting for a call (default 15)
  -q, --quiet             print only the final line
Media (both modes):
  --tone HZ               send a sine tone (default 1000 Hz)
  --play FILE.wav         send a WAV file instead
  --silence               send silence
  --record FILE.wav       write received audio (16-bit 8 kHz mono)

Output: one line per event ("session REGISTERED", "call RING 180 Ringing",
"dtmf received 5 INFO"); scriptable mode ends with "result <code> <why>".
Exit codes:
  0 success (connected; the call, if any, was established and ended normally; quit)
  1 usage error
  2 cannot connect (bad URL, connection refused, TLS failure, handshake, timeout)
  3 the server refused the session or SIP registration failed
  4 the call FAILED
  5 the call was BUSY
  6 the call ended or timed out before ESTABLISHED
  7 --answer: no incoming call within --timeout
  8 media failure (ICE/DTLS, GStreamer, WAV file)
  9 the session was lost during the call (interactive: at any time)
)";

namespace {

std::optional<double> number(const std::string& s) {
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v < 0) return std::nullopt;
  return v;
}

}  // namespace

bool isSwitch(const std::string& flag) {
  return flag == "-h" || flag == "--help" || flag == "--insecure" || flag == "--answer" || flag == "--silence" ||
         flag == "-q" || flag == "--quiet" || flag == "-i" || flag == "--interactive" || flag == "--keep-alive" || isMediaSwitch(flag);
}

std::string applyFlag(PhoneOptions& a, const std::string& flag, const std::string& v) {
  if (flag == "-h" || flag == "--help") {
    a.help = true;
  } else if (flag == "--insecure") {
    a.session.verifyCertificate = false;
  } else if (flag == "--answer") {
    a.answer = true;
  } else if (flag == "--silence") {
    a.source.kind = AudioSource::Kind::Silence;
  } else if (flag == "-q" || flag == "--quiet") {
    a.quiet = true;
  } else if (flag == "-i" || flag == "--interactive") {
    a.interactive = true;
  } else if (flag == "--config") {
    a.configFile = v;
  } else if (flag == "--url") {
    a.session.urlServer = v;
  } else if (flag == "--keep-alive") {
    a.session.keepAlive = true;
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
    if (!n || *n < 1 || *n > 65535 || *n != static_cast<int>(*n)) return "--port must be 1..65535";
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
    else if (v == "info_relay" || v == "INFO_RELAY")
      a.dtmfType = DtmfType::InfoRelay;
    else
      return "--dtmf-type must be rfc2833, info or info_relay";
  } else if (isMediaFlag(flag)) {
    return applyMediaFlag(a.media, a.mediaFlags, flag, v);
  } else {
    return "unknown option " + flag;
  }
  return "";
}

std::string parseArgs(const std::vector<std::string>& args, PhoneOptions& a) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& flag = args[i];
    if (isSwitch(flag)) {
      if (auto err = applyFlag(a, flag, ""); !err.empty()) return err;
      continue;
    }
    if (!flag.starts_with("-")) return "unexpected argument '" + flag + "'";
    if (i + 1 >= args.size()) return "missing value for " + flag;
    if (auto err = applyFlag(a, flag, args[++i]); !err.empty()) return err;
  }
  return "";
}

std::string validate(const PhoneOptions& a) {
  if (a.session.urlServer.empty()) return "--url is required";
  if (!a.call.empty() && a.answer) return "--call and --answer exclude each other";
  if (a.interactive && (!a.call.empty() || a.answer))
    return "--interactive takes calls at its prompt (type 'call ID' or 'answer'); drop --call/--answer";
  return "";
}

}  // namespace callgate::phone

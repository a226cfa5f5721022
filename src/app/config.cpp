#include "app/config.hpp"

#include <charconv>
#include <fstream>
#include <functional>
#include <sstream>
#include <toml.hpp>

#include "localdomain/domain_users.hpp"

namespace callgate::app {
namespace {

// One setting: its TOML key, flag, environment variable, help, and how to apply a text value.
struct Setting {
  const char* key;  // "server.ws_port"
  const char* help;
  std::function<Result<void>(Config&, const std::string&)> apply;
  std::function<std::string(const Config&)> show;
};

std::string flagOf(const Setting& s) {
  std::string key = s.key;
  std::string name = key.substr(key.find('.') + 1);
  for (auto& c : name)
    if (c == '_') c = '-';
  // Names are unique across sections except these, which read better with their section.
  if (key == "sip.port" || key == "sip.t1_ms") return "--sip-" + name;
  // The [echo] settings are generic words on their own (name, port): keep the section.
  if (key.rfind("echo.", 0) == 0) return "--echo-" + name;
  if (key.rfind("domain.", 0) == 0) return "--domain-" + name;
  return "--" + name;
}

std::string envOf(const Setting& s) {
  std::string flag = flagOf(s).substr(2);
  std::string env = "CALLGATE_";
  for (char c : flag) env += c == '-' ? '_' : char(std::toupper(static_cast<unsigned char>(c)));
  return env;
}

template <class Int>
auto integer(Int Config::*field, long long min, long long max) {
  return [field, min, max](Config& c, const std::string& text) -> Result<void> {
    long long v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size()) return makeError("'" + text + "' is not a number");
    if (v < min || v > max)
      return makeError("'" + text + "' is out of range " + std::to_string(min) + ".." + std::to_string(max));
    c.*field = Int(v);
    return {};
  };
}

auto text(std::string Config::*field) {
  return [field](Config& c, const std::string& value) -> Result<void> {
    c.*field = value;
    return {};
  };
}

template <class T>
auto shown(T Config::*field) {
  return [field](const Config& c) {
    if constexpr (std::is_same_v<T, std::string>) return c.*field;
    else return std::to_string(c.*field);
  };
}

const std::vector<Setting>& settings() {
  static const std::vector<Setting> table = {
      {"server.bind_ip", "address the WebSocket and media sockets bind to", text(&Config::bindIp), shown(&Config::bindIp)},
      {"server.advertise_ip", "address put in SDP, Via and Contact (empty: first non-loopback IPv4)",
       text(&Config::advertiseIp), shown(&Config::advertiseIp)},
      {"server.ws_port", "WebSocket port (0 = off)", integer(&Config::wsPort, 0, 65535), shown(&Config::wsPort)},
      {"server.wss_port", "secure WebSocket port (0 = off)", integer(&Config::wssPort, 0, 65535), shown(&Config::wssPort)},
      {"server.tls_cert", "PEM certificate chain for wss (empty: self-signed in data_dir)", text(&Config::tlsCert),
       shown(&Config::tlsCert)},
      {"server.tls_key", "PEM private key for wss", text(&Config::tlsKey), shown(&Config::tlsKey)},
      {"server.data_dir", "folder for generated files (empty: ~/.local/state/callgate)", text(&Config::dataDir),
       shown(&Config::dataDir)},
      {"server.workers", "worker threads (each owns its clients, calls and SIP port)", integer(&Config::workers, 1, 256),
       shown(&Config::workers)},
      {"server.log_level", "trace, debug, info, warn, error or off", text(&Config::logLevel), shown(&Config::logLevel)},
      {"server.keepalive_interval_ms", "WCS ping interval", integer(&Config::keepAliveIntervalMs, 100, 600000),
       shown(&Config::keepAliveIntervalMs)},
      {"server.keepalive_probes", "unanswered pings before a client is dropped", integer(&Config::keepAliveProbes, 1, 1000),
       shown(&Config::keepAliveProbes)},
      {"sip.port", "SIP UDP port of worker 0 (0 = ephemeral; worker i uses port + i)",
       integer(&Config::sipPort, 0, 65535), shown(&Config::sipPort)},
      {"sip.register_expires", "REGISTER expiry asked for, seconds", integer(&Config::registerExpires, 30, 86400),
       shown(&Config::registerExpires)},
      {"sip.no_answer_timeout",
       "seconds a call may ring: an outgoing one is then CANCELled, an incoming one answered 480",
       integer(&Config::noAnswerTimeout, 1, 3600), shown(&Config::noAnswerTimeout)},
      {"sip.reject_status", "SIP status sent when a client rejects an incoming call (486 Busy Here, 603 Decline or 480 Temporarily Unavailable)",
       integer(&Config::rejectStatus, 400, 699), shown(&Config::rejectStatus)},
      {"sip.accept_refer",
       "1: a REFER from the SIP side (the phone transfers us) makes callgate call the target and move the "
       "browser's media there; 0: such REFERs are declined with 603",
       integer(&Config::acceptRefer, 0, 1), shown(&Config::acceptRefer)},
      {"sip.t1_ms", "SIP timer T1 (RFC 3261 §17), milliseconds", integer(&Config::sipT1Ms, 10, 10000),
       shown(&Config::sipT1Ms)},
      {"media.rtp_port_min", "first port of the RTP range", integer(&Config::rtpPortMin, 1024, 65535),
       shown(&Config::rtpPortMin)},
      {"media.rtp_port_max", "last port of the RTP range", integer(&Config::rtpPortMax, 1024, 65535),
       shown(&Config::rtpPortMax)},
      {"media.media_timeout", "seconds without media before a call ends (0 = never)",
       integer(&Config::mediaTimeout, 0, 86400), shown(&Config::mediaTimeout)},
      {"media.ice_timeout", "seconds for ICE and DTLS to complete", integer(&Config::iceTimeout, 1, 600),
       shown(&Config::iceTimeout)},
      {"echo.name",
       "callee name (a client's `callee`, the Request-URI user) answered by callgate's built-in SIP echo "
       "endpoint, which sends the caller's audio back; empty = no echo endpoint",
       text(&Config::echoName), shown(&Config::echoName)},
      {"echo.port", "SIP UDP port of the echo endpoint on bind_ip (0 = ephemeral); OPTIONS there is a health check",
       integer(&Config::echoPort, 0, 65535), shown(&Config::echoPort)},
      {"echo.max_calls", "concurrent echo calls; more are refused with 503 and Retry-After",
       integer(&Config::echoMaxCalls, 1, 100000), shown(&Config::echoMaxCalls)},
      {"echo.max_duration", "seconds after which an echo call is ended with BYE",
       integer(&Config::echoMaxDuration, 1, 86400), shown(&Config::echoMaxDuration)},
      {"domain.enabled",
       "1: callgate is also registrar and proxy of a local SIP domain (softphones and browsers call each other "
       "without a PBX); 0: off",
       integer(&Config::domainEnabled, 0, 1), shown(&Config::domainEnabled)},
      {"domain.name", "the local domain's name and digest realm (empty: the advertised IP)", text(&Config::domainName),
       shown(&Config::domainName)},
      {"domain.port", "SIP UDP port of the local domain (registrar + proxy)", integer(&Config::domainPort, 1, 65535),
       shown(&Config::domainPort)},
      {"domain.users", "accounts of the local domain: 'login:password,login:password' (login: an RFC 3261 user part)",
       [](Config& c, const std::string& value) -> Result<void> {
         if (auto users = localdomain::parseDomainUsers(value); !users) return users.error();
         c.domainUsers = value;
         return {};
       },
       shown(&Config::domainUsers)},
      // [http]: the phone page on the ws/wss ports (docs: README "The phone page").
      {"http.web_root", "folder served to plain HTTP requests on the ws/wss ports (the phone page; empty = off)",
       text(&Config::webRoot), shown(&Config::webRoot)},
      {"http.websdk_dir", "folder served under /websdk/ (the pinned @flashphoner/websdk npm package; empty = off)",
       text(&Config::websdkDir), shown(&Config::websdkDir)},
      // [server] keepAlive re-attach (docs/configuration.md "Reconnecting clients").
      {"server.keepalive_grace_s",
       "seconds a client that connected with keepAlive keeps its SIP registration and ringing incoming calls "
       "after its WebSocket is lost, for a new socket to re-attach with its authToken (0 = never kept)",
       integer(&Config::keepAliveGraceS, 0, 86400), shown(&Config::keepAliveGraceS)},
  };
  return table;
}

const Setting* findByKey(const std::string& key) {
  for (auto& s : settings())
    if (key == s.key) return &s;
  return nullptr;
}

Result<void> applyFile(Config& config, const std::string& path) {
  std::ifstream in(path);
  if (!in) return makeError("cannot read config file " + path);
  toml::value root;
  try {
    root = toml::parse(in, path);
  } catch (const std::exception& e) {
    return makeError(std::string("config file ") + e.what());
  }
  if (!root.is_table()) return makeError("config file " + path + " is not a TOML table");
  for (auto& [section, table] : root.as_table()) {
    if (!table.is_table()) return makeError(path + ": unknown setting '" + section + "'");
    for (auto& [name, value] : table.as_table()) {
      std::string key = section + "." + name;
      const Setting* s = findByKey(key);
      if (!s) return makeError(path + ": unknown setting '" + key + "'");
      std::string textValue;
      if (value.is_string()) textValue = value.as_string().str;
      else if (value.is_integer()) textValue = std::to_string(value.as_integer());
      else if (value.is_boolean()) textValue = value.as_boolean() ? "1" : "0";
      else return makeError(path + ": " + key + " must be a string or a number");
      if (auto r = s->apply(config, textValue); !r) return makeError(path + ": " + key + ": " + r.error().message);
    }
  }
  return {};
}

Result<void> validate(const Config& c) {
  if (c.rtpPortMin > c.rtpPortMax) return makeError("rtp-port-min is above rtp-port-max");
  if (c.rejectStatus != 486 && c.rejectStatus != 603 && c.rejectStatus != 480)
    return makeError("reject-status must be 486, 603 or 480");
  if (c.rtpPortMax - c.rtpPortMin < 4) return makeError("the RTP port range needs at least 4 ports");
  if (c.wsPort == 0 && c.wssPort == 0) return makeError("ws-port and wss-port are both off: no client could connect");
  if (c.domainEnabled && c.domainUsers.find(':') == std::string::npos)
    return makeError("domain-enabled is 1 but domain-users is empty: nobody could register");
  if (c.domainEnabled && c.sipPort != 0 && c.domainPort >= c.sipPort && c.domainPort < c.sipPort + c.workers)
    return makeError("domain-port " + std::to_string(c.domainPort) + " is one of the workers' SIP ports (sip-port " +
                     std::to_string(c.sipPort) + " + worker index)");
  return {};
}

}  // namespace

#ifndef CALLGATE_SOURCE_DIR
#define CALLGATE_SOURCE_DIR "."
#endif

std::string defaultWebRoot() { return CALLGATE_SOURCE_DIR "/web"; }
std::string defaultWebsdkDir() { return CALLGATE_SOURCE_DIR "/node_modules/@flashphoner/websdk"; }

Result<Config> loadConfig(const std::vector<std::string>& args, const std::vector<std::string>& environment) {
  Config config;
  // The config file path may come from the environment or a flag; find it first.
  std::string configPath;
  for (auto& kv : environment)
    if (kv.rfind("CALLGATE_CONFIG=", 0) == 0) configPath = kv.substr(16);
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--config" && i + 1 < args.size()) configPath = args[i + 1];
    else if (args[i].rfind("--config=", 0) == 0) configPath = args[i].substr(9);
  }
  if (!configPath.empty())
    if (auto r = applyFile(config, configPath); !r) return r.error();

  for (auto& s : settings()) {
    std::string prefix = envOf(s) + "=";
    for (auto& kv : environment) {
      if (kv.rfind(prefix, 0) != 0) continue;
      if (auto r = s.apply(config, kv.substr(prefix.size())); !r) return makeError(envOf(s) + ": " + r.error().message);
    }
  }

  for (size_t i = 0; i < args.size(); ++i) {
    std::string arg = args[i];
    if (arg == "--help" || arg == "-h") {
      config.showHelp = true;
      continue;
    }
    if (arg == "--version") {
      config.showVersion = true;
      continue;
    }
    std::string value;
    bool inlineValue = false;
    if (auto eq = arg.find('='); eq != std::string::npos && arg.rfind("--", 0) == 0) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
      inlineValue = true;
    }
    if (arg == "--config") {
      if (!inlineValue) ++i;
      continue;
    }
    const Setting* match = nullptr;
    for (auto& s : settings())
      if (flagOf(s) == arg) match = &s;
    if (!match) return makeError("unknown option " + arg + " (see --help)");
    if (!inlineValue) {
      if (i + 1 >= args.size()) return makeError(arg + " needs a value");
      value = args[++i];
    }
    if (auto r = match->apply(config, value); !r) return makeError(arg + ": " + r.error().message);
  }
  if (auto r = validate(config); !r) return r.error();
  return config;
}

Result<Config> loadConfig(int argc, const char* const* argv, char** environ) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::vector<std::string> environment;
  for (char** e = environ; e && *e; ++e) environment.emplace_back(*e);
  return loadConfig(args, environment);
}

std::string helpText() {
  std::ostringstream out;
  Config defaults;
  out << "Usage: callgate [--config FILE] [options]\n\n"
         "Settings come from defaults, then the TOML file (--config or CALLGATE_CONFIG), then\n"
         "environment variables, then flags. In the file, use [section] key = value.\n\n";
  for (auto& s : settings()) {
    out << "  " << flagOf(s) << " VALUE\n      " << s.help << "\n      file: " << s.key << "   env: " << envOf(s)
        << "   default: '" << s.show(defaults) << "'\n";
  }
  out << "  --help, --version\n";
  return out.str();
}

}  // namespace callgate::app

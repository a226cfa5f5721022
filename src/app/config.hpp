#pragma once
// callgate's configuration: defaults, then a TOML file, then CALLGATE_* environment
// variables, then command-line flags (later wins). Every setting has all three spellings;
// docs/configuration.md lists them (generated from the same table by `callgate --help`).
#include <cstdint>
#include <string>
#include <vector>

#include "common/result.hpp"

namespace callgate::app {

// <source tree>/web and <source tree>/node_modules/@flashphoner/websdk of this build.
std::string defaultWebRoot();
std::string defaultWebsdkDir();

struct Config {
  // [server]
  std::string bindIp = "0.0.0.0";
  std::string advertiseIp;  // empty: the first non-loopback IPv4 of this host, else 127.0.0.1
  uint16_t wsPort = 8080;   // 0 = off
  uint16_t wssPort = 8443;  // 0 = off
  std::string tlsCert;      // empty: self-signed, generated into dataDir at first start
  std::string tlsKey;
  std::string dataDir;  // empty: $XDG_STATE_HOME/callgate or ~/.local/state/callgate
  int workers = 1;
  std::string logLevel = "info";
  int keepAliveIntervalMs = 5000;
  int keepAliveProbes = 10;
  // [sip]
  uint16_t sipPort = 5060;  // 0 = ephemeral; worker i listens on sipPort + i
  int registerExpires = 300;
  int noAnswerTimeout = 60;  // seconds a call may ring (outgoing: CANCEL; incoming: 480)
  int rejectStatus = 486;    // SIP status for an incoming call the client rejects
  int acceptRefer = 1;       // 1: a REFER from the SIP side makes callgate call the target
  int sipT1Ms = 500;
  // [media]
  uint16_t rtpPortMin = 20000;
  uint16_t rtpPortMax = 29999;
  int mediaTimeout = 30;  // seconds without RTP from either side ends the call; 0 = never
  int iceTimeout = 20;    // seconds for ICE + DTLS to complete once the answer was sent
  // [echo] the built-in SIP echo endpoint (src/echo)
  std::string echoName = "echo";  // callee that reaches it; empty = no echo endpoint
  uint16_t echoPort = 0;          // its SIP UDP port; 0 = ephemeral
  int echoMaxCalls = 20;          // concurrent echo calls; more get 503
  int echoMaxDuration = 600;      // seconds before an echo call is ended with BYE
  // [domain] callgate as registrar + proxy of a local SIP domain (src/localdomain)
  int domainEnabled = 0;
  std::string domainName;      // domain and digest realm; empty: the advertised IP
  uint16_t domainPort = 5070;  // its own SIP UDP port
  std::string domainUsers;     // "login:password,login:password"; validated when loaded
  // [http] the phone page, served on the ws/wss ports to plain HTTP requests
  std::string webRoot = defaultWebRoot();      // empty: pages off (404)
  std::string websdkDir = defaultWebsdkDir();  // the pinned @flashphoner/websdk package
  // [server] keepAlive re-attach (protocol §1, §4.11)
  int keepAliveGraceS = 60;  // seconds a keepAlive client's session outlives its socket; 0 = never kept

  bool showHelp = false;
  bool showVersion = false;
};

// Builds the configuration from argv and the environment. Errors name the setting and
// where it came from ("--ws-port: 'x' is not a number").
Result<Config> loadConfig(int argc, const char* const* argv, char** environ);
Result<Config> loadConfig(const std::vector<std::string>& args, const std::vector<std::string>& environment);

std::string helpText();

}  // namespace callgate::app

#pragma once
// callgate-phone's settings: the command-line flags and, with the same names as keys, the
// TOML config file (phone_config.hpp). All flag parsing lives in phone_options.cpp.
#include <callgate/client/client.hpp>

#include <string>
#include <vector>

#include "media_flags.hpp"

namespace callgate::phone {

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

extern const char* const kHelp;

struct PhoneOptions {
  client::SessionOptions session;
  std::string configFile;  // --config FILE (read before the other flags, which override it)
  bool help = false;
  bool interactive = false;
  std::string call;
  bool answer = false;
  double duration = 10;
  double timeout = 15;
  client::AudioSource source;
  client::AudioSink sink;
  std::string dtmf;
  client::DtmfType dtmfType = client::DtmfType::Rfc2833;
  double hold = 0;
  bool quiet = false;
  client::MediaConfig media;  // the media flags (media_flags.hpp); composeMedia() adds source/sink
  MediaFlags mediaFlags;
};

// Flags without a value (--insecure, --answer, ...).
bool isSwitch(const std::string& flag);
// Applies one flag; `value` is ignored for switches. Returns an error message or "".
std::string applyFlag(PhoneOptions& options, const std::string& flag, const std::string& value);
// Applies `args` (flags and values, no program name) in order. Returns an error or "".
std::string parseArgs(const std::vector<std::string>& args, PhoneOptions& options);
// Checks the combination after all flags: an error message or "".
std::string validate(const PhoneOptions& options);

}  // namespace callgate::phone

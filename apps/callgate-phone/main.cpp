// callgate-phone: a terminal phone on the callgate C++ client SDK.
// Scriptable mode (scripted.cpp): connect, place (--call) or take (--answer) one call, play
// a tone or a WAV, record what comes back, send DTMF, hang up after --duration, and exit with
// a code that tells what failed. Interactive mode (interactive.cpp, --interactive): commands
// from stdin and a live status line. Settings: flags and a TOML file (phone_config.hpp).
#include <iostream>
#include <string>
#include <vector>

#include "interactive.hpp"
#include "phone_config.hpp"
#include "phone_options.hpp"
#include "scripted.hpp"
#include "thread_check.hpp"

using namespace callgate::phone;

int main(int argc, char** argv) {
  PhoneOptions options;
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string err = loadOptions(args, options);
  if (err.empty() && options.help) {
    std::cout << kHelp << '\n' << kMediaHelp;
    return kOk;
  }
  if (err.empty()) err = validate(options);
  if (!err.empty()) {
    std::cerr << "callgate-phone: " << err << " (see --help)\n";
    return kUsage;
  }
  const int code = options.interactive ? runInteractive(options) : runScripted(options);
  // Every Session is destroyed by now (tests/lib/phone.mjs fails a test on this line).
  for (const std::string& t : threadsNamed(callgate::client::kSessionThreadName))
    std::cerr << "callgate-phone: error: SDK thread '" << t << "' still running after its Session was destroyed\n";
  return code;
}

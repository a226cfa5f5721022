#pragma once
// The commands of callgate-phone's interactive mode, parsed from one typed line. A pure
// function (no I/O, no exceptions, no allocation beyond the result), so it is unit-tested
// and fuzzed as it is.
#include <callgate/client/result.hpp>
#include <callgate/client/status.hpp>

#include <string>
#include <string_view>

namespace callgate::phone {

struct Command {
  enum class Kind { None, Call, Answer, Hangup, Hold, Unhold, Dtmf, Status, Help, Quit };
  Kind kind = Kind::None;  // None: an empty or blank line
  std::string argument;    // Call: the callee; Dtmf: the digits
  client::DtmfType dtmfType = client::DtmfType::Rfc2833;
};

// Longest line accepted; longer input is an error, not a truncation.
constexpr size_t kMaxCommandLine = 1024;

// Command words are case-insensitive; `?` is help and `exit` is quit. Errors say what was
// wrong and what to type ("call needs a callee: call ID").
client::Result<Command> parseCommand(std::string_view line);

// The command list shown by `help`.
extern const char* const kCommandHelp;

}  // namespace callgate::phone

#include "command_parser.hpp"

#include <vector>

namespace callgate::phone {

using client::DtmfType;
using client::Error;
using client::Result;

const char* const kCommandHelp =
    "commands:\n"
    "  call ID                            call ID (1001, echo, sip:user@host)\n"
    "  answer                             answer the incoming call\n"
    "  hangup                             end, cancel or reject the call\n"
    "  hold / unhold                      put the call on hold / take it back\n"
    "  dtmf DIGITS [rfc2833|info|info_relay]  send DTMF (0-9 * # A-D; default rfc2833)\n"
    "  status                             print session, registration and call state\n"
    "  help                               this list\n"
    "  quit                               hang up, disconnect and exit (also: end of input)\n";

namespace {

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lowered(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = lower(c);
  return out;
}

std::vector<std::string_view> words(std::string_view line) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && isSpace(line[i])) ++i;
    size_t start = i;
    while (i < line.size() && !isSpace(line[i])) ++i;
    if (i > start) out.push_back(line.substr(start, i - start));
  }
  return out;
}

bool isDtmfDigit(char c) {
  return (c >= '0' && c <= '9') || c == '*' || c == '#' || (c >= 'A' && c <= 'D') || (c >= 'a' && c <= 'd');
}

Result<Command> simple(Command::Kind kind, const std::vector<std::string_view>& w) {
  if (w.size() > 1) return Error{std::string(w[0]) + " takes no arguments"};
  return Command{kind, {}, DtmfType::Rfc2833};
}

}  // namespace

Result<Command> parseCommand(std::string_view line) {
  if (line.size() > kMaxCommandLine)
    return Error{"line too long (" + std::to_string(line.size()) + " characters, at most " +
                 std::to_string(kMaxCommandLine) + ")"};
  for (char c : line) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && !isSpace(c)) || u == 0x7f) return Error{"control character in the command (type help)"};
  }
  const auto w = words(line);
  if (w.empty()) return Command{};
  const std::string verb = lowered(w[0]);
  using K = Command::Kind;

  if (verb == "call") {
    if (w.size() < 2) return Error{"call needs a callee: call ID"};
    if (w.size() > 2) return Error{"call takes one callee without spaces: call ID"};
    return Command{K::Call, std::string(w[1]), DtmfType::Rfc2833};
  }
  if (verb == "dtmf") {
    if (w.size() < 2) return Error{"dtmf needs digits: dtmf DIGITS [rfc2833|info|info_relay]"};
    if (w.size() > 3) return Error{"too many arguments: dtmf DIGITS [rfc2833|info|info_relay]"};
    for (char c : w[1])
      if (!isDtmfDigit(c)) return Error{std::string("invalid DTMF digit '") + c + "': use 0-9, *, #, A-D"};
    Command cmd{K::Dtmf, std::string(w[1]), DtmfType::Rfc2833};
    if (w.size() == 3) {
      const std::string type = lowered(w[2]);
      if (type == "rfc2833")
        cmd.dtmfType = DtmfType::Rfc2833;
      else if (type == "info")
        cmd.dtmfType = DtmfType::Info;
      else if (type == "info_relay")
        cmd.dtmfType = DtmfType::InfoRelay;
      else
        return Error{"unknown DTMF type '" + std::string(w[2]) + "': use rfc2833, info or info_relay"};
    }
    return cmd;
  }
  if (verb == "answer") return simple(K::Answer, w);
  if (verb == "hangup") return simple(K::Hangup, w);
  if (verb == "hold") return simple(K::Hold, w);
  if (verb == "unhold") return simple(K::Unhold, w);
  if (verb == "status") return simple(K::Status, w);
  if (verb == "help" || verb == "?") return simple(K::Help, w);
  if (verb == "quit" || verb == "exit") return simple(K::Quit, w);
  std::string shown(w[0].substr(0, 40));
  return Error{"unknown command '" + shown + "' (type help)"};
}

}  // namespace callgate::phone

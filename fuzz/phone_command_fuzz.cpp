// libFuzzer target for callgate-phone's interactive command parser
// (apps/callgate-phone/command_parser.cpp): any bytes give a command or an error message,
// never a crash; a command's argument is a part of the line, and a parsed line parses again
// to the same command when printed back (round trip).
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "command_parser.hpp"

using namespace callgate::phone;

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

const char* typeWord(callgate::client::DtmfType t) {
  switch (t) {
    case callgate::client::DtmfType::Info: return "info";
    case callgate::client::DtmfType::InfoRelay: return "info_relay";
    case callgate::client::DtmfType::Rfc2833: break;
  }
  return "rfc2833";
}

std::string print(const Command& c) {
  using K = Command::Kind;
  switch (c.kind) {
    case K::None: return "";
    case K::Call: return "call " + c.argument;
    case K::Answer: return "answer";
    case K::Hangup: return "hangup";
    case K::Hold: return "hold";
    case K::Unhold: return "unhold";
    case K::Dtmf: return "dtmf " + c.argument + " " + typeWord(c.dtmfType);
    case K::Status: return "status";
    case K::Help: return "help";
    case K::Quit: return "quit";
  }
  return "";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  auto r = parseCommand(line);
  if (!r) {
    check(!r.error().message.empty());
    return 0;
  }
  check(r->argument.size() <= line.size());
  check(r->argument.empty() || line.find(r->argument) != std::string_view::npos);
  auto again = parseCommand(print(*r));
  check(again.ok());
  check(again->kind == r->kind && again->argument == r->argument && again->dtmfType == r->dtmfType);
  return 0;
}

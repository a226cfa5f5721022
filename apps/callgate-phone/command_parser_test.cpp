#include "command_parser.hpp"

#include <gtest/gtest.h>

#include <random>

namespace callgate::phone {
namespace {

using K = Command::Kind;
using client::DtmfType;

Command ok(std::string_view line) {
  auto r = parseCommand(line);
  EXPECT_TRUE(r) << line << ": " << (r ? "" : r.error().message);
  return r ? *r : Command{};
}

std::string error(std::string_view line) {
  auto r = parseCommand(line);
  EXPECT_FALSE(r) << line;
  return r ? "" : r.error().message;
}

TEST(PhoneCommand, EveryCommand) {
  EXPECT_EQ(ok("call 1001").kind, K::Call);
  EXPECT_EQ(ok("call 1001").argument, "1001");
  EXPECT_EQ(ok("  CALL   sip:bob@example.com \r").argument, "sip:bob@example.com");
  EXPECT_EQ(ok("answer").kind, K::Answer);
  EXPECT_EQ(ok("hangup").kind, K::Hangup);
  EXPECT_EQ(ok("hold").kind, K::Hold);
  EXPECT_EQ(ok("unhold").kind, K::Unhold);
  EXPECT_EQ(ok("status").kind, K::Status);
  EXPECT_EQ(ok("help").kind, K::Help);
  EXPECT_EQ(ok("?").kind, K::Help);
  EXPECT_EQ(ok("quit").kind, K::Quit);
  EXPECT_EQ(ok("Exit").kind, K::Quit);
  EXPECT_EQ(ok("").kind, K::None);
  EXPECT_EQ(ok(" \t ").kind, K::None);
}

TEST(PhoneCommand, DtmfDigitsAndTypes) {
  auto d = ok("dtmf 123#");
  EXPECT_EQ(d.kind, K::Dtmf);
  EXPECT_EQ(d.argument, "123#");
  EXPECT_EQ(d.dtmfType, DtmfType::Rfc2833);
  EXPECT_EQ(ok("dtmf 5 info").dtmfType, DtmfType::Info);
  EXPECT_EQ(ok("dtmf 5 INFO").dtmfType, DtmfType::Info);
  EXPECT_EQ(ok("dtmf *0 info_relay").dtmfType, DtmfType::InfoRelay);
  EXPECT_EQ(ok("dtmf ABCD rfc2833").dtmfType, DtmfType::Rfc2833);
}

TEST(PhoneCommand, ClearErrors) {
  EXPECT_EQ(error("call"), "call needs a callee: call ID");
  EXPECT_EQ(error("call 1 2"), "call takes one callee without spaces: call ID");
  EXPECT_EQ(error("dtmf"), "dtmf needs digits: dtmf DIGITS [rfc2833|info|info_relay]");
  EXPECT_EQ(error("dtmf 12x"), "invalid DTMF digit 'x': use 0-9, *, #, A-D");
  EXPECT_EQ(error("dtmf 1 smoke"), "unknown DTMF type 'smoke': use rfc2833, info or info_relay");
  EXPECT_EQ(error("dtmf 1 info extra"), "too many arguments: dtmf DIGITS [rfc2833|info|info_relay]");
  EXPECT_EQ(error("hangup now"), "hangup takes no arguments");
  EXPECT_EQ(error("dial 1001"), "unknown command 'dial' (type help)");
  EXPECT_EQ(error(std::string(2000, 'a')), "line too long (2000 characters, at most 1024)");
  EXPECT_EQ(error(std::string("call \x01")), "control character in the command (type help)");
}

// The parser is total: any bytes give a command or an error, never a crash (the same check
// a fuzzer makes, here with a fixed seed).
TEST(PhoneCommand, RandomInputNeverCrashes) {
  std::mt19937 rng(5);
  const std::string alphabet = "calhngupdtmfinorsq 0123456789*#ABCDx\t\r\x01\xff";
  for (int i = 0; i < 20000; ++i) {
    std::string line;
    const int n = static_cast<int>(rng() % 24);
    for (int j = 0; j < n; ++j) line += alphabet[rng() % alphabet.size()];
    auto r = parseCommand(line);
    if (r) {
      EXPECT_LE(r->argument.size(), line.size());
    } else {
      EXPECT_FALSE(r.error().message.empty());
    }
  }
}

}  // namespace
}  // namespace callgate::phone

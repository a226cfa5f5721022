#include "phone_config.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

namespace callgate::phone {
namespace {

using Flags = std::vector<std::string>;

TEST(PhoneConfig, KeysAreTheFlagNames) {
  Flags flags;
  const std::string text = R"(
url = "ws://127.0.0.1:8080"
login = "1000"
port = 5070
register = false
tone = 600.5
insecure = true
silence = false
)";
  ASSERT_EQ(configToFlags(text, "phone.toml", flags), "");
  // toml11 keeps no key order; distinct flags do not care.
  PhoneOptions o;
  ASSERT_EQ(parseArgs(flags, o), "");
  EXPECT_EQ(o.session.urlServer, "ws://127.0.0.1:8080");
  EXPECT_EQ(o.session.sipLogin, "1000");
  EXPECT_EQ(o.session.sipPort, 5070);
  EXPECT_FALSE(o.session.sipRegisterRequired);
  EXPECT_DOUBLE_EQ(o.source.toneHz, 600.5);
  EXPECT_FALSE(o.session.verifyCertificate);
  EXPECT_NE(o.source.kind, client::AudioSource::Kind::Silence);  // silence = false: not set
}

TEST(PhoneConfig, BadFilesSayWhy) {
  Flags flags;
  EXPECT_NE(configToFlags("url = ", "p.toml", flags).find("config file"), std::string::npos);
  EXPECT_EQ(configToFlags("[account]\nurl = \"x\"", "p.toml", flags),
            "p.toml: account must be a string, a number or a boolean (no tables or arrays)");
  EXPECT_EQ(configToFlags("config = \"other.toml\"", "p.toml", flags),
            "p.toml: 'config' cannot be set in a config file");
  EXPECT_EQ(configToFlags("insecure = 1", "p.toml", flags), "p.toml: insecure is a switch: use insecure = true");
}

class ConfigFile : public ::testing::Test {
 protected:
  void write(const std::string& text) {
    std::ofstream(path_) << text;
  }
  void TearDown() override { std::remove(path_.c_str()); }
  std::string path_ = ::testing::TempDir() + "callgate_phone_test.toml";
};

TEST_F(ConfigFile, FlagsOverrideTheFile) {
  write("url = \"ws://10.0.0.1:8080\"\nlogin = \"1000\"\npassword = \"1234\"\ninteractive = true\n");
  PhoneOptions o;
  ASSERT_EQ(loadOptions({"--login", "2000", "--config", path_}, o), "");
  EXPECT_EQ(o.session.urlServer, "ws://10.0.0.1:8080");
  EXPECT_EQ(o.session.sipLogin, "2000");  // the flag wins, wherever --config stands
  EXPECT_EQ(o.session.sipPassword, "1234");
  EXPECT_TRUE(o.interactive);
  EXPECT_EQ(validate(o), "");
}

TEST_F(ConfigFile, UnknownSettingsAndBadValuesNameTheFile) {
  write("colour = \"blue\"\n");
  PhoneOptions o;
  EXPECT_EQ(loadOptions({"--config", path_}, o), path_ + ": unknown setting 'colour'");
  write("port = 70000\n");
  EXPECT_EQ(loadOptions({"--config", path_}, o), path_ + ": --port must be 1..65535");
  EXPECT_EQ(loadOptions({"--config", "/nonexistent/phone.toml"}, o), "cannot read config file /nonexistent/phone.toml");
}

TEST(PhoneOptionsTest, ScriptableFlagsStillParse) {
  PhoneOptions o;
  ASSERT_EQ(parseArgs({"--url", "ws://h:1", "--call", "echo", "--dtmf", "12#", "--dtmf-type", "info", "-q"}, o), "");
  EXPECT_EQ(o.call, "echo");
  EXPECT_EQ(o.dtmfType, client::DtmfType::Info);
  EXPECT_TRUE(o.quiet);
  EXPECT_EQ(validate(o), "");
  EXPECT_EQ(parseArgs({"--port"}, o), "missing value for --port");
  EXPECT_EQ(parseArgs({"--bogus", "x"}, o), "unknown option --bogus");
  PhoneOptions i;
  ASSERT_EQ(parseArgs({"--url", "ws://h:1", "-i", "--call", "x"}, i), "");
  EXPECT_NE(validate(i), "");
  PhoneOptions none;
  EXPECT_EQ(validate(none), "--url is required");
}

}  // namespace
}  // namespace callgate::phone

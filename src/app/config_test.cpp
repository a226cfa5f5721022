#include "app/config.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

namespace callgate::app {
namespace {

TEST(Config, DefaultsMatchTheDocumentedPorts) {
  auto c = loadConfig(std::vector<std::string>{}, {});
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->wsPort, 8080);
  EXPECT_EQ(c->wssPort, 8443);
  EXPECT_EQ(c->sipPort, 5060);
}

TEST(Config, FlagsBeatEnvironmentBeatFile) {
  std::string path = ::testing::TempDir() + "/callgate_test.toml";
  {
    std::ofstream f(path);
    f << "[server]\nws_port = 9000\nwss_port = 9443\n[sip]\nport = 5070\n";
  }
  auto c = loadConfig({"--config", path, "--ws-port", "9100"}, {"CALLGATE_WSS_PORT=9500", "CALLGATE_WS_PORT=9200"});
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->wsPort, 9100);
  EXPECT_EQ(c->wssPort, 9500);
  EXPECT_EQ(c->sipPort, 5070);
  std::remove(path.c_str());
}

TEST(Config, ErrorsNameTheSetting) {
  auto c = loadConfig({"--sip-port", "x"}, {});
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().message, "--sip-port: 'x' is not a number");
  auto unknown = loadConfig({"--nope", "1"}, {});
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message.find("unknown option --nope"), std::string::npos);
}

TEST(Config, UnknownFileKeyIsAnError) {
  std::string path = ::testing::TempDir() + "/callgate_bad.toml";
  {
    std::ofstream f(path);
    f << "[server]\nws_prot = 1\n";
  }
  auto c = loadConfig({"--config=" + path}, {});
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("unknown setting 'server.ws_prot'"), std::string::npos);
  std::remove(path.c_str());
}

TEST(Config, RejectsEmptyRtpRange) {
  auto c = loadConfig({"--rtp-port-min", "30000", "--rtp-port-max", "20000"}, {});
  ASSERT_FALSE(c);
}

TEST(Config, HttpSectionDefaultsToTheSourceTreeAndCanBeTurnedOff) {
  auto d = loadConfig(std::vector<std::string>{}, {});
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_TRUE(d->webRoot.ends_with("/web")) << d->webRoot;
  EXPECT_TRUE(d->websdkDir.ends_with("/node_modules/@flashphoner/websdk")) << d->websdkDir;
  auto off = loadConfig({"--web-root", ""}, {"CALLGATE_WEBSDK_DIR=/srv/sdk"});
  ASSERT_TRUE(off) << off.error().message;
  EXPECT_EQ(off->webRoot, "");
  EXPECT_EQ(off->websdkDir, "/srv/sdk");
}

}  // namespace
}  // namespace callgate::app

namespace callgate::app {
namespace {

TEST(Config, RejectStatusIsOneOfTheRejectCodes) {
  auto c = loadConfig({"--reject-status", "603"}, {});
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->rejectStatus, 603);
  auto bad = loadConfig({"--reject-status", "500"}, {});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message, "reject-status must be 486, 603 or 480");
}

TEST(Config, EchoSection) {
  auto defaults = loadConfig(std::vector<std::string>{}, {});
  ASSERT_TRUE(defaults);
  EXPECT_EQ(defaults->echoName, "echo");
  EXPECT_EQ(defaults->echoPort, 0);
  EXPECT_EQ(defaults->echoMaxCalls, 20);
  EXPECT_EQ(defaults->echoMaxDuration, 600);

  std::string path = ::testing::TempDir() + "/callgate_echo.toml";
  {
    std::ofstream f(path);
    f << "[echo]\nname = \"test\"\nmax_calls = 3\n";
  }
  auto c = loadConfig({"--config", path, "--echo-max-duration", "60"}, {"CALLGATE_ECHO_PORT=5099"});
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->echoName, "test");
  EXPECT_EQ(c->echoMaxCalls, 3);
  EXPECT_EQ(c->echoMaxDuration, 60);
  EXPECT_EQ(c->echoPort, 5099);
  std::remove(path.c_str());

  auto off = loadConfig({"--echo-name", ""}, {});
  ASSERT_TRUE(off);
  EXPECT_EQ(off->echoName, "");
  EXPECT_NE(helpText().find("--echo-name"), std::string::npos);
}

}  // namespace
}  // namespace callgate::app

// [domain]: the local SIP domain's settings.
namespace callgate::app {
namespace {

TEST(Config, DomainSettingsFromFlagsEnvAndFile) {
  auto off = loadConfig(std::vector<std::string>{}, {});
  ASSERT_TRUE(off);
  EXPECT_EQ(off->domainEnabled, 0);
  EXPECT_EQ(off->domainPort, 5070);
  EXPECT_EQ(off->domainName, "");

  auto flags = loadConfig({"--domain-enabled", "1", "--domain-users", "1000:a,1001:b", "--domain-port", "5090",
                           "--domain-name", "demo.local"},
                          {});
  ASSERT_TRUE(flags) << flags.error().message;
  EXPECT_EQ(flags->domainEnabled, 1);
  EXPECT_EQ(flags->domainUsers, "1000:a,1001:b");
  EXPECT_EQ(flags->domainPort, 5090);
  EXPECT_EQ(flags->domainName, "demo.local");

  auto env = loadConfig(std::vector<std::string>{}, {"CALLGATE_DOMAIN_ENABLED=1", "CALLGATE_DOMAIN_USERS=1000:x"});
  ASSERT_TRUE(env) << env.error().message;
  EXPECT_EQ(env->domainEnabled, 1);

  std::string path = ::testing::TempDir() + "/callgate_domain.toml";
  {
    std::ofstream f(path);
    f << "[domain]\nenabled = true\nname = \"demo.local\"\nusers = \"1000:s1,1001:s2\"\n";
  }
  auto file = loadConfig({"--config", path}, {});
  ASSERT_TRUE(file) << file.error().message;
  EXPECT_EQ(file->domainEnabled, 1);
  EXPECT_EQ(file->domainName, "demo.local");
  std::remove(path.c_str());
}

TEST(Config, DomainUsersAreValidatedNamingTheSetting) {
  auto space = loadConfig({"--domain-users", "al ice:pw"}, {});
  ASSERT_FALSE(space);
  EXPECT_EQ(space.error().message, "--domain-users: login 'al ice': character ' ' not allowed by RFC 3261");
  auto noPassword = loadConfig(std::vector<std::string>{}, {"CALLGATE_DOMAIN_USERS=1000"});
  ASSERT_FALSE(noPassword);
  EXPECT_EQ(noPassword.error().message, "CALLGATE_DOMAIN_USERS: entry 1 ('1000'): missing ':password'");
  auto empty = loadConfig({"--domain-enabled", "1"}, {});
  ASSERT_FALSE(empty);
  EXPECT_NE(empty.error().message.find("domain-users is empty"), std::string::npos);
  auto clash = loadConfig({"--domain-enabled", "1", "--domain-users", "1:a", "--domain-port", "5061", "--workers", "2"},
                          {});
  ASSERT_FALSE(clash);
  EXPECT_NE(clash.error().message.find("domain-port 5061"), std::string::npos);
}

}  // namespace
}  // namespace callgate::app

// The shipped example configurations load (config/ at the repository root; CALLGATE_TESTDATA
// is <root>/src/app/testdata, which need not exist, so the root is cut out of the text).
namespace callgate::app {
namespace {

TEST(Config, ShippedDemoAndProductionFilesLoad) {
  const std::string testdata = CALLGATE_TESTDATA;
  const std::string root = testdata.substr(0, testdata.rfind("/src/app/testdata")) + "/config/";
  auto demo = loadConfig({"--config", root + "demo.toml"}, {});
  ASSERT_TRUE(demo) << demo.error().message;
  EXPECT_EQ(demo->domainEnabled, 1);
  EXPECT_EQ(demo->domainPort, 5070);
  EXPECT_NE(demo->domainUsers.find("1003:"), std::string::npos);
  auto production = loadConfig({"--config", root + "production.toml"}, {});
  ASSERT_TRUE(production) << production.error().message;
  EXPECT_EQ(production->domainEnabled, 0);
}

}  // namespace
}  // namespace callgate::app

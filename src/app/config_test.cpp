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

}  // namespace
}  // namespace callgate::app

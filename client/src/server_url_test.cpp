#include "server_url.hpp"

#include <gtest/gtest.h>

namespace callgate::client::detail {
namespace {

TEST(ServerUrl, DefaultsToTheWcsPorts) {
  auto ws = parseServerUrl("ws://example.com");
  ASSERT_TRUE(ws);
  EXPECT_FALSE(ws->tls);
  EXPECT_EQ(ws->port, 8080);
  EXPECT_EQ(ws->target, "/");
  auto wss = parseServerUrl("wss://example.com/websocket?x=1");
  ASSERT_TRUE(wss);
  EXPECT_TRUE(wss->tls);
  EXPECT_EQ(wss->port, 8443);
  EXPECT_EQ(wss->target, "/websocket?x=1");
}

TEST(ServerUrl, PortsAndIpv6) {
  auto u = parseServerUrl("ws://127.0.0.1:8101");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->host, "127.0.0.1");
  EXPECT_EQ(u->port, 8101);
  EXPECT_EQ(u->hostPort(), "127.0.0.1:8101");
  auto v6 = parseServerUrl("wss://[::1]:9443/");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->hostPort(), "[::1]:9443");
}

TEST(ServerUrl, BadUrlsSayWhy) {
  auto scheme = parseServerUrl("http://x");
  ASSERT_FALSE(scheme);
  EXPECT_NE(scheme.error().message.find("ws:// or wss://"), std::string::npos);
  EXPECT_NE(parseServerUrl("ws://x:0").error().message.find("port '0'"), std::string::npos);
  EXPECT_NE(parseServerUrl("ws://x:99999").error().message.find("1 to 65535"), std::string::npos);
  EXPECT_NE(parseServerUrl("ws://:80").error().message.find("no host"), std::string::npos);
  EXPECT_NE(parseServerUrl("ws://a b").error().message.find("' '"), std::string::npos);
  EXPECT_FALSE(parseServerUrl("ws://u@h"));
  EXPECT_FALSE(parseServerUrl("ws://[::1"));
  EXPECT_FALSE(parseServerUrl(""));
}

}  // namespace
}  // namespace callgate::client::detail

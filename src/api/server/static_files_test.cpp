#include "api/server/static_files.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

#include <unistd.h>

namespace callgate::api {
namespace {

namespace fs = std::filesystem;

class StaticFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::path(::testing::TempDir()) / ("cg_static_" + std::to_string(::getpid()));
    fs::remove_all(base_);
    fs::create_directories(base_ / "web" / "img");
    fs::create_directories(base_ / "sdk");
    write(base_ / "web" / "index.html", "<html></html>");
    write(base_ / "web" / "phone.js", "1");
    write(base_ / "web" / "img" / "a b.png", "png");
    write(base_ / "web" / ".hidden", "x");
    write(base_ / "sdk" / "flashphoner.js", "sdk");
    write(base_ / "secret.txt", "secret");
    fs::create_symlink(base_ / "secret.txt", base_ / "web" / "escape.txt");
    settings_.webRoot = (base_ / "web").string();
    settings_.websdkDir = (base_ / "sdk").string();
  }
  void TearDown() override { fs::remove_all(base_); }

  static void write(const fs::path& p, const std::string& text) { std::ofstream(p) << text; }

  StaticLookup get(std::string_view target) { return lookupStatic("GET", target, settings_); }

  fs::path base_;
  StaticSettings settings_;
};

TEST_F(StaticFiles, RootIsIndexHtml) {
  auto r = get("/");
  ASSERT_EQ(r.kind, StaticKind::File) << r.reason;
  EXPECT_EQ(r.file.filename(), "index.html");
  EXPECT_EQ(r.contentType, "text/html; charset=utf-8");
  EXPECT_EQ(lookupStatic("HEAD", "/?x=1", settings_).kind, StaticKind::File);
}

TEST_F(StaticFiles, FilesUnderTheWebRootAndTheSdk) {
  auto js = get("/phone.js?v=2");
  ASSERT_EQ(js.kind, StaticKind::File);
  EXPECT_EQ(js.contentType, "text/javascript; charset=utf-8");
  auto sdk = get("/websdk/flashphoner.js");
  ASSERT_EQ(sdk.kind, StaticKind::File);
  EXPECT_EQ(sdk.file, fs::canonical(base_ / "sdk" / "flashphoner.js"));
  auto escaped = get("/img/a%20b.png");
  ASSERT_EQ(escaped.kind, StaticKind::File) << escaped.reason;
  EXPECT_EQ(escaped.contentType, "image/png");
  EXPECT_EQ(get("//phone.js").kind, StaticKind::File);
}

TEST_F(StaticFiles, ConfigJson) {
  EXPECT_EQ(get("/config.json").kind, StaticKind::PageConfig);
  PageDefaults d;
  d.sipDomain = "local.test";
  d.sipPort = 5070;
  d.echoName = "echo";
  auto j = nlohmann::json::parse(pageDefaultsJson(d));
  EXPECT_EQ(j["sipDomain"], "local.test");
  EXPECT_EQ(j["sipPort"], 5070);
  EXPECT_EQ(j["registerRequired"], true);
  EXPECT_EQ(j["echoName"], "echo");
  EXPECT_FALSE(j.contains("sipOutboundProxy"));
  EXPECT_EQ(nlohmann::json::parse(pageDefaultsJson({})).size(), 1u);
}

TEST_F(StaticFiles, TraversalIsRefused) {
  for (auto target : {"/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/%2e%2e/etc/passwd", "/img/../../secret.txt",
                      "/websdk/../secret.txt", "/./index.html", "/..%2fsecret.txt", "/a%5c..%5csecret.txt",
                      "/index.html%00.png", "/%zz", "/%2"}) {
    auto r = get(target);
    EXPECT_EQ(r.kind, StaticKind::Error) << target;
    EXPECT_EQ(r.status, 400) << target;
  }
  EXPECT_EQ(get("relative").status, 400);
  EXPECT_EQ(get("http://host/").status, 400);
}

TEST_F(StaticFiles, NotFound) {
  EXPECT_EQ(get("/missing.js").status, 404);
  EXPECT_EQ(get("/img").status, 404);      // a directory
  EXPECT_EQ(get("/.hidden").status, 404);  // dot files stay hidden
  EXPECT_EQ(get("/websdk/").status, 404);
  EXPECT_EQ(get("/escape.txt").status, 404);  // a symlink out of the root
  EXPECT_EQ(get("/etc/passwd").status, 404);
}

TEST_F(StaticFiles, OnlyGetAndHead) {
  for (auto m : {"POST", "PUT", "DELETE", "OPTIONS"}) {
    auto r = lookupStatic(m, "/", settings_);
    EXPECT_EQ(r.status, 405) << m;
  }
}

TEST_F(StaticFiles, EmptyRootTurnsPagesOff) {
  settings_.webRoot.clear();
  EXPECT_EQ(get("/").status, 404);
  EXPECT_EQ(get("/websdk/flashphoner.js").kind, StaticKind::File);
  settings_.websdkDir.clear();
  EXPECT_EQ(get("/websdk/flashphoner.js").status, 404);
}

TEST(StaticContentType, ByExtension) {
  EXPECT_EQ(contentTypeFor("a.css"), "text/css; charset=utf-8");
  EXPECT_EQ(contentTypeFor("a.map"), "application/json");
  EXPECT_EQ(contentTypeFor("README"), "application/octet-stream");
}

}  // namespace
}  // namespace callgate::api

// Phone page path mapping fuzzer (api/server/static_files): any method and request target.
// Invariants: only GET/HEAD ever map to something; a File result is a regular file strictly
// below the canonical web root or SDK folder; errors are 400, 404 or 405 with a reason.
// Input: first byte picks the method, the rest is the target. The roots are a small tree made
// once in $TMPDIR, with a symlink pointing out of it.
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <system_error>

#include <unistd.h>

#include "api/server/static_files.hpp"

using namespace callgate::api;
namespace fs = std::filesystem;

namespace {

struct Tree {
  StaticSettings settings;
  fs::path web;
  fs::path sdk;
  Tree() {
    std::error_code ec;
    fs::path base = fs::temp_directory_path() / ("callgate_static_fuzz_" + std::to_string(::getpid()));
    fs::create_directories(base / "web" / "img", ec);
    fs::create_directories(base / "sdk", ec);
    std::ofstream(base / "web" / "index.html") << "x";
    std::ofstream(base / "web" / "img" / "a.png") << "x";
    std::ofstream(base / "sdk" / "flashphoner.js") << "x";
    std::ofstream(base / "secret") << "x";
    fs::create_symlink(base / "secret", base / "web" / "link", ec);
    web = fs::canonical(base / "web");
    sdk = fs::canonical(base / "sdk");
    settings.webRoot = web.string();
    settings.websdkDir = sdk.string();
  }
};

bool strictlyBelow(const fs::path& file, const fs::path& root) {
  std::string f = file.string();
  std::string r = root.string() + "/";
  return f.size() > r.size() && f.compare(0, r.size(), r) == 0;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Tree tree;
  if (size == 0) return 0;
  static constexpr std::string_view kMethods[] = {"GET", "HEAD", "POST", "PUT", "get", ""};
  std::string_view method = kMethods[data[0] % std::size(kMethods)];
  std::string_view target(reinterpret_cast<const char*>(data + 1), size - 1);
  StaticLookup r = lookupStatic(method, target, tree.settings);
  bool readable = method == "GET" || method == "HEAD";
  switch (r.kind) {
    case StaticKind::File:
      if (!readable) std::abort();
      if (!strictlyBelow(r.file, tree.web) && !strictlyBelow(r.file, tree.sdk)) std::abort();
      if (!fs::is_regular_file(r.file)) std::abort();
      if (r.file.filename() == "secret") std::abort();
      break;
    case StaticKind::PageConfig:
      if (!readable) std::abort();
      break;
    case StaticKind::Error:
      if (r.status != 400 && r.status != 404 && r.status != 405) std::abort();
      if (r.reason.empty()) std::abort();
      if (!readable && r.status != 405) std::abort();
      break;
  }
  return 0;
}

#pragma once
// Helpers for the sdp unit tests (header-only so it stays out of callgate_sdp).
// Golden files live in testdata/golden/; run a test binary with CALLGATE_UPDATE_GOLDEN=1 to
// rewrite them after an intended change, then review the diff.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "sdp/parser.hpp"
#include "sdp/session_description.hpp"

namespace callgate::sdp::test {

inline std::string testdataPath(const std::string& name) {
  return std::string(CALLGATE_TESTDATA) + "/" + name;
}

inline std::string readTestdata(const std::string& name) {
  std::ifstream in(testdataPath(name), std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot open " << testdataPath(name);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline SessionDescription parseTestdata(const std::string& name) {
  auto r = parse(readTestdata(name));
  EXPECT_TRUE(r.ok()) << name << ": " << (r.ok() ? "" : r.error().message);
  return r.ok() ? std::move(r).value() : SessionDescription{};
}

inline std::vector<std::string> splitCrlfLines(const std::string& s) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < s.size()) {
    size_t end = s.find("\r\n", pos);
    if (end == std::string::npos) end = s.size();
    out.push_back(s.substr(pos, end - pos));
    pos = end + 2;
  }
  return out;
}

// Compares written SDP with testdata/golden/<name>, byte for byte (so CRLF is checked),
// reporting the first differing line.
inline void expectGolden(const std::string& actual, const std::string& name) {
  const std::string path = testdataPath("golden/" + name);
  if (std::getenv("CALLGATE_UPDATE_GOLDEN")) {
    std::ofstream(path, std::ios::binary) << actual;
    return;
  }
  const std::string expected = readTestdata("golden/" + name);
  if (actual == expected) return;
  auto a = splitCrlfLines(actual);
  auto e = splitCrlfLines(expected);
  for (size_t i = 0; i < std::max(a.size(), e.size()); ++i) {
    std::string al = i < a.size() ? a[i] : "<none>";
    std::string el = i < e.size() ? e[i] : "<none>";
    if (al != el) {
      ADD_FAILURE() << name << " line " << i + 1 << ":\n  expected: " << el << "\n  actual:   " << al;
      return;
    }
  }
  ADD_FAILURE() << name << ": differs (line endings?)";
}

}  // namespace callgate::sdp::test

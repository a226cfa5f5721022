#include "wav_writer.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

namespace callgate::client::detail {
namespace {

uint32_t le32(const std::vector<unsigned char>& b, size_t at) {
  return b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (uint32_t(b[at + 3]) << 24);
}

TEST(WavWriter, HeaderSizesArePatchedOnClose) {
  auto path = std::filesystem::temp_directory_path() / "cg_client_wav_test.wav";
  {
    WavWriter w;
    ASSERT_TRUE(w.open(path.string(), 8000, 1));
    std::vector<int16_t> samples(800, 1234);
    w.write(samples);
    w.write(samples);
    EXPECT_EQ(w.samplesWritten(), 1600u);
    w.close();
  }
  std::ifstream in(path, std::ios::binary);
  std::vector<unsigned char> bytes((std::istreambuf_iterator<char>(in)), {});
  ASSERT_EQ(bytes.size(), 44u + 3200u);
  EXPECT_EQ(std::string(bytes.begin(), bytes.begin() + 4), "RIFF");
  EXPECT_EQ(le32(bytes, 4), 36u + 3200u);
  EXPECT_EQ(le32(bytes, 24), 8000u);
  EXPECT_EQ(le32(bytes, 40), 3200u);
  EXPECT_EQ(bytes[44] | (bytes[45] << 8), 1234);
  std::filesystem::remove(path);
}

TEST(WavWriter, UnwritablePathIsAnError) {
  WavWriter w;
  auto r = w.open("/nonexistent-dir/x.wav", 8000, 1);
  ASSERT_FALSE(r);
  EXPECT_NE(r.message().find("Cannot write"), std::string::npos);
}

}  // namespace
}  // namespace callgate::client::detail

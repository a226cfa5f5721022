#include "common/random.hpp"

#include <openssl/rand.h>

#include <array>
#include <cstdlib>

namespace callgate {
namespace {
void fill(uint8_t* out, size_t n) {
  if (RAND_bytes(out, int(n)) != 1) std::abort();  // no entropy: nothing safe to do
}
}  // namespace

std::string randomToken(size_t length) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::string out(length, '\0');
  for (auto& c : out) {
    uint8_t b;
    do fill(&b, 1);
    while (b >= 248);  // 248 = 4 * 62: reject to keep the distribution uniform
    c = kAlphabet[b % 62];
  }
  return out;
}

uint32_t randomU32() {
  uint32_t v;
  fill(reinterpret_cast<uint8_t*>(&v), sizeof v);
  return v;
}

std::string randomUuid() {
  static constexpr char kHex[] = "0123456789abcdef";
  std::array<uint8_t, 16> b;
  fill(b.data(), b.size());
  b[6] = (b[6] & 0x0F) | 0x40;  // version 4
  b[8] = (b[8] & 0x3F) | 0x80;  // variant 10
  std::string out;
  out.reserve(36);
  for (size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kHex[b[i] >> 4];
    out += kHex[b[i] & 0xF];
  }
  return out;
}

}  // namespace callgate

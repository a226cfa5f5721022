#include "wav_writer.hpp"

#include <cerrno>
#include <cstring>

namespace callgate::client::detail {
namespace {

void put16(unsigned char* p, uint16_t v) {
  p[0] = v & 0xff;
  p[1] = v >> 8;
}
void put32(unsigned char* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = (v >> (8 * i)) & 0xff;
}

}  // namespace

WavWriter::~WavWriter() { close(); }

Outcome WavWriter::open(const std::string& path, uint32_t sampleRate, uint16_t channels) {
  std::lock_guard lock(mutex_);
  if (file_) return Error{"WAV writer already open"};
  file_ = std::fopen(path.c_str(), "wb");
  if (!file_) return Error{"Cannot write '" + path + "': " + std::strerror(errno)};
  sampleRate_ = sampleRate;
  channels_ = channels;
  dataBytes_ = 0;
  writeHeader(0);
  return {};
}

// RIFF/WAVE with a 16-byte PCM fmt chunk (format 1) and one data chunk.
void WavWriter::writeHeader(uint32_t dataBytes) {
  unsigned char h[44];
  std::memcpy(h, "RIFF", 4);
  put32(h + 4, 36 + dataBytes);
  std::memcpy(h + 8, "WAVEfmt ", 8);
  put32(h + 16, 16);
  put16(h + 20, 1);
  put16(h + 22, channels_);
  put32(h + 24, sampleRate_);
  put32(h + 28, sampleRate_ * channels_ * 2);
  put16(h + 32, static_cast<uint16_t>(channels_ * 2));
  put16(h + 34, 16);
  std::memcpy(h + 36, "data", 4);
  put32(h + 40, dataBytes);
  std::fseek(file_, 0, SEEK_SET);
  std::fwrite(h, 1, sizeof h, file_);
  std::fseek(file_, 0, SEEK_END);
}

void WavWriter::write(std::span<const int16_t> samples) {
  std::lock_guard lock(mutex_);
  if (!file_ || samples.empty()) return;
  // Little-endian on disk; the SDK targets little-endian hosts (x86, ARM).
  std::fwrite(samples.data(), sizeof(int16_t), samples.size(), file_);
  dataBytes_ += samples.size() * sizeof(int16_t);
}

void WavWriter::close() {
  std::lock_guard lock(mutex_);
  if (!file_) return;
  writeHeader(static_cast<uint32_t>(std::min<uint64_t>(dataBytes_, 0xffffffffu - 36)));
  std::fclose(file_);
  file_ = nullptr;
}

uint64_t WavWriter::samplesWritten() const {
  std::lock_guard lock(mutex_);
  return dataBytes_ / 2;
}

}  // namespace callgate::client::detail

#pragma once
// A 16-bit PCM WAV file written as samples arrive; the RIFF sizes are patched on close() so
// the file is valid whenever close() has returned. Thread-safe (media threads write).
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <span>
#include <string>

#include "callgate/client/result.hpp"

namespace callgate::client::detail {

class WavWriter {
 public:
  WavWriter() = default;
  ~WavWriter();
  WavWriter(const WavWriter&) = delete;
  WavWriter& operator=(const WavWriter&) = delete;

  Outcome open(const std::string& path, uint32_t sampleRate, uint16_t channels);
  void write(std::span<const int16_t> samples);
  void close();
  uint64_t samplesWritten() const;

 private:
  void writeHeader(uint32_t dataBytes);

  mutable std::mutex mutex_;
  std::FILE* file_ = nullptr;
  uint32_t sampleRate_ = 0;
  uint16_t channels_ = 1;
  uint64_t dataBytes_ = 0;
};

}  // namespace callgate::client::detail

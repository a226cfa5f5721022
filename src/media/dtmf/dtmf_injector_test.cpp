#include "media/dtmf/dtmf_injector.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <memory>
#include <vector>

#include "media/dtmf/dtmf_detector.hpp"
#include "media/rtp/rtp_packet.hpp"

namespace callgate::media::dtmf {
namespace {

using namespace std::chrono_literals;
using Packet = std::vector<uint8_t>;

constexpr uint8_t kTePt = 101;
constexpr uint32_t kSsrc = 0x11223344;

Packet audio(uint16_t seq, uint32_t timestamp, uint32_t ssrc = kSsrc) {
  Packet p(12 + 160, 0xd5);
  p[0] = 0x80;
  p[1] = 0;  // PCMU
  store16(p.data() + 2, seq);
  store32(p.data() + 4, timestamp);
  store32(p.data() + 8, ssrc);
  return p;
}

uint16_t seqOf(const Packet& p) { return load16(p.data() + 2); }

// 40 ms tone in 10 ms packets at 8 kHz: durations 80, 160, 240, then 320 with E three times.
DtmfTiming fastTiming() {
  DtmfTiming t;
  t.toneDuration = 40ms;
  t.gap = 20ms;
  t.packetInterval = 10ms;
  t.endRepeats = 3;
  t.volume = 10;
  return t;
}

class DtmfInjectorTest : public ::testing::Test {
 protected:
  // run_one_for() stops the io_context when it runs out of work: restart it each time.
  void runUntilIdle() {
    io.restart();
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (injector.busy() && std::chrono::steady_clock::now() < deadline) io.run_one_for(100ms);
    ASSERT_FALSE(injector.busy());
  }
  void runUntilSent(size_t n) {
    io.restart();
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (sent.size() < n && std::chrono::steady_clock::now() < deadline) io.run_one_for(100ms);
    ASSERT_EQ(sent.size(), n);
  }
  // Forwards through the injector; returns the packet as it would go out, or empty if dropped.
  Packet forward(Packet p) { return injector.onForwarded(p) ? p : Packet{}; }

  boost::asio::io_context io;
  std::vector<Packet> sent;
  DtmfInjector injector{io, [this](std::span<const uint8_t> p) { sent.emplace_back(p.begin(), p.end()); },
                        fastTiming()};
};

struct Seen {
  rtp::RtpHeaderView header;
  TelephoneEvent event;
};
Seen inspect(const Packet& p) {
  auto h = rtp::RtpHeaderView::parse(p);
  EXPECT_TRUE(h);
  auto e = parseTelephoneEvent(h->payload());
  EXPECT_TRUE(e);
  return {*h, *e};
}

// Checks one event's packets starting at sent[first]: returns its timestamp.
uint32_t expectEvent(const std::vector<Packet>& sent, size_t first, uint8_t event, uint16_t firstSeq,
                     uint32_t ssrc) {
  const std::vector<uint16_t> durations = {80, 160, 240, 320, 320, 320};
  const uint32_t ts = inspect(sent.at(first)).header.timestamp();
  for (size_t i = 0; i < durations.size(); ++i) {
    const Packet& p = sent.at(first + i);
    EXPECT_EQ(p.size(), 16u);
    const Seen s = inspect(p);
    EXPECT_EQ(s.header.payloadType(), kTePt) << i;
    EXPECT_EQ(s.header.marker(), i == 0) << i;
    EXPECT_EQ(s.header.sequenceNumber(), uint16_t(firstSeq + i)) << i;
    EXPECT_EQ(s.header.timestamp(), ts) << i;
    EXPECT_EQ(s.header.ssrc(), ssrc) << i;
    EXPECT_EQ(s.event.event, event) << i;
    EXPECT_EQ(s.event.volume, 10) << i;
    EXPECT_EQ(s.event.duration, durations[i]) << i;
    EXPECT_EQ(s.event.end, i >= 3) << i;
  }
  return ts;
}

TEST_F(DtmfInjectorTest, PlaysOneDigitInsideTheForwardedStream) {
  EXPECT_EQ(seqOf(forward(audio(100, 1000))), 100);
  EXPECT_EQ(seqOf(forward(audio(101, 1160))), 101);
  const auto before = std::chrono::steady_clock::now();
  const Packet last = forward(audio(102, 1320));
  ASSERT_TRUE(injector.send("5", kTePt, 8000));
  const auto after = std::chrono::steady_clock::now();
  EXPECT_TRUE(injector.busy());
  ASSERT_EQ(sent.size(), 1u);  // the first packet goes out at once

  // Audio is suppressed while the tone plays.
  EXPECT_TRUE(forward(audio(103, 1480)).empty());
  EXPECT_TRUE(forward(audio(104, 1640)).empty());
  runUntilIdle();
  ASSERT_EQ(sent.size(), 6u);
  const uint32_t ts = expectEvent(sent, 0, 5, 103, kSsrc);
  // The event starts at the stream's current time: the last timestamp plus the time since.
  const auto elapsedUs = std::chrono::duration_cast<std::chrono::microseconds>(after - before).count();
  EXPECT_GE(ts, 1320u);
  EXPECT_LE(ts, 1320u + uint32_t(elapsedUs * 8 / 1000) + 1);

  // Audio resumes right after the last end packet, whatever it skipped meanwhile.
  EXPECT_EQ(seqOf(forward(audio(106, 1960))), 109);
  EXPECT_EQ(seqOf(forward(audio(107, 2120))), 110);
  EXPECT_EQ(seqOf(forward(audio(109, 2440))), 112);  // a loss stays visible to the receiver
  EXPECT_EQ(seqOf(forward(audio(108, 2280))), 111);  // reordering too
  EXPECT_EQ(injector.eventsSent(), 1u);
  EXPECT_EQ(injector.packetsInjected(), 6u);
  EXPECT_EQ(injector.packetsDropped(), 2u);
}

TEST_F(DtmfInjectorTest, PlaysDigitsInOrderWithAudioInTheGap) {
  forward(audio(500, 90000));
  ASSERT_TRUE(injector.send("1#", kTePt, 8000));
  runUntilSent(6);
  EXPECT_TRUE(injector.busy());  // '#' waits for the gap
  const Packet between = forward(audio(503, 90480));
  ASSERT_FALSE(between.empty());
  EXPECT_EQ(seqOf(between), 507);
  runUntilIdle();
  ASSERT_EQ(sent.size(), 12u);
  const uint32_t ts1 = expectEvent(sent, 0, 1, 501, kSsrc);
  const uint32_t ts2 = expectEvent(sent, 6, 11, 508, kSsrc);
  // One timestamp per event; the second starts after the first ended (and after the gap).
  EXPECT_GE(int32_t(ts2 - ts1), 320 + 160);
  EXPECT_EQ(seqOf(forward(audio(510, 91000))), 514);
}

TEST_F(DtmfInjectorTest, DetectorSeesEachDigitOnce) {
  forward(audio(1, 160));
  ASSERT_TRUE(injector.send("9*d", kTePt, 8000));
  runUntilIdle();
  ASSERT_EQ(sent.size(), 18u);
  DtmfDetector detector;
  std::string digits;
  for (const auto& p : sent) {
    if (auto d = detector.onPacket(p, kTePt)) digits += *d;
  }
  EXPECT_EQ(digits, "9*D");
}

TEST_F(DtmfInjectorTest, SequenceWrapsAround) {
  forward(audio(65533, 0));
  forward(audio(65534, 160));
  ASSERT_TRUE(injector.send("0", kTePt, 8000));
  runUntilIdle();
  expectEvent(sent, 0, 0, 65535, kSsrc);
  EXPECT_EQ(seqOf(sent[1]), 0);
  EXPECT_EQ(seqOf(forward(audio(0, 1600))), 5);
}

TEST_F(DtmfInjectorTest, DropsLatePacketsFromBeforeTheEvent) {
  forward(audio(10, 1600));
  forward(audio(11, 1760));
  ASSERT_TRUE(injector.send("2", kTePt, 8000));
  runUntilIdle();  // injected 12..17
  EXPECT_EQ(seqOf(forward(audio(14, 2240))), 18);
  EXPECT_TRUE(forward(audio(13, 2080)).empty());  // would reuse 17, an injected number
  EXPECT_EQ(seqOf(forward(audio(15, 2400))), 19);
}

TEST_F(DtmfInjectorTest, WithoutForwardedAudioUsesItsOwnStream) {
  ASSERT_TRUE(injector.send("7", kTePt, 48000));
  runUntilIdle();
  ASSERT_EQ(sent.size(), 6u);
  const Seen first = inspect(sent[0]);
  const uint16_t seq0 = first.header.sequenceNumber();
  const uint32_t ts = first.header.timestamp();
  const std::vector<uint16_t> durations = {480, 960, 1440, 1920, 1920, 1920};  // 48 kHz
  for (size_t i = 0; i < sent.size(); ++i) {
    const Seen s = inspect(sent[i]);
    EXPECT_EQ(s.header.sequenceNumber(), uint16_t(seq0 + i));
    EXPECT_EQ(s.header.timestamp(), ts);
    EXPECT_EQ(s.header.ssrc(), first.header.ssrc());
    EXPECT_EQ(s.event.duration, durations[i]);
    EXPECT_EQ(s.event.end, i >= 3);
  }
  // The browser's stream then starts as its own source, untouched.
  EXPECT_EQ(seqOf(forward(audio(4000, 1, first.header.ssrc() + 1))), 4000);
  EXPECT_EQ(seqOf(forward(audio(4001, 961, first.header.ssrc() + 1))), 4001);
}

TEST_F(DtmfInjectorTest, NewSourceRestartsTheMapping) {
  forward(audio(100, 0));
  ASSERT_TRUE(injector.send("3", kTePt, 8000));
  runUntilIdle();
  EXPECT_EQ(seqOf(forward(audio(300, 0, kSsrc + 1))), 300);
  ASSERT_TRUE(injector.send("4", kTePt, 8000));
  runUntilIdle();
  ASSERT_EQ(sent.size(), 12u);
  expectEvent(sent, 6, 4, 301, kSsrc + 1);
}

TEST_F(DtmfInjectorTest, RejectsInvalidDigitsAndSendsNothing) {
  forward(audio(1, 0));
  auto r = injector.send("12x3", kTePt, 8000);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "Invalid DTMF digit");
  EXPECT_FALSE(injector.send("", kTePt, 8000));
  EXPECT_FALSE(injector.send("1", 128, 8000));
  EXPECT_FALSE(injector.send("1", kTePt, 0));
  EXPECT_FALSE(injector.busy());
  io.run_for(60ms);
  EXPECT_TRUE(sent.empty());
  EXPECT_EQ(seqOf(forward(audio(2, 160))), 2);  // audio untouched
}

TEST_F(DtmfInjectorTest, BoundsTheQueue) {
  const std::string many(DtmfInjector::kMaxQueuedDigits + 1, '1');
  EXPECT_FALSE(injector.send(many, kTePt, 8000));
  EXPECT_TRUE(sent.empty());
}

TEST_F(DtmfInjectorTest, StopCancelsEventAndQueue) {
  forward(audio(1, 0));
  ASSERT_TRUE(injector.send("123", kTePt, 8000));
  ASSERT_EQ(sent.size(), 1u);
  injector.stop();
  EXPECT_FALSE(injector.busy());
  io.run_for(150ms);
  EXPECT_EQ(sent.size(), 1u);
  EXPECT_EQ(seqOf(forward(audio(5, 640))), 3);  // continues after the one injected packet
}

TEST(DtmfInjector, LaterSendKeepsTheGap) {
  boost::asio::io_context io;
  size_t count = 0;
  DtmfTiming timing = fastTiming();
  timing.gap = 300ms;  // long enough that a loaded machine cannot skip it between the sends
  DtmfInjector injector(io, [&](std::span<const uint8_t>) { ++count; }, timing);
  ASSERT_TRUE(injector.send("1", kTePt, 8000));
  while (injector.busy()) io.run_one_for(1s);
  EXPECT_EQ(count, 6u);
  const auto ended = std::chrono::steady_clock::now();
  ASSERT_TRUE(injector.send("2", kTePt, 8000));
  EXPECT_EQ(count, 6u);  // not at once: within the gap
  io.restart();
  while (injector.busy()) io.run_one_for(1s);
  EXPECT_GE(std::chrono::steady_clock::now() - ended, 250ms);
  EXPECT_EQ(count, 12u);
}

TEST(DtmfInjector, DestroyedWhilePlayingSendsNothingMore) {
  boost::asio::io_context io;
  size_t count = 0;
  auto injector = std::make_unique<DtmfInjector>(io, [&](std::span<const uint8_t>) { ++count; }, fastTiming());
  ASSERT_TRUE(injector->send("55", kTePt, 8000));
  injector.reset();
  io.run_for(100ms);
  EXPECT_EQ(count, 1u);
}

TEST(DtmfInjector, StopFromInsideTheCallback) {
  boost::asio::io_context io;
  size_t count = 0;
  std::unique_ptr<DtmfInjector> injector;
  injector = std::make_unique<DtmfInjector>(
      io,
      [&](std::span<const uint8_t>) {
        if (++count == 2) injector->stop();
      },
      fastTiming());
  ASSERT_TRUE(injector->send("5", kTePt, 8000));
  io.run_for(100ms);
  EXPECT_EQ(count, 2u);
  EXPECT_FALSE(injector->busy());
}

TEST(DtmfInjector, ShortPacketsPassUntouched) {
  boost::asio::io_context io;
  DtmfInjector injector(io, [](std::span<const uint8_t>) {});
  std::vector<uint8_t> p = {0x80, 0, 0, 1};
  EXPECT_TRUE(injector.onForwarded(p));
  EXPECT_EQ(p, (std::vector<uint8_t>{0x80, 0, 0, 1}));
}

}  // namespace
}  // namespace callgate::media::dtmf

#include "media/dtmf/dtmf_injector.hpp"

#include <algorithm>

#include "common/bytes.hpp"
#include "common/random.hpp"
#include "media/rtp/rtp_packet.hpp"

namespace callgate::media::dtmf {

DtmfInjector::DtmfInjector(boost::asio::io_context& io, SendFn send, DtmfTiming timing)
    : send_(std::move(send)), timing_(timing), timer_(io) {
  timing_.endRepeats = std::max(1u, timing_.endRepeats);
  timing_.packetInterval = std::max(timing_.packetInterval, std::chrono::milliseconds(1));
  timing_.toneDuration = std::max(timing_.toneDuration, std::chrono::milliseconds(1));
  timing_.gap = std::max(timing_.gap, std::chrono::milliseconds(0));
  timing_.volume = std::min(timing_.volume, kMaxVolume);
}

DtmfInjector::~DtmfInjector() { timer_.cancel(); }

bool DtmfInjector::onForwarded(std::span<uint8_t> rtpPacket) {
  if (rtpPacket.size() < rtp::kRtpFixedHeader || (rtpPacket[0] >> 6) != 2) return true;
  uint8_t* p = rtpPacket.data();
  const uint16_t seq = load16(p + 2);
  const uint32_t timestamp = load32(p + 4);
  const uint32_t ssrc = load32(p + 8);
  const auto now = Clock::now();

  if (playing_) {
    // Still learn the stream clock so the next event starts at the right timestamp.
    if (haveStream_ && ssrc == ssrc_ && int16_t(seq - lastInSeq_) > 0) {
      lastInSeq_ = seq;
      lastTimestamp_ = timestamp;
      lastTimestampAt_ = now;
    }
    ++packetsDropped_;
    return false;
  }

  if (!haveStream_ || ssrc != ssrc_) {
    // A new source (or the first packet): RFC 3550 §8.2 lets its sequence start anywhere;
    // injected packets of an earlier SSRC do not constrain it.
    haveStream_ = true;
    ssrc_ = ssrc;
    seqOffset_ = 0;
    resync_ = false;
    guardInjected_ = false;
    lastOutSeq_ = uint16_t(seq - 1);
    lastInSeq_ = uint16_t(seq - 1);
    haveTimestamp_ = false;
  } else if (resync_) {
    // First packet after injected ones: continue right after the last sequence number sent,
    // whatever the forwarded stream did meanwhile (its packets were dropped).
    seqOffset_ = uint16_t(lastOutSeq_ + 1 - seq);
    resync_ = false;
  }

  const uint16_t out = uint16_t(seq + seqOffset_);
  if (guardInjected_) {
    const auto after = int16_t(out - lastInjectedSeq_);
    if (after <= 0) {
      // Reordered from before the event: its number is taken by an injected packet.
      ++packetsDropped_;
      return false;
    }
    if (after > 0x1000) guardInjected_ = false;  // far past; serial comparison would wrap
  }
  store16(p + 2, out);
  if (int16_t(out - lastOutSeq_) > 0) lastOutSeq_ = out;
  if (!haveTimestamp_ || int16_t(seq - lastInSeq_) > 0) {
    lastTimestamp_ = timestamp;
    lastTimestampAt_ = now;
    haveTimestamp_ = true;
  }
  if (int16_t(seq - lastInSeq_) > 0) lastInSeq_ = seq;
  return true;
}

Result<void> DtmfInjector::send(std::string_view digits, uint8_t payloadType, uint32_t clockRate) {
  if (digits.empty()) return makeError("No DTMF digits");
  if (payloadType > 127) return makeError("Invalid telephone-event payload type");
  if (clockRate == 0) return makeError("Invalid telephone-event clock rate");
  for (char c : digits) {
    if (!eventForDigit(c)) return makeError("Invalid DTMF digit");
  }
  if (queue_.size() + digits.size() > kMaxQueuedDigits) return makeError("Too many DTMF digits queued");
  for (char c : digits) queue_.push_back(Queued{*eventForDigit(c), payloadType, clockRate});
  if (playing_ || waiting_) return {};

  // Idle: keep the gap after a digit of an earlier send().
  const auto at = lastEventEndAt_ + timing_.gap;
  if (lastEventEndAt_ != Clock::time_point{} && at > Clock::now()) {
    waiting_ = true;
    armAt(at, &DtmfInjector::startNext);
  } else {
    startNext();
  }
  return {};
}

void DtmfInjector::stop() {
  ++generation_;
  timer_.cancel();
  queue_.clear();
  playing_ = false;
  waiting_ = false;
}

void DtmfInjector::armAt(Clock::time_point at, void (DtmfInjector::*step)()) {
  timer_.expires_at(at);
  std::weak_ptr<char> alive = alive_;
  const uint64_t generation = generation_;
  timer_.async_wait([this, alive, generation, step](const boost::system::error_code& ec) {
    if (ec || alive.expired() || generation != generation_) return;
    (this->*step)();
  });
}

void DtmfInjector::startNext() {
  waiting_ = false;
  if (queue_.empty()) return;
  current_ = queue_.front();
  queue_.pop_front();
  const auto now = Clock::now();

  if (!haveStream_) {
    // Nothing forwarded yet: RFC 3550 §5.1 random initial values.
    haveStream_ = true;
    ssrc_ = randomU32();
    lastOutSeq_ = uint16_t(randomU32());
    lastInSeq_ = 0;
    seqOffset_ = 0;
    resync_ = false;
    guardInjected_ = false;
    haveTimestamp_ = false;
  }
  // §2.3.1: the event timestamp is when the event began, on the stream's clock.
  if (haveTimestamp_) {
    const auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(now - lastTimestampAt_).count();
    const uint64_t ticks = uint64_t(std::max<int64_t>(elapsed, 0)) * current_.clockRate / 1'000'000;
    eventTimestamp_ = uint32_t(lastTimestamp_ + ticks);
  } else {
    eventTimestamp_ = randomU32();
  }
  lastTimestamp_ = eventTimestamp_;
  lastTimestampAt_ = now;
  haveTimestamp_ = true;

  step_ = uint32_t(std::max<uint64_t>(1, uint64_t(timing_.packetInterval.count()) * current_.clockRate / 1000));
  const uint64_t tone = uint64_t(timing_.toneDuration.count()) * current_.clockRate / 1000;
  toneSamples_ = uint16_t(std::clamp<uint64_t>(tone, 1, 0xffff));
  packetIndex_ = 0;
  endsSent_ = 0;
  playing_ = true;
  nextAt_ = now;
  ++eventsSent_;
  sendEventPacket();
}

void DtmfInjector::sendEventPacket() {
  // §2.5.1.2: the duration grows with each update; §2.5.1.4: the final duration is repeated
  // with the E bit, each copy in its own packet (new sequence number, same timestamp).
  const uint64_t grown = uint64_t(packetIndex_ + 1) * step_;
  const bool end = grown >= toneSamples_;
  const TelephoneEvent event{current_.event, end, timing_.volume, end ? toneSamples_ : uint16_t(grown)};
  const RtpFields rtp{current_.payloadType, packetIndex_ == 0 && endsSent_ == 0, ++lastOutSeq_, eventTimestamp_,
                      ssrc_};
  writeTelephoneEventPacket(packet_, rtp, event);
  lastInjectedSeq_ = rtp.sequenceNumber;
  guardInjected_ = true;
  resync_ = true;
  ++packetsInjected_;
  if (end) {
    ++endsSent_;
  } else {
    ++packetIndex_;
  }
  const bool last = end && endsSent_ >= timing_.endRepeats;
  if (last) finishEvent();

  const uint64_t generation = generation_;
  send_(std::span<const uint8_t>(packet_));
  if (last || generation != generation_) return;  // stop() from inside the callback
  nextAt_ += timing_.packetInterval;
  armAt(nextAt_, &DtmfInjector::sendEventPacket);
}

void DtmfInjector::finishEvent() {
  playing_ = false;
  lastEventEndAt_ = Clock::now();
  if (queue_.empty()) return;
  waiting_ = true;
  armAt(lastEventEndAt_ + timing_.gap, &DtmfInjector::startNext);
}

}  // namespace callgate::media::dtmf

#pragma once
// Injects RFC 4733 DTMF events into one forwarded RTP stream (one direction of one leg).
//
// The injector sits just before the stream's send: the owner calls onForwarded() for every
// packet it relays (after payload-type mapping) and sends it only when that returns true.
// Injected packets and forwarded packets then form one stream: the same SSRC and one
// continuous RTP sequence (RFC 3550 §5.1), since onForwarded() rewrites the forwarded
// packets' sequence numbers in place around the injected ones. Audio is dropped while an
// event plays (RFC 4733 §2.5.1.1: the tone replaces the audio, so the receiver never
// plays both), and resumes between digits.
//
// Per event (RFC 4733 §2.5.1): all packets share the RTP timestamp of the event start,
// which is the stream's current timestamp extrapolated from the last forwarded packet (or a
// random base when nothing was forwarded yet, with a random SSRC and sequence number too);
// the first packet has the marker bit; one packet per packetInterval whose duration grows
// by packetInterval; the final packet has the E bit and is sent `endRepeats` times, each
// copy with a new sequence number and the same timestamp and duration (§2.5.1.4).
//
// Threading: everything on the io_context's thread. The send callback is called
// synchronously from send() (first packet of the first digit when idle) and from timer
// handlers of `io`; it must not destroy the injector (it may call stop()). Destroying the
// injector cancels its timers. No allocation per forwarded packet; one reused buffer for
// the injected ones.
#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <span>
#include <string_view>

#include "common/result.hpp"
#include "media/dtmf/telephone_event.hpp"

namespace callgate::media::dtmf {

struct DtmfTiming {
  // Tone length; capped so the duration fits the 16-bit field (§2.5.1.3 long events are
  // not needed for DTMF: 65535 samples are 8 s at 8 kHz, 1.36 s at 48 kHz).
  std::chrono::milliseconds toneDuration{100};
  std::chrono::milliseconds gap{60};             // silence between the end of one digit and the next
  std::chrono::milliseconds packetInterval{20};  // one packet per interval while the tone plays
  unsigned endRepeats = 3;                       // copies of the final (E) packet, at least 1
  uint8_t volume = 10;                           // -dBm0, 0..63
};

class DtmfInjector {
 public:
  using Clock = std::chrono::steady_clock;
  using SendFn = std::function<void(std::span<const uint8_t>)>;

  DtmfInjector(boost::asio::io_context& io, SendFn send, DtmfTiming timing = {});
  ~DtmfInjector();
  DtmfInjector(const DtmfInjector&) = delete;
  DtmfInjector& operator=(const DtmfInjector&) = delete;

  // For every packet of the stream, just before it is sent. Learns the stream (SSRC, last
  // timestamp and when it was seen) and rewrites the sequence number in place. Returns false
  // when the packet must be dropped (an event is playing, or it is a late packet from before
  // injected ones). Packets too short to be RTP are left alone and return true.
  bool onForwarded(std::span<uint8_t> rtpPacket);

  // Queues `digits` ('0'-'9', '*', '#', 'A'-'D', either case) to be played one after the
  // other with payload type `payloadType` (the telephone-event PT negotiated on this stream)
  // and `clockRate` (its RTP clock, the same as the audio's). Nothing is queued when any
  // digit is invalid ("Invalid DTMF digit"). Digits queue behind those already playing.
  Result<void> send(std::string_view digits, uint8_t payloadType, uint32_t clockRate);

  // Cancels the timers and the queue. An event cut short gets no end packet.
  void stop();
  // True from send() until the last queued digit's final end packet went out.
  bool busy() const { return playing_ || !queue_.empty(); }

  // Counters for the call's record.
  uint64_t eventsSent() const { return eventsSent_; }
  uint64_t packetsInjected() const { return packetsInjected_; }
  uint64_t packetsDropped() const { return packetsDropped_; }

  static constexpr size_t kMaxQueuedDigits = 256;

 private:
  struct Queued {
    uint8_t event;
    uint8_t payloadType;
    uint32_t clockRate;
  };
  void startNext();
  void sendEventPacket();
  void finishEvent();
  void armAt(Clock::time_point at, void (DtmfInjector::*step)());

  SendFn send_;
  DtmfTiming timing_;
  boost::asio::steady_timer timer_;
  std::deque<Queued> queue_;

  // The outgoing stream.
  bool haveStream_ = false;
  uint32_t ssrc_ = 0;
  uint16_t seqOffset_ = 0;  // outgoing seq = forwarded seq + seqOffset_
  uint16_t lastOutSeq_ = 0;  // newest sequence number sent (serial order)
  uint16_t lastInSeq_ = 0;   // newest forwarded sequence number seen, before rewriting
  bool resync_ = false;      // the next forwarded packet re-anchors seqOffset_ after injected ones
  bool guardInjected_ = false;  // drop forwarded packets mapped at or before lastInjectedSeq_
  uint16_t lastInjectedSeq_ = 0;
  bool haveTimestamp_ = false;
  uint32_t lastTimestamp_ = 0;
  Clock::time_point lastTimestampAt_{};

  // The event playing, or the gap before the next one.
  bool playing_ = false;
  bool waiting_ = false;  // the gap timer runs; queue_ is not empty
  Clock::time_point lastEventEndAt_{};
  Queued current_{};
  uint32_t eventTimestamp_ = 0;
  uint32_t step_ = 0;        // duration increment per packet, in timestamp units
  uint16_t toneSamples_ = 0;  // final duration
  uint32_t packetIndex_ = 0;
  unsigned endsSent_ = 0;
  Clock::time_point nextAt_{};
  std::array<uint8_t, kTelephoneEventPacketSize> packet_{};

  uint64_t eventsSent_ = 0, packetsInjected_ = 0, packetsDropped_ = 0;
  uint64_t generation_ = 0;  // bumps on stop(): handlers already queued do nothing
  std::shared_ptr<char> alive_ = std::make_shared<char>();
};

}  // namespace callgate::media::dtmf

#pragma once
// MediaPlan: what the offer/answer exchange decided for one m-line, in the form the media
// relay needs (addresses, payload-type maps, directions). Produced by buildWebRtcAnswer
// (outgoing calls); the incoming-call builders will produce the same type.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sdp/attributes.hpp"

namespace callgate::sdp {

// RTP payload type translation table, 0..127 -> 0..127 or unmapped. Fixed size so the
// relay looks a PT up without allocating or hashing.
class PtMap {
 public:
  PtMap() { map_.fill(kUnmapped); }
  void set(uint8_t from, uint8_t to) {
    if (from < 128 && to < 128) map_[from] = static_cast<int8_t>(to);
  }
  // Sets only if `from` is still unmapped; returns whether it was set.
  bool setIfUnmapped(uint8_t from, uint8_t to) {
    if (from >= 128 || map_[from] != kUnmapped) return false;
    set(from, to);
    return true;
  }
  std::optional<uint8_t> lookup(uint8_t from) const {
    if (from >= 128 || map_[from] == kUnmapped) return std::nullopt;
    return static_cast<uint8_t>(map_[from]);
  }
  bool operator==(const PtMap&) const = default;

 private:
  static constexpr int8_t kUnmapped = -1;
  std::array<int8_t, 128> map_{};
};

// One codec both sides agreed on, with its payload type on each side.
struct CodecMapping {
  std::string name;  // as the SIP answer wrote it
  uint32_t clockRate = 0;
  uint32_t channels = 1;
  uint8_t browserPt = 0;
  uint8_t sipPt = 0;
  std::optional<std::string> fmtp;  // the SIP side's fmtp
};

struct MediaPlan {
  size_t index = 0;   // m-line index (same in the browser and SIP descriptions)
  std::string media;  // "audio", "video", ...
  std::optional<std::string> mid;
  bool active = false;  // false: rejected (port 0) on both sides; nothing to relay

  // The answering SIP peer's RTP destination: media-level c= overriding session-level c=,
  // port from m=. RTCP goes to a=rtcp (RFC 3605) or RTP port + 1 (RFC 3550 §11).
  std::string sipRemoteAddress;
  uint16_t sipRemoteRtpPort = 0;
  std::string sipRemoteRtcpAddress;
  uint16_t sipRemoteRtcpPort = 0;

  // Directions as written in each description: sipDirection from the SIP answer (the
  // peer's view), browserDirection as written in our answer to the browser (the gateway's
  // view, which mirrors the SIP peer's: a sendonly SIP peer makes us sendonly to the
  // browser, which then only receives).
  Direction sipDirection = Direction::SendRecv;
  Direction browserDirection = Direction::SendRecv;
  bool relayBrowserToSip = false;  // forward RTP received from the browser to SIP
  bool relaySipToBrowser = false;  // forward RTP received from SIP to the browser

  // Agreed codecs in the SIP answer's order of preference (first = the one to send).
  std::vector<CodecMapping> codecs;
  // RTP received from SIP -> PT to send to the browser. Holds both the SIP answer's PT
  // numbers and our SIP offer's (= the browser's) numbers: RFC 3264 §5.1 says the peer
  // sends with the PTs we offered, but many (Asterisk) send with their own.
  PtMap sipToBrowserPt;
  // RTP received from the browser -> PT to send to SIP (the SIP answer's numbers, which
  // the peer said it expects to receive, RFC 3264 §6.1).
  PtMap browserToSipPt;
  std::optional<uint8_t> browserTelephoneEventPt;  // telephone-event/8000 preferred
  std::optional<uint8_t> sipTelephoneEventPt;
  // The SIP side's description lists a=rtcp-fb "nack pli" or "ccm fir" for an agreed codec
  // (RFC 4585 §4.2, RFC 5104 §7.1): it takes keyframe requests over RTCP. Without, a browser's
  // PLI is also sent as SIP INFO picture_fast_update (RFC 5168), what such phones understand.
  bool sipKeyframeFeedback = false;

  uint32_t localSsrc = 0;  // SSRC we announced to the browser (0: none announced)
};

}  // namespace callgate::sdp

#pragma once
// RTP payload formats of a media section, resolved from m= formats, a=rtpmap, a=fmtp and
// a=rtcp-fb, and the list of codecs SIP phones understand (what the gateway passes through
// without transcoding).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sdp/session_description.hpp"

namespace callgate::sdp {

struct Codec {
  uint8_t pt = 0;
  std::string name;  // encoding name as written ("opus", "PCMU", "telephone-event")
  uint32_t clockRate = 0;
  uint32_t channels = 1;
  std::optional<std::string> fmtp;
  std::vector<std::string> rtcpFb;  // "nack", "nack pli", "ccm fir", ... for this PT or "*"

  bool is(std::string_view encoding) const;  // case-insensitive name compare
};

// The codecs of an RTP media section in m= order. Static payload types without an
// a=rtpmap are resolved with the RFC 3551 §6 table; a dynamic type without an rtpmap, a
// non-numeric format or a PT listed twice is skipped.
std::vector<Codec> codecs(const MediaDescription& m);

// RFC 3551 §6 static assignment (0 PCMU, 8 PCMA, 9 G722, 18 G729, ...), or nullopt.
std::optional<Codec> staticCodec(uint8_t pt);

// Same encoding name (case-insensitive, RFC 4855 §3), clock rate and channel count.
bool sameFormat(const Codec& a, const Codec& b);

// H.264 packetization-mode (RFC 6184 §8.1; 0 when absent) and profile-level-id's first
// two bytes (profile_idc + profile-iop, "42e0"), used to pair H.264 variants.
int h264PacketizationMode(const Codec& c);
std::string h264Profile(const Codec& c);

// True for the formats the gateway relays to SIP unchanged: audio opus/48000/2,
// G722/8000, PCMU/8000, PCMA/8000, telephone-event/8000 and /48000; video VP8/90000 and
// H264/90000 with packetization-mode=1.
bool isSipCompatible(const Codec& c, std::string_view media);

// An answer codec paired with the offer codec it accepts.
struct CodecMatch {
  Codec answer;
  Codec offer;
};
// For each answer codec, in answer order, the first offer codec not yet paired with the
// same format (sameFormat); for H.264 the packetization-mode must also agree and an equal
// profile is preferred. An answer H.264 without fmtp pairs with the first offered H.264
// (some phones drop the fmtp line). Answer codecs without a partner are left out.
std::vector<CodecMatch> matchCodecs(const std::vector<Codec>& answer,
                                    const std::vector<Codec>& offer);

// Appends the codec to a media section: its PT to m= formats, a=rtpmap, a=fmtp (if any)
// and, when withRtcpFb, its a=rtcp-fb lines.
void appendCodec(MediaDescription& m, const Codec& c, bool withRtcpFb);

}  // namespace callgate::sdp

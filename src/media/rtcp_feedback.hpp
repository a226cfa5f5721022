#pragma once
// RTCP filtering between the browser and a SIP peer, in place and without allocation.
//
// The relay rewrites the SSRC of SIP -> browser RTP to the one announced in our SDP
// (MediaPlan::localSsrc) and leaves browser -> SIP RTP untouched. So:
// - Browser -> SIP: a keyframe request the browser sends names the SSRC we announced; the
//   phone only knows its own. PLI (RFC 4585 §6.3.1) and FIR (RFC 5104 §4.3.1) are kept with
//   that SSRC rewritten to the peer's real one. REMB (draft-alvestrand-rmcat-remb) and
//   transport-cc (draft-holmer-rmcat-transport-wide-cc-extensions) describe the WebRTC leg's
//   bandwidth, which callgate terminates; they and any other feedback (NACK, APP, XR, ...) are
//   dropped. SR/RR/SDES/BYE pass when the route takes reports.
// - SIP -> browser: only PLI/FIR pass; their media SSRC already names the browser's stream.
//   The sender SSRC (the phone's, unknown to the browser) becomes the one we announced.
// A filtered compound that would start with feedback gets an empty RR in front when the
// buffer has room (RFC 4585 §3.1: feedback travels in compound packets unless RFC 5506
// reduced-size RTCP was negotiated, which SIP phones usually did not).
// Malformed input (any length or version that does not add up, RtcpWalker) yields length 0.
#include <cstddef>
#include <cstdint>
#include <span>

namespace callgate::media {

// What happened to one datagram; `length` is the bytes to send (0: send nothing).
struct RtcpFilterResult {
  size_t length = 0;
  uint16_t keyframeRequests = 0;  // PLI + FIR kept
  // Browser -> SIP: a PLI/FIR named this route's announced SSRC, kept or not (the SIP peer's
  // SSRC may be unknown yet). The caller may then ask the phone another way (SIP INFO).
  bool keyframeAsked = false;
  uint16_t dropped = 0;           // packets removed from the compound
  bool malformed = false;
};

// Browser -> one SIP m-line.
struct BrowserRtcpRoute {
  uint32_t announcedSsrc = 0;  // the SSRC we present to the browser on this m-line
  uint32_t peerSsrc = 0;       // the SIP peer's SSRC there, learned from its RTP (0: unknown -> PLI/FIR dropped)
  bool keepReports = false;    // SR/RR/SDES/BYE go to this m-line
};

// `buffer` starts with the compound packet of `length` bytes; bytes after it up to
// buffer.size() may be used for the prepended RR. Packets are compacted in place.
RtcpFilterResult filterBrowserRtcp(std::span<uint8_t> buffer, size_t length, const BrowserRtcpRoute& route);

// SIP -> browser: PLI/FIR only, sender SSRC set to `announcedSsrc` (when nonzero).
RtcpFilterResult filterSipRtcp(std::span<uint8_t> buffer, size_t length, uint32_t announcedSsrc);

// Writes a compound RR (no report blocks) + PLI (RFC 4585 §6.3.1) asking `mediaSsrc` for a
// keyframe; returns its size (kPliCompoundSize), or 0 if `out` is too small.
size_t writePliCompound(std::span<uint8_t> out, uint32_t senderSsrc, uint32_t mediaSsrc);

// RTCP packet types and feedback message types used here (RFC 3550 §12.1, RFC 4585 §6,
// RFC 5104 §4.3).
inline constexpr uint8_t kRtcpSr = 200;
inline constexpr uint8_t kRtcpRr = 201;
inline constexpr uint8_t kRtcpSdes = 202;
inline constexpr uint8_t kRtcpBye = 203;
inline constexpr uint8_t kRtcpRtpfb = 205;
inline constexpr uint8_t kRtcpPsfb = 206;
inline constexpr uint8_t kFmtPli = 1;
inline constexpr uint8_t kFmtFir = 4;
inline constexpr uint8_t kFmtAfb = 15;  // application layer feedback (REMB); RTPFB 15 = transport-cc
inline constexpr size_t kEmptyRrSize = 8;
inline constexpr size_t kPliCompoundSize = kEmptyRrSize + 12;

}  // namespace callgate::media

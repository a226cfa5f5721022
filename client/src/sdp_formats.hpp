#pragma once
// RTP payload formats read from SDP text: what an offer lists, what an answer chose, our
// choice from an offer, and the port fix-up for bundle-only m-lines. A small line scanner
// (m=, a=rtpmap, a=fmtp), enough for the descriptions webrtcbin and callgate write; the
// client library does not link callgate's sdp module (it builds standalone).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace callgate::client::detail {

std::string upperAscii(std::string_view s);

// One RTP payload format (an SDP rtpmap + fmtp).
struct RtpFormat {
  std::string media;         // "audio" / "video"
  std::string encodingName;  // upper case: OPUS, PCMU, PCMA, TELEPHONE-EVENT, VP8, H264
  int payload = 0;
  unsigned clockRate = 0;
  int channels = 1;  // audio
  std::string fmtp;  // "minptime=10;useinbandfec=1", "packetization-mode=1;..."

  std::string sdpName() const;  // "OPUS/48000/2", "PCMU/8000", "VP8/90000"
  bool isMedia() const;         // false for telephone-event, CN, rtx, red, FEC
};

// The formats of the first m=<media> section of an SDP text with a non-zero port, in m=
// order (rtpmap, fmtp; static PTs 0 and 8 without rtpmap resolved). Empty if none.
std::vector<RtpFormat> sdpFormats(const std::string& sdp, std::string_view media);
// An answer's choice: its first media format for that kind.
std::optional<RtpFormat> answeredFormat(const std::string& sdp, std::string_view media);
// For an incoming offer: the first of `ours` (preference order) the offer lists (same
// name, clock rate, channels; H.264 also packetization-mode 1), with the offer's PT and fmtp.
std::optional<RtpFormat> chooseFromOffer(const std::vector<RtpFormat>& offered, const std::vector<RtpFormat>& ours);

// webrtcbin's max-bundle descriptions give every m-line but the first port 0 and
// a=bundle-only (RFC 8843 §7.2.1 / §7.3.1). callgate, like most SIP-facing gateways, reads
// port 0 as a refused stream, so the text we send carries port 9 and no bundle-only on those
// m-lines — what a browser's default "balanced" policy offers; the BUNDLE group still says
// they share the first m-line's transport.
std::string withoutBundleOnly(const std::string& sdp);

}  // namespace callgate::client::detail

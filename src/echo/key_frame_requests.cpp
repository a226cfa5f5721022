#include "echo/key_frame_requests.hpp"

#include <cstring>

#include "media/rtcp_feedback.hpp"
#include "media/rtp/rtcp_packet.hpp"

namespace callgate::echo {

using media::kFmtFir;  // RFC 5104 §4.3.1
using media::kFmtPli;  // RFC 4585 §6.3.1

size_t turnAroundKeyFrameRequests(ByteView in, uint32_t echoSsrc, uint32_t callerSsrc, MutableByteView out) {
  media::rtp::RtcpWalker walker(in);
  media::rtp::RtcpPacketView p;
  size_t written = 0;
  while (walker.next(p)) {
    if (p.type != uint8_t(media::rtp::RtcpType::PayloadFeedback) || (p.count != kFmtPli && p.count != kFmtFir)) continue;
    // Common feedback header: sender SSRC, media source SSRC (RFC 4585 §6.1).
    if (p.body.size() < 8 || p.packet.size() > out.size() - written) continue;
    if (p.count == kFmtFir && (p.body.size() - 8) % 8 != 0) continue;
    uint8_t* dst = out.data() + written;
    std::memcpy(dst, p.packet.data(), p.packet.size());
    dst[0] &= ~0x20;  // no padding in what we write (the copied body is unpadded)
    store16(dst + 2, uint16_t((4 + p.body.size()) / 4 - 1));
    store32(dst + 4, echoSsrc);
    if (p.count == kFmtPli) {
      store32(dst + 8, callerSsrc);
    } else {
      // FIR: media source SSRC unused (0); each 8-byte FCI entry names the SSRC to refresh.
      for (size_t off = 12; off + 8 <= 4 + p.body.size(); off += 8) store32(dst + off, callerSsrc);
    }
    written += 4 + p.body.size();
  }
  return written;
}

}  // namespace callgate::echo

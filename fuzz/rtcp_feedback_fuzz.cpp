// RTCP feedback filter fuzzer (media/rtcp_feedback.hpp). Both directions run in place on a
// copy with tailroom; the result must stay inside the buffer, be a well-formed compound that
// only holds what the direction allows, and filtering it again must keep it as it is.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "common/bytes.hpp"
#include "media/rtcp_feedback.hpp"
#include "media/rtp/rtcp_packet.hpp"

using namespace callgate;
using namespace callgate::media;

namespace {

// Checks the output compound; returns false when it holds a packet type it must not.
bool onlyAllowed(const uint8_t* data, size_t length, bool reports) {
  rtp::RtcpWalker walker(ByteView(data, length));
  rtp::RtcpPacketView p;
  size_t total = 0;
  while (walker.next(p)) {
    total += p.packet.size();
    const bool feedback = p.type == kRtcpPsfb && (p.count == kFmtPli || p.count == kFmtFir);
    const bool report = p.type == kRtcpSr || p.type == kRtcpRr || p.type == kRtcpSdes || p.type == kRtcpBye;
    // An empty RR may be prepended in either direction.
    if (!feedback && !(report && (reports || (p.type == kRtcpRr && p.count == 0)))) return false;
  }
  return !walker.error() && total == length;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 9) return 0;
  // First byte: route flags; next 8: announced and peer SSRC seeds; the rest is RTCP.
  const bool keepReports = data[0] & 1;
  const bool tight = data[0] & 2;  // no room for the prepended RR
  const uint32_t announced = load32(data + 1);
  const uint32_t peer = load32(data + 5);
  const uint8_t* rtcp = data + 9;
  const size_t len = size - 9;

  for (int direction = 0; direction < 2; ++direction) {
    std::vector<uint8_t> buffer(len + (tight ? 0 : kEmptyRrSize));
    if (len) std::memcpy(buffer.data(), rtcp, len);
    const BrowserRtcpRoute route{announced, peer, keepReports};
    auto r = direction == 0 ? filterBrowserRtcp(buffer, len, route) : filterSipRtcp(buffer, len, announced);
    if (r.length > buffer.size()) std::abort();
    if (r.malformed && r.length != 0) std::abort();
    if (r.length == 0) continue;
    if (!onlyAllowed(buffer.data(), r.length, direction == 0 && keepReports)) std::abort();
    // Idempotence of the SIP direction: its output passes unchanged (sender already ours).
    if (direction == 1 && announced) {
      std::vector<uint8_t> again(buffer.begin(), buffer.begin() + long(r.length));
      again.resize(r.length + (tight ? 0 : kEmptyRrSize));
      auto r2 = filterSipRtcp(again, r.length, announced);
      if (r2.length != r.length || std::memcmp(again.data(), buffer.data(), r.length) != 0) std::abort();
    }
  }
  return 0;
}

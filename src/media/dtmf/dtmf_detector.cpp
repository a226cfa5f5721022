#include "media/dtmf/dtmf_detector.hpp"

namespace callgate::media::dtmf {

std::optional<char> DtmfDetector::onPacket(ByteView rtpPacket, uint8_t telephoneEventPt) {
  const auto packet = parseTelephoneEventPacket(rtpPacket, telephoneEventPt);
  if (!packet) return std::nullopt;

  bool isNew = true;
  if (last_ && last_->ssrc == packet->ssrc) {
    // RFC 3550 serial arithmetic: timestamps wrap at 2^32.
    const auto ahead = int32_t(packet->timestamp - last_->timestamp);
    if (ahead < 0) return std::nullopt;  // a late packet of an older event
    if (ahead == 0) {
      isNew = false;
    } else if (!packet->marker && !last_->event.end && packet->event.event == last_->event.event &&
               uint32_t(ahead) == last_->event.duration) {
      isNew = false;  // §2.5.1.3: the next segment of a long-duration event
    }
  }
  if (!isNew) {
    // Keep the newest state of the current event (duration, E bit); ignore reordered
    // packets of the same event that report less than we know already.
    if (packet->event.end || packet->event.duration >= last_->event.duration) last_ = packet;
    return std::nullopt;
  }
  last_ = packet;
  const char digit = digitForEvent(packet->event.event);
  if (digit == '\0') return std::nullopt;
  return digit;
}

}  // namespace callgate::media::dtmf

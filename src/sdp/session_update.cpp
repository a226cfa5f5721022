#include "sdp/session_update.hpp"

#include <charconv>

#include "sdp/codec.hpp"
#include "sdp/plan_builder.hpp"

namespace callgate::sdp {

namespace {

std::optional<Connection> connectionFor(const SessionDescription& sdp, const MediaDescription& m) {
  if (m.connection) return m.connection;
  return sdp.connection;
}

bool isNullAddress(const std::optional<Connection>& c) {
  return c && (c->address == "0.0.0.0" || c->address == "::");
}

// The peer's own direction, with RFC 2543 hold (c=0.0.0.0) read as "sends nothing to us
// and takes nothing": inactive.
Direction peerDirection(const SessionDescription& sdp, const MediaDescription& m) {
  if (isNullAddress(connectionFor(sdp, m))) return Direction::Inactive;
  return direction(sdp, m);
}

std::string nextVersion(const std::string& version) {
  uint64_t v = 0;
  std::from_chars(version.data(), version.data() + version.size(), v);
  return std::to_string(v + 1);
}

}  // namespace

SessionDescription nextLocalDescription(const SessionDescription& previous, Direction direction,
                                        const std::vector<std::optional<Direction>>& perMLine) {
  SessionDescription next = previous;
  next.origin.sessionVersion = nextVersion(previous.origin.sessionVersion);
  for (size_t i = 0; i < next.media.size(); ++i) {
    if (next.media[i].port == 0) continue;
    Direction d = i < perMLine.size() && perMLine[i] ? *perMLine[i] : direction;
    setDirection(next.media[i], d);
  }
  next.remove("sendrecv");
  next.remove("sendonly");
  next.remove("recvonly");
  next.remove("inactive");
  return next;
}

Direction answerDirection(const SessionDescription& offer, const MediaDescription& m) {
  if (isNullAddress(connectionFor(offer, m))) return Direction::Inactive;
  return reverse(direction(offer, m));
}

Result<void> refreshPlans(std::vector<MediaPlan>& plans, const SessionDescription& remote, bool isOffer) {
  if (remote.media.size() < plans.size()) return makeError("the new SDP has fewer m-lines than the call");
  for (auto& plan : plans) {
    if (!plan.active) continue;
    const MediaDescription& m = remote.media[plan.index];
    if (m.media != plan.media) return makeError("m-line " + std::to_string(plan.index) + " changed its media type");
    if (isOffer && m.port != 0) {
      bool common = false;
      for (const auto& offered : codecs(m)) {
        for (const auto& agreed : plan.codecs) {
          Codec c;
          c.name = agreed.name;
          c.clockRate = agreed.clockRate;
          c.channels = agreed.channels;
          c.fmtp = agreed.fmtp;
          if (sameFormat(offered, c)) {
            common = true;
            // The peer may send with its new numbers: map them too.
            plan.sipToBrowserPt.setIfUnmapped(offered.pt, agreed.browserPt);
          }
        }
      }
      if (!common) return makeError("No common codecs in the new offer for m-line " + std::to_string(plan.index));
    }
    auto conn = connectionFor(remote, m);
    if (!conn) return makeError("no c= for m-line " + std::to_string(plan.index));
    detail::setSipRemote(plan, *conn, m);
    plan.sipDirection = m.port == 0 ? Direction::Inactive : peerDirection(remote, m);
    plan.relaySipToBrowser = sends(plan.sipDirection);
    plan.relayBrowserToSip = receives(plan.sipDirection) && m.port != 0;
  }
  return {};
}

bool isRemoteHold(const SessionDescription& remote) {
  bool any = false;
  for (const auto& m : remote.media) {
    if (m.port == 0 || (m.media != "audio" && m.media != "video")) continue;
    any = true;
    Direction d = peerDirection(remote, m);
    if (d != Direction::SendOnly && d != Direction::Inactive) return false;
  }
  return any;
}

}  // namespace callgate::sdp

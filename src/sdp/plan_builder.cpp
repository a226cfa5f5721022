#include "sdp/plan_builder.hpp"

namespace callgate::sdp::detail {

void addCodecMapping(MediaPlan& plan, const Codec& browser, const Codec& sip) {
  plan.codecs.push_back(
      CodecMapping{sip.name, sip.clockRate, sip.channels, browser.pt, sip.pt, sip.fmtp});
  plan.sipToBrowserPt.set(sip.pt, browser.pt);
  plan.browserToSipPt.set(browser.pt, sip.pt);
  for (const auto& fb : sip.rtcpFb)
    if (fb == "nack pli" || fb == "ccm fir") plan.sipKeyframeFeedback = true;
  if (sip.is("telephone-event") && (!plan.browserTelephoneEventPt || sip.clockRate == 8000)) {
    plan.browserTelephoneEventPt = browser.pt;
    plan.sipTelephoneEventPt = sip.pt;
  }
}

void acceptBrowserPtsFromSip(MediaPlan& plan) {
  for (const auto& c : plan.codecs) plan.sipToBrowserPt.setIfUnmapped(c.browserPt, c.browserPt);
}

void setSipRemote(MediaPlan& plan, const Connection& conn, const MediaDescription& sip) {
  plan.sipRemoteAddress = conn.address;
  plan.sipRemoteRtpPort = sip.port;
  plan.sipRemoteRtcpAddress = conn.address;
  plan.sipRemoteRtcpPort = sip.port < 65535 ? static_cast<uint16_t>(sip.port + 1) : 0;
  if (auto r = rtcp(sip)) {
    plan.sipRemoteRtcpPort = r->port;
    if (r->connection) plan.sipRemoteRtcpAddress = r->connection->address;
  }
}

void setDirections(MediaPlan& plan, Direction browserOwn, Direction sipOwn) {
  const bool sipTakesMedia = plan.sipRemoteAddress != "0.0.0.0" && plan.sipRemoteAddress != "::";
  plan.sipDirection = sipOwn;
  plan.relaySipToBrowser = sends(sipOwn) && receives(browserOwn);
  plan.relayBrowserToSip = sends(browserOwn) && receives(sipOwn) && sipTakesMedia;
  plan.browserDirection = makeDirection(plan.relaySipToBrowser, plan.relayBrowserToSip);
}

}  // namespace callgate::sdp::detail

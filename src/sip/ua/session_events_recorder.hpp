#pragma once
// Test helper: implements the mid-call part of the INVITE listeners (InviteSession::Listener)
// by recording events, on top of whichever listener `Base` is. Answers offers with
// `answerSdp` (or refuses them when `refuseOffers`) and offers `offerSdp` when asked.
#include <string>
#include <vector>

#include "common/result.hpp"

namespace callgate::sip::ua {

template <class Base>
struct SessionEventsRecorder : Base {
  Result<std::string> onRemoteOffer(const std::string& sdp) override {
    events.push_back("remoteOffer");
    lastSdp = sdp;
    if (refuseOffers) return makeError("no common codec");
    return answerSdp;
  }
  std::string onOfferRequested() override {
    events.push_back("offerRequested");
    return offerSdp;
  }
  void onRemoteAnswer(const std::string& sdp) override {
    events.push_back("remoteAnswer");
    lastSdp = sdp;
  }
  void onOfferRejected(int status, const std::string&) override {
    events.push_back("offerRejected " + std::to_string(status));
  }
  void onInfo(const std::string& contentType, const std::string& body) override {
    events.push_back("info " + contentType);
    lastSdp = body;
  }
  void onInfoFailed(const std::string& contentType, int status) override {
    events.push_back("infoFailed " + contentType + " " + std::to_string(status));
  }

  void onTransferProgress(int status, const std::string&, bool final) override {
    events.push_back("transfer " + std::to_string(status) + (final ? " final" : ""));
  }
  Result<void> onReferRequested(const std::string& referTo) override {
    events.push_back("refer " + referTo);
    if (acceptRefers) return {};
    return makeError("transfers are refused here");
  }

  std::vector<std::string> events;
  std::string lastSdp;
  std::string answerSdp = "v=0\r\n";
  std::string offerSdp = "v=0\r\n";
  bool refuseOffers = false;
  bool acceptRefers = false;
};

}  // namespace callgate::sip::ua

#include "gateway/call.hpp"

#include <cctype>

#include <boost/asio/post.hpp>

#include "common/log.hpp"
#include "gateway/referred_leg.hpp"
#include "sdp/parser.hpp"
#include "sdp/session_update.hpp"
#include "sdp/writer.hpp"
#include "sip/identity_validation.hpp"

namespace callgate::gateway {

// A callee typed as a plain user or user@host must already be a valid SIP user part: a
// number with a space is refused with the reason rather than silently escaped into a
// different number (mission.md "Known problem"). Full sip:/sips:/tel: URIs are parsed by
// the UA as given, escapes included.
Result<void> validateCallee(std::string_view callee, std::string_view what) {
  for (std::string_view scheme : {"sip:", "sips:", "tel:"})
    if (callee.substr(0, scheme.size()) == scheme) return {};
  auto at = callee.find('@');
  if (auto r = sip::validateUserPart(callee.substr(0, at)); !r) return makeError("Invalid " + std::string(what) + ": " + r.error().message);
  if (at != std::string_view::npos) {
    std::string_view host = callee.substr(at + 1);
    if (!host.empty() && host.front() != '[')
      if (auto colon = host.rfind(':'); colon != std::string_view::npos) host = host.substr(0, colon);
    if (auto r = sip::validateHost(host); !r) return makeError("Invalid " + std::string(what) + ": " + r.error().message);
  }
  return {};
}

Call::Call(WorkerContext& worker, Owner& owner, CallSnapshot snapshot)
    : worker_(worker), owner_(owner), snapshot_(std::move(snapshot)) {}

Call::~Call() = default;

bool Call::sipDone() const { return originalDone_ && (!referred_ || referredDone_); }

void Call::report(CallStatus status, int sipStatus, std::string info) {
  snapshot_.status = status;
  snapshot_.sipStatus = sipStatus;
  snapshot_.info = std::move(info);
  CG_INFO("call {}: {}{}{}", snapshot_.callId, toString(status), snapshot_.info.empty() ? "" : " - ", snapshot_.info);
  owner_.onCallStatus(snapshot_);
}

void Call::terminate(CallStatus status, int sipStatus, std::string info) {
  if (!clientTerminal_) {
    clientTerminal_ = true;
    report(status, sipStatus, std::move(info));
  }
  if (bridge_) bridge_->close();
  if (!originalDone_ && !hangupSent_) {
    hangupSent_ = true;
    sipHangup();
  }
  if (referred_ && !referredDone_ && !referredHangupSent_) {
    referredHangupSent_ = true;
    referred_->invite().hangup();
  }
  maybeDone();
}

void Call::sipFinished(CallStatus status, int sipStatus, std::string info) {
  originalDone_ = true;
  if (refer_ != Refer::None && !clientTerminal_) {
    // The transferor left (usually right after our NOTIFY, or even before the new call
    // answered): the call lives on, or ends, with the referred leg.
    CG_INFO("call {}: the transferring dialog ended", snapshot_.callId);
    maybeDone();
    return;
  }
  terminate(status, sipStatus, std::move(info));
}

void Call::hangup() {
  CG_INFO("call {}: hangup by client", snapshot_.callId);
  terminate(CallStatus::Finish, 0, "Normal call clearing");
}

void Call::abandon() {
  clientTerminal_ = true;  // the client is gone: nothing more to tell it
  clientGone_ = true;
  terminate(CallStatus::Finish, 0, {});
}

Result<void> Call::answer(const std::string&, std::vector<std::pair<std::string, std::string>>) {
  return makeError("Only an incoming call can be answered");
}

void Call::established() {
  established_ = true;
  report(CallStatus::Established, 200);
  if (bridge_) bridge_->startMonitor();
}

void Call::maybeDone() {
  if (!clientTerminal_ || !sipDone() || doneReported_) return;
  doneReported_ = true;
  // Posted: the owner destroys us, which must not happen inside our own callback.
  boost::asio::post(worker_.io, [alive = std::weak_ptr<char>(alive_), this] {
    if (!alive.expired()) owner_.onCallDone(snapshot_.callId);
  });
}

void Call::onMediaFailed(std::string reason, bool browserClosed) {
  terminate(browserClosed ? CallStatus::Finish : CallStatus::Failed, 0, std::move(reason));
}

void Call::onSipDtmf(char digit) {
  // The digit itself reaches the browser in the relayed RTP when it negotiated
  // telephone-event; the client also gets it as an event (notifyDtmf, for SDKs that ask).
  CG_INFO("call {}: the SIP side sent DTMF '{}' (RFC 4733)", snapshot_.callId, digit);
  if (!clientTerminal_) owner_.onCallDtmf(snapshot_.callId, digit, "RFC2833");
}

// --- hold / resume ---------------------------------------------------------------------------

void Call::hold(bool on) {
  const char* method = on ? "hold" : "unhold";
  if (!established_ || clientTerminal_) {
    owner_.onCallWarning(snapshot_.callId, method, "Call is not established");
    return;
  }
  if (pending_ != Pending::None) {
    owner_.onCallWarning(snapshot_.callId, method, "A hold or unhold is already in progress");
    return;
  }
  sdp::Direction direction = on ? (remoteHold_ ? sdp::Direction::Inactive : sdp::Direction::SendOnly)
                                : sdp::Direction::SendRecv;
  pendingOffer_ = sdp::nextLocalDescription(localSipSdp_, direction);
  if (auto sent = reInvite(sdp::write(pendingOffer_)); !sent) {
    owner_.onCallWarning(snapshot_.callId, method, sent.error().message);
    return;
  }
  pending_ = on ? Pending::Hold : Pending::Resume;
  CG_INFO("call {}: {} requested (re-INVITE a={})", snapshot_.callId, method, sdp::toString(direction));
}

void Call::reportHoldState() {
  if (clientTerminal_) return;
  const CallStatus status = localHold_ || remoteHold_ ? CallStatus::Hold : CallStatus::Established;
  report(status, 200);
}

Result<std::string> Call::handleRemoteOffer(const std::string& sdpText) {
  if (!bridge_ || clientTerminal_) return makeError("the call is ending");
  auto offer = sdp::parse(sdpText);
  if (!offer) return makeError("Invalid SDP: " + offer.error().message);
  auto plans = bridge_->plans();
  if (auto refreshed = sdp::refreshPlans(plans, *offer, true); !refreshed) return refreshed.error();
  std::vector<std::optional<sdp::Direction>> directions;
  for (const auto& m : offer->media) {
    sdp::Direction d = sdp::answerDirection(*offer, m);
    // While we hold, we take nothing whatever the peer offers.
    if (localHold_) d = sdp::makeDirection(sdp::sends(d), false);
    directions.push_back(d);
  }
  sdp::SessionDescription answer = sdp::nextLocalDescription(localSipSdp_, sdp::Direction::SendRecv, directions);
  if (auto applied = bridge_->applyPlans(std::move(plans)); !applied) return applied.error();
  localSipSdp_ = answer;
  const bool wasHeld = remoteHold_;
  remoteHold_ = sdp::isRemoteHold(*offer);
  CG_INFO("call {}: the SIP side re-offered ({})", snapshot_.callId, remoteHold_ ? "hold" : "active");
  if (wasHeld != remoteHold_) reportHoldState();
  return sdp::write(answer);
}

std::string Call::handleOfferRequested() {
  pendingOffer_ = sdp::nextLocalDescription(localSipSdp_, localHold_ ? sdp::Direction::SendOnly : sdp::Direction::SendRecv);
  pending_ = Pending::PeerOfferless;
  return sdp::write(pendingOffer_);
}

void Call::handleRemoteAnswer(const std::string& sdpText) {
  const Pending pending = pending_;
  pending_ = Pending::None;
  if (!bridge_ || clientTerminal_ || pending == Pending::None) return;
  auto answer = sdp::parse(sdpText);
  if (!answer) {
    CG_WARN("call {}: unusable SDP answer to our re-offer: {}", snapshot_.callId, answer.error().message);
    if (pending != Pending::PeerOfferless) {
      owner_.onCallWarning(snapshot_.callId, "CallStatusEvent", "Invalid SDP in the answer to the re-INVITE");
    }
    return;
  }
  auto plans = bridge_->plans();
  if (auto refreshed = sdp::refreshPlans(plans, *answer, false); !refreshed) {
    CG_WARN("call {}: answer to our re-offer: {}", snapshot_.callId, refreshed.error().message);
    return;
  }
  if (auto applied = bridge_->applyPlans(std::move(plans)); !applied) {
    CG_WARN("call {}: answer to our re-offer: {}", snapshot_.callId, applied.error().message);
  }
  localSipSdp_ = pendingOffer_;
  if (pending == Pending::PeerOfferless) return;
  localHold_ = pending == Pending::Hold;
  bridge_->setHeld(localHold_);
  reportHoldState();
}

void Call::handleOfferRejected(int status, const std::string& reason) {
  const Pending pending = pending_;
  pending_ = Pending::None;
  if (clientTerminal_ || pending == Pending::None || pending == Pending::PeerOfferless) return;
  // Protocol §4.7: the call keeps its previous state; the client gets a warning.
  const std::string what = pending == Pending::Hold ? "Hold" : "Unhold";
  owner_.onCallWarning(snapshot_.callId, "CallStatusEvent",
                       what + " failed: " + std::to_string(status) + " " + reason);
}

namespace {
// RFC 5168 §3: the XML a phone without RTCP feedback understands as "send a keyframe".
constexpr const char* kMediaControlType = "application/media_control+xml";
constexpr const char* kPictureFastUpdate =
    "<?xml version=\"1.0\" encoding=\"utf-8\" ?>\r\n"
    "<media_control>\r\n"
    "  <vc_primitive>\r\n"
    "    <to_encoder>\r\n"
    "      <picture_fast_update/>\r\n"
    "    </to_encoder>\r\n"
    "  </vc_primitive>\r\n"
    "</media_control>\r\n";

bool isMediaControl(const std::string& contentType) {
  return contentType.find("media_control+xml") != std::string::npos;
}
}  // namespace

void Call::onBrowserWantsKeyframe() {
  if (keyframeInfoRefused_ || !established_ || clientTerminal_) return;
  if (auto sent = info(kMediaControlType, kPictureFastUpdate); !sent) {
    CG_DEBUG("call {}: picture_fast_update INFO not sent: {}", snapshot_.callId, sent.error().message);
    return;
  }
  CG_INFO("call {}: the browser wants a keyframe: SIP INFO picture_fast_update", snapshot_.callId);
}

void Call::handleInfoFailed(const std::string& contentType, int status) {
  if (!isMediaControl(contentType) || keyframeInfoRefused_) return;
  // The phone does not take RFC 5168 INFOs; RTCP PLI/FIR (still relayed) is all it gets.
  keyframeInfoRefused_ = true;
  CG_INFO("call {}: picture_fast_update INFO refused ({}): not sent again on this call", snapshot_.callId, status);
}

void Call::handleInfo(const std::string& contentType, const std::string& body) {
  if (isMediaControl(contentType)) {
    if (body.find("picture_fast_update") == std::string::npos) {
      CG_INFO("call {}: SIP INFO {} without picture_fast_update ignored", snapshot_.callId, contentType);
      return;
    }
    const bool sent = bridge_ && bridge_->requestBrowserKeyframe();
    CG_INFO("call {}: the SIP side wants a keyframe (INFO picture_fast_update): {}", snapshot_.callId,
            sent ? "PLI sent to the browser" : "no video from the browser to refresh");
    return;
  }
  // application/dtmf-relay "Signal=5\r\nDuration=160" or application/dtmf "5".
  std::string digit;
  const bool relay = contentType.find("dtmf-relay") != std::string::npos;
  if (relay) {
    auto at = body.find("Signal=");
    if (at != std::string::npos && at + 7 < body.size()) digit = body.substr(at + 7, 1);
  } else if (contentType.find("application/dtmf") != std::string::npos && !body.empty()) {
    digit = body.substr(0, 1);
  }
  if (!digit.empty() && digit.find_first_of("0123456789*#ABCDabcd") == 0) {
    const char d = static_cast<char>(std::toupper(static_cast<unsigned char>(digit[0])));
    CG_INFO("call {}: the SIP side sent DTMF '{}' (SIP INFO)", snapshot_.callId, d);
    if (!clientTerminal_) owner_.onCallDtmf(snapshot_.callId, d, relay ? "INFO_RELAY" : "INFO");
  } else {
    CG_INFO("call {}: SIP INFO {} ({} bytes)", snapshot_.callId, contentType, body.size());
  }
}

// --- transfer --------------------------------------------------------------------------------

Result<void> Call::transfer(const std::string& target) {
  if (!established_ || clientTerminal_) return makeError("Call is not established");
  if (target.empty()) return makeError("No transfer target");
  if (auto valid = validateCallee(target, "transfer target"); !valid) return valid;
  auto uri = sip::ua::calleeUri(target, sipAccount().domain);
  if (!uri) return makeError("Invalid transfer target: " + uri.error().message);
  Result<void> sent =
      refer_ == Refer::Replaced ? referred_->invite().sendRefer(uri->serialize()) : sipRefer(uri->serialize());
  if (!sent) return sent;
  CG_INFO("call {}: blind transfer to '{}' requested", snapshot_.callId, target);
  return {};
}

void Call::handleTransferProgress(int status, const std::string& reason, bool final) {
  CG_INFO("call {}: transfer progress {} {}{}", snapshot_.callId, status, reason, final ? " (final)" : "");
  if (!final || clientTerminal_) return;
  if (status >= 200 && status < 300) {
    // Only COMPLETED is sent: the Web SDK parks the PeerConnection on any other status.
    owner_.onTransferCompleted(snapshot_.callId);
    terminate(CallStatus::Finish, 0, "Transferred");
    return;
  }
  owner_.onCallWarning(snapshot_.callId, "transfer", "Transfer failed: " + std::to_string(status) + " " + reason);
}

Result<void> Call::handleReferRequested(const std::string& referTo) {
  CG_INFO("call {}: the SIP side asks to transfer us to {}", snapshot_.callId, referTo);
  if (!worker_.settings.acceptRefer) return makeError("transfer requests are refused by configuration (sip.accept_refer)");
  if (!established_ || clientTerminal_ || !bridge_) return makeError("the call is not established");
  if (refer_ != Refer::None) return makeError("a transfer is already in progress");
  referOffer_ = sdp::nextLocalDescription(localSipSdp_, localHold_ ? sdp::Direction::SendOnly : sdp::Direction::SendRecv);
  auto leg = std::make_unique<ReferredLeg>(*this, worker_, sipAccount());
  if (auto started = leg->start(referTo, sdp::write(referOffer_)); !started) return started;
  referred_ = std::move(leg);
  referredDone_ = false;
  referredHangupSent_ = false;
  refer_ = Refer::Calling;
  return {};
}

void Call::referredProgress(int status, const std::string& reason) {
  if (!originalDone_) sipNotifyReferProgress(status, reason);
}

void Call::referredAnswered(const std::string& sdpText) {
  if (clientTerminal_) return;  // terminate() already hung the new leg up
  auto answer = sdp::parse(sdpText);
  auto plans = bridge_->plans();
  Result<void> applied = answer ? sdp::refreshPlans(plans, *answer, false)
                                : Result<void>(makeError("Invalid SDP from the transfer target: " + answer.error().message));
  if (applied) applied = bridge_->applyPlans(std::move(plans));
  if (!applied) {
    CG_WARN("call {}: transfer target answer unusable: {}", snapshot_.callId, applied.error().message);
    if (!originalDone_) sipNotifyReferProgress(488, "Not Acceptable Here");
    referredHangupSent_ = true;
    referred_->invite().hangup();
    return;
  }
  refer_ = Refer::Replaced;
  localSipSdp_ = referOffer_;
  remoteHold_ = false;
  pending_ = Pending::None;
  bridge_->setHeld(localHold_);
  if (!originalDone_) {
    sipNotifyReferProgress(200, "OK");
    // RFC 5589 §6.1: the transferor normally ends its dialog now; we end ours in any case.
    hangupSent_ = true;
    sipHangup();
  }
  snapshot_.callee = referred_->target();
  CG_INFO("call {}: transferred to {}", snapshot_.callId, referred_->target());
  report(localHold_ ? CallStatus::Hold : CallStatus::Established, 200, "Transferred to " + referred_->target());
}

void Call::referredFinished(int status, const std::string& reason, bool failedOrRemote) {
  referredDone_ = true;
  if (refer_ == Refer::Replaced) {
    // The new peer or we ended the call that replaced the original one.
    terminate(CallStatus::Finish, 0, "Normal call clearing");
    return;
  }
  refer_ = Refer::None;
  const std::string what = std::to_string(status) + " " + reason;
  CG_INFO("call {}: transfer to {} failed: {}", snapshot_.callId, referred_->target(), what);
  if (!originalDone_) {
    if (status >= 300) sipNotifyReferProgress(status, reason);
    else sipNotifyReferProgress(503, "Service Unavailable");
    maybeDone();
    return;
  }
  // The transferor already left and the new call did not happen.
  (void)failedOrRemote;
  terminate(CallStatus::Failed, status, "Transfer failed: " + what);
}

Result<void> Call::reInvite(std::string sdp) {
  if (refer_ == Refer::Replaced) return referred_->invite().sendReInvite(std::move(sdp));
  if (refer_ == Refer::Calling) return makeError("A transfer is in progress");
  return sipReInvite(std::move(sdp));
}

Result<void> Call::info(std::string contentType, std::string body) {
  if (refer_ == Refer::Replaced) return referred_->invite().sendInfo(std::move(contentType), std::move(body));
  return sipInfo(std::move(contentType), std::move(body));
}

// --- DTMF ------------------------------------------------------------------------------------

Result<void> Call::sendDtmf(const std::string& digits, const std::string& type) {
  if (!established_ || clientTerminal_) return makeError("Call is not established");
  if (digits.empty()) return makeError("No DTMF digits");
  // The DTMF events of RFC 4733 §3.2: 0-9 * # A-D.
  for (char c : digits) {
    if (!std::isdigit(static_cast<unsigned char>(c)) && c != '*' && c != '#' && !(c >= 'A' && c <= 'D') &&
        !(c >= 'a' && c <= 'd')) {
      return makeError("Invalid DTMF digit");
    }
  }
  if (type.empty() || type == "RFC2833") {
    if (!bridge_) return makeError("Call has no media");
    if (auto sent = bridge_->sendDtmf(digits); !sent) return sent;
    CG_INFO("call {}: DTMF {} sent as RFC 4733 events", snapshot_.callId, digits);
    return {};
  }
  const bool relay = type == "INFO_RELAY";
  if (type != "INFO" && !relay) return makeError("Unknown DTMF type " + type + " (RFC2833, INFO or INFO_RELAY)");
  for (char c : digits) {
    const std::string digit(1, static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    Result<void> sent = relay ? info("application/dtmf-relay", "Signal=" + digit + "\r\nDuration=160\r\n")
                              : info("application/dtmf", digit);
    if (!sent) return sent;
  }
  CG_INFO("call {}: DTMF {} sent as {}", snapshot_.callId, digits, type);
  return {};
}

}  // namespace callgate::gateway

#pragma once
// Call: what an outgoing and an incoming call have in common once SIP and media are set up —
// WCS status reporting, the media bridge, hold/resume and the peer's re-INVITEs (the browser
// is never renegotiated, protocol §4.7: only the SIP side and the relay change), DTMF, and
// the orderly end (one terminal status to the client, then SIP and media finish, then the
// owner may destroy the call).
//
// Subclasses (OutgoingCall, IncomingCall) own the SIP INVITE usage and forward its mid-call
// events (InviteSession::Listener) to the handle* methods here.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "gateway/media_bridge.hpp"
#include "gateway/user_session.hpp"
#include "gateway/worker_context.hpp"
#include "sdp/session_description.hpp"
#include "sip/ua/account.hpp"

namespace callgate::gateway {

// A callee or transfer target typed as a plain user or user@host must already be a valid SIP
// user part (mission.md "Known problem"); sip:/sips:/tel: URIs are left to the UA's parser.
// The error names what is wrong ("Invalid callee: character ' ' not allowed ...").
Result<void> validateCallee(std::string_view callee, std::string_view what = "callee");

class ReferredLeg;

class Call : public MediaBridge::Listener {
 public:
  class Owner {
   public:
    virtual void onCallStatus(const CallSnapshot& call) = 0;
    // The SDP for the browser, once per call: an answer (isInitiator) or an offer.
    virtual void onRemoteSdp(const std::string& callId, const std::string& sdp, bool isInitiator) = 0;
    // A new incoming call, after its offer went out with onRemoteSdp (protocol §3.3).
    virtual void onIncomingCall(const CallSnapshot& call) = 0;
    // Our blind transfer succeeded (the target answered); the call then ends (FINISH).
    virtual void onTransferCompleted(const std::string& callId) = 0;
    // A DTMF digit from the SIP side; `type` as in sendDtmf: RFC2833, INFO or INFO_RELAY.
    virtual void onCallDtmf(const std::string& callId, char digit, const std::string& type) = 0;
    // A client request about this call was refused; the call goes on.
    virtual void onCallWarning(const std::string& callId, const std::string& apiMethod, const std::string& info) = 0;
    // SIP and media are finished: the owner may destroy the call (posted, never inside it).
    virtual void onCallDone(const std::string& callId) = 0;

   protected:
    ~Owner() = default;
  };

  virtual ~Call();

  virtual void start() = 0;
  // Client hangup: FINISH now, CANCEL / reject / BYE in the background.
  void hangup();
  // The client went away: like hangup, but no events to the client at all.
  void abandon();
  // The client's answer to an incoming call (protocol §2.3).
  virtual Result<void> answer(const std::string& browserSdp, std::vector<std::pair<std::string, std::string>> headers);
  // Hold (a=sendonly, or inactive when the peer holds too) or resume (sendrecv) by re-INVITE.
  // HOLD / ESTABLISHED follow the SIP outcome; a refusal leaves the call as it was and the
  // client gets a warning.
  void hold(bool on);
  // Protocol §2.6: type RFC2833 (or empty) = RFC 4733 events on the SIP RTP leg; INFO =
  // SIP INFO application/dtmf; INFO_RELAY = application/dtmf-relay. The error text is the
  // warning for the client; nothing is sent then.
  Result<void> sendDtmf(const std::string& digits, const std::string& type);
  // Blind transfer (protocol §4.9): REFER to `target` (user, user@host or URI). Success:
  // onTransferCompleted, then FINISH; failure: a warning, the call stays as it was.
  Result<void> transfer(const std::string& target);

  const std::string& callId() const { return snapshot_.callId; }

 protected:
  Call(WorkerContext& worker, Owner& owner, CallSnapshot snapshot);

  // --- the SIP usage, implemented by the subclass -------------------------------------------
  virtual void sipHangup() = 0;  // CANCEL, reject or BYE as the state demands
  virtual Result<void> sipReInvite(std::string sdp) = 0;
  virtual Result<void> sipInfo(std::string contentType, std::string body) = 0;
  virtual Result<void> sipRefer(const std::string& targetUri) = 0;  // validated by transfer()
  // NOTIFY the peer that REFERred us about the new call (RFC 3515 §2.4.4).
  virtual void sipNotifyReferProgress(int status, const std::string& reason) = 0;
  virtual const sip::ua::Account& sipAccount() const = 0;

  // --- InviteSession::Listener, forwarded by the subclass ------------------------------------
  Result<std::string> handleRemoteOffer(const std::string& sdp);
  std::string handleOfferRequested();
  void handleRemoteAnswer(const std::string& sdp);
  void handleOfferRejected(int status, const std::string& reason);
  void handleInfo(const std::string& contentType, const std::string& body);
  void handleTransferProgress(int status, const std::string& reason, bool final);
  Result<void> handleReferRequested(const std::string& referTo);

  // MediaBridge::Listener
  void onMediaFailed(std::string reason, bool browserClosed) override;
  void onSipDtmf(char digit) override;
  void onBrowserWantsKeyframe() override;
  // InviteSession::Listener::onInfoFailed, forwarded by the subclass.
  void handleInfoFailed(const std::string& contentType, int status);

  void report(CallStatus status, int sipStatus = 0, std::string info = {});
  // Ends the call for the client with a terminal status and tears SIP and media down.
  void terminate(CallStatus status, int sipStatus, std::string info);
  // The SIP usage reported its terminal event.
  void sipFinished(CallStatus status, int sipStatus, std::string info);
  // After the 2xx/ACK: ESTABLISHED and the media watch.
  void established();

  WorkerContext& worker_;
  Owner& owner_;
  CallSnapshot snapshot_;
  std::unique_ptr<MediaBridge> bridge_;
  // The SIP-side description we sent last (our offer or answer): the base of every re-offer.
  sdp::SessionDescription localSipSdp_;
  bool clientTerminal_ = false;  // a terminal status was reported (or the client is gone)
  bool originalDone_ = false;    // the SIP usage the call started with has ended
  bool clientGone_ = false;      // abandon(): the client's socket closed
  bool established_ = false;

 private:
  friend class ReferredLeg;
  enum class Pending { None, Hold, Resume, PeerOfferless };
  // A REFER from the peer (we are the transferee): None -> Calling (the new INVITE is out)
  // -> Replaced (it was answered; the call lives on the new leg, the old one is BYEd).
  enum class Refer { None, Calling, Replaced };
  void maybeDone();
  bool sipDone() const;
  // The SIP usage the call is on now: the original one, or the referred leg after a switch.
  Result<void> reInvite(std::string sdp);
  Result<void> info(std::string contentType, std::string body);
  void referredProgress(int status, const std::string& reason);
  void referredAnswered(const std::string& sdp);
  void referredFinished(int status, const std::string& reason, bool failedOrRemote);
  void reportHoldState();

  bool hangupSent_ = false;
  bool keyframeInfoRefused_ = false;  // the peer answered our picture_fast_update INFO with an error
  Refer refer_ = Refer::None;
  std::unique_ptr<ReferredLeg> referred_;
  bool referredDone_ = false;
  bool referredHangupSent_ = false;
  sdp::SessionDescription referOffer_;
  bool doneReported_ = false;
  bool localHold_ = false;
  bool remoteHold_ = false;
  Pending pending_ = Pending::None;
  sdp::SessionDescription pendingOffer_;
  std::shared_ptr<char> alive_ = std::make_shared<char>();
};

}  // namespace callgate::gateway

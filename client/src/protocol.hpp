#pragma once
// The client side of the WCS WebSocket protocol (shared/protocol/wcs-websocket.md): frames
// the SDK sends (§2) and the server frames it understands (§3). Pure functions, no I/O.
#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

#include "callgate/client/call.hpp"
#include "callgate/client/result.hpp"
#include "callgate/client/session.hpp"
#include "callgate/client/status.hpp"

namespace callgate::client::detail {

using Json = nlohmann::json;

// §1: {"message": name, "data": [payload]} like the Web SDK.
std::string encodeFrame(std::string_view message, const Json& payload);

std::string encodeConnection(const SessionOptions& options);
// §2.2: `call` with our SDP offer.
std::string encodeCall(const std::string& callId, const std::string& caller, const CallOptions& options,
                       const std::string& sdp);
// §2.3: `answer` with our SDP answer; callee/custom echo notifyIncomingCall.
std::string encodeAnswer(const std::string& callId, const std::string& sdp, const std::string& callee,
                         const Json& custom, bool hasVideo = false);
// hangup, hold, unhold: {callId}.
std::string encodeCallRequest(std::string_view message, const std::string& callId);
std::string encodeDtmf(const std::string& callId, const std::string& digits, DtmfType type);
std::string encodePong();

// A server frame: name plus the positional data array (always an array; §1 MUST).
struct ServerFrame {
  std::string message;
  Json data;
};
Result<ServerFrame> decodeServerFrame(std::string_view text);

// data[0] of notifyTryingResponse / ring / talk / hold / finish / notifyIncomingCall.
struct CallUpdate {
  std::string callId;
  std::optional<CallStatus> status;  // nullopt: unknown status string (ignored)
  int sipStatus = 0;
  std::string info;
  std::string caller;
  std::string callee;
  std::string visibleName;
  Json custom;
};
Result<CallUpdate> decodeCallUpdate(const Json& payload);

// `fail` (§3.11): {apiMethod, status:"FAILED", info, callId?/id?, sipStatus?}.
struct FailNotice {
  std::string apiMethod;
  std::string info;
  std::string callId;
  int sipStatus = 0;
};
Result<FailNotice> decodeFail(const Json& payload);

// `setRemoteSDP` [callId, sdp, isInitiator].
struct RemoteSdp {
  std::string callId;
  std::string sdp;
  bool isInitiator = false;  // true: answer to our offer; false: the server's offer
};
Result<RemoteSdp> decodeRemoteSdp(const Json& data);

// `notifyDtmf` (callgate extension, docs/architecture.md "Mid-call"): [{callId, dtmf, type}]
// with one digit per message.
struct DtmfNotice {
  std::string callId;
  std::string digit;
  DtmfType type = DtmfType::Rfc2833;
};
Result<DtmfNotice> decodeDtmfNotice(const Json& payload);

// Digits RFC 4733 can carry; errors name the first bad character.
Outcome validateDtmf(const std::string& digits);

// A random RFC 4122 version-4 UUID (call ids).
std::string makeUuid();

}  // namespace callgate::client::detail

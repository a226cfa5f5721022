#pragma once
// Typed WCS client requests (shared/protocol/wcs-websocket.md §2) and their validating
// decoders. Each decoder takes the payload object (data[0]) and returns a Result whose
// error text is sent back to the client as the `info` of a `fail`/FAILED.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/result.hpp"

namespace callgate::api {

using Json = nlohmann::json;

// §2.1 `connection`. Empty strings count as absent; ports and booleans are coerced from
// strings because the web forms send "5060" and "true".
struct ConnectionRequest {
  std::string appKey = "defaultApp";
  std::string authToken;
  bool keepAlive = false;
  bool hasSipAccount = false;  // any SIP field present
  std::string sipLogin;
  std::string sipAuthenticationName;  // empty => sipLogin
  std::string sipPassword;
  std::string sipDomain;
  std::string sipOutboundProxy;  // empty => sipDomain
  uint16_t sipPort = 5060;
  bool sipRegisterRequired = true;  // protocol §10.4: default true with SIP credentials
  std::string sipVisibleName;
  // callgate extension: `custom: {callgateEvents: ["dtmf"]}` asks for notifyDtmf (DTMF the
  // SIP side sent). The Web SDK would only log an unknown message, so it is opt-in.
  bool dtmfEvents = false;
  Json raw;  // the payload as received, echoed (minus password) in getUserData
};
Result<ConnectionRequest> decodeConnection(const Json& payload);

// §2.2 `call`.
struct CallRequest {
  std::string callId;
  std::string callee;
  std::string sdp;
  std::string visibleName;
  bool hasAudio = true;
  bool hasVideo = false;
  std::vector<std::pair<std::string, std::string>> inviteParameters;  // extra INVITE headers
  std::vector<std::string> sipHeaders;                                 // "Name: value" lines
  Json raw;
};
Result<CallRequest> decodeCall(const Json& payload);

// Requests that name only a call: hangup, hold, unhold (§2.4, §2.5).
Result<std::string> decodeCallId(const Json& payload);

// §2.3 `answer`: the browser's SDP answer to our offer, and optional extra SIP headers for
// the 200 (`sipHeaders`: "Name: value" strings, validated like inviteParameters).
struct AnswerRequest {
  std::string callId;
  std::string sdp;
  std::vector<std::pair<std::string, std::string>> sipHeaders;
};
Result<AnswerRequest> decodeAnswer(const Json& payload);

// §2.7 `transfer` {callId, target}: target as typed (user, user@host or a SIP URI).
struct TransferRequest {
  std::string callId;
  std::string target;
};
Result<TransferRequest> decodeTransfer(const Json& payload);

// §2.6 `sendDtmf`.
struct DtmfRequest {
  std::string callId;
  std::string digits;
  std::string type = "RFC2833";  // RFC2833 | INFO | INFO_RELAY
};
Result<DtmfRequest> decodeDtmf(const Json& payload);

}  // namespace callgate::api

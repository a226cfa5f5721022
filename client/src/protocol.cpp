#include "protocol.hpp"

#include <openssl/rand.h>

#include <cstdio>

namespace callgate::client::detail {
namespace {

std::string stringField(const Json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return {};
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_integer()) return std::to_string(it->get<long long>());
  return {};
}

int intField(const Json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end()) return 0;
  if (it->is_number_integer()) return it->get<int>();
  if (it->is_string()) {
    try {
      return std::stoi(it->get<std::string>());
    } catch (...) {
      return 0;
    }
  }
  return 0;
}

}  // namespace

std::string encodeFrame(std::string_view message, const Json& payload) {
  return Json{{"message", message}, {"data", Json::array({payload})}}.dump();
}

std::string encodeConnection(const SessionOptions& o) {
  Json p = {
      {"appKey", o.appKey.empty() ? "defaultApp" : o.appKey},
      {"mediaProviders", Json::array({"WebRTC"})},
      {"clientVersion", "2.0"},
      {"clientOSVersion", "callgate-client"},
      {"clientBrowserVersion", "callgate C++ client SDK"},
      {"msePacketizationVersion", 2},
      {"custom", Json::object()},
  };
  if (o.dtmfEvents) p["custom"]["callgateEvents"] = Json::array({"dtmf"});
  if (o.keepAlive) p["keepAlive"] = true;
  if (!o.authToken.empty()) p["authToken"] = o.authToken;
  // §2.1: SIP fields only when the app has a SIP account (a token-only re-attach has none).
  if (!o.sipLogin.empty() || !o.sipDomain.empty()) {
    p["sipLogin"] = o.sipLogin;
    p["sipAuthenticationName"] = o.sipAuthenticationName.empty() ? o.sipLogin : o.sipAuthenticationName;
    p["sipPassword"] = o.sipPassword;
    p["sipDomain"] = o.sipDomain;
    p["sipOutboundProxy"] = o.sipOutboundProxy.empty() ? o.sipDomain : o.sipOutboundProxy;
    p["sipPort"] = std::to_string(o.sipPort);
    p["sipRegisterRequired"] = o.sipRegisterRequired;
    if (!o.sipVisibleName.empty()) p["sipVisibleName"] = o.sipVisibleName;
  }
  return encodeFrame("connection", p);
}

std::string encodeCall(const std::string& callId, const std::string& caller, const CallOptions& o,
                       const std::string& sdp) {
  Json p = {
      {"callId", callId},
      {"incoming", false},
      {"status", "PENDING"},
      {"sdp", sdp},
      {"hasAudio", o.media.local.audio},
      {"hasVideo", o.media.local.video || o.media.remote.video},
      {"mediaProvider", "WebRTC"},
      {"caller", caller},
      {"callee", o.callee},
      {"visibleName", o.visibleName.empty() ? caller : o.visibleName},
  };
  if (!o.inviteParameters.empty()) {
    Json params = Json::object();
    for (auto& [name, value] : o.inviteParameters) params[name] = value;
    p["inviteParameters"] = params;
  }
  return encodeFrame("call", p);
}

std::string encodeAnswer(const std::string& callId, const std::string& sdp, const std::string& callee,
                         const Json& custom, bool hasVideo) {
  Json p = {
      {"callId", callId},    {"incoming", true},
      {"hasAudio", true},    {"hasVideo", hasVideo},
      {"status", "PENDING"}, {"mediaProvider", "WebRTC"},
      {"sdp", sdp},          {"custom", custom.is_object() ? custom : Json::object()},
  };
  if (!callee.empty()) p["callee"] = callee;
  return encodeFrame("answer", p);
}

std::string encodeCallRequest(std::string_view message, const std::string& callId) {
  return encodeFrame(message, Json{{"callId", callId}});
}

std::string encodeDtmf(const std::string& callId, const std::string& digits, DtmfType type) {
  return encodeFrame("sendDtmf", Json{{"callId", callId}, {"type", toString(type)}, {"dtmf", digits}});
}

std::string encodePong() { return encodeFrame("pong", nullptr); }

Result<ServerFrame> decodeServerFrame(std::string_view text) {
  Json j = Json::parse(text, nullptr, false);
  if (j.is_discarded()) return Error{"Malformed JSON from the server"};
  if (!j.is_object()) return Error{"Server frame is not a JSON object"};
  auto m = j.find("message");
  if (m == j.end() || !m->is_string()) return Error{"Server frame without a message name"};
  ServerFrame f{m->get<std::string>(), Json::array()};
  if (auto d = j.find("data"); d != j.end()) {
    if (!d->is_array()) return Error{"Server frame '" + f.message + "': data is not an array"};
    f.data = *d;
  }
  return f;
}

Result<CallUpdate> decodeCallUpdate(const Json& p) {
  if (!p.is_object()) return Error{"call event payload is not an object"};
  CallUpdate u;
  u.callId = stringField(p, "callId");
  if (u.callId.empty()) return Error{"call event without callId"};
  u.status = callStatusFromString(stringField(p, "status"));
  u.sipStatus = intField(p, "sipStatus");
  u.info = stringField(p, "info");
  u.caller = stringField(p, "caller");
  u.callee = stringField(p, "callee");
  u.visibleName = stringField(p, "visibleName");
  if (auto c = p.find("custom"); c != p.end()) u.custom = *c;
  return u;
}

Result<FailNotice> decodeFail(const Json& p) {
  if (!p.is_object()) return Error{"fail payload is not an object"};
  FailNotice f;
  f.apiMethod = stringField(p, "apiMethod");
  f.info = stringField(p, "info");
  f.callId = stringField(p, "callId");
  if (f.callId.empty()) f.callId = stringField(p, "id");
  f.sipStatus = intField(p, "sipStatus");
  return f;
}

Result<RemoteSdp> decodeRemoteSdp(const Json& data) {
  if (!data.is_array() || data.size() < 2 || !data[0].is_string() || !data[1].is_string())
    return Error{"setRemoteSDP must carry [callId, sdp, isInitiator]"};
  RemoteSdp r{data[0].get<std::string>(), data[1].get<std::string>(), false};
  if (data.size() > 2 && data[2].is_boolean()) r.isInitiator = data[2].get<bool>();
  return r;
}

Result<DtmfNotice> decodeDtmfNotice(const Json& p) {
  if (!p.is_object()) return Error{"notifyDtmf payload is not an object"};
  DtmfNotice n;
  n.callId = stringField(p, "callId");
  if (n.callId.empty()) return Error{"notifyDtmf without callId"};
  n.digit = stringField(p, "dtmf");
  if (n.digit.size() != 1 || !validateDtmf(n.digit)) return Error{"notifyDtmf: bad digit '" + n.digit + "'"};
  auto type = dtmfTypeFromString(stringField(p, "type"));
  if (!type) return Error{"notifyDtmf: unknown type '" + stringField(p, "type") + "'"};
  n.type = *type;
  return n;
}

Outcome validateDtmf(const std::string& digits) {
  if (digits.empty()) return Error{"No DTMF digits given"};
  for (char c : digits) {
    bool ok = (c >= '0' && c <= '9') || c == '*' || c == '#' || (c >= 'A' && c <= 'D') || (c >= 'a' && c <= 'd');
    if (!ok) return Error{std::string("Invalid DTMF digit '") + c + "': use 0-9, *, #, A-D"};
  }
  return {};
}

std::string makeUuid() {
  unsigned char b[16];
  if (RAND_bytes(b, sizeof b) != 1) {
    for (auto& x : b) x = static_cast<unsigned char>(std::rand());
  }
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  char out[37];
  std::snprintf(out, sizeof out, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
  return out;
}

}  // namespace callgate::client::detail

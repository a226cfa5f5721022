#include "api/protocol/messages.hpp"

#include <charconv>

#include "sip/identity_validation.hpp"

namespace callgate::api {
namespace {

// Reads a field that clients send as a string (sometimes as a number). Absent, null and
// "" all read as "".
Result<std::string> readString(const Json& payload, const char* key) {
  auto it = payload.find(key);
  if (it == payload.end() || it->is_null()) return std::string();
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_integer()) return std::to_string(it->get<long long>());
  if (it->is_boolean()) return std::string(it->get<bool>() ? "true" : "false");
  return makeError(std::string("Field ") + key + " must be a string");
}

Result<bool> readBool(const Json& payload, const char* key, bool fallback) {
  auto it = payload.find(key);
  if (it == payload.end() || it->is_null()) return fallback;
  if (it->is_boolean()) return it->get<bool>();
  if (it->is_number()) return it->get<double>() != 0;
  if (it->is_string()) {
    const auto& s = it->get_ref<const std::string&>();
    if (s.empty()) return fallback;
    if (s == "true" || s == "1") return true;
    if (s == "false" || s == "0") return false;
  }
  return makeError(std::string("Field ") + key + " must be true or false");
}

Result<uint16_t> readPort(const Json& payload, const char* key, uint16_t fallback) {
  auto text = readString(payload, key);
  if (!text) return text.error();
  if (text->empty()) return fallback;
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || end != text->data() + text->size() || value == 0 || value > 65535)
    return makeError(std::string("Invalid ") + key + ": '" + *text + "' is not a port number");
  return uint16_t(value);
}

Result<void> prefixed(Result<void> r, const char* what) {
  if (r) return r;
  return makeError(std::string("Invalid ") + what + ": " + r.error().message);
}

// The host part of sipDomain/sipOutboundProxy may carry ":port"; validate the host only.
Result<void> validateHostField(const std::string& value, const char* what) {
  std::string_view host = value;
  if (!host.empty() && host.front() != '[') {
    if (auto colon = host.rfind(':'); colon != std::string_view::npos) host = host.substr(0, colon);
  }
  return prefixed(sip::validateHost(host), what);
}

}  // namespace

Result<ConnectionRequest> decodeConnection(const Json& payload) {
  if (!payload.is_object()) return makeError("connection payload must be an object");
  ConnectionRequest req;
  req.raw = payload;
  const char* stringFields[] = {"appKey",    "authToken",        "sipLogin", "sipAuthenticationName", "sipPassword",
                                "sipDomain", "sipOutboundProxy", "sipVisibleName"};
  std::string* targets[] = {&req.appKey,    &req.authToken,        &req.sipLogin, &req.sipAuthenticationName,
                            &req.sipPassword, &req.sipDomain, &req.sipOutboundProxy, &req.sipVisibleName};
  for (size_t i = 0; i < std::size(stringFields); ++i) {
    auto v = readString(payload, stringFields[i]);
    if (!v) return v.error();
    if (!v->empty()) *targets[i] = std::move(*v);
  }
  auto keepAlive = readBool(payload, "keepAlive", false);
  if (!keepAlive) return keepAlive.error();
  req.keepAlive = *keepAlive;
  auto port = readPort(payload, "sipPort", 5060);
  if (!port) return port.error();
  req.sipPort = *port;
  auto registerRequired = readBool(payload, "sipRegisterRequired", true);
  if (!registerRequired) return registerRequired.error();
  req.sipRegisterRequired = *registerRequired;

  if (auto c = payload.find("custom"); c != payload.end() && c->is_object()) {
    if (auto events = c->find("callgateEvents"); events != c->end()) {
      if (!events->is_array()) return makeError("custom.callgateEvents must be an array of event names");
      for (const auto& e : *events) {
        if (!e.is_string()) return makeError("custom.callgateEvents must be an array of event names");
        if (e.get<std::string>() == "dtmf") req.dtmfEvents = true;
      }
    }
  }

  req.hasSipAccount = !req.sipLogin.empty() || !req.sipDomain.empty() || !req.sipPassword.empty();
  if (!req.hasSipAccount) return req;

  // shared/protocol §6: refuse identities that cannot be put into a SIP URI, naming the field.
  if (req.sipLogin.empty()) return makeError("Invalid SIP login: empty");
  if (auto r = prefixed(sip::validateUserPart(req.sipLogin), "SIP login"); !r) return r.error();
  if (!req.sipAuthenticationName.empty()) {
    if (auto r = prefixed(sip::validateUserPart(req.sipAuthenticationName), "SIP authentication name"); !r)
      return r.error();
  }
  if (req.sipDomain.empty()) return makeError("Invalid SIP domain: empty");
  if (auto r = validateHostField(req.sipDomain, "SIP domain"); !r) return r.error();
  if (!req.sipOutboundProxy.empty()) {
    if (auto r = validateHostField(req.sipOutboundProxy, "SIP outbound proxy"); !r) return r.error();
  }
  if (auto r = prefixed(sip::validateDisplayName(req.sipVisibleName), "SIP visible name"); !r) return r.error();
  return req;
}

Result<CallRequest> decodeCall(const Json& payload) {
  if (!payload.is_object()) return makeError("call payload must be an object");
  CallRequest req;
  req.raw = payload;
  for (auto [key, target] : {std::pair{"callId", &req.callId}, std::pair{"callee", &req.callee},
                             std::pair{"sdp", &req.sdp}, std::pair{"visibleName", &req.visibleName}}) {
    auto v = readString(payload, key);
    if (!v) return v.error();
    *target = std::move(*v);
  }
  if (req.callId.empty()) return makeError("Missing callId");
  if (req.callee.empty()) return makeError("Invalid callee: empty");
  if (req.sdp.empty()) return makeError("Missing SDP offer");
  auto hasAudio = readBool(payload, "hasAudio", true);
  auto hasVideo = readBool(payload, "hasVideo", false);
  if (!hasAudio) return hasAudio.error();
  if (!hasVideo) return hasVideo.error();
  req.hasAudio = *hasAudio;
  req.hasVideo = *hasVideo;
  if (auto r = prefixed(sip::validateDisplayName(req.visibleName), "visible name"); !r) return r.error();

  // The Web SDK's createCall has no inviteParameters option but forwards `custom`
  // untouched, so {custom: {inviteParameters: {...}}} is accepted too (the page uses it).
  const Json* params = nullptr;
  if (auto it = payload.find("inviteParameters"); it != payload.end() && !it->is_null()) params = &*it;
  if (auto c = payload.find("custom"); !params && c != payload.end() && c->is_object()) {
    if (auto it = c->find("inviteParameters"); it != c->end() && !it->is_null()) params = &*it;
  }
  if (params) {
    if (!params->is_object()) return makeError("inviteParameters must be an object of header names to values");
    for (auto& [name, value] : params->items()) {
      if (auto r = prefixed(sip::validateHeaderName(name), "INVITE parameter name"); !r) return r.error();
      std::string text = value.is_string() ? value.get<std::string>() : value.dump();
      if (auto r = prefixed(sip::validateHeaderValue(text), ("INVITE parameter " + name).c_str()); !r)
        return r.error();
      req.inviteParameters.emplace_back(name, std::move(text));
    }
  }
  if (auto it = payload.find("sipHeaders"); it != payload.end() && !it->is_null()) {
    if (!it->is_array()) return makeError("sipHeaders must be an array of \"Name: value\" strings");
    for (auto& line : *it) {
      if (!line.is_string()) return makeError("sipHeaders must be an array of \"Name: value\" strings");
      req.sipHeaders.push_back(line.get<std::string>());
    }
  }
  return req;
}

Result<std::string> decodeCallId(const Json& payload) {
  if (!payload.is_object()) return makeError("payload must be an object with a callId");
  auto id = readString(payload, "callId");
  if (!id) return id.error();
  if (id->empty()) return makeError("Missing callId");
  return std::move(*id);
}

Result<AnswerRequest> decodeAnswer(const Json& payload) {
  auto id = decodeCallId(payload);
  if (!id) return id.error();
  AnswerRequest req;
  req.callId = std::move(*id);
  auto sdp = readString(payload, "sdp");
  if (!sdp) return sdp.error();
  if (sdp->empty()) return makeError("Missing sdp: the answer must carry the browser's SDP answer");
  req.sdp = std::move(*sdp);
  if (auto it = payload.find("sipHeaders"); it != payload.end() && !it->is_null()) {
    if (!it->is_array()) return makeError("sipHeaders must be an array of \"Name: value\" strings");
    for (auto& line : *it) {
      if (!line.is_string()) return makeError("sipHeaders must be an array of \"Name: value\" strings");
      const std::string text = line.get<std::string>();
      auto colon = text.find(':');
      if (colon == std::string::npos) return makeError("Invalid sipHeaders entry '" + text + "': no ':'");
      auto trim = [](std::string s) {
        s.erase(0, s.find_first_not_of(" \t"));
        s.erase(s.find_last_not_of(" \t") + 1);
        return s;
      };
      std::string name = trim(text.substr(0, colon));
      std::string value = trim(text.substr(colon + 1));
      if (auto r = prefixed(sip::validateHeaderName(name), "SIP header name"); !r) return r.error();
      if (auto r = prefixed(sip::validateHeaderValue(value), ("SIP header " + name).c_str()); !r) return r.error();
      req.sipHeaders.emplace_back(std::move(name), std::move(value));
    }
  }
  return req;
}

Result<TransferRequest> decodeTransfer(const Json& payload) {
  auto id = decodeCallId(payload);
  if (!id) return id.error();
  TransferRequest req;
  req.callId = std::move(*id);
  auto target = readString(payload, "target");
  if (!target) return target.error();
  if (target->empty()) return makeError("Missing transfer target");
  if (auto r = prefixed(sip::validateHeaderValue(*target), "transfer target"); !r) return r.error();
  req.target = std::move(*target);
  return req;
}

Result<DtmfRequest> decodeDtmf(const Json& payload) {
  auto id = decodeCallId(payload);
  if (!id) return id.error();
  DtmfRequest req;
  req.callId = std::move(*id);
  auto digits = readString(payload, "dtmf");
  if (!digits) return digits.error();
  if (digits->empty()) return makeError("Missing dtmf digits");
  for (char c : *digits) {
    bool ok = (c >= '0' && c <= '9') || c == '*' || c == '#' || (c >= 'A' && c <= 'D') || (c >= 'a' && c <= 'd');
    if (!ok) return makeError(std::string("Invalid DTMF digit '") + c + "'");
  }
  req.digits = std::move(*digits);
  auto type = readString(payload, "type");
  if (!type) return type.error();
  if (!type->empty()) {
    if (*type != "RFC2833" && *type != "INFO" && *type != "INFO_RELAY")
      return makeError("Invalid DTMF type '" + *type + "': expected RFC2833, INFO or INFO_RELAY");
    req.type = std::move(*type);
  }
  return req;
}

}  // namespace callgate::api

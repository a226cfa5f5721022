// The C API (callgate_client.h): thin wrappers that turn Outcome errors into -1 plus
// cg_last_error(); no C++ exception crosses it.
#include "callgate_client.h"

#include <string>

#include "callgate/client/client.hpp"
#include "capi_media.hpp"

using namespace callgate::client;

struct cg_session {
  std::shared_ptr<Session> session;
};
struct cg_call {
  std::shared_ptr<Call> call;
  std::string id;
};

namespace {

thread_local std::string lastError;

std::string str(const char* s) { return s ? s : ""; }

int report(const Outcome& r) {
  if (r) return 0;
  lastError = r.message();
  return -1;
}

MediaConfig mediaFrom(const cg_call_options* o) {
  MediaConfig m;
  if (!o) return m;
  if (o->tone_hz > 0) {
    m.source.kind = AudioSource::Kind::Tone;
    m.source.toneHz = o->tone_hz;
  } else if (o->play_wav && *o->play_wav) {
    m.source.kind = AudioSource::Kind::WavFile;
    m.source.path = o->play_wav;
  } else {
    m.source.kind = AudioSource::Kind::Silence;
  }
  if (o->record_wav && *o->record_wav) {
    m.sink.kind = AudioSink::Kind::WavFile;
    m.sink.path = o->record_wav;
  }
  detail::applyMediaOptions(*o, m);
  return m;
}

}  // namespace

extern "C" {

const char* cg_last_error(void) { return lastError.c_str(); }
const char* cg_session_status_name(cg_session_status s) { return toString(static_cast<SessionStatus>(s)); }
const char* cg_call_status_name(cg_call_status s) { return toString(static_cast<CallStatus>(s)); }

cg_session* cg_session_create(const cg_session_options* o) {
  if (!o) {
    lastError = "options must not be NULL";
    return nullptr;
  }
  SessionOptions opts;
  opts.urlServer = str(o->url_server);
  if (o->app_key && *o->app_key) opts.appKey = o->app_key;
  opts.sipLogin = str(o->sip_login);
  opts.sipAuthenticationName = str(o->sip_authentication_name);
  opts.sipPassword = str(o->sip_password);
  opts.sipDomain = str(o->sip_domain);
  opts.sipOutboundProxy = str(o->sip_outbound_proxy);
  if (o->sip_port < 0 || o->sip_port > 65535) {
    lastError = "sip_port must be 0..65535";
    return nullptr;
  }
  opts.sipPort = o->sip_port ? static_cast<uint16_t>(o->sip_port) : 5060;
  opts.sipRegisterRequired = o->sip_register_required != 0;
  opts.sipVisibleName = str(o->sip_visible_name);
  opts.trustedCertificateFile = str(o->trusted_certificate_file);
  opts.verifyCertificate = !o->disable_certificate_verification;
  opts.authToken = str(o->auth_token);
  opts.keepAlive = o->keep_alive != 0;
  if (o->reconnect_attempts < 0) opts.reconnectAttempts = 0;
  else if (o->reconnect_attempts > 0) opts.reconnectAttempts = o->reconnect_attempts;
  if (o->reconnect_interval_ms < 0) {
    lastError = "reconnect_interval_ms must not be negative";
    return nullptr;
  }
  if (o->reconnect_interval_ms > 0) opts.reconnectInterval = std::chrono::milliseconds(o->reconnect_interval_ms);
  return new cg_session{Session::create(std::move(opts))};
}

void cg_session_destroy(cg_session* s) { delete s; }

void cg_session_set_status_callback(cg_session* s, cg_session_status_cb cb, void* user) {
  s->session->onAnyStatus([cb, user](const SessionEvent& e) {
    if (cb) cb(user, static_cast<cg_session_status>(e.status), e.info.c_str());
  });
}

void cg_session_set_incoming_call_callback(cg_session* s, cg_incoming_call_cb cb, void* user) {
  s->session->onIncomingCall([cb, user](std::shared_ptr<Call> call) {
    if (cb) {
      std::string id = call->id();
      cb(user, new cg_call{std::move(call), std::move(id)});
    }
  });
}

int cg_session_connect(cg_session* s) { return report(s->session->connect()); }
void cg_session_disconnect(cg_session* s) { s->session->disconnect(); }
const char* cg_session_get_auth_token(const cg_session* s) {
  thread_local std::string token;
  token = s->session->authToken();
  return token.c_str();
}

cg_session_status cg_session_get_status(const cg_session* s) {
  return static_cast<cg_session_status>(s->session->status());
}

cg_call* cg_session_create_call(cg_session* s, const cg_call_options* o) {
  CallOptions opts;
  if (o) {
    opts.callee = str(o->callee);
    opts.visibleName = str(o->visible_name);
    opts.media = mediaFrom(o);
  }
  auto call = s->session->createCall(std::move(opts));
  std::string id = call->id();
  return new cg_call{std::move(call), std::move(id)};
}

void cg_call_release(cg_call* c) { delete c; }

void cg_call_set_status_callback(cg_call* c, cg_call_status_cb cb, void* user) {
  c->call->onAnyStatus([cb, user](const CallEvent& e) {
    if (cb) cb(user, static_cast<cg_call_status>(e.status), e.sipStatus, e.info.c_str());
  });
}

void cg_call_set_dtmf_callback(cg_call* c, cg_call_dtmf_cb cb, void* user) {
  c->call->onDtmf([cb, user](const std::string& digit, DtmfType type) {
    if (cb) cb(user, digit.c_str(), static_cast<cg_dtmf_type>(type));
  });
}

int cg_call_call(cg_call* c) { return report(c->call->call()); }
int cg_call_answer(cg_call* c, const cg_call_options* o) {
  MediaConfig m;
  if (o) m = mediaFrom(o);
  return report(c->call->answer(m));
}
int cg_call_hangup(cg_call* c) { return report(c->call->hangup()); }
int cg_call_hold(cg_call* c) { return report(c->call->hold()); }
int cg_call_unhold(cg_call* c) { return report(c->call->unhold()); }
int cg_call_send_dtmf(cg_call* c, const char* digits, cg_dtmf_type type) {
  if (type < CG_DTMF_RFC2833 || type > CG_DTMF_INFO_RELAY) {
    lastError = "Invalid DTMF type: use CG_DTMF_RFC2833, CG_DTMF_INFO or CG_DTMF_INFO_RELAY";
    return -1;
  }
  return report(c->call->sendDtmf(str(digits), static_cast<DtmfType>(type)));
}
cg_call_status cg_call_get_status(const cg_call* c) { return static_cast<cg_call_status>(c->call->status()); }
const char* cg_call_id(const cg_call* c) { return c->id.c_str(); }
int cg_call_get_media_stats(const cg_call* c, cg_media_stats* out) {
  if (!out) {
    lastError = "stats must not be NULL";
    return -1;
  }
  detail::copyMediaStats(c->call->mediaStats(), *out);
  return 0;
}

}  // extern "C"

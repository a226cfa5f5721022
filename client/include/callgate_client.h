/* callgate client SDK: C API over the C++ objects (callgate/client/ headers), for bindings.
 *
 * Handles are opaque; release each with its *_release/_destroy function. Callbacks run on
 * the session's SDK thread (see callgate/client/session.hpp) with the user pointer given
 * when they were set; strings passed to callbacks are valid only during the call.
 * Functions returning int give 0 on success and -1 on error; cg_last_error() then returns
 * the message (per thread, valid until the next failing call on that thread). */
#ifndef CALLGATE_CLIENT_H
#define CALLGATE_CLIENT_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cg_session cg_session;
typedef struct cg_call cg_call;

/* Values mirror callgate::client::SessionStatus / CallStatus. */
typedef enum {
  CG_SESSION_PENDING, CG_SESSION_CONNECTED, CG_SESSION_ESTABLISHED, CG_SESSION_REGISTERED,
  CG_SESSION_DISCONNECTED, CG_SESSION_FAILED
} cg_session_status;

typedef enum {
  CG_CALL_NEW, CG_CALL_PENDING, CG_CALL_TRYING, CG_CALL_RING, CG_CALL_RING_MEDIA, CG_CALL_SESSION_PROGRESS,
  CG_CALL_ESTABLISHED, CG_CALL_HOLD, CG_CALL_BUSY, CG_CALL_FINISH, CG_CALL_FAILED
} cg_call_status;

typedef enum { CG_DTMF_RFC2833, CG_DTMF_INFO } cg_dtmf_type;

/* NULL strings count as empty. */
typedef struct {
  const char* url_server;
  const char* app_key;
  const char* sip_login;
  const char* sip_authentication_name;
  const char* sip_password;
  const char* sip_domain;
  const char* sip_outbound_proxy;
  int sip_port; /* 0: 5060 */
  int sip_register_required;
  const char* sip_visible_name;
  const char* trusted_certificate_file;
  int disable_certificate_verification; /* tests only */
  /* Re-attach (docs/client-sdk.md "Reconnect"); appended fields: zero-initialise the struct. */
  const char* auth_token;    /* re-attach to a session the server kept (SIP fields may be NULL) */
  int keep_alive;            /* 1: ask the server to keep the session when the link drops */
  int reconnect_attempts;    /* with keep_alive: automatic re-attach tries; 0: 5; < 0: off */
  int reconnect_interval_ms; /* between tries; 0: 2000 */
} cg_session_options;

typedef struct {
  const char* callee;
  const char* visible_name;
  double tone_hz;          /* > 0: send a sine tone */
  const char* play_wav;    /* else: send this WAV file; else silence */
  const char* record_wav;  /* NULL: discard received audio */
} cg_call_options;

typedef void (*cg_session_status_cb)(void* user, cg_session_status status, const char* info);
/* The call handle is the callee's to release (cg_call_release). */
typedef void (*cg_incoming_call_cb)(void* user, cg_call* call);
typedef void (*cg_call_status_cb)(void* user, cg_call_status status, int sip_status, const char* info);

const char* cg_last_error(void);
const char* cg_session_status_name(cg_session_status status);
const char* cg_call_status_name(cg_call_status status);

cg_session* cg_session_create(const cg_session_options* options);
void cg_session_destroy(cg_session* session);
void cg_session_set_status_callback(cg_session* session, cg_session_status_cb callback, void* user);
void cg_session_set_incoming_call_callback(cg_session* session, cg_incoming_call_cb callback, void* user);
int cg_session_connect(cg_session* session);
void cg_session_disconnect(cg_session* session);
cg_session_status cg_session_get_status(const cg_session* session);
/* The authToken from the server's getUserData ("" before ESTABLISHED), for a later
 * re-attach. Valid until the next call of this function on the same thread. */
const char* cg_session_get_auth_token(const cg_session* session);

cg_call* cg_session_create_call(cg_session* session, const cg_call_options* options);
void cg_call_release(cg_call* call);
void cg_call_set_status_callback(cg_call* call, cg_call_status_cb callback, void* user);
int cg_call_call(cg_call* call);
/* options: only the media fields are used; NULL: tone 1000 Hz, no recording. */
int cg_call_answer(cg_call* call, const cg_call_options* options);
int cg_call_hangup(cg_call* call);
int cg_call_hold(cg_call* call);
int cg_call_unhold(cg_call* call);
int cg_call_send_dtmf(cg_call* call, const char* digits, cg_dtmf_type type);
cg_call_status cg_call_get_status(const cg_call* call);
/* Valid until cg_call_release. */
const char* cg_call_id(const cg_call* call);

#ifdef __cplusplus
}
#endif

#endif /* CALLGATE_CLIENT_H */

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

/* RFC2833: RFC 4733 events in RTP; INFO: SIP INFO application/dtmf; INFO_RELAY: application/dtmf-relay. */
typedef enum { CG_DTMF_RFC2833, CG_DTMF_INFO, CG_DTMF_INFO_RELAY } cg_dtmf_type;

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
  /* Media (docs/client-sdk.md "Media"); zero / NULL keeps the defaults. */
  const char* audio_codecs; /* offered in this order, e.g. "opus,pcmu,pcma" (the default) or "pcmu" */
  int video;                /* non-zero: send a test pattern and receive video (VP8, H.264) */
  const char* video_codecs; /* e.g. "vp8,h264" (the default) */
  int record_rate;          /* sample rate of record_wav; 0: 8000 */
} cg_call_options;

/* What the call's media engine has seen (cg_call_get_media_stats). Codec names as in SDP
   ("OPUS/48000/2", "VP8/90000"), empty when that media is not flowing. */
typedef struct {
  char audio_codec[32];
  char video_codec[32];
  unsigned long long audio_samples_received;
  unsigned long long video_frames_sent;
  unsigned long long video_key_frames_sent;
  unsigned long long key_frame_requests_received;
  unsigned long long video_frames_received;
} cg_media_stats;

typedef void (*cg_session_status_cb)(void* user, cg_session_status status, const char* info);
/* The call handle is the callee's to release (cg_call_release). */
typedef void (*cg_incoming_call_cb)(void* user, cg_call* call);
typedef void (*cg_call_status_cb)(void* user, cg_call_status status, int sip_status, const char* info);
/* One DTMF digit ("0"-"9", "*", "#", "A"-"D") sent by the far end. */
typedef void (*cg_call_dtmf_cb)(void* user, const char* digit, cg_dtmf_type type);

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
/* DTMF from the far end (the session asks callgate for it; see Call::onDtmf). */
void cg_call_set_dtmf_callback(cg_call* call, cg_call_dtmf_cb callback, void* user);
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
/* Fills *stats (the final values once the call has ended); 0, or -1 if stats is NULL. */
int cg_call_get_media_stats(const cg_call* call, cg_media_stats* stats);

#ifdef __cplusplus
}
#endif

#endif /* CALLGATE_CLIENT_H */

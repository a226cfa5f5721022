/* The same through the C API: connect, call echo, hang up after 2 s. */
#define _POSIX_C_SOURCE 200809L
#include <callgate_client.h>

#include <stdatomic.h>
#include <stdio.h>
#include <time.h>

/* Written on the SDK thread, read here. */
static atomic_int session_status = -1, call_status = -1, established = 0;

static void sleep_ms(long ms) {
  struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&t, NULL);
}

static void on_session(void* user, cg_session_status status, const char* info) {
  (void)user;
  printf("session %s %s\n", cg_session_status_name(status), info);
  session_status = status;
}

static void on_call(void* user, cg_call_status status, int sip_status, const char* info) {
  (void)user;
  printf("call %s %d %s\n", cg_call_status_name(status), sip_status, info);
  if (status == CG_CALL_ESTABLISHED) established = 1;
  call_status = status;
}

int main(int argc, char** argv) {
  cg_session_options options = {0};
  options.url_server = argc > 1 ? argv[1] : "ws://127.0.0.1:8080";
  options.sip_login = "1000";
  options.sip_domain = "127.0.0.1";
  cg_session* session = cg_session_create(&options);
  cg_session_set_status_callback(session, on_session, NULL);
  if (cg_session_connect(session) != 0) {
    fprintf(stderr, "%s\n", cg_last_error());
    return 1;
  }
  for (int i = 0; i < 100 && session_status != CG_SESSION_ESTABLISHED && session_status != CG_SESSION_FAILED; ++i)
    sleep_ms(50);
  if (session_status != CG_SESSION_ESTABLISHED) return 1;

  cg_call_options call_options = {0};
  call_options.callee = "echo";
  call_options.tone_hz = 1000;
  cg_call* call = cg_session_create_call(session, &call_options);
  cg_call_set_status_callback(call, on_call, NULL);
  if (cg_call_call(call) != 0) {
    fprintf(stderr, "%s\n", cg_last_error());
    return 1;
  }
  for (int i = 0; i < 40 && call_status < CG_CALL_BUSY; ++i) sleep_ms(50);
  cg_call_hangup(call);
  for (int i = 0; i < 100 && call_status < CG_CALL_BUSY; ++i) sleep_ms(50);
  int ok = established && call_status == CG_CALL_FINISH;
  cg_call_release(call);
  cg_session_destroy(session);
  return ok ? 0 : 1;
}

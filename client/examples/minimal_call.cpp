// Minimal callgate client: connect, call `echo` with a 1 kHz tone, hang up after 2 s.
// Usage: minimal_call ws://127.0.0.1:8080
#include <callgate/client/client.hpp>

#include <future>
#include <iostream>

using namespace callgate::client;

int main(int argc, char** argv) {
  SessionOptions options;
  options.urlServer = argc > 1 ? argv[1] : "ws://127.0.0.1:8080";
  options.sipLogin = "1000";
  options.sipDomain = "127.0.0.1";
  options.sipRegisterRequired = false;  // echo needs no registration
  auto session = Session::create(options);

  std::promise<bool> ready, ended;
  // Callbacks run on the SDK thread.
  session->onAnyStatus([&](const SessionEvent& e) {
    std::cout << "session " << toString(e.status) << " " << e.info << std::endl;
    if (e.status == SessionStatus::Established) ready.set_value(true);
    if (e.status == SessionStatus::Failed) ready.set_value(false);
  });
  if (auto r = session->connect(); !r) {
    std::cerr << r.message() << std::endl;
    return 1;
  }
  if (!ready.get_future().get()) return 1;

  CallOptions callOptions;
  callOptions.callee = "echo";
  callOptions.media.source.kind = AudioSource::Kind::Tone;
  callOptions.media.source.toneHz = 1000;
  auto call = session->createCall(callOptions);
  bool established = false;
  call->onAnyStatus([&](const CallEvent& e) {
    std::cout << "call " << toString(e.status) << " " << e.sipStatus << " " << e.info << std::endl;
    if (e.status == CallStatus::Established) established = true;
    if (isTerminal(e.status)) ended.set_value(established);
  });
  if (auto r = call->call(); !r) {
    std::cerr << r.message() << std::endl;
    return 1;
  }
  auto end = ended.get_future();
  if (end.wait_for(std::chrono::seconds(2)) == std::future_status::timeout) {
    call->hangup().ok();
  }
  bool ok = end.get();
  session->disconnect();
  return ok ? 0 : 1;
}

// keepAlive re-attach: the registry with real ClientSessions over fake sockets and a fake
// gateway session (protocol §1 "Session identity / reconnect", §4.11).
#include "api/server/session_registry.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include "api/server/client_session.hpp"

namespace callgate::api {
namespace {

using namespace std::chrono_literals;

struct FakeSink : FrameSink {
  std::vector<Json> frames;
  bool closed = false;
  std::unique_ptr<ClientSession> adopted;
  void sendText(std::string text) override { frames.push_back(Json::parse(text)); }
  void closeAfterSend() override { closed = true; }
  void adopt(std::unique_ptr<ClientSession> kept) override { adopted = std::move(kept); }
  // Set: this socket owns its session and hands it over on a takeover, as WsConnection does.
  std::unique_ptr<ClientSession> owned;
  std::unique_ptr<ClientSession> release() override { return std::move(owned); }
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (auto& f : frames) out.push_back(f["message"]);
    return out;
  }
};

struct FakeUserSession : gateway::UserSession {
  gateway::UserSession::Listener& listener;
  std::vector<std::string> log;
  explicit FakeUserSession(gateway::UserSession::Listener& l) : listener(l) {}
  void start() override { log.push_back("start"); }
  void call(gateway::OutgoingCallRequest r) override { log.push_back("call " + r.callId); }
  void hangup(const std::string& id) override { log.push_back("hangup " + id); }
  void answer(const std::string& id, const std::string&, std::vector<std::pair<std::string, std::string>>) override {
    log.push_back("answer " + id);
  }
  void transfer(const std::string&, const std::string&) override {}
  void hold(const std::string&, bool) override {}
  void sendDtmf(const std::string&, const std::string&, const std::string&) override {}
  void close(std::function<void()> done) override {
    log.push_back("close");
    done();
  }
};

struct FakeFactory : gateway::UserSessionFactory {
  std::vector<FakeUserSession*> created;
  std::unique_ptr<gateway::UserSession> create(gateway::SipAccount, gateway::UserSession::Listener& l) override {
    auto s = std::make_unique<FakeUserSession>(l);
    created.push_back(s.get());
    return s;
  }
};

std::string frame(const std::string& name, const Json& payload) {
  return Json{{"message", name}, {"data", Json::array({payload})}}.dump();
}

Json keepAliveConnection(bool keepAlive = true) {
  return {{"appKey", "defaultApp"}, {"sipLogin", "1000"},        {"sipPassword", "1234"},
          {"sipDomain", "127.0.0.1"}, {"sipRegisterRequired", true}, {"keepAlive", keepAlive}};
}

gateway::CallSnapshot snapshot(const std::string& id, gateway::CallStatus status, bool incoming) {
  gateway::CallSnapshot s;
  s.callId = id;
  s.status = status;
  s.incoming = incoming;
  s.caller = incoming ? "2000" : "1000";
  s.callee = incoming ? "1000" : "2000";
  return s;
}

class SessionRegistryTest : public ::testing::Test {
 protected:
  // A connected session on sink `first`, with `grace`.
  std::unique_ptr<ClientSession> connect(bool keepAlive = true) {
    auto session = std::make_unique<ClientSession>(io.get_executor(), first, factory, KeepAliveSettings{}, &registry);
    session->onText(frame("connection", keepAliveConnection(keepAlive)));
    token = first.frames.at(0)["data"][0]["authToken"];
    return session;
  }
  // A new socket whose `connection` carries only the token.
  std::unique_ptr<ClientSession> reconnect(FakeSink& sink, const std::string& withToken) {
    auto session = std::make_unique<ClientSession>(io.get_executor(), sink, factory, KeepAliveSettings{}, &registry);
    session->onText(frame("connection", {{"appKey", "defaultApp"}, {"authToken", withToken}, {"keepAlive", true}}));
    return session;
  }
  FakeUserSession& user(size_t i = 0) { return *factory.created.at(i); }
  // Runs the loop (again: run_for stops it when it runs out of work).
  void pump(std::chrono::milliseconds ms) {
    io.restart();
    io.run_for(ms);
  }

  boost::asio::io_context io;
  FakeFactory factory;
  SessionRegistry registry{io.get_executor(), 200ms};
  FakeSink first;
  FakeSink second;
  std::string token;
};

TEST_F(SessionRegistryTest, TokenIsLongRandomAndNamesTheWorker) {
  SessionRegistry other{io.get_executor(), 1s, 3};
  ClientSession a(io.get_executor(), first, factory);
  std::string t1 = other.add(a);
  std::string t2 = other.add(a);
  EXPECT_NE(t1, t2);
  EXPECT_EQ(t1.rfind("3-", 0), 0u);
  EXPECT_GE(t1.size(), 2u + 16 + 1 + 32);
}

TEST_F(SessionRegistryTest, KeptSessionKeepsRegistrationAndIsReattachedByTokenAlone) {
  auto session = connect();
  user().listener.onRegistered();
  ASSERT_TRUE(session->wantsKeep());
  ClientSession* kept = session.get();
  registry.keep(std::move(session));
  EXPECT_EQ(registry.keptCount(), 1u);
  EXPECT_EQ(user().log, std::vector<std::string>{"start"});  // no close: registration stays

  auto fresh = reconnect(second, token);
  ASSERT_EQ(second.adopted.get(), kept);
  EXPECT_EQ(second.names(), (std::vector<std::string>{"getUserData", "registered"}));
  const Json& data = second.frames[0]["data"][0];
  EXPECT_EQ(data["sipLogin"], "1000");
  EXPECT_EQ(data["authToken"], token);
  EXPECT_FALSE(data.contains("sipPassword"));
  EXPECT_FALSE(second.closed);
  EXPECT_EQ(registry.keptCount(), 0u);
  EXPECT_EQ(registry.attachedCount(), 1u);
  EXPECT_EQ(factory.created.size(), 1u);  // no new SIP session
  EXPECT_EQ(user().log, std::vector<std::string>{"start"});
  // Frames now reach the new socket; the old one hears nothing more.
  size_t before = first.frames.size();
  user().listener.onRegistrationFailed(408, "408 Request Timeout");
  EXPECT_EQ(first.frames.size(), before);
  EXPECT_EQ(second.names().back(), "fail");
}

TEST_F(SessionRegistryTest, DetachEndsEstablishedAndOutgoingCallsButKeepsRingingIncomingOnes) {
  auto session = connect();
  user().listener.onRegistered();
  session->onText(frame("call", {{"callId", "out1"}, {"callee", "2000"}, {"sdp", "v=0\r\n"}}));
  user().listener.onCallStatus(snapshot("out1", gateway::CallStatus::Established, false));
  session->onText(frame("call", {{"callId", "out2"}, {"callee", "2001"}, {"sdp", "v=0\r\n"}}));  // still TRYING
  user().listener.onRemoteSdp("in1", "v=0\r\noffer", false);
  user().listener.onIncomingCall(snapshot("in1", gateway::CallStatus::Ring, true));
  user().listener.onCallStatus(snapshot("in1", gateway::CallStatus::Ring, true));
  user().listener.onRemoteSdp("in2", "v=0\r\noffer2", false);  // answered: not resumable
  user().listener.onIncomingCall(snapshot("in2", gateway::CallStatus::Ring, true));
  session->onText(frame("answer", {{"callId", "in2"}, {"sdp", "v=0\r\nanswer"}}));

  registry.keep(std::move(session));
  auto& log = user().log;
  EXPECT_NE(std::find(log.begin(), log.end(), "hangup out1"), log.end());
  EXPECT_NE(std::find(log.begin(), log.end(), "hangup out2"), log.end());
  EXPECT_NE(std::find(log.begin(), log.end(), "hangup in2"), log.end());
  EXPECT_EQ(std::find(log.begin(), log.end(), "hangup in1"), log.end());
  // The ended calls report FINISH while detached: nothing is sent anywhere.
  size_t before = first.frames.size();
  user().listener.onCallStatus(snapshot("out1", gateway::CallStatus::Finish, false));
  EXPECT_EQ(first.frames.size(), before);

  auto fresh = reconnect(second, token);
  ASSERT_NE(second.adopted, nullptr);
  EXPECT_EQ(second.names(),
            (std::vector<std::string>{"getUserData", "registered", "setRemoteSDP", "notifyIncomingCall", "ring"}));
  EXPECT_EQ(second.frames[2]["data"], Json::array({"in1", "v=0\r\noffer", false}));
  EXPECT_EQ(second.frames[3]["data"][0]["callId"], "in1");
  EXPECT_EQ(second.frames[3]["data"][0]["caller"], "2000");
  EXPECT_EQ(second.frames[4]["data"][0]["status"], "RING");
  // The re-delivered call can be answered on the new socket.
  second.adopted->onText(frame("answer", {{"callId", "in1"}, {"sdp", "v=0\r\nanswer"}}));
  EXPECT_EQ(log.back(), "answer in1");
}

TEST_F(SessionRegistryTest, IncomingCallArrivingWhileDetachedIsDeliveredAfterReattach) {
  auto session = connect();
  registry.keep(std::move(session));
  user().listener.onRemoteSdp("in1", "v=0\r\noffer", false);
  user().listener.onIncomingCall(snapshot("in1", gateway::CallStatus::Ring, true));
  user().listener.onCallStatus(snapshot("in1", gateway::CallStatus::Ring, true));
  auto fresh = reconnect(second, token);
  // Never registered: no `registered`.
  EXPECT_EQ(second.names(), (std::vector<std::string>{"getUserData", "setRemoteSDP", "notifyIncomingCall", "ring"}));
}

TEST_F(SessionRegistryTest, CallCancelledWhileDetachedIsNotRedelivered) {
  auto session = connect();
  registry.keep(std::move(session));
  user().listener.onRemoteSdp("in1", "v=0\r\noffer", false);
  user().listener.onIncomingCall(snapshot("in1", gateway::CallStatus::Ring, true));
  user().listener.onCallStatus(snapshot("in1", gateway::CallStatus::Finish, true));
  auto fresh = reconnect(second, token);
  EXPECT_EQ(second.names(), (std::vector<std::string>{"getUserData"}));
}

TEST_F(SessionRegistryTest, UnknownTokenIsRefusedAndClosed) {
  auto fresh = reconnect(second, "0-nosuchkey.nosuchsecret");
  ASSERT_EQ(second.names(), std::vector<std::string>{"fail"});
  EXPECT_EQ(second.frames[0]["data"][0]["apiMethod"], "ConnectionStatusEvent");
  EXPECT_EQ(second.frames[0]["data"][0]["info"], SessionRegistry::kUnknownToken);
  EXPECT_TRUE(second.closed);
  EXPECT_EQ(second.adopted, nullptr);
  EXPECT_TRUE(factory.created.empty());
  // Later frames are ignored (the socket is closing).
  fresh->onText(frame("call", {{"callId", "c1"}, {"callee", "2000"}, {"sdp", "v=0\r\n"}}));
  EXPECT_EQ(second.frames.size(), 1u);
}

TEST_F(SessionRegistryTest, RightKeyWithWrongSecretIsUnknown) {
  auto session = connect();
  registry.keep(std::move(session));
  std::string forged = token.substr(0, token.find('.') + 1) + std::string(32, 'A');
  auto fresh = reconnect(second, forged);
  EXPECT_EQ(second.frames.at(0)["data"][0]["info"], SessionRegistry::kUnknownToken);
  EXPECT_EQ(registry.keptCount(), 1u);  // the real session is untouched
  auto truncated = reconnect(first, token.substr(0, token.size() - 1));
  EXPECT_EQ(first.frames.back()["data"][0]["info"], SessionRegistry::kUnknownToken);
}

// A socket that cannot hand its session over (FrameSink::release's default) keeps it.
TEST_F(SessionRegistryTest, TokenOfAnAttachedSessionIsInUseWhenItsSocketCannotHandOver) {
  auto session = connect();
  auto fresh = reconnect(second, token);
  ASSERT_EQ(second.names(), std::vector<std::string>{"fail"});
  EXPECT_EQ(second.frames[0]["data"][0]["info"], SessionRegistry::kTokenInUse);
  EXPECT_TRUE(second.closed);
  EXPECT_EQ(user().log, std::vector<std::string>{"start"});  // the holder is untouched
}

// A silent link loss is noticed only after missed pongs, while the client reconnects at once:
// the new socket takes the session over; the old one is told why and closed.
TEST_F(SessionRegistryTest, TokenOfAnAttachedSessionIsTakenOverFromItsSocket) {
  first.owned = connect();
  ClientSession* held = first.owned.get();
  user().listener.onRegistered();
  held->onText(frame("call", {{"callId", "out1"}, {"callee", "2000"}, {"sdp", "v=0\r\n"}}));
  user().listener.onCallStatus(snapshot("out1", gateway::CallStatus::Established, false));

  auto fresh = reconnect(second, token);
  ASSERT_EQ(first.owned, nullptr);
  ASSERT_EQ(second.adopted.get(), held);
  EXPECT_EQ(second.names(), (std::vector<std::string>{"getUserData", "registered"}));
  EXPECT_FALSE(second.closed);
  EXPECT_EQ(first.names().back(), "fail");
  EXPECT_EQ(first.frames.back()["data"][0]["info"], SessionRegistry::kTakenOver);
  EXPECT_TRUE(first.closed);
  // As on a lost link: the established call ends, the SIP session and registration stay.
  auto& log = user().log;
  EXPECT_NE(std::find(log.begin(), log.end(), "hangup out1"), log.end());
  EXPECT_EQ(std::find(log.begin(), log.end(), "close"), log.end());
  EXPECT_EQ(factory.created.size(), 1u);
  EXPECT_EQ(registry.attachedCount(), 1u);
  size_t before = first.frames.size();
  user().listener.onRegistrationFailed(408, "408 Request Timeout");
  EXPECT_EQ(first.frames.size(), before);
  EXPECT_EQ(second.names().back(), "fail");
}

TEST_F(SessionRegistryTest, GraceExpiryEndsTheSessionAndTheTokenThenReadsExpired) {
  auto session = connect();
  user().listener.onRegistered();
  std::vector<std::string>* log = &user().log;
  registry.keep(std::move(session));
  pump(100ms);
  EXPECT_EQ(registry.keptCount(), 1u);
  EXPECT_EQ(*log, std::vector<std::string>{"start"});
  // The fake's close() finishes at once and the ClientSession then destroys it: watch the
  // registry instead of the log.
  pump(300ms);
  EXPECT_EQ(registry.keptCount(), 0u);
  EXPECT_EQ(registry.attachedCount(), 0u);
  auto fresh = reconnect(second, token);
  EXPECT_EQ(second.frames.at(0)["data"][0]["info"], SessionRegistry::kExpiredToken);
  EXPECT_TRUE(second.closed);
}

TEST_F(SessionRegistryTest, ReattachCancelsTheExpiry) {
  auto session = connect();
  registry.keep(std::move(session));
  auto fresh = reconnect(second, token);
  ASSERT_NE(second.adopted, nullptr);
  pump(400ms);
  EXPECT_EQ(user().log, std::vector<std::string>{"start"});
  EXPECT_EQ(registry.attachedCount(), 1u);
  // Lost again: kept again, with the same token.
  EXPECT_TRUE(second.adopted->wantsKeep());
  registry.keep(std::move(second.adopted));
  FakeSink third;
  auto again = reconnect(third, token);
  EXPECT_NE(third.adopted, nullptr);
}

TEST_F(SessionRegistryTest, WithoutKeepAliveTheSessionIsNotKeptAndItsTokenDies) {
  auto session = connect(false);
  EXPECT_FALSE(session->wantsKeep());
  bool done = false;
  session->shutdown([&] { done = true; });
  pump(50ms);
  EXPECT_TRUE(done);
  EXPECT_EQ(registry.attachedCount(), 0u);
  auto fresh = reconnect(second, token);
  EXPECT_EQ(second.frames.at(0)["data"][0]["info"], SessionRegistry::kUnknownToken);
}

TEST_F(SessionRegistryTest, ZeroGraceEndsAtOnce) {
  SessionRegistry none{io.get_executor(), 0ms};
  auto session = std::make_unique<ClientSession>(io.get_executor(), first, factory, KeepAliveSettings{}, &none);
  session->onText(frame("connection", keepAliveConnection(true)));
  none.keep(std::move(session));
  EXPECT_EQ(none.keptCount(), 0u);
  EXPECT_EQ(factory.created.at(0)->log.back(), "close");
}

TEST_F(SessionRegistryTest, TokenOfAnotherWorkerIsRelayedToTheOwningWorker) {
  // Worker 0 is `registry`; worker 1 gets the reconnecting socket.
  SessionRegistry worker1{io.get_executor(), 200ms, 1};
  auto peers = std::make_shared<std::vector<SessionRegistry::Peer>>(
      std::vector<SessionRegistry::Peer>{{io.get_executor(), &registry}, {io.get_executor(), &worker1}});
  registry.setPeers(peers);
  worker1.setPeers(peers);
  auto session = connect();
  user().listener.onRegistered();
  registry.keep(std::move(session));
  user().listener.onRemoteSdp("in1", "v=0\r\noffer", false);
  user().listener.onIncomingCall(snapshot("in1", gateway::CallStatus::Ring, true));

  auto relay = std::make_unique<ClientSession>(io.get_executor(), second, factory, KeepAliveSettings{}, &worker1);
  relay->onText(frame("connection", {{"authToken", token}, {"keepAlive", true}}));
  relay->onText(frame("answer", {{"callId", "in1"}, {"sdp", "v=0\r\nanswer"}}));
  pump(50ms);
  EXPECT_EQ(second.adopted, nullptr);  // the session stays on its worker
  EXPECT_EQ(second.names(),
            (std::vector<std::string>{"getUserData", "registered", "setRemoteSDP", "notifyIncomingCall", "ring"}));
  EXPECT_EQ(second.frames[0]["data"][0]["authToken"], token);
  EXPECT_EQ(user().log.back(), "answer in1");  // relayed to the owner's session
  EXPECT_EQ(registry.keptCount(), 0u);
  EXPECT_EQ(registry.attachedCount(), 1u);
  // Pings are answered by the relaying socket itself.
  relay->onText(frame("ping", nullptr));
  EXPECT_EQ(second.names().back(), "pong");

  // A third socket while the relay holds it: in use.
  FakeSink third;
  auto other = std::make_unique<ClientSession>(io.get_executor(), third, factory, KeepAliveSettings{}, &worker1);
  other->onText(frame("connection", {{"authToken", token}, {"keepAlive", true}}));
  pump(50ms);
  ASSERT_EQ(third.names(), std::vector<std::string>{"fail"});
  EXPECT_EQ(third.frames[0]["data"][0]["info"], SessionRegistry::kTokenInUse);
  EXPECT_TRUE(third.closed);

  // The relaying socket closes: the owner keeps the session again, then expires it.
  relay->shutdown([] {});
  pump(50ms);
  EXPECT_EQ(registry.keptCount(), 1u);
  EXPECT_EQ(user().log.back(), "hangup in1");  // answered, so not resumable: ended; session kept
  pump(300ms);
  EXPECT_EQ(registry.keptCount(), 0u);
}

TEST_F(SessionRegistryTest, UnknownTokenOfAnotherWorkerIsRefusedThroughTheRelay) {
  SessionRegistry worker1{io.get_executor(), 200ms, 1};
  auto peers = std::make_shared<std::vector<SessionRegistry::Peer>>(
      std::vector<SessionRegistry::Peer>{{io.get_executor(), &registry}, {io.get_executor(), &worker1}});
  registry.setPeers(peers);
  worker1.setPeers(peers);
  auto relay = std::make_unique<ClientSession>(io.get_executor(), second, factory, KeepAliveSettings{}, &worker1);
  relay->onText(frame("connection", {{"authToken", "0-nosuchkey.nosecret"}, {"keepAlive", true}}));
  pump(50ms);
  ASSERT_EQ(second.names(), std::vector<std::string>{"fail"});
  EXPECT_EQ(second.frames[0]["data"][0]["info"], SessionRegistry::kUnknownToken);
  EXPECT_TRUE(second.closed);
  // A worker that does not exist: not relayed, refused here.
  FakeSink third;
  auto other = std::make_unique<ClientSession>(io.get_executor(), third, factory, KeepAliveSettings{}, &worker1);
  other->onText(frame("connection", {{"authToken", "7-nosuchkey.nosecret"}, {"keepAlive", true}}));
  ASSERT_EQ(third.names(), std::vector<std::string>{"fail"});
  EXPECT_EQ(third.frames[0]["data"][0]["info"], SessionRegistry::kOtherWorker);
}

}  // namespace
}  // namespace callgate::api

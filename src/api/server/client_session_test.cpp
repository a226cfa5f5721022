#include "api/server/client_session.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include "api/protocol/frames.hpp"

namespace callgate::api {
namespace {

struct FakeSink : FrameSink {
  std::vector<Json> frames;
  bool closed = false;
  void sendText(std::string text) override { frames.push_back(Json::parse(text)); }
  void closeAfterSend() override { closed = true; }
  void adopt(std::unique_ptr<ClientSession> kept) override { adopted = std::move(kept); }
  std::unique_ptr<ClientSession> adopted;
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (auto& f : frames) out.push_back(f["message"]);
    return out;
  }
};

struct FakeUserSession : gateway::UserSession {
  gateway::UserSession::Listener& listener;
  gateway::SipAccount account;
  std::vector<std::string> log;
  explicit FakeUserSession(gateway::UserSession::Listener& l, gateway::SipAccount a) : listener(l), account(std::move(a)) {}
  void start() override { log.push_back("start"); }
  void call(gateway::OutgoingCallRequest r) override {
    log.push_back("call " + r.callId + " " + r.callee);
    lastCall = std::move(r);
  }
  void hangup(const std::string& id) override { log.push_back("hangup " + id); }
  void answer(const std::string& id, const std::string& sdp,
              std::vector<std::pair<std::string, std::string>> headers) override {
    std::string text = "answer " + id + " " + sdp;
    for (auto& [n, v] : headers) text += " " + n + "=" + v;
    log.push_back(text);
  }
  void transfer(const std::string& id, const std::string& target) override { log.push_back("transfer " + id + " " + target); }
  void hold(const std::string& id, bool on) override { log.push_back((on ? "hold " : "unhold ") + id); }
  void sendDtmf(const std::string& id, const std::string& d, const std::string& t) override {
    log.push_back("dtmf " + id + " " + d + " " + t);
  }
  void close(std::function<void()> done) override {
    log.push_back("close");
    done();
  }
  gateway::OutgoingCallRequest lastCall;
};

struct FakeFactory : gateway::UserSessionFactory {
  FakeUserSession* last = nullptr;
  std::unique_ptr<gateway::UserSession> create(gateway::SipAccount a, gateway::UserSession::Listener& l) override {
    auto s = std::make_unique<FakeUserSession>(l, std::move(a));
    last = s.get();
    return s;
  }
};

std::string frame(const std::string& name, const Json& payload) {
  return Json{{"message", name}, {"data", Json::array({payload})}}.dump();
}

Json goodConnection() {
  return {{"appKey", "defaultApp"}, {"sipLogin", "1000"}, {"sipAuthenticationName", "1000"}, {"sipPassword", "1234"},
          {"sipDomain", "127.0.0.1"}, {"sipOutboundProxy", "127.0.0.1"}, {"sipPort", "5060"},
          {"sipRegisterRequired", true}};
}

class ClientSessionTest : public ::testing::Test {
 protected:
  boost::asio::io_context io;
  FakeSink sink;
  FakeFactory factory;
  ClientSession session{io.get_executor(), sink, factory};
};

TEST_F(ClientSessionTest, ConnectionEchoesLoginAndTokenWithoutPassword) {
  session.onText(frame("connection", goodConnection()));
  ASSERT_EQ(sink.names(), std::vector<std::string>{"getUserData"});
  const Json& data = sink.frames[0]["data"][0];
  EXPECT_EQ(data["sipLogin"], "1000");
  EXPECT_FALSE(data["authToken"].get<std::string>().empty());
  EXPECT_FALSE(data.contains("sipPassword"));
  ASSERT_NE(factory.last, nullptr);
  EXPECT_EQ(factory.last->account.port, 5060);
  EXPECT_EQ(factory.last->log, std::vector<std::string>{"start"});
}

TEST_F(ClientSessionTest, LoginWithSpaceIsRefusedNamingTheField) {
  Json c = goodConnection();
  c["sipLogin"] = "Ralf C12441@host.com";
  session.onText(frame("connection", c));
  ASSERT_EQ(sink.names(), std::vector<std::string>{"fail"});
  const Json& fail = sink.frames[0]["data"][0];
  EXPECT_EQ(fail["apiMethod"], "ConnectionStatusEvent");
  EXPECT_EQ(fail["status"], "FAILED");
  EXPECT_EQ(fail["info"], "Invalid SIP login: character ' ' not allowed by RFC 3261");
  EXPECT_TRUE(sink.closed);
  EXPECT_EQ(factory.last, nullptr);
}

TEST_F(ClientSessionTest, AuthNameWithAngleBracketIsRefused) {
  Json c = goodConnection();
  c["sipAuthenticationName"] = "<ralf>";
  session.onText(frame("connection", c));
  ASSERT_EQ(sink.names(), std::vector<std::string>{"fail"});
  EXPECT_NE(sink.frames[0]["data"][0]["info"].get<std::string>().find("Invalid SIP authentication name"),
            std::string::npos);
}

TEST_F(ClientSessionTest, BadPortIsRefused) {
  Json c = goodConnection();
  c["sipPort"] = "50x";
  session.onText(frame("connection", c));
  ASSERT_EQ(sink.names(), std::vector<std::string>{"fail"});
  EXPECT_EQ(sink.frames[0]["data"][0]["info"], "Invalid sipPort: '50x' is not a port number");
}

TEST_F(ClientSessionTest, RequestsBeforeConnectionFail) {
  session.onText(frame("call", {{"callId", "c1"}}));
  ASSERT_EQ(sink.names(), std::vector<std::string>{"fail"});
  EXPECT_EQ(sink.frames[0]["data"][0]["apiMethod"], "call");
}

TEST_F(ClientSessionTest, MalformedJsonGetsFailNotCrash) {
  session.onText("{not json");
  ASSERT_EQ(sink.names(), std::vector<std::string>{"fail"});
  EXPECT_EQ(sink.frames[0]["data"][0]["info"], "Malformed JSON");
}

TEST_F(ClientSessionTest, CallIsForwardedWithInviteParameters) {
  session.onText(frame("connection", goodConnection()));
  session.onText(frame("call", {{"callId", "c1"}, {"callee", "1001"}, {"sdp", "v=0\r\n"}, {"hasVideo", false},
                                {"inviteParameters", {{"X-Tenant", "42"}}}}));
  ASSERT_EQ(factory.last->log.back(), "call c1 1001");
  ASSERT_EQ(factory.last->lastCall.extraHeaders.size(), 1u);
  EXPECT_EQ(factory.last->lastCall.extraHeaders[0].first, "X-Tenant");
}

// The Web SDK forwards only `custom`: the phone page sends its INVITE parameters there.
TEST_F(ClientSessionTest, InviteParametersFromWebSdkCustom) {
  session.onText(frame("connection", goodConnection()));
  session.onText(frame("call", {{"callId", "c1"}, {"callee", "1001"}, {"sdp", "v=0\r\n"},
                                {"custom", {{"inviteParameters", {{"X-Page", "yes"}}}}}}));
  ASSERT_EQ(factory.last->log.back(), "call c1 1001");
  ASSERT_EQ(factory.last->lastCall.extraHeaders.size(), 1u);
  EXPECT_EQ(factory.last->lastCall.extraHeaders[0].first, "X-Page");
  EXPECT_EQ(factory.last->lastCall.extraHeaders[0].second, "yes");
}

TEST_F(ClientSessionTest, InviteParameterWithCrLfFailsTheCall) {
  session.onText(frame("connection", goodConnection()));
  sink.frames.clear();
  session.onText(frame("call", {{"callId", "c1"}, {"callee", "1001"}, {"sdp", "v=0\r\n"},
                                {"inviteParameters", {{"X-Evil", "a\r\nVia: x"}}}}));
  ASSERT_EQ(sink.names(), (std::vector<std::string>{"finish", "fail"}));
  EXPECT_EQ(sink.frames[0]["data"][0]["status"], "FAILED");
  EXPECT_EQ(sink.frames[0]["data"][0]["callId"], "c1");
  EXPECT_EQ(factory.last->log.back(), "start");
}

TEST_F(ClientSessionTest, StatusEventsUseRoutedFrameNames) {
  session.onText(frame("connection", goodConnection()));
  sink.frames.clear();
  gateway::CallSnapshot call;
  call.callId = "c1";
  for (auto status : {gateway::CallStatus::Trying, gateway::CallStatus::Ring, gateway::CallStatus::Established,
                      gateway::CallStatus::Busy}) {
    call.status = status;
    session.onCallStatus(call);
  }
  session.onRemoteSdp("c1", "v=0", true);
  EXPECT_EQ(sink.names(), (std::vector<std::string>{"notifyTryingResponse", "ring", "talk", "finish", "setRemoteSDP"}));
  EXPECT_EQ(sink.frames[3]["data"][0]["status"], "BUSY");
  EXPECT_EQ(sink.frames[4]["data"], Json::array({"c1", "v=0", true}));
}

TEST_F(ClientSessionTest, KeepAliveClosesAfterProbesUnanswered) {
  ClientSession s(io.get_executor(), sink, factory, KeepAliveSettings{2});
  EXPECT_TRUE(s.onKeepAliveTick());
  EXPECT_TRUE(s.onKeepAliveTick());
  EXPECT_FALSE(s.onKeepAliveTick());
  s.onText(R"({"message":"pong","data":[null]})");
  EXPECT_TRUE(s.onKeepAliveTick());
  EXPECT_EQ(sink.frames[0]["message"], "ping");
  EXPECT_TRUE(sink.frames[0]["data"].is_array());
}

TEST_F(ClientSessionTest, LegacyPongWithoutDataIsAccepted) {
  session.onText(R"({"message":"pong"})");
  EXPECT_TRUE(sink.frames.empty());
}

TEST_F(ClientSessionTest, ShutdownClosesUserSession) {
  session.onText(frame("connection", goodConnection()));
  auto* user = factory.last;
  bool done = false;
  session.shutdown([&] { done = true; });
  EXPECT_EQ(user->log.back(), "close");
  io.run();
  EXPECT_TRUE(done);
}

TEST_F(ClientSessionTest, DtmfValidatesDigits) {
  session.onText(frame("connection", goodConnection()));
  sink.frames.clear();
  session.onText(frame("sendDtmf", {{"callId", "c1"}, {"dtmf", "12x"}, {"type", "RFC2833"}}));
  ASSERT_EQ(sink.names(), std::vector<std::string>{"fail"});
  session.onText(frame("sendDtmf", {{"callId", "c1"}, {"dtmf", 5}}));
  EXPECT_EQ(factory.last->log.back(), "dtmf c1 5 RFC2833");
}

}  // namespace
}  // namespace callgate::api

namespace callgate::api {
namespace {

TEST_F(ClientSessionTest, IncomingCallFramesComeInProtocolOrder) {
  session.onText(frame("connection", goodConnection()));
  gateway::CallSnapshot call;
  call.callId = "in-1";
  call.incoming = true;
  call.caller = "2000";
  call.callee = "1000";
  call.visibleName = "Bob";
  call.status = gateway::CallStatus::Ring;
  factory.last->listener.onRemoteSdp("in-1", "v=0 offer", false);
  factory.last->listener.onIncomingCall(call);
  factory.last->listener.onCallStatus(call);
  EXPECT_EQ(sink.names(), (std::vector<std::string>{"getUserData", "setRemoteSDP", "notifyIncomingCall", "ring"}));
  EXPECT_EQ(sink.frames[1]["data"], Json::array({"in-1", "v=0 offer", false}));
  const Json& incoming = sink.frames[2]["data"][0];
  EXPECT_EQ(incoming["callId"], "in-1");
  EXPECT_EQ(incoming["incoming"], true);
  EXPECT_EQ(incoming["caller"], "2000");
  EXPECT_EQ(incoming["callee"], "1000");
  EXPECT_EQ(incoming["visibleName"], "Bob");
}

TEST_F(ClientSessionTest, AnswerIsDecodedWithSipHeaders) {
  session.onText(frame("connection", goodConnection()));
  session.onText(frame("answer", {{"callId", "in-1"}, {"sdp", "v=0 answer"}, {"incoming", true},
                                  {"sipHeaders", Json::array({"X-Agent: 7"})}}));
  EXPECT_EQ(factory.last->log.back(), "answer in-1 v=0 answer X-Agent=7");
}

TEST_F(ClientSessionTest, AnswerWithoutSdpOrWithBadHeaderFails) {
  session.onText(frame("connection", goodConnection()));
  session.onText(frame("answer", {{"callId", "in-1"}}));
  ASSERT_EQ(sink.names().back(), "fail");
  EXPECT_EQ(sink.frames.back()["data"][0]["apiMethod"], "answer");
  EXPECT_NE(sink.frames.back()["data"][0]["info"].get<std::string>().find("Missing sdp"), std::string::npos);
  session.onText(frame("answer", {{"callId", "in-1"}, {"sdp", "v=0"}, {"sipHeaders", Json::array({"X-Bad: a\r\nb"})}}));
  EXPECT_NE(sink.frames.back()["data"][0]["info"].get<std::string>().find("SIP header X-Bad"), std::string::npos);
  EXPECT_EQ(factory.last->log, std::vector<std::string>{"start"});
}

}  // namespace
}  // namespace callgate::api

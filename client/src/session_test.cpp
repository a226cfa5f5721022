// Session and Call against a scripted in-process WebSocket server (Beast, loopback) and a
// fake media engine: the status mapping of the WCS server messages, end to end through the
// SDK's real transport and threads.
#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <nlohmann/json.hpp>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "callgate/client/client.hpp"
#include "callgate_client.h"

namespace callgate::client {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
using Json = nlohmann::json;
using Ws = beast::websocket::stream<tcp::socket>;

using Scripts = std::vector<std::function<void(Ws&)>>;

// A WebSocket server on its own thread: one connection per script, in order; after the last
// it stops listening, so further connects are refused (what re-attach tests need).
class ScriptedServer {
 public:
  explicit ScriptedServer(std::function<void(Ws&)> script) : ScriptedServer(Scripts{std::move(script)}) {}
  explicit ScriptedServer(Scripts scripts)
      : acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)),
        port_(acceptor_.local_endpoint().port()) {
    thread_ = std::thread([this, scripts = std::move(scripts)] {
      for (auto& script : scripts) {
        try {
          tcp::socket socket(io_);
          acceptor_.accept(socket);
          ++accepted_;
          Ws ws(std::move(socket));
          ws.accept();
          script(ws);
        } catch (const std::exception& e) {
          std::lock_guard lock(m_);
          errors_ += e.what() + std::string("; ");
        }
      }
      acceptor_.close();
    });
  }
  ~ScriptedServer() {
    if (thread_.joinable()) thread_.join();
  }
  std::string url() const { return "ws://127.0.0.1:" + std::to_string(port_); }
  int accepted() const { return accepted_; }
  std::string error() {
    std::lock_guard lock(m_);
    return errors_;
  }

 private:
  asio::io_context io_;
  tcp::acceptor acceptor_;
  uint16_t port_;
  std::thread thread_;
  std::atomic<int> accepted_{0};
  std::mutex m_;
  std::string errors_;
};

Json readFrame(Ws& ws) {
  beast::flat_buffer buffer;
  ws.read(buffer);
  return Json::parse(beast::buffers_to_string(buffer.data()));
}

void sendFrame(Ws& ws, const std::string& message, Json data) {
  ws.text(true);
  ws.write(asio::buffer(Json{{"message", message}, {"data", std::move(data)}}.dump()));
}

template <class T>
class Events {
 public:
  void push(T e) {
    std::lock_guard lock(m_);
    q_.push_back(std::move(e));
    cv_.notify_all();
  }
  // Waits for the event matching pred, up to 3 s.
  std::optional<T> waitFor(std::function<bool(const T&)> pred) {
    std::unique_lock lock(m_);
    std::optional<T> hit;
    cv_.wait_for(lock, std::chrono::seconds(3), [&] {
      for (auto& e : q_)
        if (pred(e)) {
          hit = e;
          return true;
        }
      return false;
    });
    return hit;
  }

 private:
  std::mutex m_;
  std::condition_variable cv_;
  std::deque<T> q_;
};

// Media engine that offers a fixed SDP and records the answer it got.
struct FakeMedia : MediaEngine {
  std::shared_ptr<std::string> answer;
  void createOffer(SdpCallback done) override { done(std::string("v=0 fake-offer")); }
  void createAnswer(const std::string&, SdpCallback done) override { done(std::string("v=0 fake-answer")); }
  void setRemoteDescription(const std::string& sdp, DoneCallback done) override {
    *answer = sdp;
    done({});
  }
  void close() override {}
};
struct FakeMediaFactory : MediaEngineFactory {
  std::shared_ptr<std::string> answer = std::make_shared<std::string>();
  Result<std::unique_ptr<MediaEngine>> create(const MediaConfig&, MediaEngine::EventCallback) override {
    auto m = std::make_unique<FakeMedia>();
    m->answer = answer;
    return std::unique_ptr<MediaEngine>(std::move(m));
  }
};

SessionOptions account(const std::string& url, std::shared_ptr<MediaEngineFactory> media = nullptr) {
  SessionOptions o;
  o.urlServer = url;
  o.sipLogin = "1000";
  o.sipPassword = "1234";
  o.sipDomain = "127.0.0.1";
  o.mediaEngineFactory = std::move(media);
  return o;
}

auto statusIs(SessionStatus s) {
  return [s](const SessionEvent& e) { return e.status == s; };
}

TEST(ClientSession, ConnectsRegistersAndAnswersPings) {
  Json connection, pong;
  ScriptedServer server([&](Ws& ws) {
    connection = readFrame(ws);
    sendFrame(ws, "getUserData", Json::array({{{"sipLogin", "1000"}, {"authToken", "tok-1"}}}));
    sendFrame(ws, "ping", Json::array({nullptr}));
    pong = readFrame(ws);
    sendFrame(ws, "registered", Json::array({Json::object()}));
    readFrame(ws);  // until the client closes
  });
  Events<SessionEvent> events;
  auto session = Session::create(account(server.url()));
  session->onAnyStatus([&](const SessionEvent& e) { events.push(e); });
  ASSERT_TRUE(session->connect());
  ASSERT_TRUE(events.waitFor(statusIs(SessionStatus::Connected)));
  ASSERT_TRUE(events.waitFor(statusIs(SessionStatus::Established)));
  ASSERT_TRUE(events.waitFor(statusIs(SessionStatus::Registered)));
  EXPECT_EQ(session->authToken(), "tok-1");
  session->disconnect();
  ASSERT_TRUE(events.waitFor(statusIs(SessionStatus::Disconnected)));
  session.reset();
  EXPECT_EQ(connection["message"], "connection");
  EXPECT_EQ(connection["data"][0]["sipLogin"], "1000");
  EXPECT_EQ(pong["message"], "pong");
}

TEST(ClientSession, RegistrationFailureIsFailedWithTheReason) {
  ScriptedServer server([&](Ws& ws) {
    readFrame(ws);
    sendFrame(ws, "getUserData", Json::array({{{"sipLogin", "1000"}}}));
    sendFrame(ws, "fail",
              Json::array({{{"apiMethod", "RegistrationStatusEvent"},
                            {"status", "FAILED"},
                            {"info", "403 Forbidden"},
                            {"sipStatus", 403}}}));
    try {
      readFrame(ws);
    } catch (...) {
    }
  });
  Events<SessionEvent> events;
  auto session = Session::create(account(server.url()));
  session->onAnyStatus([&](const SessionEvent& e) { events.push(e); });
  ASSERT_TRUE(session->connect());
  auto failed = events.waitFor(statusIs(SessionStatus::Failed));
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->info, "SIP registration failed: 403 Forbidden");
}

TEST(ClientSession, ServerRefusalIsFailedWithTheReason) {
  ScriptedServer server([&](Ws& ws) {
    readFrame(ws);
    sendFrame(ws, "fail",
              Json::array({{{"apiMethod", "ConnectionStatusEvent"},
                            {"status", "FAILED"},
                            {"info", "Invalid SIP login: character ' ' not allowed"}}}));
    ws.close(beast::websocket::close_code::normal);
  });
  Events<SessionEvent> events;
  auto session = Session::create(account(server.url()));
  session->onAnyStatus([&](const SessionEvent& e) { events.push(e); });
  ASSERT_TRUE(session->connect());
  auto failed = events.waitFor(statusIs(SessionStatus::Failed));
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->info, "Connection refused by the server: Invalid SIP login: character ' ' not allowed");
}

TEST(ClientCall, OutgoingStatusesSdpAndBusyWithCode) {
  Json call;
  ScriptedServer server([&](Ws& ws) {
    readFrame(ws);
    sendFrame(ws, "getUserData", Json::array({{{"sipLogin", "1000"}}}));
    call = readFrame(ws);
    const std::string id = call["data"][0]["callId"];
    sendFrame(ws, "notifyTryingResponse", Json::array({{{"callId", id}, {"status", "TRYING"}}}));
    sendFrame(ws, "ring", Json::array({{{"callId", id}, {"status", "RING"}, {"sipStatus", 180}}}));
    sendFrame(ws, "setRemoteSDP", Json::array({id, "v=0 server-answer", true}));
    sendFrame(ws, "talk", Json::array({{{"callId", id}, {"status", "ESTABLISHED"}, {"sipStatus", 200}}}));
    sendFrame(ws, "finish",
              Json::array({{{"callId", id}, {"status", "BUSY"}, {"sipStatus", 486}, {"info", "Busy Here"}}}));
    try {
      readFrame(ws);
    } catch (...) {
    }
  });
  auto media = std::make_shared<FakeMediaFactory>();
  Events<SessionEvent> sessionEvents;
  Events<CallEvent> callEvents;
  auto session = Session::create(account(server.url(), media));
  session->onAnyStatus([&](const SessionEvent& e) { sessionEvents.push(e); });
  ASSERT_TRUE(session->connect());
  ASSERT_TRUE(sessionEvents.waitFor(statusIs(SessionStatus::Established)));

  CallOptions options;
  options.callee = "2000";
  auto c = session->createCall(options);
  c->onAnyStatus([&](const CallEvent& e) { callEvents.push(e); });
  ASSERT_TRUE(c->call());
  auto busy = callEvents.waitFor([](const CallEvent& e) { return isTerminal(e.status); });
  ASSERT_TRUE(busy);
  EXPECT_EQ(busy->status, CallStatus::Busy);
  EXPECT_EQ(busy->sipStatus, 486);
  EXPECT_EQ(busy->info, "Busy Here");
  for (auto s : {CallStatus::Pending, CallStatus::Trying, CallStatus::Ring, CallStatus::Established})
    EXPECT_TRUE(callEvents.waitFor([s](const CallEvent& e) { return e.status == s; })) << toString(s);
  EXPECT_EQ(*media->answer, "v=0 server-answer");
  EXPECT_EQ(c->status(), CallStatus::Busy);
  EXPECT_FALSE(c->hangup());  // already ended: an error value, not an exception
  session.reset();
  EXPECT_EQ(call["data"][0]["sdp"], "v=0 fake-offer");
  EXPECT_EQ(call["data"][0]["callee"], "2000");
  EXPECT_EQ(call["data"][0]["caller"], "1000");
}

TEST(ClientCall, CallBeforeTheSessionIsUpFails) {
  auto session = Session::create(account("ws://127.0.0.1:1", std::make_shared<FakeMediaFactory>()));
  CallOptions options;
  options.callee = "2000";
  auto c = session->createCall(options);
  Events<CallEvent> events;
  c->onAnyStatus([&](const CallEvent& e) { events.push(e); });
  ASSERT_TRUE(c->call());
  auto failed = events.waitFor([](const CallEvent& e) { return e.status == CallStatus::Failed; });
  ASSERT_TRUE(failed);
  EXPECT_NE(failed->info.find("Invalid session state PENDING"), std::string::npos) << failed->info;
  EXPECT_FALSE(c->sendDtmf("1x"));
  CallOptions empty;
  EXPECT_EQ(session->createCall(empty)->call().message(), "No callee: set CallOptions::callee");
}

// notifyDtmf for a live call reaches Call::onDtmf in order; one for an unknown call id or
// a malformed one is dropped.
TEST(ClientCall, DtmfFromTheFarEndReachesOnDtmf) {
  Json connection;
  ScriptedServer server([&](Ws& ws) {
    connection = readFrame(ws);
    sendFrame(ws, "getUserData", Json::array({{{"sipLogin", "1000"}}}));
    const std::string id = readFrame(ws)["data"][0]["callId"];
    sendFrame(ws, "setRemoteSDP", Json::array({id, "v=0 server-answer", true}));
    sendFrame(ws, "talk", Json::array({{{"callId", id}, {"status", "ESTABLISHED"}, {"sipStatus", 200}}}));
    sendFrame(ws, "notifyDtmf", Json::array({{{"callId", "other"}, {"dtmf", "9"}, {"type", "INFO"}}}));
    sendFrame(ws, "notifyDtmf", Json::array({{{"callId", id}, {"dtmf", "xx"}, {"type", "INFO"}}}));
    sendFrame(ws, "notifyDtmf", Json::array({{{"callId", id}, {"dtmf", "5"}, {"type", "INFO_RELAY"}}}));
    sendFrame(ws, "notifyDtmf", Json::array({{{"callId", id}, {"dtmf", "#"}, {"type", "RFC2833"}}}));
    sendFrame(ws, "finish", Json::array({{{"callId", id}, {"status", "FINISH"}}}));
    try {
      readFrame(ws);
    } catch (...) {
    }
  });
  Events<SessionEvent> sessionEvents;
  Events<CallEvent> callEvents;
  std::mutex m;
  std::vector<std::string> digits;
  auto session = Session::create(account(server.url(), std::make_shared<FakeMediaFactory>()));
  session->onAnyStatus([&](const SessionEvent& e) { sessionEvents.push(e); });
  ASSERT_TRUE(session->connect());
  ASSERT_TRUE(sessionEvents.waitFor(statusIs(SessionStatus::Established)));
  CallOptions options;
  options.callee = "2000";
  auto c = session->createCall(options);
  c->onAnyStatus([&](const CallEvent& e) { callEvents.push(e); });
  c->onDtmf([&](const std::string& digit, DtmfType type) {
    std::lock_guard lock(m);
    digits.push_back(digit + " " + toString(type));
  });
  ASSERT_TRUE(c->call());
  ASSERT_TRUE(callEvents.waitFor([](const CallEvent& e) { return e.status == CallStatus::Finish; }));
  session.reset();
  EXPECT_EQ(connection["data"][0]["custom"]["callgateEvents"], Json::array({"dtmf"}));
  std::lock_guard lock(m);
  EXPECT_EQ(digits, (std::vector<std::string>{"5 INFO_RELAY", "# RFC2833"}));
}

// ---- keepAlive re-attach (docs/client-sdk.md "Reconnect") ----

// Drops the TCP connection without a WebSocket close (what a cut link looks like).
void cut(Ws& ws) {
  boost::system::error_code ignored;
  ws.next_layer().shutdown(tcp::socket::shutdown_both, ignored);
  ws.next_layer().close(ignored);
}

void readUntilClosed(Ws& ws) {
  try {
    for (;;) readFrame(ws);
  } catch (...) {
  }
}

SessionOptions keepAliveAccount(const std::string& url, int attempts = 3) {
  SessionOptions o = account(url, std::make_shared<FakeMediaFactory>());
  o.keepAlive = true;
  o.reconnectAttempts = attempts;
  o.reconnectInterval = std::chrono::milliseconds(100);
  return o;
}

auto eventIs(SessionStatus s, std::string infoPrefix) {
  return [s, infoPrefix](const SessionEvent& e) { return e.status == s && e.info.rfind(infoPrefix, 0) == 0; };
}

TEST(ClientReattach, LinkLossReattachesWithTheTokenOnlyAndEndsTheEstablishedCall) {
  Json first, second;
  ScriptedServer server(Scripts{
      [&](Ws& ws) {
        first = readFrame(ws);
        sendFrame(ws, "getUserData", Json::array({{{"sipLogin", "1000"}, {"authToken", "tok-9"}}}));
        sendFrame(ws, "registered", Json::array({Json::object()}));
        const Json call = readFrame(ws);
        const std::string id = call["data"][0]["callId"];
        sendFrame(ws, "setRemoteSDP", Json::array({id, "v=0 server-answer", true}));
        sendFrame(ws, "talk", Json::array({{{"callId", id}, {"status", "ESTABLISHED"}}}));
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        cut(ws);
      },
      [&](Ws& ws) {
        second = readFrame(ws);
        sendFrame(ws, "getUserData", Json::array({{{"sipLogin", "1000"}, {"authToken", "tok-9"}}}));
        sendFrame(ws, "registered", Json::array({Json::object()}));
        readUntilClosed(ws);
      },
  });
  Events<SessionEvent> events;
  Events<CallEvent> callEvents;
  auto session = Session::create(keepAliveAccount(server.url()));
  session->onAnyStatus([&](const SessionEvent& e) { events.push(e); });
  ASSERT_TRUE(session->connect());
  ASSERT_TRUE(events.waitFor(statusIs(SessionStatus::Registered)));
  CallOptions options;
  options.callee = "2000";
  auto c = session->createCall(options);
  c->onAnyStatus([&](const CallEvent& e) { callEvents.push(e); });
  ASSERT_TRUE(c->call());
  ASSERT_TRUE(callEvents.waitFor([](const CallEvent& e) { return e.status == CallStatus::Established; }));

  auto failed = callEvents.waitFor([](const CallEvent& e) { return e.status == CallStatus::Failed; });
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->info.rfind("Session link lost", 0), 0u) << failed->info;
  ASSERT_TRUE(events.waitFor(eventIs(SessionStatus::Pending, "Reconnecting (attempt 1 of 3)")));
  auto reattached = events.waitFor(eventIs(SessionStatus::Established, "Re-attached"));
  ASSERT_TRUE(reattached);
  // REGISTERED again after the re-attach (the second one in the history).
  ASSERT_TRUE(events.waitFor([n = std::make_shared<int>(0)](const SessionEvent& e) {
    return e.status == SessionStatus::Registered && ++*n == 2;
  }));
  EXPECT_EQ(session->status(), SessionStatus::Registered);
  session->disconnect();
  ASSERT_TRUE(events.waitFor(statusIs(SessionStatus::Disconnected)));
  session.reset();

  EXPECT_EQ(first["data"][0]["keepAlive"], true);
  EXPECT_EQ(first["data"][0]["sipLogin"], "1000");
  const Json& re = second["data"][0];
  EXPECT_EQ(re["authToken"], "tok-9");
  EXPECT_EQ(re["keepAlive"], true);
  EXPECT_FALSE(re.contains("sipLogin"));
  EXPECT_FALSE(re.contains("sipPassword"));  // never resent on a re-attach
}

TEST(ClientReattach, AttemptsRunOutThenFailedWithTheReason) {
  ScriptedServer server(Scripts{[&](Ws& ws) {
    readFrame(ws);
    sendFrame(ws, "getUserData", Json::array({{{"sipLogin", "1000"}, {"authToken", "tok-1"}}}));
    sendFrame(ws, "registered", Json::array({Json::object()}));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    cut(ws);
  }});  // then the port refuses connections
  Events<SessionEvent> events;
  auto session = Session::create(keepAliveAccount(server.url(), 2));
  session->onAnyStatus([&](const SessionEvent& e) { events.push(e); });
  ASSERT_TRUE(session->connect());
  ASSERT_TRUE(events.waitFor(eventIs(SessionStatus::Pending, "Reconnecting (attempt 2 of 2)")));
  auto failed = events.waitFor(statusIs(SessionStatus::Failed));
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->info.rfind("Re-attach failed after 2 attempts: ", 0), 0u) << failed->info;
  EXPECT_FALSE(events.waitFor(eventIs(SessionStatus::Pending, "Reconnecting (attempt 3")));
}

TEST(ClientReattach, UnknownTokenStopsAtOnceButInUseIsRetried) {
  int thirdSawToken = 0;
  ScriptedServer server(Scripts{
      [&](Ws& ws) {
        readFrame(ws);
        sendFrame(ws, "getUserData", Json::array({{{"sipLogin", "1000"}, {"authToken", "tok-2"}}}));
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        cut(ws);
      },
      [&](Ws& ws) {  // the server has not noticed the loss yet
        readFrame(ws);
        sendFrame(ws, "fail", Json::array({{{"apiMethod", "ConnectionStatusEvent"}, {"status", "FAILED"},
                                            {"info", "authToken is in use by another connection"}}}));
        ws.close(beast::websocket::close_code::normal);
        readUntilClosed(ws);
      },
      [&](Ws& ws) {  // ... and now it has forgotten the session
        thirdSawToken = readFrame(ws)["data"][0]["authToken"] == "tok-2";
        sendFrame(ws, "fail", Json::array({{{"apiMethod", "ConnectionStatusEvent"}, {"status", "FAILED"},
                                            {"info", "Unknown authToken"}}}));
        ws.close(beast::websocket::close_code::normal);
        readUntilClosed(ws);
      },
  });
  Events<SessionEvent> events;
  SessionOptions o = keepAliveAccount(server.url(), 5);
  o.sipRegisterRequired = false;
  auto session = Session::create(o);
  session->onAnyStatus([&](const SessionEvent& e) { events.push(e); });
  ASSERT_TRUE(session->connect());
  auto failed = events.waitFor(statusIs(SessionStatus::Failed));
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->info, "Re-attach failed: Connection refused by the server: Unknown authToken");
  EXPECT_TRUE(events.waitFor(eventIs(SessionStatus::Pending, "Reconnecting (attempt 2 of 5)")));
  EXPECT_FALSE(events.waitFor(eventIs(SessionStatus::Pending, "Reconnecting (attempt 3")));
  session.reset();
  EXPECT_EQ(thirdSawToken, 1);
  EXPECT_EQ(server.accepted(), 3);
}

TEST(ClientReattach, NoReattachWithoutKeepAliveOrAfterDisconnect) {
  ScriptedServer server(Scripts{[&](Ws& ws) {
    readFrame(ws);
    sendFrame(ws, "getUserData", Json::array({{{"sipLogin", "1000"}, {"authToken", "tok-3"}}}));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    cut(ws);
  }});
  Events<SessionEvent> events;
  SessionOptions o = account(server.url(), std::make_shared<FakeMediaFactory>());
  o.sipRegisterRequired = false;  // keepAlive false: reconnectAttempts do not apply
  auto session = Session::create(o);
  session->onAnyStatus([&](const SessionEvent& e) { events.push(e); });
  ASSERT_TRUE(session->connect());
  ASSERT_TRUE(events.waitFor([](const SessionEvent& e) {
    return e.status == SessionStatus::Failed || e.status == SessionStatus::Disconnected;
  }));
  EXPECT_FALSE(events.waitFor(eventIs(SessionStatus::Pending, "Reconnecting")));
}

TEST(ClientReattach, DisconnectWhileWaitingToRetryEndsDisconnected) {
  ScriptedServer server(Scripts{[&](Ws& ws) {
    readFrame(ws);
    sendFrame(ws, "getUserData", Json::array({{{"sipLogin", "1000"}, {"authToken", "tok-4"}}}));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    cut(ws);
  }});
  Events<SessionEvent> events;
  SessionOptions o = keepAliveAccount(server.url(), 5);
  o.sipRegisterRequired = false;
  o.reconnectInterval = std::chrono::seconds(30);
  auto session = Session::create(o);
  session->onAnyStatus([&](const SessionEvent& e) { events.push(e); });
  ASSERT_TRUE(session->connect());
  ASSERT_TRUE(events.waitFor(eventIs(SessionStatus::Pending, "Reconnecting (attempt 1 of 5)")));
  session->disconnect();
  ASSERT_TRUE(events.waitFor(statusIs(SessionStatus::Disconnected)));
  EXPECT_EQ(session->status(), SessionStatus::Disconnected);
}

TEST(ClientReattach, SessionWithOnlyATokenReattaches) {
  Json connection;
  ScriptedServer server(Scripts{[&](Ws& ws) {
    connection = readFrame(ws);
    sendFrame(ws, "getUserData", Json::array({{{"sipLogin", "1000"}, {"authToken", "tok-5"}}}));
    sendFrame(ws, "registered", Json::array({Json::object()}));
    readUntilClosed(ws);
  }});
  Events<SessionEvent> events;
  SessionOptions o;
  o.urlServer = server.url();
  o.authToken = "tok-5";
  o.keepAlive = true;
  o.mediaEngineFactory = std::make_shared<FakeMediaFactory>();
  auto session = Session::create(o);
  session->onAnyStatus([&](const SessionEvent& e) { events.push(e); });
  ASSERT_TRUE(session->connect());
  ASSERT_TRUE(events.waitFor(statusIs(SessionStatus::Registered)));
  EXPECT_EQ(session->authToken(), "tok-5");
  session->disconnect();
  ASSERT_TRUE(events.waitFor(statusIs(SessionStatus::Disconnected)));
  session.reset();
  const Json& p = connection["data"][0];
  EXPECT_EQ(p["authToken"], "tok-5");
  EXPECT_EQ(p["keepAlive"], true);
  EXPECT_FALSE(p.contains("sipLogin"));
  EXPECT_FALSE(p.contains("sipPassword"));
}

TEST(ClientReattach, CApiCarriesTokenKeepAliveAndReturnsTheToken) {
  Json connection;
  ScriptedServer server(Scripts{[&](Ws& ws) {
    connection = readFrame(ws);
    sendFrame(ws, "getUserData", Json::array({{{"sipLogin", "1000"}, {"authToken", "tok-c"}}}));
    readUntilClosed(ws);
  }});
  const std::string url = server.url();
  cg_session_options o = {};
  o.url_server = url.c_str();
  o.auth_token = "tok-old";
  o.keep_alive = 1;
  o.reconnect_attempts = -1;
  cg_session* s = cg_session_create(&o);
  ASSERT_NE(s, nullptr);
  Events<int> statuses;
  cg_session_set_status_callback(
      s, [](void* user, cg_session_status st, const char*) { static_cast<Events<int>*>(user)->push(int(st)); },
      &statuses);
  ASSERT_EQ(cg_session_connect(s), 0);
  ASSERT_TRUE(statuses.waitFor([](const int& st) { return st == CG_SESSION_ESTABLISHED; }));
  EXPECT_STREQ(cg_session_get_auth_token(s), "tok-c");
  cg_session_disconnect(s);
  ASSERT_TRUE(statuses.waitFor([](const int& st) { return st == CG_SESSION_DISCONNECTED; }));
  cg_session_destroy(s);
  EXPECT_EQ(connection["data"][0]["authToken"], "tok-old");
  EXPECT_EQ(connection["data"][0]["keepAlive"], true);
  o.reconnect_interval_ms = -5;
  EXPECT_EQ(cg_session_create(&o), nullptr);
  EXPECT_STREQ(cg_last_error(), "reconnect_interval_ms must not be negative");
}

}  // namespace
}  // namespace callgate::client

#include "protocol.hpp"

#include <gtest/gtest.h>

namespace callgate::client::detail {
namespace {

Json parse(const std::string& text) { return Json::parse(text); }

TEST(ClientProtocol, ConnectionCarriesSipAccountLikeTheWebSdk) {
  SessionOptions o;
  o.sipLogin = "1000";
  o.sipPassword = "1234";
  o.sipDomain = "127.0.0.1";
  o.sipPort = 5070;
  o.sipRegisterRequired = false;
  Json f = parse(encodeConnection(o));
  EXPECT_EQ(f["message"], "connection");
  ASSERT_TRUE(f["data"].is_array());
  const Json& p = f["data"][0];
  EXPECT_EQ(p["appKey"], "defaultApp");
  EXPECT_EQ(p["sipLogin"], "1000");
  EXPECT_EQ(p["sipAuthenticationName"], "1000");  // empty => login
  EXPECT_EQ(p["sipOutboundProxy"], "127.0.0.1");  // empty => domain
  EXPECT_EQ(p["sipPort"], "5070");
  EXPECT_EQ(p["sipRegisterRequired"], false);
  EXPECT_EQ(p["mediaProviders"], Json::array({"WebRTC"}));
  EXPECT_FALSE(p.contains("keepAlive"));
  EXPECT_FALSE(p.contains("authToken"));
}

TEST(ClientProtocol, TokenOnlyReattachHasNoSipFields) {
  SessionOptions o;
  o.authToken = "tok";
  o.keepAlive = true;
  const Json p = parse(encodeConnection(o))["data"][0];
  EXPECT_EQ(p["authToken"], "tok");
  EXPECT_EQ(p["keepAlive"], true);
  EXPECT_FALSE(p.contains("sipLogin"));
}

TEST(ClientProtocol, CallFrame) {
  CallOptions o;
  o.callee = "echo";
  o.inviteParameters["X-Tag"] = "a b";
  const Json f = parse(encodeCall("id-1", "1000", o, "v=0\r\n"));
  EXPECT_EQ(f["message"], "call");
  const Json& p = f["data"][0];
  EXPECT_EQ(p["callId"], "id-1");
  EXPECT_EQ(p["incoming"], false);
  EXPECT_EQ(p["status"], "PENDING");
  EXPECT_EQ(p["sdp"], "v=0\r\n");
  EXPECT_EQ(p["caller"], "1000");
  EXPECT_EQ(p["visibleName"], "1000");  // defaults to caller
  EXPECT_EQ(p["callee"], "echo");
  EXPECT_EQ(p["hasAudio"], true);
  EXPECT_EQ(p["inviteParameters"]["X-Tag"], "a b");
}

TEST(ClientProtocol, AnswerEchoesCalleeAndCustom) {
  const Json p = parse(encodeAnswer("c", "sdp", "1000", Json{{"k", 1}}))["data"][0];
  EXPECT_EQ(p["incoming"], true);
  EXPECT_EQ(p["callee"], "1000");
  EXPECT_EQ(p["custom"]["k"], 1);
}

TEST(ClientProtocol, SmallRequests) {
  EXPECT_EQ(parse(encodeCallRequest("hangup", "c"))["data"][0]["callId"], "c");
  const Json d = parse(encodeDtmf("c", "12#", DtmfType::Info))["data"][0];
  EXPECT_EQ(d["type"], "INFO");
  EXPECT_EQ(d["dtmf"], "12#");
  EXPECT_EQ(parse(encodeDtmf("c", "1", DtmfType::Rfc2833))["data"][0]["type"], "RFC2833");
  EXPECT_EQ(parse(encodeDtmf("c", "1", DtmfType::InfoRelay))["data"][0]["type"], "INFO_RELAY");
  const Json pong = parse(encodePong());
  EXPECT_EQ(pong["message"], "pong");
  EXPECT_TRUE(pong["data"][0].is_null());
}

TEST(ClientProtocol, DecodesServerFrames) {
  auto f = decodeServerFrame(R"({"message":"ping","data":[null]})");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->message, "ping");
  auto legacy = decodeServerFrame(R"({"message":"registered"})");
  ASSERT_TRUE(legacy);
  EXPECT_TRUE(legacy->data.is_array());
  EXPECT_FALSE(decodeServerFrame("{nope"));
  EXPECT_FALSE(decodeServerFrame("[1]"));
  EXPECT_FALSE(decodeServerFrame(R"({"data":[]})"));
  auto bad = decodeServerFrame(R"({"message":"x","data":{}})");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("not an array"), std::string::npos);
}

TEST(ClientProtocol, CallUpdateCarriesStatusCodeAndReason) {
  auto u = decodeCallUpdate(Json{{"callId", "c"}, {"status", "BUSY"}, {"sipStatus", 486}, {"info", "Busy Here"}});
  ASSERT_TRUE(u);
  EXPECT_EQ(u->status, CallStatus::Busy);
  EXPECT_EQ(u->sipStatus, 486);
  EXPECT_EQ(u->info, "Busy Here");
  auto unknown = decodeCallUpdate(Json{{"callId", "c"}, {"status", "WHATEVER"}});
  ASSERT_TRUE(unknown);
  EXPECT_FALSE(unknown->status.has_value());
  EXPECT_FALSE(decodeCallUpdate(Json{{"status", "RING"}}));
  EXPECT_FALSE(decodeCallUpdate(Json("x")));
}

TEST(ClientProtocol, FailAndRemoteSdp) {
  auto f = decodeFail(Json{
      {"apiMethod", "RegistrationStatusEvent"}, {"status", "FAILED"}, {"info", "403 Forbidden"}, {"sipStatus", 403}});
  ASSERT_TRUE(f);
  EXPECT_EQ(f->apiMethod, "RegistrationStatusEvent");
  EXPECT_EQ(f->sipStatus, 403);
  auto byId = decodeFail(Json{{"apiMethod", "CallStatusEvent"}, {"id", "c1"}, {"info", "x"}});
  ASSERT_TRUE(byId);
  EXPECT_EQ(byId->callId, "c1");

  auto r = decodeRemoteSdp(Json::array({"c", "v=0", true}));
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->isInitiator);
  EXPECT_FALSE(decodeRemoteSdp(Json::array({"c"})));
  EXPECT_FALSE(decodeRemoteSdp(Json::array({1, "v=0"})));
}

TEST(ClientProtocol, DtmfDigits) {
  EXPECT_TRUE(validateDtmf("0123456789*#ABCD"));
  EXPECT_FALSE(validateDtmf(""));
  auto bad = validateDtmf("12x");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.message().find("'x'"), std::string::npos);
}

TEST(ClientProtocol, UuidIsVersion4) {
  std::string a = makeUuid(), b = makeUuid();
  EXPECT_EQ(a.size(), 36u);
  EXPECT_EQ(a[14], '4');
  EXPECT_NE(a, b);
}

TEST(ClientStatus, WireNamesRoundTrip) {
  for (auto s : {CallStatus::New, CallStatus::Pending, CallStatus::Trying, CallStatus::Ring, CallStatus::RingMedia,
                 CallStatus::SessionProgress, CallStatus::Established, CallStatus::Hold, CallStatus::Busy,
                 CallStatus::Finish, CallStatus::Failed}) {
    EXPECT_EQ(callStatusFromString(toString(s)), s) << toString(s);
  }
  EXPECT_STREQ(toString(CallStatus::RingMedia), "RING_MEDIA");
  EXPECT_STREQ(toString(SessionStatus::Registered), "REGISTERED");
  EXPECT_EQ(sessionStatusFromString("FAILED"), SessionStatus::Failed);
  EXPECT_FALSE(callStatusFromString("ring").has_value());
  EXPECT_TRUE(isTerminal(CallStatus::Busy));
  EXPECT_TRUE(isTerminal(CallStatus::Finish));
  EXPECT_TRUE(isTerminal(CallStatus::Failed));
  EXPECT_FALSE(isTerminal(CallStatus::Hold));
}

// callgate extension (docs/architecture.md "Mid-call"): the SDK asks for DTMF events unless
// the app turns them off, and decodes notifyDtmf strictly (one digit, a known type).
TEST(ClientProtocol, ConnectionAsksForDtmfEventsByDefault) {
  SessionOptions o;
  o.sipLogin = "1000";
  EXPECT_EQ(parse(encodeConnection(o))["data"][0]["custom"]["callgateEvents"], Json::array({"dtmf"}));
  o.dtmfEvents = false;
  EXPECT_EQ(parse(encodeConnection(o))["data"][0]["custom"], Json::object());
}

TEST(ClientProtocol, NotifyDtmfDecoding) {
  auto n = decodeDtmfNotice(Json{{"callId", "c1"}, {"dtmf", "5"}, {"type", "INFO_RELAY"}});
  ASSERT_TRUE(n) << n.error().message;
  EXPECT_EQ(n->callId, "c1");
  EXPECT_EQ(n->digit, "5");
  EXPECT_EQ(n->type, DtmfType::InfoRelay);
  EXPECT_EQ(decodeDtmfNotice(Json{{"callId", "c1"}, {"dtmf", "#"}, {"type", "RFC2833"}})->type, DtmfType::Rfc2833);
  EXPECT_EQ(decodeDtmfNotice(Json{{"callId", "c1"}, {"dtmf", "A"}, {"type", "INFO"}})->type, DtmfType::Info);
  EXPECT_FALSE(decodeDtmfNotice(Json{{"dtmf", "5"}, {"type", "INFO"}}));                    // no callId
  EXPECT_FALSE(decodeDtmfNotice(Json{{"callId", "c1"}, {"dtmf", "55"}, {"type", "INFO"}}));  // one digit
  EXPECT_FALSE(decodeDtmfNotice(Json{{"callId", "c1"}, {"dtmf", "x"}, {"type", "INFO"}}));
  EXPECT_FALSE(decodeDtmfNotice(Json{{"callId", "c1"}, {"dtmf", "5"}, {"type", "SMOKE"}}));
  EXPECT_FALSE(decodeDtmfNotice(Json::array()));
}

TEST(ClientStatus, DtmfTypeWords) {
  for (auto t : {DtmfType::Rfc2833, DtmfType::Info, DtmfType::InfoRelay})
    EXPECT_EQ(dtmfTypeFromString(toString(t)), t) << toString(t);
  EXPECT_STREQ(toString(DtmfType::InfoRelay), "INFO_RELAY");
  EXPECT_FALSE(dtmfTypeFromString("info").has_value());
  EXPECT_EQ(parse(encodeDtmf("c", "1", DtmfType::InfoRelay))["data"][0]["type"], "INFO_RELAY");
}

}  // namespace
}  // namespace callgate::client::detail

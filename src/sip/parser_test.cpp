#include "sip/parser.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace callgate::sip {
namespace {

std::string loadTestdata(const std::string& name) {
  std::ifstream in(std::string(CALLGATE_TESTDATA) + "/" + name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Minimal valid header set, to build variants from.
const std::string kBase =
    "Via: SIP/2.0/UDP host.example.com;branch=z9hG4bK74bf9\r\n"
    "From: <sip:alice@example.com>;tag=9fxced76sl\r\n"
    "To: <sip:bob@example.com>\r\n"
    "Call-ID: 3848276298220188511@example.com\r\n";

std::string options(const std::string& extra, const std::string& cseq = "CSeq: 1 OPTIONS\r\n") {
  return "OPTIONS sip:bob@example.com SIP/2.0\r\n" + kBase + cseq + extra + "\r\n";
}

std::string errorOf(std::string_view data, const ParseLimits& limits = {}) {
  auto r = parseMessage(data, limits);
  return r ? std::string("<ok>") : r.error().message;
}

TEST(Parser, TypicalInvite) {
  const std::string data = loadTestdata("invite.sip");
  ASSERT_FALSE(data.empty());
  auto r = parseMessage(data);
  ASSERT_TRUE(r) << r.error().message;
  const Message& m = *r;
  EXPECT_TRUE(m.isRequest());
  EXPECT_EQ(m.method, "INVITE");
  EXPECT_EQ(m.requestUri, "sip:bob@biloxi.example.com");
  EXPECT_EQ(m.header("Call-ID").value(), "a84b4c76e66710@pc33.atlanta.example.com");
  EXPECT_EQ(m.header("cseq").value(), "314159 INVITE");
  EXPECT_EQ(m.header("From").value(), "\"Alice\" <sip:alice@atlanta.example.com>;tag=1928301774");
  EXPECT_EQ(m.headerValues("Allow").size(), 9u);
  EXPECT_EQ(m.body.size(), 149u);
  EXPECT_EQ(m.body.substr(0, 5), "v=0\r\n");
}

TEST(Parser, Response) {
  const std::string data = loadTestdata("ok200.sip");
  auto r = parseMessage(data);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->isResponse());
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->reason, "OK");
  EXPECT_EQ(r->headerValues("Via").size(), 3u);
  EXPECT_EQ(r->headerCount("Record-Route"), 2u);
  EXPECT_FALSE(r->body.empty());
}

TEST(Parser, ResponseWithMultiWordAndEmptyReason) {
  auto r = parseMessage("SIP/2.0 486 Busy Here Now\r\n" + kBase + "CSeq: 1 INVITE\r\n\r\n");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->reason, "Busy Here Now");
  auto e = parseMessage("SIP/2.0 180\r\n" + kBase + "CSeq: 1 INVITE\r\n\r\n");
  ASSERT_TRUE(e) << e.error().message;
  EXPECT_EQ(e->status, 180);
  EXPECT_EQ(e->reason, "");
}

TEST(Parser, Register401) {
  auto r = parseMessage(loadTestdata("register401.sip"));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->status, 401);
  ASSERT_TRUE(r->header("WWW-Authenticate"));
  EXPECT_EQ(r->headerValues("WWW-Authenticate").size(), 2u);
}

TEST(Parser, CompactHeaders) {
  const std::string data =
      "INVITE sip:bob@example.com SIP/2.0\r\n"
      "v: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
      "f: <sip:a@example.com>;tag=1\r\n"
      "t: <sip:bob@example.com>\r\n"
      "i: abc@h\r\n"
      "CSeq: 1 INVITE\r\n"
      "m: <sip:a@10.0.0.1>\r\n"
      "k: 100rel\r\n"
      "c: application/sdp\r\n"
      "l: 4\r\n"
      "\r\n"
      "v=0\r\n";
  auto r = parseMessage(data);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->headers[0].name, "Via");
  EXPECT_EQ(r->header("Call-ID").value(), "abc@h");
  EXPECT_EQ(r->header("Contact").value(), "<sip:a@10.0.0.1>");
  EXPECT_EQ(r->header("Supported").value(), "100rel");
  EXPECT_EQ(r->header("Content-Type").value(), "application/sdp");
  EXPECT_EQ(r->body, "v=0\r");  // Content-Length wins, extra bytes ignored
}

TEST(Parser, LineFoldingAndOddWhitespace) {
  // In the spirit of RFC 4475 §3.1.1.1 wsinv: LWS around colons, tabs, folded values.
  const std::string data =
      "OPTIONS sip:bob@example.com SIP/2.0\r\n"
      "Via  :\tSIP/2.0/UDP host.example.com;branch=z9hG4bK74bf9\r\n"
      "From:<sip:alice@example.com>;tag=9fxced76sl\r\n"
      "To  :    <sip:bob@example.com>   \r\n"
      "Call-ID:3848276298220188511@example.com\r\n"
      "CSeq:\r\n"
      "  1\r\n"
      "\t OPTIONS\r\n"
      "Subject: first line\r\n"
      "   second line\r\n"
      "Contact: <sip:a@h>\r\n"
      "\r\n";
  auto r = parseMessage(data);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->header("To").value(), "<sip:bob@example.com>");
  EXPECT_EQ(r->header("Via").value(), "SIP/2.0/UDP host.example.com;branch=z9hG4bK74bf9");
  EXPECT_EQ(r->header("CSeq").value(), "1 OPTIONS");
  EXPECT_EQ(r->header("Subject").value(), "first line second line");
  EXPECT_EQ(r->header("Contact").value(), "<sip:a@h>");
}

TEST(Parser, BareLfAndLeadingCrlf) {
  std::string data = "\r\n\r\n" + options("");
  std::string lf;
  for (char c : data.substr(4)) {
    if (c != '\r') lf.push_back(c);
  }
  EXPECT_EQ(errorOf(data), "<ok>");
  EXPECT_EQ(errorOf(lf), "<ok>");
}

TEST(Parser, RepeatedViaOnOneLineAndSeveral) {
  const std::string data =
      "SIP/2.0 200 OK\r\n"
      "Via: SIP/2.0/UDP a;branch=z9hG4bK1, SIP/2.0/TCP b;branch=z9hG4bK2\r\n"
      "Via: SIP/2.0/TLS c;branch=z9hG4bK3\r\n"
      "From: <sip:alice@example.com>;tag=1\r\n"
      "Via: SIP/2.0/WS d;branch=z9hG4bK4\r\n"
      "To: <sip:bob@example.com>;tag=2\r\n"
      "Call-ID: x\r\n"
      "CSeq: 5 BYE\r\n"
      "Content-Length: 0\r\n\r\n";
  auto r = parseMessage(data);
  ASSERT_TRUE(r) << r.error().message;
  auto vias = r->headerValues("v");
  ASSERT_EQ(vias.size(), 4u);
  EXPECT_EQ(vias[0], "SIP/2.0/UDP a;branch=z9hG4bK1");
  EXPECT_EQ(vias[1], "SIP/2.0/TCP b;branch=z9hG4bK2");
  EXPECT_EQ(vias[2], "SIP/2.0/TLS c;branch=z9hG4bK3");
  EXPECT_EQ(vias[3], "SIP/2.0/WS d;branch=z9hG4bK4");
}

TEST(Parser, MissingMandatoryHeaders) {
  const std::string start = "OPTIONS sip:bob@example.com SIP/2.0\r\n";
  const std::string via = "Via: SIP/2.0/UDP h;branch=z9hG4bK1\r\n";
  const std::string from = "From: <sip:a@h>;tag=1\r\n";
  const std::string to = "To: <sip:b@h>\r\n";
  const std::string callId = "Call-ID: c\r\n";
  const std::string cseq = "CSeq: 1 OPTIONS\r\n";
  EXPECT_EQ(errorOf(start + from + to + callId + cseq + "\r\n"), "Missing Via header");
  EXPECT_EQ(errorOf(start + via + to + callId + cseq + "\r\n"), "Missing From header");
  EXPECT_EQ(errorOf(start + via + from + callId + cseq + "\r\n"), "Missing To header");
  EXPECT_EQ(errorOf(start + via + from + to + cseq + "\r\n"), "Missing Call-ID header");
  EXPECT_EQ(errorOf(start + via + from + to + callId + "\r\n"), "Missing CSeq header");
  EXPECT_EQ(errorOf(start + via + from + to + callId + cseq + "\r\n"), "<ok>");
}

TEST(Parser, MultipleSingletonHeaders) {
  EXPECT_EQ(errorOf(options("Call-ID: other\r\n")), "Multiple Call-ID headers");
  EXPECT_EQ(errorOf(options("To: <sip:x@y>\r\n")), "Multiple To headers");
  EXPECT_EQ(errorOf(options("CSeq: 2 OPTIONS\r\n")), "Multiple CSeq headers");
}

TEST(Parser, MalformedCSeq) {
  EXPECT_EQ(errorOf(options("", "CSeq: OPTIONS\r\n")), "Malformed CSeq");
  EXPECT_EQ(errorOf(options("", "CSeq: 1OPTIONS\r\n")), "Malformed CSeq");
  EXPECT_EQ(errorOf(options("", "CSeq: -1 OPTIONS\r\n")), "Malformed CSeq");
  EXPECT_EQ(errorOf(options("", "CSeq: 2147483648 OPTIONS\r\n")), "Malformed CSeq");
  EXPECT_EQ(errorOf(options("", "CSeq: 2147483647 OPTIONS\r\n")), "<ok>");
  EXPECT_EQ(errorOf(options("", "CSeq: 1 INVITE\r\n")), "CSeq method does not match request method");
}

TEST(Parser, ContentLength) {
  EXPECT_EQ(errorOf(options("Content-Length: 10\r\n") + "short"), "Content-Length larger than message");
  EXPECT_EQ(errorOf(options("Content-Length: -999\r\n")), "Malformed Content-Length");
  EXPECT_EQ(errorOf(options("Content-Length: abc\r\n")), "Malformed Content-Length");
  EXPECT_EQ(errorOf(options("Content-Length: 99999999999999999999999\r\n")), "Malformed Content-Length");
  EXPECT_EQ(errorOf(options("Content-Length: 2\r\nl: 3\r\n") + "abc"), "Conflicting Content-Length headers");
  auto noLength = parseMessage(options("") + "body-to-end");
  ASSERT_TRUE(noLength);
  EXPECT_EQ(noLength->body, "body-to-end");
  auto zero = parseMessage(options("Content-Length: 0\r\n") + "ignored");
  ASSERT_TRUE(zero);
  EXPECT_EQ(zero->body, "");
}

TEST(Parser, StartLineErrors) {
  const std::string rest = kBase + "CSeq: 1 OPTIONS\r\n\r\n";
  EXPECT_EQ(errorOf("OPTIONS sip:bob@example.com SIP/7.0\r\n" + rest), "Version Not Supported");
  EXPECT_EQ(errorOf("OPTIONS  sip:bob@example.com SIP/2.0\r\n" + rest), "Malformed Request-URI");
  EXPECT_EQ(errorOf("OPTIONS sip:bob@example.com; lr SIP/2.0\r\n" + rest), "Malformed Request-URI");
  EXPECT_EQ(errorOf("OPTIONS sip:bob@example.com\r\n" + rest), "Malformed request line");
  EXPECT_EQ(errorOf("OPTIONS sip:bob@example.com HTTP/1.1\r\n" + rest), "Malformed start line");
  EXPECT_EQ(errorOf("OPT<IONS sip:bob@example.com SIP/2.0\r\n" + rest), "Malformed request line");
  EXPECT_EQ(errorOf("SIP/2.0 20 OK\r\n" + rest), "Malformed status line");
  EXPECT_EQ(errorOf("SIP/2.0 099 Odd\r\n" + rest), "Malformed status line");
  EXPECT_EQ(errorOf("SIP/2.0 700 Odd\r\n" + rest), "Malformed status line");
  EXPECT_EQ(errorOf("SIP/2.0 200OK\r\n" + rest), "Malformed status line");
  EXPECT_EQ(errorOf("sip/2.0 200 OK\r\n" + rest), "<ok>");
  EXPECT_EQ(errorOf("\r\n\r\n"), "Empty message");
  EXPECT_EQ(errorOf(""), "Empty message");
}

TEST(Parser, HeaderSectionErrors) {
  EXPECT_EQ(errorOf("OPTIONS sip:bob@example.com SIP/2.0\r\n" + kBase), "Incomplete header section");
  EXPECT_EQ(errorOf(options("NoColonHere\r\n")), "Malformed header line");
  EXPECT_EQ(errorOf(options("Bad Name: x\r\n")), "Malformed header name");
  EXPECT_EQ(errorOf(options(": x\r\n")), "Malformed header name");
  EXPECT_EQ(errorOf(options(std::string("X-Nul: a\0b\r\n", 13))), "Invalid character in header section");
  EXPECT_EQ(errorOf(options("X-Cr: a\rb\r\n")), "Invalid character in header section");
  EXPECT_EQ(errorOf("OPTIONS sip:bob@example.com SIP/2.0\r\n folded-first: x\r\n" + kBase + "CSeq: 1 OPTIONS\r\n\r\n"),
            "Malformed header line");
  EXPECT_EQ(errorOf(options("Max-Forwards: 256\r\n")), "Malformed Max-Forwards");
  EXPECT_EQ(errorOf(options("Via: TCP/1.0 h\r\n")), "<ok>");  // only the top Via is checked
  EXPECT_EQ(errorOf("OPTIONS sip:b@h SIP/2.0\r\nVia: UDP h\r\nFrom: <sip:a@h>\r\nTo: <sip:b@h>\r\nCall-ID: "
                    "c\r\nCSeq: 1 OPTIONS\r\n\r\n"),
            "Malformed Via");
  EXPECT_EQ(errorOf(options("Call-ID:\r\n")), "Malformed Call-ID");
}

TEST(Parser, UnknownHeadersKeptInOrder) {
  auto r = parseMessage(options("X-One: 1\r\nx-two: 2\r\nX-One: 3\r\n"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->headerCount("x-one"), 2u);
  EXPECT_EQ(r->headerValues("X-ONE").size(), 2u);
  EXPECT_EQ(r->headers.back().value, "3");
}

TEST(Parser, HardLimits) {
  ParseLimits limits;
  limits.maxHeaders = 10;
  std::string many;
  for (int i = 0; i < 6; ++i) many += "X-H" + std::to_string(i) + ": v\r\n";
  EXPECT_EQ(errorOf(options(many), limits), "Too many headers");
  // A huge header count (RFC 4475-style resource exhaustion) with default limits.
  std::string huge;
  for (int i = 0; i < 1000; ++i) huge += "X-H: v\r\n";
  EXPECT_EQ(errorOf(options(huge)), "Too many headers");

  limits = ParseLimits{};
  limits.maxLineBytes = 64;
  EXPECT_EQ(errorOf(options("X-Long: " + std::string(100, 'a') + "\r\n"), limits), "Header line too long");
  EXPECT_EQ(errorOf(options("X-Fold: " + std::string(40, 'a') + "\r\n " + std::string(40, 'b') + "\r\n"), limits),
            "Header line too long");

  limits = ParseLimits{};
  limits.maxMessageBytes = 100;
  EXPECT_EQ(errorOf(options(""), limits), "Message too large");
}

TEST(Parser, RoundTrip) {
  for (const char* file : {"invite.sip", "ok200.sip", "register401.sip", "folded.sip"}) {
    const std::string data = loadTestdata(file);
    auto first = parseMessage(data);
    ASSERT_TRUE(first) << file << ": " << first.error().message;
    const std::string wire = first->serialize();
    auto second = parseMessage(wire);
    ASSERT_TRUE(second) << file << ": " << second.error().message;
    EXPECT_EQ(second->serialize(), wire) << file;
    EXPECT_EQ(second->body, first->body);
    EXPECT_EQ(second->headers.size(), first->headers.size() + (first->header("Content-Length") ? 0 : 1));
  }
}

}  // namespace
}  // namespace callgate::sip

// Conformance as data, in the style of RFC 4475: testdata/torture/valid/*.sip must parse and
// round-trip; testdata/torture/invalid/<name>.sip must fail with the reason in <name>.err.
// The messages are our own, modelled on the RFC 4475 cases named in their file names.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "sip/header_values.hpp"
#include "sip/parser.hpp"

namespace callgate::sip {
namespace {

namespace fs = std::filesystem;

std::string readFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<fs::path> filesIn(const std::string& dir, const std::string& ext) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(fs::path(CALLGATE_TESTDATA) / "torture" / dir)) {
    if (e.path().extension() == ext) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(Torture, ValidMessagesParseAndRoundTrip) {
  const auto files = filesIn("valid", ".sip");
  ASSERT_GE(files.size(), 8u);
  for (const auto& f : files) {
    SCOPED_TRACE(f.filename().string());
    auto m = parseMessage(readFile(f));
    ASSERT_TRUE(m) << m.error().message;
    const std::string wire = m->serialize();
    auto again = parseMessage(wire);
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_EQ(again->serialize(), wire);
    EXPECT_EQ(again->body, m->body);
    for (std::string_view via : m->headerValues("Via")) {
      EXPECT_TRUE(parseVia(via)) << via;
    }
  }
}

TEST(Torture, InvalidMessagesFailWithReason) {
  const auto files = filesIn("invalid", ".sip");
  ASSERT_GE(files.size(), 15u);
  for (const auto& f : files) {
    SCOPED_TRACE(f.filename().string());
    fs::path errFile = f;
    errFile.replace_extension(".err");
    const std::string expected = readFile(errFile);
    ASSERT_FALSE(expected.empty());
    auto m = parseMessage(readFile(f));
    ASSERT_FALSE(m);
    EXPECT_EQ(m.error().message, expected);
  }
}

TEST(Torture, Wsinv) {
  auto m = parseMessage(readFile(fs::path(CALLGATE_TESTDATA) / "torture/valid/wsinv.sip"));
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(m->method, "INVITE");
  EXPECT_EQ(m->header("Max-Forwards").value(), "0068");
  EXPECT_EQ(m->header("CSeq").value(), "0009 INVITE");
  EXPECT_EQ(m->header("Subject").value(), "");
  EXPECT_EQ(m->header("NewFangledHeader").value(), "newfangled value continued newfangled value");
  EXPECT_EQ(m->body.size(), 150u);

  auto to = parseNameAddr(*m->header("To"));
  ASSERT_TRUE(to) << to.error().message;
  EXPECT_EQ(to->tag().value(), "1918181833n");
  auto from = parseNameAddr(*m->header("From"));
  ASSERT_TRUE(from) << from.error().message;
  EXPECT_EQ(from->displayName, "J Rosenberg \\\"");
  EXPECT_EQ(from->tag().value(), "98asjd8");
  auto contact = parseNameAddr(*m->header("Contact"));
  ASSERT_TRUE(contact) << contact.error().message;
  EXPECT_EQ(contact->displayName, "Quoted string \"\"");
  EXPECT_EQ(contact->param("newparam").value(), "newvalue");
  EXPECT_TRUE(contact->param("secondparam"));
  EXPECT_EQ(contact->param("q").value(), "0.33");

  auto vias = m->headerValues("Via");
  ASSERT_EQ(vias.size(), 3u);
  auto top = parseVia(vias[0]);
  ASSERT_TRUE(top) << top.error().message;
  EXPECT_EQ(top->transport, "UDP");
  EXPECT_EQ(top->host, "192.0.2.2");
  EXPECT_EQ(top->branch().value(), "390skdjuw");
  auto third = parseVia(vias[2]);
  ASSERT_TRUE(third) << third.error().message;
  EXPECT_EQ(third->host, "192.168.255.111");
  EXPECT_EQ(third->branch().value(), "z9hG4bK30239");
  auto cseq = parseCSeq(*m->header("CSeq"));
  ASSERT_TRUE(cseq);
  EXPECT_EQ(cseq->number, 9u);
}

TEST(Torture, EscnullAndDblreq) {
  auto esc = parseMessage(readFile(fs::path(CALLGATE_TESTDATA) / "torture/valid/escnull.sip"));
  ASSERT_TRUE(esc) << esc.error().message;
  auto to = parseNameAddr(*esc->header("To"));
  ASSERT_TRUE(to);
  EXPECT_EQ(to->uri.user, std::string("null-\0-null", 11));
  EXPECT_EQ(to->uri.serialize(), "sip:null-%00-null@example.com");
  EXPECT_EQ(esc->headerValues("Contact").size(), 2u);

  // Two requests in one datagram: Content-Length 0 ends the first, the rest is discarded.
  auto dbl = parseMessage(readFile(fs::path(CALLGATE_TESTDATA) / "torture/valid/dblreq.sip"));
  ASSERT_TRUE(dbl);
  EXPECT_EQ(dbl->method, "REGISTER");
  EXPECT_TRUE(dbl->body.empty());
}

TEST(Torture, Intmeth) {
  auto m = parseMessage(readFile(fs::path(CALLGATE_TESTDATA) / "torture/valid/intmeth.sip"));
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(m->method, "!interesting-Method0123456789_*+`.%indeed'~");
  auto ruri = parseUri(m->requestUri);
  ASSERT_TRUE(ruri) << ruri.error().message;
  EXPECT_EQ(ruri->user, "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
  EXPECT_EQ(ruri->password, "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
  auto from = parseNameAddr(*m->header("From"));
  ASSERT_TRUE(from) << from.error().message;
  EXPECT_EQ(from->displayName, "token1~` token2'+_ token3*%!.-");
  EXPECT_EQ(from->tag().value(), "_token~1'+`*%!-.");
}

}  // namespace
}  // namespace callgate::sip

// SIP parser throughput: a typical INVITE with an SDP body (12 headers) and a typical 200 OK.
// Goal (issue tracker): >= 300,000 INVITE parses per second per core.
#include <benchmark/benchmark.h>

#include <string>

#include "sip/header_values.hpp"
#include "sip/parser.hpp"

namespace {

const std::string kInvite =
    "INVITE sip:10005@pbx.example.com SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 192.0.2.10:5060;rport;branch=z9hG4bK-524287-1---4f3c2b1a0d9e8f7c\r\n"
    "Max-Forwards: 70\r\n"
    "Contact: <sip:1000@192.0.2.10:5060;transport=udp>\r\n"
    "To: <sip:10005@pbx.example.com>\r\n"
    "From: \"Alice\" <sip:1000@pbx.example.com>;tag=7c2d5e9a\r\n"
    "Call-ID: 5b1e0c8e-8c3f-4d2a-9a57-0c1b2d3e4f50\r\n"
    "CSeq: 1 INVITE\r\n"
    "Allow: INVITE, ACK, CANCEL, BYE, NOTIFY, REFER, MESSAGE, OPTIONS, INFO, SUBSCRIBE\r\n"
    "Supported: replaces, norefersub, timer\r\n"
    "User-Agent: callgate 0.1\r\n"
    "Content-Type: application/sdp\r\n"
    "Content-Length: 241\r\n"
    "\r\n"
    "v=0\r\n"
    "o=- 3912345678 3912345678 IN IP4 192.0.2.10\r\n"
    "s=callgate\r\n"
    "c=IN IP4 192.0.2.10\r\n"
    "t=0 0\r\n"
    "m=audio 40000 RTP/AVP 0 8 101\r\n"
    "a=rtpmap:0 PCMU/8000\r\n"
    "a=rtpmap:8 PCMA/8000\r\n"
    "a=rtpmap:101 telephone-event/8000\r\n"
    "a=fmtp:101 0-16\r\n"
    "a=ptime:20\r\n"
    "a=sendrecv\r\n";

const std::string kOk =
    "SIP/2.0 200 OK\r\n"
    "Via: SIP/2.0/UDP 192.0.2.10:5060;rport=5060;branch=z9hG4bK-524287-1---4f3c2b1a0d9e8f7c;received=203.0.113.7\r\n"
    "Record-Route: <sip:pbx.example.com;lr>\r\n"
    "Contact: <sip:10005@198.51.100.20:5060>\r\n"
    "To: <sip:10005@pbx.example.com>;tag=as6b2f1c0e\r\n"
    "From: \"Alice\" <sip:1000@pbx.example.com>;tag=7c2d5e9a\r\n"
    "Call-ID: 5b1e0c8e-8c3f-4d2a-9a57-0c1b2d3e4f50\r\n"
    "CSeq: 1 INVITE\r\n"
    "Server: Asterisk PBX 18.10.0\r\n"
    "Allow: INVITE, ACK, CANCEL, OPTIONS, BYE, REFER, SUBSCRIBE, NOTIFY, INFO, PUBLISH, MESSAGE\r\n"
    "Supported: replaces, timer\r\n"
    "Content-Length: 0\r\n"
    "\r\n";

void parseOrFail(benchmark::State& state, const std::string& data) {
  for (auto _ : state) {
    auto m = callgate::sip::parseMessage(data);
    if (!m) {
      state.SkipWithError(m.error().message.c_str());
      break;
    }
    benchmark::DoNotOptimize(m);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * data.size()));
}

void BM_ParseInvite(benchmark::State& state) { parseOrFail(state, kInvite); }
BENCHMARK(BM_ParseInvite);

void BM_Parse200Ok(benchmark::State& state) { parseOrFail(state, kOk); }
BENCHMARK(BM_Parse200Ok);

// What a UAS does per request beyond the framing parse: top Via, From/To, CSeq.
void BM_ParseInviteAndKeyHeaders(benchmark::State& state) {
  for (auto _ : state) {
    auto m = callgate::sip::parseMessage(kInvite);
    auto via = callgate::sip::parseVia(m->headerValues("Via").front());
    auto from = callgate::sip::parseNameAddr(*m->header("From"));
    auto to = callgate::sip::parseNameAddr(*m->header("To"));
    auto cseq = callgate::sip::parseCSeq(*m->header("CSeq"));
    benchmark::DoNotOptimize(via);
    benchmark::DoNotOptimize(from);
    benchmark::DoNotOptimize(to);
    benchmark::DoNotOptimize(cseq);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_ParseInviteAndKeyHeaders);

void BM_SerializeInvite(benchmark::State& state) {
  const auto m = callgate::sip::parseMessage(kInvite);
  for (auto _ : state) {
    std::string wire = m->serialize();
    benchmark::DoNotOptimize(wire);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_SerializeInvite);

}  // namespace

BENCHMARK_MAIN();

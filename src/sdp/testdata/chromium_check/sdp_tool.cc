// Not part of the build (.cc): a command-line wrapper the Chromium checks call.
//   sdp_tool answer <browser-offer.sdp> <sip-answer.sdp>   -> WebRTC answer (outgoing call)
//   sdp_tool offer <sip-offer.sdp> [video]                 -> WebRTC offer (incoming call)
// Build: g++ -std=c++20 -I src sdp_tool.cc build-sdp/src/sdp/libcallgate_sdp.a -o /tmp/sdp_tool
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "sdp/parser.hpp"
#include "sdp/sip_offer.hpp"
#include "sdp/webrtc_answer.hpp"
#include "sdp/webrtc_offer.hpp"
#include "sdp/writer.hpp"

using namespace callgate::sdp;

static std::string slurp(const char* p) {
  std::ifstream f(p);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

template <class P>
static void local(P& p) {
  p.iceUfrag = "cgUf";
  p.icePwd = "callgateIcePassword0123";
  p.fingerprint = "3A:96:6D:57:B2:C2:C7:61:A0:46:3E:1C:97:39:D3:F7:0A:88:A0:B1:EC:03:FB:10:A5:5D:3A:37:AB:DD:02:AA";
  p.candidateIp = "127.0.0.1";
  p.candidatePort = 50000;
  p.streamId = "callgate-stream";
  p.ssrcs = {1111, 2222};
}

int main(int argc, char** argv) {
  if (argc < 3) return 2;
  auto first = parse(slurp(argv[2]));
  if (!first) return std::cerr << first.error().message << "\n", 1;
  if (std::string(argv[1]) == "offer") {
    WebRtcOfferParams p;
    local(p);
    p.offerVideo = argc > 3;
    auto o = buildWebRtcOffer(*first, p);
    if (!o) return std::cerr << o.error().message << "\n", 1;
    std::cout << write(o->sdp);
    return 0;
  }
  if (argc < 4) return 2;
  SipOfferParams sp;
  sp.localIp = "203.0.113.1";
  sp.ports = {40000, 40002, 40004};
  sp.offerVideo = true;
  if (auto so = buildSipOffer(*first, sp); !so) return std::cerr << so.error().message << "\n", 1;
  auto sipAnswer = parse(slurp(argv[3]));
  if (!sipAnswer) return std::cerr << sipAnswer.error().message << "\n", 1;
  WebRtcAnswerParams p;
  local(p);
  auto a = buildWebRtcAnswer(*first, *sipAnswer, p);
  if (!a) return std::cerr << a.error().message << "\n", 1;
  std::cout << write(a->sdp);
  return 0;
}

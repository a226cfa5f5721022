// Relay throughput: 20 ms audio packets (12-byte RTP header + 160-byte payload) relayed
// SRTP -> RTP (unprotect in place, PT map, send) and RTP -> SRTP (PT map, protect in place,
// send) through real UDP sockets on 127.0.0.1, with the production WebRtcTransport and
// RtpEndpoint classes.
//
// Two threads, each with its own io_context: the relay worker under test, and a load
// generator playing the far ends (per call a controlling ICE agent + DTLS client + SRTP, as
// the load client does, and one plain-RTP "phone" socket). The generator sends packets
// protected in advance with sendmmsg and never reads, so it stays cheaper than the relay and
// keeps it saturated. The figure that matters is packets relayed per CPU-second of the relay
// thread (CLOCK_THREAD_CPUTIME_ID), i.e. packets/s per core; the generator's cost is not
// counted. A bounded number of packets in flight keeps the relay's socket buffers from
// overflowing. Relay outputs go to sockets nobody reads (the kernel drops them there).
#include <benchmark/benchmark.h>
#include <pthread.h>
#include <sys/socket.h>
#include <time.h>

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <cstring>
#include <memory>
#include <thread>
#include <vector>

#include "media/ice/controlling_agent.hpp"
#include "media/packet_buffer.hpp"
#include "media/rtp/payload_type_map.hpp"
#include "media/rtp_endpoint.hpp"
#include "media/webrtc_transport.hpp"

namespace {

using namespace callgate::media;
namespace dtls = callgate::media::dtls;
namespace ice = callgate::media::ice;
namespace srtp = callgate::media::srtp;
using boost::asio::ip::make_address;
using boost::asio::ip::udp;
using namespace std::chrono_literals;

double threadCpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

constexpr size_t kPayload = 160;
constexpr size_t kRtpSize = 12 + kPayload;

// Shared between the threads only through these atomics (bench bookkeeping, not product code).
struct Progress {
  std::atomic<uint64_t> relayed{0};
  std::atomic<int> connected{0};
  std::atomic<bool> failed{false};
  uint64_t startAt = 0, stopAt = 0;  // set before the run
  double cpuStart = 0, cpuStop = 0;  // written by the relay thread
  std::atomic<bool> done{false};
};

void fillRtp(uint8_t* p, uint8_t pt, uint16_t seq, uint32_t ssrc) {
  p[0] = 0x80;
  p[1] = pt;
  callgate::store16(p + 2, seq);
  callgate::store32(p + 4, uint32_t(seq) * 160);
  callgate::store32(p + 8, ssrc);
  std::memset(p + 12, 0xd5, kPayload);
}

// ---- relay side (thread A) ----

struct RelayCall {
  struct WebSide : WebRtcTransport::Listener {
    RelayCall* call;
    void onConnected() override { call->progress->connected.fetch_add(1); }
    void onFailed(std::string_view) override { call->progress->failed = true; }
    void onRtp(std::span<uint8_t> p) override {
      if (call->toSip.apply(p)) call->rtp->sendRtp(withTailroom(p), p.size());
      call->count();
    }
    void onRtcp(std::span<uint8_t> p) override { call->rtp->sendRtcp(withTailroom(p), p.size()); }
  } web;
  struct SipSide : RtpEndpoint::Listener {
    RelayCall* call;
    void onRtp(std::span<uint8_t> p) override {
      if (call->toWeb.apply(p)) call->webrtc->sendRtp(withTailroom(p), p.size());
      call->count();
    }
    void onRtcp(std::span<uint8_t> p) override { call->webrtc->sendRtcp(withTailroom(p), p.size()); }
  } sip;

  Progress* progress;
  uint64_t* relayedLocal;
  std::unique_ptr<WebRtcTransport> webrtc;
  std::unique_ptr<RtpEndpoint> rtp;
  rtp::PayloadTypeMap toSip, toWeb;

  void count() {
    const uint64_t n = ++*relayedLocal;
    if (n == progress->startAt) progress->cpuStart = threadCpuSeconds();
    if (n == progress->stopAt) {
      progress->cpuStop = threadCpuSeconds();
      progress->done = true;
    }
    progress->relayed.store(n, std::memory_order_relaxed);
  }
};

// ---- generator side (thread B) ----

// The far WebRTC end of one call, built from the public media pieces the load client uses:
// a controlling ICE agent, a DTLS client and an outbound SRTP session. After connecting it
// stops reading (the relay's SRTP to it is dropped by the kernel) and only blasts packets
// protected in advance, so the generator stays much cheaper than the relay it saturates.
struct BenchClient : dtls::DtlsEndpoint::Listener {
  Progress* progress;
  udp::socket sock;
  udp::endpoint server;
  ice::ControllingAgent agent;
  dtls::DtlsEndpoint dtls;
  std::optional<srtp::SrtpSession> out;
  bool iceOk = false, connected = false;
  std::array<uint8_t, 2048> rx{}, tx{};
  boost::asio::steady_timer retry;
  std::vector<uint8_t> packets;  // pre-protected SRTP, fixed stride
  size_t stride = 0, count = 0, next = 0;

  static inline const std::string kUfrag = "benchcli";
  static inline const std::string kPwd = "bench-client-password-22";

  BenchClient(boost::asio::io_context& io, Progress* p, const WebRtcTransport& relay)
      : progress(p),
        sock(io, udp::endpoint(make_address("127.0.0.1"), 0)),
        server(relay.localEndpoint()),
        agent(kUfrag, kPwd, relay.localUfrag(), relay.localPwd(), 0x7effffff),
        dtls(io, *this),
        retry(io) {
    int big = 4 << 20;
    setsockopt(sock.native_handle(), SOL_SOCKET, SO_SNDBUF, &big, sizeof big);
    dtls.setRemoteFingerprints({*dtls::parseFingerprint("sha-256 " + WebRtcTransport::localFingerprintSha256())});
  }
  void start() {
    check();
    receive();
  }
  void check() {
    if (iceOk) return;
    const size_t n = agent.buildRequest(tx, true);
    sock.send_to(boost::asio::buffer(tx.data(), n), server);
    retry.expires_after(100ms);
    retry.async_wait([this](auto ec) {
      if (!ec) check();
    });
  }
  void receive() {
    sock.async_receive(boost::asio::buffer(rx), [this](auto ec, size_t n) {
      if (ec || connected) return;
      const callgate::ByteView d(rx.data(), n);
      if (n > 0 && rx[0] <= 3) {
        if (agent.handleResponse(d).outcome == ice::ControllingAgent::Outcome::Success && !iceOk) {
          iceOk = true;
          dtls.start(dtls::DtlsRole::Client);
        }
      } else if (n > 0 && rx[0] >= 20 && rx[0] <= 63) {
        dtls.receive(d);
      }
      if (!connected) receive();
    });
  }
  void onDtlsSend(callgate::ByteView d) override { sock.send_to(boost::asio::buffer(d.data(), d.size()), server); }
  void onDtlsConnected(const dtls::SrtpKeyMaterial& keys) override {
    auto s = srtp::SrtpSession::create(srtp::SrtpSession::Direction::Outbound, keys.profile, keys.localKeySalt());
    if (!s) {
      progress->failed = true;
      return;
    }
    out.emplace(std::move(*s));
    connected = true;
    progress->connected.fetch_add(1);
  }
  void onDtlsFailed(dtls::DtlsFailure, std::string_view) override { progress->failed = true; }

  void pregenerate(size_t n, uint32_t ssrc) {
    stride = kPacketBufferSize;
    count = n;
    packets.assign(n * stride, 0);
    for (size_t i = 0; i < n; ++i) {
      std::span<uint8_t> b(packets.data() + i * stride, stride);
      fillRtp(b.data(), 111, uint16_t(i + 1), ssrc);
      size_t len = kRtpSize;
      out->protectRtp(b, len);
      callgate::store16(b.data() + stride - 2, uint16_t(len));  // length kept in the tailroom
    }
  }
};

void BM_Relay(benchmark::State& state) {
  const size_t calls = size_t(state.range(0));
  const uint64_t packets = 200000;
  const uint64_t warmup = 4000;
  // Packets in flight (both directions): enough to keep the relay busy, few enough that the
  // relay's default socket buffers never overflow.
  const uint64_t window = 256;

  for (auto _ : state) {
    // One thread per io_context and sockets touched only by it: no reactor I/O locking (the
    // scheduler keeps its lock so other threads may still post to the worker).
    boost::asio::io_context relayIo(BOOST_ASIO_CONCURRENCY_HINT_UNSAFE_IO), genIo(BOOST_ASIO_CONCURRENCY_HINT_UNSAFE_IO);
    PortAllocator relayPorts(30000, 33999);
    Progress progress;
    uint64_t relayedLocal = 0;
    std::vector<std::unique_ptr<RelayCall>> relay;
    std::vector<std::unique_ptr<BenchClient>> clients;
    udp::socket phone(genIo, udp::endpoint(make_address("127.0.0.1"), 0));
    int big = 4 << 20;
    setsockopt(phone.native_handle(), SOL_SOCKET, SO_SNDBUF, &big, sizeof big);

    for (size_t i = 0; i < calls; ++i) {
      auto r = std::make_unique<RelayCall>();
      r->web.call = r->sip.call = r.get();
      r->progress = &progress;
      r->relayedLocal = &relayedLocal;
      WebRtcTransportConfig cfg;
      cfg.bindIp = make_address("127.0.0.1");
      auto w = WebRtcTransport::create(relayIo, relayPorts, cfg, r->web);
      RtpEndpointConfig rc;
      rc.bindIp = cfg.bindIp;
      auto e = RtpEndpoint::create(relayIo, relayPorts, rc, r->sip);
      if (!w || !e) {
        state.SkipWithError("cannot create transports (ports?)");
        return;
      }
      r->webrtc = std::move(*w);
      r->rtp = std::move(*e);
      r->rtp->setRemote(phone.local_endpoint());
      r->toSip.set(111, 0);  // e.g. the browser's PT numbering differs from the SIP side's
      r->toWeb.set(0, 111);
      const auto fp = *dtls::parseFingerprint("sha-256 " + WebRtcTransport::localFingerprintSha256());
      r->webrtc->start({BenchClient::kUfrag, BenchClient::kPwd, {fp}, std::nullopt});
      clients.push_back(std::make_unique<BenchClient>(genIo, &progress, *r->webrtc));
      clients.back()->start();
      relay.push_back(std::move(r));
    }

    auto relayGuard = boost::asio::make_work_guard(relayIo);
    std::thread relayThread([&] {
      pthread_setname_np(pthread_self(), "relay");
      relayIo.run();
    });
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (progress.connected.load() < int(2 * calls) && !progress.failed &&
           std::chrono::steady_clock::now() < deadline)
      genIo.run_for(10ms);
    if (progress.connected.load() < int(2 * calls)) {
      relayIo.stop();
      relayThread.join();
      state.SkipWithError("calls did not connect");
      return;
    }

    // Pre-protect every SRTP packet (+25 % for losses) and the plain RTP packets.
    const size_t perCall = size_t((warmup + packets) / (2 * calls) * 5 / 4 + 64);
    for (size_t i = 0; i < calls; ++i) clients[i]->pregenerate(perCall, 0x1000 + uint32_t(i));
    std::vector<uint8_t> plain(calls * kRtpSize);
    std::vector<uint16_t> plainSeq(calls, 0);
    for (size_t i = 0; i < calls; ++i) fillRtp(plain.data() + i * kRtpSize, 0, 0, 0x2000 + uint32_t(i));

    progress.startAt = warmup;
    progress.stopAt = warmup + packets;
    // Blast: per round and call, up to `burst` packets each way with one sendmmsg per socket.
    const size_t burst = std::max<size_t>(1, 16 / calls);
    std::array<mmsghdr, 16> msgs;
    std::array<iovec, 16> iov;
    uint64_t sent = 0;
    uint64_t lastRelayed = 0;
    auto lastProgress = std::chrono::steady_clock::now();
    const auto wall0 = lastProgress;
    while (!progress.done && !progress.failed) {
      const uint64_t relayed = progress.relayed.load(std::memory_order_relaxed);
      const auto now = std::chrono::steady_clock::now();
      if (relayed != lastRelayed) {
        lastRelayed = relayed;
        lastProgress = now;
      } else if (now - lastProgress > 20ms) {
        sent = relayed;  // lost in full buffers: stop waiting for them
        lastProgress = now;
      }
      if (now - wall0 > 60s) break;
      if (sent >= relayed + window) {
        std::this_thread::yield();
        continue;
      }
      for (size_t c = 0; c < calls; ++c) {
        BenchClient& cl = *clients[c];
        size_t n = 0;
        for (; n < burst && cl.next < cl.count; ++n, ++cl.next) {
          uint8_t* p = cl.packets.data() + cl.next * cl.stride;
          iov[n] = {p, callgate::load16(p + cl.stride - 2)};
          msgs[n].msg_hdr = msghdr{};
          msgs[n].msg_hdr.msg_iov = &iov[n];
          msgs[n].msg_hdr.msg_iovlen = 1;
          msgs[n].msg_hdr.msg_name = cl.server.data();
          msgs[n].msg_hdr.msg_namelen = socklen_t(cl.server.size());
        }
        if (n > 0) sendmmsg(cl.sock.native_handle(), msgs.data(), unsigned(n), MSG_DONTWAIT);
        const udp::endpoint to = relay[c]->rtp->localRtpEndpoint();
        uint8_t* p = plain.data() + c * kRtpSize;
        for (size_t k = 0; k < burst; ++k) {
          callgate::store16(p + 2, ++plainSeq[c]);
          ::sendto(phone.native_handle(), p, kRtpSize, MSG_DONTWAIT, to.data(), to.size());
        }
        sent += n + burst;
      }
    }
    const auto wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
    relayIo.stop();
    relayThread.join();
    if (!progress.done) {
      state.SkipWithError("relay did not finish");
      return;
    }
    const double cpu = progress.cpuStop - progress.cpuStart;
    state.SetIterationTime(cpu);
    state.counters["relay_cpu_s"] = cpu;
    state.counters["pps_per_core"] = double(packets) / cpu;
    state.counters["pps_wall"] = double(packets) / wall;
    uint64_t drops = 0;
    for (auto& r : relay) drops += r->webrtc->counters().drops() + r->rtp->counters().drops();
    state.counters["relay_drops"] = double(drops);
    state.SetItemsProcessed(int64_t(packets));
  }
}

// libsrtp alone (protect + unprotect in place, 172-byte packet), to separate crypto cost from
// socket cost in the relay figure. Debian's libsrtp2 uses NSS for its crypto.
void BM_SrtpRoundTrip(benchmark::State& state) {
  const auto profile = state.range(0) ? srtp::SrtpProfile::AeadAes128Gcm : srtp::SrtpProfile::AesCm128HmacSha1_80;
  std::array<uint8_t, srtp::kSrtpMaxKeySalt> key{};
  for (size_t i = 0; i < key.size(); ++i) key[i] = uint8_t(i * 7);
  const callgate::ByteView ks(key.data(), srtp::srtpKeyLength(profile) + srtp::srtpSaltLength(profile));
  auto out = srtp::SrtpSession::create(srtp::SrtpSession::Direction::Outbound, profile, ks);
  auto in = srtp::SrtpSession::create(srtp::SrtpSession::Direction::Inbound, profile, ks);
  PacketBuffer buf;
  uint16_t seq = 0;
  for (auto _ : state) {
    fillRtp(buf.bytes.data(), 0, ++seq, 0x1234);
    size_t len = kRtpSize;
    out->protectRtp(buf.bytes, len);
    in->unprotectRtp({buf.bytes.data(), len}, len);
    benchmark::DoNotOptimize(buf.bytes[20]);
  }
  state.SetItemsProcessed(int64_t(state.iterations()) * 2);
}

}  // namespace

BENCHMARK(BM_SrtpRoundTrip)->Arg(0)->Arg(1);
BENCHMARK(BM_Relay)->Arg(1)->Arg(100)->Arg(300)->UseManualTime()->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();

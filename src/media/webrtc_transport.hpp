#pragma once
// The WebRTC side of a call: one UDP socket for every m-line (BUNDLE + rtcp-mux), ICE
// (ICE-lite responder for browsers, or a controlling agent for the load client / client SDK),
// DTLS-SRTP keying and in-place SRTP. Packets are demultiplexed by their first byte
// (RFC 7983) in one place, then run through guard clauses; every drop is counted.
//
// Threading and lifetime: everything runs on the io_context's single thread. Listener
// callbacks fire synchronously from socket/timer handlers or from start()/sendRtp(); the
// listener must not destroy the transport from inside a callback (post the destruction).
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "media/dtls/dtls_endpoint.hpp"
#include "media/ice/controlling_agent.hpp"
#include "media/ice/ice_lite_responder.hpp"
#include "media/port_allocator.hpp"
#include "media/srtp/srtp_session.hpp"
#include "media/transport_counters.hpp"
#include "media/udp_socket.hpp"

namespace callgate::media {

enum class IceMode : uint8_t {
  Lite,         // server: a=ice-lite, answers checks, learns the browser as peer-reflexive
  Controlling,  // client: sends nominating checks to the remote candidate (load tool, SDK)
};

struct WebRtcTransportConfig {
  boost::asio::ip::address bindIp = boost::asio::ip::address_v4::any();
  IceMode iceMode = IceMode::Lite;
  // Our DTLS role: Server for a=setup:passive (and when we offer actpass), Client for active.
  dtls::DtlsRole dtlsRole = dtls::DtlsRole::Server;
  // Empty = generated (8-char ufrag, 24-char pwd; RFC 8839 §5.4 asks >= 4 / >= 22).
  std::string localUfrag;
  std::string localPwd;
  // From start(): time allowed to get a first valid ICE check (lite) or response (controlling).
  std::chrono::milliseconds iceTimeout{30000};
  // RFC 7675 §5.1: consent expires 30 s after the last valid check / response.
  std::chrono::milliseconds consentTimeout{30000};
  // From start(): the DTLS handshake deadline.
  std::chrono::milliseconds dtlsTimeout{30000};
  // Controlling mode: consent refresh period (RFC 7675 §5.1: 4-6 s randomised; we use 5 s).
  std::chrono::milliseconds consentInterval{5000};
  // Optional DTLS-SRTP profile override in OpenSSL syntax (empty = DtlsContext default).
  std::string srtpProfiles;
};

// What the remote SDP says.
struct WebRtcRemoteParameters {
  std::string ufrag;
  std::string pwd;
  std::vector<dtls::Fingerprint> fingerprints;  // any may match (RFC 8122 §5)
  // Controlling mode only: the remote candidate to check (the server's a=candidate).
  std::optional<boost::asio::ip::udp::endpoint> candidate;
};

class WebRtcTransport : private UdpSocket::Listener, private dtls::DtlsEndpoint::Listener {
 public:
  enum class State : uint8_t { New, Connecting, Connected, Failed, Closed };

  class Listener {
   public:
    virtual ~Listener() = default;
    // ICE selected, DTLS verified, SRTP sessions ready. Fires once.
    virtual void onConnected() = 0;
    // Fires once; reason is one of failure_reasons.hpp. Media stops afterwards.
    virtual void onFailed(std::string_view reason) = 0;
    // Unprotected RTP / RTCP (compound). The span lives until return; kPacketTailroom
    // bytes after it are writable, so withTailroom(packet) may go to another sendRtp.
    virtual void onRtp(std::span<uint8_t> packet) = 0;
    virtual void onRtcp(std::span<uint8_t> packet) = 0;
    // The peer closed DTLS (close_notify), e.g. the browser closed its PeerConnection.
    virtual void onRemoteClosed() {}
  };

  // Binds the socket on config.bindIp with a port from `ports`. Lite mode answers ICE checks
  // from here on (checks can race the SDP answer); timers start with start().
  static Result<std::unique_ptr<WebRtcTransport>> create(boost::asio::io_context& io, PortAllocator& ports,
                                                          WebRtcTransportConfig config, Listener& listener);
  ~WebRtcTransport() override;

  // Remote ICE/DTLS parameters from the SDP; starts ICE and DTLS and their timers.
  void start(const WebRtcRemoteParameters& remote);
  // Fingerprints can also come later than start() (DtlsEndpoint verifies when they arrive).
  void setRemoteFingerprints(std::vector<dtls::Fingerprint> fingerprints);

  // Protects in place and sends to the selected address. `buffer` begins with the RTP packet
  // of `len` bytes and must extend >= kSrtpRequiredTailroom beyond it. False = dropped
  // (counted): not connected yet, protect or send failure.
  bool sendRtp(std::span<uint8_t> buffer, size_t len);
  bool sendRtcp(std::span<uint8_t> buffer, size_t len);

  // Sends DTLS close_notify and stops everything; no callbacks afterwards.
  void close();

  // For the SDP: a=ice-ufrag, a=ice-pwd, a=fingerprint:sha-256, a=candidate port.
  const std::string& localUfrag() const { return localUfrag_; }
  const std::string& localPwd() const { return localPwd_; }
  static const std::string& localFingerprintSha256();
  boost::asio::ip::udp::endpoint localEndpoint() const { return localEndpoint_; }
  uint16_t localPort() const { return localEndpoint_.port(); }

  State state() const { return state_; }
  std::optional<boost::asio::ip::udp::endpoint> selectedRemote() const;
  std::optional<srtp::SrtpProfile> srtpProfile() const;
  const TransportCounters& counters() const { return counters_; }

 private:
  WebRtcTransport(boost::asio::io_context& io, WebRtcTransportConfig config, Listener& listener);

  // UdpSocket::Listener
  void onDatagram(UdpSocket& socket, std::span<uint8_t> packet, const boost::asio::ip::udp::endpoint& from) override;
  void onReceiveError(UdpSocket& socket, const boost::system::error_code& ec) override;
  // DtlsEndpoint::Listener
  void onDtlsSend(ByteView datagram) override;
  void onDtlsConnected(const dtls::SrtpKeyMaterial& keys) override;
  void onDtlsFailed(dtls::DtlsFailure failure, std::string_view detail) override;
  void onDtlsClosed() override;

  void handleStun(std::span<uint8_t> packet, const boost::asio::ip::udp::endpoint& from);
  void handleDtls(std::span<uint8_t> packet, const boost::asio::ip::udp::endpoint& from);
  void handleSrtp(std::span<uint8_t> packet, const boost::asio::ip::udp::endpoint& from, bool rtcp);
  bool sourceAllowed(const boost::asio::ip::udp::endpoint& from) const;
  void onIceSucceeded();
  void sendCheck(bool retransmit);
  void armIceTimer(std::chrono::milliseconds delay);
  void onIceTimer();
  void maybeConnected();
  void fail(std::string_view reason);
  bool sendRaw(ByteView datagram, const boost::asio::ip::udp::endpoint& to);
  void countSrtpDrop(srtp::SrtpStatus status);

  using Clock = std::chrono::steady_clock;

  boost::asio::io_context& io_;
  WebRtcTransportConfig config_;
  Listener& listener_;
  std::string localUfrag_;
  std::string localPwd_;
  State state_ = State::New;
  TransportCounters counters_;

  PortLease lease_;  // released after socket_ is destroyed (declaration order)
  std::unique_ptr<UdpSocket> socket_;
  boost::asio::ip::udp::endpoint localEndpoint_;

  // ICE
  ice::IceLiteResponder responder_;
  std::optional<ice::ControllingAgent> agent_;
  std::optional<boost::asio::ip::udp::endpoint> remoteCandidate_;  // controlling mode
  bool iceSucceeded_ = false;
  Clock::time_point started_{};
  Clock::time_point lastConsent_{};
  std::chrono::milliseconds checkInterval_{100};
  Clock::time_point nextCheck_{};
  boost::asio::steady_timer iceTimer_;
  std::array<uint8_t, 256> stunOut_{};

  // DTLS + SRTP
  dtls::DtlsEndpoint dtls_;
  std::optional<boost::asio::ip::udp::endpoint> dtlsPeer_;  // source of the last DTLS record
  std::vector<uint8_t> earlyDtls_;  // a ClientHello that beat start()
  bool dtlsConnected_ = false;
  std::optional<srtp::SrtpSession> srtpIn_;
  std::optional<srtp::SrtpSession> srtpOut_;

  std::shared_ptr<char> alive_ = std::make_shared<char>();
};

}  // namespace callgate::media

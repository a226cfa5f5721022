#pragma once
// Minimal controlling ICE agent (RFC 8445 §7.2.4 requests, §7.2.5 responses) for a client
// talking to an ICE-lite server: one remote candidate from the SDP, nomination on every
// check (a lite peer accepts it, §8.1.1), then the same request doubles as consent
// freshness (RFC 7675). Pure logic: the transport owns sockets and retransmission timers.
#include <boost/asio/ip/udp.hpp>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "common/bytes.hpp"
#include "media/ice/stun_message.hpp"

namespace callgate::media::ice {

class ControllingAgent {
 public:
  enum class Outcome : uint8_t {
    Success,      // our pending check succeeded
    ErrorReply,   // a verified error response (e.g. 401, 487)
    Ignored,      // not a response to our pending transaction, or integrity failed
  };
  struct Result {
    Outcome outcome = Outcome::Ignored;
    uint16_t errorCode = 0;
    std::optional<boost::asio::ip::udp::endpoint> mappedAddress;
  };

  ControllingAgent(std::string localUfrag, std::string localPwd, std::string remoteUfrag,
                   std::string remotePwd, uint32_t priority);

  // Writes a fresh Binding request (new transaction id, replacing the pending one) with
  // USERNAME, PRIORITY, ICE-CONTROLLING, USE-CANDIDATE, MESSAGE-INTEGRITY, FINGERPRINT.
  // Returns the size, 0 if `out` is too small.
  size_t buildRequest(std::span<uint8_t> out, bool useCandidate = true);
  // Writes a retransmission of the pending request (same transaction id, RFC 5389 §7.2.1).
  size_t rebuildPending(std::span<uint8_t> out);
  Result handleResponse(ByteView datagram);

  bool hasPending() const { return pending_; }

 private:
  size_t write(std::span<uint8_t> out);

  std::string localUfrag_, localPwd_, remoteUfrag_, remotePwd_;
  uint32_t priority_;
  uint64_t tieBreaker_;
  TransactionId tid_{};
  bool pending_ = false;
  bool useCandidate_ = true;
};

}  // namespace callgate::media::ice

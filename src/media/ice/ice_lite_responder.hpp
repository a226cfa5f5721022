#pragma once
// ICE-lite agent, always controlled (RFC 8445 §2.5, §7.3): answers Binding requests checked
// with short-term credentials and remembers which remote transport addresses are valid.
// The browser's address is learnt here as a peer-reflexive candidate (§7.3.1.3), since WCS
// clients never signal candidates. Pure logic, no I/O or timers: the transport owns those.
#include <array>
#include <boost/asio/ip/udp.hpp>
#include <optional>
#include <span>
#include <string>

#include "common/bytes.hpp"
#include "media/ice/stun_message.hpp"

namespace callgate::media::ice {

class IceLiteResponder {
 public:
  enum class Outcome : uint8_t {
    Success,           // valid request, success response written
    BadRequest,        // 400 written (malformed / missing USERNAME or MESSAGE-INTEGRITY)
    Unauthorized,      // 401 written (wrong ufrag or integrity)
    UnknownAttribute,  // 420 written
    RoleConflict,      // 487 written: the peer also claims the controlled role
    Ignored,           // not a request for us (indication, response, bad FINGERPRINT, garbage)
  };
  struct Result {
    Outcome outcome = Outcome::Ignored;
    size_t responseSize = 0;       // bytes written to `out`; 0 = send nothing
    bool nominated = false;        // the request carried USE-CANDIDATE
    bool selectedChanged = false;  // selected() now differs from before the call
  };

  IceLiteResponder(std::string localUfrag, std::string localPwd);

  // Until set, any remote ufrag is accepted after "localUfrag:" (checks may race the SDP answer).
  void setRemoteUfrag(std::string ufrag) { remoteUfrag_ = std::move(ufrag); }

  // `out` needs ~100 bytes for IPv6 + MESSAGE-INTEGRITY + FINGERPRINT.
  Result handle(ByteView datagram, const boost::asio::ip::udp::endpoint& from, std::span<uint8_t> out);

  // Remote address to send media to: the nominated one, else the first validated.
  const std::optional<boost::asio::ip::udp::endpoint>& selected() const { return selected_; }
  bool nominated() const { return nominated_; }
  // True if a valid check arrived from `ep` (DTLS and SRTP are accepted only from these).
  bool isValidated(const boost::asio::ip::udp::endpoint& ep) const;

  const std::string& localUfrag() const { return localUfrag_; }
  const std::string& localPwd() const { return localPwd_; }

 private:
  size_t writeError(const StunMessage& req, uint16_t code, std::string_view reason, bool withIntegrity,
                    std::span<uint8_t> out);
  void rememberValidated(const boost::asio::ip::udp::endpoint& ep);

  std::string localUfrag_;
  std::string localPwd_;
  std::string remoteUfrag_;
  // Bounded set of validated peer-reflexive addresses (a browser has few candidates).
  std::array<boost::asio::ip::udp::endpoint, 4> validated_{};
  size_t validatedCount_ = 0;
  size_t validatedNext_ = 0;
  std::optional<boost::asio::ip::udp::endpoint> selected_;
  bool nominated_ = false;
};

}  // namespace callgate::media::ice

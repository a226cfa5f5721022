#pragma once
// Session and call statuses: the FPWCSApi2 / Web SDK vocabulary (WCS protocol §7).
#include <optional>
#include <string>
#include <string_view>

namespace callgate::client {

enum class SessionStatus {
  Pending,       // created / connecting
  Connected,     // WebSocket open, `connection` sent
  Established,   // server accepted the connection (`getUserData`)
  Registered,    // SIP REGISTER succeeded (`registered`)
  Disconnected,  // closed by disconnect() or by the server after a normal session
  Failed,        // could not connect, connection refused, registration failed, link lost
};

enum class CallStatus {
  New,              // created, not started
  Pending,          // call()/answer() in progress locally (media offer/answer being made)
  Trying,           // server sent the INVITE
  Ring,             // 180 (outgoing) / incoming call ringing
  RingMedia,        // early media
  SessionProgress,  // 183
  Established,      // answered, media flows
  Hold,             // on hold
  Busy,             // terminal: 486/600
  Finish,           // terminal: normal clearing
  Failed,           // terminal: error; info() and sipStatus() say why
};

// Rfc2833: RTP events (RFC 4733) toward the SIP side; Info: SIP INFO application/dtmf;
// InfoRelay: SIP INFO application/dtmf-relay ("Signal=5"), what baresip and Asterisk read.
enum class DtmfType { Rfc2833, Info, InfoRelay };

const char* toString(SessionStatus status);
const char* toString(CallStatus status);
const char* toString(DtmfType type);
// Parses the wire strings ("ESTABLISHED", "RING_MEDIA" ...); nullopt for unknown ones.
std::optional<CallStatus> callStatusFromString(std::string_view text);
std::optional<SessionStatus> sessionStatusFromString(std::string_view text);
bool isTerminal(CallStatus status);

}  // namespace callgate::client

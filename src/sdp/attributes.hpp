#pragma once
// Typed views of the attributes the gateway reads or writes. Each parseX() takes the
// attribute value (the text after "a=<name>:") and returns nullopt when it is malformed;
// each formatX() gives the value to store back. Accessors that take both the session and
// the media section apply the RFC rule that a session-level value is the default for
// every media section (RFC 8866 §5.13, RFC 8839 §5.4 for ICE, RFC 8122 §5 for
// fingerprint).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sdp/session_description.hpp"

namespace callgate::sdp {

// ---- direction: a=sendrecv / sendonly / recvonly / inactive (RFC 8866 §6.7, RFC 3264 §5.1)
enum class Direction { SendRecv, SendOnly, RecvOnly, Inactive };

std::string_view toString(Direction d);
std::optional<Direction> directionFromName(std::string_view name);
// The direction attribute in this list, if any.
std::optional<Direction> findDirection(const AttributeList& list);
// Media-level, else session-level, else sendrecv (the RFC 8866 §6.7 default).
Direction direction(const SessionDescription& sdp, const MediaDescription& m);
// Replaces any direction attribute in the list.
void setDirection(AttributeList& list, Direction d);
// What the other end of a stream sees: sendonly <-> recvonly.
Direction reverse(Direction d);
Direction makeDirection(bool send, bool recv);
bool sends(Direction d);
bool receives(Direction d);

// ---- a=rtpmap:<pt> <encoding>/<clock>[/<channels>] (RFC 8866 §6.6)
struct Rtpmap {
  uint8_t pt = 0;
  std::string encoding;
  uint32_t clockRate = 0;
  uint32_t channels = 1;  // "encoding parameters"; 1 when absent (RFC 3551 §4.1 audio)
  bool operator==(const Rtpmap&) const = default;
};
std::optional<Rtpmap> parseRtpmap(std::string_view value);
// channels is written only when it is not 1 ("PCMU/8000", "opus/48000/2").
std::string formatRtpmap(const Rtpmap& r);

// ---- a=fmtp:<pt> <params> (RFC 8866 §6.15)
struct Fmtp {
  uint8_t pt = 0;
  std::string params;
};
std::optional<Fmtp> parseFmtp(std::string_view value);
// A "key=value;key=value" parameter (case-insensitive key, surrounding spaces ignored).
std::optional<std::string_view> fmtpParameter(std::string_view params, std::string_view key);

// ---- a=rtcp-fb:<pt|*> <type> [<subtype>] (RFC 4585 §4.2)
struct RtcpFb {
  std::string pt;     // payload type as text, or "*"
  std::string value;  // "nack", "nack pli", "ccm fir", "transport-cc", ...
};
std::optional<RtcpFb> parseRtcpFb(std::string_view value);

// ---- a=rtcp:<port> [<nettype> <addrtype> <address>] (RFC 3605)
struct Rtcp {
  uint16_t port = 0;
  std::optional<Connection> connection;
};
std::optional<Rtcp> parseRtcp(std::string_view value);

// ---- a=candidate (RFC 8839 §5.1)
struct Candidate {
  std::string foundation;
  uint32_t component = 1;
  std::string transport;  // "udp" / "tcp" (case as received)
  uint32_t priority = 0;
  std::string address;
  uint16_t port = 0;
  std::string type;  // host / srflx / prflx / relay
  std::optional<std::string> relAddr;
  std::optional<uint16_t> relPort;
  // Everything after the typed part ("generation 0 network-id 1"), as received.
  std::vector<std::pair<std::string, std::string>> extensions;
};
std::optional<Candidate> parseCandidate(std::string_view value);
std::string formatCandidate(const Candidate& c);

// ---- a=fingerprint:<hash-func> <hex:pairs> (RFC 8122 §5)
struct Fingerprint {
  std::string hashFunction;  // "sha-256"
  std::string value;         // "AB:CD:..."
};
std::optional<Fingerprint> parseFingerprint(std::string_view value);

// ---- a=setup (RFC 4145 §4)
enum class Setup { Active, Passive, ActPass, HoldConn };
std::string_view toString(Setup s);
std::optional<Setup> parseSetup(std::string_view value);

// ---- a=group:<semantics> <ids...> (RFC 5888), e.g. BUNDLE (RFC 9143)
struct Group {
  std::string semantics;
  std::vector<std::string> ids;
};
std::optional<Group> parseGroup(std::string_view value);
std::string formatGroup(const Group& g);

// ---- a=msid:<stream id> [<track id>] (RFC 8830)
struct Msid {
  std::string streamId;
  std::string trackId;  // may be empty
};
std::optional<Msid> parseMsid(std::string_view value);

// ---- a=ssrc:<ssrc> <attribute>[:<value>] (RFC 5576 §4.1)
struct SsrcAttribute {
  uint32_t ssrc = 0;
  std::string attribute;  // cname, msid, ...
  std::optional<std::string> value;
};
std::optional<SsrcAttribute> parseSsrc(std::string_view value);

// ---- a=ssrc-group:<semantics> <ssrc...> (RFC 5576 §4.2), e.g. FID (rtx), SIM
struct SsrcGroup {
  std::string semantics;
  std::vector<uint32_t> ssrcs;
};
std::optional<SsrcGroup> parseSsrcGroup(std::string_view value);

// ---- accessors on a parsed description
std::optional<std::string> mid(const MediaDescription& m);
std::optional<std::string> iceUfrag(const SessionDescription& sdp, const MediaDescription& m);
std::optional<std::string> icePwd(const SessionDescription& sdp, const MediaDescription& m);
std::optional<Fingerprint> fingerprint(const SessionDescription& sdp, const MediaDescription& m);
std::optional<Setup> setup(const SessionDescription& sdp, const MediaDescription& m);
bool rtcpMux(const MediaDescription& m);
bool iceLite(const SessionDescription& sdp);
std::vector<Candidate> candidates(const MediaDescription& m);  // malformed ones skipped
std::optional<Group> bundleGroup(const SessionDescription& sdp);
std::optional<Msid> msid(const MediaDescription& m);
std::vector<SsrcAttribute> ssrcs(const MediaDescription& m);
std::vector<SsrcGroup> ssrcGroups(const MediaDescription& m);
std::optional<Rtcp> rtcp(const MediaDescription& m);
std::optional<uint32_t> ptime(const MediaDescription& m);

}  // namespace callgate::sdp

#pragma once
// SDP model (RFC 8866, formerly RFC 4566): a session description with its session-level
// lines and its media descriptions. Attributes are kept in the order received as
// (name, optional value) pairs so that a parse -> write round trip loses nothing the
// gateway did not mean to drop; typed accessors (attributes.hpp, codec.hpp) read them.
//
// Plain value types: copyable, no hidden state, no I/O. Not thread-safe (no need: one
// call lives on one worker).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace callgate::sdp {

// a=<name>[:<value>] (RFC 8866 §5.13). value is nullopt for property attributes
// (a=rtcp-mux), and an empty string for "a=name:".
struct Attribute {
  std::string name;
  std::optional<std::string> value;

  bool operator==(const Attribute&) const = default;
};

// o=<username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address> (§5.2).
// The ids are kept as text: they are 63-bit decimal in practice but the RFC only asks
// for a numeric string, and Chrome's 19-digit ids must survive untouched.
struct Origin {
  std::string username = "-";
  std::string sessionId = "0";
  std::string sessionVersion = "0";
  std::string netType = "IN";
  std::string addrType = "IP4";
  std::string address = "0.0.0.0";

  bool operator==(const Origin&) const = default;
};

// c=<nettype> <addrtype> <connection-address> (§5.7). address may carry /ttl for
// multicast; the gateway only uses unicast.
struct Connection {
  std::string netType = "IN";
  std::string addrType = "IP4";
  std::string address;

  bool operator==(const Connection&) const = default;
};

// b=<bwtype>:<bandwidth> (§5.8), e.g. AS:64, TIAS:64000.
struct Bandwidth {
  std::string type;
  uint64_t value = 0;

  bool operator==(const Bandwidth&) const = default;
};

// t=<start> <stop> (§5.9) with its r= lines (§5.10) kept as text.
struct Timing {
  uint64_t start = 0;
  uint64_t stop = 0;
  std::vector<std::string> repeats;

  bool operator==(const Timing&) const = default;
};

// Shared by session and media level: the attribute list and its accessors.
struct AttributeList {
  std::vector<Attribute> attributes;

  bool has(std::string_view name) const;
  // Value of the first attribute with this name (case-sensitive, as RFC 8866 §5.13
  // attribute names are); nullopt when absent. A property attribute yields "".
  std::optional<std::string_view> first(std::string_view name) const;
  // Values of all attributes with this name, in order (property attributes yield "").
  std::vector<std::string_view> all(std::string_view name) const;
  void add(std::string name, std::optional<std::string> value = std::nullopt);
  // Removes every attribute with this name; returns how many were removed.
  size_t remove(std::string_view name);

  bool operator==(const AttributeList&) const = default;
};

// One m= section (§5.14) and the lines that follow it until the next m=.
struct MediaDescription : AttributeList {
  std::string media;               // audio, video, application, ...
  uint16_t port = 0;               // 0 = rejected / disabled stream (RFC 3264 §6)
  std::optional<uint16_t> numPorts;  // m=<media> <port>/<number of ports>
  std::string proto;               // RTP/AVP, UDP/TLS/RTP/SAVPF, UDP/DTLS/SCTP, ...
  std::vector<std::string> formats;  // RTP payload types as text, or e.g. webrtc-datachannel

  std::optional<std::string> information;  // i=
  std::optional<Connection> connection;    // c=
  std::vector<Bandwidth> bandwidths;       // b=
  std::optional<std::string> key;          // k= (obsolete, kept for round trips)

  bool isRtp() const;  // proto contains "RTP/" (RTP/AVP, RTP/SAVPF, UDP/TLS/RTP/SAVPF ...)

  bool operator==(const MediaDescription&) const = default;
};

struct SessionDescription : AttributeList {
  int version = 0;  // v=
  Origin origin;
  std::string sessionName = "-";  // s=
  std::optional<std::string> information;  // i=
  std::optional<std::string> uri;          // u=
  std::vector<std::string> emails;         // e=
  std::vector<std::string> phones;         // p=
  std::optional<Connection> connection;    // c=
  std::vector<Bandwidth> bandwidths;       // b=
  std::vector<Timing> timings;             // t= (+ r=); at least one when parsed
  std::optional<std::string> zone;         // z=
  std::optional<std::string> key;          // k=
  std::vector<MediaDescription> media;

  // The c= that applies to a media section: its own, else the session's (§5.7).
  const Connection* connectionFor(const MediaDescription& m) const;

  bool operator==(const SessionDescription&) const = default;
};

}  // namespace callgate::sdp

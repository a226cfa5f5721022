#include "sdp/attributes.hpp"

#include "sdp/text.hpp"

namespace callgate::sdp {
namespace {

// "<a> <rest>" -> (a, rest) with rest trimmed; rest may be empty.
std::pair<std::string_view, std::string_view> splitFirstWord(std::string_view s) {
  s = trim(s);
  size_t sp = s.find_first_of(" \t");
  if (sp == std::string_view::npos) return {s, {}};
  return {s.substr(0, sp), trim(s.substr(sp + 1))};
}

bool parsePt(std::string_view s, uint8_t& pt) {
  unsigned v = 0;
  if (!parseNumber(s, v) || v > 127) return false;
  pt = static_cast<uint8_t>(v);
  return true;
}

}  // namespace

// ---- direction

std::string_view toString(Direction d) {
  switch (d) {
    case Direction::SendRecv: return "sendrecv";
    case Direction::SendOnly: return "sendonly";
    case Direction::RecvOnly: return "recvonly";
    case Direction::Inactive: return "inactive";
  }
  return "sendrecv";
}

std::optional<Direction> directionFromName(std::string_view name) {
  if (name == "sendrecv") return Direction::SendRecv;
  if (name == "sendonly") return Direction::SendOnly;
  if (name == "recvonly") return Direction::RecvOnly;
  if (name == "inactive") return Direction::Inactive;
  return std::nullopt;
}

std::optional<Direction> findDirection(const AttributeList& list) {
  for (const auto& a : list.attributes) {
    if (a.value) continue;
    if (auto d = directionFromName(a.name)) return d;
  }
  return std::nullopt;
}

Direction direction(const SessionDescription& sdp, const MediaDescription& m) {
  if (auto d = findDirection(m)) return *d;
  if (auto d = findDirection(sdp)) return *d;
  return Direction::SendRecv;
}

void setDirection(AttributeList& list, Direction d) {
  std::erase_if(list.attributes, [](const Attribute& a) {
    return !a.value && directionFromName(a.name).has_value();
  });
  list.add(std::string(toString(d)));
}

Direction reverse(Direction d) {
  switch (d) {
    case Direction::SendOnly: return Direction::RecvOnly;
    case Direction::RecvOnly: return Direction::SendOnly;
    default: return d;
  }
}

Direction makeDirection(bool send, bool recv) {
  if (send && recv) return Direction::SendRecv;
  if (send) return Direction::SendOnly;
  if (recv) return Direction::RecvOnly;
  return Direction::Inactive;
}

bool sends(Direction d) { return d == Direction::SendRecv || d == Direction::SendOnly; }
bool receives(Direction d) { return d == Direction::SendRecv || d == Direction::RecvOnly; }

// ---- rtpmap / fmtp / rtcp-fb

std::optional<Rtpmap> parseRtpmap(std::string_view value) {
  auto [ptText, enc] = splitFirstWord(value);
  Rtpmap r;
  if (!parsePt(ptText, r.pt)) return std::nullopt;
  size_t s1 = enc.find('/');
  if (s1 == std::string_view::npos || s1 == 0) return std::nullopt;
  r.encoding = std::string(enc.substr(0, s1));
  std::string_view rest = enc.substr(s1 + 1);
  size_t s2 = rest.find('/');
  if (!parseNumber(rest.substr(0, s2), r.clockRate) || r.clockRate == 0) return std::nullopt;
  if (s2 != std::string_view::npos) {
    if (!parseNumber(rest.substr(s2 + 1), r.channels) || r.channels == 0) return std::nullopt;
  }
  return r;
}

std::string formatRtpmap(const Rtpmap& r) {
  std::string out = std::to_string(r.pt) + " " + r.encoding + "/" + std::to_string(r.clockRate);
  if (r.channels != 1) out += "/" + std::to_string(r.channels);
  return out;
}

std::optional<Fmtp> parseFmtp(std::string_view value) {
  auto [ptText, params] = splitFirstWord(value);
  Fmtp f;
  if (!parsePt(ptText, f.pt)) return std::nullopt;
  f.params = std::string(params);
  return f;
}

std::optional<std::string_view> fmtpParameter(std::string_view params, std::string_view key) {
  while (!params.empty()) {
    size_t semi = params.find(';');
    std::string_view item = trim(params.substr(0, semi));
    params = semi == std::string_view::npos ? std::string_view() : params.substr(semi + 1);
    size_t eq = item.find('=');
    if (eq == std::string_view::npos) continue;
    if (iequals(trim(item.substr(0, eq)), key)) return trim(item.substr(eq + 1));
  }
  return std::nullopt;
}

std::optional<RtcpFb> parseRtcpFb(std::string_view value) {
  auto [pt, rest] = splitFirstWord(value);
  uint8_t n = 0;
  if (pt != "*" && !parsePt(pt, n)) return std::nullopt;
  if (rest.empty()) return std::nullopt;
  return RtcpFb{std::string(pt), std::string(rest)};
}

std::optional<Rtcp> parseRtcp(std::string_view value) {
  auto f = splitWords(value);
  Rtcp r;
  if (f.empty() || !parseNumber(f[0], r.port)) return std::nullopt;
  if (f.size() == 4) {
    r.connection = Connection{std::string(f[1]), std::string(f[2]), std::string(f[3])};
  } else if (f.size() != 1) {
    return std::nullopt;
  }
  return r;
}

// ---- candidate
// candidate:<foundation> <component> <transport> <priority> <address> <port> typ <type>
//           [raddr <addr>] [rport <port>] *(<extension name> <value>)

std::optional<Candidate> parseCandidate(std::string_view value) {
  auto f = splitWords(value);
  if (f.size() < 8 || f[6] != "typ") return std::nullopt;
  Candidate c;
  c.foundation = std::string(f[0]);
  if (!parseNumber(f[1], c.component) || !parseNumber(f[3], c.priority) ||
      !parseNumber(f[5], c.port)) {
    return std::nullopt;
  }
  c.transport = std::string(f[2]);
  c.address = std::string(f[4]);
  c.type = std::string(f[7]);
  for (size_t i = 8; i + 1 < f.size(); i += 2) {
    if (f[i] == "raddr") {
      c.relAddr = std::string(f[i + 1]);
    } else if (f[i] == "rport") {
      uint16_t p = 0;
      if (!parseNumber(f[i + 1], p)) return std::nullopt;
      c.relPort = p;
    } else {
      c.extensions.emplace_back(std::string(f[i]), std::string(f[i + 1]));
    }
  }
  if (f.size() % 2 != 0) return std::nullopt;  // a dangling extension name
  return c;
}

std::string formatCandidate(const Candidate& c) {
  std::string out = c.foundation + " " + std::to_string(c.component) + " " + c.transport + " " +
                    std::to_string(c.priority) + " " + c.address + " " + std::to_string(c.port) +
                    " typ " + c.type;
  if (c.relAddr) out += " raddr " + *c.relAddr;
  if (c.relPort) out += " rport " + std::to_string(*c.relPort);
  for (const auto& [k, v] : c.extensions) out += " " + k + " " + v;
  return out;
}

// ---- fingerprint / setup

std::optional<Fingerprint> parseFingerprint(std::string_view value) {
  auto f = splitWords(value);
  if (f.size() != 2) return std::nullopt;
  return Fingerprint{toLower(f[0]), std::string(f[1])};
}

std::string_view toString(Setup s) {
  switch (s) {
    case Setup::Active: return "active";
    case Setup::Passive: return "passive";
    case Setup::ActPass: return "actpass";
    case Setup::HoldConn: return "holdconn";
  }
  return "actpass";
}

std::optional<Setup> parseSetup(std::string_view value) {
  value = trim(value);
  if (value == "active") return Setup::Active;
  if (value == "passive") return Setup::Passive;
  if (value == "actpass") return Setup::ActPass;
  if (value == "holdconn") return Setup::HoldConn;
  return std::nullopt;
}

// ---- group / msid / ssrc

std::optional<Group> parseGroup(std::string_view value) {
  auto f = splitWords(value);
  if (f.empty()) return std::nullopt;
  Group g{std::string(f[0]), {}};
  for (size_t i = 1; i < f.size(); ++i) g.ids.emplace_back(f[i]);
  return g;
}

std::string formatGroup(const Group& g) {
  std::string out = g.semantics;
  for (const auto& id : g.ids) out += " " + id;
  return out;
}

std::optional<Msid> parseMsid(std::string_view value) {
  auto f = splitWords(value);
  if (f.empty() || f.size() > 2) return std::nullopt;
  return Msid{std::string(f[0]), f.size() == 2 ? std::string(f[1]) : std::string()};
}

std::optional<SsrcAttribute> parseSsrc(std::string_view value) {
  auto [id, rest] = splitFirstWord(value);
  SsrcAttribute s;
  if (!parseNumber(id, s.ssrc) || rest.empty()) return std::nullopt;
  size_t colon = rest.find(':');
  s.attribute = std::string(rest.substr(0, colon));
  if (colon != std::string_view::npos) s.value = std::string(rest.substr(colon + 1));
  return s;
}

std::optional<SsrcGroup> parseSsrcGroup(std::string_view value) {
  auto f = splitWords(value);
  if (f.empty()) return std::nullopt;
  SsrcGroup g{std::string(f[0]), {}};
  for (size_t i = 1; i < f.size(); ++i) {
    uint32_t v = 0;
    if (!parseNumber(f[i], v)) return std::nullopt;
    g.ssrcs.push_back(v);
  }
  return g;
}

// ---- accessors

namespace {
std::optional<std::string> mediaOrSession(const SessionDescription& sdp,
                                          const MediaDescription& m, std::string_view name) {
  if (auto v = m.first(name)) return std::string(trim(*v));
  if (auto v = sdp.first(name)) return std::string(trim(*v));
  return std::nullopt;
}
}  // namespace

std::optional<std::string> mid(const MediaDescription& m) {
  if (auto v = m.first("mid")) return std::string(trim(*v));
  return std::nullopt;
}

std::optional<std::string> iceUfrag(const SessionDescription& sdp, const MediaDescription& m) {
  return mediaOrSession(sdp, m, "ice-ufrag");
}

std::optional<std::string> icePwd(const SessionDescription& sdp, const MediaDescription& m) {
  return mediaOrSession(sdp, m, "ice-pwd");
}

std::optional<Fingerprint> fingerprint(const SessionDescription& sdp, const MediaDescription& m) {
  if (auto v = m.first("fingerprint")) return parseFingerprint(*v);
  if (auto v = sdp.first("fingerprint")) return parseFingerprint(*v);
  return std::nullopt;
}

std::optional<Setup> setup(const SessionDescription& sdp, const MediaDescription& m) {
  if (auto v = m.first("setup")) return parseSetup(*v);
  if (auto v = sdp.first("setup")) return parseSetup(*v);
  return std::nullopt;
}

bool rtcpMux(const MediaDescription& m) { return m.has("rtcp-mux"); }

bool iceLite(const SessionDescription& sdp) { return sdp.has("ice-lite"); }

std::vector<Candidate> candidates(const MediaDescription& m) {
  std::vector<Candidate> out;
  for (auto v : m.all("candidate")) {
    if (auto c = parseCandidate(v)) out.push_back(std::move(*c));
  }
  return out;
}

std::optional<Group> bundleGroup(const SessionDescription& sdp) {
  for (auto v : sdp.all("group")) {
    auto g = parseGroup(v);
    if (g && g->semantics == "BUNDLE") return g;
  }
  return std::nullopt;
}

std::optional<Msid> msid(const MediaDescription& m) {
  if (auto v = m.first("msid")) return parseMsid(*v);
  return std::nullopt;
}

std::vector<SsrcAttribute> ssrcs(const MediaDescription& m) {
  std::vector<SsrcAttribute> out;
  for (auto v : m.all("ssrc")) {
    if (auto s = parseSsrc(v)) out.push_back(std::move(*s));
  }
  return out;
}

std::vector<SsrcGroup> ssrcGroups(const MediaDescription& m) {
  std::vector<SsrcGroup> out;
  for (auto v : m.all("ssrc-group")) {
    if (auto g = parseSsrcGroup(v)) out.push_back(std::move(*g));
  }
  return out;
}

std::optional<Rtcp> rtcp(const MediaDescription& m) {
  if (auto v = m.first("rtcp")) return parseRtcp(*v);
  return std::nullopt;
}

std::optional<uint32_t> ptime(const MediaDescription& m) {
  uint32_t v = 0;
  if (auto s = m.first("ptime"); s && parseNumber(trim(*s), v)) return v;
  return std::nullopt;
}

}  // namespace callgate::sdp

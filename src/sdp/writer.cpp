#include "sdp/writer.hpp"

namespace callgate::sdp {
namespace {

void line(std::string& out, char type, std::string_view value) {
  out += type;
  out += '=';
  out += value;
  out += "\r\n";
}

void writeConnection(std::string& out, const Connection& c) {
  line(out, 'c', c.netType + " " + c.addrType + " " + c.address);
}

void writeBandwidths(std::string& out, const std::vector<Bandwidth>& bws) {
  for (const auto& b : bws) line(out, 'b', b.type + ":" + std::to_string(b.value));
}

void writeAttributes(std::string& out, const AttributeList& list) {
  for (const auto& a : list.attributes) {
    out += "a=";
    out += a.name;
    if (a.value) {
      out += ':';
      out += *a.value;
    }
    out += "\r\n";
  }
}

void writeMedia(std::string& out, const MediaDescription& m) {
  std::string v = m.media + " " + std::to_string(m.port);
  if (m.numPorts) v += "/" + std::to_string(*m.numPorts);
  v += " " + m.proto;
  for (const auto& f : m.formats) v += " " + f;
  line(out, 'm', v);
  if (m.information) line(out, 'i', *m.information);
  if (m.connection) writeConnection(out, *m.connection);
  writeBandwidths(out, m.bandwidths);
  if (m.key) line(out, 'k', *m.key);
  writeAttributes(out, m);
}

}  // namespace

std::string write(const SessionDescription& sdp) {
  std::string out;
  out.reserve(512 + sdp.media.size() * 1024);
  line(out, 'v', std::to_string(sdp.version));
  const Origin& o = sdp.origin;
  line(out, 'o', o.username + " " + o.sessionId + " " + o.sessionVersion + " " + o.netType +
                     " " + o.addrType + " " + o.address);
  line(out, 's', sdp.sessionName);
  if (sdp.information) line(out, 'i', *sdp.information);
  if (sdp.uri) line(out, 'u', *sdp.uri);
  for (const auto& e : sdp.emails) line(out, 'e', e);
  for (const auto& p : sdp.phones) line(out, 'p', p);
  if (sdp.connection) writeConnection(out, *sdp.connection);
  writeBandwidths(out, sdp.bandwidths);
  if (sdp.timings.empty()) {
    line(out, 't', "0 0");
  } else {
    for (const auto& t : sdp.timings) {
      line(out, 't', std::to_string(t.start) + " " + std::to_string(t.stop));
      for (const auto& r : t.repeats) line(out, 'r', r);
    }
  }
  if (sdp.zone) line(out, 'z', *sdp.zone);
  if (sdp.key) line(out, 'k', *sdp.key);
  writeAttributes(out, sdp);
  for (const auto& m : sdp.media) writeMedia(out, m);
  return out;
}

}  // namespace callgate::sdp

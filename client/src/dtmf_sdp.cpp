#include "dtmf_sdp.hpp"

#include <algorithm>
#include <set>
#include <sstream>
#include <vector>

namespace callgate::client::detail {
namespace {

struct Lines {
  std::vector<std::string> lines;
  std::string eol = "\r\n";
  size_t audioBegin = 0, audioEnd = 0;  // [begin, end) of the first audio section; begin = m= line
  bool hasAudio = false;
};

Lines split(const std::string& sdp) {
  Lines l;
  if (sdp.find("\r\n") == std::string::npos && sdp.find('\n') != std::string::npos) l.eol = "\n";
  size_t pos = 0;
  while (pos < sdp.size()) {
    size_t nl = sdp.find('\n', pos);
    std::string line = sdp.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    l.lines.push_back(line);
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
  for (size_t i = 0; i < l.lines.size(); ++i) {
    if (!l.lines[i].starts_with("m=")) continue;
    if (l.hasAudio) {
      l.audioEnd = i;
      return l;
    }
    if (l.lines[i].starts_with("m=audio ")) {
      l.hasAudio = true;
      l.audioBegin = i;
    }
  }
  l.audioEnd = l.lines.size();
  return l;
}

std::string join(const Lines& l) {
  std::string out;
  for (const auto& line : l.lines) {
    out += line;
    out += l.eol;
  }
  return out;
}

// "a=rtpmap:101 telephone-event/8000" -> 101 when the encoding matches `prefix` (case-insensitive).
int rtpmapPt(const std::string& line, const std::string& encodingPrefix) {
  if (!line.starts_with("a=rtpmap:")) return -1;
  size_t sp = line.find(' ');
  if (sp == std::string::npos) return -1;
  std::string enc = line.substr(sp + 1);
  std::transform(enc.begin(), enc.end(), enc.begin(), [](unsigned char c) { return std::tolower(c); });
  if (!enc.starts_with(encodingPrefix)) return -1;
  try {
    return std::stoi(line.substr(9, sp - 9));
  } catch (...) {
    return -1;
  }
}

std::vector<std::string> words(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

}  // namespace

int telephoneEventPt(const std::string& sdp) {
  Lines l = split(sdp);
  if (!l.hasAudio) return -1;
  for (size_t i = l.audioBegin; i < l.audioEnd; ++i)
    if (int pt = rtpmapPt(l.lines[i], "telephone-event/8000"); pt >= 0) return pt;
  return -1;
}

std::string addTelephoneEvent(const std::string& sdp, int preferredPt) {
  Lines l = split(sdp);
  if (!l.hasAudio || telephoneEventPt(sdp) >= 0) return sdp;
  auto m = words(l.lines[l.audioBegin]);  // m=audio port proto fmt...
  if (m.size() < 3) return sdp;
  std::set<int> used;
  for (size_t i = 3; i < m.size(); ++i) {
    try {
      used.insert(std::stoi(m[i]));
    } catch (...) {
    }
  }
  int pt = preferredPt;
  if (pt < 96 || pt > 127 || used.count(pt)) {
    pt = -1;
    for (int p = 96; p <= 127 && pt < 0; ++p)
      if (!used.count(p)) pt = p;
  }
  if (pt < 0) return sdp;  // no dynamic payload type left: leave the SDP alone
  l.lines[l.audioBegin] += " " + std::to_string(pt);
  size_t insertAt = l.audioEnd;
  for (size_t i = l.audioBegin + 1; i < l.audioEnd; ++i)
    if (l.lines[i].starts_with("a=rtpmap:") || l.lines[i].starts_with("a=fmtp:")) insertAt = i + 1;
  // A trailing empty "line" (the text ended with a newline) stays last.
  if (insertAt == l.lines.size() && !l.lines.empty() && l.lines.back().empty()) --insertAt;
  const std::string p = std::to_string(pt);
  l.lines.insert(l.lines.begin() + static_cast<long>(insertAt),
                 {"a=rtpmap:" + p + " telephone-event/8000", "a=fmtp:" + p + " 0-15"});
  std::string out = join(l);
  if (!sdp.empty() && sdp.back() != '\n') out.resize(out.size() - l.eol.size());
  return out;
}

std::string removeTelephoneEvent(const std::string& sdp) {
  Lines l = split(sdp);
  if (!l.hasAudio) return sdp;
  std::set<std::string> pts;
  for (size_t i = l.audioBegin; i < l.audioEnd; ++i)
    if (int pt = rtpmapPt(l.lines[i], "telephone-event/"); pt >= 0) pts.insert(std::to_string(pt));
  if (pts.empty()) return sdp;
  auto m = words(l.lines[l.audioBegin]);
  std::string mline;
  for (size_t i = 0; i < m.size(); ++i) {
    if (i >= 3 && pts.count(m[i])) continue;
    mline += (mline.empty() ? "" : " ") + m[i];
  }
  Lines out = l;
  out.lines.clear();
  for (size_t i = 0; i < l.lines.size(); ++i) {
    const std::string& line = l.lines[i];
    if (i == l.audioBegin) {
      out.lines.push_back(mline);
      continue;
    }
    bool drop = false;
    if (i > l.audioBegin && i < l.audioEnd) {
      for (const auto& pt : pts) {
        for (const char* attr : {"a=rtpmap:", "a=fmtp:", "a=rtcp-fb:"}) {
          const std::string prefix = attr + pt + " ";
          if (line.starts_with(prefix)) drop = true;
        }
      }
    }
    if (!drop) out.lines.push_back(line);
  }
  std::string text = join(out);
  if (!sdp.empty() && sdp.back() != '\n') text.resize(text.size() - out.eol.size());
  return text;
}

}  // namespace callgate::client::detail

#include "sdp_formats.hpp"

#include <algorithm>
#include <cctype>
#include <sstream>

namespace callgate::client::detail {
namespace {

bool sameFormat(const RtpFormat& a, const RtpFormat& b) {
  return upperAscii(a.encodingName) == upperAscii(b.encodingName) && a.clockRate == b.clockRate &&
         (a.media != "audio" || a.channels == b.channels);
}

// The value of `key` in an fmtp parameter list ("a=1;b=2"), or "".
std::string fmtpParam(const std::string& fmtp, std::string_view key) {
  std::istringstream in(fmtp);
  std::string item;
  while (std::getline(in, item, ';')) {
    auto start = item.find_first_not_of(' ');
    if (start == std::string::npos) continue;
    item = item.substr(start);
    auto eq = item.find('=');
    if (eq != std::string::npos && item.compare(0, eq, key) == 0) return item.substr(eq + 1);
  }
  return "";
}

}  // namespace

std::string upperAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string RtpFormat::sdpName() const {
  std::string out = encodingName + "/" + std::to_string(clockRate);
  if (media == "audio" && channels > 1) out += "/" + std::to_string(channels);
  return out;
}

bool RtpFormat::isMedia() const {
  const std::string n = upperAscii(encodingName);
  return n != "TELEPHONE-EVENT" && n != "CN" && n != "RTX" && n != "RED" && n != "ULPFEC" &&
         n.rfind("FLEXFEC", 0) != 0;
}

std::vector<RtpFormat> sdpFormats(const std::string& sdp, std::string_view media) {
  std::vector<RtpFormat> out;
  std::istringstream in(sdp);
  std::string line;
  bool inSection = false, done = false;
  while (!done && std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.rfind("m=", 0) == 0) {
      if (inSection) break;
      std::istringstream m(line.substr(2));
      std::string kind, port, proto, pt;
      m >> kind >> port >> proto;
      if (kind != media || port == "0") continue;
      inSection = true;
      while (m >> pt) {
        RtpFormat f;
        f.media = kind;
        try {
          f.payload = std::stoi(pt);
        } catch (...) {
          continue;
        }
        // RFC 3551 §6 static types we know, in case a=rtpmap is left out.
        if (f.payload == 0) f = {kind, "PCMU", 0, 8000, 1, ""};
        if (f.payload == 8) f = {kind, "PCMA", 8, 8000, 1, ""};
        out.push_back(f);
      }
      continue;
    }
    if (!inSection) continue;
    auto attr = [&](std::string_view name) -> std::optional<std::pair<int, std::string>> {
      if (line.rfind(name, 0) != 0) return std::nullopt;
      std::string rest = line.substr(name.size());
      auto sp = rest.find(' ');
      if (sp == std::string::npos) return std::nullopt;
      try {
        return std::make_pair(std::stoi(rest.substr(0, sp)), rest.substr(sp + 1));
      } catch (...) {
        return std::nullopt;
      }
    };
    if (auto a = attr("a=rtpmap:")) {
      for (auto& f : out) {
        if (f.payload != a->first) continue;
        std::istringstream parts(a->second);
        std::string name, rate, channels;
        std::getline(parts, name, '/');
        std::getline(parts, rate, '/');
        std::getline(parts, channels, '/');
        f.encodingName = upperAscii(name);
        try {
          f.clockRate = static_cast<unsigned>(std::stoul(rate));
          f.channels = channels.empty() ? 1 : std::stoi(channels);
        } catch (...) {
          f.clockRate = 0;
        }
      }
    } else if (auto b = attr("a=fmtp:")) {
      for (auto& f : out) {
        if (f.payload == b->first) f.fmtp = b->second;
      }
    }
  }
  out.erase(std::remove_if(out.begin(), out.end(), [](const RtpFormat& f) { return f.encodingName.empty(); }),
            out.end());
  return out;
}

std::optional<RtpFormat> answeredFormat(const std::string& sdp, std::string_view media) {
  for (auto& f : sdpFormats(sdp, media)) {
    if (f.isMedia()) return f;
  }
  return std::nullopt;
}

std::optional<RtpFormat> chooseFromOffer(const std::vector<RtpFormat>& offered, const std::vector<RtpFormat>& ours) {
  for (const auto& mine : ours) {
    if (!mine.isMedia()) continue;
    for (const auto& theirs : offered) {
      if (!sameFormat(mine, theirs)) continue;
      if (upperAscii(mine.encodingName) == "H264" && fmtpParam(theirs.fmtp, "packetization-mode") != "1") continue;
      RtpFormat chosen = mine;
      chosen.payload = theirs.payload;
      chosen.fmtp = theirs.fmtp;
      return chosen;
    }
  }
  return std::nullopt;
}

std::string withoutBundleOnly(const std::string& sdp) {
  std::vector<std::string> lines;
  std::istringstream in(sdp);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  std::string out;
  // One section at a time: the session part, then each m= line with its attributes.
  auto emit = [&](size_t from, size_t to) {
    const bool bundleOnly = std::find(lines.begin() + from, lines.begin() + to, "a=bundle-only") != lines.begin() + to;
    for (size_t i = from; i < to; ++i) {
      std::string l = lines[i];
      if (bundleOnly && l == "a=bundle-only") continue;
      if (bundleOnly && i == from && l.rfind("m=", 0) == 0) {
        auto sp = l.find(' ');
        if (sp != std::string::npos && l.compare(sp, 3, " 0 ") == 0) l = l.substr(0, sp) + " 9 " + l.substr(sp + 3);
      }
      out += l + "\r\n";
    }
  };
  size_t start = 0;
  for (size_t i = 1; i <= lines.size(); ++i) {
    if (i == lines.size() || lines[i].rfind("m=", 0) == 0) {
      emit(start, i);
      start = i;
    }
  }
  return out;
}

}  // namespace callgate::client::detail

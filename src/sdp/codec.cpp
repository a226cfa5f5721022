#include "sdp/codec.hpp"

#include <array>

#include "sdp/attributes.hpp"
#include "sdp/text.hpp"

namespace callgate::sdp {

bool Codec::is(std::string_view encoding) const { return iequals(name, encoding); }

std::optional<Codec> staticCodec(uint8_t pt) {
  struct Entry {
    uint8_t pt;
    const char* name;
    uint32_t rate;
  };
  // RFC 3551 §6, Tables 4 and 5 (the assignments still in use).
  static constexpr std::array<Entry, 13> kTable{{{0, "PCMU", 8000},
                                                 {3, "GSM", 8000},
                                                 {4, "G723", 8000},
                                                 {5, "DVI4", 8000},
                                                 {8, "PCMA", 8000},
                                                 {9, "G722", 8000},
                                                 {13, "CN", 8000},
                                                 {15, "G728", 8000},
                                                 {18, "G729", 8000},
                                                 {26, "JPEG", 90000},
                                                 {31, "H261", 90000},
                                                 {32, "MPV", 90000},
                                                 {34, "H263", 90000}}};
  for (const auto& e : kTable) {
    if (e.pt == pt) return Codec{pt, e.name, e.rate, 1, std::nullopt, {}};
  }
  return std::nullopt;
}

std::vector<Codec> codecs(const MediaDescription& m) {
  std::vector<Codec> out;
  if (!m.isRtp()) return out;
  for (const auto& f : m.formats) {
    unsigned v = 0;
    if (!parseNumber(std::string_view(f), v) || v > 127) continue;
    auto pt = static_cast<uint8_t>(v);
    bool dup = false;
    for (const auto& c : out) dup = dup || c.pt == pt;
    if (dup) continue;
    std::optional<Codec> codec;
    for (auto value : m.all("rtpmap")) {
      auto r = parseRtpmap(value);
      if (r && r->pt == pt) {
        codec = Codec{pt, r->encoding, r->clockRate, r->channels, std::nullopt, {}};
        break;
      }
    }
    if (!codec) codec = staticCodec(pt);
    if (!codec) continue;
    for (auto value : m.all("fmtp")) {
      auto fm = parseFmtp(value);
      if (fm && fm->pt == pt) {
        codec->fmtp = fm->params;
        break;
      }
    }
    for (auto value : m.all("rtcp-fb")) {
      auto fb = parseRtcpFb(value);
      if (fb && (fb->pt == "*" || fb->pt == f)) codec->rtcpFb.push_back(fb->value);
    }
    out.push_back(std::move(*codec));
  }
  return out;
}

bool sameFormat(const Codec& a, const Codec& b) {
  return iequals(a.name, b.name) && a.clockRate == b.clockRate && a.channels == b.channels;
}

int h264PacketizationMode(const Codec& c) {
  if (!c.fmtp) return 0;
  auto v = fmtpParameter(*c.fmtp, "packetization-mode");
  int mode = 0;
  if (v && parseNumber(*v, mode)) return mode;
  return 0;
}

std::string h264Profile(const Codec& c) {
  if (!c.fmtp) return "42e0";  // RFC 6184 §8.1 default: Constrained Baseline-compatible
  auto v = fmtpParameter(*c.fmtp, "profile-level-id");
  if (!v || v->size() != 6) return "42e0";
  return toLower(v->substr(0, 4));
}

bool isSipCompatible(const Codec& c, std::string_view media) {
  if (media == "audio") {
    if (c.is("opus")) return c.clockRate == 48000 && c.channels == 2;
    if (c.is("G722") || c.is("PCMU") || c.is("PCMA")) return c.clockRate == 8000 && c.channels == 1;
    if (c.is("telephone-event")) return c.clockRate == 8000 || c.clockRate == 48000;
    return false;
  }
  if (media == "video") {
    if (c.clockRate != 90000) return false;
    if (c.is("VP8")) return true;
    if (c.is("H264")) return h264PacketizationMode(c) == 1;
    return false;
  }
  return false;
}

std::vector<CodecMatch> matchCodecs(const std::vector<Codec>& answer,
                                    const std::vector<Codec>& offer) {
  std::vector<CodecMatch> out;
  std::vector<bool> used(offer.size(), false);
  for (const auto& a : answer) {
    std::optional<size_t> pick;
    for (size_t i = 0; i < offer.size(); ++i) {
      if (used[i] || !sameFormat(a, offer[i])) continue;
      if (a.is("H264") && a.fmtp) {
        if (h264PacketizationMode(a) != h264PacketizationMode(offer[i])) continue;
        if (h264Profile(a) == h264Profile(offer[i])) {
          pick = i;
          break;
        }
        if (!pick) pick = i;
        continue;
      }
      pick = i;
      break;
    }
    if (!pick) continue;
    used[*pick] = true;
    out.push_back(CodecMatch{a, offer[*pick]});
  }
  return out;
}

void appendCodec(MediaDescription& m, const Codec& c, bool withRtcpFb) {
  m.formats.push_back(std::to_string(c.pt));
  m.add("rtpmap", formatRtpmap(Rtpmap{c.pt, c.name, c.clockRate, c.channels}));
  if (withRtcpFb) {
    for (const auto& fb : c.rtcpFb) m.add("rtcp-fb", std::to_string(c.pt) + " " + fb);
  }
  if (c.fmtp && !c.fmtp->empty()) m.add("fmtp", std::to_string(c.pt) + " " + *c.fmtp);
}

}  // namespace callgate::sdp

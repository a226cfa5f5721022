#include "api/server/static_files.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <system_error>
#include <vector>

namespace callgate::api {
namespace {

namespace fs = std::filesystem;

StaticLookup error(int status, std::string reason) {
  StaticLookup r;
  r.kind = StaticKind::Error;
  r.status = status;
  r.reason = std::move(reason);
  return r;
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// One path segment, percent-decoded (RFC 3986 §2.1). An encoded '/' or NUL could smuggle a
// separator or end the name early in the file system call: refused.
std::optional<std::string> decodeSegment(std::string_view raw) {
  std::string out;
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c == '%') {
      if (i + 2 >= raw.size()) return std::nullopt;
      int hi = hexValue(raw[i + 1]);
      int lo = hexValue(raw[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      c = char(hi * 16 + lo);
      i += 2;
      if (c == '/' || c == '\0') return std::nullopt;
    }
    if (c == '\\' || c == '\0') return std::nullopt;
    out += c;
  }
  return out;
}

bool isBelow(const fs::path& file, const fs::path& root) {
  auto rootIt = root.begin();
  auto fileIt = file.begin();
  for (; rootIt != root.end(); ++rootIt, ++fileIt) {
    if (rootIt->empty()) continue;  // a trailing separator in root
    if (fileIt == file.end() || *fileIt != *rootIt) return false;
  }
  return fileIt != file.end();
}

}  // namespace

std::string pageDefaultsJson(const PageDefaults& d) {
  nlohmann::json j = nlohmann::json::object();
  if (!d.sipDomain.empty()) j["sipDomain"] = d.sipDomain;
  if (!d.sipOutboundProxy.empty()) j["sipOutboundProxy"] = d.sipOutboundProxy;
  if (d.sipPort != 0) j["sipPort"] = d.sipPort;
  j["registerRequired"] = d.registerRequired;
  if (!d.echoName.empty()) j["echoName"] = d.echoName;
  if (!d.title.empty()) j["title"] = d.title;
  return j.dump();
}

std::string_view contentTypeFor(std::string_view name) {
  auto dot = name.rfind('.');
  std::string_view ext = dot == std::string_view::npos ? std::string_view{} : name.substr(dot + 1);
  if (ext == "html" || ext == "htm") return "text/html; charset=utf-8";
  if (ext == "js" || ext == "mjs") return "text/javascript; charset=utf-8";
  if (ext == "css") return "text/css; charset=utf-8";
  if (ext == "json" || ext == "map") return "application/json";
  if (ext == "png") return "image/png";
  if (ext == "svg") return "image/svg+xml";
  if (ext == "ico") return "image/x-icon";
  if (ext == "jpg" || ext == "jpeg") return "image/jpeg";
  if (ext == "txt") return "text/plain; charset=utf-8";
  if (ext == "wav") return "audio/wav";
  if (ext == "mp3") return "audio/mpeg";
  if (ext == "mp4") return "video/mp4";
  return "application/octet-stream";
}

StaticLookup lookupStatic(std::string_view method, std::string_view target, const StaticSettings& settings) {
  if (method != "GET" && method != "HEAD") return error(405, "method not allowed: only GET and HEAD");

  if (auto q = target.find_first_of("?#"); q != std::string_view::npos) target = target.substr(0, q);
  if (target.empty() || target.front() != '/') return error(400, "bad request target");

  std::vector<std::string> segments;
  size_t pos = 1;
  while (pos <= target.size()) {
    size_t end = target.find('/', pos);
    if (end == std::string_view::npos) end = target.size();
    std::string_view raw = target.substr(pos, end - pos);
    pos = end + 1;
    if (raw.empty()) continue;  // "//" or a trailing '/'
    auto seg = decodeSegment(raw);
    if (!seg) return error(400, "bad escape in path");
    if (*seg == "." || *seg == "..") return error(400, "'.' and '..' are not allowed in paths");
    if (seg->front() == '.') return error(404, "not found");  // hidden files stay hidden
    segments.push_back(std::move(*seg));
  }

  if (segments.size() == 1 && segments[0] == "config.json") {
    StaticLookup r;
    r.kind = StaticKind::PageConfig;
    r.status = 200;
    r.contentType = "application/json";
    return r;
  }

  std::string root = settings.webRoot;
  if (!segments.empty() && segments[0] == "websdk") {
    root = settings.websdkDir;
    segments.erase(segments.begin());
    if (segments.empty()) return error(404, "not found");
  } else if (segments.empty()) {
    segments.push_back("index.html");
  }
  if (root.empty()) return error(404, "not found (the phone page is off: http.web_root is empty)");

  std::error_code ec;
  fs::path canonicalRoot = fs::canonical(root, ec);
  if (ec) return error(404, "not found");
  fs::path file = canonicalRoot;
  for (auto& s : segments) file /= s;
  // Symlinks are followed, and the result must still be inside the root.
  fs::path resolved = fs::canonical(file, ec);
  if (ec || !isBelow(resolved, canonicalRoot)) return error(404, "not found");
  if (!fs::is_regular_file(resolved, ec) || ec) return error(404, "not found");

  StaticLookup r;
  r.kind = StaticKind::File;
  r.status = 200;
  r.file = resolved;
  r.contentType = std::string(contentTypeFor(resolved.filename().string()));
  return r;
}

}  // namespace callgate::api

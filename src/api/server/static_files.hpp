#pragma once
// The phone page on callgate's own ws/wss ports: a plain HTTP GET/HEAD that is not a
// WebSocket upgrade is answered from two folders (the page and the pinned Web SDK), plus
// GET /config.json with the page's defaults from callgate's configuration.
//   /               -> <webRoot>/index.html
//   /websdk/<file>  -> <websdkDir>/<file>
//   /config.json    -> PageDefaults as JSON
//   /<file>         -> <webRoot>/<file>
// The mapping is pure string work (lookupStatic), so traversal rules are unit-tested;
// the file is then resolved with symlinks followed and must still lie below its root.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace callgate::api {

// Defaults the page fills its form with (GET /config.json). Empty/zero fields are left out
// of the JSON, so the page keeps its own defaults for them.
struct PageDefaults {
  std::string sipDomain;         // e.g. a local SIP domain served by callgate itself
  std::string sipOutboundProxy;  // empty: the page leaves the field as the user had it
  uint16_t sipPort = 0;          // 0: not set
  bool registerRequired = true;
  std::string echoName;  // callee name of an echo endpoint ("echo"); empty: none
  std::string title;     // heading of the page; empty: "callgate phone"
};

std::string pageDefaultsJson(const PageDefaults& defaults);

struct StaticSettings {
  std::string webRoot;    // empty: pages off (every path 404)
  std::string websdkDir;  // empty: /websdk/ off
  PageDefaults pageDefaults;
};

enum class StaticKind { File, PageConfig, Error };

struct StaticLookup {
  StaticKind kind = StaticKind::Error;
  int status = 404;  // for Error: 400, 404 or 405
  std::string reason;  // short text body for errors
  std::filesystem::path file;  // for File: resolved (canonical) path of a regular file
  std::string contentType;
};

// Maps `method` and request `target` (origin-form, may carry a query) to a file or an error.
// Rejects: methods other than GET/HEAD (405); targets not starting with '/', bad or NUL
// percent escapes, backslashes, '.' or '..' segments, encoded '/' (400); hidden files,
// directories, missing files and anything whose resolved path leaves its root (404).
StaticLookup lookupStatic(std::string_view method, std::string_view target, const StaticSettings& settings);

// Content-Type for a file name by its extension (application/octet-stream if unknown).
std::string_view contentTypeFor(std::string_view fileName);

}  // namespace callgate::api

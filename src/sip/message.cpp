// SIP message model: header access by canonical name, list splitting, serialization.
#include "sip/message.hpp"

#include <algorithm>
#include <array>
#include <cstring>

#include "sip/grammar.hpp"

namespace callgate::sip {
namespace {

using grammar::iequals;
using grammar::lowerAscii;
using grammar::trimWsp;

// Compact forms: RFC 3261 §7.3.3 (c e f i k l m s t v) plus the ones other RFCs registered
// in the IANA SIP header table: a/j/d RFC 3841, b RFC 3892, o/u RFC 6665, r RFC 3515,
// x RFC 4028, y RFC 8224, n RFC 4474 (obsolete but still seen).
std::string_view compactForm(char c) {
  switch (lowerAscii(c)) {
    case 'a': return "Accept-Contact";
    case 'b': return "Referred-By";
    case 'c': return "Content-Type";
    case 'd': return "Request-Disposition";
    case 'e': return "Content-Encoding";
    case 'f': return "From";
    case 'i': return "Call-ID";
    case 'j': return "Reject-Contact";
    case 'k': return "Supported";
    case 'l': return "Content-Length";
    case 'm': return "Contact";
    case 'n': return "Identity-Info";
    case 'o': return "Event";
    case 'r': return "Refer-To";
    case 's': return "Subject";
    case 't': return "To";
    case 'u': return "Allow-Events";
    case 'v': return "Via";
    case 'x': return "Session-Expires";
    case 'y': return "Identity";
    default: return {};
  }
}

// Long names with a canonical spelling. Header names are case-insensitive (RFC 3261 §7.3.1)
// but we emit the spelling the RFCs use, since some peers compare case-sensitively.
// Kept sorted case-insensitively for binary search.
constexpr std::array kKnownNames = std::to_array<std::string_view>({
    "Accept",
    "Accept-Contact",
    "Accept-Encoding",
    "Accept-Language",
    "Alert-Info",
    "Allow",
    "Allow-Events",
    "Authentication-Info",
    "Authorization",
    "Call-ID",
    "Call-Info",
    "Contact",
    "Content-Disposition",
    "Content-Encoding",
    "Content-Language",
    "Content-Length",
    "Content-Type",
    "CSeq",
    "Date",
    "Error-Info",
    "Event",
    "Expires",
    "From",
    "History-Info",
    "Identity",
    "Identity-Info",
    "In-Reply-To",
    "Max-Forwards",
    "MIME-Version",
    "Min-Expires",
    "Min-SE",
    "Organization",
    "P-Asserted-Identity",
    "P-Preferred-Identity",
    "Path",
    "Priority",
    "Privacy",
    "Proxy-Authenticate",
    "Proxy-Authorization",
    "Proxy-Require",
    "RAck",
    "Reason",
    "Record-Route",
    "Refer-Sub",
    "Refer-To",
    "Referred-By",
    "Reject-Contact",
    "Replaces",
    "Reply-To",
    "Request-Disposition",
    "Require",
    "Retry-After",
    "Route",
    "RSeq",
    "Security-Client",
    "Security-Server",
    "Security-Verify",
    "Server",
    "Service-Route",
    "Session-Expires",
    "SIP-ETag",
    "SIP-If-Match",
    "Subject",
    "Subscription-State",
    "Supported",
    "Target-Dialog",
    "Timestamp",
    "To",
    "Unsupported",
    "User-Agent",
    "Via",
    "Warning",
    "WWW-Authenticate",
});

constexpr bool iless(std::string_view a, std::string_view b) {
  const size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    const char x = lowerAscii(a[i]);
    const char y = lowerAscii(b[i]);
    if (x != y) return x < y;
  }
  return a.size() < b.size();
}
static_assert(std::is_sorted(kKnownNames.begin(), kKnownNames.end(), iless));

struct Bucket {
  size_t begin = 0;
  size_t end = 0;
};

// kBuckets[c - 'a'] = the index range of known names starting with letter c.
constexpr std::array<Bucket, 26> makeBuckets() {
  std::array<Bucket, 26> buckets{};
  for (size_t i = 0; i < kKnownNames.size(); ++i) {
    const auto letter = static_cast<size_t>(lowerAscii(kKnownNames[i][0]) - 'a');
    if (buckets[letter].end == 0) buckets[letter].begin = i;
    buckets[letter].end = i + 1;
  }
  return buckets;
}
constexpr std::array<Bucket, 26> kBuckets = makeBuckets();

// Canonical spelling without allocating: a view into the static tables, or `name` itself
// when the header is unknown (its spelling is then kept as given).
std::string_view canonicalView(std::string_view name) {
  if (name.size() == 1) {
    const std::string_view compact = compactForm(name[0]);
    return compact.empty() ? name : compact;
  }
  // The table is sorted, so names sharing a first letter are contiguous: scan only that
  // bucket, comparing lengths first (this lookup runs for every parsed header line).
  const char first = lowerAscii(name.empty() ? '\0' : name[0]);
  if (first < 'a' || first > 'z') return name;
  const Bucket b = kBuckets[static_cast<size_t>(first - 'a')];
  for (size_t i = b.begin; i < b.end; ++i) {
    const std::string_view known = kKnownNames[i];
    if (known.size() == name.size() && iequals(known, name)) return known;
  }
  return name;
}

// Headers whose values contain commas that are not list separators (auth params, dates,
// free text), so headerValues() must not split them (RFC 3261 §7.3.1 allows list folding
// only for headers whose grammar is a comma-separated list).
bool isSingleValueHeader(std::string_view canonical) {
  static constexpr std::array kNoSplit = std::to_array<std::string_view>({
      "WWW-Authenticate", "Proxy-Authenticate", "Authorization", "Proxy-Authorization",
      "Authentication-Info", "Date", "Subject", "User-Agent", "Server", "Organization",
      "Retry-After", "Timestamp", "Call-ID", "CSeq", "From", "To", "Content-Type",
      "Identity", "Identity-Info", "Refer-To", "Referred-By",
  });
  return std::find(kNoSplit.begin(), kNoSplit.end(), canonical) != kNoSplit.end();
}

// Splits a header value at commas outside quoted strings and <...> (RFC 3261 §7.3.1).
void splitList(std::string_view value, std::vector<std::string_view>& out) {
  bool inQuotes = false;
  int angle = 0;
  size_t start = 0;
  for (size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    if (inQuotes) {
      if (c == '\\' && i + 1 < value.size()) {
        ++i;
      } else if (c == '"') {
        inQuotes = false;
      }
    } else if (c == '"') {
      inQuotes = true;
    } else if (c == '<') {
      ++angle;
    } else if (c == '>') {
      if (angle > 0) --angle;
    } else if (c == ',' && angle == 0) {
      const std::string_view part = trimWsp(value.substr(start, i - start));
      if (!part.empty()) out.push_back(part);
      start = i + 1;
    }
  }
  const std::string_view part = trimWsp(value.substr(start));
  if (!part.empty()) out.push_back(part);
}

bool matches(const Header& h, std::string_view canonical) {
  // Stored names are canonical, so known headers match exactly; unknown ones keep the
  // spelling they were given and need the case-insensitive compare.
  return h.name == canonical || iequals(h.name, canonical);
}

}  // namespace

std::string canonicalHeaderName(std::string_view name) { return std::string(canonicalView(name)); }

bool headerNameEquals(std::string_view a, std::string_view b) { return iequals(canonicalView(a), canonicalView(b)); }

Message Message::request(std::string method, std::string requestUri) {
  Message m;
  m.method = std::move(method);
  m.requestUri = std::move(requestUri);
  return m;
}

Message Message::response(int status, std::string reason) {
  Message m;
  m.status = status;
  m.reason = reason.empty() ? std::string(reasonPhrase(status)) : std::move(reason);
  return m;
}

std::optional<std::string_view> Message::header(std::string_view name) const {
  const std::string_view canonical = canonicalView(name);
  for (const Header& h : headers) {
    if (matches(h, canonical)) return std::string_view(h.value);
  }
  return std::nullopt;
}

std::vector<std::string_view> Message::headerValues(std::string_view name) const {
  const std::string_view canonical = canonicalView(name);
  const bool split = !isSingleValueHeader(canonical);
  std::vector<std::string_view> out;
  for (const Header& h : headers) {
    if (!matches(h, canonical)) continue;
    if (split) {
      splitList(h.value, out);
    } else {
      out.emplace_back(h.value);
    }
  }
  return out;
}

size_t Message::headerCount(std::string_view name) const {
  const std::string_view canonical = canonicalView(name);
  return static_cast<size_t>(
      std::count_if(headers.begin(), headers.end(), [&](const Header& h) { return matches(h, canonical); }));
}

void Message::addHeader(std::string name, std::string value) {
  headers.push_back(Header{canonicalHeaderName(name), std::move(value)});
}

void Message::setHeader(std::string name, std::string value) {
  const std::string canonical = canonicalHeaderName(name);
  auto first = std::find_if(headers.begin(), headers.end(), [&](const Header& h) { return matches(h, canonical); });
  if (first == headers.end()) {
    headers.push_back(Header{canonical, std::move(value)});
    return;
  }
  first->name = canonical;
  first->value = std::move(value);
  headers.erase(std::remove_if(std::next(first), headers.end(), [&](const Header& h) { return matches(h, canonical); }),
                headers.end());
}

void Message::removeHeader(std::string_view name) {
  const std::string_view canonical = canonicalView(name);
  headers.erase(std::remove_if(headers.begin(), headers.end(), [&](const Header& h) { return matches(h, canonical); }),
                headers.end());
}

void Message::prependHeader(std::string name, std::string value) {
  std::string canonical = canonicalHeaderName(name);
  auto first = std::find_if(headers.begin(), headers.end(), [&](const Header& h) { return matches(h, canonical); });
  // With no line of that name yet, the top of the header block is where a new Via goes.
  if (first == headers.end()) first = headers.begin();
  headers.insert(first, Header{std::move(canonical), std::move(value)});
}

std::string Message::serialize() const {
  size_t size = 64 + body.size() + method.size() + requestUri.size() + reason.size();
  for (const Header& h : headers) size += h.name.size() + h.value.size() + 4;
  std::string out;
  out.reserve(size);
  if (isRequest()) {
    out.append(method).append(" ").append(requestUri).append(" SIP/2.0\r\n");
  } else {
    out.append("SIP/2.0 ").append(std::to_string(status)).append(" ");
    out.append(reason.empty() ? reasonPhrase(status) : std::string_view(reason));
    out.append("\r\n");
  }
  for (const Header& h : headers) {
    // Content-Length is always recomputed from the body (RFC 3261 §20.14) so a stale value
    // copied from another message can never desynchronise a stream transport.
    if (matches(h, "Content-Length")) continue;
    out.append(h.name).append(": ").append(h.value).append("\r\n");
  }
  out.append("Content-Length: ").append(std::to_string(body.size())).append("\r\n\r\n");
  out.append(body);
  return out;
}

std::string_view reasonPhrase(int status) {
  // RFC 3261 §21 plus the codes from later RFCs a gateway meets in practice.
  switch (status) {
    case 100: return "Trying";
    case 180: return "Ringing";
    case 181: return "Call Is Being Forwarded";
    case 182: return "Queued";
    case 183: return "Session Progress";
    case 199: return "Early Dialog Terminated";
    case 200: return "OK";
    case 202: return "Accepted";
    case 204: return "No Notification";
    case 300: return "Multiple Choices";
    case 301: return "Moved Permanently";
    case 302: return "Moved Temporarily";
    case 305: return "Use Proxy";
    case 380: return "Alternative Service";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 402: return "Payment Required";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 407: return "Proxy Authentication Required";
    case 408: return "Request Timeout";
    case 410: return "Gone";
    case 412: return "Conditional Request Failed";
    case 413: return "Request Entity Too Large";
    case 414: return "Request-URI Too Long";
    case 415: return "Unsupported Media Type";
    case 416: return "Unsupported URI Scheme";
    case 417: return "Unknown Resource-Priority";
    case 420: return "Bad Extension";
    case 421: return "Extension Required";
    case 422: return "Session Interval Too Small";
    case 423: return "Interval Too Brief";
    case 428: return "Use Identity Header";
    case 429: return "Provide Referrer Identity";
    case 433: return "Anonymity Disallowed";
    case 436: return "Bad Identity-Info";
    case 437: return "Unsupported Certificate";
    case 438: return "Invalid Identity Header";
    case 439: return "First Hop Lacks Outbound Support";
    case 440: return "Max-Breadth Exceeded";
    case 469: return "Bad Info Package";
    case 470: return "Consent Needed";
    case 480: return "Temporarily Unavailable";
    case 481: return "Call/Transaction Does Not Exist";
    case 482: return "Loop Detected";
    case 483: return "Too Many Hops";
    case 484: return "Address Incomplete";
    case 485: return "Ambiguous";
    case 486: return "Busy Here";
    case 487: return "Request Terminated";
    case 488: return "Not Acceptable Here";
    case 489: return "Bad Event";
    case 491: return "Request Pending";
    case 493: return "Undecipherable";
    case 494: return "Security Agreement Required";
    case 500: return "Server Internal Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Server Time-out";
    case 505: return "Version Not Supported";
    case 513: return "Message Too Large";
    case 555: return "Push Notification Service Not Supported";
    case 580: return "Precondition Failure";
    case 600: return "Busy Everywhere";
    case 603: return "Decline";
    case 604: return "Does Not Exist Anywhere";
    case 606: return "Not Acceptable";
    case 607: return "Unwanted";
    case 608: return "Rejected";
    default: return "Unknown";
  }
}

}  // namespace callgate::sip

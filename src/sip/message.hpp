#pragma once
// SIP message model (RFC 3261 §7): a request or a response, its headers in order, a body.
// Header names are stored in their canonical long form (the parser expands compact forms
// such as "v" -> "Via"); values are stored unfolded and trimmed. A header line carrying a
// comma-separated list is stored as received; headerValues() splits it.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace callgate::sip {

struct Header {
  std::string name;
  std::string value;
};

class Message {
 public:
  static Message request(std::string method, std::string requestUri);
  static Message response(int status, std::string reason);

  bool isRequest() const { return status == 0; }
  bool isResponse() const { return status != 0; }

  // Request line (requests only).
  std::string method;
  std::string requestUri;
  // Status line (responses only).
  int status = 0;
  std::string reason;

  std::vector<Header> headers;
  std::string body;

  // First value of a header (case-insensitive name, long or compact form), or nullopt.
  std::optional<std::string_view> header(std::string_view name) const;
  // Every value of a header across all its lines, comma-separated lists split (commas
  // inside quotes or <> do not split). For Via, Route, Record-Route, Contact and the like.
  std::vector<std::string_view> headerValues(std::string_view name) const;
  size_t headerCount(std::string_view name) const;

  void addHeader(std::string name, std::string value);
  // Replaces every line of `name` with one line.
  void setHeader(std::string name, std::string value);
  void removeHeader(std::string_view name);
  // Inserts before the first existing line (used for Via on forwarding / new branch).
  void prependHeader(std::string name, std::string value);

  // Wire form, with Content-Length set to the body size.
  std::string serialize() const;
};

// Canonical long name for a header name given in any case or compact form
// ("v" -> "Via", "call-id" -> "Call-ID", "X-Foo" -> "X-Foo").
std::string canonicalHeaderName(std::string_view name);
bool headerNameEquals(std::string_view a, std::string_view b);

// Standard reason phrase for a status code ("Busy Here" for 486), or "Unknown".
std::string_view reasonPhrase(int status);

}  // namespace callgate::sip

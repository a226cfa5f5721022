// HTTP digest for SIP (RFC 3261 §22.4, RFC 7616 §3.4, RFC 8760): challenge parsing and
// credentials computation. Hashing goes through OpenSSL's EVP one-shot API; OpenSSL 3 needs
// no explicit global initialisation for it.
#include "sip/digest.hpp"

#include <openssl/evp.h>

#include <cstdio>

#include "sip/grammar.hpp"
#include "sip/header_values.hpp"

namespace callgate::sip {
namespace {

using grammar::iequals;
using grammar::isWhitespace;
using grammar::trimWhitespace;

// Lenient token for challenge parsing: an RFC 3261 §25.1 token plus '/' and '=', which some
// servers send unquoted in nonces; harmless inside a value.
constexpr bool isLenientTokenChar(char c) { return grammar::isTokenChar(c) || c == '/' || c == '='; }

const EVP_MD* digestFor(std::string_view algorithm) {
  if (iequals(algorithm, "MD5")) return EVP_md5();
  if (iequals(algorithm, "SHA-256")) return EVP_sha256();
  return nullptr;
}

// Does the comma-separated qop-options list contain the exact value "auth"?
bool qopListHasAuth(std::string_view list) {
  while (!list.empty()) {
    const size_t comma = list.find(',');
    if (iequals(trimWhitespace(list.substr(0, comma)), "auth")) return true;
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return false;
}

}  // namespace

std::string hexHash(std::string_view algorithm, std::string_view data) {
  const EVP_MD* md = digestFor(algorithm);
  if (md == nullptr) return {};
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), out, &len, md, nullptr) != 1) return {};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(len * 2);
  for (unsigned i = 0; i < len; ++i) {
    hex.push_back(kHex[out[i] >> 4]);
    hex.push_back(kHex[out[i] & 0xf]);
  }
  return hex;
}

// challenge = "Digest" LWS digest-cln *(COMMA digest-cln)  (RFC 3261 §25.1)
// digest-cln = realm / domain / nonce / opaque / stale / algorithm / qop-options / auth-param
Result<DigestChallenge> parseDigestChallenge(std::string_view headerValue) {
  std::string_view text = trimWhitespace(headerValue);
  if (text.size() < 7 || !iequals(text.substr(0, 6), "Digest") || !isWhitespace(text[6])) {
    return makeError("Not a Digest challenge");
  }
  text = trimWhitespace(text.substr(7));
  DigestChallenge c;
  bool haveRealm = false, haveNonce = false;
  while (!text.empty()) {
    size_t i = 0;
    while (i < text.size() && isLenientTokenChar(text[i]) && text[i] != '=') ++i;
    const std::string_view name = text.substr(0, i);
    if (name.empty()) return makeError("Malformed Digest challenge parameter");
    text = trimWhitespace(text.substr(i));
    if (text.empty() || text.front() != '=') return makeError("Malformed Digest challenge parameter");
    text = trimWhitespace(text.substr(1));
    std::string value;
    if (!text.empty() && text.front() == '"') {
      size_t k = 1;
      for (; k < text.size() && text[k] != '"'; ++k) {
        if (text[k] == '\\' && k + 1 < text.size()) ++k;
        value.push_back(text[k]);
      }
      if (k >= text.size()) return makeError("Unterminated quoted string in Digest challenge");
      text = trimWhitespace(text.substr(k + 1));
    } else {
      size_t k = 0;
      while (k < text.size() && isLenientTokenChar(text[k])) ++k;
      if (k == 0) return makeError("Malformed Digest challenge value");
      value.assign(text.substr(0, k));
      text = trimWhitespace(text.substr(k));
    }
    if (!text.empty()) {
      if (text.front() != ',') return makeError("Malformed Digest challenge");
      text = trimWhitespace(text.substr(1));
    }

    if (iequals(name, "realm")) {
      c.realm = std::move(value);
      haveRealm = true;
    } else if (iequals(name, "nonce")) {
      c.nonce = std::move(value);
      haveNonce = true;
    } else if (iequals(name, "opaque")) {
      c.opaque = std::move(value);
    } else if (iequals(name, "algorithm")) {
      // RFC 8760 §2: MD5 and SHA-256 (SHA-512-256 is not offered by SIP servers we meet).
      // The -sess variants need a cnonce-dependent HA1 we do not implement.
      if (iequals(value, "MD5")) {
        c.algorithm = "MD5";
      } else if (iequals(value, "SHA-256")) {
        c.algorithm = "SHA-256";
      } else {
        return makeError("Unsupported digest algorithm " + value);
      }
    } else if (iequals(name, "qop")) {
      c.qopAuth = qopListHasAuth(value);
      // Only auth-int offered: we cannot hash the body per-request here, refuse clearly.
      if (!c.qopAuth) return makeError("Unsupported qop " + value);
    } else if (iequals(name, "stale")) {
      c.stale = iequals(value, "true");
    }
    // domain and unknown auth-params are ignored (RFC 7616 §3.3).
  }
  if (!haveRealm) return makeError("Digest challenge without realm");
  if (!haveNonce) return makeError("Digest challenge without nonce");
  return c;
}

std::string buildDigestAuthorization(const DigestChallenge& challenge, const DigestCredentials& credentials,
                                     std::string_view method, std::string_view digestUri, uint32_t nonceCount,
                                     std::string_view cnonce) {
  const std::string& alg = challenge.algorithm;
  std::string a1;
  a1.append(credentials.username).append(":").append(challenge.realm).append(":").append(credentials.password);
  std::string a2;
  a2.append(method).append(":").append(digestUri);
  const std::string ha1 = hexHash(alg, a1);
  const std::string ha2 = hexHash(alg, a2);

  char nc[9];
  std::snprintf(nc, sizeof nc, "%08x", nonceCount);

  // RFC 7616 §3.4.1: response = H(HA1:nonce:nc:cnonce:qop:HA2) with qop, and the RFC 2069
  // form H(HA1:nonce:HA2) without.
  std::string kd = ha1;
  kd.append(":").append(challenge.nonce).append(":");
  if (challenge.qopAuth) kd.append(nc).append(":").append(cnonce).append(":auth:");
  kd.append(ha2);
  const std::string response = hexHash(alg, kd);

  std::string out = "Digest username=";
  out.append(quoteString(credentials.username));
  out.append(", realm=").append(quoteString(challenge.realm));
  out.append(", nonce=").append(quoteString(challenge.nonce));
  out.append(", uri=").append(quoteString(digestUri));
  out.append(", response=\"").append(response).append("\"");
  out.append(", algorithm=").append(alg);
  if (challenge.qopAuth) {
    out.append(", cnonce=").append(quoteString(cnonce));
    out.append(", qop=auth, nc=").append(nc);
  }
  if (!challenge.opaque.empty()) out.append(", opaque=").append(quoteString(challenge.opaque));
  return out;
}

}  // namespace callgate::sip

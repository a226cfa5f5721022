#include "wsserver/tls_identity.hpp"

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstdio>
#include <filesystem>

#include "common/random.hpp"

namespace callgate::wsserver {
namespace {

struct FileCloser {
  void operator()(FILE* f) const { std::fclose(f); }
};
using FilePtr = std::unique_ptr<FILE, FileCloser>;

}  // namespace

Result<void> ensureSelfSignedCertificate(const TlsFiles& files, const std::string& commonName) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::exists(files.certificatePath, ec) && fs::exists(files.privateKeyPath, ec)) return {};
  for (auto& path : {files.certificatePath, files.privateKeyPath}) {
    auto dir = fs::path(path).parent_path();
    if (!dir.empty()) fs::create_directories(dir, ec);
    if (ec) return makeError("cannot create " + dir.string() + ": " + ec.message());
  }

  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_EC_gen("P-256"), EVP_PKEY_free);
  std::unique_ptr<X509, decltype(&X509_free)> cert(X509_new(), X509_free);
  if (!key || !cert) return makeError("OpenSSL could not create a key");
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), long(randomU32() & 0x7fffffff));
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 10L * 365 * 24 * 3600);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(commonName.c_str()), -1,
                             -1, 0);
  X509_set_issuer_name(cert.get(), name);
  if (!X509_sign(cert.get(), key.get(), EVP_sha256())) return makeError("OpenSSL could not sign the certificate");

  FilePtr keyFile(std::fopen(files.privateKeyPath.c_str(), "wb"));
  if (!keyFile) return makeError("cannot write " + files.privateKeyPath);
  std::filesystem::permissions(files.privateKeyPath, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write, ec);
  if (!PEM_write_PrivateKey(keyFile.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr))
    return makeError("cannot write " + files.privateKeyPath);
  FilePtr certFile(std::fopen(files.certificatePath.c_str(), "wb"));
  if (!certFile || !PEM_write_X509(certFile.get(), cert.get())) return makeError("cannot write " + files.certificatePath);
  return {};
}

Result<std::unique_ptr<boost::asio::ssl::context>> makeServerTlsContext(const TlsFiles& files) {
  auto ctx = std::make_unique<boost::asio::ssl::context>(boost::asio::ssl::context::tls_server);
  boost::system::error_code ec;
  ctx->set_options(boost::asio::ssl::context::default_workarounds | boost::asio::ssl::context::no_sslv2 |
                       boost::asio::ssl::context::no_sslv3 | boost::asio::ssl::context::no_tlsv1 |
                       boost::asio::ssl::context::no_tlsv1_1,
                   ec);
  ctx->use_certificate_chain_file(files.certificatePath, ec);
  if (ec) return makeError("cannot load certificate " + files.certificatePath + ": " + ec.message());
  ctx->use_private_key_file(files.privateKeyPath, boost::asio::ssl::context::pem, ec);
  if (ec) return makeError("cannot load private key " + files.privateKeyPath + ": " + ec.message());
  return ctx;
}

}  // namespace callgate::wsserver

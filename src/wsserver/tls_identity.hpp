#pragma once
// The wss certificate: loaded from configured PEM files, or — when none is configured — a
// self-signed ECDSA P-256 certificate generated at first start and kept in the data folder
// so browsers that were told to trust it keep trusting it across restarts.
#include <boost/asio/ssl/context.hpp>

#include <memory>
#include <string>

#include "common/result.hpp"

namespace callgate::wsserver {

struct TlsFiles {
  std::string certificatePath;
  std::string privateKeyPath;
};

// Generates `files` (self-signed, CN=commonName, 10 years) unless both exist already.
Result<void> ensureSelfSignedCertificate(const TlsFiles& files, const std::string& commonName);
Result<std::unique_ptr<boost::asio::ssl::context>> makeServerTlsContext(const TlsFiles& files);

}  // namespace callgate::wsserver

#pragma once
// The client sessions of one worker by authToken, for keepAlive re-attach
// (shared/protocol/wcs-websocket.md §1 "Session identity / reconnect", §4.11).
//
// - Every connected ClientSession of the worker is listed while its socket holds it
//   ("attached"), so a second socket presenting the same token can be refused.
// - When the socket of a keepAlive session is lost, the connection hands the session over
//   (`keep`): the registry owns it, detached, for the grace period. Its SIP registration,
//   refreshes and still-ringing incoming calls go on meanwhile.
// - A new socket presenting the token `take`s it back; when the grace runs out the session
//   gets the normal teardown (calls ended, un-REGISTER).
//
// Tokens are `<worker>-<key>.<secret>` with 16 + 32 characters from the CSPRNG (about 285
// bits); the key finds the entry, the secret is compared in constant time (CRYPTO_memcmp),
// so response timing tells nothing about the secret.
//
// One registry per worker, used only on that worker's thread, like the sessions it holds
// (docs/architecture.md "Threading"). Not thread-safe. Destroying it with sessions kept
// drops them without teardown (process exit: Worker::shutdown has closed their SIP side).
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace callgate::api {

class ClientSession;

class SessionRegistry {
 public:
  // `grace` 0 keeps nothing: every socket close ends its session.
  SessionRegistry(boost::asio::any_io_executor executor, std::chrono::milliseconds grace, int workerIndex = 0);
  ~SessionRegistry();
  SessionRegistry(const SessionRegistry&) = delete;
  SessionRegistry& operator=(const SessionRegistry&) = delete;

  std::chrono::milliseconds grace() const { return grace_; }

  // A fresh token for `session`, listed as attached until remove() or keep().
  std::string add(ClientSession& session);
  // The attached session with this token ended for good (socket closed without keepAlive).
  void remove(std::string_view token);
  // The socket of a keepAlive session is gone: detach the session and own it for the grace
  // period, then end it. A session whose token is not listed (or grace 0) is ended at once.
  void keep(std::unique_ptr<ClientSession> session);
  // The kept session for this token, now listed as attached to the caller's socket. Errors
  // (the `info` of the client's `fail`): unknown token, expired token, token in use.
  Result<std::unique_ptr<ClientSession>> take(std::string_view token);

  size_t keptCount() const;
  size_t attachedCount() const;

  // Info strings of refused re-attaches (tests and the client SDK match them).
  static constexpr const char* kUnknownToken = "Unknown authToken";
  static constexpr const char* kExpiredToken = "authToken expired";
  static constexpr const char* kTokenInUse = "authToken is in use by another connection";
  static constexpr const char* kOtherWorker = "authToken belongs to another worker: reconnect to re-attach";

 private:
  struct Entry {
    std::string secret;
    ClientSession* attached = nullptr;
    std::unique_ptr<ClientSession> kept;
    std::unique_ptr<boost::asio::steady_timer> graceTimer;
  };
  // Splits a token into its key; nullptr unless the key is listed and the secret matches.
  Entry* find(std::string_view token, std::string* key = nullptr);
  void expire(const std::string& key);
  void end(std::unique_ptr<ClientSession> session);
  void rememberExpired(std::string key);

  boost::asio::any_io_executor executor_;
  std::chrono::milliseconds grace_;
  std::string prefix_;  // "<worker>-"
  std::map<std::string, Entry, std::less<>> entries_;
  // Sessions whose teardown (un-REGISTER, BYEs) is still running.
  std::vector<std::unique_ptr<ClientSession>> ending_;
  // Keys of recently expired sessions, so a late client is told "expired", not "unknown".
  std::deque<std::string> expiredKeys_;
  std::shared_ptr<char> alive_ = std::make_shared<char>();
};

}  // namespace callgate::api

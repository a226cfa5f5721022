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
class FrameSink;
struct ConnectionRequest;

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
  // The kept session for this token, now listed as attached to the caller's socket. A session
  // still attached to a socket of this worker is taken over (a silent link loss is noticed
  // only after missed pongs, while the client reconnects at once): the old socket gets
  // `fail` kTakenOver and is closed. Errors (the `info` of the client's `fail`): unknown
  // token, expired token, token in use (a transport that cannot hand over, or a socket of
  // another worker relaying it).
  Result<std::unique_ptr<ClientSession>> take(std::string_view token);

  size_t keptCount() const;
  size_t attachedCount() const;

  // ---- Re-attach across workers ----
  // A socket lands on whichever worker the listener picks, but a session must stay on the
  // worker that owns its SIP port and calls. So when a token names another worker, the
  // socket's own ClientSession relays: it posts the `connection` and every later frame to
  // the owner's registry, which attaches the session to a FrameSink that posts frames back.
  // Only asio::post crosses threads; each side touches only its own objects.
  struct Peer {
    boost::asio::any_io_executor executor;
    SessionRegistry* registry;
  };
  // Every worker's registry, index = worker; set once before the workers run, then read-only.
  void setPeers(std::shared_ptr<const std::vector<Peer>> peers) { peers_ = std::move(peers); }
  // The registry (of another worker) that minted `token`; null for ours or unknown workers.
  const Peer* ownerOf(std::string_view token) const;
  // On the owner's thread: attach the kept session to `sink` (posting to the relaying
  // worker) under `attachment`; errors as take().
  Result<void> attachRemote(std::string_view token, uint64_t attachment, const ConnectionRequest& request,
                            std::unique_ptr<FrameSink> sink);
  // On the owner's thread: a frame from the relaying socket / that socket is gone.
  void deliverRemote(std::string_view token, uint64_t attachment, std::string_view text);
  void remoteLost(std::string_view token, uint64_t attachment);

  // Info strings of refused re-attaches (tests and the client SDK match them).
  static constexpr const char* kUnknownToken = "Unknown authToken";
  static constexpr const char* kExpiredToken = "authToken expired";
  static constexpr const char* kTokenInUse = "authToken is in use by another connection";
  static constexpr const char* kTakenOver = "Session taken over by another connection with its authToken";
  static constexpr const char* kOtherWorker = "authToken belongs to another worker: reconnect to re-attach";

 private:
  struct Entry {
    std::string secret;
    ClientSession* attached = nullptr;
    std::unique_ptr<ClientSession> kept;
    std::unique_ptr<boost::asio::steady_timer> graceTimer;
    // Attached to a socket of another worker: `kept` stays owned here, `attached` points at
    // it, frames go out through remoteSink.
    std::unique_ptr<FrameSink> remoteSink;
    uint64_t attachment = 0;
  };
  // Splits a token into its key; nullptr unless the key is listed and the secret matches.
  Entry* find(std::string_view token, std::string* key = nullptr);
  void expire(const std::string& key);
  void end(std::unique_ptr<ClientSession> session);
  void rememberExpired(std::string key);

  boost::asio::any_io_executor executor_;
  std::chrono::milliseconds grace_;
  int workerIndex_;
  std::string prefix_;  // "<worker>-"
  std::shared_ptr<const std::vector<Peer>> peers_;
  std::map<std::string, Entry, std::less<>> entries_;
  // Sessions whose teardown (un-REGISTER, BYEs) is still running.
  std::vector<std::unique_ptr<ClientSession>> ending_;
  // Keys of recently expired sessions, so a late client is told "expired", not "unknown".
  std::deque<std::string> expiredKeys_;
  std::shared_ptr<char> alive_ = std::make_shared<char>();
};

}  // namespace callgate::api

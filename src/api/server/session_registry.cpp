#include "api/server/session_registry.hpp"

#include <openssl/crypto.h>

#include <boost/asio/post.hpp>

#include <algorithm>

#include "api/server/client_session.hpp"
#include "common/log.hpp"
#include "common/random.hpp"

namespace callgate::api {
namespace {
constexpr size_t kKeyLength = 16;
constexpr size_t kSecretLength = 32;
constexpr size_t kExpiredKeysKept = 1024;

double seconds(std::chrono::milliseconds ms) { return double(ms.count()) / 1000.0; }
}  // namespace

SessionRegistry::SessionRegistry(boost::asio::any_io_executor executor, std::chrono::milliseconds grace,
                                 int workerIndex)
    : executor_(std::move(executor)),
      grace_(grace),
      workerIndex_(workerIndex),
      prefix_(std::to_string(workerIndex) + "-") {}

SessionRegistry::~SessionRegistry() = default;

std::string SessionRegistry::add(ClientSession& session) {
  std::string key;
  do key = prefix_ + randomToken(kKeyLength);
  while (entries_.count(key));
  Entry& entry = entries_[key];
  entry.secret = randomToken(kSecretLength);
  entry.attached = &session;
  return key + "." + entry.secret;
}

SessionRegistry::Entry* SessionRegistry::find(std::string_view token, std::string* keyOut) {
  auto dot = token.find('.');
  if (dot == std::string_view::npos) return nullptr;
  std::string_view key = token.substr(0, dot);
  std::string_view secret = token.substr(dot + 1);
  auto it = entries_.find(key);
  if (it == entries_.end()) return nullptr;
  // The length is not secret (always kSecretLength); the content is compared in constant time.
  if (secret.size() != it->second.secret.size() ||
      CRYPTO_memcmp(secret.data(), it->second.secret.data(), secret.size()) != 0)
    return nullptr;
  if (keyOut) *keyOut = it->first;
  return &it->second;
}

void SessionRegistry::remove(std::string_view token) {
  std::string key;
  if (find(token, &key)) entries_.erase(key);
}

void SessionRegistry::keep(std::unique_ptr<ClientSession> session) {
  std::string key;
  Entry* entry = find(session->authToken(), &key);
  if (!entry || grace_.count() <= 0) {
    if (entry) entries_.erase(key);
    return end(std::move(session));
  }
  session->detach();
  CG_INFO("client {}: socket lost, session kept {} s for re-attach by authToken", session->id(), seconds(grace_));
  entry->attached = nullptr;
  entry->kept = std::move(session);
  entry->graceTimer = std::make_unique<boost::asio::steady_timer>(executor_, grace_);
  entry->graceTimer->async_wait([alive = std::weak_ptr<char>(alive_), this, key](boost::system::error_code ec) {
    if (ec || alive.expired()) return;
    expire(key);
  });
}

Result<std::unique_ptr<ClientSession>> SessionRegistry::take(std::string_view token) {
  std::string key;
  Entry* entry = find(token, &key);
  if (!entry) {
    // Sessions live on the worker that accepted their first socket; a later socket may land
    // on another worker (round robin), whose thread must not touch them. Moving a session
    // between workers would mean moving its SIP port; relaying frames between threads is the
    // way to lift this (docs/architecture.md "Kept sessions").
    if (token.rfind(prefix_, 0) != 0 && token.find('-') != std::string_view::npos &&
        token.find('-') < token.find('.'))
      return makeError(kOtherWorker);
    auto dot = token.find('.');
    std::string_view tokenKey = token.substr(0, dot);
    // Only the key (the public half) is looked up here, so no timing care is needed.
    bool expired = dot != std::string_view::npos &&
                   std::find(expiredKeys_.begin(), expiredKeys_.end(), tokenKey) != expiredKeys_.end();
    return makeError(expired ? kExpiredToken : kUnknownToken);
  }
  if (entry->attached && !entry->kept) {
    std::unique_ptr<ClientSession> session = entry->attached->surrender(kTakenOver);
    if (!session) return makeError(kTokenInUse);
    entry->attached = session.get();
    return session;
  }
  if (entry->attached || !entry->kept) return makeError(kTokenInUse);
  entry->graceTimer.reset();  // cancels the expiry
  auto session = std::move(entry->kept);
  entry->attached = session.get();
  return session;
}

void SessionRegistry::expire(const std::string& key) {
  auto it = entries_.find(key);
  if (it == entries_.end() || !it->second.kept) return;
  auto session = std::move(it->second.kept);
  entries_.erase(it);
  rememberExpired(key);
  CG_INFO("client {}: no re-attach within {} s (keepAlive grace), ending the session", session->id(),
          seconds(grace_));
  end(std::move(session));
}

void SessionRegistry::end(std::unique_ptr<ClientSession> session) {
  ClientSession* raw = session.get();
  ending_.push_back(std::move(session));
  raw->shutdown([alive = std::weak_ptr<char>(alive_), this, raw] {
    if (alive.expired()) return;
    // Posted: never destroy the session inside its own callback.
    boost::asio::post(executor_, [alive = std::weak_ptr<char>(alive_), this, raw] {
      if (alive.expired()) return;
      std::erase_if(ending_, [raw](const auto& s) { return s.get() == raw; });
    });
  });
}

void SessionRegistry::rememberExpired(std::string key) {
  expiredKeys_.push_back(std::move(key));
  if (expiredKeys_.size() > kExpiredKeysKept) expiredKeys_.pop_front();
}

size_t SessionRegistry::keptCount() const {
  return size_t(std::count_if(entries_.begin(), entries_.end(),
                              [](const auto& e) { return e.second.kept != nullptr && !e.second.attached; }));
}

size_t SessionRegistry::attachedCount() const {
  return size_t(
      std::count_if(entries_.begin(), entries_.end(), [](const auto& e) { return e.second.attached != nullptr; }));
}

const SessionRegistry::Peer* SessionRegistry::ownerOf(std::string_view token) const {
  if (!peers_) return nullptr;
  auto dash = token.find('-');
  if (dash == std::string_view::npos || dash == 0 || dash > 4) return nullptr;
  int worker = 0;
  for (char c : token.substr(0, dash)) {
    if (c < '0' || c > '9') return nullptr;
    worker = worker * 10 + (c - '0');
  }
  if (worker == workerIndex_ || worker >= int(peers_->size())) return nullptr;
  return &(*peers_)[size_t(worker)];
}

Result<void> SessionRegistry::attachRemote(std::string_view token, uint64_t attachment,
                                           const ConnectionRequest& request, std::unique_ptr<FrameSink> sink) {
  auto taken = take(token);
  if (!taken) return taken.error();
  std::string key;
  Entry* entry = find(token, &key);
  ClientSession* session = taken->get();
  entry->kept = std::move(*taken);
  entry->attached = session;
  entry->remoteSink = std::move(sink);
  entry->attachment = attachment;
  CG_INFO("client {}: re-attached by authToken through a socket of another worker", session->id());
  session->attach(*entry->remoteSink, request);
  return {};
}

void SessionRegistry::deliverRemote(std::string_view token, uint64_t attachment, std::string_view text) {
  Entry* entry = find(token);
  if (!entry || !entry->remoteSink || entry->attachment != attachment) return;
  entry->kept->onText(text);
}

void SessionRegistry::remoteLost(std::string_view token, uint64_t attachment) {
  std::string key;
  Entry* entry = find(token, &key);
  if (!entry || !entry->remoteSink || entry->attachment != attachment) return;
  auto session = std::move(entry->kept);
  entry->attached = nullptr;
  entry->attachment = 0;
  // The session still points at the sink: detach (keep) or end it before the sink goes.
  auto sink = std::move(entry->remoteSink);
  if (session->wantsKeep()) {
    keep(std::move(session));
  } else {
    entries_.erase(key);
    end(std::move(session));
  }
}

}  // namespace callgate::api

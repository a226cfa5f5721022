#include "sip/ua/registration.hpp"

#include "sip/ua/invite_helpers.hpp"

#include <boost/asio/post.hpp>
#include <charconv>

#include "common/log.hpp"
#include "common/random.hpp"
#include "sip/header_values.hpp"

namespace callgate::sip::ua {

namespace {

std::optional<uint32_t> parseSeconds(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  uint32_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return value;
}

bool sameHost(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

}  // namespace

Registration::Registration(transaction::SipEndpoint& endpoint, Account account, Listener& listener,
                           RegistrationOptions options)
    : endpoint_(endpoint),
      account_(std::move(account)),
      listener_(listener),
      options_(options),
      resolver_(endpoint.io()),
      auth_(DigestCredentials{account_.effectiveAuthName(), account_.password}),
      callId_(randomToken(24)),
      fromTag_(randomToken(12)),
      requestedExpires_(account_.registerExpires),
      refreshTimer_(endpoint.io()),
      unregisterTimer_(endpoint.io()) {}

Registration::~Registration() {
  if (transaction_) endpoint_.abandon(transaction_);
}

std::string Registration::contactUri() const {
  return localContact(account_.login, endpoint_).serialize();
}

Result<void> Registration::start() {
  if (state_ == State::Registering || state_ == State::Registered || state_ == State::Unregistering) {
    return makeError("registration already running");
  }
  if (auto valid = validateAccount(account_); !valid) return valid;
  state_ = State::Registering;
  intervalRetried_ = false;
  auth_.beginRequest();
  expiresAsked_ = requestedExpires_;
  resolver_.resolve(account_.effectiveProxy(), account_.port, [this](Result<transport::PeerAddress> address) {
    if (state_ != State::Registering) return;
    if (!address) {
      fail(503, address.error().message);
      return;
    }
    proxy_ = address.value();
    sendRegister();
  });
  return {};
}

void Registration::sendRegister() {
  Uri aor = account_.aor();
  Message request = Message::request("REGISTER", "sip:" + account_.domain);
  NameAddr from{account_.displayName, aor, {}};
  from.setParam("tag", fromTag_);
  request.addHeader("From", from.serialize());
  request.addHeader("To", NameAddr{{}, aor, {}}.serialize());
  request.addHeader("Call-ID", callId_);
  request.addHeader("CSeq", std::to_string(++cseq_) + " REGISTER");
  std::string contact = "<" + contactUri() + ">";
  if (expiresAsked_ == 0) contact += ";expires=0";
  request.addHeader("Contact", contact);
  request.addHeader("Expires", std::to_string(expiresAsked_));
  request.addHeader("Allow", std::string(transaction::SipEndpoint::kAllow));
  if (auth_.hasChallenges()) auth_.authorize(request);
  transaction_ = endpoint_.sendRequest(std::move(request), *proxy_, this);
}

void Registration::onResponse(transaction::TransactionId id, const Message& response) {
  if (id != transaction_ || response.status < 200) return;
  transaction_ = 0;
  const int status = response.status;

  if ((status == 401 || status == 407) && auth_.onChallenge(response)) {
    sendRegister();
    return;
  }
  if (state_ == State::Unregistering) {
    finishUnregister();
    return;
  }
  if (status >= 200 && status < 300) {
    onSuccess(response);
    return;
  }
  if (status == 423 && !intervalRetried_) {
    // §10.3 step 7 / §20.23: the registrar wants a longer interval.
    auto minExpires = parseSeconds(response.header("Min-Expires").value_or(""));
    if (minExpires && *minExpires > expiresAsked_) {
      intervalRetried_ = true;
      requestedExpires_ = expiresAsked_ = *minExpires;
      auth_.beginRequest();
      sendRegister();
      return;
    }
  }
  if (status == 401 || status == 407) {
    CG_INFO("sip: REGISTER {} for {}: {}", status, account_.login, auth_.lastRefusal());
  }
  fail(status, response.reason);
}

void Registration::onSuccess(const Message& response) {
  const bool wasRegistered = state_ == State::Registered;
  state_ = State::Registered;
  grantedExpires_ = grantedFrom(response);
  if (grantedExpires_ == 0) grantedExpires_ = expiresAsked_;
  // Refresh at 80 % of the granted interval (§10.2.4 leaves the margin to the UA).
  auto delay = std::chrono::milliseconds(uint64_t(grantedExpires_) * 800);
  refreshTimer_.start(delay, [this] {
    if (state_ != State::Registered) return;
    auth_.beginRequest();
    expiresAsked_ = requestedExpires_;
    sendRegister();
  });
  if (!wasRegistered) listener_.onRegistered();
}

uint32_t Registration::grantedFrom(const Message& response) const {
  const std::string& host = endpoint_.advertisedHost();
  const uint16_t port = endpoint_.advertisedPort();
  for (auto value : response.headerValues("Contact")) {
    auto contact = parseNameAddr(value);
    if (!contact) continue;
    const Uri& uri = contact->uri;
    if (uri.user == account_.login && sameHost(uri.host, host) && (uri.port == port || (uri.port == 0 && port == 5060))) {
      if (auto expires = contact->param("expires")) {
        if (auto seconds = parseSeconds(*expires)) return *seconds;
      }
    }
  }
  if (auto expires = parseSeconds(response.header("Expires").value_or(""))) return *expires;
  return expiresAsked_;
}

void Registration::onTransactionTimeout(transaction::TransactionId id) {
  if (id != transaction_) return;
  transaction_ = 0;
  if (state_ == State::Unregistering) {
    finishUnregister();
    return;
  }
  fail(408, "No response from " + account_.effectiveProxy() + ":" + std::to_string(account_.port));
}

void Registration::fail(int status, std::string reason) {
  state_ = State::Failed;
  refreshTimer_.cancel();
  CG_INFO("sip: registration of {}@{} failed: {} {}", account_.login, account_.domain, status, reason);
  listener_.onRegistrationFailed(status, std::move(reason));
}

void Registration::unregister(std::function<void()> done) {
  if (done) unregisterDone_.push_back(std::move(done));
  if (state_ == State::Unregistering) return;
  refreshTimer_.cancel();
  resolver_.cancel();
  if (transaction_) {
    endpoint_.abandon(transaction_);
    transaction_ = 0;
  }
  if (!proxy_) {
    state_ = State::Unregistered;
    boost::asio::post(endpoint_.io(), [callbacks = std::move(unregisterDone_)] {
      for (const auto& cb : callbacks) cb();
    });
    unregisterDone_.clear();
    return;
  }
  state_ = State::Unregistering;
  auth_.beginRequest();
  expiresAsked_ = 0;
  sendRegister();
  unregisterTimer_.start(options_.unregisterTimeout, [this] { finishUnregister(); });
}

void Registration::finishUnregister() {
  if (state_ != State::Unregistering) return;
  state_ = State::Unregistered;
  unregisterTimer_.cancel();
  if (transaction_) {
    endpoint_.abandon(transaction_);
    transaction_ = 0;
  }
  auto callbacks = std::move(unregisterDone_);
  unregisterDone_.clear();
  for (const auto& cb : callbacks) cb();
}

}  // namespace callgate::sip::ua

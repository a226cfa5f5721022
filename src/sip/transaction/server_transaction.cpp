#include "sip/transaction/server_transaction.hpp"

#include <algorithm>

#include "common/log.hpp"
#include "sip/transaction/responses.hpp"
#include "sip/transport/via_routing.hpp"

namespace callgate::sip::transaction {

ServerTransaction::ServerTransaction(TransactionContext& context, std::string key, const Message& request,
                                     transport::PeerAddress source)
    : context_(context),
      key_(std::move(key)),
      request_(request),
      source_(source),
      invite_(request.method == "INVITE"),
      state_(invite_ ? State::Proceeding : State::Trying),
      interval_(context.timers().t1),
      retransmitTimer_(context.io()),
      timeoutTimer_(context.io()) {
  if (!invite_) {
    timeoutTimer_.start(context_.timers().timeout64(),
                        [this, guard = makeResponse(request, 500, "Server Internal Error")]() mutable {
                          if (hasFinalResponse()) return;
                          CG_WARN("sip: request {} left unanswered, replying 500", key_);
                          respond(std::move(guard));
                        });
  }
}

void ServerTransaction::send(const Message& response) {
  auto destination = transport::responseDestination(response);
  context_.sendToNetwork(response, destination ? *destination : source_);
}

void ServerTransaction::onRetransmission() {
  switch (state_) {
    case State::Proceeding:
    case State::Completed:
      if (lastResponse_) send(*lastResponse_);
      return;
    default:
      return;  // Trying: nothing to repeat yet; Accepted/Confirmed: absorbed
  }
}

void ServerTransaction::onAck() {
  if (!invite_ || state_ != State::Completed) return;
  state_ = State::Confirmed;
  retransmitTimer_.cancel();
  timeoutTimer_.start(context_.timers().t4, [this] { terminate(); });  // timer I
}

void ServerTransaction::respond(Message response) {
  if (hasFinalResponse()) {
    CG_DEBUG("sip: late response {} on finished transaction {}", response.status, key_);
    return;
  }
  send(response);
  const int status = response.status;
  lastResponse_ = std::move(response);
  if (status < 200) {
    state_ = State::Proceeding;
    return;
  }
  const auto& timers = context_.timers();
  if (!invite_) {
    state_ = State::Completed;
    timeoutTimer_.start(timers.timeout64(), [this] { terminate(); });  // timer J
  } else if (status < 300) {
    state_ = State::Accepted;
    timeoutTimer_.start(timers.timeout64(), [this] { terminate(); });  // timer L
  } else {
    state_ = State::Completed;
    interval_ = timers.t1;
    retransmitTimer_.start(interval_, [this] { retransmitFinal(); });  // timer G
    timeoutTimer_.start(timers.timeout64(), [this] { terminate(); });  // timer H
  }
}

void ServerTransaction::retransmitFinal() {
  if (state_ != State::Completed || !lastResponse_) return;
  send(*lastResponse_);
  interval_ = std::min(interval_ * 2, context_.timers().t2);
  retransmitTimer_.start(interval_, [this] { retransmitFinal(); });
}

void ServerTransaction::terminate() {
  if (state_ == State::Terminated) return;
  state_ = State::Terminated;
  retransmitTimer_.cancel();
  timeoutTimer_.cancel();
  context_.serverTerminated(key_);
}

}  // namespace callgate::sip::transaction

#include "sip/transaction/client_transaction.hpp"

#include <algorithm>

#include "common/log.hpp"

namespace callgate::sip::transaction {

ClientTransaction::ClientTransaction(TransactionContext& context, TransactionId id, Message request,
                                     transport::PeerAddress destination, ClientTransactionUser* user)
    : context_(context),
      id_(id),
      request_(std::move(request)),
      destination_(destination),
      user_(user),
      invite_(request_.method == "INVITE"),
      state_(invite_ ? State::Calling : State::Trying),
      interval_(context.timers().t1),
      retransmitTimer_(context.io()),
      timeoutTimer_(context.io()),
      lingerTimer_(context.io()) {}

void ClientTransaction::start() {
  context_.sendToNetwork(request_, destination_);
  retransmitTimer_.start(interval_, [this] { retransmit(); });
  timeoutTimer_.start(context_.timers().timeout64(), [this] { onTimeout(); });
}

void ClientTransaction::retransmit() {
  if (state_ != State::Calling && state_ != State::Trying && state_ != State::Proceeding) return;
  if (invite_ && state_ != State::Calling) return;  // INVITE stops retransmitting on 1xx
  context_.sendToNetwork(request_, destination_);
  if (invite_) {
    interval_ *= 2;  // timer A doubles without cap (§17.1.1.2)
  } else if (state_ == State::Proceeding) {
    interval_ = context_.timers().t2;  // §17.1.2.2: in Proceeding, retransmit every T2
  } else {
    interval_ = std::min(interval_ * 2, context_.timers().t2);
  }
  retransmitTimer_.start(interval_, [this] { retransmit(); });
}

void ClientTransaction::onTimeout() {
  bool waiting = state_ == State::Calling || state_ == State::Trying || (!invite_ && state_ == State::Proceeding);
  if (!waiting) return;
  CG_DEBUG("sip: {} transaction {} timed out", request_.method, id_);
  auto* user = user_;
  terminate();
  if (user) user->onTransactionTimeout(id_);
}

void ClientTransaction::terminate() {
  if (state_ == State::Terminated) return;
  state_ = State::Terminated;
  retransmitTimer_.cancel();
  timeoutTimer_.cancel();
  lingerTimer_.cancel();
  context_.clientTerminated(id_);
}

void ClientTransaction::onResponse(const Message& response) {
  const int status = response.status;
  if (state_ == State::Terminated) return;

  if (invite_) {
    switch (state_) {
      case State::Calling:
      case State::Proceeding:
        if (status < 200) {
          state_ = State::Proceeding;
          retransmitTimer_.cancel();
          timeoutTimer_.cancel();  // timer B only guards Calling; the TU runs timer C
          if (user_) user_->onResponse(id_, response);
        } else if (status < 300) {
          state_ = State::Accepted;
          retransmitTimer_.cancel();
          timeoutTimer_.cancel();
          lingerTimer_.start(context_.timers().timeout64(), [this] { terminate(); });
          if (user_) user_->onResponse(id_, response);
        } else {
          state_ = State::Completed;
          retransmitTimer_.cancel();
          timeoutTimer_.cancel();
          ack_ = buildAckForNonSuccess(response);
          context_.sendToNetwork(*ack_, destination_);
          lingerTimer_.start(context_.timers().timerD, [this] { terminate(); });
          if (user_) user_->onResponse(id_, response);
        }
        return;
      case State::Accepted:
        if (status >= 200 && status < 300 && user_) user_->onResponse(id_, response);
        return;
      case State::Completed:
        if (status >= 300 && ack_) context_.sendToNetwork(*ack_, destination_);
        return;
      default:
        return;
    }
  }

  // non-INVITE
  if (state_ == State::Completed) return;  // absorb retransmitted finals
  if (status < 200) {
    state_ = State::Proceeding;
    if (user_) user_->onResponse(id_, response);
    return;
  }
  state_ = State::Completed;
  retransmitTimer_.cancel();
  timeoutTimer_.cancel();
  lingerTimer_.start(context_.timers().t4, [this] { terminate(); });
  if (user_) user_->onResponse(id_, response);
}

Message ClientTransaction::buildAckForNonSuccess(const Message& response) const {
  // §17.1.1.3: same Request-URI, Call-ID, From, top Via and CSeq number as the INVITE; To
  // from the response (it carries the tag); the INVITE's Route headers.
  Message ack = Message::request("ACK", request_.requestUri);
  if (auto via = request_.headerValues("Via"); !via.empty()) ack.addHeader("Via", std::string(via.front()));
  for (const auto& h : request_.headers) {
    if (headerNameEquals(h.name, "Route")) ack.addHeader("Route", h.value);
  }
  ack.addHeader("Max-Forwards", "70");
  if (auto from = request_.header("From")) ack.addHeader("From", std::string(*from));
  if (auto to = response.header("To")) ack.addHeader("To", std::string(*to));
  if (auto callId = request_.header("Call-ID")) ack.addHeader("Call-ID", std::string(*callId));
  std::string cseq(request_.header("CSeq").value_or("1 INVITE"));
  ack.addHeader("CSeq", cseq.substr(0, cseq.find(' ')) + " ACK");
  return ack;
}

}  // namespace callgate::sip::transaction

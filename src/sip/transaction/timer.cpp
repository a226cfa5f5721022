#include "sip/transaction/timer.hpp"

namespace callgate::sip::transaction {

void Timer::start(Duration after, std::function<void()> callback) {
  uint64_t generation = ++*generation_;
  armed_ = true;
  timer_.expires_after(after);
  timer_.async_wait([this, weak = std::weak_ptr<uint64_t>(generation_), generation,
                     callback = std::move(callback)](const boost::system::error_code&) {
    auto current = weak.lock();
    if (!current || *current != generation) return;  // destroyed, cancelled or restarted
    armed_ = false;
    callback();
  });
}

void Timer::cancel() {
  ++*generation_;
  armed_ = false;
  timer_.cancel();
}

}  // namespace callgate::sip::transaction

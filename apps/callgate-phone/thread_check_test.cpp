#include "thread_check.hpp"

#include <gtest/gtest.h>
#include <pthread.h>

#include <condition_variable>
#include <mutex>
#include <thread>

namespace callgate::phone {
namespace {

TEST(ThreadCheck, FindsANamedThreadUntilItIsJoined) {
  EXPECT_TRUE(threadsNamed("cg-check-test").empty());
  std::mutex m;
  std::condition_variable cv;
  bool named = false, stop = false;
  std::thread t([&] {
    pthread_setname_np(pthread_self(), "cg-check-test");
    std::unique_lock lock(m);
    named = true;
    cv.notify_all();
    cv.wait(lock, [&] { return stop; });
  });
  {
    std::unique_lock lock(m);
    cv.wait(lock, [&] { return named; });
  }
  EXPECT_EQ(threadsNamed("cg-check"), std::vector<std::string>{"cg-check-test"});
  EXPECT_TRUE(threadsNamed("cg-other").empty());
  {
    std::lock_guard lock(m);
    stop = true;
  }
  cv.notify_all();
  t.join();
  EXPECT_TRUE(threadsNamed("cg-check").empty());
}

}  // namespace
}  // namespace callgate::phone

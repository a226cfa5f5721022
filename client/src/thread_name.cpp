#include "thread_name.hpp"

#include <string>

#if defined(__linux__) || defined(__APPLE__)
#include <pthread.h>
#endif

namespace callgate::client::detail {

void nameCurrentThread(const char* name) {
#if defined(__linux__)
  const std::string cut = std::string(name).substr(0, 15);  // TASK_COMM_LEN - 1
  pthread_setname_np(pthread_self(), cut.c_str());
#elif defined(__APPLE__)
  pthread_setname_np(name);
#else
  (void)name;
#endif
}

}  // namespace callgate::client::detail

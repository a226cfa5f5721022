#pragma once
// Leaked-thread check at exit: once every Session is destroyed no SDK thread
// (client::kSessionThreadName) may remain; one that does means a Session was never
// destroyed (a reference cycle through a callback, say), which LeakSanitizer cannot see
// because a running thread's stack keeps the cycle reachable.
#include <string>
#include <string_view>
#include <vector>

namespace callgate::phone {

// Names of this process's threads that start with `prefix` (/proc/self/task/*/comm; empty
// where /proc is missing).
std::vector<std::string> threadsNamed(std::string_view prefix);

}  // namespace callgate::phone

#include "thread_check.hpp"

#include <filesystem>
#include <fstream>
#include <system_error>

namespace callgate::phone {

std::vector<std::string> threadsNamed(std::string_view prefix) {
  std::vector<std::string> found;
  std::error_code ec;
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task", ec)) {
    std::ifstream comm(task.path() / "comm");
    std::string name;
    // A thread may end between listing and reading: then there is nothing to read.
    if (std::getline(comm, name) && name.starts_with(prefix)) found.push_back(name);
  }
  return found;
}

}  // namespace callgate::phone

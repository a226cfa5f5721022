// callgate: WebRTC-to-SIP gateway speaking the Flashphoner WCS client protocol.
#include <cstdio>

#include "app/config.hpp"
#include "app/server.hpp"
#include "common/log.hpp"

extern char** environ;

int main(int argc, char** argv) {
  auto config = callgate::app::loadConfig(argc, argv, environ);
  if (!config) {
    std::fprintf(stderr, "callgate: %s\n", config.error().message.c_str());
    return 2;
  }
  if (config->showHelp) {
    std::fputs(callgate::app::helpText().c_str(), stdout);
    return 0;
  }
  if (config->showVersion) {
    std::puts("callgate 0.1.0");
    return 0;
  }
  if (!callgate::log::setLevel(config->logLevel)) {
    std::fprintf(stderr, "callgate: --log-level: unknown level '%s'\n", config->logLevel.c_str());
    return 2;
  }
  spdlog::set_pattern("%Y-%m-%d %H:%M:%S.%e %^%-5l%$ [%t] %v");
  return callgate::app::runServer(*config);
}

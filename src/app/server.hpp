#pragma once
// The callgate process: workers, WebSocket listeners, and orderly shutdown on
// SIGINT/SIGTERM (end calls with CANCEL/BYE, un-REGISTER, then exit).
#include "app/config.hpp"

namespace callgate::app {

// Runs until a signal arrives. Returns the process exit code.
int runServer(const Config& config);

}  // namespace callgate::app

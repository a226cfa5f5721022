#pragma once
// Interactive mode (--interactive): the reference "Phone-min" in a terminal. Commands come
// from stdin one per line (command_parser.hpp); events are printed as lines ("session
// REGISTERED", "call RING 180 Ringing", "incoming call from '1001'", "dtmf received 5 INFO").
// On a terminal a status line (status_line.hpp) is redrawn under them as the prompt; when
// stdout is not a terminal only the plain lines are printed, so scripts and tests can read
// them. `quit` or the end of stdin hangs up, disconnects and exits 0; a session that fails or
// is lost exits with the scriptable mode's codes (2, 3 or 9), always after a final line
// "result <code> <why>".
#include "phone_options.hpp"

namespace callgate::phone {

int runInteractive(const PhoneOptions& options);

}  // namespace callgate::phone

#pragma once
// callgate-phone's config file: TOML whose top-level keys are the flag names without "--"
// (url, login, password, domain, outbound-proxy, port, register, tone, record, interactive,
// ...). The file is turned into the equivalent flags and applied before the command line, so
// a flag overrides the file and every flag (present or future) works as a key.
#include <string>
#include <vector>

#include "phone_options.hpp"

namespace callgate::phone {

// TOML text -> flags ("--url", "ws://...", "--insecure", ...). Values: strings as they are,
// integers and floats as numbers, booleans as 1/0 for flags with a value (register = true)
// and as presence for switches (insecure = true; false leaves it out). `name` prefixes errors.
// Returns an error message or "".
std::string configToFlags(const std::string& text, const std::string& name, std::vector<std::string>& flags);

// Reads `path` and applies it to `options`. Returns an error message or "".
std::string applyConfigFile(const std::string& path, PhoneOptions& options);

// The whole command line: --config FILE first (wherever it stands), then the flags in order.
// Returns an error message or "".
std::string loadOptions(const std::vector<std::string>& args, PhoneOptions& options);

}  // namespace callgate::phone

#pragma once
// Scriptable mode: connect, place (--call) or take (--answer) one call, hang up after
// --duration, and exit with a code that says what failed (phone_options.hpp Exit).
#include "phone_options.hpp"

namespace callgate::phone {

int runScripted(const PhoneOptions& options);

}  // namespace callgate::phone

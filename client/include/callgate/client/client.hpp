#pragma once
// callgate C++ client SDK: everything in one include.
#include "callgate/client/call.hpp"
#include "callgate/client/media_engine.hpp"
#include "callgate/client/result.hpp"
#include "callgate/client/session.hpp"
#include "callgate/client/status.hpp"

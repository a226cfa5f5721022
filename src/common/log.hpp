#pragma once
// Leveled logging. One process-wide spdlog logger; call sites use the CG_LOG_* macros so
// that disabled levels cost only a branch.
#include <spdlog/spdlog.h>

#include <string_view>

namespace callgate::log {

// Level names: trace, debug, info, warn, error, off. Returns false for an unknown name.
bool setLevel(std::string_view level);

}  // namespace callgate::log

#define CG_TRACE(...) SPDLOG_TRACE(__VA_ARGS__)
#define CG_DEBUG(...) spdlog::debug(__VA_ARGS__)
#define CG_INFO(...) spdlog::info(__VA_ARGS__)
#define CG_WARN(...) spdlog::warn(__VA_ARGS__)
#define CG_ERROR(...) spdlog::error(__VA_ARGS__)

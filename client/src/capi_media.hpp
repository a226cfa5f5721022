#pragma once
// The media part of the C API: cg_call_options' codec / video fields onto a MediaConfig, and
// MediaStats into cg_media_stats.
#include "callgate/client/media_engine.hpp"
#include "callgate_client.h"

namespace callgate::client::detail {

// Codec lists are comma-separated names (audioCodecFromString / videoCodecFromString); an
// unknown name is left out, and a list with no known name keeps the default.
void applyMediaOptions(const cg_call_options& options, MediaConfig& media);
void copyMediaStats(const MediaStats& stats, cg_media_stats& out);

}  // namespace callgate::client::detail

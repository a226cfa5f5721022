#pragma once
// WCS frame encoding (§1): {"message": name, "data": [...]}. Every server frame carries a
// `data` array — the Web SDK dereferences data[0] unconditionally.
#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

#include "common/result.hpp"

namespace callgate::api {

struct Frame {
  std::string message;
  nlohmann::json payload;  // data[0], or null when absent (legacy clients omit `data`)
};

// Parses a client text frame. Errors name what is wrong ("Malformed JSON", "Missing message").
Result<Frame> decodeFrame(std::string_view text);

std::string encodeFrame(std::string_view message, const nlohmann::json& dataArray);

}  // namespace callgate::api

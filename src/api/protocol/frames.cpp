#include "api/protocol/frames.hpp"

namespace callgate::api {

Result<Frame> decodeFrame(std::string_view text) {
  auto doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return makeError("Malformed JSON");
  if (!doc.is_object()) return makeError("Frame is not a JSON object");
  auto message = doc.find("message");
  if (message == doc.end() || !message->is_string() || message->get_ref<const std::string&>().empty())
    return makeError("Missing message name");
  Frame frame{message->get<std::string>(), nullptr};
  auto data = doc.find("data");
  if (data != doc.end()) {
    if (data->is_array()) {
      if (!data->empty()) frame.payload = std::move((*data)[0]);
    } else {
      frame.payload = std::move(*data);  // tolerate a bare payload object
    }
  }
  return frame;
}

std::string encodeFrame(std::string_view message, const nlohmann::json& dataArray) {
  nlohmann::json frame = {{"message", message}, {"data", dataArray.is_array() ? dataArray : nlohmann::json::array()}};
  return frame.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace callgate::api

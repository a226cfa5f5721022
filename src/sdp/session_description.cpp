#include "sdp/session_description.hpp"

#include <algorithm>

namespace callgate::sdp {

bool AttributeList::has(std::string_view name) const {
  return std::any_of(attributes.begin(), attributes.end(),
                     [&](const Attribute& a) { return a.name == name; });
}

std::optional<std::string_view> AttributeList::first(std::string_view name) const {
  for (const auto& a : attributes) {
    if (a.name == name) return a.value ? std::string_view(*a.value) : std::string_view();
  }
  return std::nullopt;
}

std::vector<std::string_view> AttributeList::all(std::string_view name) const {
  std::vector<std::string_view> out;
  for (const auto& a : attributes) {
    if (a.name == name) out.push_back(a.value ? std::string_view(*a.value) : std::string_view());
  }
  return out;
}

void AttributeList::add(std::string name, std::optional<std::string> value) {
  attributes.push_back(Attribute{std::move(name), std::move(value)});
}

size_t AttributeList::remove(std::string_view name) {
  return std::erase_if(attributes, [&](const Attribute& a) { return a.name == name; });
}

bool MediaDescription::isRtp() const { return proto.find("RTP/") != std::string::npos; }

const Connection* SessionDescription::connectionFor(const MediaDescription& m) const {
  if (m.connection) return &*m.connection;
  if (connection) return &*connection;
  return nullptr;
}

}  // namespace callgate::sdp

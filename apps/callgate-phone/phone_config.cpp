#include "phone_config.hpp"

#include <toml.hpp>

#include <fstream>
#include <sstream>

namespace callgate::phone {

std::string configToFlags(const std::string& text, const std::string& name, std::vector<std::string>& flags) {
  toml::value root;
  try {
    std::istringstream in(text);
    root = toml::parse(in, name);
  } catch (const std::exception& e) {
    return std::string("config file ") + e.what();
  }
  if (!root.is_table()) return "config file " + name + " is not a TOML table";
  for (const auto& [key, value] : root.as_table()) {
    const std::string flag = "--" + key;
    if (key == "config" || key == "help") return name + ": '" + key + "' cannot be set in a config file";
    if (value.is_table() || value.is_array())
      return name + ": " + key + " must be a string, a number or a boolean (no tables or arrays)";
    if (value.is_boolean() && isSwitch(flag)) {
      if (value.as_boolean()) flags.push_back(flag);
      continue;
    }
    std::string text;
    if (value.is_string())
      text = value.as_string().str;
    else if (value.is_integer())
      text = std::to_string(value.as_integer());
    else if (value.is_floating()) {
      std::ostringstream out;
      out << value.as_floating();
      text = out.str();
    } else if (value.is_boolean())
      text = value.as_boolean() ? "1" : "0";
    else
      return name + ": " + key + " must be a string, a number or a boolean";
    if (isSwitch(flag)) return name + ": " + key + " is a switch: use " + key + " = true";
    flags.push_back(flag);
    flags.push_back(text);
  }
  return "";
}

std::string applyConfigFile(const std::string& path, PhoneOptions& options) {
  std::ifstream in(path);
  if (!in) return "cannot read config file " + path;
  std::stringstream text;
  text << in.rdbuf();
  std::vector<std::string> flags;
  if (auto err = configToFlags(text.str(), path, flags); !err.empty()) return err;
  // "unknown option --colour" reads as "phone.toml: unknown setting colour".
  for (size_t i = 0; i < flags.size(); ++i) {
    const std::string& flag = flags[i];
    const std::string value = isSwitch(flag) ? "" : flags[++i];
    if (auto err = applyFlag(options, flag, value); !err.empty()) {
      if (err.starts_with("unknown option")) return path + ": unknown setting '" + flag.substr(2) + "'";
      return path + ": " + err;
    }
  }
  return "";
}

std::string loadOptions(const std::vector<std::string>& args, PhoneOptions& options) {
  for (size_t i = 0; i < args.size(); ++i) {
    if (isSwitch(args[i])) continue;
    if (args[i] == "--config" && i + 1 < args.size()) {
      if (auto err = applyConfigFile(args[i + 1], options); !err.empty()) return err;
    }
    ++i;  // a flag's value, never a flag itself
  }
  return parseArgs(args, options);
}

}  // namespace callgate::phone

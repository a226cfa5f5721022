#include "localdomain/domain_users.hpp"

#include "sip/grammar.hpp"
#include "sip/identity_validation.hpp"

namespace callgate::localdomain {

Result<std::vector<DomainUser>> parseDomainUsers(std::string_view text) {
  std::vector<DomainUser> users;
  size_t index = 0;
  while (!sip::grammar::trimWhitespace(text).empty()) {
    ++index;
    const size_t comma = text.find(',');
    const std::string_view entry = sip::grammar::trimWhitespace(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
    const std::string where = "entry " + std::to_string(index) + " ('" + std::string(entry.substr(0, entry.find(':'))) + "')";
    if (entry.empty()) return makeError("entry " + std::to_string(index) + " is empty");
    const size_t colon = entry.find(':');
    if (colon == std::string_view::npos) return makeError(where + ": missing ':password'");
    const std::string_view login = entry.substr(0, colon);
    const std::string_view password = entry.substr(colon + 1);
    if (login.empty()) return makeError(where + ": empty login");
    if (auto r = sip::validateUserPart(login); !r)
      return makeError("login '" + std::string(login) + "': " + r.error().message);
    if (password.empty()) return makeError("login '" + std::string(login) + "': empty password");
    if (findUser(users, login)) return makeError("login '" + std::string(login) + "' given twice");
    users.push_back(DomainUser{std::string(login), std::string(password)});
  }
  return users;
}

const DomainUser* findUser(const std::vector<DomainUser>& users, std::string_view login) {
  for (const auto& u : users)
    if (u.login == login) return &u;
  return nullptr;
}

}  // namespace callgate::localdomain

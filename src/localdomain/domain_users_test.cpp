#include "localdomain/domain_users.hpp"

#include <gtest/gtest.h>

namespace callgate::localdomain {
namespace {

TEST(DomainUsers, ParsesTheConfiguredList) {
  auto users = parseDomainUsers(" 1000:secret , 1001:se:cret2,alice.b:x");
  ASSERT_TRUE(users) << users.error().message;
  ASSERT_EQ(users->size(), 3u);
  EXPECT_EQ((*users)[0].login, "1000");
  EXPECT_EQ((*users)[0].password, "secret");
  EXPECT_EQ((*users)[1].password, "se:cret2");  // only the first ':' separates
  EXPECT_EQ((*users)[2].login, "alice.b");
  ASSERT_NE(findUser(*users, "1001"), nullptr);
  EXPECT_EQ(findUser(*users, "1003"), nullptr);
}

TEST(DomainUsers, EmptyTextIsNoUsers) {
  auto users = parseDomainUsers("  ");
  ASSERT_TRUE(users);
  EXPECT_TRUE(users->empty());
}

TEST(DomainUsers, ErrorsNameTheEntry) {
  auto noPassword = parseDomainUsers("1000:a,1001");
  ASSERT_FALSE(noPassword);
  EXPECT_EQ(noPassword.error().message, "entry 2 ('1001'): missing ':password'");

  auto emptyPassword = parseDomainUsers("1000:");
  ASSERT_FALSE(emptyPassword);
  EXPECT_EQ(emptyPassword.error().message, "login '1000': empty password");

  auto badLogin = parseDomainUsers("al ice:x");
  ASSERT_FALSE(badLogin);
  EXPECT_EQ(badLogin.error().message, "login 'al ice': character ' ' not allowed by RFC 3261");

  auto twice = parseDomainUsers("1000:a,1000:b");
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().message, "login '1000' given twice");

  auto empty = parseDomainUsers("1000:a,,1001:b");
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().message, "entry 2 is empty");

  auto noLogin = parseDomainUsers(":pw");
  ASSERT_FALSE(noLogin);
  EXPECT_NE(noLogin.error().message.find("empty login"), std::string::npos);
}

}  // namespace
}  // namespace callgate::localdomain

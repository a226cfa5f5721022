#include "media/port_allocator.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <set>

namespace callgate::media {
namespace {

using boost::asio::ip::make_address;
using boost::asio::ip::udp;

// A range unlikely to be used by other tests on the machine.
constexpr uint16_t kBase = 47100;

TEST(PortAllocator, HandsOutEvenOddPairsAndReleases) {
  boost::asio::io_context io;
  PortAllocator ports(kBase + 1, kBase + 8);  // rounds to [kBase+2, kBase+7]: 3 pairs
  EXPECT_EQ(ports.capacity(), 3u);
  udp::socket a(io), b(io), c(io), d(io), e(io), f(io), g(io);
  auto l1 = ports.allocate(make_address("127.0.0.1"), a, &b);
  ASSERT_TRUE(l1.ok()) << l1.error().message;
  EXPECT_EQ(l1->port() % 2, 0);
  EXPECT_EQ(a.local_endpoint().port(), l1->port());
  EXPECT_EQ(b.local_endpoint().port(), l1->port() + 1);
  auto l2 = ports.allocate(make_address("127.0.0.1"), c, &d);
  auto l3 = ports.allocate(make_address("127.0.0.1"), e, nullptr);
  ASSERT_TRUE(l2.ok());
  ASSERT_TRUE(l3.ok());
  std::set<uint16_t> seen{l1->port(), l2->port(), l3->port()};
  EXPECT_EQ(seen.size(), 3u);
  EXPECT_EQ(ports.inUse(), 3u);
  EXPECT_FALSE(ports.allocate(make_address("127.0.0.1"), f, &g).ok());  // exhausted
  const uint16_t freed = l2->port();
  c.close();
  d.close();
  l2->release();
  EXPECT_EQ(ports.inUse(), 2u);
  auto l4 = ports.allocate(make_address("127.0.0.1"), f, &g);
  ASSERT_TRUE(l4.ok());
  EXPECT_EQ(l4->port(), freed);
  {
    PortLease moved = std::move(*l4);  // leases release on destruction
  }
  EXPECT_EQ(ports.inUse(), 2u);
}

TEST(PortAllocator, SkipsPortsBusyElsewhere) {
  boost::asio::io_context io;
  udp::socket squatter(io, udp::endpoint(make_address("127.0.0.1"), kBase + 21));  // odd port of pair 20
  PortAllocator ports(kBase + 20, kBase + 23);
  udp::socket a(io), b(io);
  auto l = ports.allocate(make_address("127.0.0.1"), a, &b);
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(l->port(), kBase + 22);
  udp::socket c(io), d(io);
  EXPECT_FALSE(ports.allocate(make_address("127.0.0.1"), c, &d).ok());
}

}  // namespace
}  // namespace callgate::media

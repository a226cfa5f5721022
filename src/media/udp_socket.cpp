#include "media/udp_socket.hpp"

#include <sys/socket.h>
#include <sys/uio.h>

#include <array>
#include <cerrno>
#include <cstring>

#include "media/packet_buffer.hpp"

namespace callgate::media {

using boost::asio::ip::udp;

// Receive buffers of one io_context (= one worker thread). An asio service keeps them per
// worker without a global or thread_local (style.md: pass per-worker state explicitly).
class ReceiveScratch : public boost::asio::execution_context::service {
 public:
  using key_type = ReceiveScratch;
  static inline boost::asio::execution_context::id id;
  // Up to kBatch datagrams per recvmmsg; 16 amortises the syscall without holding one busy
  // socket for long (onReadable also caps the rounds per wakeup).
  static constexpr size_t kBatch = 16;

  explicit ReceiveScratch(boost::asio::execution_context& ctx) : service(ctx) {
    std::memset(msgs.data(), 0, sizeof msgs);
    for (size_t i = 0; i < kBatch; ++i) {
      iov[i].iov_base = buffers[i].bytes.data();
      // Read one byte more than we accept, so MSG_TRUNC or size > kMaxDatagram means too big.
      iov[i].iov_len = kMaxDatagram + 1;
      msgs[i].msg_hdr.msg_iov = &iov[i];
      msgs[i].msg_hdr.msg_iovlen = 1;
      msgs[i].msg_hdr.msg_name = &addrs[i];
    }
  }
  void reset() {
    for (size_t i = 0; i < kBatch; ++i) {
      msgs[i].msg_hdr.msg_namelen = sizeof(sockaddr_storage);
      msgs[i].msg_hdr.msg_flags = 0;
    }
  }

  bool owns(ByteView d) const {
    const auto* begin = reinterpret_cast<const uint8_t*>(buffers.data());
    const auto* end = begin + sizeof buffers;
    return d.data() >= begin && d.data() + d.size() <= end;
  }

  // Queues a relayed datagram; false if it must be sent immediately instead.
  bool defer(UdpSocket* socket, ByteView d, const udp::endpoint& to) {
    if (!inBatch || !owns(d)) return false;
    if (pendingCount == pending.size()) flush();
    pending[pendingCount++] = Pending{socket, d.data(), d.size(), to};
    return true;
  }

  // One sendmmsg per run of consecutive sends on the same socket (a relay batch received on
  // one socket goes out on one other socket, so runs are long).
  void flush() {
    size_t i = 0;
    while (i < pendingCount) {
      UdpSocket* sock = pending[i].socket;
      size_t n = 0;
      while (i + n < pendingCount && pending[i + n].socket == sock) {
        auto& p = pending[i + n];
        sendIov[n].iov_base = const_cast<uint8_t*>(p.data);
        sendIov[n].iov_len = p.len;
        auto& h = sendMsgs[n].msg_hdr;
        h = msghdr{};
        h.msg_iov = &sendIov[n];
        h.msg_iovlen = 1;
        h.msg_name = p.to.data();
        h.msg_namelen = socklen_t(p.to.size());
        ++n;
      }
      const int fd = sock->socket_.native_handle();
      size_t k = 0;
      while (k < n) {
        const int r = ::sendmmsg(fd, sendMsgs.data() + k, unsigned(n - k), MSG_DONTWAIT);
        if (r <= 0) {  // the first message failed: count it, continue after it
          sock->countDeferredFailure();
          ++k;
        } else {
          k += size_t(r);
        }
      }
      i += n;
    }
    pendingCount = 0;
  }

  std::array<PacketBuffer, kBatch> buffers;
  std::array<mmsghdr, kBatch> msgs;
  std::array<iovec, kBatch> iov;
  std::array<sockaddr_storage, kBatch> addrs;

  struct Pending {
    UdpSocket* socket;
    const uint8_t* data;
    size_t len;
    udp::endpoint to;
  };
  bool inBatch = false;
  std::array<Pending, 2 * kBatch> pending;
  size_t pendingCount = 0;
  std::array<mmsghdr, 2 * kBatch> sendMsgs;
  std::array<iovec, 2 * kBatch> sendIov;

 private:
  void shutdown() override {}
};

namespace {
constexpr int kMaxRoundsPerWakeup = 4;
}  // namespace

UdpSocket::UdpSocket(udp::socket socket, Listener& listener)
    : socket_(std::move(socket)),
      listener_(listener),
      scratch_(&boost::asio::use_service<ReceiveScratch>(socket_.get_executor().context())) {
  boost::system::error_code ec;
  socket_.non_blocking(true, ec);
}

UdpSocket::~UdpSocket() { close(); }

void UdpSocket::start() {
  if (!closed_ && socket_.is_open()) armReceive();
}

void UdpSocket::close() {
  // Queued sends reference this socket: send them while the descriptor is still open.
  if (scratch_->pendingCount > 0) scratch_->flush();
  closed_ = true;
  boost::system::error_code ec;
  socket_.close(ec);
}

udp::endpoint UdpSocket::localEndpoint() const {
  boost::system::error_code ec;
  return socket_.local_endpoint(ec);
}

void UdpSocket::armReceive() {
  std::weak_ptr<char> alive = alive_;
  socket_.async_wait(udp::socket::wait_read, [this, alive](const boost::system::error_code& ec) {
    if (alive.expired() || closed_) return;
    if (ec) {
      if (ec == boost::asio::error::operation_aborted) return;
      listener_.onReceiveError(*this, ec);
      if (!closed_) armReceive();
      return;
    }
    onReadable();
    if (!alive.expired() && !closed_) armReceive();
  });
}

void UdpSocket::onReadable() {
  auto& scratch = *scratch_;
  const int fd = socket_.native_handle();
  for (int round = 0; round < kMaxRoundsPerWakeup && !closed_; ++round) {
    scratch.reset();
    const int n = ::recvmmsg(fd, scratch.msgs.data(), unsigned(ReceiveScratch::kBatch), MSG_DONTWAIT, nullptr);
    if (n < 0) {
      if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
        listener_.onReceiveError(*this, boost::system::error_code(errno, boost::system::system_category()));
      return;
    }
    scratch.inBatch = true;
    for (int i = 0; i < n && !closed_; ++i) {
      const auto& hdr = scratch.msgs[size_t(i)].msg_hdr;
      const size_t len = scratch.msgs[size_t(i)].msg_len;
      if ((hdr.msg_flags & MSG_TRUNC) || len > kMaxDatagram) {
        ++truncated_;
        continue;
      }
      udp::endpoint from;
      if (hdr.msg_namelen > from.capacity()) continue;
      std::memcpy(from.data(), hdr.msg_name, hdr.msg_namelen);
      from.resize(hdr.msg_namelen);
      listener_.onDatagram(*this, std::span<uint8_t>(scratch.buffers[size_t(i)].bytes.data(), len), from);
    }
    scratch.inBatch = false;
    scratch.flush();  // before the buffers are reused
    if (size_t(n) < ReceiveScratch::kBatch) return;
  }
}

bool UdpSocket::send(ByteView datagram, const udp::endpoint& to) {
  if (closed_) return false;
  if (scratch_->defer(this, datagram, to)) return true;
  const ssize_t n = ::sendto(socket_.native_handle(), datagram.data(), datagram.size(), MSG_DONTWAIT,
                             to.data(), socklen_t(to.size()));
  return n == ssize_t(datagram.size());
}

}  // namespace callgate::media

#pragma once
// A UDP socket on the packet path: batched non-blocking receive (recvmmsg) into the
// worker's reusable buffers, and non-blocking sends that drop (and count) when the kernel
// buffer is full instead of queueing.
//
// Send batching: a datagram that lives in the receive buffers (a packet being relayed in
// place) is not sent at once but queued by pointer, and all such sends are flushed with one
// sendmmsg per destination socket when the receive batch ends. On this class of machine a
// syscall costs microseconds, so this is what makes >100k relayed packets/s per core
// possible. Other datagrams (STUN, DTLS, generated packets) are sent immediately.
//
// Threading: the io_context must be run by exactly one thread (design.md): the receive
// buffers are shared by every UdpSocket of that io_context (an asio service), which is safe
// because a batch is fully delivered before the handler returns to the loop.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <memory>
#include <span>

#include "common/bytes.hpp"

namespace callgate::media {

class ReceiveScratch;

class UdpSocket {
 public:
  class Listener {
   public:
    virtual ~Listener() = default;
    // One datagram. `packet` lives in a shared receive buffer until this call returns and
    // has kPacketTailroom writable bytes after its end (packet_buffer.hpp). The listener may
    // call send()/close() on any socket of the same io_context, but must not destroy `socket`.
    virtual void onDatagram(UdpSocket& socket, std::span<uint8_t> packet,
                            const boost::asio::ip::udp::endpoint& from) = 0;
    // A receive error other than "would block"; receiving continues.
    virtual void onReceiveError(UdpSocket& socket, const boost::system::error_code& ec) {}
  };

  // Takes a socket that is already open and bound (PortAllocator does that).
  UdpSocket(boost::asio::ip::udp::socket socket, Listener& listener);
  ~UdpSocket();
  UdpSocket(const UdpSocket&) = delete;
  UdpSocket& operator=(const UdpSocket&) = delete;

  void start();  // begin receiving
  void close();

  // Non-blocking send; false if the kernel refused (would block, unreachable, closed).
  // A deferred send (see above) returns true; if the kernel refuses it at flush time,
  // *sendErrorCounter is incremented instead.
  bool send(ByteView datagram, const boost::asio::ip::udp::endpoint& to);
  void setSendErrorCounter(uint64_t* counter) { sendErrorCounter_ = counter; }

  boost::asio::ip::udp::endpoint localEndpoint() const;
  bool isOpen() const { return socket_.is_open(); }

  // Datagrams received by this socket that did not fit kMaxDatagram (dropped here).
  uint64_t truncated() const { return truncated_; }

 private:
  void armReceive();
  void onReadable();

  friend class ReceiveScratch;
  void countDeferredFailure() {
    if (sendErrorCounter_) ++*sendErrorCounter_;
  }

  boost::asio::ip::udp::socket socket_;
  Listener& listener_;
  class ReceiveScratch* scratch_;
  uint64_t* sendErrorCounter_ = nullptr;
  uint64_t truncated_ = 0;
  bool closed_ = false;
  std::shared_ptr<char> alive_ = std::make_shared<char>();
};

}  // namespace callgate::media

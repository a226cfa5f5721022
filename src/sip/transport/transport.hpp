#pragma once
// Transport contract for the SIP stack (RFC 3261 §18).
//
// A Transport moves whole SIP messages between this node and peers. It parses what it
// receives (malformed requests are answered 400 by the transport itself, malformed responses
// are dropped and counted) and hands only well-formed messages up to its Listener. For
// incoming requests it has already stamped the top Via with received=/rport= (RFC 3261
// §18.2.1, RFC 3581 §4), so a response can be routed with responseDestination().
//
// Threading: a Transport lives on one io_context thread; every call and every Listener
// callback happens on that thread. No locks.
// Lifetime: the Listener must outlive the transport (or the transport must be destroyed
// before the Listener); callbacks never fire after the transport is destroyed.
#include <cstdint>
#include <string>
#include <string_view>

#include <boost/asio/ip/address.hpp>

#include "sip/message.hpp"

namespace callgate::sip::transport {

// Where a datagram came from or goes to.
struct PeerAddress {
  boost::asio::ip::address ip;
  uint16_t port = 0;

  // "192.0.2.1:5060" or "[2001:db8::1]:5060".
  std::string toString() const;
  friend bool operator==(const PeerAddress&, const PeerAddress&) = default;
};

struct TransportStats {
  uint64_t received = 0;            // datagrams read
  uint64_t sent = 0;                // messages written
  uint64_t sendErrors = 0;          // writes that failed or would block (UDP: dropped)
  uint64_t malformedRequests = 0;   // answered 400 (or dropped when nothing was readable)
  uint64_t malformedResponses = 0;  // dropped
  uint64_t unreadableDropped = 0;   // malformed and not even a 400 could be built
};

class Transport {
 public:
  class Listener {
   public:
    virtual ~Listener() = default;
    // One parsed message. Fires on the io_context thread, never re-entrantly from send().
    virtual void onMessage(Message message, const PeerAddress& from) = 0;
  };

  virtual ~Transport() = default;

  // Begins delivering messages to `listener`. Called once.
  virtual void start(Listener& listener) = 0;
  // Serializes and sends `message`. Returns false when the message could not be handed to
  // the network (counted). Never throws, never blocks.
  virtual bool send(const Message& message, const PeerAddress& to) = 0;

  // "UDP", "TCP", "TLS": the Via transport token.
  virtual std::string_view protocol() const = 0;
  // Host and port this node advertises in Via and Contact (may differ from the bound address
  // behind NAT or in containers).
  virtual const std::string& advertisedHost() const = 0;
  virtual uint16_t advertisedPort() const = 0;
  virtual const TransportStats& stats() const = 0;
};

}  // namespace callgate::sip::transport

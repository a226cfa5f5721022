#pragma once
// FakeTransport: an in-memory Transport for deterministic tests of the transaction layer,
// the UA and anything above them (gateway tests). Header-only; not used in production.
//
// Every sent message is serialized and re-parsed, so tests see exactly what the wire would
// carry. deliver() injects a message as if it had arrived from `from` (requests get their
// Via stamped like UdpTransport does). Optional `onSend` lets a test script a peer; it runs
// inside send(), so it must asio::post any deliver() (transports never call up re-entrantly).
#include <functional>
#include <string>
#include <vector>

#include "sip/parser.hpp"
#include "sip/transport/transport.hpp"
#include "sip/transport/via_routing.hpp"

namespace callgate::sip::transport {

class FakeTransport final : public Transport {
 public:
  struct Sent {
    Message message;
    PeerAddress to;
    std::string wire;
  };

  FakeTransport(std::string host = "192.0.2.10", uint16_t port = 5060) : host_(std::move(host)), port_(port) {}

  void start(Listener& listener) override { listener_ = &listener; }
  bool send(const Message& message, const PeerAddress& to) override {
    std::string wire = message.serialize();
    auto parsed = parseMessage(wire);
    if (!parsed) {
      ++unparsableSends;
      lastUnparsableError = parsed.error().message;
      return false;
    }
    ++stats_.sent;
    sent.push_back(Sent{std::move(parsed.value()), to, std::move(wire)});
    if (onSend) onSend(sent.back());
    return !failSends;
  }
  std::string_view protocol() const override { return "UDP"; }
  const std::string& advertisedHost() const override { return host_; }
  uint16_t advertisedPort() const override { return port_; }
  const TransportStats& stats() const override { return stats_; }

  void deliver(Message message, const PeerAddress& from) {
    ++stats_.received;
    if (message.isRequest()) stampReceived(message, from);
    listener_->onMessage(std::move(message), from);
  }
  // Parses `wire` as UdpTransport would (false when it does not parse).
  bool deliverWire(std::string_view wire, const PeerAddress& from) {
    auto parsed = parseMessage(wire);
    if (!parsed) return false;
    deliver(std::move(parsed.value()), from);
    return true;
  }

  std::vector<Sent> sent;
  std::function<void(const Sent&)> onSend;
  bool failSends = false;
  int unparsableSends = 0;
  std::string lastUnparsableError;

 private:
  std::string host_;
  uint16_t port_;
  Listener* listener_ = nullptr;
  TransportStats stats_;
};

}  // namespace callgate::sip::transport

#pragma once
// What a worker lends to the sessions and calls pinned to it: its io_context, SIP endpoint,
// RTP port allocator and settings. Owned by the Worker; outlives every session and call.
#include <boost/asio/io_context.hpp>

#include "gateway/worker.hpp"
#include "media/port_allocator.hpp"
#include "sip/transaction/sip_endpoint.hpp"

namespace callgate::gateway {

struct WorkerContext {
  boost::asio::io_context& io;
  sip::transaction::SipEndpoint& sip;
  media::PortAllocator& ports;
  const WorkerSettings& settings;
};

}  // namespace callgate::gateway

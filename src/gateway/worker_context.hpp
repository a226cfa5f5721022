#pragma once
// What a worker lends to the sessions and calls pinned to it: its io_context, SIP endpoint,
// RTP port allocator, settings and the router of incoming INVITEs. Owned by the Worker; outlives every session and call.
#include <boost/asio/io_context.hpp>

#include "gateway/incoming_call_router.hpp"
#include "gateway/worker.hpp"
#include "media/port_allocator.hpp"
#include "sip/transaction/sip_endpoint.hpp"

namespace callgate::gateway {

struct WorkerContext {
  boost::asio::io_context& io;
  sip::transaction::SipEndpoint& sip;
  media::PortAllocator& ports;
  const WorkerSettings& settings;
  IncomingCallRouter& router;
};

}  // namespace callgate::gateway

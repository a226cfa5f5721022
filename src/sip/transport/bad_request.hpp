#pragma once
// Answering requests the parser refused (design.md "Bad input and faults": every malformed
// SIP input gets a clear 400 or is dropped and counted).
//
// RFC 3261 §8.2.6.2 and §18.2.2 want a response to carry the request's Via, From, To,
// Call-ID and CSeq. When the full parser failed, those headers are salvaged line by line
// from the raw datagram; what cannot be read (or fails its own grammar) is left out.
#include <optional>
#include <string_view>

#include "sip/message.hpp"

namespace callgate::sip::transport {

enum class DatagramKind { Request, Response, Ack, KeepAlive };

// Classifies an unparsable datagram by its first line: "SIP/2.0 ..." is a response, "ACK ..."
// a request that must never be answered, blank/CRLF-only a keep-alive (RFC 5626 §4.4.1).
DatagramKind classifyDatagram(std::string_view datagram);

// A "400 <reason>" response with whatever Via/From/To/Call-ID/CSeq lines could be salvaged
// (a To without tag gets one, §8.2.6.2). `reason` is sanitised (no CR/LF/controls, bounded).
// nullopt when none of those headers is readable: the caller drops the datagram.
std::optional<Message> makeBadRequestResponse(std::string_view datagram, std::string_view reason);

}  // namespace callgate::sip::transport

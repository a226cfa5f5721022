// Fuzzes the WCS client-message path: frame decoding, every request decoder, and a whole
// ClientSession fed the input as a text frame (with a fake gateway), which must answer
// with frames or nothing — never crash or throw.
#include <boost/asio/io_context.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "api/protocol/frames.hpp"
#include "api/protocol/messages.hpp"
#include "api/server/client_session.hpp"

namespace {

using namespace callgate;

struct NullSink : api::FrameSink {
  void sendText(std::string text) override {
    // Every frame we send must itself be valid JSON with a data array (protocol §1).
    auto doc = nlohmann::json::parse(text, nullptr, false);
    if (doc.is_discarded() || !doc.contains("data") || !doc["data"].is_array()) __builtin_trap();
  }
  void closeAfterSend() override {}
  // Re-attach needs a SessionRegistry; this fuzzer's sessions have none, so nothing is adopted.
  void adopt(std::unique_ptr<api::ClientSession>) override {}
};

struct NullUserSession : gateway::UserSession {
  void start() override {}
  void call(gateway::OutgoingCallRequest) override {}
  void hangup(const std::string&) override {}
  void answer(const std::string&, const std::string&, std::vector<std::pair<std::string, std::string>>) override {}
  void transfer(const std::string&, const std::string&) override {}
  void hold(const std::string&, bool) override {}
  void sendDtmf(const std::string&, const std::string&, const std::string&) override {}
  void close(std::function<void()> done) override { done(); }
};

struct NullFactory : gateway::UserSessionFactory {
  std::unique_ptr<gateway::UserSession> create(gateway::SipAccount, gateway::UserSession::Listener&) override {
    return std::make_unique<NullUserSession>();
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto frame = api::decodeFrame(text)) {
    (void)api::decodeConnection(frame->payload);
    (void)api::decodeCall(frame->payload);
    (void)api::decodeCallId(frame->payload);
    (void)api::decodeDtmf(frame->payload);
  }
  boost::asio::io_context io;
  NullSink sink;
  NullFactory factory;
  api::ClientSession session(io.get_executor(), sink, factory);
  // A connection first, so the input also reaches the post-connection handlers.
  session.onText(R"({"message":"connection","data":[{"sipLogin":"1000","sipDomain":"127.0.0.1","sipPassword":"x"}]})");
  session.onText(text);
  session.shutdown([] {});
  io.run();
  return 0;
}

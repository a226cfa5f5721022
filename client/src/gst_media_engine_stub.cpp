// Built when GStreamer (webrtc, sdp, app) development files were not found: calls fail with
// a clear message unless the app brings its own MediaEngineFactory.
#include "callgate/client/media_engine.hpp"

namespace callgate::client {
namespace {
class MissingEngineFactory : public MediaEngineFactory {
 public:
  Result<std::unique_ptr<MediaEngine>> create(const MediaConfig&, MediaEngine::EventCallback) override {
    return Error{"this build of callgate_client has no media engine (GStreamer development files were missing)"};
  }
};
}  // namespace
std::shared_ptr<MediaEngineFactory> makeGstMediaEngineFactory() { return std::make_shared<MissingEngineFactory>(); }
}  // namespace callgate::client

// The media engine's choices without GStreamer: offers, codec selection from offers and
// answers, the branches for each codec / source / sink, echo cancellation and missing
// elements (the device paths cannot be exercised on a machine without sound or camera).
#include "gst_pipeline_description.hpp"

#include <gtest/gtest.h>

#include <set>

namespace callgate::client::detail {
namespace {

HasElement only(std::set<std::string> missing) {
  return [missing = std::move(missing)](const std::string& e) { return missing.count(e) == 0; };
}
const HasElement kAll = only({});

std::vector<std::string> names(const std::vector<RtpFormat>& fs) {
  std::vector<std::string> out;
  for (auto& f : fs) out.push_back(f.sdpName() + ":" + std::to_string(f.payload));
  return out;
}

TEST(GstPipelineDescription, AudioOfferOpusFirstThenG711AndTelephoneEvents) {
  EXPECT_EQ(names(audioOffer({})),
            (std::vector<std::string>{"OPUS/48000/2:111", "PCMU/8000:0", "PCMA/8000:8", "TELEPHONE-EVENT/48000:110",
                                      "TELEPHONE-EVENT/8000:101"}));
  EXPECT_EQ(names(audioOffer({AudioCodec::Pcma})),
            (std::vector<std::string>{"PCMA/8000:8", "TELEPHONE-EVENT/8000:101"}));
  EXPECT_EQ(names(audioOffer({AudioCodec::Opus})),
            (std::vector<std::string>{"OPUS/48000/2:111", "TELEPHONE-EVENT/48000:110"}));
}

TEST(GstPipelineDescription, CapsCarryChannelsFmtpAndVideoFeedback) {
  auto opus = audioOffer({AudioCodec::Opus}).front();
  EXPECT_EQ(rtpCaps(opus),
            "application/x-rtp,media=audio,encoding-name=OPUS,payload=111,clock-rate=48000,encoding-params=(string)2,"
            "minptime=(string)10,useinbandfec=(string)1");
  auto vp8 = videoOffer({VideoCodec::Vp8}, kAll).front();
  EXPECT_NE(rtpCaps(vp8).find("rtcp-fb-nack-pli=(boolean)true"), std::string::npos);
  EXPECT_NE(rtpCaps(vp8).find("rtcp-fb-ccm-fir=(boolean)true"), std::string::npos);
  EXPECT_EQ(rtpCapsList(audioOffer({AudioCodec::Pcmu})),
            "application/x-rtp,media=audio,encoding-name=PCMU,payload=0,clock-rate=8000;"
            "application/x-rtp,media=audio,encoding-name=TELEPHONE-EVENT,payload=101,clock-rate=8000");
}

TEST(GstPipelineDescription, VideoOfferFollowsPreferenceAndAvailableElements) {
  EXPECT_EQ(names(videoOffer({}, kAll)), (std::vector<std::string>{"VP8/90000:96", "H264/90000:102"}));
  EXPECT_EQ(names(videoOffer({VideoCodec::H264, VideoCodec::Vp8}, kAll)),
            (std::vector<std::string>{"H264/90000:102", "VP8/90000:96"}));
  EXPECT_EQ(names(videoOffer({}, only({"openh264enc"}))), (std::vector<std::string>{"VP8/90000:96"}));
  EXPECT_TRUE(videoOffer({VideoCodec::Vp8}, only({"vp8dec"})).empty());
}

TEST(GstPipelineDescription, AudioBranchesPerCodecAndSink) {
  AudioSource tone;
  auto opus = audioOffer({AudioCodec::Opus}).front();
  const auto send = audioSendBin(tone, opus, "");
  EXPECT_NE(send.find("audiotestsrc is-live=true wave=sine freq=1000"), std::string::npos) << send;
  EXPECT_NE(send.find("opusenc"), std::string::npos) << send;
  EXPECT_NE(send.find("rtpopuspay pt=111"), std::string::npos) << send;
  EXPECT_EQ(send.find("webrtcdsp"), std::string::npos) << send;
  const auto pcma = audioSendBin(tone, audioOffer({AudioCodec::Pcma}).front(), "");
  EXPECT_NE(pcma.find("alawenc ! rtppcmapay pt=8 min-ptime=20000000 max-ptime=20000000"), std::string::npos) << pcma;

  AudioSink wav;
  wav.kind = AudioSink::Kind::WavFile;
  wav.sampleRate = 16000;
  const auto rec = audioReceiveBin(opus, wav);
  EXPECT_NE(rec.find("rtpopusdepay ! opusdec"), std::string::npos) << rec;
  // Whatever the codec's rate, the recording is resampled to the WAV's.
  EXPECT_NE(rec.find("audio/x-raw,format=S16LE,rate=16000,channels=1 ! appsink name=rec"), std::string::npos) << rec;
  EXPECT_NE(audioReceiveBin(audioOffer({AudioCodec::Pcmu}).front(), AudioSink{}).find("mulawdec"), std::string::npos);
}

TEST(GstPipelineDescription, DevicesByElementAndDeviceName) {
  AudioSource mic;
  mic.kind = AudioSource::Kind::Device;
  auto pcmu = audioOffer({AudioCodec::Pcmu}).front();
  EXPECT_EQ(audioSendBin(mic, pcmu, "").rfind("autoaudiosrc ! ", 0), 0u);
  mic.element = "alsasrc";
  mic.device = "hw:1";
  EXPECT_EQ(audioSendBin(mic, pcmu, "").rfind("alsasrc device=\"hw:1\" ! ", 0), 0u);
  EXPECT_NE(audioSendBin(mic, pcmu, "probe7").find("webrtcdsp probe=probe7"), std::string::npos);

  AudioSink speaker;
  speaker.kind = AudioSink::Kind::Device;
  EXPECT_EQ(audioPlaybackBin(speaker, ""), "audioconvert ! audioresample ! autoaudiosink");
  speaker.element = "pulsesink";
  EXPECT_EQ(audioPlaybackBin(speaker, "p"),
            "audioconvert ! audioresample ! webrtcechoprobe name=p ! audioconvert ! audioresample ! pulsesink");

  VideoSource camera;
  camera.kind = VideoSource::Kind::Device;
  camera.device = "/dev/video2";
  auto vp8 = videoOffer({VideoCodec::Vp8}, kAll).front();
  EXPECT_EQ(videoSendBin(camera, vp8).rfind("v4l2src device=\"/dev/video2\" ! ", 0), 0u);
  VideoSink window;
  window.kind = VideoSink::Kind::Device;
  EXPECT_NE(videoReceiveBin(vp8, window).find("autovideosink name=vsink"), std::string::npos);
}

TEST(GstPipelineDescription, VideoBranchesAnswerKeyFrameRequests) {
  VideoSource pattern;
  pattern.pattern = "ball";
  auto vp8 = videoOffer({VideoCodec::Vp8}, kAll).front();
  const auto send = videoSendBin(pattern, vp8);
  EXPECT_EQ(send.rfind("videotestsrc is-live=true pattern=ball ! ", 0), 0u) << send;
  EXPECT_NE(send.find("width=320,height=240,framerate=15/1"), std::string::npos) << send;
  // No periodic key frames by default: only the first and the requested ones.
  EXPECT_NE(send.find("vp8enc name=venc"), std::string::npos) << send;
  EXPECT_NE(send.find("keyframe-max-dist=1000000"), std::string::npos) << send;
  pattern.keyFrameInterval = 2;
  EXPECT_NE(videoSendBin(pattern, vp8).find("keyframe-max-dist=30"), std::string::npos);
  const auto recv = videoReceiveBin(vp8, VideoSink{});
  EXPECT_NE(recv.find("rtpvp8depay request-keyframe=true wait-for-keyframe=true ! vp8dec"), std::string::npos);
  EXPECT_NE(recv.find("fakesink name=vsink"), std::string::npos);
  VideoSink file;
  file.kind = VideoSink::Kind::File;
  file.path = "/tmp/v.mkv";
  EXPECT_EQ(videoReceiveBin(vp8, file),
            "queue ! rtpvp8depay request-keyframe=true wait-for-keyframe=true ! tee name=vt ! queue ! matroskamux "
            "streamable=true ! filesink location=\"/tmp/v.mkv\" vt. ! queue ! vp8dec ! videoconvert ! fakesink "
            "name=vsink sync=false async=false");
  auto h264 = videoOffer({VideoCodec::H264}, kAll).front();
  EXPECT_NE(videoReceiveBin(h264, file).find("tee name=vt ! queue ! h264parse ! matroskamux"), std::string::npos);
  EXPECT_NE(videoSendBin(pattern, h264).find("openh264enc name=venc"), std::string::npos);
  EXPECT_NE(videoReceiveBin(h264, VideoSink{}).find("h264parse ! openh264dec"), std::string::npos);
}

TEST(GstPipelineDescription, EchoCancellationNeedsDevicesAndElements) {
  MediaConfig c;
  EXPECT_FALSE(planEchoCancellation(c, kAll).on);  // tone into nothing: nothing to cancel
  c.source.kind = AudioSource::Kind::Device;
  c.sink.kind = AudioSink::Kind::Device;
  EXPECT_TRUE(planEchoCancellation(c, kAll).on);
  auto missing = planEchoCancellation(c, only({"webrtcdsp"}));
  EXPECT_FALSE(missing.on);
  EXPECT_EQ(missing.note,
            "echo cancellation off: GStreamer element 'webrtcdsp' missing (install gstreamer1.0-plugins-bad)");
  c.echoCancellation = false;
  EXPECT_FALSE(planEchoCancellation(c, kAll).on);
  EXPECT_TRUE(planEchoCancellation(c, only({"webrtcdsp"})).note.empty());
}

TEST(GstPipelineDescription, MissingElementsNameTheirPackage) {
  MediaConfig c;
  EXPECT_EQ(missingElement(c, kAll), "");
  EXPECT_EQ(missingElement(c, only({"webrtcbin"})),
            "GStreamer element 'webrtcbin' missing: install gstreamer1.0-plugins-bad");
  // One usable audio codec is enough; none is an error.
  EXPECT_EQ(missingElement(c, only({"opusenc"})), "");
  c.audioCodecs = {AudioCodec::Opus};
  EXPECT_EQ(missingElement(c, only({"opusenc"})), "GStreamer element 'opusenc' missing: install gstreamer1.0-plugins-base");
  c = MediaConfig{};
  c.local.video = c.remote.video = true;
  EXPECT_EQ(missingElement(c, only({"vp8enc", "openh264enc"})),
            "GStreamer element 'vp8enc' missing: install gstreamer1.0-plugins-good");
  c.source.kind = AudioSource::Kind::Device;
  c.source.element = "pulsesrc buffer-time=20000";
  EXPECT_EQ(missingElement(c, only({"pulsesrc"})),
            "GStreamer element 'pulsesrc' missing: install gstreamer1.0-pulseaudio");
  EXPECT_EQ(missingElement(c, kAll), "");
  c.source.element = "nosuchsrc";
  EXPECT_EQ(missingElement(c, only({"nosuchsrc"})),
            "GStreamer element 'nosuchsrc' missing: misspelt, or its plugin is not installed");
}

TEST(GstPipelineDescription, CodecNames) {
  EXPECT_EQ(audioCodecFromString("OPUS"), AudioCodec::Opus);
  EXPECT_EQ(audioCodecFromString("pcma"), AudioCodec::Pcma);
  EXPECT_FALSE(audioCodecFromString("g729"));
  EXPECT_EQ(videoCodecFromString("H264"), VideoCodec::H264);
  EXPECT_STREQ(toString(AudioCodec::Pcmu), "pcmu");
}

}  // namespace
}  // namespace callgate::client::detail

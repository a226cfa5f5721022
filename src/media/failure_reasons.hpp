#pragma once
// Failure texts the transports report. They reuse the WCS CALL_STATUS_INFO /
// STREAM_STATUS_INFO vocabulary (wcs-websocket.md §7) so the gateway can pass them to the
// client unchanged in a FAILED status.
#include <string_view>

namespace callgate::media {

inline constexpr std::string_view kFailedByIceError = "Failed by ICE error";
inline constexpr std::string_view kFailedByIceTimeout = "Failed by ICE timeout";
// RFC 7675 consent expired after the call was connected.
inline constexpr std::string_view kFailedByIceKeepAlive = "Failed by ICE keep alive";
inline constexpr std::string_view kFailedByDtlsFingerprint = "Failed by DTLS fingerprint error";
inline constexpr std::string_view kFailedByDtlsError = "Failed by DTLS error";
inline constexpr std::string_view kFailedByRtpActivity = "Failed by RTP activity";

}  // namespace callgate::media

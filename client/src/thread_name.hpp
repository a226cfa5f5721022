#pragma once
// Names the calling thread (shown by top -H, gdb, /proc/<pid>/task/*/comm), so the SDK's
// own threads can be told apart from GStreamer's: callgate-phone checks at exit that no
// "cg-session" thread outlived its Session. Linux and Apple platforms; elsewhere a no-op.
namespace callgate::client::detail {

// At most 15 characters on Linux (longer names are cut).
void nameCurrentThread(const char* name);

}  // namespace callgate::client::detail

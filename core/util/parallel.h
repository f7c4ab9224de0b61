#pragma once

#include <cstddef>
#include <functional>

namespace tunebench::util {

/// Calls body(0) ... body(count - 1) on up to `threads` threads (the calling one among them), each index
/// once, handed out in increasing order as threads come free. The first exception a call throws stops
/// handing out indices (calls already running finish) and is rethrown here once every thread has joined.
void parallelFor(std::size_t count, int threads, const std::function<void(std::size_t)>& body);

} // namespace tunebench::util

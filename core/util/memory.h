#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace tunebench::util {

/// Memory the system can give without swapping: MemAvailable from /proc/meminfo, lowered to the cgroup's
/// memory.max headroom when the process runs under a limit, and to TUNEBENCH_MEMORY_LIMIT when set (a budget
/// of the user's own: bytes, or 500M, 8G). Empty where unknown.
[[nodiscard]] std::optional<std::uint64_t> availableMemoryBytes();

/// "1.4 GB", "350 MB", "12 kB".
[[nodiscard]] std::string formatBytes(std::uint64_t bytes);

} // namespace tunebench::util

#include "util/memory.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>

namespace tunebench::util {

std::optional<std::uint64_t> availableMemoryBytes()
{
    std::optional<std::uint64_t> available;
    std::ifstream meminfo("/proc/meminfo");
    std::string key;
    std::uint64_t kilobytes = 0;
    std::string unit;
    while (meminfo >> key >> kilobytes >> unit) {
        if (key == "MemAvailable:") {
            available = kilobytes * 1024;
            break;
        }
    }
    // Under a cgroup (v2) limit, what is left of it.
    std::ifstream maxFile("/sys/fs/cgroup/memory.max");
    std::ifstream currentFile("/sys/fs/cgroup/memory.current");
    std::string limit;
    std::uint64_t current = 0;
    if (maxFile >> limit && limit != "max" && !limit.empty()
        && std::all_of(limit.begin(), limit.end(), [](char c) { return c >= '0' && c <= '9'; })
        && currentFile >> current) {
        const std::uint64_t cap = std::strtoull(limit.c_str(), nullptr, 10);
        const std::uint64_t headroom = cap > current ? cap - current : 0;
        available = available ? std::min(*available, headroom) : headroom;
    }
    // A budget of the user's own (bytes, or with a K, M or G suffix).
    if (const char* budget = std::getenv("TUNEBENCH_MEMORY_LIMIT"); budget && *budget) {
        char* end = nullptr;
        double bytes = std::strtod(budget, &end);
        if (end && (*end == 'K' || *end == 'k'))
            bytes *= 1e3;
        else if (end && (*end == 'M' || *end == 'm'))
            bytes *= 1e6;
        else if (end && (*end == 'G' || *end == 'g'))
            bytes *= 1e9;
        if (bytes > 0)
            available = available ? std::min(*available, static_cast<std::uint64_t>(bytes))
                                  : static_cast<std::uint64_t>(bytes);
    }
    return available;
}

std::string formatBytes(std::uint64_t bytes)
{
    const double value = static_cast<double>(bytes);
    char text[32];
    if (value >= 1e9)
        std::snprintf(text, sizeof text, "%.1f GB", value / 1e9);
    else if (value >= 1e6)
        std::snprintf(text, sizeof text, "%.0f MB", value / 1e6);
    else
        std::snprintf(text, sizeof text, "%.0f kB", value / 1e3);
    return text;
}

} // namespace tunebench::util

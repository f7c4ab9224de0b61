#pragma once

// Shared by the benchmark programs.

#include <fstream>
#include <string>

namespace tunebench::bench {

/// The process's peak resident set size so far (VmHWM), in megabytes.
inline double peakRssMegabytes()
{
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmHWM:", 0) == 0)
            return std::stod(line.substr(6)) / 1024.0;
    }
    return 0.0;
}

} // namespace tunebench::bench

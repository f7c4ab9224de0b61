// Reads one data file with the Tunebench readers and prints wall time, throughput and peak memory as JSON.
// One read per process, so that the peak RSS is this read's own. Driven by run_read_bench.sh.

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>

#include "benchutil.h"
#include "data/reader.h"

#include <sys/stat.h>

int main(int argc, char* argv[])
{
    if (argc != 2 && !(argc == 4 && std::string(argv[2]) == "--threads")) {
        std::cerr << "usage: bench_read FILE [--threads N]   (N = 0, the default: every core)\n";
        return 2;
    }
    tunebench::data::ReadOptions options;
    if (argc == 4)
        options.threads = std::stoi(argv[3]);
    struct stat info
    { };
    if (stat(argv[1], &info) != 0) {
        std::perror(argv[1]);
        return 1;
    }
    const auto start = std::chrono::steady_clock::now();
    tunebench::data::ReadReport report;
    const auto dataset = tunebench::data::readDataset(argv[1], options, &report);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double megabytes = static_cast<double>(report.bytesRead) / 1e6;
    std::printf("{\"tool\": \"tunebench\", \"threads\": %d, \"rows\": %zu, \"columns\": %zu, \"seconds\": %.4f, "
                "\"mb_per_s\": %.1f, "
                "\"peak_rss_mb\": %.1f, \"file_mb\": %.1f}\n",
                options.threads, dataset.rowCount(), dataset.columnCount(), seconds, megabytes / seconds,
                tunebench::bench::peakRssMegabytes(), static_cast<double>(info.st_size) / 1e6);
    return 0;
}

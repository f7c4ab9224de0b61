// libFuzzer target for the project-file opener: arbitrary bytes as a .tbproj must be refused with a
// StoreError (or opened, if they happen to be a valid project), never crash. An opened project is read as the
// workbench reads it: datasets, experiments, run owners and requests, and each experiment as a follower sees it.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "jobs/ownership.h"
#include "jobs/runfollower.h"
#include "store/projectstore.h"

#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace tunebench::store;
    static const std::string path
        = (std::filesystem::temp_directory_path() / ("tunebench-fuzz-" + std::to_string(getpid()) + ".tbproj"))
              .string();
    for (const char* suffix : {"", "-wal", "-shm"})
        std::filesystem::remove(path + suffix);
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    try {
        auto store = ProjectStore::open(path, ProjectStore::Mode::ReadOnly);
        (void)store->datasets();
        (void)store->runOwners();
        for (const ExperimentRecord& experiment : store->experiments()) {
            (void)tunebench::jobs::isInterrupted(*store, experiment);
            (void)store->runRequests(experiment.id);
            // What a window following the run reads: trials, typed, and their points.
            tunebench::jobs::RunFollower follower(path, experiment.name);
            (void)follower.poll();
        }
    } catch (const StoreError&) { }
    return 0;
}

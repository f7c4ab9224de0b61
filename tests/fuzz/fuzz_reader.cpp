// libFuzzer target for one reader, chosen at compile time by TUNEBENCH_FUZZ_FORMAT (csv, arff, libsvm).
// Any input must either load or fail with ReadError: never crash, hang or trip a sanitizer.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "data/reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace tunebench::data;
    ReadOptions options;
    options.format = TUNEBENCH_FUZZ_FORMAT;
    // Half the inputs skip bad rows, so that the recovery paths are fuzzed too.
    options.skipBadRows = size > 0 && (data[0] & 1) != 0;
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    try {
        const Dataset dataset = readDatasetFromMemory(bytes, "fuzz", options);
        for (const Column& column : dataset.columns())
            (void)summarize(column);
        if (!dataset.columns().empty())
            (void)detectTask(dataset.column(*suggestTarget(dataset)));
    } catch (const ReadError&) { }
    return 0;
}

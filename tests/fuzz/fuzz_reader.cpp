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
    // A LIBSVM row like "1 200000:1" is a legitimate 200,000-column table; building one per input would
    // spend the fuzzer's time allocating columns. Lower caps keep it on the parsing paths and send wide
    // inputs down the refusal path; the default caps themselves are tested in tst_readers.
    options.maxDenseCells = std::size_t{1} << 20;
    options.maxDenseFeatures = 4096;
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

// libFuzzer target for the experiment spec parser, native JSON and SageMaker's
// HyperParameterTuningJobConfig alike (the parser tells them apart; each has its own seed corpus). Any
// input must either parse into a spec whose search space decodes, or fail with SpecError: never crash,
// hang or trip a sanitizer.

#include <cstddef>
#include <cstdint>
#include <vector>

#include <QByteArray>

#include "tuning/experimentspec.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace tunebench::tuning;
    const QByteArray json(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
    try {
        const ExperimentSpec spec = parseSpec(json, "fuzz.json", "/nonexistent");
        const SearchSpace space = spec.searchSpace();
        // The middle of the space and one corner: each point decodes into a trial of the spec.
        for (double u : {0.5, 0.999}) {
            const std::vector<double> point(space.size(), u);
            (void)spec.configFor(space.decode(point));
        }
    } catch (const SpecError&) { }
    return 0;
}

#pragma once

#include <string_view>

namespace tunebench::util {

/// The instruction-set level this build of the engine was compiled for: "x86-64" (the baseline every x86-64
/// CPU runs), "x86-64-v3" (AVX2, FMA), "x86-64-v4" (AVX-512) or "native" (the building machine's, as the
/// release preset compiles). A package holds the first three and the dynamic loader picks the best the CPU
/// runs, so this says which one is running.
[[nodiscard]] std::string_view instructionSetLevel() noexcept;

} // namespace tunebench::util

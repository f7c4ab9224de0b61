#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

#include "data/dataset.h"
#include "tuning/experimentspec.h"
#include "util/memory.h"

namespace tunebench::jobs {

/// A job that would not fit in memory, refused before it starts.
class ResourceError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

/// Peak memory of one trial of `spec` on `dataset` (loaded already, not counted), for the largest
/// configuration its ranges allow: the training and validation matrices of a fold, out-of-fold predictions
/// and the model (forest and boosted trees by their node counts, an MLP by its layers, k-NN by its copy
/// of the training data). An upper estimate, calibrated against measured peak RSS (docs/reliability.md).
/// 0 for an external command (its memory is its own business).
[[nodiscard]] std::uint64_t estimateTrialBytes(const tuning::ExperimentSpec& spec, const data::Dataset& dataset,
                                               std::size_t targetColumn, data::Task task);

/// The verdict on `parallel` trials of `trialBytes` each: throws ResourceError past `available`, returns a
/// warning above 80% of it, an empty string when it fits comfortably or nothing is known.
std::string checkMemory(std::uint64_t trialBytes, int parallel, std::optional<std::uint64_t> available);

} // namespace tunebench::jobs

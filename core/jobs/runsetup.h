#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include "jobs/trialrunner.h"
#include "store/projectstore.h"
#include "tuning/experimentspec.h"

namespace tunebench::jobs {

/// The runner for a spec: reads the dataset for built-in algorithms (throws data::ReadError,
/// std::invalid_argument), or wraps the external command (writing the first split for {train_path} and
/// {validation_path}); a Slurm spec's trials go to the cluster.
/// Whether a run starts an experiment or resumes one: a resumed Slurm experiment re-attaches to the jobs its
/// dead owner submitted (they live on) rather than submitting those trials again.
enum class RunStart
{
    New,
    Resume,
};
[[nodiscard]] std::shared_ptr<const TrialRunner> makeTrialRunner(const tuning::ExperimentSpec& spec,
                                                                 RunStart start = RunStart::New);
/// What a new run of a spec needs: its runner (as makeTrialRunner makes it, Slurm included) and the project's
/// record of its data file, recorded now unless a file with the same content is there already (a command's
/// file is not read: only a record with its path is looked for). A built-in algorithm's file is read once,
/// for both. Throws as makeTrialRunner and store::recordDataset do.
struct PreparedRun
{
    std::shared_ptr<const TrialRunner> runner;
    std::optional<std::int64_t> datasetId;
};
[[nodiscard]] PreparedRun prepareRun(const tuning::ExperimentSpec& spec, store::ProjectStore& project);
/// The runner of a spec with a built-in algorithm (throws std::invalid_argument for a command).
[[nodiscard]] std::shared_ptr<const BuiltinTrialRunner> makeBuiltinTrialRunner(const tuning::ExperimentSpec& spec);

} // namespace tunebench::jobs

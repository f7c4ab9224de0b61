#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "jobs/trialrunner.h"
#include "tuning/experimentspec.h"

namespace tunebench::jobs {

/// Slurm's view of a job (scontrol, or sacct once scontrol has forgotten it).
struct SlurmJobState
{
    std::string state; ///< PENDING, RUNNING, COMPLETED, FAILED, CANCELLED, TIMEOUT, PREEMPTED, NODE_FAIL, ...
    int exitCode = 0;
    int signal = 0;
};

namespace slurm {

/// `scontrol show job -o ID`: "JobId=12 JobName=... JobState=FAILED Reason=NonZeroExitCode ... ExitCode=3:0".
[[nodiscard]] std::optional<SlurmJobState> parseScontrol(const std::string& text);
/// `sacct -n -P -X -o State,ExitCode -j ID`: "CANCELLED by 0|0:15".
[[nodiscard]] std::optional<SlurmJobState> parseSacct(const std::string& text);
/// Whether a job in this state will change no more.
[[nodiscard]] bool isFinal(const std::string& state);
/// Why a trial whose job ended in `state` without a result failed, in the user's words.
[[nodiscard]] std::string failureReason(const SlurmJobState& state, const tuning::SlurmSpec& spec);
/// `text` as one sh word: single-quoted, its single quotes as '\''.
[[nodiscard]] std::string shellQuote(const std::string& text);

/// The files of one attempt at one trial, in the shared work folder.
struct TrialFiles
{
    std::string directory;
    std::string spec; ///< the experiment's stored spec
    std::string params; ///< the trial: {"algorithm", "params"}
    std::string script; ///< the batch script
    std::string events; ///< what the worker writes (jobs/workerprotocol.h)
    std::string log; ///< the job's own stdout and stderr
    std::string job; ///< the job's id, once submitted: a resume re-attaches to the job rather than submitting again
    std::string checkpoint; ///< the trial's {checkpoint_dir}, shared by its attempts
};
[[nodiscard]] TrialFiles trialFiles(const tuning::SlurmSpec& spec, const std::string& experiment, int trial,
                                    int attempt);
/// The batch script: `exec WORKER run-trial SPEC --trial N --params FILE --out EVENTS --threads T`, every path
/// quoted. Hyperparameter values never appear in it: they are in the params file.
[[nodiscard]] std::string batchScript(const std::string& worker, const TrialFiles& files, int trial, int threads);
/// sbatch's arguments (the script last): --parsable, job name, output, chdir, cpus, time, memory,
/// partition, then the spec's own arguments.
[[nodiscard]] std::vector<std::string> sbatchArguments(const tuning::SlurmSpec& spec, const TrialFiles& files,
                                                       const std::string& jobName, int threads);

} // namespace slurm

/// Runs each trial as a Slurm batch job: `tunebench-cli run-trial` on a node, which reads the spec and the
/// trial's parameters from the shared work folder and writes its metric points and result there as JSON
/// lines; this runner follows that file (points reach the live view as they come), watches the job with
/// scontrol (sacct when scontrol has forgotten it), cancels it with scancel when the trial is stopped or
/// cancelled, and submits a preempted job again (up to `resubmit_preempted` times). The tuner that calls it
/// stays the only writer of the project file.
class SlurmTrialRunner final : public TrialRunner
{
public:
    /// `local` answers what the tuner asks between trials (the intermediate metric). With `reattach` (a resumed
    /// experiment), a trial whose job an earlier run submitted is followed again rather than submitted.
    SlurmTrialRunner(tuning::ExperimentSpec spec, std::shared_ptr<const TrialRunner> local, bool reattach = false);
    TrialResult run(const tuning::TrialConfig& trial, int number,
                    const algorithms::TrainingContext& context) const override;
    std::string intermediateMetric() const override { return m_local->intermediateMetric(); }
    bool intermediateLowerIsBetter() const override { return m_local->intermediateLowerIsBetter(); }
    std::vector<std::string> warnings() const override { return m_local->warnings(); }

private:
    tuning::ExperimentSpec m_spec;
    tuning::SlurmSpec m_slurm;
    std::shared_ptr<const TrialRunner> m_local;
    std::string m_worker;
    bool m_reattach = false;
};

} // namespace tunebench::jobs

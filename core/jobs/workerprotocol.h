#pragma once

#include <optional>
#include <string>
#include <variant>

#include "jobs/trialrunner.h"

namespace tunebench::jobs {

/// What `tunebench-cli run-trial` writes, one JSON object per line, and what an executor that runs trials
/// elsewhere (jobs/slurm.h) reads back while following the file:
///
///   {"event": "started", "trial": 7, "host": "node12"}
///   {"event": "point", "step": 3, "name": "fold1/loss", "value": 0.41}
///   {"event": "result", "objective": 0.97, "metrics": {"auc": {"mean": .., "std": ..}}, "folds": {...},
///    "fit_seconds": 1.2, "output": "..."}
///   {"event": "failed", "reason": "the loss diverged (NaN) at epoch 12", "output": "..."}
///   {"event": "cancelled"}
///
/// A line is written whole and flushed before the next; a reader may meet the last one half written and
/// must wait for its newline (WorkerFollower).
namespace worker {

struct Started
{
    int trial = 0;
    std::string host;
};
struct Point
{
    int step = 0;
    std::string name;
    double value = 0.0;
};
struct Finished
{
    TrialResult result;
};
struct Failed
{
    std::string reason;
    std::string output;
};
struct Cancelled
{ };
using Event = std::variant<Started, Point, Finished, Failed, Cancelled>;

[[nodiscard]] std::string toLine(const Event& event);
/// Empty for a line that is not an event (blank, or not JSON: a node's own noise in the file).
[[nodiscard]] std::optional<Event> fromLine(const std::string& line);

} // namespace worker

/// Follows a file another process appends event lines to, on a shared file system: each poll() returns
/// the events of the lines completed since the last one. A file that does not exist yet has no events.
class WorkerFollower
{
public:
    explicit WorkerFollower(std::string path);
    [[nodiscard]] std::vector<worker::Event> poll();

private:
    std::string m_path;
    std::uint64_t m_offset = 0;
    std::string m_partial;
};

} // namespace tunebench::jobs

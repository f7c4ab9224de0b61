#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

#include "store/projectstore.h"

namespace tunebench::jobs {

/// A run's lease lasts this long without renewal; its owner renews it every kRenewSeconds. An owner on this host
/// whose process has exited is gone at once; one elsewhere (or a process that hangs) when its lease runs out.
inline constexpr double kLeaseSeconds = 10.0;
inline constexpr double kRenewSeconds = 2.0;

/// Seconds since the Unix epoch, as heartbeats count them.
[[nodiscard]] double secondsNow();
/// Whether `owner` still runs its experiment at `now`: its lease is fresh and, on this host, its process exists.
[[nodiscard]] bool isAlive(const store::RunOwner& owner, double now = secondsNow());
/// "tunebench-cli, pid 4242 on host X, since 10:41" (local time; the date too when not today).
[[nodiscard]] std::string describe(const store::RunOwner& owner);
/// This process as the project's other processes name it: "tunebench, pid 17 on host X".
[[nodiscard]] std::string thisProcessName();
/// The owner of an experiment, while it is alive.
[[nodiscard]] std::optional<store::RunOwner> liveOwner(const store::ProjectStore& store, std::int64_t experimentId);
/// An experiment recorded as running whose owner is gone, or was never recorded (a project of format 2): it was
/// interrupted, and a resume runs its unfinished trials again.
[[nodiscard]] bool isInterrupted(const store::ProjectStore& store, const store::ExperimentRecord& experiment);

/// Another live process runs the experiment; what() names it.
class RunOwnedError : public std::invalid_argument
{
public:
    using std::invalid_argument::invalid_argument;
};

/// This process's claim on running one experiment: recorded in the project, renewed by renew(), given up by
/// release() or the destructor. A claim another process took over (after this one's lease ran out) is never
/// renewed or released by this one: renew() throws instead, and the run must stop writing.
class RunLease
{
public:
    /// Claims `experimentId`, in the store's current transaction (which must be one: the check and the claim
    /// are then atomic against other processes). Throws RunOwnedError when a live owner has it.
    RunLease(store::ProjectStore& store, std::int64_t experimentId);
    ~RunLease();
    RunLease(const RunLease&) = delete;
    RunLease& operator=(const RunLease&) = delete;

    /// Renews the lease when kRenewSeconds have passed. Throws RunOwnedError when another process owns the run now.
    void renew();
    /// Gives the run up (in the caller's transaction, if any).
    void release();
    [[nodiscard]] const store::RunOwner& owner() const { return m_owner; }

private:
    store::ProjectStore& m_store;
    store::RunOwner m_owner;
    bool m_released = false;
};

/// What a request row asks of a run.
enum class RunRequestKind
{
    Stop,
    Cancel,
    StopTrial,
    RestartTrial,
};
[[nodiscard]] const char* requestName(RunRequestKind kind);
[[nodiscard]] std::optional<RunRequestKind> requestKindFromString(const std::string& name);
/// Asks the owner of `experimentId` (another process) to stop, cancel, or stop or restart trial `trial`.
void askOwner(store::ProjectStore& store, std::int64_t experimentId, RunRequestKind kind,
              std::optional<int> trial = std::nullopt);

} // namespace tunebench::jobs

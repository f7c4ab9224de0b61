#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "util/states.h"

struct sqlite3;

namespace tunebench::store {

/// A project file that cannot be opened or written; what() says why in words a user understands.
class StoreError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

struct DatasetRecord
{
    std::int64_t id = 0;
    std::string name;
    std::string path;
    std::string sha256;
    std::int64_t sizeBytes = 0;
    std::int64_t rows = 0;
    std::int64_t columns = 0;
    std::string schemaJson; ///< columns with types and summaries, as `tunebench-cli inspect --json` prints
    std::string importedAt; ///< ISO 8601, UTC
    /// How the file is read where sniffing would guess (data::toJson(ReadSettings)); "{}" sniffs everything.
    std::string readSettingsJson = "{}";
};

struct ExperimentRecord
{
    std::int64_t id = 0;
    std::string name;
    std::string specJson;
    std::optional<std::int64_t> datasetId;
    ExperimentState status = ExperimentState::Created;
    std::string stoppedBecause;
    std::string createdAt;
    std::string finishedAt;
};

struct TrialRecord
{
    std::int64_t id = 0;
    std::int64_t experimentId = 0;
    int number = 0; ///< 1-based within its experiment
    std::string algorithm;
    std::string paramsJson; ///< {"name": value, ...}
    TrialState status = TrialState::Queued;
    std::optional<double> objective;
    std::string metricsJson; ///< final metrics {"auc": {"mean": .., "std": ..}, ...}
    std::string error;
    std::optional<int> stoppedAtStep;
    std::string startedAt;
    std::string finishedAt;
};

struct MetricPoint
{
    std::string name;
    std::int64_t step = 0;
    double value = 0.0;
    double wallTime = 0.0; ///< seconds since the Unix epoch
};

struct ArtifactRecord
{
    std::int64_t id = 0;
    std::optional<std::int64_t> experimentId;
    std::optional<std::int64_t> trialId;
    std::string kind; ///< model, stdout, report, spec ...
    std::string path; ///< relative to the project's NAME.artifacts/ folder
    std::string sha256;
    std::int64_t sizeBytes = 0;
    std::string createdAt;
};

struct EventRecord
{
    std::int64_t id = 0;
    std::string at;
    std::optional<std::int64_t> experimentId;
    std::optional<std::int64_t> trialId;
    std::string kind;
    std::string message;
};

/// Who runs an experiment: the process that holds its lease, renewing `heartbeat` every few seconds.
struct RunOwner
{
    std::int64_t experimentId = 0;
    std::string host;
    std::int64_t pid = 0;
    std::string program; ///< "tunebench-cli", "tunebench"
    std::string token; ///< this claim's own: a renewal or release names it, so a taken-over run is not touched
    std::string startedAt; ///< ISO 8601, UTC
    double heartbeat = 0.0; ///< seconds since the Unix epoch
};

/// What another process asks of a run it does not own; the owner polls for these and obeys.
struct RunRequest
{
    std::int64_t id = 0;
    std::int64_t experimentId = 0;
    std::string kind; ///< stop, cancel, stop_trial, restart_trial
    std::optional<int> trialNumber;
    std::string requestedAt;
    std::string requestedBy; ///< "tunebench, pid 17 on host X"
};

/// A project: one SQLite file (WAL, foreign keys, schema version in user_version) and the only code that
/// speaks SQL. Opening checks the file first and never modifies a file it refuses: not a database,
/// another application's database, a corrupt file, or one written by a newer Tunebench.
/// One ProjectStore is one connection: use it from one thread at a time.
class ProjectStore
{
public:
    static constexpr int kSchemaVersion = 3;
    static constexpr std::int32_t kApplicationId = 0x54424E43; // "TBNC"

    enum class Mode
    {
        ReadWrite, ///< creates the file when it does not exist
        ReadOnly,
    };

    static std::unique_ptr<ProjectStore> open(const std::string& path, Mode mode = Mode::ReadWrite);
    ~ProjectStore();
    ProjectStore(const ProjectStore&) = delete;
    ProjectStore& operator=(const ProjectStore&) = delete;

    [[nodiscard]] const std::string& path() const noexcept { return m_path; }
    [[nodiscard]] int schemaVersion() const;
    /// SQLite's full integrity check: "ok", or what is wrong.
    [[nodiscard]] std::string integrityCheck() const;
    /// The folder beside the project that holds its artifacts: "NAME.artifacts".
    [[nodiscard]] std::string artifactsDirectory() const;

    /// Runs `work` in one transaction: committed when it returns, rolled back when it throws.
    void transaction(const std::function<void()>& work);
    /// Runs `work`'s reads in one read transaction: all of them see the project as of one commit.
    void readTransaction(const std::function<void()>& work);

    std::int64_t addDataset(const DatasetRecord& dataset);
    [[nodiscard]] std::vector<DatasetRecord> datasets() const;
    [[nodiscard]] std::optional<DatasetRecord> datasetBySha256(const std::string& sha256) const;
    /// Records that dataset `id` is read with other settings, and what it then holds: its read settings, row and
    /// column counts and schema are replaced by `dataset`'s.
    void updateDatasetReading(const DatasetRecord& dataset);

    std::int64_t createExperiment(const ExperimentRecord& experiment);
    void setExperimentStatus(std::int64_t experimentId, ExperimentState status, const std::string& stoppedBecause = {});
    [[nodiscard]] std::vector<ExperimentRecord> experiments() const;
    [[nodiscard]] std::optional<ExperimentRecord> experimentByName(const std::string& name) const;

    std::int64_t addTrial(const TrialRecord& trial);
    void updateTrial(const TrialRecord& trial);
    [[nodiscard]] std::vector<TrialRecord> trials(std::int64_t experimentId) const;

    void addMetricPoints(std::int64_t trialId, const std::vector<MetricPoint>& points);
    /// Forgets a trial's points (an interrupted trial that runs again).
    /// Removes a trial's points: all of them, or those after `afterStep` (a paused trial continues from there).
    void clearMetricPoints(std::int64_t trialId, std::optional<std::int64_t> afterStep = std::nullopt);
    [[nodiscard]] std::vector<MetricPoint> metricSeries(std::int64_t trialId, const std::string& name = {}) const;
    /// The trial's points after those known: of each metric in `lastSteps` after its step there, and of every
    /// other metric all; by name and step.
    [[nodiscard]] std::vector<MetricPoint>
    metricSeriesAfter(std::int64_t trialId, const std::map<std::string, std::int64_t>& lastSteps) const;

    std::int64_t addArtifact(const ArtifactRecord& artifact);
    [[nodiscard]] std::vector<ArtifactRecord> artifacts(std::optional<std::int64_t> experimentId = std::nullopt) const;

    std::int64_t logEvent(const EventRecord& event);
    [[nodiscard]] std::vector<EventRecord> events(std::optional<std::int64_t> experimentId = std::nullopt) const;

    /// Records `owner` as the experiment's owner, replacing any earlier one (call it under a transaction that
    /// checked the earlier owner is gone).
    void setRunOwner(const RunOwner& owner);
    [[nodiscard]] std::optional<RunOwner> runOwner(std::int64_t experimentId) const;
    [[nodiscard]] std::vector<RunOwner> runOwners() const;
    /// Renews the lease of the claim `token`; false when the experiment has another owner now (or none).
    bool renewRunOwner(std::int64_t experimentId, const std::string& token, double heartbeat);
    /// Forgets the claim `token` (not another process's that took the run over).
    void releaseRunOwner(std::int64_t experimentId, const std::string& token);

    std::int64_t addRunRequest(const RunRequest& request);
    [[nodiscard]] std::vector<RunRequest> runRequests(std::int64_t experimentId) const;
    /// Forgets the experiment's requests up to id `upToId` (those it has obeyed).
    void removeRunRequests(std::int64_t experimentId, std::int64_t upToId);

    /// SQLite's data version: changes whenever another connection (this process's or another's) commits.
    [[nodiscard]] std::int64_t dataVersion() const;

    /// "2026-11-28T10:15:00.123Z"
    [[nodiscard]] static std::string nowUtc();

private:
    ProjectStore(std::string path, sqlite3* db, Mode mode);
    void migrate();
    void exec(const char* sql) const;
    void inTransaction(const char* begin, const std::function<void()>& work);

    std::string m_path;
    sqlite3* m_db = nullptr;
    Mode m_mode;
};

} // namespace tunebench::store

#include "jobs/runrecorder.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include <xgboost/c_api.h>

#include <QJsonDocument>
#include <QJsonObject>
#include <QSysInfo>

#include "jobs/compatibility.h"
#include "jobs/ownership.h"
#include "util/isa.h"

namespace tunebench::jobs {

namespace {

/// Where and with what a run happened: logged as a "manifest" event each time an experiment starts or
/// resumes, so every trial can be traced to the machine and versions that produced it.
std::string manifestJson(const tuning::ExperimentSpec& spec)
{
    int major = 0;
    int minor = 0;
    int patch = 0;
    XGBoostVersion(&major, &minor, &patch);
    const QJsonObject manifest{
        {QStringLiteral("tunebench"), QStringLiteral(TUNEBENCH_VERSION)},
        {QStringLiteral("qt"), QString::fromLatin1(qVersion())},
        {QStringLiteral("xgboost"), QStringLiteral("%1.%2.%3").arg(major).arg(minor).arg(patch)},
        {QStringLiteral("host"), QSysInfo::machineHostName()},
        {QStringLiteral("os"), QSysInfo::prettyProductName()},
        {QStringLiteral("cpu"), QSysInfo::currentCpuArchitecture()},
        {QStringLiteral("code"), QString::fromLatin1(util::instructionSetLevel())},
        {QStringLiteral("cores"), static_cast<int>(std::thread::hardware_concurrency())},
        {QStringLiteral("threads_per_trial"), spec.threadsPerTrial},
        {QStringLiteral("seed"), QString::number(spec.seed)},
    };
    return QJsonDocument(manifest).toJson(QJsonDocument::Compact).toStdString();
}

} // namespace

void TuningUpdate::merge(TuningUpdate&& next)
{
    experimentId = next.experimentId;
    for (int number : next.restarted) {
        std::erase_if(points, [number](const auto& point) { return point.first == number; });
        restarted.push_back(number);
    }
    std::move(next.trials.begin(), next.trials.end(), std::back_inserter(trials));
    std::move(next.points.begin(), next.points.end(), std::back_inserter(points));
}

RunRecorder::RunRecorder(store::ProjectStore& store, const tuning::ExperimentSpec& spec)
    : m_store(store)
    , m_spec(spec)
{ }

RunRecorder::~RunRecorder() = default;

void RunRecorder::logEvent(const std::string& kind, const std::string& message)
{
    m_store.logEvent({0, store::ProjectStore::nowUtc(), m_experimentId, std::nullopt, kind, message});
}

void RunRecorder::create(std::optional<std::int64_t> datasetId)
{
    store::ExperimentRecord record;
    record.name = m_spec.name;
    record.specJson = QJsonDocument(m_spec.json).toJson(QJsonDocument::Compact).toStdString();
    record.datasetId = datasetId;
    record.status = ExperimentState::Running;
    record.createdAt = store::ProjectStore::nowUtc();
    // Checked under the write lock: two processes creating the same experiment cannot both pass.
    m_store.transaction([&] {
        if (const auto existing = m_store.experimentByName(m_spec.name)) {
            if (const auto owner = liveOwner(m_store, existing->id))
                throw RunOwnedError("the experiment '" + m_spec.name + "' is running in " + describe(*owner)
                                    + " (give the new one another name)");
            throw std::invalid_argument("the project already has an experiment named '" + m_spec.name
                                        + "' (resume it, or give the new one another name)");
        }
        m_experimentId = m_store.createExperiment(record);
        m_lease = std::make_unique<RunLease>(m_store, m_experimentId);
        logEvent("manifest", manifestJson(m_spec));
    });
}

std::vector<Trial> RunRecorder::resume()
{
    const std::optional<store::ExperimentRecord> existing = m_store.experimentByName(m_spec.name);
    if (!existing)
        throw std::invalid_argument("there is no experiment named '" + m_spec.name + "' to resume");
    requireSameData(m_store, *existing, m_spec);
    m_experimentId = existing->id;
    std::vector<Trial> trials;
    m_store.transaction([&] {
        // Never a run another process is running: its trials in flight are not interrupted.
        try {
            m_lease = std::make_unique<RunLease>(m_store, m_experimentId);
        } catch (const RunOwnedError& owned) {
            throw RunOwnedError("the experiment '" + m_spec.name + "' cannot be resumed: " + owned.what());
        }
        m_store.setExperimentStatus(m_experimentId, ExperimentState::Running);
        std::size_t interrupted = 0;
        for (const store::TrialRecord& record : m_store.trials(m_experimentId)) {
            Trial trial = trialFromRecord(record, &m_spec);
            if (trial.state == TrialState::Running || trial.state == TrialState::Queued) {
                // It runs again with the same parameters, from the start: its points go. A multi-fidelity trial
                // continues from its checkpoint (a built-in's fits at the last budget it reached, a script's own),
                // and reports its steps again from there: its points stay.
                if (!tuning::isMultiFidelity(m_spec.strategy.kind))
                    m_store.clearMetricPoints(trial.id);
                ++interrupted;
            }
            Trial& known = m_trials[trial.number]; // its row: the rest is written again when it starts again
            known.id = trial.id;
            known.number = trial.number;
            known.state = trial.state;
            trials.push_back(std::move(trial));
        }
        logEvent("resumed", std::to_string(interrupted) + " interrupted trials run again");
        logEvent("manifest", manifestJson(m_spec));
    });
    return trials;
}

void RunRecorder::warn(const std::string& warning)
{
    logEvent("warning", warning);
}

void RunRecorder::started(int number, const tuning::TrialConfig& config)
{
    Trial& started = trial(number);
    const std::int64_t id = started.id;
    started = Trial{};
    started.id = id;
    started.number = number;
    started.state = TrialState::Running;
    started.config = config;
    started.startedAt = store::ProjectStore::nowUtc();
    m_queued.emplace_back(number);
}

void RunRecorder::point(int number, const store::MetricPoint& point)
{
    m_queued.emplace_back(Point{number, point});
}

void RunRecorder::restarted(int number)
{
    m_queued.emplace_back(Restart{number});
}

void RunRecorder::ended(const tuning::TuningLoop::Outcome& outcome, const TrialEvent& event)
{
    Trial& ended = trial(event.number);
    ended.state = outcome.state;
    ended.finishedAt = store::ProjectStore::nowUtc();
    ended.error = outcome.violation.empty() ? outcome.reason : "infeasible: " + outcome.violation;
    ended.stoppedAtStep = outcome.stoppedAtStep;
    if (hasResult(outcome.state)) {
        ended.objective = event.result.objective;
        ended.metrics = metricSummaries(event.result);
        ended.fitSeconds = event.result.fitSeconds;
    }
    // A command's output says what it did, or why it failed; a cancelled one's is not kept.
    const bool keep = hasResult(outcome.state) || outcome.state == TrialState::Failed;
    m_queued.emplace_back(Ended{event.number, keep ? event.result.output : std::string()});
}

void RunRecorder::ended(Trial trial, const std::string& output)
{
    const int number = trial.number;
    if (trial.finishedAt.empty())
        trial.finishedAt = store::ProjectStore::nowUtc();
    trial.id = this->trial(number).id;
    this->trial(number) = std::move(trial);
    m_queued.emplace_back(Ended{number, output});
}

void RunRecorder::keepOutput(const Trial& trial, const std::string& output)
{
    if (output.empty())
        return;
    // Beside the project as NAME.artifacts/EXPERIMENT/trial-N.log.
    const std::filesystem::path folder = std::filesystem::path(m_store.artifactsDirectory()) / m_spec.name;
    std::filesystem::create_directories(folder);
    const std::string file = "trial-" + std::to_string(trial.number) + ".log";
    std::ofstream(folder / file, std::ios::binary | std::ios::trunc) << output;
    m_store.addArtifact({0,
                         m_experimentId,
                         trial.id,
                         "output",
                         m_spec.name + "/" + file,
                         {},
                         static_cast<std::int64_t>(output.size()),
                         store::ProjectStore::nowUtc()});
}

std::string RunRecorder::keepModel(int number, const algorithms::ModelFile& model)
{
    const std::filesystem::path folder = std::filesystem::path(m_store.artifactsDirectory()) / m_spec.name;
    std::filesystem::create_directories(folder);
    const std::filesystem::path path = folder / "model.tbmodel";
    algorithms::saveModelFile(model, path.string());
    m_store.addArtifact({0,
                         m_experimentId,
                         trial(number).id,
                         "model",
                         m_spec.name + "/model.tbmodel",
                         {},
                         static_cast<std::int64_t>(std::filesystem::file_size(path)),
                         store::ProjectStore::nowUtc()});
    return std::filesystem::absolute(path).string();
}

TuningUpdate RunRecorder::commit()
{
    TuningUpdate update;
    update.experimentId = m_experimentId;
    if (m_queued.empty())
        return update;
    const std::vector<Change> queued = std::exchange(m_queued, {});
    m_store.transaction([&] {
        std::map<int, std::vector<store::MetricPoint>> points; // written last, one statement each
        for (const Change& change : queued) {
            if (const auto* point = std::get_if<Point>(&change)) {
                points[point->number].push_back(point->point);
                update.points.emplace_back(point->number, point->point);
            } else if (const auto* restart = std::get_if<Restart>(&change)) {
                points.erase(restart->number);
                std::erase_if(update.points, [&](const auto& p) { return p.first == restart->number; });
                m_store.clearMetricPoints(trial(restart->number).id);
                update.restarted.push_back(restart->number);
            } else {
                const int number
                    = std::holds_alternative<int>(change) ? std::get<int>(change) : std::get<Ended>(change).number;
                Trial& recorded = trial(number);
                const store::TrialRecord record = toRecord(recorded, m_experimentId);
                if (recorded.id != 0)
                    m_store.updateTrial(record);
                else
                    recorded.id = m_store.addTrial(record);
                if (const auto* ended = std::get_if<Ended>(&change))
                    keepOutput(recorded, ended->output);
                update.trials.push_back(recorded);
            }
        }
        for (const auto& [number, list] : points)
            m_store.addMetricPoints(trial(number).id, list);
    });
    return update;
}

void RunRecorder::complete(const std::string& stoppedBecause)
{
    const bool interrupted = stoppedBecause == "cancelled" || stoppedBecause == "stopped_by_user";
    m_store.transaction([&] {
        m_store.setExperimentStatus(m_experimentId, interrupted ? ExperimentState::Stopped : ExperimentState::Finished,
                                    stoppedBecause);
        logEvent("completed", stoppedBecause);
        if (m_lease)
            m_lease->release();
    });
}

void RunRecorder::keepAlive()
{
    if (m_lease)
        m_lease->renew();
}

std::vector<store::RunRequest> RunRecorder::takeRequests()
{
    const auto now = std::chrono::steady_clock::now();
    if (!m_lease || now - m_lastRequestLook < kRequestLook)
        return {};
    m_lastRequestLook = now;
    std::vector<store::RunRequest> requests = m_store.runRequests(m_experimentId);
    if (!requests.empty()) {
        m_store.transaction([&] { // taken and logged at once
            m_store.removeRunRequests(m_experimentId, requests.back().id);
            for (const store::RunRequest& request : requests)
                logEvent("request",
                         request.kind
                             + (request.trialNumber ? " trial " + std::to_string(*request.trialNumber) : std::string())
                             + " from " + request.requestedBy);
        });
    }
    return requests;
}

WarmStart warmStartTrials(const store::ProjectStore& store, const tuning::ExperimentSpec& spec,
                          const std::optional<std::string>& dataSha256)
{
    WarmStart warm;
    const bool transfer = spec.warmStartType == tuning::ExperimentSpec::WarmStartType::TransferLearning;
    for (const std::string& name : spec.warmStart) {
        const auto earlier = store.experimentByName(name);
        if (!earlier)
            throw std::invalid_argument("warm_start: there is no experiment named '" + name + "'");
        tuning::ExperimentSpec earlierSpec;
        try {
            earlierSpec = tuning::parseSpec(QByteArray::fromStdString(earlier->specJson), name, "/");
        } catch (const std::exception& error) {
            throw std::invalid_argument("warm_start: the stored spec of '" + name
                                        + "' cannot be read: " + error.what());
        }
        const std::vector<Difference> found
            = differences(earlierSpec, recordedSha256(store, earlier->datasetId), spec, dataSha256);
        const bool incompatible
            = std::any_of(found.begin(), found.end(), [](const Difference& d) { return d.dataOrObjective; });
        if (incompatible && !transfer)
            throw std::invalid_argument("warm_start: '" + name + "' differs from this experiment (" + describe(found)
                                        + "); to learn from it anyway, give \"warm_start\": {\"experiments\": [...], "
                                          "\"type\": \"transfer_learning\"}");
        if (!found.empty())
            warm.notes.push_back("warm start from '" + name + "'" + (transfer ? " (transfer learning)" : "") + ": "
                                 + describe(found));
        for (const store::TrialRecord& trial : store.trials(earlier->id)) {
            if (trial.status != TrialState::Finished || !trial.objective)
                continue;
            if (std::none_of(spec.algorithms.begin(), spec.algorithms.end(),
                             [&](const auto& a) { return a.algorithm == trial.algorithm; }))
                continue;
            warm.trials.emplace_back(spec.recordedConfig(trial.algorithm, trial.paramsJson),
                                     measurementOf(spec, trialFromRecord(trial)));
        }
    }
    return warm;
}

} // namespace tunebench::jobs

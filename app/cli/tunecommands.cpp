// tune, resume and runs: tuning experiments from the command line.

#include <algorithm>
#include <atomic>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <mutex>
#include <thread>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QSysInfo>
#include <QThread>

#include "algorithms/paramsjson.h"
#include "cli_p.h"
#include "data/reader.h"
#include "jobs/analysis.h"
#include "jobs/benchmark.h"
#include "jobs/ownership.h"
#include "jobs/rerun.h"
#include "jobs/tuner.h"
#include "jobs/workerprotocol.h"
#include "report/pdfrenderer.h"
#include "report/report.h"
#include "store/datasetregistry.h"
#include "store/projectstore.h"
#include "store/trust.h"

#include <unistd.h>

namespace tunebench::cli {

namespace {

std::atomic<jobs::Tuner*> g_activeTuner{nullptr};
std::atomic<int> g_interrupts{0};

/// Ctrl-C once: finish the trials in flight and start no more; twice: stop them now.
extern "C" void onInterrupt(int)
{
    jobs::Tuner* tuner = g_activeTuner.load();
    if (!tuner)
        return;
    if (g_interrupts.fetch_add(1) == 0)
        tuner->stop();
    else
        tuner->cancel();
}

QString formatObjective(std::optional<double> value)
{
    return value ? QString::number(*value, 'g', 6) : QStringLiteral("-");
}

/// Progress on stderr: a live line on a terminal, one line per finished trial otherwise.
jobs::Tuner::ProgressCallback progressPrinter()
{
    const bool terminal = isatty(fileno(stderr)) != 0;
    auto lastMessage = std::make_shared<std::string>();
    return [terminal, lastMessage](const jobs::TuningProgress& p) {
        const QString total = p.maxTrials ? QString::number(*p.maxTrials) : QStringLiteral("?");
        const QString paused = p.paused > 0 ? QStringLiteral("%1 paused, ").arg(p.paused) : QString();
        const QString best = p.frontSize
            ? QStringLiteral("front %1 trials").arg(*p.frontSize)
            : QStringLiteral("best %1 (trial %2)").arg(formatObjective(p.bestObjective)).arg(p.bestTrial);
        const QString status = QStringLiteral("[%1/%2] %3 finished, %4%5 failed, %6 stopped, %7 running | %8 | %9 s")
                                   .arg(p.created)
                                   .arg(total)
                                   .arg(p.finished)
                                   .arg(paused)
                                   .arg(p.failed)
                                   .arg(p.stopped)
                                   .arg(p.running)
                                   .arg(best)
                                   .arg(p.elapsedSeconds, 0, 'f', 1);
        if (terminal) {
            if (p.lastMessage.rfind("warning: ", 0) == 0 && p.lastMessage != *lastMessage) {
                *lastMessage = p.lastMessage;
                err() << "\r" << qs(p.lastMessage) << "\x1b[K" << Qt::endl;
            }
            const int width = 30;
            const int filled = p.maxTrials && *p.maxTrials > 0
                ? std::min(width, (p.finished + p.failed + p.stopped + p.paused) * width / *p.maxTrials)
                : 0;
            err() << "\r" << QString(filled, QLatin1Char('#')) << QString(width - filled, QLatin1Char('.')) << " "
                  << status << "\x1b[K";
            err().flush();
            return;
        }
        if (p.lastMessage != *lastMessage) {
            *lastMessage = p.lastMessage;
            err() << qs(p.lastMessage) << " | " << status << Qt::endl;
        }
    };
}

QJsonArray numbersJson(const std::vector<int>& numbers)
{
    QJsonArray array;
    for (int number : numbers)
        array.append(number);
    return array;
}

QJsonObject summaryJson(const jobs::TuningSummary& summary, const QString& project)
{
    QJsonObject best;
    if (summary.bestTrial) {
        best.insert(QStringLiteral("trial"), *summary.bestTrial);
        best.insert(QStringLiteral("algorithm"), qs(summary.bestAlgorithm));
        best.insert(QStringLiteral("params"), algorithms::toJson(summary.bestParams));
        best.insert(QStringLiteral("objective"), *summary.bestObjective);
    }
    QJsonObject json{{QStringLiteral("experiment"), qs(summary.experiment)},
                     {QStringLiteral("project"), project},
                     {QStringLiteral("best"), summary.bestTrial ? QJsonValue(best) : QJsonValue()},
                     {QStringLiteral("trials"), summary.trials},
                     {QStringLiteral("stopped_because"), qs(summary.stoppedBecause)}};
    if (!summary.modelPath.empty()) // a training job's model
        json.insert(QStringLiteral("model"), qs(summary.modelPath));
    if (summary.budgetUsed) // asha, bohb
        json.insert(QStringLiteral("budget_used"), static_cast<qint64>(*summary.budgetUsed));
    if (!summary.pareto.empty()) // several objectives
        json.insert(QStringLiteral("pareto"), numbersJson(summary.pareto));
    return json;
}

int runTuner(const tuning::ExperimentSpec& spec, store::ProjectStore& project, bool resume, bool json,
             std::optional<std::int64_t> datasetId, std::shared_ptr<const jobs::TrialRunner> runner)
{
    jobs::Tuner tuner(spec, project, std::move(runner), datasetId);
    tuner.setProgressCallback(progressPrinter());
    g_interrupts = 0;
    g_activeTuner = &tuner;
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
    jobs::TuningSummary summary;
    try {
        summary = tuner.run(resume);
    } catch (...) {
        g_activeTuner = nullptr;
        throw;
    }
    g_activeTuner = nullptr;
    if (isatty(fileno(stderr)))
        err() << Qt::endl;
    const QString projectPath = qs(project.path());
    if (json) {
        printJson(summaryJson(summary, projectPath));
        return 0;
    }
    out() << "experiment " << qs(summary.experiment) << " in " << projectPath << ": " << summary.trials
          << " trials, stopped because " << qs(summary.stoppedBecause) << Qt::endl;
    if (summary.bestTrial) {
        out() << "best: trial " << *summary.bestTrial << " (" << qs(summary.bestAlgorithm) << "), " << qs(spec.metric)
              << " = " << formatObjective(summary.bestObjective) << Qt::endl;
        for (const auto& [name, value] : summary.bestParams)
            out() << "  " << qs(name) << " = " << qs(algorithms::formatValue(value)) << Qt::endl;
    } else if (!summary.pareto.empty()) {
        QStringList numbers;
        for (int number : summary.pareto)
            numbers << QString::number(number);
        out() << "Pareto front (" << summary.pareto.size() << " trials): " << numbers.join(QStringLiteral(", "))
              << Qt::endl;
    } else
        out() << "no trial finished" << Qt::endl;
    if (!summary.modelPath.empty())
        out() << "model (trained on every row): " << qs(summary.modelPath) << Qt::endl;
    if (summary.budgetUsed)
        out() << "budget used: " << *summary.budgetUsed << " " << qs(spec.resource) << " in all" << Qt::endl;
    return 0;
}

std::unique_ptr<store::ProjectStore> openProject(const QString& path, store::ProjectStore::Mode mode)
{
    return store::ProjectStore::open(path.toStdString(), mode);
}

/// A running experiment's owner ("owner": "tunebench-cli, pid 4242 on host X, since 10:41"), or "interrupted":
/// true when its owner is gone.
void addOwnership(QJsonObject& entry, const store::ProjectStore& project, const store::ExperimentRecord& experiment)
{
    if (experiment.status != ExperimentState::Running)
        return;
    if (const auto owner = jobs::liveOwner(project, experiment.id))
        entry.insert(QStringLiteral("owner"), qs(jobs::describe(*owner)));
    else
        entry.insert(QStringLiteral("interrupted"), true);
}

QString ownershipText(const QJsonObject& entry)
{
    if (entry.contains(QStringLiteral("owner")))
        return QStringLiteral("in ") + entry.value(QStringLiteral("owner")).toString();
    return entry.value(QStringLiteral("interrupted")).toBool() ? QStringLiteral("interrupted: resume it") : QString();
}

} // namespace

QJsonObject runExampleExperiment(const std::string& specPath, store::ProjectStore& project)
{
    const tuning::ExperimentSpec spec = tuning::parseSpecFile(specPath);
    if (const auto existing = project.experimentByName(spec.name)) {
        QJsonObject skipped{{QStringLiteral("experiment"), qs(spec.name)},
                            {QStringLiteral("project"), qs(project.path())},
                            {QStringLiteral("skipped"), true},
                            {QStringLiteral("status"), qs(existing->status)}};
        return skipped;
    }
    jobs::PreparedRun prepared = jobs::prepareRun(spec, project);
    jobs::Tuner tuner(spec, project, std::move(prepared.runner), prepared.datasetId);
    tuner.setProgressCallback(progressPrinter());
    QJsonObject result = summaryJson(tuner.run(), qs(project.path()));
    if (isatty(fileno(stderr)))
        err() << Qt::endl;
    result.insert(QStringLiteral("metric"), qs(spec.metric));
    return result;
}

int tuneCommand(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("SPEC"),
                                 QStringLiteral("The experiment spec: native JSON or a SageMaker tuning job config."));
    parser.addOption({QStringLiteral("project"),
                      QStringLiteral("The project to record the experiment in (default: NAME.tbproj here)."),
                      QStringLiteral("P")});
    parser.addOption({QStringLiteral("name"), QStringLiteral("Name the experiment (default: the spec's name)."),
                      QStringLiteral("NAME")});
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print the result as JSON on stdout.")});
    int code = 0;
    if (!parseCommand(parser, arguments,
                      QStringLiteral("Runs a tuning experiment: trials in parallel, each recorded in the project as it "
                                     "finishes; progress on stderr; the best trial, the trial count and why it "
                                     "stopped on stdout. Ctrl-C finishes the trials in flight; twice stops them."),
                      code))
        return code;
    if (parser.positionalArguments().size() != 1)
        return fail(QStringLiteral("tune needs one SPEC file (see tunebench-cli tune --help)"), kUsage);
    tuning::ExperimentSpec spec;
    try {
        spec = tuning::parseSpecFile(parser.positionalArguments().constFirst().toStdString());
    } catch (const tuning::SpecError& error) {
        return fail(qs(error.what()), kUsage);
    }
    if (parser.isSet(QStringLiteral("name"))) {
        spec.name = parser.value(QStringLiteral("name")).toStdString();
        spec.json.insert(QStringLiteral("name"), qs(spec.name));
    }
    const QString projectPath = parser.isSet(QStringLiteral("project"))
        ? parser.value(QStringLiteral("project"))
        : QDir::current().absoluteFilePath(qs(spec.name) + QStringLiteral(".tbproj"));
    try {
        const auto project = openProject(projectPath, store::ProjectStore::Mode::ReadWrite);
        if (const auto existing = project->experimentByName(spec.name)) {
            if (const auto owner = jobs::liveOwner(*project, existing->id))
                return fail(QStringLiteral("%1: the experiment '%2' is running in %3; pass --name to start another")
                                .arg(projectPath, qs(spec.name), qs(jobs::describe(*owner))));
            return fail(QStringLiteral("%1 already has an experiment named '%2': resume it with tunebench-cli resume "
                                       "%2 --project %1, or pass --name")
                            .arg(projectPath, qs(spec.name)));
        }
        jobs::PreparedRun prepared = jobs::prepareRun(spec, *project);
        return runTuner(spec, *project, false, parser.isSet(QStringLiteral("json")), prepared.datasetId,
                        std::move(prepared.runner));
    } catch (const std::exception& error) {
        return fail(qs(error.what()));
    }
}

int resumeCommand(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("NAME"), QStringLiteral("The experiment to continue."));
    parser.addOption({QStringLiteral("project"), QStringLiteral("The project file."), QStringLiteral("P")});
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print the result as JSON on stdout.")});
    parser.addOption({QStringLiteral("trust"),
                      QStringLiteral("Trust the project to run the external command its experiment holds (asked once "
                                     "per project; projects made on this account are trusted).")});
    int code = 0;
    if (!parseCommand(parser, arguments,
                      QStringLiteral("Continues an interrupted experiment: finished trials are kept, trials that were "
                                     "running run again with the same parameters, and the strategy goes on from the "
                                     "whole history until the spec's limits."),
                      code))
        return code;
    if (parser.positionalArguments().size() != 1 || !parser.isSet(QStringLiteral("project")))
        return fail(QStringLiteral("resume needs NAME and --project P"), kUsage);
    const QString name = parser.positionalArguments().constFirst();
    try {
        const auto project = openProject(parser.value(QStringLiteral("project")), store::ProjectStore::Mode::ReadWrite);
        const auto [experiment, spec] = jobs::loadExperiment(*project, name.toStdString());
        const std::string path = parser.value(QStringLiteral("project")).toStdString();
        if (spec.command && !store::isTrusted(path)) {
            if (!parser.isSet(QStringLiteral("trust"))) {
                QStringList argv;
                for (const std::string& argument : spec.command->argv)
                    argv.append(qs(argument));
                return fail(QStringLiteral("%1 was not made on this account and its experiment '%2' runs an external "
                                           "command: %3\nRun only commands from projects you trust; to trust this "
                                           "one, pass --trust")
                                .arg(parser.value(QStringLiteral("project")), name, argv.join(QLatin1Char(' '))));
            }
            store::setTrusted(path, true);
        }
        return runTuner(spec, *project, true, parser.isSet(QStringLiteral("json")), experiment.datasetId,
                        jobs::makeTrialRunner(spec, jobs::RunStart::Resume));
    } catch (const std::exception& error) {
        return fail(qs(error.what()));
    }
}

namespace {

std::atomic<std::atomic<bool>*> g_trialCancel{nullptr};

extern "C" void onTrialSignal(int)
{
    if (std::atomic<bool>* flag = g_trialCancel.load())
        flag->store(true);
}

} // namespace

int runTrialCommand(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("SPEC"), QStringLiteral("The experiment spec the trial belongs to."));
    parser.addOption({QStringLiteral("trial"), QStringLiteral("The trial's number."), QStringLiteral("N")});
    parser.addOption({QStringLiteral("params"),
                      QStringLiteral("A JSON file: {\"algorithm\": ID, \"params\": {...}} (for a single algorithm, "
                                     "the params object alone will do)."),
                      QStringLiteral("FILE")});
    parser.addOption(
        {QStringLiteral("out"), QStringLiteral("Append the events here (default: stdout)."), QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("threads"), QStringLiteral("Threads for the trial (default 1)."),
                      QStringLiteral("T"), QStringLiteral("1")});
    parser.addOption({QStringLiteral("checkpoint-dir"),
                      QStringLiteral("The trial's own folder for a command's {checkpoint_dir} (created; kept)."),
                      QStringLiteral("DIR")});
    int code = 0;
    if (!parseCommand(
            parser, arguments,
            QStringLiteral("Runs one trial of an experiment, with no project file, and writes its metric points "
                           "and result as JSON lines (docs/cli.md). SIGTERM cancels it. This is what a "
                           "cluster node runs for the Slurm executor."),
            code))
        return code;
    if (parser.positionalArguments().size() != 1 || !parser.isSet(QStringLiteral("params")))
        return fail(QStringLiteral("run-trial needs SPEC and --params FILE"), kUsage);
    tuning::ExperimentSpec spec;
    tuning::TrialConfig config;
    try {
        spec = tuning::parseSpecFile(parser.positionalArguments().constFirst().toStdString());
        spec.slurm.reset(); // the trial runs here
        QFile paramsFile(parser.value(QStringLiteral("params")));
        if (!paramsFile.open(QIODevice::ReadOnly))
            return fail(QStringLiteral("cannot read %1: %2").arg(paramsFile.fileName(), paramsFile.errorString()));
        const QJsonObject params = QJsonDocument::fromJson(paramsFile.readAll()).object();
        const bool wrapped = params.contains(QStringLiteral("params"));
        const std::string algorithm
            = params.value(QStringLiteral("algorithm"))
                  .toString(qs(spec.algorithms.size() == 1 ? spec.algorithms.front().algorithm : std::string()))
                  .toStdString();
        const QJsonObject values = wrapped ? params.value(QStringLiteral("params")).toObject() : params;
        config = spec.recordedConfig(algorithm, QJsonDocument(values).toJson(QJsonDocument::Compact).toStdString());
    } catch (const std::exception& error) {
        return fail(qs(error.what()), kUsage);
    }

    QFile out;
    const bool toFile = parser.isSet(QStringLiteral("out"));
    if (toFile) {
        out.setFileName(parser.value(QStringLiteral("out")));
        if (!out.open(QIODevice::WriteOnly | QIODevice::Append))
            return fail(QStringLiteral("cannot write %1: %2").arg(out.fileName(), out.errorString()));
    } else if (!out.open(stdout, QIODevice::WriteOnly)) {
        return fail(QStringLiteral("cannot write to stdout"));
    }
    std::mutex writing;
    auto write = [&](const jobs::worker::Event& event) {
        const std::string line = jobs::worker::toLine(event) + "\n";
        const std::lock_guard lock(writing);
        out.write(line.data(), static_cast<qint64>(line.size()));
        out.flush();
    };

    util::CancelToken cancel;
    std::atomic<bool> signalled{false};
    g_trialCancel = &signalled;
    std::signal(SIGTERM, onTrialSignal);
    std::signal(SIGINT, onTrialSignal);
    std::atomic<bool> done{false};
    // The signal handler only sets a flag; this thread turns it into the token's cancellation.
    std::thread watcher([&] {
        while (!done.load()) {
            if (signalled.load())
                cancel.cancel();
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    });
    struct Finish
    {
        std::atomic<bool>& done;
        std::thread& watcher;
        ~Finish()
        {
            done = true;
            watcher.join();
            g_trialCancel = nullptr;
        }
    } finish{done, watcher};

    const int number = parser.value(QStringLiteral("trial")).toInt();
    write(jobs::worker::Started{number, QSysInfo::machineHostName().toStdString()});
    algorithms::TrainingContext context(
        cancel,
        [&](int step, const std::string& metric, double value) {
            write(jobs::worker::Point{step, metric, value});
        },
        std::max(1, parser.value(QStringLiteral("threads")).toInt()));
    if (parser.isSet(QStringLiteral("checkpoint-dir"))) { // shared by the trial's attempts on the cluster
        const QString folder = parser.value(QStringLiteral("checkpoint-dir"));
        if (!QDir().mkpath(folder))
            return fail(QStringLiteral("cannot make %1").arg(folder));
        context.setCheckpointDirectory(QDir(folder).absolutePath().toStdString());
    }
    try {
        const auto runner = jobs::makeTrialRunner(spec);
        write(jobs::worker::Finished{runner->run(config, number, context)});
        return 0;
    } catch (const util::Cancelled&) {
        write(jobs::worker::Cancelled{});
        return 128 + SIGTERM;
    } catch (const jobs::TrialFailed& error) {
        write(jobs::worker::Failed{error.what(), error.output()});
        return 1;
    } catch (const std::exception& error) {
        write(jobs::worker::Failed{error.what(), {}});
        return 1;
    }
}

int stopCommand(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("NAME"), QStringLiteral("The running experiment."));
    parser.addOption({QStringLiteral("project"), QStringLiteral("The project file."), QStringLiteral("P")});
    parser.addOption(
        {QStringLiteral("cancel"), QStringLiteral("Stop the trials in flight too (recorded as stopped).")});
    int code = 0;
    if (!parseCommand(parser, arguments,
                      QStringLiteral("Asks the process running an experiment (a tune or resume here or elsewhere, or a "
                                     "workbench window) to finish its trials in flight and start no more; with "
                                     "--cancel, to stop them now. The owner obeys within a second; the experiment can "
                                     "be resumed later."),
                      code))
        return code;
    if (parser.positionalArguments().size() != 1 || !parser.isSet(QStringLiteral("project")))
        return fail(QStringLiteral("stop needs NAME and --project P"), kUsage);
    const QString name = parser.positionalArguments().constFirst();
    try {
        const auto project = openProject(parser.value(QStringLiteral("project")), store::ProjectStore::Mode::ReadWrite);
        const store::ExperimentRecord experiment = jobs::requireExperiment(*project, name.toStdString());
        const auto owner = jobs::liveOwner(*project, experiment.id);
        if (!owner)
            return fail(QStringLiteral("the experiment '%1' is not running (%2)")
                            .arg(name,
                                 jobs::isInterrupted(*project, experiment) ? QStringLiteral("interrupted")
                                                                           : qs(experiment.status)));
        const bool cancel = parser.isSet(QStringLiteral("cancel"));
        jobs::askOwner(*project, experiment.id, cancel ? jobs::RunRequestKind::Cancel : jobs::RunRequestKind::Stop);
        out() << "asked " << qs(jobs::describe(*owner)) << (cancel ? " to cancel '" : " to stop '") << name << "'"
              << Qt::endl;
        return 0;
    } catch (const std::exception& error) {
        return fail(qs(error.what()));
    }
}

/// A finished trial's objectives ("objectives": values in the spec's order) and whether it meets the constraints.
void addMeasurement(QJsonObject& row, const tuning::ExperimentSpec& spec, const jobs::Trial& trial)
{
    const auto [view, measured] = jobs::measuredTrial(spec, trial);
    QJsonArray objectives;
    for (double value : measured.objectives)
        objectives.append(std::isnan(value) ? QJsonValue() : QJsonValue(value));
    row.insert(QStringLiteral("objectives"), objectives);
    if (!spec.constraints.empty())
        row.insert(QStringLiteral("feasible"), view.feasible());
}

int runsCommand(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("NAME"), QStringLiteral("An experiment (default: list them all)."),
                                 QStringLiteral("[NAME]"));
    parser.addOption({QStringLiteral("project"), QStringLiteral("The project file."), QStringLiteral("P")});
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print JSON on stdout.")});
    parser.addOption({QStringLiteral("csv"), QStringLiteral("Print CSV on stdout, one row per trial.")});
    int code = 0;
    if (!parseCommand(parser, arguments,
                      QStringLiteral("Lists the experiments of a project, or the trials of one: number, status "
                                     "(queued, running, finished, failed, stopped), parameters, objective, times."),
                      code))
        return code;
    if (!parser.isSet(QStringLiteral("project")))
        return fail(QStringLiteral("runs needs --project P"), kUsage);
    try {
        const auto project = openProject(parser.value(QStringLiteral("project")), store::ProjectStore::Mode::ReadOnly);
        if (parser.positionalArguments().isEmpty()) {
            QJsonArray list;
            for (const store::ExperimentRecord& experiment : project->experiments()) {
                const std::vector<store::TrialRecord> trials = project->trials(experiment.id);
                QJsonObject entry{{QStringLiteral("name"), qs(experiment.name)},
                                  {QStringLiteral("status"), qs(experiment.status)},
                                  {QStringLiteral("stopped_because"), qs(experiment.stoppedBecause)},
                                  {QStringLiteral("trials"), static_cast<int>(trials.size())},
                                  {QStringLiteral("created"), qs(experiment.createdAt)}};
                addOwnership(entry, *project, experiment);
                list.append(entry);
            }
            if (parser.isSet(QStringLiteral("json")))
                printJson({{QStringLiteral("experiments"), list}});
            else {
                for (const QJsonValue& value : list) {
                    const QJsonObject e = value.toObject();
                    out() << e.value(QStringLiteral("name")).toString() << "  "
                          << e.value(QStringLiteral("status")).toString() << "  "
                          << e.value(QStringLiteral("trials")).toInt() << " trials  "
                          << e.value(QStringLiteral("stopped_because")).toString() << ownershipText(e) << Qt::endl;
                }
            }
            return 0;
        }
        const QString name = parser.positionalArguments().constFirst();
        const store::ExperimentRecord experiment = jobs::requireExperiment(*project, name.toStdString());
        std::optional<tuning::ExperimentSpec> stored; // objectives and constraints, when the stored spec still reads
        try {
            stored = jobs::loadExperiment(*project, name.toStdString()).spec;
        } catch (const std::exception&) { }
        const tuning::ExperimentSpec spec = stored.value_or(tuning::ExperimentSpec{});
        const std::vector<store::TrialRecord> records = project->trials(experiment.id);
        QJsonArray trials;
        QStringList paramNames;
        for (const store::TrialRecord& trial : records) {
            const QJsonObject params = QJsonDocument::fromJson(QByteArray::fromStdString(trial.paramsJson)).object();
            for (const QString& key : params.keys()) {
                if (!paramNames.contains(key))
                    paramNames << key;
            }
            QJsonObject row{
                {QStringLiteral("id"), trial.number},
                {QStringLiteral("status"), qs(trial.status)},
                {QStringLiteral("algorithm"), qs(trial.algorithm)},
                {QStringLiteral("params"), params},
                {QStringLiteral("objective"), trial.objective ? QJsonValue(*trial.objective) : QJsonValue()},
                {QStringLiteral("started"), qs(trial.startedAt)},
                {QStringLiteral("finished"), qs(trial.finishedAt)}};
            if (!trial.error.empty())
                row.insert(QStringLiteral("error"), qs(trial.error));
            if (trial.stoppedAtStep)
                row.insert(QStringLiteral("stopped_at_step"), *trial.stoppedAtStep);
            if ((spec.isMultiObjective() || !spec.constraints.empty()) && hasResult(trial.status) && trial.objective)
                addMeasurement(row, spec, jobs::trialFromRecord(trial));
            trials.append(row);
        }
        if (parser.isSet(QStringLiteral("json"))) {
            QJsonObject result{{QStringLiteral("experiment"), name},
                               {QStringLiteral("status"), qs(experiment.status)},
                               {QStringLiteral("stopped_because"), qs(experiment.stoppedBecause)},
                               {QStringLiteral("trials"), trials}};
            if (spec.isMultiObjective())
                result.insert(QStringLiteral("pareto"), numbersJson(jobs::paretoTrials(records, spec)));
            addOwnership(result, *project, experiment);
            printJson(result);
            return 0;
        }
        const bool csv = parser.isSet(QStringLiteral("csv"));
        const QString separator = csv ? QStringLiteral(",") : QStringLiteral("  ");
        auto field = [csv](QString text) -> QString {
            if (csv && (text.contains(QLatin1Char(',')) || text.contains(QLatin1Char('"'))))
                return QLatin1Char('"') + text.replace(QLatin1String("\""), QLatin1String("\"\"")) + QLatin1Char('"');
            return text;
        };
        QStringList header{QStringLiteral("trial"), QStringLiteral("status"), QStringLiteral("algorithm"),
                           QStringLiteral("objective")};
        header << paramNames << QStringLiteral("started") << QStringLiteral("finished");
        out() << header.join(separator) << Qt::endl;
        for (const QJsonValue& value : trials) {
            const QJsonObject row = value.toObject();
            const QJsonObject params = row.value(QStringLiteral("params")).toObject();
            QStringList fields{QString::number(row.value(QStringLiteral("id")).toInt()),
                               row.value(QStringLiteral("status")).toString(),
                               row.value(QStringLiteral("algorithm")).toString(),
                               row.value(QStringLiteral("objective")).isNull()
                                   ? QString()
                                   : QString::number(row.value(QStringLiteral("objective")).toDouble(), 'g', 10)};
            for (const QString& param : paramNames) {
                const QJsonValue v = params.value(param);
                fields << field(v.isDouble()     ? QString::number(v.toDouble(), 'g', 10)
                                    : v.isBool() ? (v.toBool() ? QStringLiteral("true") : QStringLiteral("false"))
                                                 : v.toString());
            }
            fields << row.value(QStringLiteral("started")).toString()
                   << row.value(QStringLiteral("finished")).toString();
            out() << fields.join(separator) << Qt::endl;
        }
        return 0;
    } catch (const std::exception& error) {
        return fail(qs(error.what()));
    }
}

int importanceCommand(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("NAME"), QStringLiteral("The experiment."));
    parser.addOption({QStringLiteral("project"), QStringLiteral("The project file."), QStringLiteral("P")});
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print JSON on stdout.")});
    parser.addOption({QStringLiteral("objective"),
                      QStringLiteral("With several objectives, the one to explain (default: the first)."),
                      QStringLiteral("METRIC")});
    int code = 0;
    if (!parseCommand(parser, arguments,
                      QStringLiteral("How much each hyperparameter explains of the objective's variation over the "
                                     "experiment's finished trials: functional ANOVA on a random-forest surrogate."),
                      code))
        return code;
    if (parser.positionalArguments().size() != 1 || !parser.isSet(QStringLiteral("project")))
        return fail(QStringLiteral("importance needs NAME and --project P"), kUsage);
    const QString name = parser.positionalArguments().constFirst();
    try {
        const auto project = openProject(parser.value(QStringLiteral("project")), store::ProjectStore::Mode::ReadOnly);
        const auto [experiment, spec] = jobs::loadExperiment(*project, name.toStdString());
        const std::vector<store::TrialRecord> trials = project->trials(experiment.id);
        std::size_t objective = 0;
        if (parser.isSet(QStringLiteral("objective"))) {
            const std::string metric = parser.value(QStringLiteral("objective")).toStdString();
            const auto found = std::find_if(spec.objectives.begin(), spec.objectives.end(),
                                            [&](const tuning::Objective& o) { return o.metric == metric; });
            if (found == spec.objectives.end())
                return fail(QStringLiteral("'%1' is not an objective of '%2'").arg(qs(metric), name), kUsage);
            objective = static_cast<std::size_t>(found - spec.objectives.begin());
        }
        const std::vector<jobs::ParameterImportance> importance
            = jobs::parameterImportance(spec, trials, std::max(1, QThread::idealThreadCount()), objective);
        if (importance.empty())
            return fail(QStringLiteral("'%1' needs at least two finished trials for an importance").arg(name));
        if (parser.isSet(QStringLiteral("json"))) {
            QJsonArray list;
            for (const jobs::ParameterImportance& p : importance)
                list.append(QJsonObject{{QStringLiteral("name"), qs(p.name)},
                                        {QStringLiteral("importance"), p.importance},
                                        {QStringLiteral("main_effect"), p.mainEffect}});
            printJson({{QStringLiteral("experiment"), name},
                       {QStringLiteral("objective"),
                        qs(spec.objectives.empty() ? spec.metric : spec.objectives[objective].metric)},
                       {QStringLiteral("importance"), list}});
            return 0;
        }
        int width = 0;
        for (const jobs::ParameterImportance& p : importance)
            width = std::max(width, static_cast<int>(p.name.size()));
        for (const jobs::ParameterImportance& p : importance) {
            out() << qs(p.name).leftJustified(width + 2)
                  << QString::number(100.0 * p.importance, 'f', 1).rightJustified(5) << "%  "
                  << QString(static_cast<int>(std::lround(40.0 * p.importance)), QLatin1Char('#')) << Qt::endl;
        }
        return 0;
    } catch (const std::exception& error) {
        return fail(qs(error.what()));
    }
}

int benchmarkCommand(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("SPEC"), QStringLiteral("The benchmark spec (JSON)."));
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print JSON on stdout.")});
    parser.addOption({QStringLiteral("project"),
                      QStringLiteral("Keep the results in this project: an experiment per dataset and algorithm, "
                                     "its one trial with the metric on each fold."),
                      QStringLiteral("P")});
    int code = 0;
    if (!parseCommand(parser, arguments,
                      QStringLiteral("Evaluates several algorithms on several datasets under the same validation: "
                                     "mean and standard deviation per cell, wins/ties/losses against the baseline "
                                     "by the corrected resampled t-test, and the Friedman test with the Nemenyi "
                                     "critical difference of average ranks."),
                      code))
        return code;
    if (parser.positionalArguments().size() != 1)
        return fail(QStringLiteral("benchmark needs SPEC"), kUsage);
    try {
        const jobs::BenchmarkSpec spec
            = jobs::parseBenchmarkSpecFile(parser.positionalArguments().constFirst().toStdString());
        const bool json = parser.isSet(QStringLiteral("json"));
        const jobs::BenchmarkResult result
            = jobs::runBenchmark(spec, {}, [json](int done, int total, const std::string& what) {
                  if (!json && !what.empty())
                      err() << QStringLiteral("[%1/%2] %3").arg(done + 1).arg(total).arg(qs(what)) << Qt::endl;
              });
        QJsonArray recorded;
        if (parser.isSet(QStringLiteral("project"))) {
            const auto project = store::ProjectStore::open(parser.value(QStringLiteral("project")).toStdString());
            for (const std::string& name : jobs::recordBenchmark(*project, spec, result))
                recorded.append(qs(name));
            if (!json)
                err() << QStringLiteral("%1 experiments recorded in %2")
                             .arg(recorded.size())
                             .arg(parser.value(QStringLiteral("project")))
                      << Qt::endl;
        }
        if (json) {
            QJsonObject output = jobs::benchmarkJson(spec, result);
            if (!recorded.isEmpty())
                output.insert(QStringLiteral("experiments"), recorded);
            printJson(output);
            return 0;
        }
        out() << QStringLiteral(
                     "benchmark %1: %2, %3; baseline %4; v better, * worse than it (corrected t-test, alpha %5)")
                     .arg(qs(spec.name), qs(spec.metric),
                          spec.higherIsBetter ? QStringLiteral("higher is better") : QStringLiteral("lower is better"),
                          qs(spec.algorithmLabels[spec.baseline]))
                     .arg(spec.alpha)
              << Qt::endl;
        int labelWidth = 8;
        for (const std::string& label : spec.datasetLabels)
            labelWidth = std::max(labelWidth, static_cast<int>(label.size()) + 2);
        const int cellWidth = 20;
        QString header = QStringLiteral("dataset").leftJustified(labelWidth);
        for (const std::string& label : spec.algorithmLabels)
            header += qs(label).leftJustified(cellWidth);
        out() << header << Qt::endl;
        for (std::size_t d = 0; d < spec.datasets.size(); ++d) {
            QString line = qs(spec.datasetLabels[d]).leftJustified(labelWidth);
            for (const jobs::BenchmarkCell& cell : result.cells[d]) {
                QString text = cell.error.empty()
                    ? QStringLiteral("%1 ± %2").arg(cell.summary.mean, 0, 'f', 4).arg(cell.summary.std, 0, 'f', 4)
                    : QStringLiteral("failed");
                if (cell.outcome == jobs::BenchmarkCell::Outcome::Win)
                    text += QStringLiteral(" v");
                else if (cell.outcome == jobs::BenchmarkCell::Outcome::Loss)
                    text += QStringLiteral(" *");
                line += text.leftJustified(cellWidth);
            }
            out() << line << Qt::endl;
        }
        QString record = QStringLiteral("(v/=/*)").leftJustified(labelWidth);
        for (std::size_t a = 0; a < spec.algorithms.size(); ++a) {
            const auto& r = result.versusBaseline[a];
            record += (a == spec.baseline ? QStringLiteral("baseline")
                                          : QStringLiteral("(%1/%2/%3)").arg(r.wins).arg(r.ties).arg(r.losses))
                          .leftJustified(cellWidth);
        }
        out() << record << Qt::endl;
        for (std::size_t d = 0; d < spec.datasets.size(); ++d) {
            for (std::size_t a = 0; a < spec.algorithms.size(); ++a) {
                if (!result.cells[d][a].error.empty())
                    out() << qs(spec.datasetLabels[d]) << " / " << qs(spec.algorithmLabels[a])
                          << " failed: " << qs(result.cells[d][a].error) << Qt::endl;
            }
        }
        if (result.friedman) {
            QString ranks = QStringLiteral("avg rank").leftJustified(labelWidth);
            for (std::size_t a = 0; a < spec.algorithms.size(); ++a)
                ranks += QString::number(result.friedman->averageRanks(static_cast<Eigen::Index>(a)), 'f', 2)
                             .leftJustified(cellWidth);
            out() << ranks << Qt::endl;
            out() << QStringLiteral("Friedman chi-square %1 (p = %2); Iman-Davenport F %3 (p = %4); "
                                    "Nemenyi critical difference %5 (alpha %6)")
                         .arg(result.friedman->chiSquare, 0, 'f', 3)
                         .arg(result.friedman->pValue, 0, 'g', 3)
                         .arg(result.friedman->imanDavenportF, 0, 'f', 3)
                         .arg(result.friedman->imanDavenportPValue, 0, 'g', 3)
                         .arg(result.friedman->criticalDifference, 0, 'f', 3)
                         .arg(result.friedmanAlpha)
                  << Qt::endl;
        }
        if (!result.friedmanNote.empty())
            out() << "Note: " << qs(result.friedmanNote) << Qt::endl;
        return 0;
    } catch (const std::exception& error) {
        return fail(qs(error.what()));
    }
}

void writeExperimentReport(store::ProjectStore& project, const std::string& experiment, const QString& path,
                           const report::ReportOptions& options)
{
    const std::string html = report::experimentReportHtml(project, experiment, options);
    if (report::isPdfPath(path.toStdString())) {
        report::renderPdf(html, path.toStdString());
        return;
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(html.data(), static_cast<qint64>(html.size())) < 0
        || !file.commit())
        throw std::runtime_error(QStringLiteral("Could not write %1: %2").arg(path, file.errorString()).toStdString());
}

int reportCommand(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("NAME"), QStringLiteral("The experiment."));
    parser.addOption({QStringLiteral("project"), QStringLiteral("The project file."), QStringLiteral("P")});
    parser.addOption({QStringLiteral("out"),
                      QStringLiteral("Write the report here: a PDF when FILE ends in .pdf, else the HTML page "
                                     "(default: the HTML on stdout)."),
                      QStringLiteral("FILE")});
    parser.addOption(
        {QStringLiteral("no-evaluation"),
         QStringLiteral("Leave out the best trial's evaluation (it runs the trial's cross-validation again).")});
    parser.addOption(
        {QStringLiteral("json"), QStringLiteral("Print where the report went as JSON on stdout (with --out).")});
    int code = 0;
    if (!parseCommand(
            parser, arguments,
            QStringLiteral("Writes an experiment's report as one self-contained HTML file, or a PDF: dataset, setup, "
                           "outcome, best trial, history, curves, importance, the best trial's "
                           "evaluation, every trial and what reproduces it."),
            code))
        return code;
    if (parser.positionalArguments().size() != 1 || !parser.isSet(QStringLiteral("project")))
        return fail(QStringLiteral("report needs NAME and --project P"), kUsage);
    if (parser.isSet(QStringLiteral("json")) && !parser.isSet(QStringLiteral("out")))
        return fail(QStringLiteral("report --json needs --out FILE (without it the page itself goes to stdout)"),
                    kUsage);
    try {
        const auto project = openProject(parser.value(QStringLiteral("project")), store::ProjectStore::Mode::ReadOnly);
        report::ReportOptions options;
        options.evaluateBest = !parser.isSet(QStringLiteral("no-evaluation"));
        const std::string name = parser.positionalArguments().constFirst().toStdString();
        if (!parser.isSet(QStringLiteral("out"))) {
            const std::string html = report::experimentReportHtml(*project, name, options);
            std::fwrite(html.data(), 1, html.size(), stdout);
            return 0;
        }
        const QString path = QFileInfo(parser.value(QStringLiteral("out"))).absoluteFilePath();
        writeExperimentReport(*project, name, path, options);
        if (parser.isSet(QStringLiteral("json"))) {
            printJson({{QStringLiteral("experiment"), qs(name)},
                       {QStringLiteral("report"), path},
                       {QStringLiteral("format"),
                        report::isPdfPath(path.toStdString()) ? QStringLiteral("pdf") : QStringLiteral("html")}});
        } else {
            err() << QStringLiteral("report written to %1").arg(path) << Qt::endl;
        }
        return 0;
    } catch (const std::exception& error) {
        return fail(qs(error.what()));
    }
}

int rerunCommand(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("NAME"), QStringLiteral("The experiment."));
    parser.addPositionalArgument(QStringLiteral("TRIAL"), QStringLiteral("The trial's number."));
    parser.addOption({QStringLiteral("project"), QStringLiteral("The project file."), QStringLiteral("P")});
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print JSON on stdout.")});
    parser.addOption({QStringLiteral("trust"),
                      QStringLiteral("Trust the project to run the external command its experiment holds.")});
    int code = 0;
    if (!parseCommand(parser, arguments,
                      QStringLiteral("Trains a recorded trial again (its parameters, data, validation and seeds) and "
                                     "says, metric by metric, whether it reproduces. Exit status 0 when every "
                                     "recorded metric is identical, 3 when one differs. Nothing is recorded."),
                      code))
        return code;
    bool ok = false;
    const int number = parser.positionalArguments().value(1).toInt(&ok);
    if (parser.positionalArguments().size() != 2 || !ok || number < 1 || !parser.isSet(QStringLiteral("project")))
        return fail(QStringLiteral("rerun needs NAME, TRIAL (a number) and --project P"), kUsage);
    const QString name = parser.positionalArguments().constFirst();
    const std::string path = parser.value(QStringLiteral("project")).toStdString();
    try {
        const auto project = openProject(qs(path), store::ProjectStore::Mode::ReadOnly);
        if (jobs::loadExperiment(*project, name.toStdString()).spec.command && !store::isTrusted(path)) {
            if (!parser.isSet(QStringLiteral("trust")))
                return fail(QStringLiteral("%1 was not made on this account and '%2' runs an external command; to "
                                           "trust it, pass --trust")
                                .arg(qs(path), name));
            store::setTrusted(path, true);
        }
        const jobs::Rerun rerun = jobs::rerunTrial(*project, name.toStdString(), number);
        const int status = rerun.reproduced() ? 0 : kNotReproduced;
        if (parser.isSet(QStringLiteral("json"))) {
            QJsonArray metrics;
            for (const jobs::Rerun::Metric& metric : rerun.metrics) {
                QJsonObject entry{
                    {QStringLiteral("name"), qs(metric.name)},
                    {QStringLiteral("recorded"), metric.recorded ? QJsonValue(*metric.recorded) : QJsonValue()},
                    {QStringLiteral("rerun"), metric.rerun ? QJsonValue(*metric.rerun) : QJsonValue()},
                    {QStringLiteral("identical"), metric.identical()}};
                if (const auto difference = metric.difference())
                    entry.insert(QStringLiteral("difference"), *difference);
                metrics.append(entry);
            }
            printJson({{QStringLiteral("experiment"), name},
                       {QStringLiteral("trial"), number},
                       {QStringLiteral("algorithm"), qs(rerun.algorithm)},
                       {QStringLiteral("reproduced"), rerun.reproduced()},
                       {QStringLiteral("fit_seconds"), rerun.fitSeconds},
                       {QStringLiteral("recorded_fit_seconds"), rerun.recordedFitSeconds},
                       {QStringLiteral("metrics"), metrics}});
            return status;
        }
        out() << QStringLiteral("trial %1 of '%2' (%3) trained again: %4")
                     .arg(number)
                     .arg(name, qs(rerun.algorithm),
                          rerun.reproduced() ? QStringLiteral("reproduced") : QStringLiteral("NOT reproduced"))
              << Qt::endl;
        for (const jobs::Rerun::Metric& metric : rerun.metrics) {
            auto number = [](const std::optional<double>& value) {
                return value ? qs(algorithms::formatValue(*value)) : QStringLiteral("-");
            };
            const QString verdict = metric.identical() ? QStringLiteral("identical")
                : metric.difference() ? QStringLiteral("differs by %1").arg(*metric.difference(), 0, 'g', 6)
                                      : QStringLiteral("only one run has it");
            out() << "  " << qs(metric.name) << ": " << number(metric.recorded) << " -> " << number(metric.rerun)
                  << "  " << verdict << Qt::endl;
        }
        out() << QStringLiteral("  fit: %1 s (recorded %2 s; times are not compared)")
                     .arg(rerun.fitSeconds, 0, 'f', 2)
                     .arg(rerun.recordedFitSeconds, 0, 'f', 2)
              << Qt::endl;
        return status;
    } catch (const std::exception& error) {
        return fail(qs(error.what()));
    }
}

int exportModelCommand(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("NAME"), QStringLiteral("The experiment."));
    parser.addOption({QStringLiteral("project"), QStringLiteral("The project file."), QStringLiteral("P")});
    parser.addOption({QStringLiteral("trial"), QStringLiteral("The trial (default: the best)."), QStringLiteral("N")});
    parser.addOption({QStringLiteral("out"), QStringLiteral("The model file to write."), QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print JSON on stdout.")});
    int code = 0;
    if (!parseCommand(parser, arguments,
                      QStringLiteral("Trains a trial's configuration (the best by default) on the whole dataset and "
                                     "saves the model file, for tunebench-cli predict."),
                      code))
        return code;
    if (parser.positionalArguments().size() != 1 || !parser.isSet(QStringLiteral("project"))
        || !parser.isSet(QStringLiteral("out")))
        return fail(QStringLiteral("export-model needs NAME, --project P and --out FILE"), kUsage);
    std::optional<int> number;
    if (parser.isSet(QStringLiteral("trial"))) {
        bool ok = false;
        number = parser.value(QStringLiteral("trial")).toInt(&ok);
        if (!ok || *number < 1)
            return fail(QStringLiteral("--trial takes a trial number"), kUsage);
    }
    try {
        const auto project = openProject(parser.value(QStringLiteral("project")), store::ProjectStore::Mode::ReadOnly);
        const QString modelPath = QFileInfo(parser.value(QStringLiteral("out"))).absoluteFilePath();
        const int trial = jobs::exportTrialModel(*project, parser.positionalArguments().constFirst().toStdString(),
                                                 number, modelPath.toStdString());
        if (parser.isSet(QStringLiteral("json")))
            printJson({{QStringLiteral("trial"), trial}, {QStringLiteral("model"), modelPath}});
        else
            out() << QStringLiteral("trial %1 trained on the whole dataset: %2").arg(trial).arg(modelPath) << Qt::endl;
        return 0;
    } catch (const std::exception& error) {
        return fail(qs(error.what()));
    }
}

} // namespace tunebench::cli

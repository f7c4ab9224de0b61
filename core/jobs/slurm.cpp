#include "jobs/slurm.h"

#include <chrono>
#include <thread>

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSaveFile>

#include "algorithms/paramsjson.h"
#include "jobs/workerprotocol.h"

namespace tunebench::jobs {

namespace slurm {

namespace {

std::optional<SlurmJobState> stateWithExitCode(const std::string& state, const std::string& exitCode)
{
    if (state.empty())
        return std::nullopt;
    SlurmJobState out;
    // "CANCELLED by 0" and "CANCELLED+" carry more than the state.
    const auto end = state.find_first_of(" +");
    out.state = state.substr(0, end);
    const auto colon = exitCode.find(':');
    try {
        out.exitCode = std::stoi(exitCode.substr(0, colon));
        if (colon != std::string::npos)
            out.signal = std::stoi(exitCode.substr(colon + 1));
    } catch (const std::exception&) { }
    return out;
}

} // namespace

std::optional<SlurmJobState> parseScontrol(const std::string& text)
{
    static const QRegularExpression state(QStringLiteral("\\bJobState=(\\S+)"));
    static const QRegularExpression exit(QStringLiteral("\\bExitCode=(\\S+)"));
    const QString all = QString::fromStdString(text);
    const QRegularExpressionMatch s = state.match(all);
    if (!s.hasMatch())
        return std::nullopt;
    const QRegularExpressionMatch e = exit.match(all);
    return stateWithExitCode(s.captured(1).toStdString(), e.hasMatch() ? e.captured(1).toStdString() : "0:0");
}

std::optional<SlurmJobState> parseSacct(const std::string& text)
{
    // One line per job (-X: the allocation only); the first is the job.
    const std::string line = text.substr(0, text.find('\n'));
    const auto bar = line.find('|');
    if (bar == std::string::npos)
        return std::nullopt;
    return stateWithExitCode(line.substr(0, bar), line.substr(bar + 1));
}

bool isFinal(const std::string& state)
{
    static const std::vector<std::string> running{
        "PENDING",     "CONFIGURING", "RUNNING",   "COMPLETING", "SUSPENDED", "REQUEUED",     "REQUEUE_HOLD",
        "REQUEUE_FED", "RESIZING",    "SIGNALING", "STAGE_OUT",  "STOPPED",   "RESV_DEL_HOLD"};
    return std::find(running.begin(), running.end(), state) == running.end();
}

std::string failureReason(const SlurmJobState& job, const tuning::SlurmSpec& spec)
{
    const std::string& s = job.state;
    if (s == "TIMEOUT")
        return "the job reached its time limit (" + std::to_string(spec.timeMinutes) + " minutes)";
    if (s == "OUT_OF_MEMORY")
        return "the job ran out of memory"
            + (spec.memoryMb > 0 ? " (" + std::to_string(spec.memoryMb) + " MB)" : std::string());
    if (s == "NODE_FAIL")
        return "the node running the job failed";
    if (s == "PREEMPTED")
        return "the job was preempted (and submitted again " + std::to_string(spec.resubmitPreempted) + " times)";
    if (s == "BOOT_FAIL")
        return "the node could not boot for the job";
    if (s == "DEADLINE")
        return "the job missed its deadline";
    if (s == "CANCELLED")
        return "the job was cancelled outside Tunebench (scancel)";
    if (s == "FAILED") {
        if (job.signal != 0)
            return "the job was killed by signal " + std::to_string(job.signal);
        return "the job failed (exit code " + std::to_string(job.exitCode) + ")";
    }
    if (s == "COMPLETED")
        return "the job ended without a result";
    return "the job ended in state " + s;
}

std::string shellQuote(const std::string& text)
{
    std::string quoted = "'";
    for (char c : text) {
        if (c == '\'')
            quoted += "'\\''";
        else
            quoted += c;
    }
    return quoted + "'";
}

TrialFiles trialFiles(const tuning::SlurmSpec& spec, const std::string& experiment, int trial, int attempt)
{
    // The experiment's name as a folder name: letters, digits, '-', '_' and '.', the rest '_'.
    std::string folder;
    for (char c : experiment)
        folder += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.') ? c : '_';
    if (folder.empty() || folder == "." || folder == "..")
        folder = "experiment";
    TrialFiles files;
    files.directory
        = spec.workDirectory + "/" + folder + "/trial-" + std::to_string(trial) + "-attempt-" + std::to_string(attempt);
    files.checkpoint = spec.workDirectory + "/" + folder + "/trial-" + std::to_string(trial) + "/checkpoint";
    files.spec = files.directory + "/spec.json";
    files.params = files.directory + "/params.json";
    files.script = files.directory + "/job.sh";
    files.events = files.directory + "/events.jsonl";
    files.log = files.directory + "/slurm.out";
    files.job = files.directory + "/job";
    return files;
}

std::string batchScript(const std::string& worker, const TrialFiles& files, int trial, int threads)
{
    return "#!/bin/sh\n"
           "# A Tunebench trial: the worker reads the spec and the parameters and writes its events.\n"
           "exec "
        + shellQuote(worker) + " run-trial " + shellQuote(files.spec) + " --trial " + std::to_string(trial)
        + " --params " + shellQuote(files.params) + " --out " + shellQuote(files.events) + " --checkpoint-dir "
        + shellQuote(files.checkpoint) + " --threads " + std::to_string(threads) + "\n";
}

std::vector<std::string> sbatchArguments(const tuning::SlurmSpec& spec, const TrialFiles& files,
                                         const std::string& jobName, int threads)
{
    std::vector<std::string> arguments{"--parsable",
                                       "--job-name=" + jobName,
                                       "--output=" + files.log,
                                       "--chdir=" + files.directory,
                                       "--cpus-per-task=" + std::to_string(spec.cpus > 0 ? spec.cpus : threads),
                                       "--time=" + std::to_string(spec.timeMinutes)};
    if (spec.memoryMb > 0)
        arguments.push_back("--mem=" + std::to_string(spec.memoryMb) + "M");
    if (spec.gpus > 0)
        arguments.push_back("--gres=gpu:" + std::to_string(spec.gpus));
    if (!spec.partition.empty())
        arguments.push_back("--partition=" + spec.partition);
    arguments.insert(arguments.end(), spec.sbatchArguments.begin(), spec.sbatchArguments.end());
    arguments.push_back(files.script);
    return arguments;
}

} // namespace slurm

namespace {

struct ProgramRun
{
    int exitCode = -1;
    std::string out;
    std::string err;
};

/// Runs a Slurm client program (argv, no shell) and waits for it.
ProgramRun runProgram(const std::string& program, const std::vector<std::string>& arguments, int timeoutMs = 60000)
{
    QProcess process;
    QStringList list;
    for (const std::string& argument : arguments)
        list << QString::fromStdString(argument);
    process.start(QString::fromStdString(program), list, QIODevice::ReadOnly);
    ProgramRun run;
    if (!process.waitForStarted(10000)) {
        run.err = "cannot start " + program + ": " + process.errorString().toStdString();
        return run;
    }
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished(5000);
        run.err = program + " did not answer within " + std::to_string(timeoutMs / 1000) + " s";
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = process.readAllStandardOutput().toStdString();
    run.err = process.readAllStandardError().toStdString();
    return run;
}

void writeFile(const std::string& path, const std::string& text, bool executable = false)
{
    QSaveFile file(QString::fromStdString(path));
    if (!file.open(QIODevice::WriteOnly) || file.write(text.data(), static_cast<qint64>(text.size())) < 0
        || !file.commit())
        throw std::runtime_error("cannot write " + path + ": " + file.errorString().toStdString());
    if (executable)
        QFile::setPermissions(QString::fromStdString(path),
                              QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadGroup
                                  | QFile::ExeGroup);
}

std::string tail(const std::string& path, std::size_t bytes)
{
    QFile file(QString::fromStdString(path));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    if (file.size() > static_cast<qint64>(bytes))
        file.seek(file.size() - static_cast<qint64>(bytes));
    return file.readAll().trimmed().toStdString();
}

std::string readFile(const std::string& path)
{
    QFile file(QString::fromStdString(path));
    return file.open(QIODevice::ReadOnly) ? file.readAll().toStdString() : std::string();
}

/// A job submitted for this trial by an earlier run of the experiment (its owner died, the job lives on):
/// the last attempt whose folder holds the same spec and parameters and the id of its job. A resume follows it
/// rather than submitting the trial again.
std::optional<std::pair<int, std::string>> submittedBefore(const tuning::SlurmSpec& slurm,
                                                           const std::string& experiment, int number,
                                                           const std::string& spec, const std::string& params)
{
    std::optional<std::pair<int, std::string>> found;
    for (int attempt = 1;; ++attempt) {
        const slurm::TrialFiles files = slurm::trialFiles(slurm, experiment, number, attempt);
        if (!QFileInfo::exists(QString::fromStdString(files.directory)))
            return found;
        const std::string job = readFile(files.job);
        if (!job.empty() && readFile(files.spec) == spec && readFile(files.params) == params)
            found.emplace(attempt, job);
    }
}

std::optional<SlurmJobState> queryState(const std::string& jobId)
{
    const ProgramRun scontrol = runProgram("scontrol", {"show", "job", "-o", jobId});
    if (scontrol.exitCode == 0) {
        if (auto state = slurm::parseScontrol(scontrol.out))
            return state;
    }
    const ProgramRun sacct = runProgram("sacct", {"-n", "-P", "-X", "-o", "State,ExitCode", "-j", jobId});
    if (sacct.exitCode == 0)
        return slurm::parseSacct(sacct.out);
    return std::nullopt;
}

} // namespace

SlurmTrialRunner::SlurmTrialRunner(tuning::ExperimentSpec spec, std::shared_ptr<const TrialRunner> local, bool reattach)
    : m_spec(std::move(spec))
    , m_slurm(*m_spec.slurm)
    , m_local(std::move(local))
    , m_worker(m_slurm.worker)
    , m_reattach(reattach)
{
    if (m_worker.empty()) {
        // This program is tunebench-cli, or the workbench installed beside it.
        const QString self = QCoreApplication::instance() ? QCoreApplication::applicationDirPath() : QString();
        m_worker = QDir(self).filePath(QStringLiteral("tunebench-cli")).toStdString();
    }
    if (!QDir().mkpath(QString::fromStdString(m_slurm.workDirectory)))
        throw std::invalid_argument("cannot create the Slurm work folder " + m_slurm.workDirectory);
}

TrialResult SlurmTrialRunner::run(const tuning::TrialConfig& trial, int number,
                                  const algorithms::TrainingContext& context) const
{
    const QJsonObject params{{QStringLiteral("algorithm"), QString::fromStdString(trial.algorithm)},
                             {QStringLiteral("params"), algorithms::toJson(trial.params)}};
    const int threads = std::max(1, m_spec.threadsPerTrial);
    const auto pollSlice = std::chrono::milliseconds(50);
    const auto pollEvery = std::chrono::duration<double>(m_slurm.pollSeconds);
    const std::string specText = QJsonDocument(m_spec.json).toJson(QJsonDocument::Compact).toStdString();
    const std::string paramsText = QJsonDocument(params).toJson(QJsonDocument::Compact).toStdString();
    std::optional<std::pair<int, std::string>> attach
        = m_reattach ? submittedBefore(m_slurm, m_spec.name, number, specText, paramsText) : std::nullopt;
    for (int attempt = attach ? attach->first : 1;; ++attempt) {
        const slurm::TrialFiles files = slurm::trialFiles(m_slurm, m_spec.name, number, attempt);
        std::string jobId;
        if (attach) {
            jobId = std::exchange(attach, std::nullopt)->second; // its events are read from the start
        } else {
            if (!QDir().mkpath(QString::fromStdString(files.directory)))
                throw algorithms::TrainingError("cannot create " + files.directory);
            writeFile(files.spec, specText);
            writeFile(files.params, paramsText);
            writeFile(files.script, slurm::batchScript(m_worker, files, number, threads), true);
            QFile::remove(QString::fromStdString(files.events));
            QFile::remove(QString::fromStdString(files.job));

            const std::string jobName = "tunebench-" + m_spec.name + "-" + std::to_string(number);
            const ProgramRun submitted = runProgram("sbatch", slurm::sbatchArguments(m_slurm, files, jobName, threads));
            if (submitted.exitCode != 0)
                throw algorithms::TrainingError("sbatch refused the trial: "
                                                + (submitted.err.empty() ? submitted.out : submitted.err));
            // --parsable prints "ID" or "ID;cluster".
            jobId = submitted.out.substr(0, submitted.out.find_first_of(";\n"));
            writeFile(files.job, jobId); // for a resume after this process dies: the job lives on
        }

        WorkerFollower follower(files.events);
        std::optional<TrialResult> result;
        std::optional<std::string> failed;
        auto drain = [&] {
            for (worker::Event& event : follower.poll()) {
                if (auto* point = std::get_if<worker::Point>(&event))
                    context.report(point->step, point->name, point->value);
                else if (auto* finished = std::get_if<worker::Finished>(&event))
                    result = std::move(finished->result);
                else if (auto* failure = std::get_if<worker::Failed>(&event))
                    failed = failure->reason;
            }
        };
        auto lastCheck = std::chrono::steady_clock::now() - std::chrono::hours(1);
        while (true) {
            if (context.cancelled()) {
                // Stop or Cancel: scancel, and wait (a while) for Slurm to say the job is gone.
                (void)runProgram("scancel", {jobId});
                for (int i = 0; i < 100; ++i) {
                    const auto state = queryState(jobId);
                    if (!state || slurm::isFinal(state->state))
                        break;
                    std::this_thread::sleep_for(std::chrono::milliseconds(100));
                }
                throw util::Cancelled();
            }
            std::this_thread::sleep_for(pollSlice);
            if (std::chrono::steady_clock::now() - lastCheck < pollEvery)
                continue;
            lastCheck = std::chrono::steady_clock::now();
            drain();
            if (result)
                return std::move(*result);
            if (failed)
                throw TrialFailed(*failed, tail(files.log, 4096));
            const std::optional<SlurmJobState> state = queryState(jobId);
            if (!state)
                throw algorithms::TrainingError("Slurm knows nothing of job " + jobId + " (scontrol and sacct)");
            if (!slurm::isFinal(state->state))
                continue;
            // The job is over: what it wrote last may only now be visible on the shared file system.
            for (int i = 0; i < 20 && !result && !failed; ++i) {
                drain();
                if (!result && !failed)
                    std::this_thread::sleep_for(std::chrono::milliseconds(100));
            }
            if (result)
                return std::move(*result);
            if (failed)
                throw TrialFailed(*failed, tail(files.log, 4096));
            if (state->state == "PREEMPTED" && attempt <= m_slurm.resubmitPreempted)
                break; // submit it again
            throw TrialFailed("job " + jobId + ": " + slurm::failureReason(*state, m_slurm), tail(files.log, 4096));
        }
    }
}

} // namespace tunebench::jobs

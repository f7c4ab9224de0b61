#include <chrono>
#include <csignal>
#include <stdexcept>

#include <QProcess>
#include <QProcessEnvironment>

#include "jobs/metricscanner.h"
#include "jobs/trialrunner.h"

#include <sys/prctl.h>
#include <unistd.h>

namespace tunebench::jobs {

namespace {

/// stdout and stderr as kept for the user: the first and the last half of `limit` bytes.
class CappedOutput
{
public:
    explicit CappedOutput(std::int64_t limit)
        : m_half(static_cast<std::size_t>(limit / 2))
    { }
    void append(const QByteArray& bytes)
    {
        std::string_view rest(bytes.constData(), static_cast<std::size_t>(bytes.size()));
        const std::size_t toHead = std::min(rest.size(), m_half - m_head.size());
        m_head.append(rest.substr(0, toHead));
        rest.remove_prefix(toHead);
        m_tail.append(rest);
        if (m_tail.size() > m_half) {
            m_skipped += m_tail.size() - m_half;
            m_tail.erase(0, m_tail.size() - m_half);
        }
    }
    [[nodiscard]] std::string text() const
    {
        if (m_skipped == 0)
            return m_head + m_tail;
        return m_head + "\n[... " + std::to_string(m_skipped) + " bytes not kept ...]\n" + m_tail;
    }
    [[nodiscard]] std::string lastLine() const
    {
        std::string all = m_tail.empty() ? m_head : m_tail;
        while (!all.empty() && (all.back() == '\n' || all.back() == '\r'))
            all.pop_back();
        const auto newline = all.rfind('\n');
        return newline == std::string::npos ? all : all.substr(newline + 1);
    }

private:
    std::size_t m_half;
    std::string m_head;
    std::string m_tail;
    std::size_t m_skipped = 0;
};

} // namespace

CommandTrialRunner::CommandTrialRunner(tuning::CommandSpec command, std::string objectiveMetric, bool maximize,
                                       std::string dataPath)
    : m_command(std::move(command))
    , m_objective(std::move(objectiveMetric))
    , m_maximize(maximize)
    , m_dataPath(std::move(dataPath))
{ }

std::vector<std::string> CommandTrialRunner::expandArguments(const std::vector<std::string>& argv,
                                                             const std::map<std::string, std::string>& values)
{
    std::vector<std::string> expanded;
    for (const std::string& element : argv) {
        std::string out;
        std::size_t position = 0;
        while (position < element.size()) {
            const std::size_t open = element.find('{', position);
            const std::size_t close = open == std::string::npos ? open : element.find('}', open);
            if (close == std::string::npos) {
                out.append(element, position);
                break;
            }
            out.append(element, position, open - position);
            const std::string name = element.substr(open + 1, close - open - 1);
            const auto value = values.find(name);
            if (value == values.end())
                throw std::invalid_argument("no value for the placeholder {" + name + "}");
            out += value->second;
            position = close + 1;
        }
        expanded.push_back(std::move(out)); // one argv element, whatever it contains: there is no shell
    }
    return expanded;
}

TrialResult CommandTrialRunner::run(const tuning::TrialConfig& trial, int number,
                                    const algorithms::TrainingContext& context) const
{
    std::map<std::string, std::string> values;
    for (const auto& [name, value] : trial.params)
        values[name] = algorithms::formatValue(value);
    values["trial"] = std::to_string(number);
    values["gpu"] = context.devices(); // "0,1": the GPUs the scheduler gave this trial
    values["checkpoint_dir"] = context.checkpointDirectory();
    if (trial.budget)
        values["budget"] = std::to_string(*trial.budget); // whatever the resource is named
    if (!m_dataPath.empty())
        values["data_path"] = m_dataPath;
    if (!m_trainPath.empty()) {
        values["train_path"] = m_trainPath;
        values["validation_path"] = m_validationPath;
    }
    const std::vector<std::string> argv = expandArguments(m_command.argv, values);

    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.setWorkingDirectory(QString::fromStdString(m_command.workingDirectory));
    // A minimal environment: what a program needs to start, nothing of the user's session.
    const QProcessEnvironment system = QProcessEnvironment::systemEnvironment();
    QProcessEnvironment environment;
    for (const char* name : {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "USER"}) {
        if (system.contains(QLatin1String(name)))
            environment.insert(QLatin1String(name), system.value(QLatin1String(name)));
    }
    for (const auto& [name, value] : m_command.environment)
        environment.insert(QString::fromStdString(name), QString::fromStdString(value));
    if (!context.devices().empty()) // its own GPUs, whatever the spec's environment said
        environment.insert(QStringLiteral("CUDA_VISIBLE_DEVICES"), QString::fromStdString(context.devices()));
    process.setProcessEnvironment(environment);
    QStringList arguments;
    for (std::size_t i = 1; i < argv.size(); ++i)
        arguments << QString::fromStdString(argv[i]);
    // The trial's program dies with this process: killed (-9, a crash), it leaves no orphan training on, holding
    // GPUs or writing into the checkpoint folder a resumed trial continues from.
    const pid_t runner = ::getpid();
    process.setChildProcessModifier([runner] {
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != runner) // this process died before the line above
            ::_exit(127);
    });
    process.start(QString::fromStdString(argv.front()), arguments, QIODevice::ReadOnly);
    if (!process.waitForStarted(10000))
        throw algorithms::TrainingError("cannot start " + argv.front() + ": " + process.errorString().toStdString());

    const MetricScanner scanner(m_command.metrics);
    std::map<std::string, int> counts;
    std::map<std::string, std::vector<double>> series;
    CappedOutput output(m_command.outputLimitBytes);
    QByteArray pending;
    auto scan = [&](bool flush) {
        qsizetype newline = 0;
        while ((newline = pending.indexOf('\n')) >= 0 || (flush && !pending.isEmpty())) {
            const qsizetype end = newline >= 0 ? newline : pending.size();
            const QString line = QString::fromUtf8(pending.constData(), end);
            pending.remove(0, newline >= 0 ? end + 1 : end);
            scanner.scanLine(line, [&](const std::string& name, double value, std::optional<int> step) {
                series[name].push_back(value);
                // The step the command printed (a "step" group), else the count of matches, which a promoted trial
                // continues: its k-th match is step (budget it reached) + k.
                ++counts[name];
                context.report(step.value_or(static_cast<int>(trial.resumedFrom) + counts[name]), name, value);
            });
        }
    };
    const auto start = std::chrono::steady_clock::now();
    auto stop = [&] {
        process.kill();
        process.waitForFinished(5000);
    };
    while (process.state() != QProcess::NotRunning) {
        process.waitForReadyRead(50);
        const QByteArray chunk = process.readAll();
        output.append(chunk);
        pending.append(chunk);
        scan(false);
        if (context.cancelled()) {
            stop();
            throw util::Cancelled();
        }
        const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (m_command.timeoutSeconds > 0 && elapsed > m_command.timeoutSeconds) {
            stop();
            throw TrialFailed("timed out after " + std::to_string(static_cast<int>(m_command.timeoutSeconds)) + " s",
                              output.text());
        }
    }
    const QByteArray rest = process.readAll();
    output.append(rest);
    pending.append(rest);
    scan(true);

    TrialResult result;
    result.output = output.text();
    result.fitSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (process.exitStatus() == QProcess::CrashExit)
        throw TrialFailed(argv.front() + " crashed; last output: " + output.lastLine(), result.output);
    if (process.exitCode() != 0)
        throw TrialFailed(argv.front() + " exited with code " + std::to_string(process.exitCode())
                              + "; last output: " + output.lastLine(),
                          result.output);
    for (const auto& [name, values] : series)
        result.metrics[name] = {values.back(), 0.0};
    const auto objective = series.find(m_objective);
    if (objective == series.end())
        throw TrialFailed("the output never matched the objective metric '" + m_objective + "'", result.output);
    result.objective = objective->second.back();
    return result;
}

} // namespace tunebench::jobs

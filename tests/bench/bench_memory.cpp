// The memory estimate of a trial (jobs/resources.h) against the peak it really reaches.
//
//   bench_memory DATASET TARGET ALGORITHM [name=value ...]
//
// Loads the dataset, computes the estimate, then runs one trial (5-fold cross-validation, as a tuning
// trial does) and measures its peak resident memory above what the loaded dataset already held (VmHWM,
// reset before the trial through /proc/self/clear_refs). Prints one line: estimate, measured, ratio.

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "benchutil.h"
#include "data/reader.h"
#include "jobs/resources.h"
#include "jobs/trialrunner.h"
#include "tuning/experimentspec.h"

using namespace tunebench;

namespace {

double rssMegabytes()
{
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) == 0)
            return std::stod(line.substr(6)) / 1024.0;
    }
    return 0.0;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc < 4) {
        std::fprintf(stderr, "usage: bench_memory DATASET TARGET ALGORITHM [name=value ...]\n");
        return 2;
    }
    QJsonObject fixed;
    for (int i = 4; i < argc; ++i) {
        const QString pair = QString::fromUtf8(argv[i]);
        const qsizetype equals = pair.indexOf(QLatin1Char('='));
        bool number = false;
        const double value = pair.mid(equals + 1).toDouble(&number);
        fixed.insert(pair.left(equals), number ? QJsonValue(value) : QJsonValue(pair.mid(equals + 1)));
    }
    auto dataset = std::make_shared<const data::Dataset>(data::readDataset(argv[1]));
    const auto target = dataset->indexOf(argv[2]);
    if (!target) {
        std::fprintf(stderr, "no column %s\n", argv[2]);
        return 2;
    }
    const bool regression = data::detectTask(dataset->column(*target)) == data::Task::Regression;
    const QJsonObject json{
        {QStringLiteral("objective"),
         QJsonObject{{QStringLiteral("metric"), regression ? QStringLiteral("r2") : QStringLiteral("accuracy")}}},
        {QStringLiteral("name"), QStringLiteral("memory")},
        {QStringLiteral("dataset"),
         QJsonObject{{QStringLiteral("path"), QString::fromUtf8(argv[1])},
                     {QStringLiteral("target"), QString::fromUtf8(argv[2])}}},
        {QStringLiteral("algorithms"),
         QJsonArray{
             QJsonObject{{QStringLiteral("algorithm"), QString::fromUtf8(argv[3])}, {QStringLiteral("fixed"), fixed}}}},
        {QStringLiteral("validation"), QJsonObject{{QStringLiteral("folds"), 5}}}};
    const tuning::ExperimentSpec spec = tuning::parseSpec(QJsonDocument(json).toJson(), "bench", ".");
    const jobs::BuiltinTrialRunner runner(dataset, spec);
    const double estimate = static_cast<double>(runner.estimatedTrialBytes()) / 1e6;

    const double before = rssMegabytes();
    std::ofstream("/proc/self/clear_refs") << "5"; // resets VmHWM to the current RSS
    const auto started = std::chrono::steady_clock::now();
    const jobs::TrialResult result = runner.run(spec.configFor(spec.searchSpace().decode(std::vector<double>{})), 1,
                                                algorithms::TrainingContext({}, {}, 1));
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const double measured = bench::peakRssMegabytes() * 1.048576 - before * 1.048576;
    std::printf("%s %s: estimate %.1f MB, measured peak above the loaded data %.1f MB, estimate/measured %.2f "
                "(%s %.4f, %.1f s)\n",
                argv[3], argv[1], estimate, measured, estimate / measured, spec.metric.c_str(), result.objective,
                seconds);
    return 0;
}

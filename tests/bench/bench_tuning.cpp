// Tuning strategies in process: simple regret on Branin and Hartmann-6 over seeds and budgets, and the
// cost of one suggestion after 100, 300 and 1000 finished trials. The end-to-end regret benchmark, through
// the external-command path and beside Optuna, is run_tuning_bench.sh.
//
//   bench_tuning regret [branin|hartmann6|hartmann3|styblinski4|rosenbrock4|ackley5] [strategy] [seeds] [budget]
//                                        (the last four are held out: not the functions strategies were tuned on)
//   bench_tuning overhead [strategy] [objectives]   (2: a second objective, its optimum elsewhere)
//   bench_tuning record                  time to record a trial's start and its result in a project (x1000)
//   bench_tuning resume                  time to resume an experiment of 1000 finished trials, 10 parameters
//   bench_tuning importance [OUT.csv]    functional ANOVA over 1000 trials x 10 parameters (Hartmann-6 on the
//                                        first six, four that do not matter), 1 and 2 threads; writes the
//                                        trials to OUT.csv for optuna_importance.py
//   bench_tuning parallel DATA.csv [TB_TESTFUNCTION]
//                                        the same 12 trials (mlp, random) with 1 and with 2 in parallel; and
//                                        the same for 12 external commands computing 10 x 50 ms each

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include "evaluation/validation.h"
#include "jobs/tuner.h"
#include "store/projectstore.h"
#include "testfunctions.h"
#include "tuning/experimentspec.h"
#include "tuning/importance.h"
#include "tuning/strategy.h"

using namespace tunebench;
using namespace tunebench::tuning;

namespace {

/// "x1", "x2", ... (not "x" + ...: GCC 12 bug 105651 warns about it)
std::string coordinate(std::size_t i)
{
    return std::string(1, 'x').append(std::to_string(i + 1));
}

SearchSpace continuousSpace(const std::vector<std::pair<double, double>>& bounds)
{
    SearchSpace space;
    for (std::size_t i = 0; i < bounds.size(); ++i) {
        space.add({algorithms::ParamSpec::continuous(coordinate(i), bounds[i].first, bounds[i].second, bounds[i].first,
                                                     Scaling::Linear, {}),
                   std::nullopt});
    }
    return space;
}

double quantile(std::vector<double> values, double q)
{
    std::sort(values.begin(), values.end());
    const double position = q * static_cast<double>(values.size() - 1);
    const auto low = static_cast<std::size_t>(position);
    const std::size_t high = std::min(low + 1, values.size() - 1);
    return values[low] + (position - static_cast<double>(low)) * (values[high] - values[low]);
}

/// A test function on a box, with its known minimum.
struct TestFunction
{
    std::vector<std::pair<double, double>> bounds;
    double minimum = 0.0;
    double (*evaluate)(std::span<const double>) = nullptr;
};

std::optional<TestFunction> testFunction(const std::string& name)
{
    using Box = std::vector<std::pair<double, double>>;
    if (name == "branin")
        return TestFunction{{{-5, 10}, {0, 15}}, bench::kBraninMinimum, [](std::span<const double> x) {
                                return bench::branin(x[0], x[1]);
                            }};
    if (name == "hartmann6")
        return TestFunction{Box(6, {0.0, 1.0}), bench::kHartmann6Minimum,
                            [](std::span<const double> x) { return bench::hartmann6(x.first<6>()); }};
    if (name == "hartmann3")
        return TestFunction{Box(3, {0.0, 1.0}), bench::kHartmann3Minimum, bench::hartmann3};
    if (name == "styblinski4")
        return TestFunction{Box(4, {-5.0, 5.0}), 4 * bench::kStyblinskiTangMinimumPerDimension, bench::styblinskiTang};
    if (name == "rosenbrock4")
        return TestFunction{Box(4, {-5.0, 10.0}), 0.0, bench::rosenbrock};
    if (name == "ackley5")
        return TestFunction{Box(5, {-32.768, 32.768}), 0.0, bench::ackley};
    return std::nullopt;
}

int regret(const std::string& function, const std::string& strategyName, int seeds, int budget)
{
    const std::optional<TestFunction> objective = testFunction(function);
    if (!objective) {
        std::fprintf(stderr, "unknown function %s\n", function.c_str());
        return 2;
    }
    const SearchSpace space = continuousSpace(objective->bounds);
    const std::vector<int> budgets{30, 50, 100};
    std::vector<std::vector<double>> regrets(budgets.size());
    const auto start = std::chrono::steady_clock::now();
    for (int seed = 0; seed < seeds; ++seed) {
        StrategyOptions options;
        options.kind = *strategyFromString(strategyName);
        options.seed = static_cast<std::uint64_t>(seed);
        auto strategy = makeStrategy(space, options);
        std::vector<TrialView> history;
        double best = INFINITY;
        for (int number = 1; number <= budget; ++number) {
            Params params = strategy->suggest(history, number).params;
            std::vector<double> x(objective->bounds.size());
            for (std::size_t i = 0; i < x.size(); ++i)
                x[i] = algorithms::asDouble(params, coordinate(i));
            const double value = objective->evaluate(x);
            best = std::min(best, value);
            history.push_back({number, std::move(params), TrialState::Finished, value});
            for (std::size_t b = 0; b < budgets.size(); ++b) {
                if (budgets[b] == number)
                    regrets[b].push_back(best - objective->minimum);
            }
        }
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("%s %s seeds=%d", function.c_str(), strategyName.c_str(), seeds);
    for (std::size_t b = 0; b < budgets.size(); ++b) {
        if (!regrets[b].empty())
            std::printf(" | B=%d %.3g [%.3g, %.3g]", budgets[b], quantile(regrets[b], 0.5), quantile(regrets[b], 0.25),
                        quantile(regrets[b], 0.75));
    }
    std::printf(" | %.1f s\n", seconds);
    return 0;
}

int overhead(const std::string& strategyName, int objectives)
{
    const SearchSpace space = continuousSpace(std::vector<std::pair<double, double>>(10, {0.0, 1.0}));
    StrategyOptions options;
    options.kind = *strategyFromString(strategyName);
    options.seed = 1;
    auto strategy = makeStrategy(space, options);
    std::vector<TrialView> history;
    util::Random random(7);
    std::printf("%s, 10 parameters, %d objective%s:", strategyName.c_str(), objectives, objectives > 1 ? "s" : "");
    for (int checkpoint : {100, 300, 1000}) {
        // Fill the history with random finished trials up to the checkpoint, then time 20 suggestions.
        while (static_cast<int>(history.size()) < checkpoint) {
            std::vector<double> unit(10);
            double value = 0.0;
            double other = 0.0; // a second objective whose optimum lies elsewhere
            for (double& u : unit) {
                u = random.uniform();
                value += (u - 0.3) * (u - 0.3);
                other += (u - 0.7) * (u - 0.7);
            }
            history.push_back({static_cast<int>(history.size()) + 1, space.decode(unit), TrialState::Finished, value});
            if (objectives > 1)
                history.back().losses = {value, other};
        }
        std::vector<double> millis;
        for (int i = 0; i < 20; ++i) {
            const auto start = std::chrono::steady_clock::now();
            const Suggestion suggestion = strategy->suggest(history, checkpoint + 1 + i);
            millis.push_back(
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
            (void)suggestion;
        }
        std::printf(" | @%d median %.3f ms, max %.3f ms", checkpoint, quantile(millis, 0.5),
                    *std::max_element(millis.begin(), millis.end()));
    }
    std::printf("\n");
    return 0;
}

std::string experimentSpecJson(const std::string& name, int maxTrials)
{
    // Ten continuous parameters for a command that is never started (nothing is left to run).
    std::string ranges;
    for (int i = 1; i <= 10; ++i)
        ranges += (i > 1 ? ", " : "")
            + ("\"x" + std::to_string(i) + "\": {\"type\": \"continuous\", \"min\": 0, \"max\": 1}");
    return R"js({"name": ")js" + name
        + R"js(", "algorithm": {"command": ["/bin/true"], "metrics": [{"name": "value", "regex": "value=(\\S+)"}]},
        "ranges": {)js"
        + ranges + R"js(}, "objective": {"metric": "value", "goal": "minimize"}, "strategy": "tpe",
        "limits": {"max_trials": )js"
        + std::to_string(maxTrials) + R"js(}, "seed": 1})js";
}

int record()
{
    QTemporaryDir dir;
    const auto project = store::ProjectStore::open(dir.filePath(QStringLiteral("record.tbproj")).toStdString());
    const tuning::ExperimentSpec spec = tuning::parseSpec(QByteArray::fromStdString(experimentSpecJson("record", 1000)),
                                                          "record.json", dir.path().toStdString());
    // As the tuner does, through the run recorder: one transaction when the trial starts, one when it ends.
    jobs::RunRecorder recorder(*project, spec);
    recorder.create(std::nullopt);
    util::Random random(5);
    std::vector<double> start;
    std::vector<double> finish;
    for (int number = 1; number <= 1000; ++number) {
        tuning::TrialConfig config{"command", {}};
        for (int i = 1; i <= 10; ++i)
            config.params["x" + std::to_string(i)] = random.uniform();
        auto t0 = std::chrono::steady_clock::now();
        recorder.started(number, config);
        (void)recorder.commit();
        start.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
        jobs::TrialEvent ended;
        ended.kind = jobs::TrialEvent::Kind::Finished;
        ended.number = number;
        ended.result.objective = 0.97;
        ended.result.metrics = {{"accuracy", {0.97, 0.01}}, {"auc", {0.99, 0.004}}};
        ended.result.foldMetrics = {{"accuracy", {0.96, 0.97, 0.98}}, {"auc", {0.985, 0.99, 0.995}}};
        ended.result.fitSeconds = 0.25;
        t0 = std::chrono::steady_clock::now();
        recorder.ended({TrialState::Finished, {}, std::nullopt, std::nullopt}, ended);
        (void)recorder.commit();
        finish.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
    std::printf("record a trial (1000 trials, WAL, synchronous=NORMAL, through the run recorder): start median %.3f "
                "ms p99 %.3f ms | result median %.3f ms p99 %.3f ms\n",
                quantile(start, 0.5), quantile(start, 0.99), quantile(finish, 0.5), quantile(finish, 0.99));
    return 0;
}

int resume()
{
    QTemporaryDir dir;
    const std::string path = dir.filePath(QStringLiteral("resume.tbproj")).toStdString();
    const tuning::ExperimentSpec spec = tuning::parseSpec(QByteArray::fromStdString(experimentSpecJson("big", 1000)),
                                                          "resume.json", dir.path().toStdString());
    {
        // 1000 finished trials with 20 metric points each, written as the tuner writes them.
        const auto project = store::ProjectStore::open(path);
        store::ExperimentRecord experiment;
        experiment.name = "big";
        experiment.specJson = QJsonDocument(spec.json).toJson(QJsonDocument::Compact).toStdString();
        experiment.status = ExperimentState::Running;
        util::Random random(3);
        project->transaction([&] {
            const std::int64_t id = project->createExperiment(experiment);
            for (int number = 1; number <= 1000; ++number) {
                QJsonObject params;
                for (int i = 1; i <= 10; ++i)
                    params.insert(QStringLiteral("x%1").arg(i), random.uniform());
                store::TrialRecord trial;
                trial.experimentId = id;
                trial.number = number;
                trial.algorithm = "command";
                trial.paramsJson = QJsonDocument(params).toJson(QJsonDocument::Compact).toStdString();
                trial.status = TrialState::Finished;
                trial.objective = random.uniform();
                trial.startedAt = trial.finishedAt = store::ProjectStore::nowUtc();
                const std::int64_t trialId = project->addTrial(trial);
                std::vector<store::MetricPoint> points;
                for (int step = 1; step <= 20; ++step)
                    points.push_back({"value", step, random.uniform(), 0.0});
                project->addMetricPoints(trialId, points);
            }
        });
    }
    std::vector<double> seconds;
    for (int run = 0; run < 5; ++run) {
        // Open the project, read the history back into the strategy, find nothing left to run, finish.
        const auto start = std::chrono::steady_clock::now();
        const auto project = store::ProjectStore::open(path);
        jobs::Tuner tuner(spec, *project, jobs::makeTrialRunner(spec));
        const jobs::TuningSummary summary = tuner.run(true);
        seconds.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
        if (summary.trials != 1000)
            return 1;
        project->setExperimentStatus(project->experimentByName("big")->id, ExperimentState::Running);
    }
    std::printf("resume a 1000-trial experiment (10 parameters, 20 points each): median %.1f ms, max %.1f ms\n",
                quantile(seconds, 0.5), *std::max_element(seconds.begin(), seconds.end()));
    return 0;
}

int parallel(const std::string& relativeData, const std::string& relativeTestFunction)
{
    // The specs below are parsed as if from "/", so their paths must be absolute.
    auto absolute = [](const std::string& path) {
        return path.empty() ? path : QFileInfo(QString::fromStdString(path)).absoluteFilePath().toStdString();
    };
    const std::string data = absolute(relativeData);
    const std::string testFunction = absolute(relativeTestFunction);
    std::vector<double> seconds;
    for (int parallelism : {1, 2}) {
        QTemporaryDir dir;
        const std::string json = R"({"name": "parallel", "dataset": {"path": ")" + data + R"("},
            "validation": {"method": "kfold", "folds": 3}, "algorithm": "mlp",
            "fixed": {"epochs": 400, "n_iter_no_change": 0},
            "ranges": {"units": {"type": "integer", "min": 16, "max": 64}, "learning_rate": {"type": "continuous", "min": 0.001, "max": 0.01, "scaling": "log"}},
            "objective": {"metric": "auc"}, "strategy": "random",
            "limits": {"max_trials": 12, "max_parallel": )"
            + std::to_string(parallelism) + "}, \"seed\": 5}";
        const tuning::ExperimentSpec spec = tuning::parseSpec(QByteArray::fromStdString(json), "parallel.json", "/");
        const auto project = store::ProjectStore::open(dir.filePath(QStringLiteral("p.tbproj")).toStdString());
        const auto start = std::chrono::steady_clock::now();
        jobs::Tuner tuner(spec, *project, jobs::makeTrialRunner(spec));
        (void)tuner.run();
        seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    std::printf("12 mlp trials: 1 at a time %.2f s, 2 in parallel %.2f s: speedup %.2fx\n", seconds[0], seconds[1],
                seconds[0] / seconds[1]);
    if (testFunction.empty())
        return 0;
    seconds.clear();
    for (int parallelism : {1, 2}) {
        QTemporaryDir dir;
        const std::string json = R"js({"name": "parallel", "algorithm": {"command": [")js" + testFunction
            + R"js(", "branin", "{x1}", "{x2}", "--steps", "10", "--busy-ms", "50"],
            "metrics": [{"name": "value", "regex": "value=(\S+)"}]},
            "ranges": {"x1": {"type": "continuous", "min": -5, "max": 10}, "x2": {"type": "continuous", "min": 0, "max": 15}},
            "objective": {"metric": "value", "goal": "minimize"}, "strategy": "random",
            "limits": {"max_trials": 12, "max_parallel": )js"
            + std::to_string(parallelism) + R"js(}, "seed": 5})js";
        const tuning::ExperimentSpec spec = tuning::parseSpec(QByteArray::fromStdString(json), "parallel.json", "/");
        const auto project = store::ProjectStore::open(dir.filePath(QStringLiteral("c.tbproj")).toStdString());
        const auto start = std::chrono::steady_clock::now();
        jobs::Tuner tuner(spec, *project, jobs::makeTrialRunner(spec));
        (void)tuner.run();
        seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    std::printf("12 command trials of 0.5 s CPU: 1 at a time %.2f s, 2 in parallel %.2f s: speedup %.2fx\n", seconds[0],
                seconds[1], seconds[0] / seconds[1]);
    return 0;
}

int importance(const std::string& csvPath)
{
    util::Random random(42);
    const Eigen::Index n = 1000;
    Eigen::MatrixXd points(n, 10);
    Eigen::VectorXd objective(n);
    for (Eigen::Index i = 0; i < n; ++i) {
        for (Eigen::Index j = 0; j < 10; ++j)
            points(i, j) = random.uniform();
        const std::array<double, 6> x{points(i, 0), points(i, 1), points(i, 2),
                                      points(i, 3), points(i, 4), points(i, 5)};
        objective(i) = bench::hartmann6(x);
    }
    if (!csvPath.empty()) {
        std::ofstream csv(csvPath);
        for (int j = 1; j <= 10; ++j)
            csv << 'x' << j << ',';
        csv << "value\n";
        csv.precision(17);
        for (Eigen::Index i = 0; i < n; ++i) {
            for (Eigen::Index j = 0; j < 10; ++j)
                csv << points(i, j) << ',';
            csv << objective(i) << '\n';
        }
    }
    for (int threads : {1, 2}) {
        std::vector<double> seconds;
        tuning::Importance result;
        for (int repeat = 0; repeat < 5; ++repeat) {
            const auto start = std::chrono::steady_clock::now();
            result = tuning::functionalAnova(points, objective, {.seed = 1, .threads = threads});
            seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
        }
        std::sort(seconds.begin(), seconds.end());
        std::printf("fANOVA, 1000 trials x 10 parameters, 64 trees, %d thread(s): median %.3f s, max %.3f s\n", threads,
                    seconds[2], seconds.back());
        if (threads == 1) {
            std::printf("  importance:");
            for (double share : result.normalised)
                std::printf(" %.3f", share);
            std::printf("  (x7..x10 do not matter)\n");
        }
    }
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    const std::string mode = argc > 1 ? argv[1] : "regret";
    if (mode == "overhead")
        return overhead(argc > 2 ? argv[2] : "bayesian", argc > 3 ? std::atoi(argv[3]) : 1);
    if (mode == "record")
        return record();
    if (mode == "resume")
        return resume();
    if (mode == "importance")
        return importance(argc > 2 ? argv[2] : "");
    if (mode == "parallel" && argc > 2)
        return parallel(argv[2], argc > 3 ? argv[3] : "");
    return regret(argc > 2 ? argv[2] : "branin", argc > 3 ? argv[3] : "bayesian", argc > 4 ? std::atoi(argv[4]) : 20,
                  argc > 5 ? std::atoi(argv[5]) : 100);
}

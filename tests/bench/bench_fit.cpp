// Fit-speed benchmark on the synthetic sets, the protocol of shared/peers/RESULTS.md: synth_100k (first 80,000
// rows train, last 20,000 test) and synth_reg_50k (40,000 / 10,000). Prints one JSON line per case.
//   bench_fit FILE ALGORITHM [NAME=VALUE ...] [--threads N] [--cancel-after SECONDS] [--category-codes]
// With --cancel-after, another thread cancels the fit (and the prediction of the test rows after it) that many
// seconds after the fit starts, and the line says how long it took to notice (issue #3: within 100 ms).

#include <chrono>
#include <ctime>
#include <fstream>
#include <future>
#include <iostream>
#include <numeric>
#include <thread>

#include "algorithms/preprocessing.h"
#include "algorithms/registry.h"
#include "benchutil.h"
#include "data/reader.h"
#include "evaluation/metrics.h"
#include "util/cancel.h"

using namespace tunebench;

namespace {

double cpuSeconds()
{
    return static_cast<double>(std::clock()) / CLOCKS_PER_SEC;
}

} // namespace

int main(int argc, char* argv[])
{
    if (argc < 3) {
        std::cerr << "usage: bench_fit FILE ALGORITHM [NAME=VALUE ...] [--threads N] [--cancel-after SECONDS] "
                     "[--category-codes] [--predict-repeats N]\n";
        return 2;
    }
    const auto algorithm = algorithms::findAlgorithm(argv[2]);
    if (!algorithm) {
        std::cerr << "unknown algorithm " << argv[2] << "\n";
        return 2;
    }
    algorithms::Params given;
    int threads = 1;
    double cancelAfter = -1.0;
    int predictRepeats = 1;
    algorithms::PreprocessOptions preprocess;
    const auto specs = algorithm->params();
    for (int i = 3; i < argc; ++i) {
        const std::string argument = argv[i];
        if (argument == "--threads" && i + 1 < argc) {
            threads = std::stoi(argv[++i]);
            continue;
        }
        if (argument == "--predict-repeats" && i + 1 < argc) {
            predictRepeats = std::max(1, std::stoi(argv[++i]));
            continue;
        }
        if (argument == "--category-codes") {
            preprocess.categoryCodes = true;
            continue;
        }
        if (argument == "--cancel-after" && i + 1 < argc) {
            cancelAfter = std::stod(argv[++i]);
            continue;
        }
        const auto equals = argument.find('=');
        const std::string name = argument.substr(0, equals);
        for (const auto& spec : specs) {
            if (spec.name == name)
                given[name] = spec.parse(argument.substr(equals + 1));
        }
    }
    const data::Dataset dataset = data::readDataset(argv[1]);
    const std::size_t target = *data::suggestTarget(dataset);
    const data::Task task = data::detectTask(dataset.column(target));
    const std::size_t n = dataset.rowCount();
    const std::size_t trainRows = n * 4 / 5;
    std::vector<std::size_t> train(trainRows);
    std::iota(train.begin(), train.end(), std::size_t{0});
    std::vector<std::size_t> test(n - trainRows);
    std::iota(test.begin(), test.end(), trainRows);
    const auto rssBefore = bench::peakRssMegabytes();

    const auto wallStart = std::chrono::steady_clock::now();
    const double cpuStart = cpuSeconds();
    const auto encoding = algorithms::encodeTarget(dataset.column(target), task);
    const auto split
        = algorithms::prepareSplit(dataset, target, encoding, train, test, preprocess.forAlgorithm(*algorithm));
    const double prepareWall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wallStart).count();
    int steps = 0;
    const util::CancelToken token;
    const algorithms::TrainingContext context(
        token, [&](int step, const std::string&, double) { steps = std::max(steps, step); }, threads);
    if (cancelAfter >= 0.0) {
        std::promise<std::chrono::steady_clock::time_point> cancelled;
        std::jthread canceller([&] {
            std::this_thread::sleep_for(std::chrono::duration<double>(cancelAfter));
            cancelled.set_value(std::chrono::steady_clock::now());
            token.cancel();
        });
        const char* phase = "fit";
        try {
            const auto model
                = algorithm->fit(split.train, algorithms::resolve(specs, given, split.train.task), context);
            phase = "predict";
            (void)model->predictCancellable(split.test.features, context);
            canceller.join();
            std::cout << "{\"algorithm\": \"" << algorithm->id() << "\", \"cancel_after_s\": " << cancelAfter
                      << ", \"finished_first\": true}\n";
        } catch (const util::Cancelled&) {
            const auto noticed = std::chrono::steady_clock::now();
            canceller.join();
            const double latency
                = std::chrono::duration<double, std::milli>(noticed - cancelled.get_future().get()).count();
            std::cout << "{\"algorithm\": \"" << algorithm->id() << "\", \"threads\": " << threads
                      << ", \"cancel_after_s\": " << cancelAfter << ", \"cancel_latency_ms\": " << latency
                      << ", \"phase\": \"" << phase << "\", \"steps_done\": " << steps << "}\n";
        }
        return 0;
    }
    const auto model = algorithm->fit(split.train, algorithms::resolve(specs, given, split.train.task), context);
    const double fitWall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wallStart).count();
    const double fitCpu = cpuSeconds() - cpuStart;

    // The median of --predict-repeats predictions of the test rows (one by default).
    algorithms::Prediction prediction;
    std::vector<double> predictTimes;
    for (int repeat = 0; repeat < predictRepeats; ++repeat) {
        const auto predictStart = std::chrono::steady_clock::now();
        prediction = model->predict(split.test.features);
        predictTimes.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - predictStart).count());
    }
    std::nth_element(predictTimes.begin(), predictTimes.begin() + predictRepeats / 2, predictTimes.end());
    const double predictWall = predictTimes[static_cast<std::size_t>(predictRepeats / 2)];
    const auto metrics = task == data::Task::Regression
        ? evaluation::regressionMetrics(split.test.target, prediction.values)
        : evaluation::classificationMetrics(split.test.target, prediction.probabilities);
    std::cout << "{\"algorithm\": \"" << algorithm->id() << "\", \"threads\": " << threads
              << ", \"fit_wall_s\": " << fitWall << ", \"of_which_prepare_s\": " << prepareWall
              << ", \"fit_cpu_s\": " << fitCpu << ", \"predict_s\": " << predictWall << ", \"iterations\": " << steps;
    for (const auto& [name, value] : metrics)
        std::cout << ", \"" << name << "\": " << value;
    std::cout << ", \"peak_rss_mb\": " << bench::peakRssMegabytes() << ", \"rss_after_load_mb\": " << rssBefore
              << "}\n";
    return 0;
}

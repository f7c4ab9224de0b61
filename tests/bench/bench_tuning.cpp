// Tuning strategies in process: simple regret on Branin and Hartmann-6 over seeds and budgets, and the
// cost of one suggestion after 100, 300 and 1000 finished trials. The end-to-end regret benchmark, through
// the external-command path and beside Optuna, is run_tuning_bench.sh.
//
//   bench_tuning regret [branin|hartmann6] [strategy] [seeds] [budget]
//   bench_tuning overhead [strategy]

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "evaluation/validation.h"
#include "testfunctions.h"
#include "tuning/strategy.h"

using namespace tunebench;
using namespace tunebench::tuning;

namespace {

SearchSpace continuousSpace(const std::vector<std::pair<double, double>>& bounds)
{
    SearchSpace space;
    for (std::size_t i = 0; i < bounds.size(); ++i) {
        space.add({algorithms::ParamSpec::continuous("x" + std::to_string(i + 1), bounds[i].first, bounds[i].second,
                                                     bounds[i].first, Scaling::Linear, {}),
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

int regret(const std::string& function, const std::string& strategyName, int seeds, int budget)
{
    const bool isBranin = function == "branin";
    const SearchSpace space = isBranin ? continuousSpace({{-5, 10}, {0, 15}})
                                       : continuousSpace(std::vector<std::pair<double, double>>(6, {0.0, 1.0}));
    const double minimum = isBranin ? bench::kBraninMinimum : bench::kHartmann6Minimum;
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
            double value = 0.0;
            if (isBranin)
                value = bench::branin(algorithms::asDouble(params, "x1"), algorithms::asDouble(params, "x2"));
            else {
                std::array<double, 6> x{};
                for (int i = 0; i < 6; ++i)
                    x[static_cast<std::size_t>(i)] = algorithms::asDouble(params, "x" + std::to_string(i + 1));
                value = bench::hartmann6(x);
            }
            best = std::min(best, value);
            history.push_back({number, std::move(params), TrialState::Finished, value});
            for (std::size_t b = 0; b < budgets.size(); ++b) {
                if (budgets[b] == number)
                    regrets[b].push_back(best - minimum);
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

int overhead(const std::string& strategyName)
{
    const SearchSpace space = continuousSpace(std::vector<std::pair<double, double>>(10, {0.0, 1.0}));
    StrategyOptions options;
    options.kind = *strategyFromString(strategyName);
    options.seed = 1;
    auto strategy = makeStrategy(space, options);
    std::vector<TrialView> history;
    evaluation::Random random(7);
    std::printf("%s, 10 parameters:", strategyName.c_str());
    for (int checkpoint : {100, 300, 1000}) {
        // Fill the history with random finished trials up to the checkpoint, then time 20 suggestions.
        while (static_cast<int>(history.size()) < checkpoint) {
            std::vector<double> unit(10);
            double value = 0.0;
            for (double& u : unit) {
                u = random.uniform();
                value += (u - 0.3) * (u - 0.3);
            }
            history.push_back({static_cast<int>(history.size()) + 1, space.decode(unit), TrialState::Finished, value});
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

} // namespace

int main(int argc, char** argv)
{
    const std::string mode = argc > 1 ? argv[1] : "regret";
    if (mode == "overhead")
        return overhead(argc > 2 ? argv[2] : "bayesian");
    return regret(argc > 2 ? argv[2] : "branin", argc > 3 ? argv[3] : "bayesian", argc > 4 ? std::atoi(argv[4]) : 20,
                  argc > 5 ? std::atoi(argv[5]) : 100);
}

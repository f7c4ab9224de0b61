#include "tuning/earlystopping.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "util/random.h"

namespace tunebench::tuning {

namespace {

std::string format(double value)
{
    std::ostringstream out;
    out.precision(6);
    out << value;
    return out.str();
}

class MedianStopper final : public EarlyStopper
{
public:
    MedianStopper(int minTrials, int minStep)
        : m_minTrials(minTrials)
        , m_minStep(minStep)
    { }

    std::optional<std::string> check(const IntermediateTable& table, int number, int step) const override
    {
        if (step < m_minStep)
            return std::nullopt;
        const auto self = table.find(number);
        if (self == table.end() || self->second.values.empty())
            return std::nullopt;
        double best = INFINITY;
        for (const auto& [s, value] : self->second.values) {
            if (s > step)
                break;
            best = std::min(best, value);
        }
        std::vector<double> averages;
        for (const auto& [other, series] : table) {
            if (other == number || series.state != TrialState::Finished || series.values.empty()
                || series.values.rbegin()->first < step)
                continue;
            double sum = 0.0;
            int count = 0;
            for (const auto& [s, value] : series.values) {
                if (s > step)
                    break;
                sum += value;
                ++count;
            }
            averages.push_back(sum / count);
        }
        if (static_cast<int>(averages.size()) < m_minTrials)
            return std::nullopt;
        const auto middle = averages.begin() + static_cast<std::ptrdiff_t>(averages.size() / 2);
        std::nth_element(averages.begin(), middle, averages.end());
        double median = *middle;
        if (averages.size() % 2 == 0)
            median = 0.5 * (median + *std::max_element(averages.begin(), middle));
        if (best > median)
            return "median rule at step " + std::to_string(step) + ": best " + format(best)
                + " is worse than the median " + format(median) + " of " + std::to_string(averages.size())
                + " finished trials";
        return std::nullopt;
    }

private:
    int m_minTrials;
    int m_minStep;
};

/// The bracket of trial `number`: drawn from its own seeded stream, each bracket weighted by its first rung.
std::size_t bracketOf(const std::vector<HyperbandBracket>& brackets, std::uint64_t seed, int number)
{
    double total = 0.0;
    for (const HyperbandBracket& bracket : brackets)
        total += bracket.rungs.front().trials;
    util::Random random(deriveSeed(seed ^ 0x48594250ULL, static_cast<std::uint64_t>(number)));
    double pick = random.uniform() * total;
    for (std::size_t i = 0; i < brackets.size(); ++i) {
        pick -= brackets[i].rungs.front().trials;
        if (pick < 0)
            return i;
    }
    return brackets.size() - 1;
}

/// The value a series had when it first reached `resource` steps, if it did.
std::optional<double> valueAtRung(const IntermediateSeries& series, double resource)
{
    const auto reached = series.values.lower_bound(static_cast<int>(std::ceil(resource - 1e-9)));
    if (reached == series.values.end())
        return std::nullopt;
    return reached->second;
}

class HyperbandStopper final : public EarlyStopper
{
public:
    explicit HyperbandStopper(const HyperbandOptions& options)
        : m_options(options)
        , m_brackets(hyperbandBrackets(options))
    { }

    std::optional<std::string> check(const IntermediateTable& table, int number, int step) const override
    {
        const auto self = table.find(number);
        if (self == table.end())
            return std::nullopt;
        const std::size_t bracket = bracketOf(m_brackets, m_options.seed, number);
        const HyperbandBracket& rungs = m_brackets[bracket];
        // The rung this step has just reached: the largest rung resource <= step whose crossing is now.
        const auto previous = self->second.values.lower_bound(step);
        const int before = previous == self->second.values.begin() ? 0 : std::prev(previous)->first;
        for (std::size_t i = 0; i + 1 < rungs.rungs.size(); ++i) {
            const double resource = rungs.rungs[i].resource;
            if (!(step >= resource && before < resource))
                continue;
            const std::optional<double> mine = valueAtRung(self->second, resource);
            std::vector<double> competing;
            for (const auto& [other, series] : table) {
                if (bracketOf(m_brackets, m_options.seed, other) != bracket)
                    continue;
                if (const auto value = valueAtRung(series, resource))
                    competing.push_back(*value);
            }
            std::sort(competing.begin(), competing.end());
            // Optuna's rule: the best floor(k / eta) of the k trials at the rung go on (the first one always).
            const std::size_t promotable
                = std::max<std::size_t>(competing.size() / static_cast<std::size_t>(m_options.eta), 1);
            if (mine && *mine > competing[promotable - 1])
                return "hyperband bracket " + std::to_string(rungs.s) + " rung " + std::to_string(i) + " ("
                    + format(resource) + " steps): " + format(*mine) + " is not among the best "
                    + std::to_string(promotable) + " of " + std::to_string(competing.size());
        }
        return std::nullopt;
    }

private:
    HyperbandOptions m_options;
    std::vector<HyperbandBracket> m_brackets;
};

} // namespace

std::unique_ptr<EarlyStopper> makeMedianStopper(int minTrials, int minStep)
{
    return std::make_unique<MedianStopper>(minTrials, minStep);
}

std::vector<HyperbandBracket> hyperbandBrackets(const HyperbandOptions& options)
{
    const double eta = options.eta;
    const double ratio = options.maxResource / options.minResource;
    // floor(log_eta(R)), guarded against 81 = 3^4 landing a hair below 4.
    const int sMax = static_cast<int>(std::floor(std::log(ratio) / std::log(eta) + 1e-9));
    std::vector<HyperbandBracket> brackets;
    for (int s = sMax; s >= 0; --s) {
        HyperbandBracket bracket;
        bracket.s = s;
        const int n = static_cast<int>(std::ceil((sMax + 1.0) / (s + 1.0) * std::pow(eta, s) - 1e-9));
        const double r = options.maxResource * std::pow(eta, -s);
        for (int i = 0; i <= s; ++i)
            bracket.rungs.push_back({static_cast<int>(std::floor(n * std::pow(eta, -i) + 1e-9)), r * std::pow(eta, i)});
        brackets.push_back(std::move(bracket));
    }
    return brackets;
}

std::size_t hyperbandBracketOf(const HyperbandOptions& options, int number)
{
    return bracketOf(hyperbandBrackets(options), options.seed, number);
}

std::unique_ptr<EarlyStopper> makeHyperbandStopper(const HyperbandOptions& options)
{
    return std::make_unique<HyperbandStopper>(options);
}

} // namespace tunebench::tuning

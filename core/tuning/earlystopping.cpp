#include "tuning/earlystopping.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "tuning/pareto.h"
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

/// Several objectives: a series' values at `step` (the last reported at or before it), if it has any.
std::optional<std::vector<double>> pointAt(const IntermediateSeries& series, int step)
{
    auto after = series.points.upper_bound(step);
    if (after == series.points.begin())
        return std::nullopt;
    return std::prev(after)->second;
}

std::string formatPoint(const std::vector<double>& point)
{
    std::string text = "(";
    for (std::size_t i = 0; i < point.size(); ++i)
        text += (i ? ", " : "") + format(point[i]);
    return text + ")";
}

/// The median rule by non-dominated rank (several objectives).
std::optional<std::string> medianByRank(const IntermediateTable& table, int number, int step, int minTrials)
{
    const auto self = table.find(number);
    const std::optional<std::vector<double>> mine = pointAt(self->second, step);
    if (!mine || self->second.points.rbegin()->first < step)
        return std::nullopt; // not reported at this step for every objective yet
    std::vector<Point> points{*mine};
    for (const auto& [other, series] : table) {
        if (other == number || series.state != TrialState::Finished || series.points.empty()
            || series.points.rbegin()->first < step)
            continue;
        if (const auto point = pointAt(series, step))
            points.push_back(*point);
    }
    if (static_cast<int>(points.size()) - 1 < minTrials)
        return std::nullopt;
    const std::vector<int> ranks = nonDominatedRanks(points);
    if (ranks[0] == 0)
        return std::nullopt; // on the front at this step: never stopped
    std::vector<int> others(ranks.begin() + 1, ranks.end());
    const auto middle = others.begin() + static_cast<std::ptrdiff_t>(others.size() / 2);
    std::nth_element(others.begin(), middle, others.end());
    if (ranks[0] <= *middle)
        return std::nullopt;
    return "median rule at step " + std::to_string(step) + ": " + formatPoint(*mine) + " has non-dominated rank "
        + std::to_string(ranks[0]) + ", worse than the median rank " + std::to_string(*middle) + " of "
        + std::to_string(others.size()) + " finished trials";
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
        if (self != table.end() && !self->second.points.empty())
            return medianByRank(table, number, step, m_minTrials);
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
            if (!self->second.points.empty()) {
                if (auto reason = byRankAtRung(table, number, bracket, i, resource))
                    return reason;
                continue;
            }
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
    /// Several objectives: the trial's values at the rung against those of its bracket's trials there, by
    /// non-dominated rank and then crowding distance; the best floor(k / eta) and the rung's front go on.
    std::optional<std::string> byRankAtRung(const IntermediateTable& table, int number, std::size_t bracket,
                                            std::size_t rung, double resource) const
    {
        const int at = static_cast<int>(std::ceil(resource - 1e-9));
        auto pointAtRung = [&](const IntermediateSeries& series) -> std::optional<std::vector<double>> {
            const auto reached = series.points.lower_bound(at);
            if (reached == series.points.end())
                return std::nullopt;
            return reached->second;
        };
        const std::optional<std::vector<double>> mine = pointAtRung(table.at(number));
        if (!mine)
            return std::nullopt;
        std::vector<Point> points{*mine};
        for (const auto& [other, series] : table) {
            if (other == number || bracketOf(m_brackets, m_options.seed, other) != bracket)
                continue;
            if (const auto point = pointAtRung(series))
                points.push_back(*point);
        }
        const std::vector<int> ranks = nonDominatedRanks(points);
        if (ranks[0] == 0)
            return std::nullopt; // on the rung's front
        // Ranked by (rank, crowding within the rank): how many come before this trial.
        std::vector<Point> sameRank;
        std::size_t mineInRank = 0;
        for (std::size_t k = 0; k < points.size(); ++k) {
            if (ranks[k] == ranks[0]) {
                if (k == 0)
                    mineInRank = sameRank.size();
                sameRank.push_back(points[k]);
            }
        }
        const std::vector<double> crowding = crowdingDistances(sameRank);
        std::size_t before = 0;
        for (std::size_t k = 0, r = 0; k < points.size(); ++k) {
            if (ranks[k] < ranks[0])
                ++before;
            else if (ranks[k] == ranks[0]) {
                if (r != mineInRank && crowding[r] > crowding[mineInRank])
                    ++before;
                ++r;
            }
        }
        const std::size_t promotable
            = std::max<std::size_t>(points.size() / static_cast<std::size_t>(m_options.eta), 1);
        if (before < promotable)
            return std::nullopt;
        return "hyperband bracket " + std::to_string(m_brackets[bracket].s) + " rung " + std::to_string(rung) + " ("
            + format(resource) + " steps): " + formatPoint(*mine) + " has non-dominated rank "
            + std::to_string(ranks[0]) + " and is not among the best " + std::to_string(promotable) + " of "
            + std::to_string(points.size());
    }

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

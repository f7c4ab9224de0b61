#include "tuning/strategy.h"

#include <algorithm>
#include <cmath>

#include <boost/random/sobol.hpp>

#include "tuning/strategies_p.h"
#include "util/random.h"

namespace tunebench::tuning {

std::string_view toString(StrategyKind kind)
{
    switch (kind) {
    case StrategyKind::Grid: return "grid";
    case StrategyKind::Random: return "random";
    case StrategyKind::Sobol: return "sobol";
    case StrategyKind::Bayesian: return "bayesian";
    case StrategyKind::Tpe: return "tpe";
    case StrategyKind::Hyperband: return "hyperband";
    case StrategyKind::Asha: return "asha";
    case StrategyKind::Bohb: return "bohb";
    case StrategyKind::Nsga2: return "nsga2";
    }
    return "random";
}

std::optional<StrategyKind> strategyFromString(std::string_view text)
{
    for (StrategyKind kind :
         {StrategyKind::Grid, StrategyKind::Random, StrategyKind::Sobol, StrategyKind::Bayesian, StrategyKind::Tpe,
          StrategyKind::Hyperband, StrategyKind::Asha, StrategyKind::Bohb, StrategyKind::Nsga2}) {
        if (toString(kind) == text)
            return kind;
    }
    return std::nullopt;
}

bool TrialView::feasible() const
{
    return std::all_of(slacks.begin(), slacks.end(), [](double slack) { return slack <= 0; });
}

double TrialView::violation() const
{
    double sum = 0.0;
    for (double slack : slacks)
        sum += std::isnan(slack) ? INFINITY : std::max(0.0, slack);
    return sum;
}

std::vector<double> TrialView::point() const
{
    if (!losses.empty())
        return losses;
    return loss ? std::vector<double>{*loss} : std::vector<double>{};
}

std::uint64_t deriveSeed(std::uint64_t seed, std::uint64_t index)
{
    std::uint64_t z = seed + (index + 1) * 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

namespace detail {

std::vector<double> sobolPoint(std::size_t dimensions, std::uint64_t index, std::uint64_t seed)
{
    std::vector<double> point(dimensions);
    if (dimensions == 0)
        return point;
    boost::random::sobol engine(dimensions);
    engine.seed(index);
    util::Random shift(deriveSeed(seed, 0x50B01));
    for (double& coordinate : point) {
        // A random digital shift keeps the net's stratification and makes each seed a different sequence.
        const std::uint64_t bits = static_cast<std::uint64_t>(engine()) ^ shift.next();
        coordinate = (static_cast<double>(bits >> 11) + 0.5) * 0x1.0p-53;
    }
    return point;
}

std::vector<double> randomPoint(std::size_t dimensions, std::uint64_t seed, int number)
{
    util::Random random(deriveSeed(seed, static_cast<std::uint64_t>(number)));
    std::vector<double> point(dimensions);
    for (double& coordinate : point)
        coordinate = random.uniform();
    return point;
}

int startupTrialCount(const SearchSpace& space, int requested)
{
    if (requested > 0)
        return requested;
    return std::clamp(static_cast<int>(space.size()) + 4, 5, 10);
}

} // namespace detail

namespace {

class RandomStrategy final : public Strategy
{
public:
    RandomStrategy(const SearchSpace& space, std::uint64_t seed)
        : m_space(space)
        , m_seed(seed)
    { }
    Suggestion suggest(const std::vector<TrialView>&, int number) override
    {
        return {Suggestion::Kind::Params, m_space.decode(detail::randomPoint(m_space.size(), m_seed, number))};
    }

private:
    SearchSpace m_space;
    std::uint64_t m_seed;
};

class SobolStrategy final : public Strategy
{
public:
    SobolStrategy(const SearchSpace& space, std::uint64_t seed)
        : m_space(space)
        , m_seed(seed)
    { }
    Suggestion suggest(const std::vector<TrialView>&, int number) override
    {
        const auto index = static_cast<std::uint64_t>(number - 1);
        return {Suggestion::Kind::Params, m_space.decode(detail::sobolPoint(m_space.size(), index, m_seed))};
    }

private:
    SearchSpace m_space;
    std::uint64_t m_seed;
};

class GridStrategy final : public Strategy
{
public:
    GridStrategy(const SearchSpace& space, const StrategyOptions& options)
        : m_points(space.grid(options.gridResolution, options.gridLimit))
    { }
    Suggestion suggest(const std::vector<TrialView>&, int number) override
    {
        const auto index = static_cast<std::size_t>(number - 1);
        if (index >= m_points.size())
            return {Suggestion::Kind::Exhausted, {}};
        return {Suggestion::Kind::Params, m_points[index]};
    }

private:
    std::vector<Params> m_points;
};

} // namespace

std::unique_ptr<Strategy> makeStrategy(const SearchSpace& space, const StrategyOptions& options)
{
    switch (options.kind) {
    case StrategyKind::Grid: return std::make_unique<GridStrategy>(space, options);
    case StrategyKind::Sobol: return std::make_unique<SobolStrategy>(space, options.seed);
    case StrategyKind::Bayesian: return detail::makeBayesian(space, options);
    case StrategyKind::Tpe: return detail::makeTpe(space, options);
    case StrategyKind::Nsga2: return detail::makeNsga2(space, options);
    case StrategyKind::Random:
    case StrategyKind::Hyperband:
    case StrategyKind::Asha:
    case StrategyKind::Bohb: return std::make_unique<RandomStrategy>(space, options.seed);
    }
    return std::make_unique<RandomStrategy>(space, options.seed);
}

} // namespace tunebench::tuning

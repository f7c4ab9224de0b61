// NSGA-II (Deb et al., IEEE TEC 2002) for any number of objectives, with Deb's constrained domination: generations
// of `population` trials; the first drawn at random, each later one bred from the best `population` finished trials
// of the earlier generations (non-dominated rank, then crowding distance; feasible before infeasible, infeasible by
// violation) by binary tournaments, simulated binary crossover and polynomial mutation in the unit cube (choices:
// uniform crossover and a random change). Each suggestion depends only on the history and the trial's number.

#include <algorithm>
#include <cmath>
#include <map>

#include "tuning/pareto.h"
#include "tuning/strategies_p.h"
#include "util/random.h"

namespace tunebench::tuning::detail {

namespace {

constexpr double kCrossoverProbability = 0.9;
constexpr double kCrossoverEta = 20.0; ///< SBX's distribution index
constexpr double kMutationEta = 20.0;

struct Ranked
{
    const TrialView* trial = nullptr;
    int rank = 0;
    double crowding = 0.0;
};

/// Ranks and crowding by constrained domination: the feasible trials by non-dominated sorting, then each infeasible
/// one a rank of its own by increasing violation.
std::vector<Ranked> rankTrials(const std::vector<const TrialView*>& trials)
{
    std::vector<const TrialView*> feasible;
    std::vector<const TrialView*> infeasible;
    for (const TrialView* trial : trials)
        (trial->feasible() ? feasible : infeasible).push_back(trial);
    std::vector<Point> points;
    for (const TrialView* trial : feasible)
        points.push_back(trial->point());
    const std::vector<int> ranks = nonDominatedRanks(points);
    std::vector<Ranked> ranked;
    int levels = 0;
    for (std::size_t i = 0; i < feasible.size(); ++i) {
        ranked.push_back({feasible[i], ranks[i], 0.0});
        levels = std::max(levels, ranks[i] + 1);
    }
    std::stable_sort(infeasible.begin(), infeasible.end(),
                     [](const TrialView* a, const TrialView* b) { return a->violation() < b->violation(); });
    for (const TrialView* trial : infeasible)
        ranked.push_back({trial, levels++, 0.0});
    // Crowding within each rank.
    std::stable_sort(ranked.begin(), ranked.end(), [](const Ranked& a, const Ranked& b) { return a.rank < b.rank; });
    for (std::size_t begin = 0; begin < ranked.size();) {
        std::size_t end = begin;
        std::vector<Point> front;
        while (end < ranked.size() && ranked[end].rank == ranked[begin].rank)
            front.push_back(ranked[end++].trial->point());
        const std::vector<double> crowding = crowdingDistances(front);
        for (std::size_t k = begin; k < end; ++k)
            ranked[k].crowding = crowding[k - begin];
        begin = end;
    }
    return ranked;
}

/// The better of two by rank, then by crowding (Deb's crowded comparison).
bool better(const Ranked& a, const Ranked& b)
{
    return a.rank != b.rank ? a.rank < b.rank : a.crowding > b.crowding;
}

class Nsga2Strategy final : public Strategy
{
public:
    Nsga2Strategy(const SearchSpace& space, const StrategyOptions& options)
        : m_space(space)
        , m_seed(options.seed)
        , m_population(options.populationSize > 0 ? options.populationSize
                                                  : std::clamp(8 * static_cast<int>(space.size()), 20, 50))
    { }

    Suggestion suggest(const std::vector<TrialView>& history, int number) override
    {
        util::Random random(deriveSeed(m_seed ^ 0x4E534741ULL, static_cast<std::uint64_t>(number)));
        std::vector<Ranked> ranked = parents(history, (number - 1) / m_population);
        if (ranked.size() < 2)
            return {Suggestion::Kind::Params, m_space.decode(randomPoint(m_space.size(), m_seed, number))};

        auto tournament = [&]() -> const Ranked& {
            const Ranked& a = ranked[static_cast<std::size_t>(random.below(ranked.size()))];
            const Ranked& b = ranked[static_cast<std::size_t>(random.below(ranked.size()))];
            return better(b, a) ? b : a;
        };
        for (int attempt = 0; attempt < 10; ++attempt) {
            const std::vector<double> first = m_space.encode(tournament().trial->params);
            const std::vector<double> second = m_space.encode(tournament().trial->params);
            Params child = m_space.decode(mutate(crossover(first, second, random), random));
            const bool seen = std::any_of(history.begin(), history.end(),
                                          [&](const TrialView& trial) { return trial.params == child; });
            if (!seen || attempt == 9)
                return {Suggestion::Kind::Params, std::move(child)};
        }
        return {Suggestion::Kind::Params, m_space.decode(randomPoint(m_space.size(), m_seed, number))};
    }

private:
    /// The parents of generation `generation`, best first: (mu + lambda) elitism, the best `population` of the
    /// previous generation's parents and its finished trials (warm-start trials, numbered below 1, join the first
    /// generation's). Each generation's selection is kept while its sources stay the same, so a suggestion ranks at
    /// most two populations, however long the history.
    std::vector<Ranked> parents(const std::vector<TrialView>& history, int generation)
    {
        std::map<int, const TrialView*> byNumber;
        for (const TrialView& trial : history) {
            if (trial.state == TrialState::Finished && trial.loss)
                byNumber[trial.number] = &trial;
        }
        std::vector<Ranked> current;
        for (int g = 1; g <= generation; ++g) {
            std::vector<int> sources;
            for (const Ranked& parent : current)
                sources.push_back(parent.trial->number);
            for (auto it = byNumber.begin(); it != byNumber.end() && it->first <= g * m_population; ++it) {
                if (it->first > (g - 1) * m_population || (g == 1 && it->first <= 0))
                    sources.push_back(it->first);
            }
            Selection& kept = m_selections[g];
            if (kept.sources != sources) {
                std::vector<const TrialView*> trials;
                for (int source : sources)
                    trials.push_back(byNumber.at(source));
                std::vector<Ranked> ranked = rankTrials(trials);
                std::stable_sort(ranked.begin(), ranked.end(), better);
                ranked.resize(std::min<std::size_t>(ranked.size(), static_cast<std::size_t>(m_population)));
                kept.sources = std::move(sources);
                kept.chosen.clear();
                for (const Ranked& parent : ranked)
                    kept.chosen.push_back({parent.trial->number, parent.rank, parent.crowding});
            }
            current.clear();
            for (const Chosen& chosen : kept.chosen)
                current.push_back({byNumber.at(chosen.number), chosen.rank, chosen.crowding});
        }
        return current;
    }

    /// Simulated binary crossover per numeric coordinate (each with probability 1/2, as Deb's implementation), a
    /// coin per choice; one child. Inactive coordinates (NaN) come from the other parent or at random.
    std::vector<double> crossover(const std::vector<double>& a, const std::vector<double>& b,
                                  util::Random& random) const
    {
        std::vector<double> child = a;
        const bool cross = random.uniform() < kCrossoverProbability;
        for (std::size_t d = 0; d < child.size(); ++d) {
            if (std::isnan(a[d]) || std::isnan(b[d])) {
                child[d] = std::isnan(a[d]) ? b[d] : a[d];
                continue;
            }
            if (!cross)
                continue;
            if (m_space.dimensions()[d].choiceCount()) {
                child[d] = random.uniform() < 0.5 ? a[d] : b[d];
                continue;
            }
            if (random.uniform() >= 0.5 || std::abs(a[d] - b[d]) < 1e-14)
                continue;
            const double u = random.uniform();
            const double beta = u <= 0.5 ? std::pow(2.0 * u, 1.0 / (kCrossoverEta + 1.0))
                                         : std::pow(1.0 / (2.0 * (1.0 - u)), 1.0 / (kCrossoverEta + 1.0));
            const double value = random.uniform() < 0.5 ? 0.5 * ((1.0 + beta) * a[d] + (1.0 - beta) * b[d])
                                                        : 0.5 * ((1.0 - beta) * a[d] + (1.0 + beta) * b[d]);
            child[d] = std::clamp(value, 0.0, 1.0);
        }
        return child;
    }

    /// Polynomial mutation (Deb and Goyal's bounded form) of each numeric coordinate with probability 1/d; a choice
    /// is drawn anew with the same probability.
    std::vector<double> mutate(std::vector<double> point, util::Random& random) const
    {
        const double probability = 1.0 / static_cast<double>(std::max<std::size_t>(1, point.size()));
        for (std::size_t d = 0; d < point.size(); ++d) {
            if (random.uniform() >= probability)
                continue;
            if (std::isnan(point[d]) || m_space.dimensions()[d].choiceCount()) {
                point[d] = random.uniform();
                continue;
            }
            const double x = point[d];
            const double u = random.uniform();
            const double power = 1.0 / (kMutationEta + 1.0);
            double delta = 0.0;
            if (u < 0.5) {
                const double xy = 1.0 - x;
                delta = std::pow(2.0 * u + (1.0 - 2.0 * u) * std::pow(xy, kMutationEta + 1.0), power) - 1.0;
            } else {
                const double xy = x;
                delta = 1.0 - std::pow(2.0 * (1.0 - u) + 2.0 * (u - 0.5) * std::pow(xy, kMutationEta + 1.0), power);
            }
            point[d] = std::clamp(x + delta, 0.0, 1.0);
        }
        return point;
    }

    struct Chosen
    {
        int number = 0;
        int rank = 0;
        double crowding = 0.0;
    };
    struct Selection
    {
        std::vector<int> sources; ///< the trial numbers it was chosen from
        std::vector<Chosen> chosen; ///< best first
    };

    SearchSpace m_space;
    std::uint64_t m_seed;
    int m_population;
    std::map<int, Selection> m_selections; ///< by generation
};

} // namespace

std::unique_ptr<Strategy> makeNsga2(const SearchSpace& space, const StrategyOptions& options)
{
    return std::make_unique<Nsga2Strategy>(space, options);
}

} // namespace tunebench::tuning::detail

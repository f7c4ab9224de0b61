// Tree-structured Parzen estimators (Bergstra et al., NeurIPS 2011), in the multivariate form of
// Falkner et al. (BOHB, 2018) as Optuna's `multivariate=True`: the finished trials are split into the
// best ("good") and the rest; each group becomes a mixture of product kernels over the unit cube, and the
// next trial is the candidate, drawn from the good mixture, with the largest ratio good / rest. Kernel
// widths follow Optuna's default (univariate) estimator: the gaps between neighbouring observations.

#include <algorithm>
#include <cmath>
#include <map>
#include <numbers>

#include "evaluation/validation.h"
#include "tuning/strategies_p.h"

namespace tunebench::tuning::detail {

namespace {

constexpr int kCandidates = 24;

/// Mass of N(mean, sigma) inside [0, 1], to normalise the truncated kernel.
double unitMass(double mean, double sigma)
{
    auto cdf = [](double z) { return 0.5 * std::erfc(-z / std::numbers::sqrt2); };
    return std::max(cdf((1.0 - mean) / sigma) - cdf(-mean / sigma), 1e-300);
}

/// A Parzen estimator: a weighted mixture of product kernels, one per observation plus a broad prior.
class ParzenEstimator
{
public:
    ParzenEstimator(const SearchSpace& space, const std::vector<const std::vector<double>*>& points)
        : m_space(space)
    {
        const std::size_t dims = space.size();
        const double n = static_cast<double>(points.size());
        m_choices.resize(dims);
        for (std::size_t d = 0; d < dims; ++d)
            m_choices[d] = space.dimensions()[d].choiceCount();
        // Scott's rule for a product kernel: the width of categorical kernels (below 1: an observation's, not
        // the prior's) and of inactive coordinates; numeric ones get their own width below.
        const double sigma = std::max(0.2 * std::pow(n + 1.0, -1.0 / (static_cast<double>(dims) + 4.0)), 0.02);
        for (const std::vector<double>* point : points)
            m_components.push_back({*point, std::vector<double>(dims, sigma), 1.0, {}, {}, {}, {}});
        for (std::size_t d = 0; d < dims; ++d) {
            if (!m_choices[d])
                setNeighbourWidths(d);
        }
        // The prior: centred, one unit wide in every dimension, with the weight of one observation.
        m_components.push_back({std::vector<double>(dims, 0.5), std::vector<double>(dims, 1.0), 1.0, {}, {}, {}, {}});
        m_smoothing = 1.0 / (n + 1.0);
        for (Component& component : m_components) {
            m_totalWeight += component.weight;
            // Everything about a kernel that does not depend on the point evaluated is computed here, once.
            component.logNorm.resize(dims);
            component.inverseSigma.resize(dims);
            for (std::size_t d = 0; d < dims; ++d) {
                if (std::isnan(component.mean[d]))
                    component.mean[d] = 0.5;
                const double centre = component.mean[d];
                component.inverseSigma[d] = 1.0 / component.sigma[d];
                if (const std::size_t k = m_choices[d]) {
                    // A categorical kernel: the log probability of the same choice and of any other.
                    const auto kd = static_cast<double>(k);
                    const bool broad = component.sigma[d] >= 1.0;
                    component.logNorm[d] = broad ? std::log(1.0 / kd) : std::log(1.0 - m_smoothing + m_smoothing / kd);
                    component.logOther.push_back(broad ? std::log(1.0 / kd) : std::log(m_smoothing / kd));
                    component.choice.push_back(std::floor(centre * kd));
                    continue;
                }
                component.logOther.push_back(0.0);
                component.choice.push_back(0.0);
                component.logNorm[d] = std::log(component.sigma[d] * std::sqrt(2.0 * std::numbers::pi)
                                                * unitMass(centre, component.sigma[d]));
            }
        }
    }

    [[nodiscard]] std::vector<double> sample(evaluation::Random& random) const
    {
        double pick = random.uniform() * m_totalWeight;
        const Component* chosen = &m_components.back();
        for (const Component& component : m_components) {
            pick -= component.weight;
            if (pick < 0) {
                chosen = &component;
                break;
            }
        }
        std::vector<double> point(m_space.size());
        for (std::size_t d = 0; d < point.size(); ++d) {
            const double centre = chosen->mean[d];
            if (const std::size_t k = m_choices[d]) {
                // Keep the component's choice, or with the smoothing probability pick any choice.
                point[d] = random.uniform() < m_smoothing
                    ? random.uniform()
                    : (std::floor(centre * static_cast<double>(k)) + 0.5) / static_cast<double>(k);
                continue;
            }
            double value = 0.0;
            for (int attempt = 0; attempt < 100; ++attempt) {
                value = centre + chosen->sigma[d] * random.normal();
                if (value >= 0.0 && value <= 1.0)
                    break;
            }
            point[d] = std::clamp(value, 0.0, 1.0);
        }
        return point;
    }

    /// Log density of a point (coordinates NaN where the dimension is inactive, which then do not count).
    [[nodiscard]] double logDensity(const std::vector<double>& point) const
    {
        // The point's active coordinates, and for categorical ones the choice they stand for.
        std::vector<std::size_t> active;
        std::vector<double> choiceOf(point.size(), 0.0);
        for (std::size_t d = 0; d < point.size(); ++d) {
            if (std::isnan(point[d]))
                continue;
            active.push_back(d);
            if (const std::size_t k = m_choices[d])
                choiceOf[d] = std::floor(point[d] * static_cast<double>(k));
        }
        double maxLog = -INFINITY;
        std::vector<double> logs;
        logs.reserve(m_components.size());
        const double logTotal = std::log(m_totalWeight);
        for (const Component& component : m_components) {
            double log = std::log(component.weight) - logTotal;
            for (const std::size_t d : active) {
                if (m_choices[d]) {
                    log += choiceOf[d] == component.choice[d] ? component.logNorm[d] : component.logOther[d];
                    continue;
                }
                const double z = (point[d] - component.mean[d]) * component.inverseSigma[d];
                log += -0.5 * z * z - component.logNorm[d];
            }
            logs.push_back(log);
            maxLog = std::max(maxLog, log);
        }
        double sum = 0.0;
        for (double log : logs)
            sum += std::exp(log - maxLog);
        return maxLog + std::log(sum);
    }

private:
    /// Optuna's univariate bandwidth, per numeric dimension: each kernel as wide as the larger gap to its
    /// neighbours in that dimension (the prior's centre counts as one, the box's edges do not), clipped to
    /// [1 / min(100, 1 + kernels), 1]. Kernels narrow where observations crowd, so the search refines
    /// late in a run; a single width from Scott's rule stays near 0.15 of the range in six dimensions.
    void setNeighbourWidths(std::size_t d)
    {
        std::vector<std::pair<double, Component*>> sorted;
        for (Component& component : m_components) {
            if (!std::isnan(component.mean[d]))
                sorted.emplace_back(component.mean[d], &component);
        }
        sorted.emplace_back(0.5, nullptr); // the prior
        std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        const double lowest = 1.0 / std::min(100.0, 1.0 + static_cast<double>(sorted.size()));
        for (std::size_t j = 0; j < sorted.size(); ++j) {
            if (!sorted[j].second)
                continue;
            const double left = j > 0 ? sorted[j].first - sorted[j - 1].first : 0.0;
            const double right = j + 1 < sorted.size() ? sorted[j + 1].first - sorted[j].first : 0.0;
            sorted[j].second->sigma[d] = std::clamp(std::max(left, right), lowest, 1.0);
        }
    }

    struct Component
    {
        std::vector<double> mean; ///< inactive coordinates (NaN) centred at 0.5
        std::vector<double> sigma;
        double weight;
        std::vector<double> logNorm; ///< continuous: log of the truncated kernel's normaliser; categorical: log p(same)
        std::vector<double> inverseSigma;
        std::vector<double> logOther; ///< categorical: log p(another choice)
        std::vector<double> choice; ///< categorical: the component's choice index
    };
    const SearchSpace& m_space;
    std::vector<std::size_t> m_choices; ///< per dimension: its number of choices, 0 for a continuous one
    std::vector<Component> m_components;
    double m_totalWeight = 0.0;
    double m_smoothing = 0.0;
};

class TpeStrategy final : public Strategy
{
public:
    TpeStrategy(const SearchSpace& space, const StrategyOptions& options)
        : m_space(space)
        , m_seed(options.seed)
        , m_startup(startupTrialCount(space, options.startupTrials))
    { }

    Suggestion suggest(const std::vector<TrialView>& history, int number) override
    {
        std::vector<const TrialView*> finished;
        std::vector<const std::vector<double>*> encoded(history.size());
        for (std::size_t i = 0; i < history.size(); ++i) {
            encoded[i] = &encodedOf(history[i]);
            if (history[i].state == TrialState::Finished && history[i].loss)
                finished.push_back(&history[i]);
        }
        // Space-filling start, unless earlier trials (a warm start) already inform the model.
        if (finished.size() < 2 || (number <= m_startup && static_cast<int>(finished.size()) < m_startup))
            return {Suggestion::Kind::Params,
                    m_space.decode(sobolPoint(m_space.size(), static_cast<std::uint64_t>(number - 1), m_seed))};

        std::vector<std::size_t> order(finished.size());
        for (std::size_t i = 0; i < order.size(); ++i)
            order[i] = i;
        std::stable_sort(order.begin(), order.end(),
                         [&](std::size_t a, std::size_t b) { return *finished[a]->loss < *finished[b]->loss; });
        // Optuna's default split: the best 10 %, at most 25.
        const std::size_t goodCount = std::clamp<std::size_t>(
            static_cast<std::size_t>(std::ceil(0.1 * static_cast<double>(order.size()))), 1, 25);
        auto pointOf
            = [&](const TrialView* trial) { return encoded[static_cast<std::size_t>(trial - history.data())]; };
        std::vector<const std::vector<double>*> good;
        std::vector<const std::vector<double>*> rest;
        for (std::size_t rank = 0; rank < order.size(); ++rank)
            (rank < goodCount ? good : rest).push_back(pointOf(finished[order[rank]]));
        // Constant liar: trials still running count as bad, so parallel suggestions spread out.
        for (const TrialView& trial : history) {
            if (trial.state == TrialState::Running)
                rest.push_back(pointOf(&trial));
        }

        const ParzenEstimator goodDensity(m_space, good);
        const ParzenEstimator restDensity(m_space, rest);
        evaluation::Random random(deriveSeed(m_seed, static_cast<std::uint64_t>(number)));
        Params best;
        double bestScore = -INFINITY;
        for (int c = 0; c < kCandidates; ++c) {
            Params candidate = m_space.decode(goodDensity.sample(random));
            const std::vector<double> point = m_space.encode(candidate);
            const double score = goodDensity.logDensity(point) - restDensity.logDensity(point);
            if (score > bestScore) {
                bestScore = score;
                best = std::move(candidate);
            }
        }
        return {Suggestion::Kind::Params, std::move(best)};
    }

private:
    /// A trial's point in the unit cube, encoded once per trial number: parameters never change for a number.
    const std::vector<double>& encodedOf(const TrialView& trial)
    {
        auto [it, inserted] = m_encoded.try_emplace(trial.number);
        if (inserted || it->second.first != trial.params)
            it->second = {trial.params, m_space.encode(trial.params)};
        return it->second.second;
    }

    SearchSpace m_space;
    std::uint64_t m_seed;
    int m_startup;
    std::map<int, std::pair<Params, std::vector<double>>> m_encoded;
};

} // namespace

std::unique_ptr<Strategy> makeTpe(const SearchSpace& space, const StrategyOptions& options)
{
    return std::make_unique<TpeStrategy>(space, options);
}

} // namespace tunebench::tuning::detail

// Tree-structured Parzen estimators (Bergstra et al., NeurIPS 2011), in the multivariate form of
// Falkner et al. (BOHB, 2018) as Optuna's `multivariate=True`: the finished trials are split into the
// best ("good") and the rest; each group becomes a mixture of product kernels over the unit cube, and the
// next trial is the candidate, drawn from the good mixture, with the largest ratio good / rest. Kernel
// widths and weights follow Optuna's default (univariate) estimator: the gaps between neighbouring
// observations, and older trials of the rest weighing less. Several objectives and constraints change only the split
// (bestFirst).

#include <algorithm>
#include <cmath>
#include <map>
#include <numbers>

#include "tuning/strategies_p.h"
#include "util/random.h"

namespace tunebench::tuning::detail {

namespace {

constexpr int kCandidates = 24;

/// Mass of N(mean, sigma) inside [0, 1], to normalise the truncated kernel: one minus the two tails, each
/// skipped when it is more than nine widths away (below 1e-18; erfc's underflow path is slow).
double unitMass(double mean, double sigma)
{
    auto tail = [&](double distance) {
        return distance > 9.0 * sigma ? 0.0 : 0.5 * std::erfc(distance / (sigma * std::numbers::sqrt2));
    };
    return std::max(1.0 - tail(mean) - tail(1.0 - mean), 1e-300);
}

/// A Parzen estimator: a weighted mixture of product kernels, one per observation plus a broad prior of
/// weight 1. Kernels are stored flat (component-major, one row of `dims` values per kernel), so building one
/// over a thousand observations costs a handful of allocations, not thousands.
class ParzenEstimator
{
public:
    /// Builds the mixture over `points`, reusing this estimator's storage (a thousand observations make
    /// about half a megabyte, which freshly allocated would be page faults on every suggestion).
    /// `weights` (optional) gives each point's weight, 1 by default.
    void rebuild(const SearchSpace& space, const std::vector<const std::vector<double>*>& points,
                 const std::vector<double>& weights = {})
    {
        m_weight.assign(points.size() + 1, 1.0);
        for (std::size_t i = 0; i < weights.size() && i < points.size(); ++i)
            m_weight[i] = weights[i];
        m_totalWeight = 0.0;
        m_logWeight.resize(m_weight.size());
        for (std::size_t c = 0; c < m_weight.size(); ++c) {
            m_totalWeight += m_weight[c];
            m_logWeight[c] = std::log(m_weight[c]);
        }
        m_dims = space.size();
        m_count = points.size() + 1;
        const double n = static_cast<double>(points.size());
        m_choices.resize(m_dims);
        for (std::size_t d = 0; d < m_dims; ++d)
            m_choices[d] = space.dimensions()[d].choiceCount();
        m_mean.resize(m_count * m_dims);
        for (std::size_t c = 0; c < points.size(); ++c)
            std::copy(points[c]->begin(), points[c]->end(), m_mean.begin() + static_cast<std::ptrdiff_t>(c * m_dims));
        // The last kernel is the prior: centred, one unit wide in every dimension.
        std::fill(m_mean.end() - static_cast<std::ptrdiff_t>(m_dims), m_mean.end(), 0.5);
        // Scott's rule for a product kernel: the width of categorical kernels (below 1: an observation's, not
        // the prior's) and of inactive coordinates; numeric ones get their own width below.
        const double scott = std::max(0.2 * std::pow(n + 1.0, -1.0 / (static_cast<double>(m_dims) + 4.0)), 0.02);
        m_sigma.assign(m_count * m_dims, scott);
        std::fill(m_sigma.end() - static_cast<std::ptrdiff_t>(m_dims), m_sigma.end(), 1.0);
        for (std::size_t d = 0; d < m_dims; ++d) {
            if (!m_choices[d])
                setNeighbourWidths(d);
        }
        m_smoothing = 1.0 / (n + 1.0);
        // Everything about a kernel that does not depend on the point evaluated is computed here, once.
        m_inverseSigma.resize(m_count * m_dims);
        m_logNorm.resize(m_count * m_dims);
        m_logOther.assign(m_count * m_dims, 0.0);
        m_choice.assign(m_count * m_dims, 0.0);
        for (std::size_t c = 0; c < m_count; ++c) {
            for (std::size_t d = 0; d < m_dims; ++d) {
                const std::size_t i = c * m_dims + d;
                if (std::isnan(m_mean[i]))
                    m_mean[i] = 0.5;
                m_inverseSigma[i] = 1.0 / m_sigma[i];
                if (const std::size_t k = m_choices[d]) {
                    // A categorical kernel: the log probability of the same choice and of any other.
                    const auto kd = static_cast<double>(k);
                    const bool broad = m_sigma[i] >= 1.0;
                    m_logNorm[i] = broad ? std::log(1.0 / kd) : std::log(1.0 - m_smoothing + m_smoothing / kd);
                    m_logOther[i] = broad ? std::log(1.0 / kd) : std::log(m_smoothing / kd);
                    m_choice[i] = std::floor(m_mean[i] * kd);
                    continue;
                }
                m_logNorm[i]
                    = std::log(m_sigma[i] * std::sqrt(2.0 * std::numbers::pi) * unitMass(m_mean[i], m_sigma[i]));
            }
        }
    }

    [[nodiscard]] std::vector<double> sample(util::Random& random) const
    {
        double pick = random.uniform() * m_totalWeight;
        std::size_t c = m_count - 1;
        for (std::size_t k = 0; k < m_count; ++k) {
            pick -= m_weight[k];
            if (pick < 0) {
                c = k;
                break;
            }
        }
        std::vector<double> point(m_dims);
        for (std::size_t d = 0; d < m_dims; ++d) {
            const double centre = m_mean[c * m_dims + d];
            if (const std::size_t k = m_choices[d]) {
                // Keep the component's choice, or with the smoothing probability pick any choice.
                point[d] = random.uniform() < m_smoothing
                    ? random.uniform()
                    : (std::floor(centre * static_cast<double>(k)) + 0.5) / static_cast<double>(k);
                continue;
            }
            const double sigma = m_sigma[c * m_dims + d];
            double value = 0.0;
            for (int attempt = 0; attempt < 100; ++attempt) {
                value = centre + sigma * random.normal();
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
        std::vector<double> logs(m_count);
        for (std::size_t c = 0; c < m_count; ++c) {
            const std::size_t row = c * m_dims;
            double log = m_logWeight[c];
            for (const std::size_t d : active) {
                const std::size_t i = row + d;
                if (m_choices[d]) {
                    log += choiceOf[d] == m_choice[i] ? m_logNorm[i] : m_logOther[i];
                    continue;
                }
                const double z = (point[d] - m_mean[i]) * m_inverseSigma[i];
                log += -0.5 * z * z - m_logNorm[i];
            }
            logs[c] = log;
            maxLog = std::max(maxLog, log);
        }
        double sum = 0.0;
        for (double log : logs)
            sum += std::exp(log - maxLog);
        return maxLog + std::log(sum / m_totalWeight);
    }

private:
    /// Optuna's univariate bandwidth, per numeric dimension: each kernel as wide as the larger gap to its
    /// neighbours in that dimension (the prior's centre counts as one, the box's edges do not), clipped to
    /// [1 / min(100, 1 + kernels), 1]. Kernels narrow where observations crowd, so the search refines
    /// late in a run; a single width from Scott's rule stays near 0.15 of the range in six dimensions.
    void setNeighbourWidths(std::size_t d)
    {
        const std::size_t observations = m_count - 1;
        std::vector<std::pair<double, std::size_t>> sorted; // (value, kernel); the prior is kernel m_count - 1
        sorted.reserve(m_count);
        for (std::size_t c = 0; c < observations; ++c) {
            if (!std::isnan(m_mean[c * m_dims + d]))
                sorted.emplace_back(m_mean[c * m_dims + d], c);
        }
        sorted.emplace_back(0.5, observations);
        std::sort(sorted.begin(), sorted.end());
        const double lowest = 1.0 / std::min(100.0, 1.0 + static_cast<double>(sorted.size()));
        for (std::size_t j = 0; j < sorted.size(); ++j) {
            if (sorted[j].second == observations)
                continue;
            const double left = j > 0 ? sorted[j].first - sorted[j - 1].first : 0.0;
            const double right = j + 1 < sorted.size() ? sorted[j + 1].first - sorted[j].first : 0.0;
            m_sigma[sorted[j].second * m_dims + d] = std::clamp(std::max(left, right), lowest, 1.0);
        }
    }

    std::size_t m_dims = 0;
    std::size_t m_count = 0; ///< kernels: one per observation, then the prior
    std::vector<std::size_t> m_choices; ///< per dimension: its number of choices, 0 for a continuous one
    std::vector<double> m_mean; ///< inactive coordinates (NaN) centred at 0.5
    std::vector<double> m_sigma;
    std::vector<double> m_inverseSigma;
    std::vector<double> m_logNorm; ///< continuous: log of the truncated kernel's normaliser; categorical: log p(same)
    std::vector<double> m_logOther; ///< categorical: log p(another choice)
    std::vector<double> m_choice; ///< categorical: the kernel's choice index
    double m_smoothing = 0.0;
    std::vector<double> m_weight;
    std::vector<double> m_logWeight;
    double m_totalWeight = 0.0;
};

class TpeStrategy final : public Strategy
{
public:
    TpeStrategy(const SearchSpace& space, const StrategyOptions& options)
        : m_space(space)
        , m_seed(options.seed)
        , m_startup(startupTrialCount(space, options.startupTrials))
        , m_bohbSplit(options.bohbSplit)
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

        // Optuna's default split: the best 10 %, at most 25 (BOHB's: the best 15 %, at least d + 1).
        const std::size_t goodCount = m_bohbSplit
            ? std::min(finished.size() - 1,
                       std::max(m_space.size() + 1,
                                static_cast<std::size_t>(std::ceil(0.15 * static_cast<double>(finished.size())))))
            : std::clamp<std::size_t>(static_cast<std::size_t>(std::ceil(0.1 * static_cast<double>(finished.size()))),
                                      1, 25);
        // Best first: by loss; with several objectives by non-dominated rank and hypervolume contribution (as
        // Optuna's MOTPE splits); trials that break a constraint after the feasible ones, least violation first.
        const std::vector<std::size_t> order = bestFirst(finished, goodCount);
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

        // Optuna's default weights for the rest (the good ones are at most 25, all weighing 1): the latest
        // 25 weigh 1, older ones ramp down to 1/n, so the density of what is bad follows the search. Running
        // trials are the latest of all.
        std::vector<double> restWeights(rest.size(), 1.0);
        const std::size_t finishedRest = order.size() - goodCount;
        if (finishedRest > 25) {
            // `finished` is in history order, so walking it visits the rest from the oldest.
            std::vector<std::size_t> restPosition(order.size(), order.size()); // in `rest`, or none (good)
            for (std::size_t rank = goodCount; rank < order.size(); ++rank)
                restPosition[order[rank]] = rank - goodCount;
            const std::size_t ramp = finishedRest - 25;
            const double lowest = 1.0 / static_cast<double>(finishedRest);
            std::size_t age = 0;
            for (std::size_t i = 0; i < order.size() && age < ramp; ++i) {
                if (restPosition[i] == order.size())
                    continue;
                const double t = ramp == 1 ? 1.0 : static_cast<double>(age) / static_cast<double>(ramp - 1);
                restWeights[restPosition[i]] = lowest + (1.0 - lowest) * t;
                ++age;
            }
        }
        m_goodDensity.rebuild(m_space, good);
        m_restDensity.rebuild(m_space, rest, restWeights);
        const ParzenEstimator& goodDensity = m_goodDensity;
        const ParzenEstimator& restDensity = m_restDensity;
        util::Random random(deriveSeed(m_seed, static_cast<std::uint64_t>(number)));
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
    bool m_bohbSplit;
    std::map<int, std::pair<Params, std::vector<double>>> m_encoded;
    ParzenEstimator m_goodDensity;
    ParzenEstimator m_restDensity;
};

} // namespace

std::unique_ptr<Strategy> makeTpe(const SearchSpace& space, const StrategyOptions& options)
{
    return std::make_unique<TpeStrategy>(space, options);
}

} // namespace tunebench::tuning::detail

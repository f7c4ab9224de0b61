// Bayesian optimisation: a Gaussian process (Matern 5/2, fitted length scales) over the unit cube,
// expected improvement maximised by a broad random search, local candidates around the best trials and
// a bounded derivative-free polish (BOBYQA); running trials enter as constant liars.

#include <algorithm>
#include <cmath>
#include <numbers>

#include <nlopt.h>

#include "tuning/gaussianprocess.h"
#include "tuning/strategies_p.h"
#include "util/random.h"

namespace tunebench::tuning::detail {

namespace {

constexpr std::size_t kMaxModelPoints = 200; ///< beyond this the GP sees the best half and the latest rest
constexpr int kRandomCandidates = 512;
constexpr int kLocalCandidates = 64; ///< around each of the best trials
constexpr int kLocalCentres = 5;
constexpr int kPolished = 3;

/// log(EI) for minimisation, stable far in the tail where EI itself underflows.
double logExpectedImprovement(double mean, double variance, double best)
{
    const double sigma = std::sqrt(variance);
    const double z = (best - mean) / sigma;
    const double logPdf = -0.5 * z * z - 0.5 * std::log(2.0 * std::numbers::pi);
    if (z > -6.0) {
        const double cdf = 0.5 * std::erfc(-z / std::numbers::sqrt2);
        const double h = z * cdf + std::exp(logPdf);
        return std::log(std::max(h, 1e-300)) + std::log(sigma);
    }
    // z Phi(z) + phi(z) = phi(z) / z^2 * (1 - 3/z^2 + 15/z^4 - ...) for z -> -inf
    const double z2 = z * z;
    return logPdf - std::log(z2) + std::log1p(-3.0 / z2 + 15.0 / (z2 * z2)) + std::log(sigma);
}

class BayesianStrategy final : public Strategy
{
public:
    BayesianStrategy(const SearchSpace& space, const StrategyOptions& options)
        : m_space(space)
        , m_seed(options.seed)
        , m_startup(startupTrialCount(space, options.startupTrials))
    {
        for (std::size_t d = 0; d < space.size(); ++d) {
            m_firstFeature.push_back(m_featureCount);
            m_featureCount += std::max<Eigen::Index>(1, static_cast<Eigen::Index>(space.dimensions()[d].choiceCount()));
        }
    }

    Suggestion suggest(const std::vector<TrialView>& history, int number) override
    {
        std::vector<const TrialView*> finished;
        for (const TrialView& trial : history) {
            if (trial.state == TrialState::Finished && trial.loss && std::isfinite(*trial.loss))
                finished.push_back(&trial);
        }
        // Space-filling start, unless earlier trials (a warm start) already inform the model.
        if (finished.size() < 2 || (number <= m_startup && static_cast<int>(finished.size()) < m_startup))
            return {Suggestion::Kind::Params,
                    m_space.decode(sobolPoint(m_space.size(), static_cast<std::uint64_t>(number - 1), m_seed))};

        finished = modelPoints(std::move(finished));
        const auto n = static_cast<Eigen::Index>(finished.size());
        Eigen::MatrixXd x(n, m_featureCount);
        Eigen::VectorXd y(n);
        for (Eigen::Index i = 0; i < n; ++i) {
            x.row(i) = features(m_space.encode(finished[static_cast<std::size_t>(i)]->params));
            y[i] = *finished[static_cast<std::size_t>(i)]->loss;
        }
        const double best = y.minCoeff();
        const bool refit = !m_fitted || n < 50 || static_cast<double>(n) >= 1.1 * static_cast<double>(m_fittedOn);
        if (refit) {
            m_gp.fit(x, y, m_fitted ? &m_hyper : nullptr);
            m_hyper = m_gp.hyperparameters();
            m_fitted = true;
            m_fittedOn = n;
        }

        // Running trials as constant liars at the best value seen, so parallel suggestions spread out.
        std::vector<const TrialView*> running;
        for (const TrialView& trial : history) {
            if (trial.state == TrialState::Running && trial.number != number)
                running.push_back(&trial);
        }
        if (!running.empty() || !refit) {
            Eigen::MatrixXd xl(n + static_cast<Eigen::Index>(running.size()), m_featureCount);
            Eigen::VectorXd yl(xl.rows());
            xl.topRows(n) = x;
            yl.head(n) = y;
            for (std::size_t i = 0; i < running.size(); ++i) {
                xl.row(n + static_cast<Eigen::Index>(i)) = features(m_space.encode(running[i]->params));
                yl[n + static_cast<Eigen::Index>(i)] = best;
            }
            m_gp.condition(xl, yl, m_hyper);
        }

        util::Random random(deriveSeed(m_seed, static_cast<std::uint64_t>(number)));
        std::vector<std::vector<double>> candidates;
        for (int c = 0; c < kRandomCandidates; ++c)
            candidates.push_back(m_space.encode(m_space.decode(randomPoint(m_space.size(), random.next(), number))));
        std::vector<const TrialView*> byLoss = finished;
        std::sort(byLoss.begin(), byLoss.end(),
                  [](const TrialView* a, const TrialView* b) { return *a->loss < *b->loss; });
        const std::size_t centres = std::min<std::size_t>(kLocalCentres, byLoss.size());
        for (std::size_t i = 0; i < centres; ++i) {
            const std::vector<double> centre = m_space.encode(byLoss[i]->params);
            for (int c = 0; c < kLocalCandidates; ++c) {
                std::vector<double> point = centre;
                const double step = c % 4 == 0 ? 0.1 : (c % 4 == 1 ? 0.01 : (c % 4 == 2 ? 0.001 : 0.0001));
                for (std::size_t d = 0; d < point.size(); ++d) {
                    const Dimension& dimension = m_space.dimensions()[d];
                    if (std::isnan(point[d]))
                        point[d] = random.uniform();
                    else if (dimension.choiceCount())
                        point[d] = random.uniform() < 0.2 ? random.uniform() : point[d];
                    else
                        point[d] = std::clamp(point[d] + step * random.normal(), 0.0, 1.0);
                }
                candidates.push_back(m_space.encode(m_space.decode(point)));
            }
        }

        Eigen::MatrixXd cx(static_cast<Eigen::Index>(candidates.size()), m_featureCount);
        for (std::size_t c = 0; c < candidates.size(); ++c)
            cx.row(static_cast<Eigen::Index>(c)) = features(candidates[c]);
        Eigen::VectorXd mean;
        Eigen::VectorXd variance;
        m_gp.predict(cx, mean, variance);
        std::vector<std::pair<double, std::size_t>> scored;
        for (std::size_t c = 0; c < candidates.size(); ++c)
            scored.emplace_back(logExpectedImprovement(mean[static_cast<Eigen::Index>(c)],
                                                       variance[static_cast<Eigen::Index>(c)], best),
                                c);
        std::sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) { return a.first > b.first; });

        std::vector<std::pair<double, std::vector<double>>> polished;
        for (std::size_t i = 0; i < std::min<std::size_t>(kPolished, scored.size()); ++i) {
            std::vector<double> point = candidates[scored[i].second];
            const double value = polish(point, best);
            polished.emplace_back(std::max(value, scored[i].first), std::move(point));
        }
        for (std::size_t i = kPolished; i < scored.size(); ++i)
            polished.emplace_back(scored[i].first, candidates[scored[i].second]);
        std::stable_sort(polished.begin(), polished.end(),
                         [](const auto& a, const auto& b) { return a.first > b.first; });

        for (const auto& [value, point] : polished) {
            Params params = m_space.decode(point);
            const bool seen = std::any_of(history.begin(), history.end(),
                                          [&](const TrialView& trial) { return trial.params == params; });
            if (!seen)
                return {Suggestion::Kind::Params, std::move(params)};
        }
        return {Suggestion::Kind::Params, m_space.decode(randomPoint(m_space.size(), m_seed, number))};
    }

private:
    /// The GP's inputs: numeric dimensions as they are (inactive ones at the centre), choices one-hot.
    [[nodiscard]] Eigen::RowVectorXd features(const std::vector<double>& unit) const
    {
        Eigen::RowVectorXd row = Eigen::RowVectorXd::Zero(m_featureCount);
        for (std::size_t d = 0; d < unit.size(); ++d) {
            const Eigen::Index first = m_firstFeature[d];
            if (const std::size_t k = m_space.dimensions()[d].choiceCount()) {
                if (!std::isnan(unit[d]))
                    row[first
                        + std::min<Eigen::Index>(static_cast<Eigen::Index>(k) - 1,
                                                 static_cast<Eigen::Index>(unit[d] * static_cast<double>(k)))]
                        = 1.0;
            } else
                row[first] = std::isnan(unit[d]) ? 0.5 : unit[d];
        }
        return row;
    }

    [[nodiscard]] std::vector<const TrialView*> modelPoints(std::vector<const TrialView*> finished) const
    {
        if (finished.size() <= kMaxModelPoints)
            return finished;
        std::vector<const TrialView*> byLoss = finished;
        std::stable_sort(byLoss.begin(), byLoss.end(),
                         [](const TrialView* a, const TrialView* b) { return *a->loss < *b->loss; });
        std::vector<const TrialView*> chosen(byLoss.begin(), byLoss.begin() + kMaxModelPoints / 2);
        for (auto it = finished.rbegin(); it != finished.rend() && chosen.size() < kMaxModelPoints; ++it) {
            if (std::find(chosen.begin(), chosen.end(), *it) == chosen.end())
                chosen.push_back(*it);
        }
        return chosen;
    }

    /// Maximises log EI over the numeric coordinates of `point` (choices held fixed); returns the value.
    double polish(std::vector<double>& point, double best) const
    {
        std::vector<std::size_t> free;
        for (std::size_t d = 0; d < point.size(); ++d) {
            if (!std::isnan(point[d]) && m_space.dimensions()[d].isNumeric())
                free.push_back(d);
        }
        struct Context
        {
            const BayesianStrategy* self;
            std::vector<double>* point;
            const std::vector<std::size_t>* free;
            double best;
        } context{this, &point, &free, best};
        auto objective = [](unsigned n, const double* x, double*, void* data) -> double {
            auto* ctx = static_cast<Context*>(data);
            for (unsigned i = 0; i < n; ++i)
                (*ctx->point)[(*ctx->free)[i]] = x[i];
            Eigen::VectorXd mean;
            Eigen::VectorXd variance;
            ctx->self->m_gp.predict(ctx->self->features(*ctx->point), mean, variance);
            return -logExpectedImprovement(mean[0], variance[0], ctx->best);
        };
        if (free.empty())
            return -objective(0, nullptr, nullptr, &context);
        std::vector<double> x(free.size());
        for (std::size_t i = 0; i < free.size(); ++i)
            x[i] = point[free[i]];
        const auto size = static_cast<unsigned>(free.size());
        nlopt_opt optimizer = nlopt_create(size == 1 ? NLOPT_LN_COBYLA : NLOPT_LN_BOBYQA, size);
        std::vector<double> lower(size, 0.0);
        std::vector<double> upper(size, 1.0);
        std::vector<double> step(size);
        for (std::size_t i = 0; i < size; ++i)
            step[i] = std::max(1e-4, std::min({0.05, x[i], 1.0 - x[i]}));
        nlopt_set_lower_bounds(optimizer, lower.data());
        nlopt_set_upper_bounds(optimizer, upper.data());
        nlopt_set_initial_step(optimizer, step.data());
        nlopt_set_min_objective(optimizer, objective, &context);
        nlopt_set_maxeval(optimizer, 60 + 20 * static_cast<int>(size));
        nlopt_set_xtol_abs1(optimizer, 1e-9);
        double value = INFINITY;
        const std::vector<double> start = x;
        const double startValue = objective(size, start.data(), nullptr, &context);
        nlopt_optimize(optimizer, x.data(), &value);
        nlopt_destroy(optimizer);
        if (!std::isfinite(value) || value > startValue) {
            x = start;
            value = startValue;
        }
        for (std::size_t i = 0; i < size; ++i)
            point[free[i]] = x[i];
        return -value;
    }

    SearchSpace m_space;
    std::uint64_t m_seed;
    int m_startup;
    std::vector<Eigen::Index> m_firstFeature;
    Eigen::Index m_featureCount = 0;
    GaussianProcess m_gp;
    GpHyperparameters m_hyper;
    bool m_fitted = false;
    Eigen::Index m_fittedOn = 0;
};

} // namespace

std::unique_ptr<Strategy> makeBayesian(const SearchSpace& space, const StrategyOptions& options)
{
    return std::make_unique<BayesianStrategy>(space, options);
}

} // namespace tunebench::tuning::detail

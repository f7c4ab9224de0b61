// Bayesian optimisation: a Gaussian process (Matern 5/2, fitted length scales) over the unit cube,
// expected improvement maximised by a broad random search, local candidates around the best trials and
// a bounded derivative-free polish (BOBYQA); running trials enter as constant liars. Several objectives: ParEGO's
// random scalarisations; constraints: a GP per constraint and EI times the probability of meeting them all.

#include <algorithm>
#include <cmath>
#include <numbers>
#include <numeric>

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

/// log Phi(z), accurate far in the lower tail.
double logNormalCdf(double z)
{
    if (z > -30.0)
        return std::log(std::max(0.5 * std::erfc(-z / std::numbers::sqrt2), 1e-300));
    return -0.5 * z * z - std::log(-z) - 0.5 * std::log(2.0 * std::numbers::pi);
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

        util::Random random(deriveSeed(m_seed, static_cast<std::uint64_t>(number)));
        std::vector<double> target = targets(finished, random);
        selectModelPoints(finished, target);
        const auto n = static_cast<Eigen::Index>(finished.size());
        Eigen::MatrixXd x(n, m_featureCount);
        Eigen::VectorXd y(n);
        m_best = INFINITY;
        for (Eigen::Index i = 0; i < n; ++i) {
            const TrialView& trial = *finished[static_cast<std::size_t>(i)];
            x.row(i) = features(m_space.encode(trial.params));
            y[i] = target[static_cast<std::size_t>(i)];
            if (trial.feasible())
                m_best = std::min(m_best, y[i]);
        }
        m_anyFeasible = std::isfinite(m_best);
        const bool refit = !m_fitted || n < 50 || static_cast<double>(n) >= 1.1 * static_cast<double>(m_fittedOn);
        // Running trials as constant liars at the best value seen, so parallel suggestions spread out.
        std::vector<const TrialView*> running;
        for (const TrialView& trial : history) {
            if (trial.state == TrialState::Running && trial.number != number)
                running.push_back(&trial);
        }
        const double liar = m_anyFeasible ? m_best : y.minCoeff();
        m_objective.update(x, y, refit, running, liar, *this);
        fitConstraints(finished, x, refit);
        if (refit) {
            m_fitted = true;
            m_fittedOn = n;
        }

        std::vector<std::vector<double>> candidates;
        for (int c = 0; c < kRandomCandidates; ++c)
            candidates.push_back(m_space.encode(m_space.decode(randomPoint(m_space.size(), random.next(), number))));
        // Local candidates around the best trials (feasible ones first, with several objectives by rank).
        const std::vector<std::size_t> byRank = centresOf(finished, target);
        const std::size_t centres = std::min<std::size_t>(kLocalCentres, byRank.size());
        for (std::size_t i = 0; i < centres; ++i) {
            const std::vector<double> centre = m_space.encode(finished[byRank[i]]->params);
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
        const Eigen::VectorXd score = acquisition(cx);
        std::vector<std::pair<double, std::size_t>> scored;
        for (std::size_t c = 0; c < candidates.size(); ++c)
            scored.emplace_back(score[static_cast<Eigen::Index>(c)], c);
        std::sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) { return a.first > b.first; });

        std::vector<std::pair<double, std::vector<double>>> polished;
        for (std::size_t i = 0; i < std::min<std::size_t>(kPolished, scored.size()); ++i) {
            std::vector<double> point = candidates[scored[i].second];
            const double value = polish(point);
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

    /// What the GP models for each finished trial: its loss; with several objectives ParEGO's augmented Chebyshev
    /// scalarisation (Knowles, IEEE TEC 2006) of the objectives scaled to [0, 1] over the finished trials, under
    /// weights drawn afresh for each suggestion (uniform on the simplex), so the search covers the whole front.
    [[nodiscard]] static std::vector<double> targets(const std::vector<const TrialView*>& finished,
                                                     util::Random& random)
    {
        std::vector<double> target;
        const std::size_t objectives = finished.front()->losses.size();
        if (objectives < 2) {
            for (const TrialView* trial : finished)
                target.push_back(*trial->loss);
            return target;
        }
        std::vector<double> low(objectives, INFINITY);
        std::vector<double> high(objectives, -INFINITY);
        for (const TrialView* trial : finished) {
            for (std::size_t m = 0; m < objectives; ++m) {
                low[m] = std::min(low[m], trial->losses[m]);
                high[m] = std::max(high[m], trial->losses[m]);
            }
        }
        std::vector<double> weight(objectives);
        double sum = 0.0;
        for (double& w : weight) {
            w = -std::log(1.0 - random.uniform()); // exponential draws, normalised: uniform on the simplex
            sum += w;
        }
        for (double& w : weight)
            w /= sum;
        constexpr double kAugmentation = 0.05;
        for (const TrialView* trial : finished) {
            double largest = -INFINITY;
            double total = 0.0;
            for (std::size_t m = 0; m < objectives; ++m) {
                const double scaled = high[m] > low[m] ? (trial->losses[m] - low[m]) / (high[m] - low[m]) : 0.0;
                largest = std::max(largest, weight[m] * scaled);
                total += weight[m] * scaled;
            }
            target.push_back(largest + kAugmentation * total);
        }
        return target;
    }

    /// Beyond kMaxModelPoints the GP sees the best half (by target) and the latest rest; `target` follows.
    static void selectModelPoints(std::vector<const TrialView*>& finished, std::vector<double>& target)
    {
        if (finished.size() <= kMaxModelPoints)
            return;
        std::vector<std::size_t> order(finished.size());
        std::iota(order.begin(), order.end(), std::size_t{0});
        std::stable_sort(order.begin(), order.end(),
                         [&](std::size_t a, std::size_t b) { return target[a] < target[b]; });
        std::vector<bool> chosen(finished.size(), false);
        std::size_t count = 0;
        for (std::size_t k = 0; k < kMaxModelPoints / 2; ++k, ++count)
            chosen[order[k]] = true;
        for (std::size_t i = finished.size(); i-- > 0 && count < kMaxModelPoints;) {
            if (!chosen[i]) {
                chosen[i] = true;
                ++count;
            }
        }
        std::vector<const TrialView*> keptTrials;
        std::vector<double> keptTargets;
        // The best half first, in order, then the latest (as the model saw them before).
        for (std::size_t k = 0; k < kMaxModelPoints / 2; ++k) {
            keptTrials.push_back(finished[order[k]]);
            keptTargets.push_back(target[order[k]]);
            chosen[order[k]] = false;
        }
        for (std::size_t i = finished.size(); i-- > 0;) {
            if (chosen[i]) {
                keptTrials.push_back(finished[i]);
                keptTargets.push_back(target[i]);
            }
        }
        finished = std::move(keptTrials);
        target = std::move(keptTargets);
    }

    /// The trials to search around: feasible ones by target, then infeasible ones by violation.
    [[nodiscard]] static std::vector<std::size_t> centresOf(const std::vector<const TrialView*>& finished,
                                                            const std::vector<double>& target)
    {
        std::vector<std::size_t> order(finished.size());
        std::iota(order.begin(), order.end(), std::size_t{0});
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
            const bool fa = finished[a]->feasible();
            const bool fb = finished[b]->feasible();
            if (fa != fb)
                return fa;
            return fa ? target[a] < target[b] : finished[a]->violation() < finished[b]->violation();
        });
        return order;
    }

    /// One GP per constraint on its slack (Gardner et al., ICML 2014): the acquisition weighs EI by the probability
    /// that every constraint is met.
    void fitConstraints(const std::vector<const TrialView*>& finished, const Eigen::MatrixXd& x, bool refit)
    {
        const std::size_t count = finished.front()->slacks.size();
        m_constraints.resize(count);
        for (std::size_t c = 0; c < count; ++c) {
            std::vector<Eigen::Index> rows;
            for (std::size_t i = 0; i < finished.size(); ++i) {
                if (finished[i]->slacks.size() == count && std::isfinite(finished[i]->slacks[c]))
                    rows.push_back(static_cast<Eigen::Index>(i));
            }
            Eigen::MatrixXd cx(static_cast<Eigen::Index>(rows.size()), m_featureCount);
            Eigen::VectorXd cy(cx.rows());
            for (std::size_t k = 0; k < rows.size(); ++k) {
                cx.row(static_cast<Eigen::Index>(k)) = x.row(rows[k]);
                cy[static_cast<Eigen::Index>(k)] = finished[static_cast<std::size_t>(rows[k])]->slacks[c];
            }
            m_constraints[c].update(cx, cy, refit, {}, 0.0, *this);
        }
    }

    /// log EI at the best feasible target (nothing while no trial is feasible) plus the log probability that each
    /// constraint is met.
    [[nodiscard]] Eigen::VectorXd acquisition(const Eigen::MatrixXd& points) const
    {
        Eigen::VectorXd score = Eigen::VectorXd::Zero(points.rows());
        Eigen::VectorXd mean;
        Eigen::VectorXd variance;
        if (m_anyFeasible) {
            m_objective.gp.predict(points, mean, variance);
            for (Eigen::Index i = 0; i < points.rows(); ++i)
                score[i] = logExpectedImprovement(mean[i], variance[i], m_best);
        }
        for (const Model& constraint : m_constraints) {
            if (!constraint.fitted)
                continue;
            constraint.gp.predict(points, mean, variance);
            for (Eigen::Index i = 0; i < points.rows(); ++i)
                score[i] += logNormalCdf(-mean[i] / std::sqrt(std::max(variance[i], 1e-300)));
        }
        return score;
    }

    /// Maximises the acquisition over the numeric coordinates of `point` (choices held fixed); returns the value.
    double polish(std::vector<double>& point) const
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
        } context{this, &point, &free};
        auto objective = [](unsigned n, const double* x, double*, void* data) -> double {
            auto* ctx = static_cast<Context*>(data);
            for (unsigned i = 0; i < n; ++i)
                (*ctx->point)[(*ctx->free)[i]] = x[i];
            return -ctx->self->acquisition(ctx->self->features(*ctx->point))[0];
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

    /// A GP with the hyperparameters it was last fitted with: refitted on the strategy's schedule, otherwise
    /// conditioned on the new data with the kept hyperparameters; `liars` enter at `liar`.
    struct Model
    {
        GaussianProcess gp;
        GpHyperparameters hyper;
        bool fitted = false;

        void update(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, bool refit,
                    const std::vector<const TrialView*>& liars, double liar, const BayesianStrategy& strategy)
        {
            if (x.rows() < 2)
                return;
            if (refit || !fitted) {
                gp.fit(x, y, fitted ? &hyper : nullptr);
                hyper = gp.hyperparameters();
                fitted = true;
                if (liars.empty())
                    return;
            }
            Eigen::MatrixXd xl(x.rows() + static_cast<Eigen::Index>(liars.size()), x.cols());
            Eigen::VectorXd yl(xl.rows());
            xl.topRows(x.rows()) = x;
            yl.head(x.rows()) = y;
            for (std::size_t i = 0; i < liars.size(); ++i) {
                xl.row(x.rows() + static_cast<Eigen::Index>(i))
                    = strategy.features(strategy.m_space.encode(liars[i]->params));
                yl[x.rows() + static_cast<Eigen::Index>(i)] = liar;
            }
            gp.condition(xl, yl, hyper);
        }
    };

    SearchSpace m_space;
    std::uint64_t m_seed;
    int m_startup;
    std::vector<Eigen::Index> m_firstFeature;
    Eigen::Index m_featureCount = 0;
    Model m_objective;
    std::vector<Model> m_constraints;
    double m_best = INFINITY; ///< the best feasible target of the current suggestion
    bool m_anyFeasible = false;
    bool m_fitted = false;
    Eigen::Index m_fittedOn = 0;
};

} // namespace

std::unique_ptr<Strategy> makeBayesian(const SearchSpace& space, const StrategyOptions& options)
{
    return std::make_unique<BayesianStrategy>(space, options);
}

} // namespace tunebench::tuning::detail

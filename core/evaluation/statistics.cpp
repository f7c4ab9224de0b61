#include "evaluation/statistics.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>

#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/fisher_f.hpp>
#include <boost/math/distributions/students_t.hpp>

namespace tunebench::evaluation {

CorrectedTTest correctedResampledTTest(const std::vector<double>& a, const std::vector<double>& b, double testFraction)
{
    if (a.size() != b.size() || a.size() < 2)
        throw std::invalid_argument("the corrected t-test needs the same folds, at least two, for both algorithms");
    if (!(testFraction > 0.0 && testFraction < 1.0))
        throw std::invalid_argument("the test fraction must be between 0 and 1");
    const auto folds = static_cast<double>(a.size());
    std::vector<double> differences(a.size());
    for (std::size_t j = 0; j < a.size(); ++j)
        differences[j] = a[j] - b[j];
    CorrectedTTest result;
    result.meanDifference = std::accumulate(differences.begin(), differences.end(), 0.0) / folds;
    double squares = 0.0;
    for (double d : differences)
        squares += (d - result.meanDifference) * (d - result.meanDifference);
    const double variance = squares / (folds - 1.0);
    result.degreesOfFreedom = static_cast<int>(a.size()) - 1;
    const double ratio = testFraction / (1.0 - testFraction); // n_test / n_train
    const double scale = std::sqrt((1.0 / folds + ratio) * variance);
    if (scale == 0.0) {
        result.t = result.meanDifference == 0.0 ? 0.0 : std::copysign(INFINITY, result.meanDifference);
        result.pValue = result.meanDifference == 0.0 ? 1.0 : 0.0;
        return result;
    }
    result.t = result.meanDifference / scale;
    const boost::math::students_t distribution(result.degreesOfFreedom);
    result.pValue = 2.0 * boost::math::cdf(boost::math::complement(distribution, std::abs(result.t)));
    return result;
}

namespace {

/// Critical values q_alpha of the Nemenyi test for k = 2 .. 10 (Demsar 2006, Table 5a): the studentized
/// range statistic divided by sqrt(2).
constexpr std::array<double, 9> kNemenyi05 = {1.960, 2.343, 2.569, 2.728, 2.850, 2.949, 3.031, 3.102, 3.164};
constexpr std::array<double, 9> kNemenyi10 = {1.645, 2.052, 2.291, 2.459, 2.589, 2.693, 2.780, 2.855, 2.920};

} // namespace

FriedmanTest friedmanTest(const Eigen::MatrixXd& scores, bool higherIsBetter, double alpha)
{
    const Eigen::Index datasets = scores.rows();
    const Eigen::Index k = scores.cols();
    if (datasets < 2 || k < 2)
        throw std::invalid_argument("the Friedman test needs at least two datasets and two algorithms");
    if (k > 10)
        throw std::invalid_argument("the Nemenyi critical values are tabulated for at most 10 algorithms");
    if (alpha != 0.05 && alpha != 0.10)
        throw std::invalid_argument("alpha must be 0.05 or 0.10");
    FriedmanTest result;
    result.averageRanks = Eigen::VectorXd::Zero(k);
    std::vector<Eigen::Index> order(static_cast<std::size_t>(k));
    for (Eigen::Index i = 0; i < datasets; ++i) {
        std::iota(order.begin(), order.end(), Eigen::Index{0});
        std::sort(order.begin(), order.end(), [&](Eigen::Index x, Eigen::Index y) {
            return higherIsBetter ? scores(i, x) > scores(i, y) : scores(i, x) < scores(i, y);
        });
        for (Eigen::Index start = 0; start < k;) {
            Eigen::Index end = start;
            while (end < k
                   && scores(i, order[static_cast<std::size_t>(end)])
                       == scores(i, order[static_cast<std::size_t>(start)]))
                ++end;
            const double rank = (static_cast<double>(start + 1) + static_cast<double>(end)) / 2.0; // ties: mean rank
            for (Eigen::Index m = start; m < end; ++m)
                result.averageRanks[order[static_cast<std::size_t>(m)]] += rank;
            start = end;
        }
    }
    const auto n = static_cast<double>(datasets);
    const auto kd = static_cast<double>(k);
    result.averageRanks /= n;
    result.chiSquare
        = 12.0 * n / (kd * (kd + 1.0)) * (result.averageRanks.squaredNorm() - kd * (kd + 1.0) * (kd + 1.0) / 4.0);
    result.pValue = boost::math::cdf(
        boost::math::complement(boost::math::chi_squared(kd - 1.0), std::max(0.0, result.chiSquare)));
    const double denominator = n * (kd - 1.0) - result.chiSquare;
    if (denominator > 0.0) {
        result.imanDavenportF = (n - 1.0) * result.chiSquare / denominator;
        const boost::math::fisher_f f(kd - 1.0, (kd - 1.0) * (n - 1.0));
        result.imanDavenportPValue = boost::math::cdf(boost::math::complement(f, std::max(0.0, result.imanDavenportF)));
    } else {
        result.imanDavenportF = INFINITY; // every dataset ranks the algorithms the same way
        result.imanDavenportPValue = 0.0;
    }
    const double q = (alpha == 0.05 ? kNemenyi05 : kNemenyi10)[static_cast<std::size_t>(k - 2)];
    result.criticalDifference = q * std::sqrt(kd * (kd + 1.0) / (6.0 * n));
    return result;
}

} // namespace tunebench::evaluation

#pragma once

#include <vector>

#include <Eigen/Core>

namespace tunebench::evaluation {

/// The corrected resampled t-test of Nadeau and Bengio (2003) for two algorithms evaluated on the same
/// J folds (k-fold, possibly repeated): the variance of the differences is inflated by n_test / n_train
/// to account for the overlap of training sets between folds.
struct CorrectedTTest
{
    double meanDifference = 0.0; ///< mean of a - b over the folds
    double t = 0.0;
    int degreesOfFreedom = 0; ///< J - 1
    double pValue = 1.0; ///< two-sided
};

/// `a` and `b`: one score per fold, the same folds in the same order. Throws std::invalid_argument for
/// fewer than two folds or mismatched lengths.
[[nodiscard]] CorrectedTTest correctedResampledTTest(const std::vector<double>& a, const std::vector<double>& b,
                                                     double testFraction);

/// The Friedman test over several datasets (rows) and algorithms (columns), with the Iman-Davenport F
/// correction and the Nemenyi critical difference of average ranks (Demsar 2006, JMLR 7).
struct FriedmanTest
{
    Eigen::VectorXd averageRanks; ///< rank 1 is the best; ties share the average rank
    double chiSquare = 0.0; ///< Friedman's statistic, k - 1 degrees of freedom
    double pValue = 1.0;
    double imanDavenportF = 0.0; ///< F with (k - 1, (k - 1)(N - 1)) degrees of freedom
    double imanDavenportPValue = 1.0;
    double criticalDifference = 0.0; ///< Nemenyi: two average ranks further apart than this differ at alpha
};

/// `scores`: datasets x algorithms; `higherIsBetter` says which way ranks go. `alpha` is 0.05 or 0.10
/// (the Nemenyi critical values are tabulated for k = 2 .. 10 algorithms, as in Demsar's Table 5).
[[nodiscard]] FriedmanTest friedmanTest(const Eigen::MatrixXd& scores, bool higherIsBetter, double alpha = 0.05);

} // namespace tunebench::evaluation

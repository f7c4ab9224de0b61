#pragma once

#include <cstdint>
#include <vector>

#include <Eigen/Core>

namespace tunebench::tuning {

struct ImportanceOptions
{
    int trees = 64; ///< as Optuna's FanovaImportanceEvaluator
    int maxDepth = 64;
    int minSamplesLeaf = 1;
    std::uint64_t seed = 0;
    int threads = 1;
};

/// How much of the objective's variation each hyperparameter explains on its own.
struct Importance
{
    /// Per dimension: the variance of its main effect (the objective averaged over every other
    /// dimension) as a fraction of the total variance, averaged over the surrogate's trees. The
    /// fractions sum to at most 1; the rest is explained by interactions.
    std::vector<double> mainEffects;
    /// The main effects scaled to sum to 1 (all zero when nothing varies): what the bar chart shows.
    std::vector<double> normalised;
};

/// Functional ANOVA (Hutter, Hoos & Leyton-Brown 2014) on a random-forest surrogate of the objective.
/// `points`: one row per trial in the unit cube of the search space (NaN for an inactive conditional
/// dimension: it is given a uniformly drawn value, since the objective does not depend on it there);
/// `objective`: one value per row. Each tree partitions the cube into boxes, so its main effects are
/// exact piecewise-constant integrals: O(leaves) per tree and dimension.
/// Throws std::invalid_argument for fewer than two rows or mismatched sizes.
[[nodiscard]] Importance functionalAnova(const Eigen::MatrixXd& points, const Eigen::VectorXd& objective,
                                         const ImportanceOptions& options = {});

/// The forest surrogate's prediction averaged over every dimension but `first` and `second` (its exact
/// two-dimensional partial dependence): `resolution` x `resolution` cells over the unit square, the value
/// at the centre of cell (a, b) in `values[a * resolution + b]`, a along `first`. Same forest as
/// functionalAnova for the same options.
struct PairMarginal
{
    int resolution = 0;
    std::vector<double> values;
};
[[nodiscard]] PairMarginal pairMarginal(const Eigen::MatrixXd& points, const Eigen::VectorXd& objective,
                                        Eigen::Index first, Eigen::Index second, int resolution = 40,
                                        const ImportanceOptions& options = {});

} // namespace tunebench::tuning

#include "tuning/importance.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "algorithms/tree.h"
#include "util/parallel.h"

namespace tunebench::tuning {

namespace {

using algorithms::cart::Tree;

struct TreeEffects
{
    double totalVariance = 0.0;
    std::vector<double> mainVariance;
};

/// The exact variance decomposition of one tree's piecewise-constant function over the unit cube.
TreeEffects effectsOf(const Tree& tree, Eigen::Index dimensions)
{
    const auto d = static_cast<std::size_t>(dimensions);
    const std::vector<Tree::LeafBox> leaves = tree.leafBoxes(std::vector<double>(d, 0.0), std::vector<double>(d, 1.0));
    std::vector<double> volume(leaves.size(), 1.0);
    double mean = 0.0;
    double meanSquare = 0.0;
    for (std::size_t l = 0; l < leaves.size(); ++l) {
        for (std::size_t j = 0; j < d; ++j)
            volume[l] *= leaves[l].upper[j] - leaves[l].lower[j];
        mean += volume[l] * leaves[l].value;
        meanSquare += volume[l] * leaves[l].value * leaves[l].value;
    }
    TreeEffects effects;
    effects.totalVariance = std::max(0.0, meanSquare - mean * mean);
    effects.mainVariance.assign(d, 0.0);
    if (effects.totalVariance <= 0.0)
        return effects;

    std::vector<double> cuts;
    std::vector<double> change;
    for (std::size_t j = 0; j < d; ++j) {
        // The main effect of j is constant between consecutive leaf boundaries along j: each leaf adds
        // value x (its volume in the other dimensions) over its own interval, a range of those pieces.
        cuts.clear();
        for (const Tree::LeafBox& leaf : leaves) {
            cuts.push_back(leaf.lower[j]);
            cuts.push_back(leaf.upper[j]);
        }
        std::sort(cuts.begin(), cuts.end());
        cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
        if (cuts.size() < 3)
            continue; // no split on j: a constant main effect
        change.assign(cuts.size(), 0.0);
        for (std::size_t l = 0; l < leaves.size(); ++l) {
            const double width = leaves[l].upper[j] - leaves[l].lower[j];
            const double height = leaves[l].value * volume[l] / width;
            const auto begin = std::lower_bound(cuts.begin(), cuts.end(), leaves[l].lower[j]) - cuts.begin();
            const auto end = std::lower_bound(cuts.begin(), cuts.end(), leaves[l].upper[j]) - cuts.begin();
            change[static_cast<std::size_t>(begin)] += height;
            change[static_cast<std::size_t>(end)] -= height;
        }
        double effect = 0.0;
        double square = 0.0;
        for (std::size_t piece = 0; piece + 1 < cuts.size(); ++piece) {
            effect += change[piece];
            square += (cuts[piece + 1] - cuts[piece]) * effect * effect;
        }
        effects.mainVariance[j] = std::max(0.0, square - mean * mean);
    }
    return effects;
}

} // namespace

namespace {

/// The random forest both analyses read: bootstrap samples, all features, squared error; inactive values
/// drawn uniformly. Each tree is seeded by its index, so the forest does not depend on the thread count.
std::vector<Tree> growSurrogate(const Eigen::MatrixXd& points, const Eigen::VectorXd& objective,
                                const ImportanceOptions& options)
{
    if (points.rows() != objective.size())
        throw std::invalid_argument("the surrogate needs one objective value per point");
    if (points.rows() < 2)
        throw std::invalid_argument("the surrogate needs at least two trials");
    const Eigen::Index n = points.rows();
    Eigen::MatrixXd features = points;
    util::Random imputation(options.seed ^ 0x9e3779b97f4a7c15ull);
    for (Eigen::Index j = 0; j < features.cols(); ++j) {
        for (Eigen::Index i = 0; i < n; ++i) {
            if (!std::isfinite(features(i, j)))
                features(i, j) = imputation.uniform();
        }
    }
    const algorithms::cart::BinnedFeatures binned(features);
    algorithms::cart::TreeOptions treeOptions;
    treeOptions.criterion = algorithms::cart::Criterion::SquaredError;
    treeOptions.maxDepth = options.maxDepth;
    treeOptions.minSamplesLeaf = options.minSamplesLeaf;

    const auto treeCount = static_cast<std::size_t>(std::max(1, options.trees));
    std::vector<Tree> trees(treeCount);
    util::parallelFor(treeCount, options.threads, [&](std::size_t t) {
        util::Random random(options.seed * 1000003ull + t);
        std::vector<double> weights(static_cast<std::size_t>(n), 0.0);
        for (Eigen::Index i = 0; i < n; ++i)
            weights[static_cast<std::size_t>(random.below(static_cast<std::uint64_t>(n)))] += 1.0;
        trees[t] = Tree::grow(binned, objective, weights, 0, treeOptions, random, algorithms::TrainingContext());
    });
    return trees;
}

} // namespace

Importance functionalAnova(const Eigen::MatrixXd& points, const Eigen::VectorXd& objective,
                           const ImportanceOptions& options)
{
    const Eigen::Index d = points.cols();
    std::vector<TreeEffects> effects;
    for (const Tree& tree : growSurrogate(points, objective, options))
        effects.push_back(effectsOf(tree, d));

    Importance importance;
    importance.mainEffects.assign(static_cast<std::size_t>(d), 0.0);
    int varying = 0;
    for (const TreeEffects& tree : effects) {
        if (tree.totalVariance <= 0.0)
            continue;
        ++varying;
        for (Eigen::Index j = 0; j < d; ++j)
            importance.mainEffects[static_cast<std::size_t>(j)]
                += tree.mainVariance[static_cast<std::size_t>(j)] / tree.totalVariance;
    }
    double sum = 0.0;
    for (double& effect : importance.mainEffects) {
        effect = varying > 0 ? effect / varying : 0.0;
        sum += effect;
    }
    importance.normalised.assign(static_cast<std::size_t>(d), 0.0);
    if (sum > 0.0) {
        for (std::size_t j = 0; j < importance.mainEffects.size(); ++j)
            importance.normalised[j] = importance.mainEffects[j] / sum;
    }
    return importance;
}

PairMarginal pairMarginal(const Eigen::MatrixXd& points, const Eigen::VectorXd& objective, Eigen::Index first,
                          Eigen::Index second, int resolution, const ImportanceOptions& options)
{
    if (first < 0 || second < 0 || first >= points.cols() || second >= points.cols() || first == second)
        throw std::invalid_argument("pairMarginal: two different dimensions of the points are needed");
    if (resolution < 1)
        throw std::invalid_argument("pairMarginal: the resolution must be positive");
    const auto d = static_cast<std::size_t>(points.cols());
    const std::vector<Tree> trees = growSurrogate(points, objective, options);
    PairMarginal marginal{resolution, std::vector<double>(static_cast<std::size_t>(resolution * resolution), 0.0)};
    const auto i = static_cast<std::size_t>(first);
    const auto j = static_cast<std::size_t>(second);
    // The cells whose centres (c + 0.5) / resolution lie in [lower, upper).
    auto cells = [resolution](double lower, double upper) {
        const int from = std::max(0, static_cast<int>(std::ceil(lower * resolution - 0.5)));
        const int to = std::min(resolution, static_cast<int>(std::ceil(upper * resolution - 0.5)));
        return std::pair{from, to};
    };
    for (const Tree& tree : trees) {
        for (const Tree::LeafBox& leaf : tree.leafBoxes(std::vector<double>(d, 0.0), std::vector<double>(d, 1.0))) {
            // Averaging over the other dimensions weighs the leaf by its volume in them.
            double weight = leaf.value;
            for (std::size_t k = 0; k < d; ++k) {
                if (k != i && k != j)
                    weight *= leaf.upper[k] - leaf.lower[k];
            }
            const auto [aFrom, aTo] = cells(leaf.lower[i], leaf.upper[i]);
            const auto [bFrom, bTo] = cells(leaf.lower[j], leaf.upper[j]);
            for (int a = aFrom; a < aTo; ++a) {
                for (int b = bFrom; b < bTo; ++b)
                    marginal.values[static_cast<std::size_t>(a * resolution + b)] += weight;
            }
        }
    }
    for (double& value : marginal.values)
        value /= static_cast<double>(trees.size());
    return marginal;
}

} // namespace tunebench::tuning

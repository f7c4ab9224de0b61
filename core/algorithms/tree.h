#pragma once

// Internal: CART on binned features, shared by `tree` and `forest`.

#include <cstdint>
#include <vector>

#include <QJsonObject>

#include "algorithms/algorithm.h"
#include "util/random.h"

namespace tunebench::algorithms::cart {

/// Features discretised once per training set: each feature's values map to at most `maxBins` ordered bins
/// (one per distinct value when there are that few, else quantiles). Split thresholds are midpoints
/// between neighbouring bins, so a fitted tree applies to raw feature values. A forest's trees use 256
/// bins (fast, and averaging smooths the coarser cuts); a single tree uses kExactBins, so that on up to
/// 65,536 distinct values per feature it splits exactly where scikit-learn's CART does.
class BinnedFeatures
{
public:
    using Code = std::uint16_t;
    static constexpr int kExactBins = 65536;
    static constexpr int kForestBins = 256;

    /// Throws util::Cancelled when the context is cancelled while it sorts.
    explicit BinnedFeatures(const Eigen::MatrixXd& features, int maxBins = kForestBins,
                            const TrainingContext& context = {});
    [[nodiscard]] Eigen::Index rows() const { return m_rows; }
    [[nodiscard]] Eigen::Index features() const { return static_cast<Eigen::Index>(m_thresholds.size()); }
    [[nodiscard]] const Code* codes(Eigen::Index feature) const { return m_codes.data() + feature * m_rows; }
    [[nodiscard]] int bins(Eigen::Index feature) const
    {
        return static_cast<int>(m_thresholds[static_cast<std::size_t>(feature)].size()) + 1;
    }
    /// Value between bin b and bin b + 1.
    [[nodiscard]] double threshold(Eigen::Index feature, int bin) const
    {
        return m_thresholds[static_cast<std::size_t>(feature)][static_cast<std::size_t>(bin)];
    }

private:
    Eigen::Index m_rows;
    std::vector<Code> m_codes; ///< feature-major: codes[f * rows + i]
    std::vector<std::vector<double>> m_thresholds;
};

enum class Criterion
{
    Gini,
    Entropy,
    SquaredError,
};

struct TreeOptions
{
    Criterion criterion = Criterion::Gini;
    int maxDepth = 0; ///< 0: unlimited
    int minSamplesSplit = 2;
    int minSamplesLeaf = 1;
    int maxFeatures = 0; ///< features tried per split; 0: all
    /// Minimal cost-complexity pruning after growing (scikit-learn's ccp_alpha); 0: none.
    double ccpAlpha = 0.0;
};

/// One step of minimal cost-complexity pruning: the effective alpha at which it happens and the total
/// impurity of the leaves after it (each leaf's impurity weighted by its share of the training weight).
struct PruningStep
{
    double alpha = 0.0;
    double impurity = 0.0;
};

/// One fitted tree. Leaves hold class probabilities (classification) or a mean (regression).
class Tree
{
public:
    /// Grows a tree on the rows with non-zero weight (bootstrap counts for forests).
    static Tree grow(const BinnedFeatures& binned, const Eigen::VectorXd& target, const std::vector<double>& weights,
                     int classes, const TreeOptions& options, util::Random& random, const TrainingContext& context);
    /// Adds this tree's prediction for one example to `out` (classes values, or one for regression).
    void accumulate(const double* example, Eigen::Index stride, double* out) const;
    /// The same for `count` examples stored row by row (`width` features each), into `out` (one column of
    /// outputs per example, `outStride` apart). Several examples walk the tree side by side: their node
    /// loads overlap instead of waiting on each other.
    void accumulateRows(const double* rows, Eigen::Index width, Eigen::Index count, double* out,
                        Eigen::Index outStride) const;
    [[nodiscard]] std::size_t nodeCount() const { return m_nodes.size(); }
    [[nodiscard]] int depth() const { return m_depth; }
    [[nodiscard]] std::size_t leafCount() const;
    /// Minimal cost-complexity pruning (Breiman et al. 1984, ch. 3, as scikit-learn's ccp_alpha): while the
    /// weakest link, the split that buys the least impurity per extra leaf, costs at most `alpha`, it becomes
    /// a leaf. Returns the path from the grown tree: (0, its leaf impurity), then one step per pruned split,
    /// as scikit-learn's cost_complexity_pruning_path (pass infinity for the whole path, to the root). Only
    /// for a tree grown here, not one read from a file (which keeps no node impurities).
    std::vector<PruningStep> prune(double alpha);
    /// Weighted impurity decrease per feature (the basis of impurity-based importances).
    [[nodiscard]] const std::vector<double>& importances() const { return m_importances; }
    /// The highest feature index a split uses, or -1 for a single leaf.
    [[nodiscard]] int maxFeature() const;

    /// One leaf as the axis-aligned box of inputs that reach it, within given bounds.
    struct LeafBox
    {
        std::vector<double> lower;
        std::vector<double> upper;
        double value = 0.0; ///< the first output (the mean for regression)
    };
    /// Every leaf's box within [lower, upper] (one bound per feature); leaves whose box is empty there are
    /// left out. The boxes partition the bounds.
    [[nodiscard]] std::vector<LeafBox> leafBoxes(const std::vector<double>& lower,
                                                 const std::vector<double>& upper) const;

    [[nodiscard]] QJsonObject toJson() const;
    /// Checks every index (children after their parent, values in range): a bad file cannot make
    /// prediction loop or read out of bounds. Throws std::invalid_argument.
    static Tree fromJson(const QJsonObject& json);

private:
    struct Node
    {
        std::int32_t feature = -1; ///< -1: leaf
        double threshold = 0.0;
        std::int32_t left = 0;
        std::int32_t right = 0;
        std::int32_t value = 0; ///< offset into m_values (leaves)
        double weight = 0.0; ///< training weight that reached the node (grown trees only, for pruning)
        double impurity = 0.0;
    };
    /// Makes `node` a leaf predicting the class shares of `v` (classification) or its mean.
    void makeLeaf(Node& node, const std::vector<double>& v, double weight, bool classification);
    /// A node as prediction walks it: 16 bytes, a split's children side by side (`next` and `next + 1`: x <=
    /// threshold goes to next, anything else, NaN too, to next + 1); a leaf has feature -1 and `next` its
    /// offset into m_values.
    struct WalkNode
    {
        double threshold = 0.0;
        std::int32_t feature = -1;
        std::int32_t next = 0;
    };
    /// Lays m_nodes out as m_walk, depth first: after growing, reading or pruning.
    void layOutForPrediction();

    std::vector<Node> m_nodes;
    std::vector<WalkNode> m_walk;
    std::vector<double> m_values;
    std::vector<double> m_importances;
    int m_outputs = 1;
    int m_depth = 0;
};

/// Predictions of an ensemble (one tree is an ensemble of one): probabilities or values averaged over trees.
/// Rows go in blocks (copied row by row, so an example's features are side by side) on up to `threads`
/// threads, every tree over a block before the next; each row sums its trees in order, so the result does not
/// depend on the blocks or the threads.
Prediction predictEnsemble(const std::vector<Tree>& trees, const Eigen::MatrixXd& features, int classes,
                           int threads = 1);

} // namespace tunebench::algorithms::cart

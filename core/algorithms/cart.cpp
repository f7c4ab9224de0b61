#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numeric>
#include <span>
#include <stdexcept>

#include <QJsonArray>

#include "algorithms/tree.h"
#include "util/parallel.h"

namespace tunebench::algorithms::cart {

BinnedFeatures::BinnedFeatures(const Eigen::MatrixXd& features, int maxBins, const TrainingContext& context)
    : m_rows(features.rows())
{
    if (maxBins < 2 || maxBins > kExactBins)
        throw std::invalid_argument("BinnedFeatures: maxBins must be in [2, 65536]");
    const Eigen::Index p = features.cols();
    m_codes.resize(static_cast<std::size_t>(m_rows * p));
    m_thresholds.resize(static_cast<std::size_t>(p));
    // Each feature's rows are sorted once; codes are then handed out walking up the sorted values.
    std::vector<std::pair<double, std::int32_t>> sorted(static_cast<std::size_t>(m_rows));
    std::vector<double> distinct;
    for (Eigen::Index f = 0; f < p; ++f) {
        context.throwIfCancelled(); // a feature of 80,000 rows sorts in about 8 ms
        for (Eigen::Index i = 0; i < m_rows; ++i)
            sorted[static_cast<std::size_t>(i)] = {features(i, f), static_cast<std::int32_t>(i)};
        std::sort(sorted.begin(), sorted.end());
        distinct.clear();
        for (const auto& [v, row] : sorted) {
            if (distinct.empty() || v != distinct.back())
                distinct.push_back(v);
        }
        std::vector<double>& cuts = m_thresholds[static_cast<std::size_t>(f)];
        if (static_cast<int>(distinct.size()) <= maxBins) {
            for (std::size_t k = 0; k + 1 < distinct.size(); ++k)
                cuts.push_back(distinct[k] + (distinct[k + 1] - distinct[k]) / 2.0);
        } else {
            // Quantile cuts over the rows, placed halfway between neighbouring distinct values.
            for (int b = 1; b < maxBins; ++b) {
                const double q
                    = sorted[static_cast<std::size_t>(static_cast<double>(b) / maxBins * (sorted.size() - 1))].first;
                const auto above = std::upper_bound(distinct.begin(), distinct.end(), q);
                if (above == distinct.end())
                    break;
                const double cut = q + (*above - q) / 2.0;
                if (cuts.empty() || cut > cuts.back())
                    cuts.push_back(cut);
            }
        }
        // A value's code is the number of cuts below it.
        Code* codes = m_codes.data() + f * m_rows;
        std::size_t below = 0;
        for (const auto& [v, row] : sorted) {
            while (below < cuts.size() && cuts[below] < v)
                ++below;
            codes[row] = static_cast<Code>(below);
        }
    }
}

namespace {

/// Sorts (code, row) pairs by code: a few by comparison, more by two stable counting passes over the code's
/// bytes, linear where a comparison sort of a large node's rows was most of a tree's time.
void sortByCode(std::vector<std::pair<BinnedFeatures::Code, std::int32_t>>& pairs,
                std::vector<std::pair<BinnedFeatures::Code, std::int32_t>>& scratch)
{
    if (pairs.size() <= 256) {
        std::sort(pairs.begin(), pairs.end());
        return;
    }
    scratch.resize(pairs.size());
    for (int shift : {0, 8}) {
        std::array<std::size_t, 257> start{};
        for (const auto& pair : pairs)
            ++start[((pair.first >> shift) & 0xFF) + 1];
        for (std::size_t b = 1; b < start.size(); ++b)
            start[b] += start[b - 1];
        for (const auto& pair : pairs)
            scratch[start[(pair.first >> shift) & 0xFF]++] = pair;
        pairs.swap(scratch);
    }
}

/// Sufficient statistics of a set of weighted examples: class weights, or weight, sum and sum of squares.
struct Stats
{
    std::vector<double> v; // classification: classes entries; regression: {weight, sum, sum of squares}
    double weight = 0.0;
    int rows = 0;
};

double impurity(const double* v, int width, double weight, Criterion criterion)
{
    if (weight <= 0.0)
        return 0.0;
    switch (criterion) {
    case Criterion::Gini: {
        double sum = 0.0;
        for (int k = 0; k < width; ++k)
            sum += v[k] * v[k];
        return 1.0 - sum / (weight * weight);
    }
    case Criterion::Entropy: {
        double h = 0.0;
        for (int k = 0; k < width; ++k) {
            if (v[k] > 0.0) {
                const double p = v[k] / weight;
                h -= p * std::log2(p);
            }
        }
        return h;
    }
    case Criterion::SquaredError: {
        const double mean = v[1] / weight;
        return std::max(0.0, v[2] / weight - mean * mean);
    }
    }
    return 0.0;
}

double impurity(const Stats& s, Criterion criterion)
{
    return impurity(s.v.data(), static_cast<int>(s.v.size()), s.weight, criterion);
}

/// The statistics of `rows`.
Stats statsOf(std::span<const std::int32_t> rows, const std::vector<double>& weights, const Eigen::VectorXd& target,
              int width, bool classification)
{
    Stats s{std::vector<double>(static_cast<std::size_t>(width), 0.0), 0.0, 0};
    for (std::int32_t row : rows) {
        const double w = weights[static_cast<std::size_t>(row)];
        const double y = target[row];
        s.weight += w;
        s.rows += 1;
        if (classification) {
            s.v[static_cast<std::size_t>(y)] += w;
        } else {
            s.v[0] += w;
            s.v[1] += w * y;
            s.v[2] += w * y * y;
        }
    }
    return s;
}

/// The statistics of one feature's bins present in a node (present[k] is the k-th), in flat arrays: by a
/// histogram with a slot per bin (large nodes), or by sorting the node's codes, with a slot per present bin
/// (small nodes, where most of up to 65,536 bins are empty). Its buffers are reused from node to node.
struct BinStats
{
    std::vector<double> weight;
    std::vector<int> rows;
    std::vector<double> values; ///< `width` per slot
    std::vector<int> present;
    bool sorted = false;
    std::vector<std::pair<BinnedFeatures::Code, std::int32_t>> pairs;
    std::vector<std::pair<BinnedFeatures::Code, std::int32_t>> scratch;

    /// The slot of the k-th present bin.
    [[nodiscard]] std::size_t slot(std::size_t k) const { return sorted ? k : static_cast<std::size_t>(present[k]); }

    void fill(const BinnedFeatures::Code* codes, int bins, std::span<const std::int32_t> nodeRows,
              const std::vector<double>& weights, const Eigen::VectorXd& target, int width, bool classification)
    {
        auto addToSlot = [&](int slot, std::int32_t row) {
            const double w = weights[static_cast<std::size_t>(row)];
            const double y = target[row];
            weight[static_cast<std::size_t>(slot)] += w;
            ++rows[static_cast<std::size_t>(slot)];
            double* v = values.data() + static_cast<std::ptrdiff_t>(slot) * width;
            if (classification) {
                v[static_cast<int>(y)] += w;
            } else {
                v[0] += w;
                v[1] += w * y;
                v[2] += w * y * y;
            }
        };
        present.clear();
        sorted = static_cast<int>(nodeRows.size()) * 4 < bins;
        if (sorted) {
            pairs.clear();
            for (std::int32_t row : nodeRows)
                pairs.emplace_back(codes[row], row);
            sortByCode(pairs, scratch);
            weight.clear();
            rows.clear();
            values.clear();
            for (const auto& [code, row] : pairs) {
                if (present.empty() || present.back() != code) {
                    present.push_back(code);
                    weight.push_back(0.0);
                    rows.push_back(0);
                    values.resize(values.size() + static_cast<std::size_t>(width), 0.0);
                }
                addToSlot(static_cast<int>(present.size()) - 1, row);
            }
            return;
        }
        weight.assign(static_cast<std::size_t>(bins), 0.0);
        rows.assign(static_cast<std::size_t>(bins), 0);
        values.assign(static_cast<std::size_t>(bins) * static_cast<std::size_t>(width), 0.0);
        for (std::int32_t row : nodeRows)
            addToSlot(codes[row], row);
        for (int b = 0; b < bins; ++b) {
            if (rows[static_cast<std::size_t>(b)] > 0)
                present.push_back(b);
        }
    }
};

} // namespace

void Tree::makeLeaf(Node& node, const std::vector<double>& v, double weight, bool classification)
{
    node.feature = -1;
    node.value = static_cast<std::int32_t>(m_values.size());
    if (classification) {
        for (double c : v)
            m_values.push_back(weight > 0 ? c / weight : 0.0);
    } else {
        m_values.push_back(weight > 0 ? v[1] / weight : 0.0);
    }
}

Tree Tree::grow(const BinnedFeatures& binned, const Eigen::VectorXd& target, const std::vector<double>& weights,
                int classes, const TreeOptions& options, util::Random& random, const TrainingContext& context)
{
    Tree tree;
    const bool classification = options.criterion != Criterion::SquaredError;
    const int width = classification ? classes : 3;
    tree.m_outputs = classification ? classes : 1;
    const Eigen::Index p = binned.features();
    tree.m_importances.assign(static_cast<std::size_t>(p), 0.0);

    std::vector<std::int32_t> rows;
    rows.reserve(static_cast<std::size_t>(binned.rows()));
    for (Eigen::Index i = 0; i < binned.rows(); ++i) {
        if (weights[static_cast<std::size_t>(i)] > 0.0)
            rows.push_back(static_cast<std::int32_t>(i));
    }
    const Stats root = statsOf(rows, weights, target, width, classification);

    struct Task
    {
        std::int32_t node;
        std::size_t begin;
        std::size_t end;
        int depth;
        Stats stats;
    };
    std::vector<Task> stack;
    tree.m_nodes.emplace_back();
    stack.push_back({0, 0, rows.size(), 0, root});

    std::vector<Eigen::Index> featureOrder(static_cast<std::size_t>(p));
    std::iota(featureOrder.begin(), featureOrder.end(), Eigen::Index{0});
    const int tries
        = options.maxFeatures > 0 ? std::min<int>(options.maxFeatures, static_cast<int>(p)) : static_cast<int>(p);
    BinStats histogram;
    std::vector<double> leftValues(static_cast<std::size_t>(width));
    std::vector<double> rightValues(static_cast<std::size_t>(width));
    while (!stack.empty()) {
        Task task = std::move(stack.back());
        stack.pop_back();
        context.throwIfCancelled();
        // A node's statistics are summed over its own rows, as scikit-learn's trees do. Subtracting one
        // child's from the parent's would carry rounding: with fractional weights (class_weight), a pure leaf
        // would keep crumbs of 1e-17 of another class, enough to reorder predictions ranked by probability.
        if (task.node != 0)
            task.stats = statsOf(std::span(rows).subspan(task.begin, task.end - task.begin), weights, target, width,
                                 classification);
        tree.m_depth = std::max(tree.m_depth, task.depth);
        const double parentImpurity = impurity(task.stats, options.criterion);
        const int count = static_cast<int>(task.end - task.begin);
        const bool mayStop = (options.maxDepth > 0 && task.depth >= options.maxDepth) || count < options.minSamplesSplit
            || count < 2 * options.minSamplesLeaf || parentImpurity <= 1e-12;

        Eigen::Index bestFeature = -1;
        int bestBin = -1;
        // Any split that leaves min_samples_leaf on both sides is taken, even without a gain: an impure node
        // is split until it is pure or cannot be, as scikit-learn's trees do (a split that gains nothing
        // can open the way to one that does, as in XOR).
        double bestGain = -std::numeric_limits<double>::infinity();
        if (!mayStop) {
            // Features tried at this node: a random subset (all, in random order, when tries == p).
            for (int t = 0; t < tries; ++t)
                std::swap(featureOrder[static_cast<std::size_t>(t)],
                          featureOrder[static_cast<std::size_t>(t) + random.below(static_cast<std::uint64_t>(p - t))]);
            for (int t = 0; t < tries; ++t) {
                // A large node's feature takes milliseconds (80,000 rows: about 2 ms): checked each time.
                context.throwIfCancelled();
                const Eigen::Index f = featureOrder[static_cast<std::size_t>(t)];
                const BinnedFeatures::Code* codes = binned.codes(f);
                const int bins = binned.bins(f);
                if (bins < 2)
                    continue;
                histogram.fill(codes, bins, std::span(rows).subspan(task.begin, task.end - task.begin), weights, target,
                               width, classification);
                std::fill(leftValues.begin(), leftValues.end(), 0.0);
                double leftWeight = 0.0;
                int leftRows = 0;
                for (std::size_t k = 0; k + 1 < histogram.present.size(); ++k) {
                    const std::size_t slot = histogram.slot(k);
                    leftWeight += histogram.weight[slot];
                    leftRows += histogram.rows[slot];
                    for (int c = 0; c < width; ++c)
                        leftValues[static_cast<std::size_t>(c)]
                            += histogram.values[slot * static_cast<std::size_t>(width) + static_cast<std::size_t>(c)];
                    const int rightRows = task.stats.rows - leftRows;
                    if (leftRows < options.minSamplesLeaf || rightRows < options.minSamplesLeaf)
                        continue;
                    for (int c = 0; c < width; ++c)
                        rightValues[static_cast<std::size_t>(c)]
                            = task.stats.v[static_cast<std::size_t>(c)] - leftValues[static_cast<std::size_t>(c)];
                    const double rightWeight = task.stats.weight - leftWeight;
                    const double gain = task.stats.weight * parentImpurity
                        - leftWeight * impurity(leftValues.data(), width, leftWeight, options.criterion)
                        - rightWeight * impurity(rightValues.data(), width, rightWeight, options.criterion);
                    if (gain > bestGain) {
                        bestGain = gain;
                        bestFeature = f;
                        bestBin = histogram.present[k];
                    }
                }
            }
        }

        Node& node = tree.m_nodes[static_cast<std::size_t>(task.node)];
        node.weight = task.stats.weight;
        node.impurity = parentImpurity;
        if (bestFeature < 0) {
            tree.makeLeaf(node, task.stats.v, task.stats.weight, classification);
            continue;
        }
        tree.m_importances[static_cast<std::size_t>(bestFeature)] += std::max(bestGain, 0.0);
        const BinnedFeatures::Code* codes = binned.codes(bestFeature);
        const auto middle = std::partition(rows.begin() + static_cast<std::ptrdiff_t>(task.begin),
                                           rows.begin() + static_cast<std::ptrdiff_t>(task.end),
                                           [&](std::int32_t row) { return codes[row] <= bestBin; });
        const auto split = static_cast<std::size_t>(middle - rows.begin());
        node.feature = static_cast<std::int32_t>(bestFeature);
        node.threshold = binned.threshold(bestFeature, bestBin);
        const auto leftIndex = static_cast<std::int32_t>(tree.m_nodes.size());
        node.left = leftIndex;
        node.right = leftIndex + 1;
        tree.m_nodes.emplace_back(); // invalidates `node`
        tree.m_nodes.emplace_back();
        stack.push_back({leftIndex + 1, split, task.end, task.depth + 1, {}});
        stack.push_back({leftIndex, task.begin, split, task.depth + 1, {}});
    }
    if (options.ccpAlpha > 0.0)
        (void)tree.prune(options.ccpAlpha);
    else
        tree.layOutForPrediction();
    return tree;
}

std::size_t Tree::leafCount() const
{
    return static_cast<std::size_t>(
        std::count_if(m_nodes.begin(), m_nodes.end(), [](const Node& node) { return node.feature < 0; }));
}

std::vector<PruningStep> Tree::prune(double alpha)
{
    // Children come after their parent, so one pass down the indices visits every subtree before its root.
    const std::size_t count = m_nodes.size();
    const double total = m_nodes.front().weight;
    std::vector<std::int32_t> parent(count, -1);
    std::vector<double> own(count); // R(t): the node's impurity weighted by its share of the training weight
    std::vector<double> branch(count); // R(T_t): the same summed over the leaves of its subtree
    std::vector<std::size_t> leaves(count, 1);
    for (std::size_t i = count; i-- > 0;) {
        const Node& node = m_nodes[i];
        own[i] = total > 0.0 ? node.weight / total * node.impurity : 0.0;
        if (node.feature < 0) {
            branch[i] = own[i];
            continue;
        }
        const auto l = static_cast<std::size_t>(node.left);
        const auto r = static_cast<std::size_t>(node.right);
        parent[l] = parent[r] = static_cast<std::int32_t>(i);
        branch[i] = branch[l] + branch[r];
        leaves[i] = leaves[l] + leaves[r];
    }
    // Pruned nodes become leaves; nodes below them are dropped. The weakest link is found by a scan of the
    // remaining splits per step: trees are small next to the cost of growing them.
    std::vector<char> leaf(count), dropped(count);
    for (std::size_t i = 0; i < count; ++i)
        leaf[i] = m_nodes[i].feature < 0;
    std::vector<PruningStep> path{{0.0, branch.front()}};
    while (!leaf.front()) {
        std::size_t weakest = 0;
        double weakestAlpha = std::numeric_limits<double>::infinity();
        for (std::size_t i = 0; i < count; ++i) {
            if (leaf[i] || dropped[i])
                continue;
            const double effective = (own[i] - branch[i]) / static_cast<double>(leaves[i] - 1);
            if (effective < weakestAlpha) {
                weakestAlpha = effective;
                weakest = i;
            }
        }
        if (weakestAlpha > alpha)
            break;
        const double gained = own[weakest] - branch[weakest];
        const std::size_t lost = leaves[weakest] - 1;
        for (auto up = static_cast<std::int32_t>(weakest); up >= 0; up = parent[static_cast<std::size_t>(up)]) {
            branch[static_cast<std::size_t>(up)] += gained;
            leaves[static_cast<std::size_t>(up)] -= lost;
        }
        leaf[weakest] = 1;
        // Everything below it goes (children have higher indices than their parents).
        for (std::size_t i = weakest + 1; i < count; ++i)
            dropped[i] = dropped[i]
                || (parent[i] >= 0
                    && (dropped[static_cast<std::size_t>(parent[i])]
                        || static_cast<std::size_t>(parent[i]) == weakest));
        path.push_back({weakestAlpha, branch.front()});
    }
    if (path.size() == 1)
        return path;

    // A pruned node's prediction: its children's, weighted by their training weight, computed upwards.
    std::vector<double> values(count * static_cast<std::size_t>(m_outputs), 0.0);
    const auto outputs = static_cast<std::size_t>(m_outputs);
    for (std::size_t i = count; i-- > 0;) {
        const Node& node = m_nodes[i];
        double* value = values.data() + i * outputs;
        if (node.feature < 0) {
            std::copy_n(m_values.data() + node.value, outputs, value);
            continue;
        }
        const Node& left = m_nodes[static_cast<std::size_t>(node.left)];
        const Node& right = m_nodes[static_cast<std::size_t>(node.right)];
        const double* l = values.data() + static_cast<std::size_t>(node.left) * outputs;
        const double* r = values.data() + static_cast<std::size_t>(node.right) * outputs;
        const double weight = left.weight + right.weight;
        for (std::size_t k = 0; k < outputs; ++k)
            value[k] = weight > 0.0 ? (left.weight * l[k] + right.weight * r[k]) / weight : 0.0;
    }

    // Rebuild the kept nodes in the same parent-before-children order, with importances and depth anew.
    std::vector<Node> nodes;
    std::vector<double> leafValues;
    std::fill(m_importances.begin(), m_importances.end(), 0.0);
    m_depth = 0;
    struct Visit
    {
        std::size_t old;
        std::size_t slot;
        int depth;
    };
    std::vector<Visit> stack{{0, 0, 0}};
    nodes.emplace_back();
    while (!stack.empty()) {
        const Visit visit = stack.back();
        stack.pop_back();
        Node node = m_nodes[visit.old];
        m_depth = std::max(m_depth, visit.depth);
        if (leaf[visit.old]) {
            node.feature = -1;
            node.left = node.right = 0;
            node.value = static_cast<std::int32_t>(leafValues.size());
            leafValues.insert(leafValues.end(), values.begin() + static_cast<std::ptrdiff_t>(visit.old * outputs),
                              values.begin() + static_cast<std::ptrdiff_t>((visit.old + 1) * outputs));
            nodes[visit.slot] = node;
            continue;
        }
        const Node& left = m_nodes[static_cast<std::size_t>(node.left)];
        const Node& right = m_nodes[static_cast<std::size_t>(node.right)];
        m_importances[static_cast<std::size_t>(node.feature)]
            += node.weight * node.impurity - left.weight * left.impurity - right.weight * right.impurity;
        const auto leftSlot = nodes.size();
        stack.push_back({static_cast<std::size_t>(node.right), leftSlot + 1, visit.depth + 1});
        stack.push_back({static_cast<std::size_t>(node.left), leftSlot, visit.depth + 1});
        node.left = static_cast<std::int32_t>(leftSlot);
        node.right = static_cast<std::int32_t>(leftSlot + 1);
        node.value = 0;
        nodes[visit.slot] = node;
        nodes.emplace_back();
        nodes.emplace_back();
    }
    m_nodes = std::move(nodes);
    m_values = std::move(leafValues);
    layOutForPrediction();
    return path;
}

void Tree::accumulate(const double* example, Eigen::Index stride, double* out) const
{
    const WalkNode* nodes = m_walk.data();
    const WalkNode* node = nodes;
    while (node->feature >= 0)
        node = nodes + node->next + (example[node->feature * stride] <= node->threshold ? 0 : 1);
    const double* value = m_values.data() + node->next;
    for (int k = 0; k < m_outputs; ++k)
        out[k] += value[k];
}

void Tree::accumulateRows(const double* rows, Eigen::Index width, Eigen::Index count, double* out,
                          Eigen::Index outStride) const
{
    // Sixteen examples walk side by side: measured fastest on synth_100k's 20,000 test rows, 100 trees, one
    // thread (8 lanes 0.35 s, 16 0.22 s, 32 0.28 s; 16 walking every path to the deepest leaf without a test
    // for leaves, 0.24 s; one example at a time 0.77 s).
    constexpr Eigen::Index kLanes = 16;
    const WalkNode* nodes = m_walk.data();
    for (Eigen::Index first = 0; first < count; first += kLanes) {
        const Eigen::Index lanes = std::min(kLanes, count - first);
        std::array<const WalkNode*, kLanes> at{};
        std::array<const double*, kLanes> example{};
        for (Eigen::Index l = 0; l < lanes; ++l) {
            at[static_cast<std::size_t>(l)] = nodes;
            example[static_cast<std::size_t>(l)] = rows + (first + l) * width;
        }
        for (bool walking = true; walking;) {
            walking = false;
            for (std::size_t l = 0; l < static_cast<std::size_t>(lanes); ++l) {
                const WalkNode* node = at[l];
                if (node->feature < 0)
                    continue;
                at[l] = nodes + node->next + (example[l][node->feature] <= node->threshold ? 0 : 1);
                walking = true;
            }
        }
        for (Eigen::Index l = 0; l < lanes; ++l) {
            const double* value = m_values.data() + at[static_cast<std::size_t>(l)]->next;
            double* sum = out + (first + l) * outStride;
            for (int k = 0; k < m_outputs; ++k)
                sum[k] += value[k];
        }
    }
}

void Tree::layOutForPrediction()
{
    m_walk.assign(1, WalkNode{});
    m_walk.reserve(m_nodes.size());
    std::vector<std::pair<std::int32_t, std::size_t>> stack{{0, 0}}; // (node, its slot)
    while (!stack.empty()) {
        const auto [index, slot] = stack.back();
        stack.pop_back();
        const Node& node = m_nodes[static_cast<std::size_t>(index)];
        if (node.feature < 0) {
            m_walk[slot] = {0.0, -1, node.value};
            continue;
        }
        const auto children = static_cast<std::int32_t>(m_walk.size());
        m_walk.resize(m_walk.size() + 2);
        m_walk[slot] = {node.threshold, node.feature, children};
        stack.emplace_back(node.right, static_cast<std::size_t>(children) + 1);
        stack.emplace_back(node.left, static_cast<std::size_t>(children));
    }
}

std::vector<Tree::LeafBox> Tree::leafBoxes(const std::vector<double>& lower, const std::vector<double>& upper) const
{
    std::vector<LeafBox> leaves;
    std::vector<std::pair<std::int32_t, LeafBox>> stack;
    stack.push_back({0, LeafBox{lower, upper, 0.0}});
    while (!stack.empty()) {
        auto [index, box] = std::move(stack.back());
        stack.pop_back();
        const Node& node = m_nodes[static_cast<std::size_t>(index)];
        if (node.feature < 0) {
            box.value = m_values[static_cast<std::size_t>(node.value)];
            leaves.push_back(std::move(box));
            continue;
        }
        const auto f = static_cast<std::size_t>(node.feature);
        // Inputs equal to the threshold go left; with continuous bounds that boundary has no volume.
        if (node.threshold > box.lower[f]) {
            LeafBox left = box;
            left.upper[f] = std::min(box.upper[f], node.threshold);
            stack.push_back({node.left, std::move(left)});
        }
        if (node.threshold < box.upper[f]) {
            box.lower[f] = std::max(box.lower[f], node.threshold);
            stack.push_back({node.right, std::move(box)});
        }
    }
    return leaves;
}

int Tree::maxFeature() const
{
    int highest = -1;
    for (const Node& node : m_nodes)
        highest = std::max(highest, static_cast<int>(node.feature));
    return highest;
}

QJsonObject Tree::toJson() const
{
    QJsonArray feature, threshold, left, right, value;
    for (const Node& node : m_nodes) {
        feature.append(node.feature);
        threshold.append(node.threshold);
        left.append(node.left);
        right.append(node.right);
        value.append(node.value);
    }
    QJsonArray values;
    for (double v : m_values)
        values.append(v);
    return {{QStringLiteral("feature"), feature},   {QStringLiteral("threshold"), threshold},
            {QStringLiteral("left"), left},         {QStringLiteral("right"), right},
            {QStringLiteral("value"), value},       {QStringLiteral("values"), values},
            {QStringLiteral("outputs"), m_outputs}, {QStringLiteral("depth"), m_depth}};
}

Tree Tree::fromJson(const QJsonObject& json)
{
    Tree tree;
    const QJsonArray feature = json.value(QStringLiteral("feature")).toArray();
    const QJsonArray threshold = json.value(QStringLiteral("threshold")).toArray();
    const QJsonArray left = json.value(QStringLiteral("left")).toArray();
    const QJsonArray right = json.value(QStringLiteral("right")).toArray();
    const QJsonArray value = json.value(QStringLiteral("value")).toArray();
    for (const QJsonValue& v : json.value(QStringLiteral("values")).toArray())
        tree.m_values.push_back(v.toDouble());
    tree.m_outputs = json.value(QStringLiteral("outputs")).toInt();
    tree.m_depth = json.value(QStringLiteral("depth")).toInt();
    const qsizetype count = feature.size();
    if (count == 0 || threshold.size() != count || left.size() != count || right.size() != count
        || value.size() != count || tree.m_outputs < 1)
        throw std::invalid_argument("malformed tree in the model");
    for (qsizetype i = 0; i < count; ++i) {
        Node node;
        node.feature = feature.at(i).toInt();
        node.threshold = threshold.at(i).toDouble();
        node.left = left.at(i).toInt();
        node.right = right.at(i).toInt();
        node.value = value.at(i).toInt();
        const bool split = node.feature >= 0;
        const bool childrenOk = !split || (node.left > i && node.right > i && node.left < count && node.right < count);
        const bool valueOk = split
            || (node.value >= 0
                && static_cast<std::size_t>(node.value) + static_cast<std::size_t>(tree.m_outputs)
                    <= tree.m_values.size());
        if (!childrenOk || !valueOk)
            throw std::invalid_argument("malformed tree in the model");
        tree.m_nodes.push_back(node);
    }
    tree.layOutForPrediction();
    return tree;
}

Prediction predictEnsemble(const std::vector<Tree>& trees, const Eigen::MatrixXd& features, int classes, int threads)
{
    for (const Tree& tree : trees) {
        if (tree.maxFeature() >= features.cols())
            throw std::invalid_argument("the model expects more features than it was given");
    }
    const Eigen::Index n = features.rows();
    const Eigen::Index width = classes > 0 ? classes : 1;
    // One column per example: its outputs side by side.
    Eigen::MatrixXd sums = Eigen::MatrixXd::Zero(width, n);
    // Every tree walks a whole block of rows before the next tree: the tree is read from memory once a block.
    // Blocks of about 3 MB of features (8,192 rows of 50 features), one per thread at least: on synth_100k's
    // 20,000 test rows, 100 trees, one thread, 256 rows a block took 0.26 s, 1,024 0.20 s, 4,096 0.15 s,
    // 8,192 0.13 s.
    constexpr Eigen::Index kBlockBytes = 3 << 20;
    const Eigen::Index perThread = (n + std::max(1, threads) - 1) / std::max(1, threads);
    const Eigen::Index block = std::clamp<Eigen::Index>(
        std::min(kBlockBytes / (8 * std::max<Eigen::Index>(1, features.cols())), perThread), 64, 8192);
    const auto blocks = static_cast<std::size_t>((n + block - 1) / block);
    util::parallelFor(blocks, std::max(1, threads), [&](std::size_t b) {
        const Eigen::Index begin = static_cast<Eigen::Index>(b) * block;
        const Eigen::Index rows = std::min(block, n - begin);
        const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> copy
            = features.middleRows(begin, rows);
        for (const Tree& tree : trees)
            tree.accumulateRows(copy.data(), copy.cols(), rows, sums.col(begin).data(), width);
    });
    const auto scale = 1.0 / static_cast<double>(trees.size());
    Prediction prediction;
    if (classes > 0) {
        prediction.probabilities = sums.transpose() * scale;
        prediction.values = argmaxRows(prediction.probabilities);
    } else {
        prediction.values = sums.row(0).transpose() * scale;
    }
    return prediction;
}

} // namespace tunebench::algorithms::cart

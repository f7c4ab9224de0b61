// `knn`: k nearest neighbours by brute force, with distances computed in blocks by matrix products.

#include <algorithm>
#include <cmath>
#include <numeric>

#include "algorithms/builtin_p.h"

namespace tunebench::algorithms::builtin {

namespace {

/// A neighbour: its distance and its training row.
struct Neighbour
{
    double distance;
    Eigen::Index index;
};

/// Nearest first; equal distances keep the training order, as scikit-learn's brute force does.
bool closer(const Neighbour& a, const Neighbour& b)
{
    return a.distance < b.distance || (a.distance == b.distance && a.index < b.index);
}

/// Offers training rows first ... first + count - 1, at distances distanceOf(0) ... distanceOf(count - 1), to
/// `kept`: a max-heap (by `closer`) of the k nearest among the rows offered so far, always in increasing row
/// order. A row then enters only when strictly nearer than the k-th (an equal one comes after it in training
/// order), so most rows cost one comparison.
template<typename DistanceOf>
void keepNearest(const DistanceOf& distanceOf, Eigen::Index first, Eigen::Index count, Eigen::Index k,
                 std::vector<Neighbour>& kept)
{
    Eigen::Index j = 0;
    for (; j < count && static_cast<Eigen::Index>(kept.size()) < k; ++j) {
        kept.push_back({distanceOf(j), first + j});
        std::push_heap(kept.begin(), kept.end(), closer);
    }
    if (j == count)
        return;
    double worst = kept.front().distance;
    for (; j < count; ++j) {
        const double distance = distanceOf(j);
        if (distance < worst) {
            std::pop_heap(kept.begin(), kept.end(), closer);
            kept.back() = {distance, first + j};
            std::push_heap(kept.begin(), kept.end(), closer);
            worst = kept.front().distance;
        }
    }
}

/// A k-d tree over the training points (median splits on the widest dimension, leaves of up to 16 points).
/// Its answers equal brute force's, ties included: a subtree is skipped only when it cannot hold a point
/// closer than, or as close as, the k-th found so far. Fast in few dimensions, so used there only.
class KdTree
{
public:
    KdTree(const Eigen::MatrixXd& points, bool manhattan)
        : m_points(points)
        , m_manhattan(manhattan)
    {
        m_index.resize(static_cast<std::size_t>(points.rows()));
        std::iota(m_index.begin(), m_index.end(), Eigen::Index{0});
        build(0, points.rows());
    }

    /// The k nearest points to `query` (a row of as many values as features), nearest first.
    void search(const double* query, Eigen::Index k, std::vector<Neighbour>& result) const
    {
        result.clear();
        visit(0, query, k, result);
        std::sort_heap(result.begin(), result.end(), closer);
    }

private:
    static constexpr Eigen::Index kLeaf = 16;
    struct Node
    {
        Eigen::Index begin;
        Eigen::Index end;
        Eigen::Index dimension = -1; ///< -1: leaf
        double split = 0.0;
        int left = -1;
        int right = -1;
    };

    int build(Eigen::Index begin, Eigen::Index end)
    {
        const int id = static_cast<int>(m_nodes.size());
        m_nodes.push_back({begin, end});
        if (end - begin <= kLeaf)
            return id;
        Eigen::Index widest = 0;
        double widestSpread = -1.0;
        for (Eigen::Index d = 0; d < m_points.cols(); ++d) {
            double lo = INFINITY;
            double hi = -INFINITY;
            for (Eigen::Index r = begin; r < end; ++r) {
                const double v = m_points(m_index[static_cast<std::size_t>(r)], d);
                lo = std::min(lo, v);
                hi = std::max(hi, v);
            }
            if (hi - lo > widestSpread) {
                widestSpread = hi - lo;
                widest = d;
            }
        }
        if (widestSpread <= 0.0)
            return id; // all points equal: a leaf, whatever its size
        const Eigen::Index middle = begin + (end - begin) / 2;
        auto first = m_index.begin() + begin;
        std::nth_element(first, m_index.begin() + middle, m_index.begin() + end,
                         [&](Eigen::Index a, Eigen::Index b) { return m_points(a, widest) < m_points(b, widest); });
        const double split = m_points(m_index[static_cast<std::size_t>(middle)], widest);
        // Left: values < split (and some equal to it); right: values >= split. The plane bound holds either way.
        const int left = build(begin, middle);
        const int right = build(middle, end);
        Node& node = m_nodes[static_cast<std::size_t>(id)];
        node.dimension = widest;
        node.split = split;
        node.left = left;
        node.right = right;
        return id;
    }

    double distance(const double* query, Eigen::Index point) const
    {
        double sum = 0.0;
        for (Eigen::Index d = 0; d < m_points.cols(); ++d) {
            const double diff = query[d] - m_points(point, d);
            sum += m_manhattan ? std::abs(diff) : diff * diff;
        }
        return m_manhattan ? sum : std::sqrt(sum);
    }

    void visit(int id, const double* query, Eigen::Index k, std::vector<Neighbour>& heap) const
    {
        const Node& node = m_nodes[static_cast<std::size_t>(id)];
        if (node.dimension < 0) {
            for (Eigen::Index r = node.begin; r < node.end; ++r) {
                const Eigen::Index point = m_index[static_cast<std::size_t>(r)];
                const Neighbour candidate{distance(query, point), point};
                if (static_cast<Eigen::Index>(heap.size()) < k) {
                    heap.push_back(candidate);
                    std::push_heap(heap.begin(), heap.end(), closer); // the worst kept on top
                } else if (closer(candidate, heap.front())) {
                    std::pop_heap(heap.begin(), heap.end(), closer);
                    heap.back() = candidate;
                    std::push_heap(heap.begin(), heap.end(), closer);
                }
            }
            return;
        }
        const double offset = query[node.dimension] - node.split;
        const int near = offset < 0.0 ? node.left : node.right;
        const int far = offset < 0.0 ? node.right : node.left;
        visit(near, query, k, heap);
        // |offset| bounds the distance to any point across the plane (for both metrics); equal may still tie.
        if (static_cast<Eigen::Index>(heap.size()) < k || std::abs(offset) <= heap.front().distance)
            visit(far, query, k, heap);
    }

    const Eigen::MatrixXd& m_points;
    bool m_manhattan;
    std::vector<Eigen::Index> m_index;
    std::vector<Node> m_nodes;
};

class KnnModel final : public Model
{
public:
    KnnModel(Eigen::MatrixXd points, Eigen::VectorXd target, int classes, int k, bool distanceWeights, bool manhattan)
        : m_points(std::move(points))
        , m_target(std::move(target))
        , m_classes(classes)
        , m_k(k)
        , m_distanceWeights(distanceWeights)
        , m_manhattan(manhattan)
    {
        m_squaredNorms = m_points.rowwise().squaredNorm();
        // A tree pays off with many points in few dimensions; brute force by matrix products otherwise.
        if (m_points.rows() >= kTreeMinimumRows && m_points.cols() <= kTreeMaximumFeatures)
            m_tree = std::make_unique<KdTree>(m_points, m_manhattan);
    }

    KnnModel(const KnnModel&) = delete; // the tree refers to m_points: never copied or moved
    KnnModel& operator=(const KnnModel&) = delete;

    static constexpr Eigen::Index kTreeMinimumRows = 2048;
    static constexpr Eigen::Index kTreeMaximumFeatures = 16;
    [[nodiscard]] bool usesTree() const { return m_tree != nullptr; }

    Prediction predict(const Eigen::MatrixXd& features) const override { return predictCancellable(features, {}); }

    Prediction predictCancellable(const Eigen::MatrixXd& features, const TrainingContext& context) const override
    {
        const Eigen::Index n = features.rows();
        const Eigen::Index m = m_points.rows();
        const auto k = static_cast<Eigen::Index>(std::min<Eigen::Index>(m_k, m));
        Prediction prediction;
        if (m_classes > 0)
            prediction.probabilities = Eigen::MatrixXd::Zero(n, m_classes);
        prediction.values.resize(n);
        std::vector<Neighbour> nearest;
        if (m_tree) {
            const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> queries = features;
            for (Eigen::Index i = 0; i < n; ++i) {
                if (i % 256 == 0)
                    context.throwIfCancelled();
                m_tree->search(queries.row(i).data(), k, nearest);
                vote(nearest, i, prediction);
            }
        } else {
            // Tiles of 256 queries x 4,096 training rows (8 MB of distances): each tile's training rows are
            // packed for the matrix product once per 256 queries, and every query keeps its k nearest so far
            // across the tiles of its row, which come in training order.
            constexpr Eigen::Index kQueries = 256;
            constexpr Eigen::Index kPoints = 4096;
            Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> tile;
            std::vector<std::vector<Neighbour>> nearestOf(static_cast<std::size_t>(kQueries));
            for (Eigen::Index start = 0; start < n; start += kQueries) {
                const Eigen::Index rows = std::min(kQueries, n - start);
                const auto block = features.middleRows(start, rows);
                const Eigen::VectorXd ownNorms = block.rowwise().squaredNorm();
                for (auto& kept : nearestOf)
                    kept.clear();
                for (Eigen::Index first = 0; first < m; first += kPoints) {
                    context.throwIfCancelled(); // a tile: about 5 ms
                    const Eigen::Index count = std::min(kPoints, m - first);
                    const auto points = m_points.middleRows(first, count);
                    if (m_manhattan) {
                        tile.resize(rows, count);
                        for (Eigen::Index i = 0; i < rows; ++i)
                            tile.row(i) = (points.rowwise() - block.row(i)).cwiseAbs().rowwise().sum().transpose();
                    } else {
                        tile.noalias() = -2.0 * block * points.transpose();
                    }
                    for (Eigen::Index i = 0; i < rows; ++i) {
                        const double* row = tile.row(i).data();
                        auto& kept = nearestOf[static_cast<std::size_t>(i)];
                        if (m_manhattan) {
                            keepNearest([row](Eigen::Index j) { return row[j]; }, first, count, k, kept);
                        } else {
                            // Squared: |a - b|^2 = -2 a.b + |b|^2 + |a|^2, clamped at 0 against rounding, in the
                            // one pass over the row. Neighbours are chosen by it, as scikit-learn's brute force
                            // does; only theirs is square-rooted.
                            const double* norms = m_squaredNorms.data() + first;
                            const double own = ownNorms[i];
                            keepNearest(
                                [row, norms, own](Eigen::Index j) { return std::max(row[j] + norms[j] + own, 0.0); },
                                first, count, k, kept);
                        }
                    }
                }
                for (Eigen::Index i = 0; i < rows; ++i) {
                    auto& kept = nearestOf[static_cast<std::size_t>(i)];
                    std::sort_heap(kept.begin(), kept.end(), closer);
                    if (!m_manhattan) {
                        for (Neighbour& neighbour : kept)
                            neighbour.distance = std::sqrt(neighbour.distance);
                    }
                    vote(kept, start + i, prediction);
                }
            }
        }
        if (m_classes > 0)
            prediction.values = argmaxRows(prediction.probabilities);
        return prediction;
    }

    QJsonObject toJson() const override
    {
        return {{QStringLiteral("points"), matrixToJson(m_points)},
                {QStringLiteral("target"), matrixToJson(m_target)},
                {QStringLiteral("classes"), m_classes},
                {QStringLiteral("k"), m_k},
                {QStringLiteral("distance_weights"), m_distanceWeights},
                {QStringLiteral("manhattan"), m_manhattan}};
    }

private:
    /// Adds the neighbours' votes (or weighted mean) to row `row` of the prediction.
    void vote(const std::vector<Neighbour>& nearest, Eigen::Index row, Prediction& prediction) const
    {
        double weightSum = 0.0;
        double valueSum = 0.0;
        // Distance weighting as scikit-learn: neighbours at distance 0, if any, share all the weight.
        bool anyExact = false;
        for (const Neighbour& neighbour : nearest)
            anyExact = anyExact || (m_distanceWeights && neighbour.distance == 0.0);
        for (const Neighbour& neighbour : nearest) {
            const double d = neighbour.distance;
            const double weight = !m_distanceWeights ? 1.0 : anyExact ? (d == 0.0 ? 1.0 : 0.0) : 1.0 / d;
            weightSum += weight;
            if (m_classes > 0)
                prediction.probabilities(row, static_cast<Eigen::Index>(m_target[neighbour.index])) += weight;
            else
                valueSum += weight * m_target[neighbour.index];
        }
        if (m_classes > 0)
            prediction.probabilities.row(row) /= weightSum;
        else
            prediction.values[row] = valueSum / weightSum;
    }

    Eigen::MatrixXd m_points;
    Eigen::VectorXd m_target;
    Eigen::VectorXd m_squaredNorms;
    int m_classes;
    int m_k;
    bool m_distanceWeights;
    bool m_manhattan;
    std::unique_ptr<KdTree> m_tree; ///< refers to m_points
};

class Knn final : public Algorithm
{
public:
    std::string id() const override { return "knn"; }
    std::string displayName() const override { return "k nearest neighbours"; }
    std::string description() const override
    {
        return "Predicts from the k closest training examples (majority or mean, optionally weighted by distance).";
    }
    bool supports(data::Task) const override { return true; }

    std::vector<ParamSpec> params() const override
    {
        return {
            ParamSpec::integer("k", 1, 200, 5, Scaling::Log, "Number of neighbours."),
            ParamSpec::categorical("weights", {"uniform", "distance"}, "uniform",
                                   "uniform: every neighbour counts the same; distance: closer ones count more (1/d)."),
            ParamSpec::categorical("metric", {"euclidean", "manhattan"}, "euclidean", "Distance between examples."),
        };
    }

    std::unique_ptr<Model> fit(const TrainingData& train, const Params& params, const TrainingContext& context,
                               const TrainingData* validation) const override
    {
        if (train.rows() == 0)
            throw TrainingError("no training rows");
        // The model keeps its own copy of the training rows: copied a column at a time, since on a large table
        // the copy alone (with the page faults of fresh memory) takes 100 ms or more.
        Eigen::MatrixXd points(train.rows(), train.features.cols());
        for (Eigen::Index column = 0; column < points.cols(); ++column) {
            context.throwIfCancelled();
            points.col(column) = train.features.col(column);
        }
        auto model = std::make_unique<KnnModel>(
            std::move(points), train.target, train.isClassification() ? train.classes : 0,
            static_cast<int>(asInt(params, "k")), asString(params, "weights") == "distance",
            asString(params, "metric") == "manhattan");
        context.throwIfCancelled();
        (void)validation;
        return model;
    }

    std::unique_ptr<Model> loadModel(const QJsonObject& json) const override
    {
        Eigen::MatrixXd points = matrixFromJson(json.value(QStringLiteral("points")));
        const Eigen::MatrixXd target = matrixFromJson(json.value(QStringLiteral("target")));
        const int k = json.value(QStringLiteral("k")).toInt();
        if (target.cols() != 1 || target.rows() != points.rows() || k < 1 || points.rows() == 0)
            throw std::invalid_argument("malformed knn model");
        return std::make_unique<KnnModel>(
            std::move(points), target.col(0), json.value(QStringLiteral("classes")).toInt(), k,
            json.value(QStringLiteral("distance_weights")).toBool(), json.value(QStringLiteral("manhattan")).toBool());
    }
};

} // namespace

std::shared_ptr<const Algorithm> makeKnn()
{
    return std::make_shared<Knn>();
}

} // namespace tunebench::algorithms::builtin

// `knn`: k nearest neighbours by brute force, with distances computed in blocks by matrix products.

#include <algorithm>
#include <cmath>
#include <numeric>

#include "algorithms/builtin_p.h"
#include "util/parallel.h"

namespace tunebench::algorithms::builtin {

namespace {

using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

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
    KdTree(const RowMatrix& points, bool manhattan)
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

    const RowMatrix& m_points;
    bool m_manhattan;
    std::vector<Eigen::Index> m_index;
    std::vector<Node> m_nodes;
};

class KnnModel final : public Model
{
public:
    /// `threads`: the fit's, for its predictions too.
    KnnModel(const Eigen::MatrixXd& points, Eigen::VectorXd target, int classes, int k, bool distanceWeights,
             bool manhattan, int threads = 1)
        : m_squaredNorms(points.rowwise().squaredNorm())
        , m_points(points)
        , m_target(std::move(target))
        , m_classes(classes)
        , m_k(k)
        , m_distanceWeights(distanceWeights)
        , m_manhattan(manhattan)
        , m_threads(threads)
    {
        // A tree pays off with many points in few dimensions; brute force by matrix products otherwise.
        if (m_points.rows() >= kTreeMinimumRows && m_points.cols() <= kTreeMaximumFeatures)
            m_tree = std::make_unique<KdTree>(m_points, m_manhattan);
        else if (!m_manhattan && m_points.cols() > 0 && m_points.allFinite()) {
            m_largestNorm = std::sqrt(m_squaredNorms.maxCoeff());
            if (m_largestNorm < kFilterMaximumNorm) {
                m_filter = true;
                m_pointsSingle = m_points.cast<float>();
                m_squaredNormsSingle = m_squaredNorms.cast<float>();
            }
        }
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
        const auto k = static_cast<Eigen::Index>(std::min<Eigen::Index>(m_k, m_points.rows()));
        Prediction prediction;
        if (m_classes > 0)
            prediction.probabilities = Eigen::MatrixXd::Zero(n, m_classes);
        prediction.values.resize(n);
        // Blocks of queries, handed to the threads in turn; each writes its own rows of the prediction.
        const Eigen::Index block = m_tree ? 256 : kQueries;
        const auto blocks = static_cast<std::size_t>((n + block - 1) / block);
        util::parallelFor(blocks, std::max({1, m_threads, context.threads()}), [&](std::size_t b) {
            const Eigen::Index start = static_cast<Eigen::Index>(b) * block;
            const Eigen::Index rows = std::min(block, n - start);
            const auto block = features.middleRows(start, rows);
            const RowMatrix queries = block;
            std::vector<std::vector<Neighbour>> nearest(static_cast<std::size_t>(rows));
            if (m_tree) {
                context.throwIfCancelled();
                for (Eigen::Index i = 0; i < rows; ++i)
                    m_tree->search(queries.row(i).data(), k, nearest[static_cast<std::size_t>(i)]);
            } else if (m_manhattan) {
                searchManhattan(queries, k, context, nearest);
            } else if (m_filter && filterable(queries)) {
                searchFiltered(queries, block.rowwise().squaredNorm(), k, context, nearest);
            } else {
                searchEuclidean(queries, block.rowwise().squaredNorm(), k, context, nearest);
            }
            for (Eigen::Index i = 0; i < rows; ++i)
                vote(nearest[static_cast<std::size_t>(i)], start + i, prediction);
        });
        if (m_classes > 0)
            prediction.values = argmaxRows(prediction.probabilities);
        return prediction;
    }

    std::int64_t size() const override { return static_cast<std::int64_t>(m_points.size()); }

    QJsonObject toJson() const override
    {
        return {{QStringLiteral("points"), matrixToJson(Eigen::MatrixXd(m_points))},
                {QStringLiteral("target"), matrixToJson(m_target)},
                {QStringLiteral("classes"), m_classes},
                {QStringLiteral("k"), m_k},
                {QStringLiteral("distance_weights"), m_distanceWeights},
                {QStringLiteral("manhattan"), m_manhattan}};
    }

private:
    using SingleMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    /// Queries searched together (a block handed to one thread) and training rows per tile of distances.
    static constexpr Eigen::Index kQueries = 256;
    static constexpr Eigen::Index kPoints = 512;
    /// Beyond this norm, single precision could overflow: the distances are computed in double only.
    static constexpr double kFilterMaximumNorm = 1e15;

    /// The squared Euclidean distance from query row `i` (of squared norm `queryNorm`) to training row `point`
    /// as brute force defines it: (-2 a.b + |b|^2) + |a|^2, clamped at 0 against rounding, the dot product
    /// summed in feature order by fused multiply-adds, which is how Eigen's matrix product sums it (up to 300
    /// features), so that every path ranks neighbours by the same numbers.
    [[nodiscard]] double squaredDistance(const double* query, double queryNorm, Eigen::Index point) const
    {
        const double* row = m_points.row(point).data();
        double dot = 0.0;
        for (Eigen::Index d = 0; d < m_points.cols(); ++d)
            dot = std::fma(query[d], row[d], dot);
        return std::max(-2.0 * dot + m_squaredNorms[point] + queryNorm, 0.0);
    }

    /// Whether single-precision products may screen the queries' candidates (see searchFiltered).
    [[nodiscard]] bool filterable(const RowMatrix& queries) const
    {
        return queries.allFinite() && queries.rowwise().norm().maxCoeff() < kFilterMaximumNorm;
    }

    /// A query's screening in searchFiltered.
    struct Screen
    {
        std::vector<Neighbour> kept; ///< max-heap of the k smallest d~
        std::vector<Neighbour> candidates; ///< rows with d~ <= limit when offered
        float limit = INFINITY; ///< k-th smallest d~ + 2e, rounded up
    };
    static constexpr Eigen::Index kLanes = 16;

    /// Whether any of kLanes training rows is near enough: approximate squared distance -2 dot + norm + own,
    /// clamped at 0, at most `limit`. Computed with Eigen's packets (the widest the instruction set has).
    static bool anyNear(const float* dots, const float* norms, float own, float limit)
    {
        namespace simd = Eigen::internal;
        using Packet = simd::packet_traits<float>::type;
        constexpr Eigen::Index kWidth = simd::packet_traits<float>::size;
        static_assert(kLanes % kWidth == 0);
        const Packet bound = simd::pset1<Packet>(limit);
        const Packet minusTwo = simd::pset1<Packet>(-2.0F);
        const Packet shift = simd::pset1<Packet>(own);
        const Packet zero = simd::pset1<Packet>(0.0F);
        Packet hits = simd::pzero(bound);
        for (Eigen::Index offset = 0; offset < kLanes; offset += kWidth) {
            const Packet distance = simd::pmax(simd::pmadd(minusTwo, simd::ploadu<Packet>(dots + offset),
                                                           simd::padd(simd::ploadu<Packet>(norms + offset), shift)),
                                               zero);
            hits = simd::por(hits, simd::pcmp_le(distance, bound));
        }
        return simd::predux_any(hits);
    }

    /// Offers a training row at approximate distance `row.distance` to a query's screening.
    static void offer(Screen& screen, const Neighbour& row, Eigen::Index k, double margin)
    {
        if (row.distance > screen.limit)
            return;
        screen.candidates.push_back(row);
        if (static_cast<Eigen::Index>(screen.kept.size()) < k) {
            screen.kept.push_back(row);
            std::push_heap(screen.kept.begin(), screen.kept.end(), closer);
            if (static_cast<Eigen::Index>(screen.kept.size()) < k)
                return;
        } else if (row.distance < screen.kept.front().distance) {
            std::pop_heap(screen.kept.begin(), screen.kept.end(), closer);
            screen.kept.back() = row;
            std::push_heap(screen.kept.begin(), screen.kept.end(), closer);
        } else {
            return;
        }
        screen.limit = std::nextafter(static_cast<float>(screen.kept.front().distance + margin), INFINITY);
        if (static_cast<Eigen::Index>(screen.candidates.size()) > 8 * k + 256)
            std::erase_if(screen.candidates, [&screen](const Neighbour& c) { return c.distance > screen.limit; });
    }

    /// Euclidean search in two passes. Single-precision matrix products (twice as fast as double) give every
    /// training row an approximate squared distance d~ within e of its exact one, e bounding the rounding of
    /// both (for n features, (n + 8) 2^-21 (|a| + max |b|)^2, eight times the sum of the standard bounds on a
    /// dot product's and the additions' errors). The k-th smallest d~ plus e bounds the exact k-th distance,
    /// so every neighbour, and every row tied with the k-th, has d~ <= k-th d~ + 2e: those candidates (a few
    /// more than k) get their exact distance, and the k nearest by (distance, training row) are the answer.
    /// Identical to a search in double: same distances, same ties.
    void searchFiltered(const RowMatrix& queries, const Eigen::VectorXd& queryNorms, Eigen::Index k,
                        const TrainingContext& context, std::vector<std::vector<Neighbour>>& nearest) const
    {
        const Eigen::Index rows = queries.rows();
        const Eigen::Index m = m_points.rows();
        const SingleMatrix single = queries.cast<float>();
        const Eigen::VectorXf singleNorms = queryNorms.cast<float>();
        const double errorScale = static_cast<double>(m_points.cols() + 8) * std::ldexp(1.0, -21);
        std::vector<double> margin(static_cast<std::size_t>(rows));
        for (Eigen::Index i = 0; i < rows; ++i) {
            const double reach = std::sqrt(queryNorms[i]) + m_largestNorm;
            margin[static_cast<std::size_t>(i)] = 2.0 * errorScale * reach * reach + 1e-30;
        }
        std::vector<Screen> screens(static_cast<std::size_t>(rows));
        SingleMatrix tile;
        for (Eigen::Index first = 0; first < m; first += kPoints) {
            context.throwIfCancelled(); // a tile: well under a millisecond
            const Eigen::Index count = std::min(kPoints, m - first);
            tile.noalias() = single * m_pointsSingle.middleRows(first, count).transpose();
            const float* norms = m_squaredNormsSingle.data() + first;
            for (Eigen::Index i = 0; i < rows; ++i) {
                Screen& screen = screens[static_cast<std::size_t>(i)];
                const float* dots = tile.row(i).data();
                const float own = singleNorms[i];
                // Sixteen rows at a time, one test for the lot when none is near enough (most of them).
                for (Eigen::Index chunk = 0; chunk < count; chunk += kLanes) {
                    const Eigen::Index width = std::min(kLanes, count - chunk);
                    if (width == kLanes && !anyNear(dots + chunk, norms + chunk, own, screen.limit))
                        continue;
                    for (Eigen::Index l = chunk; l < chunk + width; ++l) {
                        const float approximate = std::max(std::fma(-2.0F, dots[l], norms[l] + own), 0.0F);
                        offer(screen, {approximate, first + l}, k, margin[static_cast<std::size_t>(i)]);
                    }
                }
            }
        }
        for (Eigen::Index i = 0; i < rows; ++i) {
            Screen& screen = screens[static_cast<std::size_t>(i)];
            std::vector<Neighbour>& result = nearest[static_cast<std::size_t>(i)];
            result.clear();
            for (const Neighbour& candidate : screen.candidates) {
                if (candidate.distance <= screen.limit)
                    result.push_back(
                        {squaredDistance(queries.row(i).data(), queryNorms[i], candidate.index), candidate.index});
            }
            const auto kth = result.begin() + std::min<Eigen::Index>(k, static_cast<Eigen::Index>(result.size()));
            std::partial_sort(result.begin(), kth, result.end(), closer);
            result.erase(kth, result.end());
            for (Neighbour& neighbour : result)
                neighbour.distance = std::sqrt(neighbour.distance);
        }
    }

    /// Euclidean search in double throughout: tiles of matrix products, each query keeping its k nearest so
    /// far across the tiles, which come in training order. For values too large for single precision.
    void searchEuclidean(const RowMatrix& queries, const Eigen::VectorXd& queryNorms, Eigen::Index k,
                         const TrainingContext& context, std::vector<std::vector<Neighbour>>& nearest) const
    {
        RowMatrix tile;
        for (Eigen::Index first = 0; first < m_points.rows(); first += kPoints) {
            context.throwIfCancelled();
            const Eigen::Index count = std::min(kPoints, m_points.rows() - first);
            tile.noalias() = -2.0 * queries * m_points.middleRows(first, count).transpose();
            const double* norms = m_squaredNorms.data() + first;
            for (Eigen::Index i = 0; i < queries.rows(); ++i) {
                const double* row = tile.row(i).data();
                const double own = queryNorms[i];
                keepNearest([row, norms, own](Eigen::Index j) { return std::max(row[j] + norms[j] + own, 0.0); }, first,
                            count, k, nearest[static_cast<std::size_t>(i)]);
            }
        }
        for (auto& kept : nearest) {
            std::sort_heap(kept.begin(), kept.end(), closer);
            for (Neighbour& neighbour : kept)
                neighbour.distance = std::sqrt(neighbour.distance);
        }
    }

    /// Manhattan search: tiles of distances row by row, each query keeping its k nearest so far.
    void searchManhattan(const RowMatrix& queries, Eigen::Index k, const TrainingContext& context,
                         std::vector<std::vector<Neighbour>>& nearest) const
    {
        Eigen::VectorXd tile;
        for (Eigen::Index first = 0; first < m_points.rows(); first += kPoints) {
            context.throwIfCancelled();
            const Eigen::Index count = std::min(kPoints, m_points.rows() - first);
            const auto points = m_points.middleRows(first, count);
            for (Eigen::Index i = 0; i < queries.rows(); ++i) {
                tile = (points.rowwise() - queries.row(i)).cwiseAbs().rowwise().sum();
                const double* row = tile.data();
                keepNearest([row](Eigen::Index j) { return row[j]; }, first, count, k,
                            nearest[static_cast<std::size_t>(i)]);
            }
        }
        for (auto& kept : nearest)
            std::sort_heap(kept.begin(), kept.end(), closer);
    }

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

    Eigen::VectorXd m_squaredNorms; ///< of the training rows, computed as before they were stored by rows
    RowMatrix m_points;
    Eigen::VectorXd m_target;
    int m_classes;
    int m_k;
    bool m_distanceWeights;
    bool m_manhattan;
    int m_threads;
    bool m_filter = false; ///< single-precision screening (searchFiltered) is safe for these points
    double m_largestNorm = 0.0;
    SingleMatrix m_pointsSingle;
    Eigen::VectorXf m_squaredNormsSingle;
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
        // The model keeps its own copy of the training rows, stored by rows (the distances read them so).
        context.throwIfCancelled();
        auto model = std::make_unique<KnnModel>(
            train.features, train.target, train.isClassification() ? train.classes : 0,
            static_cast<int>(asInt(params, "k")), asString(params, "weights") == "distance",
            asString(params, "metric") == "manhattan", context.threads());
        context.throwIfCancelled();
        (void)validation;
        return model;
    }

    std::unique_ptr<Model> loadModel(const QJsonObject& json) const override
    {
        const Eigen::MatrixXd points = matrixFromJson(json.value(QStringLiteral("points")));
        const Eigen::MatrixXd target = matrixFromJson(json.value(QStringLiteral("target")));
        const int k = json.value(QStringLiteral("k")).toInt();
        if (target.cols() != 1 || target.rows() != points.rows() || k < 1 || points.rows() == 0)
            throw std::invalid_argument("malformed knn model");
        return std::make_unique<KnnModel>(points, target.col(0), json.value(QStringLiteral("classes")).toInt(), k,
                                          json.value(QStringLiteral("distance_weights")).toBool(),
                                          json.value(QStringLiteral("manhattan")).toBool());
    }
};

} // namespace

std::shared_ptr<const Algorithm> makeKnn()
{
    return std::make_shared<Knn>();
}

} // namespace tunebench::algorithms::builtin

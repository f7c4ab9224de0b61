// `knn`: k nearest neighbours by brute force, with distances computed in blocks by matrix products.

#include <algorithm>
#include <cmath>
#include <numeric>

#include "algorithms/builtin_p.h"

namespace tunebench::algorithms::builtin {

namespace {

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
    }

    Prediction predict(const Eigen::MatrixXd& features) const override
    {
        const Eigen::Index n = features.rows();
        const Eigen::Index m = m_points.rows();
        const auto k = static_cast<Eigen::Index>(std::min<Eigen::Index>(m_k, m));
        Prediction prediction;
        if (m_classes > 0)
            prediction.probabilities = Eigen::MatrixXd::Zero(n, m_classes);
        prediction.values.resize(n);
        constexpr Eigen::Index kBlock = 256; // query rows per block: bounded memory for the distance matrix
        std::vector<Eigen::Index> order(static_cast<std::size_t>(m));
        for (Eigen::Index start = 0; start < n; start += kBlock) {
            const Eigen::Index rows = std::min(kBlock, n - start);
            Eigen::MatrixXd distances(rows, m);
            const auto block = features.middleRows(start, rows);
            if (m_manhattan) {
                for (Eigen::Index i = 0; i < rows; ++i)
                    distances.row(i) = (m_points.rowwise() - block.row(i)).cwiseAbs().rowwise().sum().transpose();
            } else {
                // |a - b|^2 = |a|^2 + |b|^2 - 2 a.b, clamped at 0 against rounding.
                distances = (-2.0 * block * m_points.transpose()).rowwise() + m_squaredNorms.transpose();
                distances.colwise() += block.rowwise().squaredNorm();
                distances = distances.cwiseMax(0.0).cwiseSqrt();
            }
            for (Eigen::Index i = 0; i < rows; ++i) {
                std::iota(order.begin(), order.end(), Eigen::Index{0});
                // Nearest first; equal distances keep the training order, as scikit-learn's brute force does.
                std::partial_sort(order.begin(), order.begin() + k, order.end(), [&](Eigen::Index a, Eigen::Index b) {
                    const double da = distances(i, a);
                    const double db = distances(i, b);
                    return da < db || (da == db && a < b);
                });
                double weightSum = 0.0;
                double valueSum = 0.0;
                // Distance weighting as scikit-learn: neighbours at distance 0, if any, share all the weight.
                bool anyExact = false;
                for (Eigen::Index j = 0; j < k && m_distanceWeights; ++j)
                    anyExact = anyExact || distances(i, order[static_cast<std::size_t>(j)]) == 0.0;
                for (Eigen::Index j = 0; j < k; ++j) {
                    const Eigen::Index neighbour = order[static_cast<std::size_t>(j)];
                    const double d = distances(i, neighbour);
                    const double weight = !m_distanceWeights ? 1.0 : anyExact ? (d == 0.0 ? 1.0 : 0.0) : 1.0 / d;
                    weightSum += weight;
                    if (m_classes > 0)
                        prediction.probabilities(start + i, static_cast<Eigen::Index>(m_target[neighbour])) += weight;
                    else
                        valueSum += weight * m_target[neighbour];
                }
                if (m_classes > 0)
                    prediction.probabilities.row(start + i) /= weightSum;
                else
                    prediction.values[start + i] = valueSum / weightSum;
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
    Eigen::MatrixXd m_points;
    Eigen::VectorXd m_target;
    Eigen::VectorXd m_squaredNorms;
    int m_classes;
    int m_k;
    bool m_distanceWeights;
    bool m_manhattan;
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
        auto model = std::make_unique<KnnModel>(
            train.features, train.target, train.isClassification() ? train.classes : 0,
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

// `linear`: least squares, ridge (closed form), lasso and elastic net (coordinate descent).

#include <algorithm>
#include <cmath>

#include <Eigen/Cholesky>
#include <Eigen/QR>
#include <Eigen/SparseCore>

#include "algorithms/builtin_p.h"
#include "algorithms/iterative.h"

namespace tunebench::algorithms::builtin {

namespace {

class LinearModel final : public Model
{
public:
    LinearModel(Eigen::VectorXd weights, double intercept)
        : m_weights(std::move(weights))
        , m_intercept(intercept)
    { }

    Prediction predict(const Eigen::MatrixXd& features) const override
    {
        Prediction prediction;
        prediction.values = (features * m_weights).array() + m_intercept;
        return prediction;
    }

    std::int64_t size() const override { return static_cast<std::int64_t>(m_weights.size()) + 1; }

    QJsonObject toJson() const override
    {
        return {{QStringLiteral("weights"), matrixToJson(m_weights)}, {QStringLiteral("intercept"), m_intercept}};
    }

private:
    Eigen::VectorXd m_weights;
    double m_intercept;
};

double softThreshold(double value, double threshold)
{
    return value > threshold ? value - threshold : (value < -threshold ? value + threshold : 0.0);
}

class Linear final : public Algorithm
{
public:
    std::string id() const override { return "linear"; }
    std::string displayName() const override { return "Linear regression"; }
    std::string description() const override
    {
        return "Least squares with optional L2 (ridge), L1 (lasso) or elastic-net penalty.";
    }
    bool supports(data::Task task) const override { return task == data::Task::Regression; }

    std::vector<ParamSpec> params() const override
    {
        std::vector<ParamSpec> specs = {
            ParamSpec::categorical("penalty", {"none", "l2", "l1", "elasticnet"}, "l2",
                                   "none: ordinary least squares; l2: ridge; l1: lasso; elasticnet: both."),
            ParamSpec::continuous("alpha", 1e-8, 1e4, 1.0, Scaling::Log,
                                  "Penalty strength. l2 minimises |y - Xw|^2 + alpha |w|^2 (as scikit-learn's Ridge); "
                                  "l1/elasticnet minimise |y - Xw|^2 / (2n) + alpha (l1_ratio |w|_1 + (1 - l1_ratio) "
                                  "|w|^2 / 2) (as its ElasticNet)."),
            ParamSpec::continuous("l1_ratio", 0.0, 1.0, 0.5, Scaling::Linear, "Elastic net: the share of L1."),
            ParamSpec::boolean("fit_intercept", true, "Fit an unpenalised intercept."),
        };
        for (ParamSpec& spec : stoppingParams("max_iter", 1000, 100000, 1e-4, 1, "coordinate-descent sweeps"))
            specs.push_back(std::move(spec));
        return specs;
    }

    std::unique_ptr<Model> fit(const TrainingData& train, const Params& params, const TrainingContext& context,
                               const TrainingData* validation) const override
    {
        const std::string& penalty = asString(params, "penalty");
        const bool intercept = asBool(params, "fit_intercept");
        const double alpha = asDouble(params, "alpha");
        const Eigen::Index n = train.rows();
        const Eigen::Index p = train.features.cols();
        if (n == 0)
            throw TrainingError("no training rows");

        // Centring X and y makes the intercept separable and unpenalised.
        const Eigen::RowVectorXd xMean
            = intercept ? Eigen::RowVectorXd(train.features.colwise().mean()) : Eigen::RowVectorXd::Zero(p);
        const double yMean = intercept ? train.target.mean() : 0.0;
        Eigen::VectorXd w;
        if (penalty == "none" || penalty == "l2") {
            Eigen::MatrixXd gram;
            Eigen::VectorXd rhs;
            if (mostlyZero(train.features)) {
                // One-hot columns of many levels: X'X from a sparse copy (its cost is the non-zeros per row,
                // squared), centred as a whole: Xc'Xc = X'X - n m'm (a column whose mean is 1e4 times its
                // spread loses 8 of 16 digits there), and Xc'yc = X'yc as yc sums to zero.
                const Eigen::SparseMatrix<double> x = train.features.sparseView();
                gram = Eigen::MatrixXd(Eigen::SparseMatrix<double>(x.transpose() * x));
                gram.noalias() -= static_cast<double>(n) * xMean.transpose() * xMean;
                rhs = x.transpose() * (train.target.array() - yMean).matrix();
            } else {
                // Normal equations of the centred data, accumulated block by block: no centred copy of X.
                Eigen::MatrixXd lower = Eigen::MatrixXd::Zero(p, p);
                rhs = Eigen::VectorXd::Zero(p);
                constexpr Eigen::Index kBlock = 4096;
                for (Eigen::Index start = 0; start < n; start += kBlock) {
                    const Eigen::Index rows = std::min(kBlock, n - start);
                    const Eigen::MatrixXd block = train.features.middleRows(start, rows).rowwise() - xMean;
                    lower.selfadjointView<Eigen::Lower>().rankUpdate(block.transpose());
                    rhs.noalias() += block.transpose() * (train.target.segment(start, rows).array() - yMean).matrix();
                }
                gram = lower.selfadjointView<Eigen::Lower>();
            }
            gram.diagonal().array() += penalty == "l2" ? alpha : 0.0;
            const Eigen::LDLT<Eigen::MatrixXd> ldlt(gram);
            // Well-posed when no pivot of the factorisation is negligible next to the largest one.
            const bool wellPosed = ldlt.info() == Eigen::Success && ldlt.isPositive()
                && ldlt.vectorD().minCoeff() > 1e-10 * ldlt.vectorD().maxCoeff();
            if (wellPosed) {
                w = ldlt.solve(rhs);
            } else {
                // Singular or nearly so (collinear features, no penalty): the minimum-norm least-squares solution.
                const Eigen::MatrixXd x = train.features.rowwise() - xMean;
                const Eigen::VectorXd y = train.target.array() - yMean;
                w = x.completeOrthogonalDecomposition().solve(y);
            }
            context.throwIfCancelled();
        } else {
            const Eigen::MatrixXd x = train.features.rowwise() - xMean;
            const Eigen::VectorXd y = train.target.array() - yMean;
            w = coordinateDescent(x, y, alpha, penalty == "l1" ? 1.0 : asDouble(params, "l1_ratio"), params, context);
        }
        const double b = yMean - xMean.dot(w);
        auto model = std::make_unique<LinearModel>(w, b);
        const Eigen::VectorXd fitted = model->predict(train.features).values;
        context.report(1, "train_rmse", std::sqrt((fitted - train.target).squaredNorm() / static_cast<double>(n)));
        if (validation && validation->rows() > 0) {
            const Eigen::VectorXd predicted = model->predict(validation->features).values;
            context.report(
                1, "validation_rmse",
                std::sqrt((predicted - validation->target).squaredNorm() / static_cast<double>(validation->rows())));
        }
        return model;
    }

    std::unique_ptr<Model> loadModel(const QJsonObject& json) const override
    {
        const Eigen::MatrixXd weights = matrixFromJson(json.value(QStringLiteral("weights")));
        if (weights.cols() != 1)
            throw std::invalid_argument("malformed linear model");
        return std::make_unique<LinearModel>(weights.col(0), json.value(QStringLiteral("intercept")).toDouble());
    }

private:
    /// Minimises |y - Xw|^2 / (2n) + alpha (r |w|_1 + (1 - r) |w|^2 / 2) by cyclic coordinate descent,
    /// keeping the residual up to date. One sweep is one iteration.
    static Eigen::VectorXd coordinateDescent(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, double alpha,
                                             double l1Ratio, const Params& params, const TrainingContext& context)
    {
        const Eigen::Index n = x.rows();
        const Eigen::Index p = x.cols();
        const auto nd = static_cast<double>(n);
        const Eigen::VectorXd columnNorms = x.colwise().squaredNorm().transpose() / nd;
        Eigen::VectorXd w = Eigen::VectorXd::Zero(p);
        Eigen::VectorXd residual = y;
        const double l1 = alpha * l1Ratio;
        const double l2 = alpha * (1.0 - l1Ratio);
        const auto maxIter = static_cast<int>(asInt(params, "max_iter"));
        const double tol = asDouble(params, "tol");
        ConvergenceMonitor monitor(0.0, static_cast<int>(asInt(params, "n_iter_no_change")));
        for (int sweep = 1; sweep <= maxIter; ++sweep) {
            context.throwIfCancelled();
            double largestStep = 0.0;
            double largestWeight = 0.0;
            for (Eigen::Index j = 0; j < p; ++j) {
                if (columnNorms[j] == 0.0)
                    continue;
                const double old = w[j];
                const double rho = x.col(j).dot(residual) / nd + columnNorms[j] * old;
                const double updated = softThreshold(rho, l1) / (columnNorms[j] + l2);
                if (updated != old) {
                    residual -= (updated - old) * x.col(j);
                    w[j] = updated;
                }
                largestStep = std::max(largestStep, std::abs(updated - old));
                largestWeight = std::max(largestWeight, std::abs(updated));
            }
            const double objective
                = residual.squaredNorm() / (2.0 * nd) + l1 * w.lpNorm<1>() + 0.5 * l2 * w.squaredNorm();
            context.report(sweep, "train_objective", objective);
            // Converged when no weight moved by more than tol relative to the largest weight (as scikit-learn's
            // first check), or by the shared rule on the objective.
            if (largestStep <= tol * std::max(largestWeight, 1e-12) || monitor.update(sweep, objective))
                break;
        }
        return w;
    }
};

} // namespace

std::shared_ptr<const Algorithm> makeLinear()
{
    return std::make_shared<Linear>();
}

} // namespace tunebench::algorithms::builtin

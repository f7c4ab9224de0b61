// `logistic`: binary and multinomial logistic regression with an L2 penalty, minimised by L-BFGS (NLopt).
// The objective is scikit-learn's: C * sum of log losses (each weighted by its class under class_weight)
// + |W|^2 / 2, intercepts unpenalised, so the optimum (and the coefficients) match
// LogisticRegression(C=..., class_weight=...) on the same features.

#include <cmath>
#include <memory>
#include <optional>

#include <Eigen/Core>
#include <Eigen/SparseCore>
#include <nlopt.h>

#include "algorithms/builtin_p.h"
#include "algorithms/iterative.h"

namespace tunebench::algorithms::builtin {

namespace {

/// Row-wise softmax of scores (rows x classes), stable against overflow.
Eigen::MatrixXd softmax(const Eigen::MatrixXd& scores)
{
    Eigen::MatrixXd p = scores.colwise() - scores.rowwise().maxCoeff();
    p = p.array().exp();
    p.array().colwise() /= p.rowwise().sum().array();
    return p;
}

class LogisticModel final : public Model
{
public:
    /// weights: features x outputs (1 output for two classes); intercepts: one per output.
    LogisticModel(Eigen::MatrixXd weights, Eigen::RowVectorXd intercepts, int classes)
        : m_weights(std::move(weights))
        , m_intercepts(std::move(intercepts))
        , m_classes(classes)
    { }

    Prediction predict(const Eigen::MatrixXd& features) const override
    {
        Prediction prediction;
        const Eigen::MatrixXd scores = (features * m_weights).rowwise() + m_intercepts;
        if (m_classes == 2) {
            prediction.probabilities.resize(features.rows(), 2);
            prediction.probabilities.col(1) = (1.0 / (1.0 + (-scores.col(0).array()).exp())).matrix();
            prediction.probabilities.col(0) = 1.0 - prediction.probabilities.col(1).array();
        } else {
            prediction.probabilities = softmax(scores);
        }
        prediction.values = argmaxRows(prediction.probabilities);
        return prediction;
    }

    std::int64_t size() const override { return static_cast<std::int64_t>(m_weights.size() + m_intercepts.size()); }

    QJsonObject toJson() const override
    {
        return {{QStringLiteral("weights"), matrixToJson(m_weights)},
                {QStringLiteral("intercepts"), matrixToJson(m_intercepts)},
                {QStringLiteral("classes"), m_classes}};
    }

private:
    Eigen::MatrixXd m_weights;
    Eigen::RowVectorXd m_intercepts;
    int m_classes;
};

using SparseRows = Eigen::SparseMatrix<double, Eigen::RowMajor>;

/// A sparse copy of a matrix that is mostly zeros (see mostlyZero()), else nothing.
std::optional<SparseRows> sparseIfMostlyZero(const Eigen::MatrixXd& matrix)
{
    return mostlyZero(matrix) ? std::optional<SparseRows>(SparseRows(matrix.sparseView())) : std::nullopt;
}

/// Everything the NLopt objective needs, and what it records along the way.
struct Problem
{
    const TrainingData* train = nullptr;
    const TrainingData* validation = nullptr;
    const TrainingContext* context = nullptr;
    std::optional<SparseRows> sparseTrain; ///< train->features, when mostly zeros
    std::optional<SparseRows> sparseValidation; ///< validation->features, when mostly zeros
    Eigen::MatrixXd onehot; ///< rows x outputs (multinomial) or the 0/1 target (binary)
    Eigen::VectorXd weight; ///< each example's weight in the loss (class_weight); empty: all 1
    Eigen::Index outputs = 1;
    double c = 1.0;
    ConvergenceMonitor* monitor = nullptr;
    nlopt_opt optimizer = nullptr;
    double best = std::numeric_limits<double>::infinity();
    std::vector<double> bestX; ///< the point of the lowest objective seen: the result, whatever NLopt returns
    int iteration = 0;
    int maxIterations = 1000;
    double l2Scale = 1.0; ///< weight of |W|^2 / 2 in the smooth part (1 - l1_ratio for elastic net)
    double lastLoss = 0.0; ///< sum of log losses at the last smooth() call
    double gradientTolerance = 0.0; ///< on the objective's gradient, max-norm
    Eigen::MatrixXd scores;
    Eigen::MatrixXd residual; ///< predicted probability minus truth, rows x outputs
    bool diverged = false;
    bool stopped = false; ///< stop() was called: later evaluations are NLopt's way out
    bool outOfSteps = false; ///< stopped at maxIterations, not converged: a larger budget would go on
    std::string error;

    /// Unpacks x = [W column-major (features x outputs), intercepts].
    void unpack(const double* x, Eigen::MatrixXd& w, Eigen::RowVectorXd& b) const
    {
        const Eigen::Index p = train->features.cols();
        w = Eigen::Map<const Eigen::MatrixXd>(x, p, outputs);
        b = Eigen::Map<const Eigen::RowVectorXd>(x + p * outputs, outputs);
    }

    double meanLogLoss(const Eigen::MatrixXd& features, const std::optional<SparseRows>& sparse,
                       const Eigen::VectorXd& target, const Eigen::MatrixXd& w, const Eigen::RowVectorXd& b) const
    {
        Eigen::MatrixXd scores = sparse ? Eigen::MatrixXd(*sparse * w) : Eigen::MatrixXd(features * w);
        scores.rowwise() += b;
        double loss = 0.0;
        for (Eigen::Index i = 0; i < features.rows(); ++i) {
            const auto y = static_cast<Eigen::Index>(target[i]);
            if (outputs == 1) {
                const double z = scores(i, 0);
                // log(1 + e^z) - y z, computed without overflow.
                loss += (z > 0 ? z + std::log1p(std::exp(-z)) : std::log1p(std::exp(z))) - (y == 1 ? z : 0.0);
            } else {
                const double top = scores.row(i).maxCoeff();
                loss += top + std::log((scores.row(i).array() - top).exp().sum()) - scores(i, y);
            }
        }
        return loss / static_cast<double>(features.rows());
    }

    /// The smooth part of the objective, C * sum of (weighted) losses + l2Scale * |W|^2 / 2, and its gradient.
    /// Sets lastLoss (the sum of log losses). No side effects beyond the buffers.
    double smooth(const double* x, double* gradient)
    {
        const Eigen::MatrixXd& features = train->features;
        const Eigen::Index n = features.rows();
        const Eigen::Index p = features.cols();
        const Eigen::Map<const Eigen::MatrixXd> w(x, p, outputs);
        const Eigen::Map<const Eigen::RowVectorXd> b(x + p * outputs, outputs);
        // Buffers live across evaluations: large temporaries per call would cost a page fault per 4 KB.
        scores.resize(n, outputs);
        residual.resize(n, outputs);
        if (sparseTrain)
            scores.noalias() = *sparseTrain * w;
        else
            scores.noalias() = features * w;
        scores.rowwise() += b;
        double loss = 0.0;
        if (outputs == 1) {
            // One exp per example gives both the loss log(1 + e^z) - y z and the sigmoid, without overflow.
            for (Eigen::Index i = 0; i < n; ++i) {
                const double z = scores(i, 0);
                const double y = onehot(i, 0);
                const double e = std::exp(-std::abs(z));
                const double sigmoid = z >= 0.0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
                const double w = weight.size() > 0 ? weight[i] : 1.0;
                loss += w * (std::max(z, 0.0) + std::log1p(e) - y * z);
                residual(i, 0) = w * (sigmoid - y);
            }
        } else {
            for (Eigen::Index i = 0; i < n; ++i) {
                const double top = scores.row(i).maxCoeff();
                double sum = 0.0;
                for (Eigen::Index k = 0; k < outputs; ++k) {
                    const double e = std::exp(scores(i, k) - top);
                    residual(i, k) = e;
                    sum += e;
                }
                const double logSum = top + std::log(sum);
                const double w = weight.size() > 0 ? weight[i] : 1.0;
                for (Eigen::Index k = 0; k < outputs; ++k) {
                    residual(i, k) = w * (residual(i, k) / sum - onehot(i, k));
                    loss += w * onehot(i, k) * (logSum - scores(i, k));
                }
            }
        }
        lastLoss = loss;
        if (gradient) {
            Eigen::Map<Eigen::MatrixXd> gradientW(gradient, p, outputs);
            if (sparseTrain)
                gradientW.noalias() = sparseTrain->transpose() * residual;
            else
                gradientW.noalias() = features.transpose() * residual;
            gradientW = c * gradientW + l2Scale * w;
            Eigen::Map<Eigen::RowVectorXd>(gradient + p * outputs, outputs) = c * residual.colwise().sum();
        }
        return c * loss + 0.5 * l2Scale * w.squaredNorm();
    }

    /// Asks NLopt to stop. It may still evaluate a point on its way out (a line search's trial): that point
    /// is not a step, whatever its objective, or the answer would be a point whose gradient was never checked.
    void stop()
    {
        stopped = true;
        nlopt_force_stop(optimizer);
    }

    /// The objective for NLopt's L-BFGS (L2 penalty): smooth() plus the bookkeeping of one step.
    double evaluate(const double* x, double* gradient)
    {
        const Eigen::Index p = train->features.cols();
        const double objective = smooth(x, gradient);
        const double loss = lastLoss;
        const Eigen::Map<const Eigen::MatrixXd> w(x, p, outputs);
        const Eigen::Map<const Eigen::RowVectorXd> b(x + p * outputs, outputs);
        const Eigen::MatrixXd& features = train->features;
        double gradientNorm = std::numeric_limits<double>::infinity();
        if (gradient)
            gradientNorm = Eigen::Map<const Eigen::VectorXd>(gradient, (p + 1) * outputs).cwiseAbs().maxCoeff();
        // NLopt evaluates during line searches too: an evaluation that lowers the objective is one step.
        if (stopped) {
            return objective;
        } else if (!std::isfinite(objective)) {
            diverged = true;
            stop();
        } else if (objective < best) {
            best = objective;
            bestX.assign(x, x + (p + 1) * outputs);
            ++iteration;
            const double trainLoss = loss / static_cast<double>(features.rows());
            context->report(iteration, "train_loss", trainLoss);
            if (validation && validation->rows() > 0)
                context->report(iteration, "validation_loss",
                                meanLogLoss(validation->features, sparseValidation, validation->target, w, b));
            // Converged: the gradient vanishes (to rounding, relative to the objective's size), or the
            // shared rule on the objective says so.
            const bool converged = gradientNorm <= gradientTolerance || monitor->update(iteration, objective);
            outOfSteps = !converged && iteration >= maxIterations;
            if (converged || outOfSteps)
                stop();
        }
        if (context->cancelled())
            stop();
        return objective;
    }
};

class Logistic final : public Algorithm
{
public:
    std::string id() const override { return "logistic"; }
    std::string displayName() const override { return "Logistic regression"; }
    std::string description() const override
    {
        return "Binary (sigmoid) or multinomial (softmax) logistic regression with an L2 penalty, by L-BFGS.";
    }
    bool supports(data::Task task) const override { return task != data::Task::Regression; }

    std::vector<ParamSpec> params() const override
    {
        std::vector<ParamSpec> specs = {
            ParamSpec::continuous("C", 1e-6, 1e6, 1.0, Scaling::Log,
                                  "Inverse regularisation strength: C * sum of losses + |w|^2 / 2."),
            ParamSpec::categorical(
                "penalty", {"l2", "l1", "elasticnet", "none"}, "l2",
                "l2: C * losses + |w|^2 / 2 (L-BFGS); l1: C * losses + |w|_1; elasticnet: C * losses "
                "+ l1_ratio |w|_1 + (1 - l1_ratio) |w|^2 / 2 (both by accelerated proximal "
                "gradient); none: unpenalised."),
            ParamSpec::continuous("l1_ratio", 0.0, 1.0, 0.5, Scaling::Linear, "elasticnet: the share of L1."),
            classWeightParam(),
            ParamSpec::continuous("gtol", 0.0, 1.0, 1e-7, Scaling::Linear,
                                  "Converged when no gradient component of the mean loss exceeds this (scikit-learn's "
                                  "tol, 1e-4 by default, stops much earlier)."),
        };
        for (ParamSpec& spec : stoppingParams("max_iter", 1000, 100000, 1e-12, 20, "L-BFGS steps"))
            specs.push_back(std::move(spec));
        return specs;
    }

    std::unique_ptr<Model> fit(const TrainingData& train, const Params& params, const TrainingContext& context,
                               const TrainingData* validation) const override
    {
        if (train.classes < 2)
            throw TrainingError("logistic regression needs at least two classes");
        Problem problem;
        problem.train = &train;
        problem.validation = validation;
        problem.context = &context;
        problem.outputs = train.classes == 2 ? 1 : train.classes;
        problem.c = asString(params, "penalty") == "none" ? 1e12 : asDouble(params, "C");
        const Eigen::Index n = train.rows();
        const Eigen::Index p = train.features.cols();
        problem.onehot = Eigen::MatrixXd::Zero(n, problem.outputs);
        for (Eigen::Index i = 0; i < n; ++i) {
            const auto y = static_cast<Eigen::Index>(train.target[i]);
            if (problem.outputs == 1)
                problem.onehot(i, 0) = y == 1 ? 1.0 : 0.0;
            else
                problem.onehot(i, y) = 1.0;
        }
        if (const std::vector<double> weights = exampleWeights(train, params); !weights.empty())
            problem.weight = Eigen::Map<const Eigen::VectorXd>(weights.data(), n);
        ConvergenceMonitor monitor(asDouble(params, "tol"), static_cast<int>(asInt(params, "n_iter_no_change")));
        problem.monitor = &monitor;
        problem.sparseTrain = sparseIfMostlyZero(train.features);
        if (problem.sparseTrain && validation)
            problem.sparseValidation = sparseIfMostlyZero(validation->features);

        const auto dimension = static_cast<unsigned>((p + 1) * problem.outputs);
        const std::string& penalty = asString(params, "penalty");
        if (penalty == "l1" || penalty == "elasticnet") {
            const double l1 = penalty == "l1" ? 1.0 : asDouble(params, "l1_ratio");
            problem.l2Scale = 1.0 - l1;
            const std::vector<double> x = proximalGradient(problem, dimension, l1, params, context);
            Eigen::MatrixXd w;
            Eigen::RowVectorXd b;
            problem.unpack(x.data(), w, b);
            return std::make_unique<LogisticModel>(std::move(w), std::move(b), train.classes);
        }
        // Freed however fit() ends (a paused state that does not match throws before NLopt runs).
        const std::unique_ptr<nlopt_opt_s, decltype(&nlopt_destroy)> owner(nlopt_create(NLOPT_LD_LBFGS, dimension),
                                                                           &nlopt_destroy);
        nlopt_opt optimizer = owner.get();
        problem.optimizer = optimizer;
        nlopt_set_min_objective(
            optimizer,
            [](unsigned, const double* x, double* gradient, void* data) {
                return static_cast<Problem*>(data)->evaluate(x, gradient);
            },
            &problem);
        // Stopping is decided in the objective (gradient, loss change, steps); NLopt's own tests only
        // catch what is left: no progress possible in floating point.
        problem.maxIterations = static_cast<int>(asInt(params, "max_iter"));
        // gtol is on the gradient of the mean loss (plus the penalty divided by C n), as scikit-learn scales it:
        // the same tolerance means the same precision whatever the number of rows.
        problem.gradientTolerance = asDouble(params, "gtol") * problem.c * static_cast<double>(n);
        nlopt_set_ftol_rel(optimizer, 1e-16);
        nlopt_set_maxeval(optimizer, static_cast<int>(std::min<std::int64_t>(asInt(params, "max_iter") * 20, 1 << 30)));
        nlopt_set_vector_storage(optimizer, 20);
        std::vector<double> x(dimension, 0.0);
        // A paused fit (multi-fidelity) continues from its best point, its step count and its stopping rule (L-BFGS
        // builds its curvature memory again from there); one that had converged does not move.
        bool converged = false;
        if (const QByteArray paused = context.pausedState(); !paused.isEmpty())
            converged = restoreFit(paused, problem, monitor, x);
        nlopt_result status = NLOPT_SUCCESS;
        double minimum = 0.0;
        if (!converged && problem.iteration < problem.maxIterations)
            status = nlopt_optimize(optimizer, x.data(), &minimum);
        else if (problem.iteration > problem.maxIterations)
            throw TrainingError("the paused fit has taken " + std::to_string(problem.iteration)
                                + " iterations, more than the " + std::to_string(problem.maxIterations) + " asked now");
        if (context.canPause() && !problem.bestX.empty())
            context.keepState(saveFit(problem, monitor, converged || !problem.outOfSteps));
        context.throwIfCancelled();
        if (problem.diverged)
            throw TrainingError("training diverged: the loss became NaN or infinite");
        // Near the optimum the line search may give up on rounding (NLOPT_FAILURE or ROUNDOFF_LIMITED):
        // the best point seen is still the answer. Only a run that never improved on the start has failed.
        if (problem.bestX.empty())
            throw TrainingError("L-BFGS made no progress (NLopt status " + std::to_string(status) + ")");
        Eigen::MatrixXd w;
        Eigen::RowVectorXd b;
        problem.unpack(problem.bestX.data(), w, b);
        return std::make_unique<LogisticModel>(std::move(w), std::move(b), train.classes);
    }

    static constexpr quint32 kPausedVersion = 1;

    static QByteArray saveFit(const Problem& problem, const ConvergenceMonitor& monitor, bool converged)
    {
        QByteArray bytes;
        QDataStream out(&bytes, QIODevice::WriteOnly);
        out << kPausedVersion << static_cast<qint32>(problem.iteration) << converged << problem.best;
        monitor.save(out);
        out << static_cast<quint32>(problem.bestX.size());
        for (const double value : problem.bestX)
            out << value;
        return bytes;
    }

    /// Whether the paused fit had converged; `x` and the problem's step count and best point continue from it.
    static bool restoreFit(const QByteArray& bytes, Problem& problem, ConvergenceMonitor& monitor,
                           std::vector<double>& x)
    {
        QDataStream in(bytes);
        quint32 version = 0, size = 0;
        qint32 iteration = 0;
        bool converged = false;
        in >> version >> iteration >> converged >> problem.best;
        monitor.restore(in);
        in >> size;
        if (version != kPausedVersion || in.status() != QDataStream::Ok || size != x.size() || iteration < 0)
            throw TrainingError("the paused fit's state does not match this problem (its features or classes)");
        for (double& value : x)
            in >> value;
        problem.iteration = iteration;
        problem.bestX = x;
        return converged;
    }

    /// FISTA with backtracking and adaptive restart (Beck and Teboulle 2009; O'Donoghue and Candes 2015) on
    /// smooth() + l1 |W|_1, intercepts unpenalised. Converged when no coordinate moves by more than 1e-10
    /// relative to the largest; each accepted step is one iteration.
    static std::vector<double> proximalGradient(Problem& problem, unsigned dimension, double l1, const Params& params,
                                                const TrainingContext& context)
    {
        const Eigen::Index weights = problem.train->features.cols() * problem.outputs;
        std::vector<double> x(dimension, 0.0);
        std::vector<double> y = x;
        std::vector<double> next(dimension);
        std::vector<double> gradient(dimension);
        double lipschitz = 1.0;
        double momentum = 1.0;
        double objective = problem.smooth(x.data(), nullptr);
        const auto maxIterations = asInt(params, "max_iter") * 20; // first-order steps are cheaper than L-BFGS'
        auto full = [&](const std::vector<double>& point, double smoothValue) {
            double norm = 0.0;
            for (Eigen::Index k = 0; k < weights; ++k)
                norm += std::abs(point[static_cast<std::size_t>(k)]);
            return smoothValue + l1 * norm;
        };
        double fullObjective = full(x, objective);
        for (std::int64_t iteration = 1; iteration <= maxIterations; ++iteration) {
            context.throwIfCancelled();
            const double atY = problem.smooth(y.data(), gradient.data());
            double candidate = 0.0;
            for (;;) { // backtracking: grow the Lipschitz estimate until the quadratic bound holds
                double bound = atY;
                for (unsigned k = 0; k < dimension; ++k) {
                    double v = y[k] - gradient[k] / lipschitz;
                    if (static_cast<Eigen::Index>(k) < weights) {
                        const double t = l1 / lipschitz;
                        v = v > t ? v - t : (v < -t ? v + t : 0.0);
                    }
                    next[k] = v;
                    const double d = v - y[k];
                    bound += gradient[k] * d + 0.5 * lipschitz * d * d;
                }
                candidate = problem.smooth(next.data(), nullptr);
                if (!std::isfinite(candidate))
                    throw TrainingError("training diverged: the loss became NaN or infinite");
                if (candidate <= bound + 1e-12 * std::abs(bound))
                    break;
                lipschitz *= 2.0;
            }
            const double nextFull = full(next, candidate);
            double largestStep = 0.0;
            double largest = 0.0;
            for (unsigned k = 0; k < dimension; ++k) {
                largestStep = std::max(largestStep, std::abs(next[k] - x[k]));
                largest = std::max(largest, std::abs(next[k]));
            }
            const double nextMomentum = (1.0 + std::sqrt(1.0 + 4.0 * momentum * momentum)) / 2.0;
            if (nextFull > fullObjective) { // adaptive restart: drop the momentum when the objective rises
                momentum = 1.0;
                y = x;
                continue;
            }
            for (unsigned k = 0; k < dimension; ++k)
                y[k] = next[k] + (momentum - 1.0) / nextMomentum * (next[k] - x[k]);
            momentum = nextMomentum;
            x.swap(next);
            fullObjective = nextFull;
            problem.smooth(x.data(), nullptr);
            context.report(static_cast<int>(iteration), "train_loss",
                           problem.lastLoss / static_cast<double>(problem.train->rows()));
            if (largestStep <= 1e-10 * std::max(largest, 1e-12)
                || problem.monitor->update(static_cast<int>(iteration), fullObjective))
                break;
            lipschitz /= 1.5; // let the step grow again when the curvature allows
        }
        return x;
    }

    std::unique_ptr<Model> loadModel(const QJsonObject& json) const override
    {
        Eigen::MatrixXd w = matrixFromJson(json.value(QStringLiteral("weights")));
        const Eigen::MatrixXd b = matrixFromJson(json.value(QStringLiteral("intercepts")));
        const int classes = json.value(QStringLiteral("classes")).toInt();
        const Eigen::Index outputs = classes == 2 ? 1 : classes;
        if (classes < 2 || w.cols() != outputs || b.rows() != 1 || b.cols() != outputs)
            throw std::invalid_argument("malformed logistic model");
        return std::make_unique<LogisticModel>(std::move(w), b.row(0), classes);
    }
};

} // namespace

std::shared_ptr<const Algorithm> makeLogistic()
{
    return std::make_shared<Logistic>();
}

} // namespace tunebench::algorithms::builtin

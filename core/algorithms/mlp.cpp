// `mlp`: a multilayer perceptron (classifier and regressor), mini-batch training with Adam or SGD with
// momentum, in single precision with Eigen's blocked matrix products.

#include <cmath>
#include <numeric>
#include <optional>
#include <span>

#include <Eigen/Core>
#include <Eigen/SparseCore>

#include <QJsonArray>

#include "algorithms/builtin_p.h"
#include "algorithms/iterative.h"
#include "util/random.h"

namespace tunebench::algorithms::builtin {

namespace {

using Matrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic>;
using RowVector = Eigen::Matrix<float, 1, Eigen::Dynamic>;
using SparseRows = Eigen::SparseMatrix<float, Eigen::RowMajor>;

/// A float copy of a mostly-zero feature matrix (see mostlyZero()), without a dense float copy on the way.
SparseRows sparseCopy(const Eigen::MatrixXd& features)
{
    return Eigen::SparseMatrix<double, Eigen::RowMajor>(features.sparseView()).cast<float>();
}

enum class Activation
{
    Relu,
    Tanh,
    Sigmoid,
};

Activation activationFrom(const std::string& name)
{
    return name == "tanh" ? Activation::Tanh : name == "sigmoid" ? Activation::Sigmoid : Activation::Relu;
}

void activate(Matrix& z, Activation activation)
{
    switch (activation) {
    case Activation::Relu: z = z.cwiseMax(0.0f); break;
    case Activation::Tanh: z = z.array().tanh(); break;
    case Activation::Sigmoid: z = (1.0f / (1.0f + (-z.array()).exp())).matrix(); break;
    }
}

/// Multiplies the back-propagated gradient by the activation's derivative, written in terms of its output.
void applyDerivative(Matrix& gradient, const Matrix& output, Activation activation)
{
    switch (activation) {
    case Activation::Relu: gradient = (output.array() > 0.0f).select(gradient, 0.0f); break;
    case Activation::Tanh: gradient.array() *= 1.0f - output.array().square(); break;
    case Activation::Sigmoid: gradient.array() *= output.array() * (1.0f - output.array()); break;
    }
}

/// Row-wise softmax in place.
void softmax(Matrix& scores)
{
    for (Eigen::Index i = 0; i < scores.rows(); ++i) {
        const float top = scores.row(i).maxCoeff();
        scores.row(i) = (scores.row(i).array() - top).exp();
        scores.row(i) /= scores.row(i).sum();
    }
}

struct Network
{
    std::vector<Matrix> weights; ///< layer l: inputs x outputs
    std::vector<RowVector> biases;
    Activation activation = Activation::Relu;
    bool classification = true;
    float targetMean = 0.0f; ///< regression: the network predicts the standardised target
    float targetScale = 1.0f;

    /// Forward pass; `activations[l]` receives each layer's output (the last: probabilities or values).
    /// The input is a dense matrix or a sparse one (SparseRows).
    template<typename Input> void forward(const Input& input, std::vector<Matrix>& activations) const
    {
        activations.resize(weights.size());
        for (std::size_t l = 0; l < weights.size(); ++l) {
            Matrix& out = activations[l];
            if (l == 0)
                out.noalias() = input * weights[l];
            else
                out.noalias() = activations[l - 1] * weights[l];
            out.rowwise() += biases[l];
            if (l + 1 < weights.size())
                activate(out, activation);
            else if (classification)
                softmax(out);
        }
    }
};

class MlpModel final : public Model
{
public:
    explicit MlpModel(Network network)
        : m_network(std::move(network))
    { }

    Prediction predict(const Eigen::MatrixXd& features) const override
    {
        if (mostlyZero(features))
            return predict(sparseCopy(features));
        return predictBlocks(features.rows(), [&](Eigen::Index start, Eigen::Index rows) {
            return Matrix(features.middleRows(start, rows).cast<float>());
        });
    }

    Prediction predict(const SparseRows& features) const
    {
        return predictBlocks(features.rows(), [&](Eigen::Index start, Eigen::Index rows) {
            return SparseRows(features.middleRows(start, rows));
        });
    }

private:
    /// Forward passes over blocks of rows, `block(start, rows)` giving each one's input: bounded memory
    /// whatever the number of rows.
    template<typename Block> Prediction predictBlocks(Eigen::Index n, const Block& block) const
    {
        Prediction prediction;
        std::vector<Matrix> activations;
        constexpr Eigen::Index kBlock = 4096;
        const auto outputs = m_network.weights.back().cols();
        Eigen::MatrixXd result(n, outputs);
        for (Eigen::Index start = 0; start < n; start += kBlock) {
            const Eigen::Index rows = std::min(kBlock, n - start);
            m_network.forward(block(start, rows), activations);
            result.middleRows(start, rows) = activations.back().cast<double>();
        }
        if (m_network.classification) {
            prediction.probabilities = std::move(result);
            prediction.values = argmaxRows(prediction.probabilities);
        } else {
            prediction.values = result.col(0).array() * m_network.targetScale + m_network.targetMean;
        }
        return prediction;
    }

public:
    std::int64_t size() const override
    {
        std::int64_t parameters = 0;
        for (std::size_t l = 0; l < m_network.weights.size(); ++l)
            parameters += static_cast<std::int64_t>(m_network.weights[l].size() + m_network.biases[l].size());
        return parameters;
    }

    QJsonObject toJson() const override
    {
        QJsonArray weights;
        QJsonArray biases;
        for (std::size_t l = 0; l < m_network.weights.size(); ++l) {
            weights.append(matrixToJson(m_network.weights[l].cast<double>()));
            biases.append(matrixToJson(m_network.biases[l].cast<double>()));
        }
        const char* activation = m_network.activation == Activation::Tanh ? "tanh"
            : m_network.activation == Activation::Sigmoid                 ? "sigmoid"
                                                                          : "relu";
        return {{QStringLiteral("weights"), weights},
                {QStringLiteral("biases"), biases},
                {QStringLiteral("activation"), QLatin1String(activation)},
                {QStringLiteral("classification"), m_network.classification},
                {QStringLiteral("target_mean"), static_cast<double>(m_network.targetMean)},
                {QStringLiteral("target_scale"), static_cast<double>(m_network.targetScale)}};
    }

    static std::unique_ptr<Model> fromJson(const QJsonObject& json)
    {
        Network net;
        const QJsonArray weights = json.value(QStringLiteral("weights")).toArray();
        const QJsonArray biases = json.value(QStringLiteral("biases")).toArray();
        if (weights.isEmpty() || weights.size() != biases.size())
            throw std::invalid_argument("malformed mlp model");
        for (qsizetype l = 0; l < weights.size(); ++l) {
            net.weights.push_back(matrixFromJson(weights.at(l)).cast<float>());
            net.biases.push_back(matrixFromJson(biases.at(l)).cast<float>());
            const auto index = static_cast<std::size_t>(l);
            const bool chained = l == 0 || net.weights[index].rows() == net.weights[index - 1].cols();
            if (!chained || net.biases[index].cols() != net.weights[index].cols())
                throw std::invalid_argument("malformed mlp model");
        }
        net.activation = activationFrom(json.value(QStringLiteral("activation")).toString().toStdString());
        net.classification = json.value(QStringLiteral("classification")).toBool();
        net.targetMean = static_cast<float>(json.value(QStringLiteral("target_mean")).toDouble());
        net.targetScale = static_cast<float>(json.value(QStringLiteral("target_scale")).toDouble(1.0));
        return std::make_unique<MlpModel>(std::move(net));
    }

private:
    Network m_network;
};

using RowMajor = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// The training targets as the network fits them: one-hot rows for classes, else the value standardised (its mean
/// and scale kept in `net` to undo it).
Matrix encodeTargets(const TrainingData& train, Network& net, Eigen::Index outputs)
{
    const Eigen::Index n = train.rows();
    Matrix target(n, outputs);
    if (net.classification) {
        target.setZero();
        for (Eigen::Index i = 0; i < n; ++i)
            target(i, static_cast<Eigen::Index>(train.target[i])) = 1.0f;
    } else {
        const double mean = train.target.mean();
        const double deviation = std::sqrt((train.target.array() - mean).square().mean());
        net.targetMean = static_cast<float>(mean);
        net.targetScale = deviation > 0 ? static_cast<float>(deviation) : 1.0f;
        target.col(0) = ((train.target.array() - mean) / net.targetScale).cast<float>().matrix();
    }
    return target;
}

/// The weights and biases of `layers` hidden layers of `units` and the output layer, drawn from `random`.
void initialiseWeights(Network& net, Eigen::Index inputs, int layers, Eigen::Index units, Eigen::Index outputs,
                       util::Random& random)
{
    // Glorot-uniform initialisation (as scikit-learn: bound sqrt(6 / (in + out)), sqrt(2 / ...) for sigmoid).
    for (int l = 0; l <= layers; ++l) {
        const Eigen::Index fanOut = l < layers ? units : outputs;
        const double factor = net.activation == Activation::Sigmoid ? 2.0 : 6.0;
        const auto bound = static_cast<float>(std::sqrt(factor / static_cast<double>(inputs + fanOut)));
        Matrix w(inputs, fanOut);
        for (Eigen::Index k = 0; k < w.size(); ++k)
            w.data()[k] = static_cast<float>((2.0 * random.uniform() - 1.0) * bound);
        RowVector b(fanOut);
        for (Eigen::Index k = 0; k < b.size(); ++k)
            b[k] = static_cast<float>((2.0 * random.uniform() - 1.0) * bound);
        net.weights.push_back(std::move(w));
        net.biases.push_back(std::move(b));
        inputs = fanOut;
    }
}

/// A mini-batch's rows of the features and targets, in `rows`' order (row-major copies: contiguous rows).
void gatherRows(const RowMajor& features, const RowMajor& targets, std::span<const Eigen::Index> rows, RowMajor& input,
                Matrix& batchTarget)
{
    const auto count = static_cast<Eigen::Index>(rows.size());
    input.resize(count, features.cols());
    batchTarget.resize(count, targets.cols());
    for (Eigen::Index i = 0; i < count; ++i) {
        input.row(i) = features.row(rows[static_cast<std::size_t>(i)]);
        batchTarget.row(i) = targets.row(rows[static_cast<std::size_t>(i)]);
    }
}

/// The same from sparse features, into a sparse batch (`triplets` is scratch reused from batch to batch).
void gatherRows(const SparseRows& features, const RowMajor& targets, std::span<const Eigen::Index> rows,
                SparseRows& input, Matrix& batchTarget, std::vector<Eigen::Triplet<float>>& triplets)
{
    const auto count = static_cast<Eigen::Index>(rows.size());
    batchTarget.resize(count, targets.cols());
    triplets.clear();
    for (Eigen::Index i = 0; i < count; ++i) {
        const Eigen::Index row = rows[static_cast<std::size_t>(i)];
        for (SparseRows::InnerIterator it(features, row); it; ++it)
            triplets.emplace_back(static_cast<int>(i), static_cast<int>(it.col()), it.value());
        batchTarget.row(i) = targets.row(row);
    }
    input.resize(count, features.cols());
    input.setFromTriplets(triplets.begin(), triplets.end());
}

/// A float matrix (or row vector) in a paused fit's state: its shape, then its values. Reading checks the shape
/// against the one expected (the matrix is sized already), so a state of another network is refused.
template<int Rows> QDataStream& operator<<(QDataStream& out, const Eigen::Matrix<float, Rows, Eigen::Dynamic>& matrix)
{
    out << static_cast<qint64>(matrix.rows()) << static_cast<qint64>(matrix.cols());
    out.writeRawData(reinterpret_cast<const char*>(matrix.data()), static_cast<int>(matrix.size() * sizeof(float)));
    return out;
}
template<int Rows> QDataStream& operator>>(QDataStream& in, Eigen::Matrix<float, Rows, Eigen::Dynamic>& matrix)
{
    qint64 rows = 0, cols = 0;
    in >> rows >> cols;
    if (rows != matrix.rows() || cols != matrix.cols()) {
        in.setStatus(QDataStream::ReadCorruptData);
        return in;
    }
    const auto bytes = static_cast<int>(matrix.size() * sizeof(float));
    if (in.readRawData(reinterpret_cast<char*>(matrix.data()), bytes) != bytes)
        in.setStatus(QDataStream::ReadPastEnd);
    return in;
}

/// Adam (bias-corrected moments) or SGD with momentum: each layer's step from its gradient.
class Optimizer
{
public:
    Optimizer(const Network& net, bool adam, float rate, float momentum)
        : m_adam(adam)
        , m_rate(rate)
        , m_momentum(momentum)
    {
        const std::size_t layerCount = net.weights.size();
        moment1W.resize(layerCount);
        moment2W.resize(layerCount);
        moment1B.resize(layerCount);
        moment2B.resize(layerCount);
        for (std::size_t l = 0; l < layerCount; ++l) {
            moment1W[l] = moment2W[l] = Matrix::Zero(net.weights[l].rows(), net.weights[l].cols());
            moment1B[l] = moment2B[l] = RowVector::Zero(net.biases[l].cols());
        }
    }

    /// A new mini-batch: Adam's bias corrections move on.
    void nextStep()
    {
        ++m_step;
        correction1 = 1.0f - std::pow(beta1, static_cast<float>(m_step));
        correction2 = 1.0f - std::pow(beta2, static_cast<float>(m_step));
    }

    void update(Network& net, std::size_t l, const Matrix& gradientW, const RowVector& gradientB)
    {
        const float rate = m_rate;
        const float momentum = m_momentum;
        if (m_adam) {
            moment1W[l] = beta1 * moment1W[l] + (1.0f - beta1) * gradientW;
            moment2W[l] = beta2 * moment2W[l] + (1.0f - beta2) * gradientW.cwiseAbs2();
            moment1B[l] = beta1 * moment1B[l] + (1.0f - beta1) * gradientB;
            moment2B[l] = beta2 * moment2B[l] + (1.0f - beta2) * gradientB.cwiseAbs2();
            const float stepSize = rate * std::sqrt(correction2) / correction1;
            net.weights[l].array() -= stepSize * moment1W[l].array() / (moment2W[l].array().sqrt() + epsilon);
            net.biases[l].array() -= stepSize * moment1B[l].array() / (moment2B[l].array().sqrt() + epsilon);
        } else {
            moment1W[l] = momentum * moment1W[l] - rate * gradientW;
            moment1B[l] = momentum * moment1B[l] - rate * gradientB;
            net.weights[l] += moment1W[l];
            net.biases[l] += moment1B[l];
        }
    }

    /// The moments and the step count, for a fit that pauses and continues (see PausedFit).
    void save(QDataStream& out) const
    {
        out << static_cast<qint64>(m_step) << correction1 << correction2;
        for (std::size_t l = 0; l < moment1W.size(); ++l)
            out << moment1W[l] << moment2W[l] << moment1B[l] << moment2B[l];
    }
    void restore(QDataStream& in)
    {
        qint64 step = 0;
        in >> step >> correction1 >> correction2;
        m_step = static_cast<long>(step);
        for (std::size_t l = 0; l < moment1W.size(); ++l)
            in >> moment1W[l] >> moment2W[l] >> moment1B[l] >> moment2B[l];
    }

private:
    static constexpr float beta1 = 0.9f;
    static constexpr float beta2 = 0.999f;
    static constexpr float epsilon = 1e-8f;
    bool m_adam;
    float m_rate;
    float m_momentum;
    long m_step = 0;
    float correction1 = 1.0f;
    float correction2 = 1.0f;
    std::vector<Matrix> moment1W, moment2W;
    std::vector<RowVector> moment1B, moment2B;
};

class Mlp final : public Algorithm
{
public:
    std::string id() const override { return "mlp"; }
    std::string displayName() const override { return "Neural network (MLP)"; }
    std::string description() const override
    {
        return "A multilayer perceptron trained by mini-batch Adam or SGD with momentum (softmax output for "
               "classes, linear for regression).";
    }
    bool supports(data::Task) const override { return true; }

    std::vector<ParamSpec> params() const override
    {
        std::vector<ParamSpec> specs = {
            ParamSpec::integer("hidden_layers", 1, 8, 1, Scaling::Linear, "Number of hidden layers."),
            ParamSpec::integer("units", 1, 2048, 100, Scaling::Log, "Units in each hidden layer."),
            ParamSpec::categorical("activation", {"relu", "tanh", "sigmoid"}, "relu", "Hidden-layer activation."),
            ParamSpec::categorical("optimizer", {"adam", "sgd"}, "adam", "adam, or sgd with momentum."),
            ParamSpec::continuous("learning_rate", 1e-6, 1.0, 1e-3, Scaling::Log, "Step size."),
            ParamSpec::continuous("momentum", 0.0, 0.999, 0.9, Scaling::ReverseLog, "sgd: momentum."),
            ParamSpec::integer("batch_size", 1, 65536, 200, Scaling::Log, "Examples per mini-batch."),
            ParamSpec::continuous("l2", 0.0, 10.0, 1e-4, Scaling::Linear,
                                  "L2 penalty on the weights (scikit-learn's alpha)."),
            ParamSpec::continuous("dropout", 0.0, 0.9, 0.0, Scaling::Linear,
                                  "Share of hidden units dropped at each training step."),
            classWeightParam(),
            ParamSpec::integer("seed", 0, 2147483647, 0, Scaling::Linear, "Random seed (weights, batches, dropout)."),
        };
        for (ParamSpec& spec : stoppingParams("epochs", 200, 100000, 1e-4, 10, "epochs"))
            specs.push_back(std::move(spec));
        return specs;
    }

    std::unique_ptr<Model> fit(const TrainingData& train, const Params& params, const TrainingContext& context,
                               const TrainingData* validation) const override
    {
        const Eigen::Index n = train.rows();
        if (n == 0)
            throw TrainingError("no training rows");
        util::Random random(static_cast<std::uint64_t>(asInt(params, "seed")));
        Network net;
        net.activation = activationFrom(asString(params, "activation"));
        net.classification = train.isClassification();
        const Eigen::Index outputs = net.classification ? train.classes : 1;
        const Matrix target = encodeTargets(train, net, outputs);
        initialiseWeights(net, train.features.cols(), static_cast<int>(asInt(params, "hidden_layers")),
                          static_cast<Eigen::Index>(asInt(params, "units")), outputs, random);

        // Row-major copies, so that gathering a shuffled mini-batch copies contiguous rows.
        // Mostly zeros (one-hot encoding of a column of thousands of levels): the first layer multiplies a
        // sparse copy, gathered row by row into each mini-batch.
        const bool sparse = mostlyZero(train.features);
        const RowMajor features = sparse ? RowMajor() : RowMajor(train.features.cast<float>());
        const SparseRows sparseFeatures = sparse ? sparseCopy(train.features) : SparseRows();
        // The validation rows are scored every epoch: their sparse copy is made once.
        const std::optional<SparseRows> sparseValidation = validation && mostlyZero(validation->features)
            ? std::optional<SparseRows>(sparseCopy(validation->features))
            : std::nullopt;
        SparseRows sparseInput;
        std::vector<Eigen::Triplet<float>> triplets;
        const RowMajor targetRows = target;
        // class_weight: each example's loss (and so its share of the gradient) times its class's weight.
        const std::vector<double> exampleWeight = exampleWeights(train, params);
        const bool adam = asString(params, "optimizer") == "adam";
        const auto rate = static_cast<float>(asDouble(params, "learning_rate"));
        const auto momentum = static_cast<float>(asDouble(params, "momentum"));
        const auto l2 = static_cast<float>(asDouble(params, "l2"));
        const auto dropout = static_cast<float>(asDouble(params, "dropout"));
        const Eigen::Index batch = std::min<Eigen::Index>(asInt(params, "batch_size"), n);
        const auto epochs = static_cast<int>(asInt(params, "epochs"));
        ConvergenceMonitor monitor(asDouble(params, "tol"), static_cast<int>(asInt(params, "n_iter_no_change")));

        const std::size_t layerCount = net.weights.size();
        Optimizer optimizer(net, adam, rate, momentum);

        std::vector<Eigen::Index> order(static_cast<std::size_t>(n)); // shuffled in place, epoch after epoch
        std::iota(order.begin(), order.end(), Eigen::Index{0});
        // A paused fit (multi-fidelity) continues exactly as if it had never paused.
        auto [done, converged] = resumeFit(context.pausedState(), epochs, net, optimizer, random, monitor, order);
        std::vector<Matrix> activations;
        std::vector<Matrix> masks(layerCount);
        RowMajor input;
        Matrix batchTarget;
        Matrix delta;
        Matrix previousDelta;
        Matrix gradientW;
        RowVector gradientB;

        for (int epoch = done + 1; epoch <= epochs && !converged; ++epoch) {
            done = epoch;
            random.shuffle(order);
            double lossSum = 0.0;
            for (Eigen::Index start = 0; start < n; start += batch) {
                context.throwIfCancelled();
                const Eigen::Index rows = std::min(batch, n - start);
                const std::span<const Eigen::Index> batchRows(order.data() + start, static_cast<std::size_t>(rows));
                if (sparse)
                    gatherRows(sparseFeatures, targetRows, batchRows, sparseInput, batchTarget, triplets);
                else
                    gatherRows(features, targetRows, batchRows, input, batchTarget);
                // Forward, with inverted dropout on the hidden layers.
                activations.resize(layerCount);
                for (std::size_t l = 0; l < layerCount; ++l) {
                    Matrix& out = activations[l];
                    if (l == 0 && sparse)
                        out.noalias() = sparseInput * net.weights[l];
                    else if (l == 0)
                        out.noalias() = input * net.weights[l];
                    else
                        out.noalias() = activations[l - 1] * net.weights[l];
                    out.rowwise() += net.biases[l];
                    if (l + 1 < layerCount) {
                        activate(out, net.activation);
                        if (dropout > 0.0f) {
                            masks[l].resize(out.rows(), out.cols());
                            for (Eigen::Index k = 0; k < masks[l].size(); ++k)
                                masks[l].data()[k] = random.uniform() < dropout ? 0.0f : 1.0f / (1.0f - dropout);
                            out.array() *= masks[l].array();
                        }
                    } else if (net.classification) {
                        softmax(out);
                    }
                }
                const Matrix& output = activations.back();
                double batchLoss = 0.0;
                if (net.classification) {
                    delta = output - batchTarget; // softmax + cross-entropy
                    for (Eigen::Index i = 0; i < rows; ++i) {
                        Eigen::Index label = 0;
                        batchTarget.row(i).maxCoeff(&label);
                        const double loss = -std::log(std::max(output(i, label), 1e-30f));
                        if (exampleWeight.empty()) {
                            batchLoss += loss;
                        } else {
                            const double weight
                                = exampleWeight[static_cast<std::size_t>(order[static_cast<std::size_t>(start + i)])];
                            batchLoss += weight * loss;
                            delta.row(i) *= static_cast<float>(weight);
                        }
                    }
                } else {
                    delta = output - batchTarget; // squared error / 2
                    batchLoss = 0.5 * static_cast<double>(delta.squaredNorm());
                }
                lossSum += batchLoss;
                delta /= static_cast<float>(rows);

                // Backward, layer by layer, updating as we go.
                optimizer.nextStep();
                for (std::size_t l = layerCount; l-- > 0;) {
                    if (l == 0 && sparse)
                        gradientW.noalias() = sparseInput.transpose() * delta;
                    else if (l == 0)
                        gradientW.noalias() = input.transpose() * delta;
                    else
                        gradientW.noalias() = activations[l - 1].transpose() * delta;
                    gradientW += (l2 / static_cast<float>(rows)) * net.weights[l];
                    gradientB = delta.colwise().sum();
                    if (l > 0) {
                        previousDelta.noalias() = delta * net.weights[l].transpose();
                        if (dropout > 0.0f)
                            previousDelta.array() *= masks[l - 1].array();
                        applyDerivative(previousDelta, activations[l - 1], net.activation);
                    }
                    optimizer.update(net, l, gradientW, gradientB);
                    if (l > 0)
                        std::swap(delta, previousDelta);
                }
            }
            double penalty = 0.0;
            for (const Matrix& w : net.weights)
                penalty += static_cast<double>(w.squaredNorm());
            const double trainLoss = lossSum / static_cast<double>(n) + 0.5 * l2 * penalty / static_cast<double>(n);
            context.report(epoch, "train_loss", trainLoss);
            if (validation && validation->rows() > 0)
                reportValidation(net, *validation, sparseValidation, epoch, context);
            converged = monitor.update(epoch, trainLoss);
        }
        if (context.canPause())
            context.keepState(saveFit(net, optimizer, random, monitor, order, done, converged));
        return std::make_unique<MlpModel>(std::move(net));
    }

    std::unique_ptr<Model> loadModel(const QJsonObject& json) const override { return MlpModel::fromJson(json); }

private:
    static constexpr quint32 kPausedVersion = 1;

    static QByteArray saveFit(const Network& net, const Optimizer& optimizer, const util::Random& random,
                              const ConvergenceMonitor& monitor, const std::vector<Eigen::Index>& order, int epochs,
                              bool converged)
    {
        QByteArray bytes;
        QDataStream out(&bytes, QIODevice::WriteOnly);
        out << kPausedVersion << static_cast<qint32>(epochs) << converged;
        for (const std::uint64_t word : random.state())
            out << static_cast<quint64>(word);
        monitor.save(out);
        for (std::size_t l = 0; l < net.weights.size(); ++l)
            out << net.weights[l] << net.biases[l];
        optimizer.save(out);
        out << static_cast<qint64>(order.size());
        for (const Eigen::Index row : order)
            out << static_cast<qint64>(row);
        return bytes;
    }

    /// The epochs a paused fit had trained and whether its stopping rule had ended it; nothing to restore: (0, false).
    static std::pair<int, bool> resumeFit(const QByteArray& paused, int epochs, Network& net, Optimizer& optimizer,
                                          util::Random& random, ConvergenceMonitor& monitor,
                                          std::vector<Eigen::Index>& order)
    {
        int done = 0;
        bool converged = false;
        if (!paused.isEmpty())
            restoreFit(paused, net, optimizer, random, monitor, order, done, converged);
        if (done > epochs)
            throw TrainingError("the paused fit has trained " + std::to_string(done) + " epochs, more than the "
                                + std::to_string(epochs) + " asked now");
        return {done, converged};
    }

    static void restoreFit(const QByteArray& bytes, Network& net, Optimizer& optimizer, util::Random& random,
                           ConvergenceMonitor& monitor, std::vector<Eigen::Index>& order, int& epochs, bool& converged)
    {
        QDataStream in(bytes);
        quint32 version = 0;
        qint32 done = 0;
        in >> version >> done >> converged;
        util::Random::State state{};
        for (std::uint64_t& word : state) {
            quint64 value = 0;
            in >> value;
            word = value;
        }
        monitor.restore(in);
        for (std::size_t l = 0; l < net.weights.size(); ++l)
            in >> net.weights[l] >> net.biases[l];
        optimizer.restore(in);
        qint64 rows = 0;
        in >> rows;
        if (rows != static_cast<qint64>(order.size()))
            in.setStatus(QDataStream::ReadCorruptData);
        for (std::size_t i = 0; i < order.size() && in.status() == QDataStream::Ok; ++i) {
            qint64 row = 0;
            in >> row;
            order[i] = static_cast<Eigen::Index>(row);
        }
        if (version != kPausedVersion || in.status() != QDataStream::Ok || done < 0)
            throw TrainingError("the paused fit's state does not match this network (its layers or its data)");
        random.setState(state);
        epochs = done;
    }

private:
    static void reportValidation(const Network& net, const TrainingData& validation,
                                 const std::optional<SparseRows>& sparse, int epoch, const TrainingContext& context)
    {
        const MlpModel probe(net);
        const Prediction prediction = sparse ? probe.predict(*sparse) : probe.predict(validation.features);
        if (net.classification) {
            double loss = 0.0;
            double hits = 0.0;
            for (Eigen::Index i = 0; i < validation.rows(); ++i) {
                const auto label = static_cast<Eigen::Index>(validation.target[i]);
                loss -= std::log(std::max(prediction.probabilities(i, label), 1e-15));
                hits += prediction.values[i] == validation.target[i] ? 1.0 : 0.0;
            }
            context.report(epoch, "validation_loss", loss / static_cast<double>(validation.rows()));
            context.report(epoch, "validation_accuracy", hits / static_cast<double>(validation.rows()));
        } else {
            context.report(epoch, "validation_rmse",
                           std::sqrt((prediction.values - validation.target).squaredNorm()
                                     / static_cast<double>(validation.rows())));
        }
    }
};

} // namespace

std::shared_ptr<const Algorithm> makeMlp()
{
    return std::make_shared<Mlp>();
}

} // namespace tunebench::algorithms::builtin

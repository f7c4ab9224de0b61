#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include <Eigen/Core>

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>

#include "algorithms/params.h"
#include "data/dataset.h"
#include "util/cancel.h"

namespace tunebench::algorithms {

/// Numeric training data after preprocessing: one row per example.
struct TrainingData
{
    Eigen::MatrixXd features; ///< rows x features
    Eigen::VectorXd target; ///< class index (0..classes-1) for classification, value for regression
    data::Task task = data::Task::Regression;
    int classes = 0; ///< 0 for regression
    std::vector<std::string> featureNames;
    /// The features that hold a categorical column's level codes (PreprocessOptions::categoryCodes), in
    /// increasing order: trees split them on thresholds of the codes; xgboost, with histograms, as categories.
    std::vector<Eigen::Index> categoricalFeatures;

    [[nodiscard]] Eigen::Index rows() const { return features.rows(); }
    [[nodiscard]] bool isClassification() const { return task != data::Task::Regression; }
};

/// What a model says about some rows.
struct Prediction
{
    Eigen::MatrixXd probabilities; ///< classification: rows x classes, each row sums to 1
    Eigen::VectorXd values; ///< regression: the prediction; classification: the most probable class
};

/// A training run failed for a reason the user can act on (diverged, one class only, ...).
class TrainingError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

/// Where fits that can pause keep their state between budgets (multi-fidelity: a trial trained to a rung's
/// epochs continues from there when it is promoted). One state per fit, by the fit's metric prefix ("fold2/"),
/// as opaque bytes only the algorithm reads. Thread-safe.
class FitStates
{
public:
    /// The state kept under `key`; empty when there is none (the fit starts from scratch).
    [[nodiscard]] QByteArray state(const std::string& key) const
    {
        const std::lock_guard lock(m_mutex);
        const auto found = m_states.find(key);
        return found == m_states.end() ? QByteArray() : found->second;
    }
    void keep(const std::string& key, QByteArray state)
    {
        const std::lock_guard lock(m_mutex);
        m_states[key] = std::move(state);
    }
    /// Every state, written as one file and read back (the trial's checkpoint folder). read() throws
    /// std::runtime_error for a file that is not one.
    void write(const std::string& path) const;
    void read(const std::string& path);

private:
    mutable std::mutex m_mutex;
    std::map<std::string, QByteArray> m_states;
};

/// How a training run talks to whoever runs it: metric points out, cancellation in.
/// Algorithms call report() once per iteration (epoch, round, tree) and check cancelled() at least every
/// ~50 ms; when it turns true they throw util::Cancelled.
class TrainingContext
{
public:
    using Reporter = std::function<void(int step, const std::string& metric, double value)>;

    TrainingContext() = default;
    TrainingContext(util::CancelToken cancel, Reporter reporter, int threads = 1)
        : m_cancel(std::move(cancel))
        , m_reporter(std::move(reporter))
        , m_threads(threads)
    { }

    [[nodiscard]] bool cancelled() const { return m_cancel.isCancelled(); }
    void throwIfCancelled() const
    {
        if (m_cancel.isCancelled())
            throw util::Cancelled();
    }
    void report(int step, const std::string& metric, double value) const
    {
        if (m_reporter)
            m_reporter(step, metric, value);
    }
    /// The same cancellation, with every metric name prefixed (as "fold2/loss").
    [[nodiscard]] TrainingContext withPrefix(const std::string& prefix) const
    {
        Reporter reporter;
        if (m_reporter) {
            reporter = [inner = m_reporter, prefix](int step, const std::string& metric, double value) {
                inner(step, prefix + metric, value);
            };
        }
        TrainingContext prefixed{m_cancel, std::move(reporter), m_threads};
        prefixed.m_devices = m_devices;
        prefixed.m_checkpointDirectory = m_checkpointDirectory;
        prefixed.m_fitStates = m_fitStates;
        prefixed.m_prefix = m_prefix + prefix;
        return prefixed;
    }
    /// Threads the algorithm may use (forest trees, xgboost).
    [[nodiscard]] int threads() const { return m_threads; }
    /// The devices the scheduler gave this trial ("0,1": GPU indices), empty when none.
    [[nodiscard]] const std::string& devices() const { return m_devices; }
    void setDevices(std::string devices) { m_devices = std::move(devices); }
    /// A folder of the trial's own, kept across its restarts and a resume after a crash (a script's checkpoints:
    /// {checkpoint_dir}); empty when the run keeps none.
    [[nodiscard]] const std::string& checkpointDirectory() const { return m_checkpointDirectory; }
    void setCheckpointDirectory(std::string folder) { m_checkpointDirectory = std::move(folder); }
    /// Multi-fidelity: an algorithm that trains in iterations continues from pausedState() when it is not empty
    /// (trained for fewer iterations than its parameters now ask) and leaves its final state with keepState(), so
    /// that a promotion continues exactly where it paused. Algorithms that cannot pause ignore both (and fit from
    /// scratch at every budget).
    [[nodiscard]] bool canPause() const { return m_fitStates != nullptr; }
    [[nodiscard]] QByteArray pausedState() const { return m_fitStates ? m_fitStates->state(m_prefix) : QByteArray(); }
    void keepState(QByteArray state) const
    {
        if (m_fitStates)
            m_fitStates->keep(m_prefix, std::move(state));
    }
    void setFitStates(std::shared_ptr<FitStates> states) { m_fitStates = std::move(states); }
    [[nodiscard]] const std::shared_ptr<FitStates>& fitStates() const { return m_fitStates; }

private:
    util::CancelToken m_cancel;
    Reporter m_reporter;
    int m_threads = 1;
    std::string m_devices;
    std::string m_checkpointDirectory;
    std::shared_ptr<FitStates> m_fitStates;
    std::string m_prefix; ///< of the metric names: the fit's key in m_fitStates
};

/// A trained model. Constructed only by its algorithm's fit().
class Model
{
public:
    virtual ~Model() = default;
    [[nodiscard]] virtual Prediction predict(const Eigen::MatrixXd& features) const = 0;
    /// predict(), checking the context's cancellation as it goes (throws util::Cancelled). Models whose
    /// prediction itself can take seconds (k nearest neighbours on a large training set) check between blocks
    /// of rows; the others check once, before.
    [[nodiscard]] virtual Prediction predictCancellable(const Eigen::MatrixXd& features,
                                                        const TrainingContext& context) const
    {
        context.throwIfCancelled();
        return predict(features);
    }
    /// Everything needed to rebuild the model with Algorithm::loadModel (for model files).
    [[nodiscard]] virtual QJsonObject toJson() const = 0;
    /// How large the model is: its stored parameters (weights, coefficients, kept training values) or its trees'
    /// nodes (the "model_size" a trial records, for objectives and constraints).
    [[nodiscard]] virtual std::int64_t size() const = 0;
};

/// A learning algorithm: its hyperparameter schema and fit(). Stateless: one instance serves every thread.
class Algorithm
{
public:
    virtual ~Algorithm() = default;
    [[nodiscard]] virtual std::string id() const = 0;
    [[nodiscard]] virtual std::string displayName() const = 0;
    [[nodiscard]] virtual std::string description() const = 0;
    [[nodiscard]] virtual std::vector<ParamSpec> params() const = 0;
    [[nodiscard]] virtual bool supports(data::Task task) const = 0;
    /// Whether features should be standardised before fit (trees do not need it).
    [[nodiscard]] virtual bool wantsScaling() const { return true; }
    /// Whether a categorical column may reach fit as one feature of level codes (PreprocessOptions::
    /// categoryCodes): only for algorithms that split on thresholds, to which codes ordered by the target are
    /// as good as one-hot columns; to the others they would be numbers with a meaningless distance.
    [[nodiscard]] virtual bool takesCategoryCodes() const { return false; }
    /// Trains on `train`; `validation`, when given, is for per-iteration validation curves only.
    /// `params` are resolved (every name present). Throws TrainingError or util::Cancelled.
    [[nodiscard]] virtual std::unique_ptr<Model> fit(const TrainingData& train, const Params& params,
                                                     const TrainingContext& context,
                                                     const TrainingData* validation = nullptr) const = 0;
    /// Rebuilds a model saved by Model::toJson; throws std::invalid_argument for malformed content.
    [[nodiscard]] virtual std::unique_ptr<Model> loadModel(const QJsonObject& json) const = 0;
};

/// A matrix as {"rows", "cols", "data": [column-major values]}, and back (checking the sizes).
[[nodiscard]] QJsonObject matrixToJson(const Eigen::MatrixXd& matrix);
[[nodiscard]] Eigen::MatrixXd matrixFromJson(const QJsonValue& json);

/// Shared helper for probabilistic classifiers: the class with the highest probability, per row.
Eigen::VectorXd argmaxRows(const Eigen::MatrixXd& probabilities);

} // namespace tunebench::algorithms

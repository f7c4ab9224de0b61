// `xgboost`: gradient-boosted trees through Debian's libxgboost (C API), one round at a time so that
// every round's training and validation metrics reach the live curves.

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <future>
#include <mutex>
#include <sstream>
#include <utility>
#include <vector>

#include <xgboost/c_api.h>

#include "algorithms/builtin_p.h"
#include "algorithms/iterative.h"

namespace tunebench::algorithms::builtin {

namespace {

void check(int status, const char* what)
{
    if (status != 0)
        throw TrainingError(std::string("xgboost: ") + what + ": " + XGBGetLastError());
}

using RowMajorFloats = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// Owns a DMatrix copied from row-major floats (xgboost's own layout), with labels and example weights
/// when given, and the features to split as categories (their values are category codes 0, 1, ...).
class Matrix
{
public:
    Matrix(const RowMajorFloats& rows, const Eigen::VectorXf* labels, const Eigen::VectorXf* weights = nullptr,
           const std::vector<Eigen::Index>& categorical = {})
    {
        check(XGDMatrixCreateFromMat(rows.data(), static_cast<bst_ulong>(rows.rows()),
                                     static_cast<bst_ulong>(rows.cols()), std::numeric_limits<float>::quiet_NaN(),
                                     &m_handle),
              "creating a matrix");
        if (labels)
            check(XGDMatrixSetFloatInfo(m_handle, "label", labels->data(), static_cast<bst_ulong>(labels->size())),
                  "setting labels");
        if (weights && weights->size() > 0)
            check(XGDMatrixSetFloatInfo(m_handle, "weight", weights->data(), static_cast<bst_ulong>(weights->size())),
                  "setting example weights");
        if (!categorical.empty()) {
            // "q": quantitative (split on thresholds), "c": categorical (split into sets of codes).
            std::vector<const char*> types(static_cast<std::size_t>(rows.cols()), "q");
            for (const Eigen::Index feature : categorical)
                types[static_cast<std::size_t>(feature)] = "c";
            check(XGDMatrixSetStrFeatureInfo(m_handle, "feature_type", types.data(), types.size()),
                  "setting feature types");
        }
    }
    ~Matrix() { XGDMatrixFree(m_handle); }
    Matrix(const Matrix&) = delete;
    Matrix& operator=(const Matrix&) = delete;
    [[nodiscard]] DMatrixHandle handle() const { return m_handle; }

private:
    DMatrixHandle m_handle = nullptr;
};

class BoosterModel final : public Model
{
public:
    BoosterModel(BoosterHandle booster, int classes)
        : m_booster(booster)
        , m_classes(classes)
    { }
    ~BoosterModel() override { XGBoosterFree(m_booster); }
    BoosterModel(const BoosterModel&) = delete;
    BoosterModel& operator=(const BoosterModel&) = delete;

    Prediction predict(const Eigen::MatrixXd& features) const override
    {
        const Matrix matrix(features.cast<float>(), nullptr);
        bst_ulong length = 0;
        const float* result = nullptr;
        check(XGBoosterPredict(m_booster, matrix.handle(), 0, 0, 0, &length, &result), "predicting");
        const Eigen::Index n = features.rows();
        Prediction prediction;
        if (m_classes == 2) {
            prediction.probabilities.resize(n, 2);
            for (Eigen::Index i = 0; i < n; ++i) {
                prediction.probabilities(i, 1) = result[i];
                prediction.probabilities(i, 0) = 1.0 - result[i];
            }
            prediction.values = argmaxRows(prediction.probabilities);
        } else if (m_classes > 2) {
            prediction.probabilities
                = Eigen::Map<const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(result, n,
                                                                                                          m_classes)
                      .cast<double>();
            prediction.values = argmaxRows(prediction.probabilities);
        } else {
            prediction.values = Eigen::Map<const Eigen::VectorXf>(result, n).cast<double>();
        }
        return prediction;
    }

    std::int64_t size() const override
    {
        // The trees' nodes: one line per node in xgboost's text dump.
        bst_ulong trees = 0;
        const char** dumps = nullptr;
        check(XGBoosterDumpModelEx(m_booster, "", 0, "text", &trees, &dumps), "counting nodes");
        std::int64_t nodes = 0;
        for (bst_ulong t = 0; t < trees; ++t) {
            for (const char* c = dumps[t]; *c; ++c)
                nodes += *c == '\n';
        }
        return nodes;
    }

    QJsonObject toJson() const override
    {
        // xgboost's own JSON model format, kept as text inside ours.
        bst_ulong length = 0;
        const char* bytes = nullptr;
        check(XGBoosterSaveModelToBuffer(m_booster, R"({"format": "json"})", &length, &bytes), "saving the model");
        return {{QStringLiteral("booster"), QString::fromUtf8(bytes, static_cast<qsizetype>(length))},
                {QStringLiteral("classes"), m_classes}};
    }

    static std::unique_ptr<Model> fromJson(const QJsonObject& json)
    {
        const QByteArray text = json.value(QStringLiteral("booster")).toString().toUtf8();
        if (text.isEmpty())
            throw std::invalid_argument("malformed xgboost model");
        BoosterHandle booster = nullptr;
        if (XGBoosterCreate(nullptr, 0, &booster) != 0)
            throw std::invalid_argument(std::string("xgboost: ") + XGBGetLastError());
        auto model = std::make_unique<BoosterModel>(booster, json.value(QStringLiteral("classes")).toInt());
        if (XGBoosterLoadModelFromBuffer(booster, text.constData(), static_cast<bst_ulong>(text.size())) != 0)
            throw std::invalid_argument(std::string("malformed xgboost model: ") + XGBGetLastError());
        return model;
    }

private:
    BoosterHandle m_booster;
    int m_classes;
};

/// "[3]\ttrain-logloss:0.51\tvalidation-logloss:0.55" -> the value after "NAME-METRIC:".
double evalValue(const std::string& text, const std::string& name)
{
    const auto at = text.find("\t" + name + "-");
    if (at == std::string::npos)
        return std::numeric_limits<double>::quiet_NaN();
    const auto colon = text.find(':', at);
    return std::strtod(text.c_str() + colon + 1, nullptr);
}

/// Up to this many feature cells, exact split search costs little next to hist's (about 1.5 times its time at
/// 1,000 x 50) and cuts between neighbouring values; above, hist is many times faster (9 times at 16,000 x 50).
constexpr Eigen::Index kExactCellLimit = 50'000;

/// The tree_method handed to libxgboost: "auto" resolved as the parameter's help says. libxgboost's exact
/// method ignores grow_policy and max_leaves without a word, so asking for both is an error here.
std::string treeMethod(const Params& params, const TrainingData& train)
{
    const std::string asked = asString(params, "tree_method");
    const bool leafWise = asString(params, "grow_policy") == "lossguide" || asInt(params, "max_leaves") > 0;
    if (asked == "exact" && leafWise)
        throw TrainingError("tree_method=exact grows depth-wise only: grow_policy=lossguide and max_leaves need "
                            "tree_method hist or approx");
    if (asked != "auto")
        return asked;
    if (leafWise || !train.categoricalFeatures.empty()) // only the histogram methods split categories
        return "hist";
    return train.features.size() <= kExactCellLimit ? "exact" : "hist";
}

/// One fit's state, shared by fit() and the helper thread that runs its rounds (see fit()).
class Session
{
public:
    explicit Session(const TrainingContext& context)
        : m_context(context)
    { }
    ~Session()
    {
        if (m_booster)
            XGBoosterFree(m_booster);
    }
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    RowMajorFloats trainRows, validationRows;
    Eigen::VectorXf trainLabels, validationLabels;
    Eigen::VectorXf trainWeights; ///< class_weight; empty: all 1 (the validation curve stays unweighted)
    std::vector<Eigen::Index> categorical; ///< features split as categories (none with tree_method exact)
    int classes = 0;
    std::string method; ///< tree_method, resolved
    Params params;

    /// Trains every round (on the helper thread); throws TrainingError or util::Cancelled.
    void run()
    {
        const Matrix trainMatrix(trainRows, &trainLabels, &trainWeights, categorical);
        std::unique_ptr<Matrix> validationMatrix;
        if (validationRows.rows() > 0)
            validationMatrix = std::make_unique<Matrix>(validationRows, &validationLabels, nullptr, categorical);
        // The matrices hold their own copies now.
        trainRows = {};
        validationRows = {};
        DMatrixHandle cache[2] = {trainMatrix.handle(), validationMatrix ? validationMatrix->handle() : nullptr};
        check(XGBoosterCreate(cache, validationMatrix ? 2 : 1, &m_booster), "creating a booster");

        std::string lossName;
        auto set = [&](const char* name, const std::string& value) {
            check(XGBoosterSetParam(m_booster, name, value.c_str()), name);
        };
        if (classes == 2) {
            set("objective", "binary:logistic");
            lossName = "logloss";
        } else if (classes > 2) {
            set("objective", "multi:softprob");
            set("num_class", std::to_string(classes));
            lossName = "mlogloss";
        } else {
            set("objective", "reg:squarederror");
            lossName = "rmse";
        }
        set("eval_metric", lossName);
        if (classes <= 2 && asBool(params, "boost_from_average"))
            set("base_score", exactText(startingScore()));
        set("tree_method", method);
        set("nthread", std::to_string(std::max(1, m_context.threads())));
        set("verbosity", "0");
        set("grow_policy", asString(params, "grow_policy"));
        for (const char* name :
             {"max_depth", "max_leaves", "max_bin", "max_cat_to_onehot", "max_cat_threshold", "seed"})
            set(name, std::to_string(asInt(params, name)));
        for (const char* name : {"eta", "subsample", "colsample_bytree", "colsample_bylevel", "colsample_bynode",
                                 "lambda", "alpha", "min_child_weight", "gamma"})
            set(name, exactText(asDouble(params, name)));

        const auto rounds = static_cast<int>(asInt(params, "rounds"));
        ConvergenceMonitor monitor(asDouble(params, "tol"), static_cast<int>(asInt(params, "n_iter_no_change")));
        // A paused fit (multi-fidelity) continues from its trees and its stopping rule's state.
        int done = 0;
        bool converged = false;
        if (const QByteArray paused = m_context.pausedState(); !paused.isEmpty())
            restore(paused, monitor, done, converged);
        if (done > rounds)
            throw TrainingError("the paused fit has trained " + std::to_string(done) + " rounds, more than the "
                                + std::to_string(rounds) + " asked now");
        const char* names[2] = {"train", "validation"};
        const std::string suffix = classes > 0 ? "loss" : "rmse";
        for (int round = done; round < rounds && !converged; ++round) {
            m_context.throwIfCancelled();
            check(XGBoosterUpdateOneIter(m_booster, round, trainMatrix.handle()), "training a round");
            const char* result = nullptr;
            check(XGBoosterEvalOneIter(m_booster, round, cache, names, validationMatrix ? 2 : 1, &result),
                  "evaluating");
            const std::string text = result;
            const double trainLoss = evalValue(text, "train");
            report(round + 1, "train_" + suffix, trainLoss);
            double watched = trainLoss;
            if (validationMatrix) {
                watched = evalValue(text, "validation");
                report(round + 1, "validation_" + suffix, watched);
            }
            converged = monitor.update(round + 1, watched);
            done = round + 1;
        }
        if (m_context.canPause())
            m_context.keepState(save(monitor, done, converged));
    }

    /// Called by fit() when it gives up waiting: no metric point is reported after this returns (the
    /// context's reporter may refer to what fit()'s caller is about to destroy).
    void abandon()
    {
        const std::lock_guard lock(m_reportMutex);
        m_abandoned = true;
    }

    /// The trained booster, now the caller's to free.
    BoosterHandle releaseBooster() { return std::exchange(m_booster, nullptr); }

private:
    static constexpr quint32 kPausedVersion = 1;

    QByteArray save(const ConvergenceMonitor& monitor, int rounds, bool converged) const
    {
        bst_ulong length = 0;
        const char* model = nullptr;
        // The memory snapshot (trees and configuration), as xgboost's own pickling keeps a booster to train on.
        check(XGBoosterSerializeToBuffer(m_booster, &length, &model), "saving the trees");
        QByteArray bytes;
        QDataStream out(&bytes, QIODevice::WriteOnly);
        out << kPausedVersion << static_cast<qint32>(rounds) << converged;
        monitor.save(out);
        out << QByteArray(model, static_cast<qsizetype>(length));
        return bytes;
    }

    void restore(const QByteArray& bytes, ConvergenceMonitor& monitor, int& rounds, bool& converged)
    {
        QDataStream in(bytes);
        quint32 version = 0;
        qint32 done = 0;
        QByteArray model;
        in >> version >> done >> converged;
        monitor.restore(in);
        in >> model;
        if (version != kPausedVersion || in.status() != QDataStream::Ok || done < 0
            || XGBoosterUnserializeFromBuffer(m_booster, model.constData(), static_cast<bst_ulong>(model.size())) != 0)
            throw TrainingError("the paused fit's state is not one of this booster");
        rounds = done;
    }

    /// A number as libxgboost's parameters take it: text, with every digit a double holds.
    static std::string exactText(double value)
    {
        std::ostringstream text;
        text.precision(17);
        text << value;
        return text.str();
    }

    /// Where boosting starts: the training rows' (weighted) mean label, the class prior for binary
    /// classification (kept inside (0, 1), as logistic loss needs, when the rows hold one class only).
    double startingScore() const
    {
        const Eigen::VectorXd labels = trainLabels.cast<double>();
        double mean = labels.mean();
        if (trainWeights.size() == labels.size())
            mean = trainWeights.cast<double>().dot(labels) / trainWeights.cast<double>().sum();
        return classes == 2 ? std::clamp(mean, 1e-6, 1.0 - 1e-6) : mean;
    }

    void report(int step, const std::string& metric, double value)
    {
        const std::lock_guard lock(m_reportMutex);
        if (!m_abandoned)
            m_context.report(step, metric, value);
    }

    const TrainingContext m_context; // a copy: fit()'s reference may be gone while a round finishes
    BoosterHandle m_booster = nullptr;
    std::mutex m_reportMutex;
    bool m_abandoned = false;
};

/// Keeps the helper threads of cancelled fits until their round in flight ends; the futures of std::async
/// wait in their destructors, so none is still inside libxgboost when the process tears it down.
void finishInBackground(std::future<void> running)
{
    static std::mutex mutex;
    static std::vector<std::future<void>> unfinished;
    const std::lock_guard lock(mutex);
    std::erase_if(unfinished, [](const std::future<void>& task) {
        return task.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
    });
    unfinished.push_back(std::move(running));
}

class XGBoost final : public Algorithm
{
public:
    std::string id() const override { return "xgboost"; }
    std::string displayName() const override { return "XGBoost"; }
    std::string description() const override { return "Gradient-boosted trees (libxgboost), one round per iteration."; }
    bool supports(data::Task) const override { return true; }
    bool wantsScaling() const override { return false; }
    bool takesCategoryCodes() const override { return true; }

    std::vector<ParamSpec> params() const override
    {
        return {
            ParamSpec::integer("rounds", 1, 10000, 100, Scaling::Log, "Boosting rounds (trees per class)."),
            ParamSpec::integer("max_depth", 1, 20, 6, Scaling::Linear,
                               "Deepest a tree may grow (shallower for a number to predict: many small steps).")
                .withRegressionDefault(std::int64_t{3}),
            ParamSpec::categorical(
                "tree_method", {"auto", "exact", "hist", "approx"}, "auto",
                "How split points are found. exact: every midpoint between neighbouring values, as scikit-learn's "
                "trees do; hist: max_bin histogram bins per feature, far faster on large tables; approx: quantile "
                "sketches redrawn each round. auto: exact on tables of up to 50,000 cells (rows x features), where "
                "it costs little, else hist; hist whenever grow_policy is lossguide or max_leaves is set, or "
                "categorical columns come as category codes (preprocessing): hist and approx split those as "
                "categories, exact on thresholds of the codes, as tree and forest do."),
            ParamSpec::categorical("grow_policy", {"depthwise", "lossguide"}, "depthwise",
                                   "Split level by level, or always the leaf that lowers the loss most (as "
                                   "LightGBM and HistGradientBoosting do; bound it with max_leaves)."),
            ParamSpec::integer("max_leaves", 0, 4096, 0, Scaling::Linear,
                               "Most leaves a tree may have (0: no limit; hist and approx)."),
            ParamSpec::integer("max_bin", 2, 1024, 256, Scaling::Log, "Histogram bins per feature (hist and approx)."),
            ParamSpec::integer("max_cat_to_onehot", 1, 1024, 4, Scaling::Log,
                               "Category codes (preprocessing), hist and approx: a column of fewer levels than this "
                               "splits one level from the rest; one of more, into two sets of levels sorted by "
                               "their gradient statistics in each node.")
                .searchedIn(1, 64)
                .forCategoryCodesOnly(),
            ParamSpec::integer("max_cat_threshold", 1, 4096, 64, Scaling::Log,
                               "Category codes, hist and approx: most levels a split may send one way.")
                .searchedIn(4, 256)
                .forCategoryCodesOnly(),
            ParamSpec::continuous("eta", 1e-4, 1.0, 0.3, Scaling::Log, "Learning rate: the shrinkage of each tree.")
                .withRegressionDefault(0.2),
            ParamSpec::continuous("subsample", 0.05, 1.0, 1.0, Scaling::Linear, "Share of rows sampled per tree."),
            ParamSpec::continuous("colsample_bytree", 0.05, 1.0, 1.0, Scaling::Linear,
                                  "Share of features sampled per tree."),
            ParamSpec::continuous("colsample_bylevel", 0.05, 1.0, 1.0, Scaling::Linear,
                                  "Share of the tree's features sampled for each depth level."),
            ParamSpec::continuous("colsample_bynode", 0.05, 1.0, 0.5, Scaling::Linear,
                                  "Share of the level's features sampled for each split, as a random forest draws "
                                  "them (libxgboost's default: 1).")
                .withRegressionDefault(1.0),
            ParamSpec::continuous("lambda", 0.0, 1000.0, 1.0, Scaling::Linear, "L2 penalty on leaf weights."),
            ParamSpec::continuous("alpha", 0.0, 1000.0, 0.0, Scaling::Linear, "L1 penalty on leaf weights."),
            ParamSpec::continuous("min_child_weight", 0.0, 1000.0, 1.0, Scaling::Linear,
                                  "Least hessian weight a child needs."),
            ParamSpec::continuous("gamma", 0.0, 1000.0, 1.0, Scaling::Linear,
                                  "Least loss reduction a split must bring (libxgboost's min_split_loss; its default: "
                                  "0). Log loss has the same units on every table: on a small one a least gain prunes "
                                  "splits that fit noise. With three classes or more each class has its own trees, "
                                  "whose gains are small: 1 stopped them early (4 to 8 points of accuracy on tables "
                                  "of 10,000+ rows and 10+ classes), so there it is 0. Squared error has the "
                                  "target's units, so for a number it stays 0.")
                .searchedIn(0.0, 10.0)
                .withRegressionDefault(0.0)
                .withMulticlassDefault(0.0),
            ParamSpec::continuous("tol", 0.0, 1.0, 0.0, Scaling::Linear,
                                  "Stop when the validation (else training) loss improves by less than this ..."),
            ParamSpec::integer("n_iter_no_change", 0, 1000, 0, Scaling::Linear,
                               "... for this many rounds in a row (0: run every round)."),
            ParamSpec::boolean(
                "boost_from_average", true,
                "Start boosting from the training rows' mean (the class prior for binary classification; "
                "libxgboost's base_score), as xgboost 2, LightGBM and HistGradientBoosting do; false: from 0.5, "
                "libxgboost 1.7's default. Multiclass models start from equal classes either way."),
            classWeightParam(),
            ParamSpec::integer("seed", 0, 2147483647, 0, Scaling::Linear, "Random seed."),
        };
    }

    std::unique_ptr<Model> fit(const TrainingData& train, const Params& params, const TrainingContext& context,
                               const TrainingData* validation) const override
    {
        if (train.rows() == 0)
            throw TrainingError("no training rows");
        // libxgboost's calls cannot be interrupted, and on a large table one of them can take a second (the
        // first round sketches every feature's histogram). So the rounds run on a helper thread while this one
        // waits in slices of 10 ms, watching for cancellation: a cancelled fit returns within a slice, and the
        // round in flight finishes on the helper, which owns all it touches (the Session) and frees it after.
        auto session = std::make_shared<Session>(context);
        session->trainRows = train.features.cast<float>();
        session->trainLabels = train.target.cast<float>();
        if (const std::vector<double> weights = exampleWeights(train, params); !weights.empty())
            session->trainWeights = Eigen::Map<const Eigen::VectorXd>(weights.data(), train.rows()).cast<float>();
        if (validation && validation->rows() > 0) {
            session->validationRows = validation->features.cast<float>();
            session->validationLabels = validation->target.cast<float>();
        }
        session->classes = train.isClassification() ? train.classes : 0;
        session->method = treeMethod(params, train);
        if (session->method != "exact")
            session->categorical = train.categoricalFeatures;
        session->params = params;
        std::future<void> done = std::async(std::launch::async, [session] { session->run(); });
        while (done.wait_for(std::chrono::milliseconds(10)) != std::future_status::ready) {
            if (context.cancelled()) {
                session->abandon();
                finishInBackground(std::move(done));
                throw util::Cancelled();
            }
        }
        done.get(); // rethrows the helper's TrainingError or util::Cancelled
        return std::make_unique<BoosterModel>(session->releaseBooster(), session->classes);
    }

    std::unique_ptr<Model> loadModel(const QJsonObject& json) const override { return BoosterModel::fromJson(json); }
};

} // namespace

std::shared_ptr<const Algorithm> makeXgboost()
{
    return std::make_shared<XGBoost>();
}

} // namespace tunebench::algorithms::builtin

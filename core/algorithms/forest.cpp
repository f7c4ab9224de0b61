// `tree` (one CART) and `forest` (a random forest of them, grown in parallel).

#include <cmath>
#include <mutex>

#include <QJsonArray>

#include "algorithms/builtin_p.h"
#include "algorithms/tree.h"
#include "evaluation/metrics.h"
#include "util/parallel.h"

namespace tunebench::algorithms::builtin {

namespace {

using cart::Criterion;

class EnsembleModel final : public Model
{
public:
    /// `threads`: the fit's, for its predictions too.
    EnsembleModel(std::vector<cart::Tree> trees, int classes, int threads = 1)
        : m_trees(std::move(trees))
        , m_classes(classes)
        , m_threads(threads)
    { }

    Prediction predict(const Eigen::MatrixXd& features) const override
    {
        return cart::predictEnsemble(m_trees, features, m_classes, m_threads);
    }

    std::int64_t size() const override
    {
        std::int64_t nodes = 0;
        for (const cart::Tree& tree : m_trees)
            nodes += static_cast<std::int64_t>(tree.nodeCount());
        return nodes;
    }

    QJsonObject toJson() const override
    {
        QJsonArray trees;
        for (const cart::Tree& tree : m_trees)
            trees.append(tree.toJson());
        return {{QStringLiteral("trees"), trees}, {QStringLiteral("classes"), m_classes}};
    }

    static std::unique_ptr<Model> fromJson(const QJsonObject& json)
    {
        std::vector<cart::Tree> trees;
        for (const QJsonValue& tree : json.value(QStringLiteral("trees")).toArray())
            trees.push_back(cart::Tree::fromJson(tree.toObject()));
        if (trees.empty())
            throw std::invalid_argument("malformed tree ensemble in the model");
        return std::make_unique<EnsembleModel>(std::move(trees), json.value(QStringLiteral("classes")).toInt());
    }

private:
    std::vector<cart::Tree> m_trees;
    int m_classes;
    int m_threads;
};

Criterion criterionFor(const TrainingData& train, const Params& params)
{
    if (!train.isClassification())
        return Criterion::SquaredError;
    return asString(params, "criterion") == "entropy" ? Criterion::Entropy : Criterion::Gini;
}

int featuresPerSplit(const std::string& rule, Eigen::Index features, bool classification)
{
    const auto p = static_cast<double>(features);
    // auto: sqrt(p) for classes, all of them for a number, as scikit-learn's forests default (for regression,
    // sqrt(p) lost 2-6 points of R² to RandomForestRegressor on four of six tables; docs/benchmarks.md).
    if (rule == "sqrt" || (rule == "auto" && classification))
        return std::max(1, static_cast<int>(std::sqrt(p)));
    if (rule == "log2")
        return std::max(1, static_cast<int>(std::log2(p)));
    return 0; // all
}

std::vector<ParamSpec> treeParams(bool forest)
{
    const std::string rules = "Features tried at each split: all of them, or a random subset of sqrt(p) or log2(p)";
    ParamSpec maxFeatures = forest
        ? ParamSpec::categorical("max_features", {"auto", "all", "sqrt", "log2"}, "auto",
                                 rules + "; auto is sqrt(p) for classification and all for regression.")
              .searchedAmong({"all", "sqrt", "log2"})
        : ParamSpec::categorical("max_features", {"all", "sqrt", "log2"}, "all", rules + ".");
    return {
        ParamSpec::categorical("criterion", {"gini", "entropy"}, "gini",
                               "Split quality for classification (regression always uses squared error).")
            .forClassificationOnly(),
        ParamSpec::integer("max_depth", 0, 100, 0, Scaling::Linear, "Deepest a tree may grow; 0 for no limit."),
        ParamSpec::integer("min_samples_split", 2, 1000, 2, Scaling::Log, "Fewest examples a node needs to be split."),
        ParamSpec::integer("min_samples_leaf", 1, 1000, 1, Scaling::Log, "Fewest examples in a leaf."),
        std::move(maxFeatures),
        ParamSpec::continuous("ccp_alpha", 0.0, 1e6, 0.0, Scaling::Linear,
                              "Cost-complexity pruning after growing: a split is kept only if it lowers the leaves' "
                              "weighted impurity by more than this per extra leaf (for classes, useful values are "
                              "mostly under 0.05; for regression, in the target's squared units). 0 keeps the whole "
                              "tree.")
            .searchedIn(0.0, 0.05),
        classWeightParam(forest),
        ParamSpec::integer("seed", 0, 2147483647, 0, Scaling::Linear, "Random seed."),
    };
}

cart::TreeOptions treeOptions(const TrainingData& train, const Params& params)
{
    cart::TreeOptions options;
    options.criterion = criterionFor(train, params);
    options.maxDepth = static_cast<int>(asInt(params, "max_depth"));
    options.minSamplesSplit = static_cast<int>(asInt(params, "min_samples_split"));
    options.minSamplesLeaf = static_cast<int>(asInt(params, "min_samples_leaf"));
    options.maxFeatures
        = featuresPerSplit(asString(params, "max_features"), train.features.cols(), train.isClassification());
    options.ccpAlpha = asDouble(params, "ccp_alpha");
    return options;
}

class DecisionTree final : public Algorithm
{
public:
    std::string id() const override { return "tree"; }
    std::string displayName() const override { return "Decision tree"; }
    std::string description() const override
    {
        return "A CART decision tree (gini, entropy or squared error), cutting halfway between neighbouring values.";
    }
    bool supports(data::Task) const override { return true; }
    bool wantsScaling() const override { return false; }
    bool takesCategoryCodes() const override { return true; }
    std::vector<ParamSpec> params() const override { return treeParams(false); }

    std::unique_ptr<Model> fit(const TrainingData& train, const Params& params, const TrainingContext& context,
                               const TrainingData*) const override
    {
        if (train.rows() == 0)
            throw TrainingError("no training rows");
        const cart::BinnedFeatures binned(train.features, cart::BinnedFeatures::kExactBins, context);
        std::vector<double> weights = exampleWeights(train, params);
        if (weights.empty())
            weights.assign(static_cast<std::size_t>(train.rows()), 1.0);
        util::Random random(static_cast<std::uint64_t>(asInt(params, "seed")));
        std::vector<cart::Tree> trees;
        trees.push_back(cart::Tree::grow(binned, train.target, weights, train.classes, treeOptions(train, params),
                                         random, context));
        context.report(1, "nodes", static_cast<double>(trees.front().nodeCount()));
        return std::make_unique<EnsembleModel>(std::move(trees), train.isClassification() ? train.classes : 0,
                                               context.threads());
    }

    std::unique_ptr<Model> loadModel(const QJsonObject& json) const override { return EnsembleModel::fromJson(json); }
};

class RandomForest final : public Algorithm
{
public:
    std::string id() const override { return "forest"; }
    std::string displayName() const override { return "Random forest"; }
    std::string description() const override
    {
        return "Bootstrap-aggregated CART trees with random feature subsets, grown in parallel on features binned "
               "into 256 quantiles.";
    }
    bool supports(data::Task) const override { return true; }
    bool wantsScaling() const override { return false; }
    bool takesCategoryCodes() const override { return true; }

    std::vector<ParamSpec> params() const override
    {
        std::vector<ParamSpec> specs = {
            ParamSpec::integer("trees", 1, 5000, 100, Scaling::Log, "Number of trees."),
            ParamSpec::boolean("bootstrap", true, "Grow each tree on a bootstrap sample of the rows."),
        };
        for (ParamSpec& spec : treeParams(true))
            specs.push_back(std::move(spec));
        return specs;
    }

    std::unique_ptr<Model> fit(const TrainingData& train, const Params& params, const TrainingContext& context,
                               const TrainingData* validation) const override
    {
        if (train.rows() == 0)
            throw TrainingError("no training rows");
        const auto treeCount = static_cast<int>(asInt(params, "trees"));
        const bool bootstrap = asBool(params, "bootstrap");
        const auto seed = static_cast<std::uint64_t>(asInt(params, "seed"));
        const cart::TreeOptions options = treeOptions(train, params);
        const cart::BinnedFeatures binned(train.features, cart::BinnedFeatures::kForestBins, context);
        const int classes = train.isClassification() ? train.classes : 0;
        const Eigen::Index n = train.rows();
        // class_weight: balanced weighs classes over the whole training set (then times each tree's bootstrap
        // counts), balanced_subsample over each tree's bootstrap sample, as scikit-learn's forest does.
        const std::vector<double> classWeights = exampleWeights(train, params);
        const bool balancePerTree = classes > 0 && asString(params, "class_weight") == "balanced_subsample";

        std::vector<cart::Tree> trees(static_cast<std::size_t>(treeCount));
        std::mutex reportMutex;
        int finished = 0;
        // Validation curve: predictions accumulated tree by tree, in the order trees finish.
        Eigen::MatrixXd validationSums;
        if (validation && validation->rows() > 0)
            validationSums = Eigen::MatrixXd::Zero(validation->rows(), std::max(classes, 1));
        util::parallelFor(trees.size(), context.threads(), [&](std::size_t t) {
            context.throwIfCancelled();
            // Each tree's randomness depends only on (seed, tree index): the forest is the same whatever the
            // number of threads and the order in which trees finish.
            util::Random random(seed * 1000003ull + static_cast<std::uint64_t>(t));
            std::vector<double> weights(static_cast<std::size_t>(n), bootstrap ? 0.0 : 1.0);
            if (bootstrap) {
                for (Eigen::Index i = 0; i < n; ++i)
                    weights[static_cast<std::size_t>(random.below(static_cast<std::uint64_t>(n)))] += 1.0;
            }
            if (balancePerTree)
                balanceClasses(train.target, classes, weights);
            else if (!classWeights.empty())
                for (std::size_t i = 0; i < weights.size(); ++i)
                    weights[i] *= classWeights[i];
            cart::Tree tree = cart::Tree::grow(binned, train.target, weights, train.classes, options, random, context);
            std::lock_guard lock(reportMutex);
            trees[t] = std::move(tree);
            ++finished;
            if (validationSums.size() > 0)
                reportValidation(trees[t], *validation, classes, finished, validationSums, context);
        });
        context.throwIfCancelled();
        return std::make_unique<EnsembleModel>(std::move(trees), classes, context.threads());
    }

    std::unique_ptr<Model> loadModel(const QJsonObject& json) const override { return EnsembleModel::fromJson(json); }

private:
    static void reportValidation(const cart::Tree& tree, const TrainingData& validation, int classes, int finished,
                                 Eigen::MatrixXd& sums, const TrainingContext& context)
    {
        const Eigen::Index stride = validation.features.rows();
        for (Eigen::Index i = 0; i < validation.rows(); ++i) {
            Eigen::VectorXd out = Eigen::VectorXd::Zero(sums.cols());
            tree.accumulate(validation.features.data() + i, stride, out.data());
            sums.row(i) += out.transpose();
        }
        const Eigen::MatrixXd average = sums / static_cast<double>(finished);
        if (classes > 0) {
            const auto metrics = evaluation::classificationMetrics(validation.target, average);
            context.report(finished, "validation_loss", metrics.at("log_loss"));
            context.report(finished, "validation_accuracy", metrics.at("accuracy"));
        } else {
            context.report(finished, "validation_rmse",
                           evaluation::regressionMetrics(validation.target, average.col(0)).at("rmse"));
        }
    }
};

} // namespace

std::shared_ptr<const Algorithm> makeTree()
{
    return std::make_shared<DecisionTree>();
}

std::shared_ptr<const Algorithm> makeForest()
{
    return std::make_shared<RandomForest>();
}

} // namespace tunebench::algorithms::builtin

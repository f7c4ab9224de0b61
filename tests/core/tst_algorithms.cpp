// Algorithms against known answers: scikit-learn's coefficients and xgboost's own Python result on the same
// features, hand-made cases, determinism, cancellation and the shared stopping rule.

#include <atomic>
#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>
#include <thread>

#include <Eigen/Cholesky>

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include "algorithms/builtin_p.h"
#include "algorithms/iterative.h"
#include "algorithms/preprocessing.h"
#include "algorithms/registry.h"
#include "algorithms/tree.h"
#include "data/reader.h"
#include "evaluation/validation.h"

using namespace tunebench;
using namespace tunebench::algorithms;

namespace {

data::Dataset load(const char* name)
{
    return data::readDataset(std::string(TUNEBENCH_TEST_DATA) + "/" + name);
}

/// The first `count` columns as features (standardised with the population deviation when asked), the
/// column `target` as the target.
TrainingData raw(const data::Dataset& dataset, int count, std::size_t target, data::Task task, int classes,
                 bool standardize)
{
    TrainingData data;
    const auto n = static_cast<Eigen::Index>(dataset.rowCount());
    data.features.resize(n, count);
    for (int f = 0; f < count; ++f)
        data.features.col(f)
            = Eigen::Map<const Eigen::VectorXd>(dataset.column(static_cast<std::size_t>(f)).values.data(), n);
    if (standardize) {
        const Eigen::RowVectorXd mean = data.features.colwise().mean();
        data.features.rowwise() -= mean;
        const Eigen::RowVectorXd deviation
            = (data.features.colwise().squaredNorm() / static_cast<double>(n)).cwiseSqrt();
        data.features.array().rowwise() /= deviation.array();
    }
    data.target = Eigen::Map<const Eigen::VectorXd>(dataset.column(target).values.data(), n);
    data.task = task;
    data.classes = classes;
    return data;
}

double relativeError(const Eigen::VectorXd& actual, const Eigen::VectorXd& expected)
{
    return (actual - expected).cwiseAbs().maxCoeff() / expected.cwiseAbs().maxCoeff();
}

/// Coefficients of a fitted model, read back through predictions: f(e_j) - f(0) for a linear model.
Eigen::VectorXd linearCoefficients(const Model& model, Eigen::Index features, double* intercept)
{
    const Eigen::MatrixXd zero = Eigen::MatrixXd::Zero(1, features);
    const Eigen::MatrixXd unit = Eigen::MatrixXd::Identity(features, features);
    const double b = model.predict(zero).values[0];
    if (intercept)
        *intercept = b;
    return model.predict(unit).values.array() - b;
}

/// The xgboost known answers' fit: 20 rounds of depth 3 and `params` on `train`, the rest libxgboost's own
/// defaults (eta 0.3, every feature at each split, no least gain for a split), as the Python references train;
/// `curve` gets the training loss (or RMSE) of every round.
std::unique_ptr<Model> fitXgboostAsReference(const TrainingData& train, const Params& params,
                                             std::vector<double>& curve)
{
    const auto xgboost = findAlgorithm("xgboost");
    Params given = params;
    given.emplace("rounds", std::int64_t{20});
    given.emplace("max_depth", std::int64_t{3});
    given.emplace("eta", 0.3);
    given.emplace("colsample_bynode", 1.0);
    given.emplace("gamma", 0.0);
    const TrainingContext context({}, [&](int, const std::string& metric, double value) {
        if (metric == "train_loss" || metric == "train_rmse")
            curve.push_back(value);
    });
    return xgboost->fit(train, resolve(xgboost->params(), given, train.task), context);
}

} // namespace

class TestAlgorithms : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void registryAndSchemas();
    void linearMatchesScikitLearn_data();
    void linearMatchesScikitLearn();
    void linearCollinearFeaturesGiveTheMinimumNormSolution();
    void logisticMatchesScikitLearn_data();
    void logisticMatchesScikitLearn();
    void logisticL1AndElasticNet_data();
    void logisticL1AndElasticNet();
    void knnHandWorked();
    void knnTreeEqualsBruteForce_data();
    void knnTreeEqualsBruteForce();
    void treeSeparatesAndIsDeterministic();
    void treeAndForestSplitWithoutGainAsScikitLearn();
    void treeSplitsExactlyOnManyDistinctValues();
    void treePruningFollowsScikitLearnsPath();
    void treeClassWeightAsScikitLearn();
    void classWeightBalancesRareClasses_data();
    void classWeightBalancesRareClasses();
    void forestIsTheSameOnAnyNumberOfThreads();
    void forestTriesEveryFeatureForRegressionByDefault_data();
    void forestTriesEveryFeatureForRegressionByDefault();
    void xgboostMatchesItsOwnPythonResult_data();
    void xgboostMatchesItsOwnPythonResult();
    void xgboostRegressionStartsFromTheMean_data();
    void xgboostRegressionStartsFromTheMean();
    void xgboostSplitsCategoriesAsItsPythonPackageDoes_data();
    void xgboostSplitsCategoriesAsItsPythonPackageDoes();
    void xgboostExactRefusesLeafWiseGrowth();
    void xgboostAutoIsHistOnLargeTables();
    void xgboostLeafWiseGrowthObeysMaxLeaves();
    void iterativeAlgorithmsReportEveryStep();
    void cancellationIsPrompt();
    void cancelledFromAnotherThread_data();
    void cancelledFromAnotherThread();
    void knnPredictionCanBeCancelled();
    void xgboostDefaultsFollowTheTarget();
    void knnScreeningFindsTheExactNeighbours_data();
    void knnScreeningFindsTheExactNeighbours();
    void xgboostReportsNothingAfterGivingUp();
    void convergenceMonitor();
    void mlpLearnsXor();
    void mlpGradientDescends();
    void mlpRegressionAndDeterminism();
    void pausedFitContinuesExactly_data();
    void pausedFitContinuesExactly();
    void preprocessingFitsOnTrainingRowsOnly();
    void imputationBreaksTiesAsScikitLearn();
    void logisticOnOneHotOfManyLevelsReachesTheOptimum_data();
    void logisticOnOneHotOfManyLevelsReachesTheOptimum();
    void mlpLearnsFromOneHotOfManyLevels();
    void ridgeOnOneHotOfManyLevelsIsTheClosedForm();
    void missingIndicatorsForNumbersAndCategories();
    void categoryCodesFollowTheTargetMean();
    void noFeatureLeftIsAClearError();
    void parameterValidation();
};

void TestAlgorithms::registryAndSchemas()
{
    QStringList ids;
    for (const auto& algorithm : allAlgorithms()) {
        ids << QString::fromStdString(algorithm->id());
        const auto specs = algorithm->params();
        QVERIFY(!specs.empty());
        for (const ParamSpec& spec : specs) {
            QVERIFY2(!spec.help.empty(), spec.name.c_str());
            spec.validate(spec.defaultValue); // every default lies inside its own bounds
            if (spec.searchRange) { // and every search range
                QVERIFY2(spec.searchRange->first < spec.searchRange->second, spec.name.c_str());
                spec.validate(spec.searchRange->first);
                spec.validate(spec.searchRange->second);
            }
            for (const std::string& choice : spec.searchValues) // and every first choice to search
                spec.validate(choice);
        }
    }
    QCOMPARE(
        ids,
        (QStringList{QStringLiteral("logistic"), QStringLiteral("linear"), QStringLiteral("mlp"), QStringLiteral("knn"),
                     QStringLiteral("tree"), QStringLiteral("forest"), QStringLiteral("xgboost")}));
    QVERIFY(findAlgorithm("forest"));
    QVERIFY(!findAlgorithm("nonsense"));
}

void TestAlgorithms::linearMatchesScikitLearn_data()
{
    QTest::addColumn<QString>("penalty");
    QTest::addColumn<double>("alpha");
    QTest::addColumn<double>("l1Ratio");
    QTest::addColumn<QList<double>>("coefficients");
    // scikit-learn 1.2.1 on cpu.arff's six features standardised (population deviation); intercept 105.622009569378.
    QTest::newRow("least squares (LinearRegression)")
        << "none" << 1.0 << 0.5 << QList<double>{12.6846638344,   59.173878178946, 65.176773206074,
                                                 25.996902585213, -1.838417020154, 38.447988517408};
    QTest::newRow("ridge (Ridge alpha=10)")
        << "l2" << 10.0 << 0.5 << QList<double>{10.822683242605, 56.648960472743, 62.643665885271,
                                                25.959611729858, 1.342304418735,  36.518036494679};
    QTest::newRow("lasso (Lasso alpha=1)")
        << "l1" << 1.0 << 1.0
        << QList<double>{10.970381994379, 57.895778259138, 64.743236893327, 24.956391937404, 0.0, 37.087910931561};
    QTest::newRow("elastic net (alpha=0.5, l1_ratio=0.3)")
        << "elasticnet" << 0.5 << 0.3 << QList<double>{3.213139016602,  46.398892459859, 51.071715455262,
                                                       25.165778334911, 11.075971117564, 29.701237356119};
}

void TestAlgorithms::linearMatchesScikitLearn()
{
    QFETCH(QString, penalty);
    QFETCH(double, alpha);
    QFETCH(double, l1Ratio);
    QFETCH(QList<double>, coefficients);
    const data::Dataset cpu = load("cpu.arff");
    const TrainingData train = raw(cpu, 6, 6, data::Task::Regression, 0, true);
    const auto linear = findAlgorithm("linear");
    const Params params = resolve(linear->params(),
                                  {{"penalty", penalty.toStdString()},
                                   {"alpha", alpha},
                                   {"l1_ratio", l1Ratio},
                                   {"tol", 1e-12},
                                   {"max_iter", std::int64_t{100000}}},
                                  train.task);
    const auto model = linear->fit(train, params, {});
    double intercept = 0.0;
    const Eigen::VectorXd w = linearCoefficients(*model, 6, &intercept);
    const Eigen::VectorXd expected = Eigen::Map<const Eigen::VectorXd>(coefficients.data(), 6);
    QVERIFY2(relativeError(w, expected) < 1e-6, qPrintable(QString::number(relativeError(w, expected))));
    QVERIFY(std::abs(intercept - 105.622009569378) < 1e-6);
}

void TestAlgorithms::linearCollinearFeaturesGiveTheMinimumNormSolution()
{
    // X = [x, 2x], y = 3x: every w with w1 + 2 w2 = 3 fits exactly; the least-norm one is (0.6, 1.2).
    TrainingData train;
    train.features.resize(50, 2);
    train.target.resize(50);
    for (Eigen::Index i = 0; i < 50; ++i) {
        const double x = static_cast<double>(i) - 20.0;
        train.features(i, 0) = x;
        train.features(i, 1) = 2.0 * x;
        train.target[i] = 3.0 * x + 7.0;
    }
    const auto linear = findAlgorithm("linear");
    const auto model
        = linear->fit(train, resolve(linear->params(), {{"penalty", std::string("none")}}, train.task), {});
    double intercept = 0.0;
    const Eigen::VectorXd w = linearCoefficients(*model, 2, &intercept);
    QVERIFY2((w - Eigen::Vector2d(0.6, 1.2)).cwiseAbs().maxCoeff() < 1e-9, qPrintable(QString::number(w[0])));
    QVERIFY(std::abs(intercept - 7.0) < 1e-9);
}

void TestAlgorithms::logisticMatchesScikitLearn_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("classes");
    QTest::addColumn<double>("c");
    QTest::addColumn<QList<double>>("coefficients"); // classes (or 1) rows of features, row by row
    QTest::addColumn<QList<double>>("intercepts");
    QTest::addColumn<QString>("classWeight");
    // scikit-learn 1.2.1 LogisticRegression(C, solver="newton-cg", tol=1e-14): the exact optimum (gradient
    // below 1e-8; its default lbfgs stops earlier, at gradients of 1e-3). Multinomial on the first four raw
    // features (iris, wine), binary on breast_cancer's first five features standardised. With
    // class_weight="balanced", each class's losses weigh rows / (classes x class rows): breast_cancer's 212
    // malignant against 357 benign move the intercept from 0.749 to 0.280; wine's classes are 59, 71 and 48.
    QTest::newRow("iris, multinomial, C=1")
        << "iris.csv" << 3 << 1.0 << QList<double>{-0.423509919952, 0.9673505795,    -2.517152378109, -1.07933664742,
                                                   0.534461508915,  -0.321587855158, -0.206392071052, -0.944298465918,
                                                   -0.110951588963, -0.645762724342, 2.723544449161,  2.023635113338}
        << QList<double>{9.84956805033, 2.237205632259, -12.086773682589} << "none";
    QTest::newRow("breast cancer, binary, C=0.5")
        << "breast_cancer.csv" << 2 << 0.5
        << QList<double>{-1.23309121482, -1.27640177286, -1.609843414287, -1.357098286543, -1.552226938378}
        << QList<double>{0.749186708581} << "none";
    QTest::newRow("breast cancer, binary, C=0.5, balanced")
        << "breast_cancer.csv" << 2 << 0.5
        << QList<double>{-1.226892650873, -1.289121627787, -1.612669487065, -1.342345154558, -1.565241406336}
        << QList<double>{0.279660472644} << "balanced";
    QTest::newRow("wine, multinomial, C=1, balanced")
        << "wine_data.csv" << 3 << 1.0
        << QList<double>{1.803133589281,  -0.168173767742, 2.247581083986,  -0.457091658188,
                         -2.053140884696, -0.472351554835, -1.841951448546, 0.240776945491,
                         0.250007295361,  0.640525322668,  -0.405629635361, 0.216314713737}
        << QList<double>{-19.781201192581, 27.430190341075, -7.648989148494} << "balanced";
}

void TestAlgorithms::logisticMatchesScikitLearn()
{
    QFETCH(QString, file);
    QFETCH(int, classes);
    QFETCH(double, c);
    QFETCH(QList<double>, coefficients);
    QFETCH(QList<double>, intercepts);
    QFETCH(QString, classWeight);
    const data::Dataset dataset = load(file.toUtf8().constData());
    const int features = classes == 2 ? 5 : 4;
    const TrainingData train = raw(dataset, features, dataset.columnCount() - 1,
                                   classes == 2 ? data::Task::Binary : data::Task::Multiclass, classes, classes == 2);
    const auto logistic = findAlgorithm("logistic");
    const auto model = logistic->fit(
        train, resolve(logistic->params(), {{"C", c}, {"class_weight", classWeight.toStdString()}}, train.task), {});
    // Probabilities, not raw coefficients, are what the model exposes; the decision scores follow from them.
    // Compare the model's probabilities with those of the reference coefficients on every training row.
    const Eigen::Index outputs = classes == 2 ? 1 : classes;
    const Eigen::MatrixXd w = Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
                                  coefficients.data(), outputs, features)
                                  .transpose();
    const Eigen::RowVectorXd b = Eigen::Map<const Eigen::RowVectorXd>(intercepts.data(), outputs);
    const Eigen::MatrixXd scores = (train.features * w).rowwise() + b;
    Eigen::MatrixXd expected(train.rows(), classes);
    if (classes == 2) {
        expected.col(1) = (1.0 / (1.0 + (-scores.col(0).array()).exp())).matrix();
        expected.col(0) = 1.0 - expected.col(1).array();
    } else {
        expected = (scores.colwise() - scores.rowwise().maxCoeff()).array().exp();
        expected.array().colwise() /= expected.rowwise().sum().array();
    }
    const Eigen::MatrixXd actual = model->predict(train.features).probabilities;
    const double difference = (actual - expected).cwiseAbs().maxCoeff();
    QVERIFY2(difference < 1e-6, qPrintable(QString::number(difference)));
    // And the coefficients themselves: the scores of unit vectors, relative to the intercepts.
    const Eigen::MatrixXd unit = Eigen::MatrixXd::Identity(features, features);
    const Eigen::MatrixXd probabilities0 = model->predict(Eigen::MatrixXd::Zero(1, features)).probabilities;
    const Eigen::MatrixXd probabilitiesUnit = model->predict(unit).probabilities;
    if (classes == 2) {
        auto logit = [](double p) { return std::log(p / (1.0 - p)); };
        const double b0 = logit(probabilities0(0, 1));
        Eigen::VectorXd fitted(features);
        for (int j = 0; j < features; ++j)
            fitted[j] = logit(probabilitiesUnit(j, 1)) - b0;
        QVERIFY2(relativeError(fitted, w.col(0)) < 1e-4, qPrintable(QString::number(relativeError(fitted, w.col(0)))));
        QVERIFY(std::abs(b0 - b[0]) < 1e-4 * std::abs(b[0]));
    }
}

void TestAlgorithms::logisticL1AndElasticNet_data()
{
    QTest::addColumn<QString>("penalty");
    QTest::addColumn<double>("c");
    QTest::addColumn<double>("l1Ratio");
    QTest::addColumn<QList<double>>("coefficients");
    QTest::addColumn<double>("intercept");
    // scikit-learn 1.2.1 LogisticRegression(solver="saga", tol=1e-14) on breast_cancer's first five features
    // standardised. L1 sets two coefficients exactly to zero.
    QTest::newRow("l1, C=0.05") << "l1" << 0.05 << 1.0
                                << QList<double>{0.0, -0.545441901484, -2.331547447976, 0.0, -0.669454042349}
                                << 0.674419615715;
    QTest::newRow("elasticnet, C=0.1, l1_ratio=0.5")
        << "elasticnet" << 0.1 << 0.5
        << QList<double>{-0.962461418804, -0.861223123202, -1.178541198598, -0.878148257127, -1.051454239928}
        << 0.68062626631;
}

void TestAlgorithms::logisticL1AndElasticNet()
{
    QFETCH(QString, penalty);
    QFETCH(double, c);
    QFETCH(double, l1Ratio);
    QFETCH(QList<double>, coefficients);
    QFETCH(double, intercept);
    const data::Dataset dataset = load("breast_cancer.csv");
    const TrainingData train = raw(dataset, 5, dataset.columnCount() - 1, data::Task::Binary, 2, true);
    const auto logistic = findAlgorithm("logistic");
    const auto model = logistic->fit(
        train,
        resolve(logistic->params(), {{"C", c}, {"penalty", penalty.toStdString()}, {"l1_ratio", l1Ratio}}, train.task),
        {});
    // Coefficients read back through the logit of the model's probabilities.
    auto logit = [](double p) { return std::log(p / (1.0 - p)); };
    const double b = logit(model->predict(Eigen::MatrixXd::Zero(1, 5)).probabilities(0, 1));
    const Eigen::MatrixXd unit = model->predict(Eigen::MatrixXd::Identity(5, 5)).probabilities;
    Eigen::VectorXd w(5);
    for (int j = 0; j < 5; ++j)
        w[j] = logit(unit(j, 1)) - b;
    const Eigen::VectorXd expected = Eigen::Map<const Eigen::VectorXd>(coefficients.data(), 5);
    QVERIFY2(relativeError(w, expected) < 1e-4, qPrintable(QString::number(relativeError(w, expected))));
    QVERIFY(std::abs(b - intercept) < 1e-4 * std::abs(intercept));
    for (int j = 0; j < 5; ++j) {
        if (expected[j] == 0.0)
            QVERIFY2(std::abs(w[j]) < 1e-9, qPrintable(QString::number(w[j]))); // exactly sparse, not just small
    }
}

void TestAlgorithms::knnHandWorked()
{
    // Points at 0, 1, 2, 10, 11 with classes 0, 0, 1, 1, 1. For x = 1.4 the three nearest are 1, 2, 0.
    TrainingData train;
    train.features = (Eigen::MatrixXd(5, 1) << 0, 1, 2, 10, 11).finished();
    train.target = (Eigen::VectorXd(5) << 0, 0, 1, 1, 1).finished();
    train.task = data::Task::Binary;
    train.classes = 2;
    const auto knn = findAlgorithm("knn");
    const Eigen::MatrixXd query = (Eigen::MatrixXd(2, 1) << 1.4, 6.0).finished();
    const auto uniform = knn->fit(train, resolve(knn->params(), {{"k", std::int64_t{3}}}, train.task), {});
    const Prediction p = uniform->predict(query);
    QCOMPARE(p.probabilities(0, 1), 1.0 / 3.0);
    // For x = 6: 2 and 10 at distance 4, then 1 and 11 tie at 5 and the earlier training row (1, class 0) wins.
    QCOMPARE(p.probabilities(1, 1), 2.0 / 3.0);
    const auto weighted = knn->fit(
        train, resolve(knn->params(), {{"k", std::int64_t{3}}, {"weights", std::string("distance")}}, train.task), {});
    // Weights 1/0.4, 1/0.6, 1/1.4 for points 1 (class 0), 2 (class 1), 0 (class 0).
    const double w0 = 1 / 0.4 + 1 / 1.4;
    const double w1 = 1 / 0.6;
    QVERIFY(std::abs(weighted->predict(query).probabilities(0, 1) - w1 / (w0 + w1)) < 1e-12);
    // Regression: the mean of the neighbours' targets.
    train.task = data::Task::Regression;
    train.classes = 0;
    const auto regressor = knn->fit(train, resolve(knn->params(), {{"k", std::int64_t{2}}}, train.task), {});
    QCOMPARE(regressor->predict(query).values[1], 1.0); // x = 6: the rows at 2 and 10, both of target 1
}

void TestAlgorithms::knnTreeEqualsBruteForce_data()
{
    QTest::addColumn<QString>("metric");
    QTest::addColumn<QString>("weights");
    QTest::addColumn<bool>("classification");
    QTest::newRow("euclidean, uniform, classes") << "euclidean"
                                                 << "uniform" << true;
    QTest::newRow("manhattan, distance, classes") << "manhattan"
                                                  << "distance" << true;
    QTest::newRow("euclidean, distance, regression") << "euclidean"
                                                     << "distance" << false;
}

void TestAlgorithms::knnTreeEqualsBruteForce()
{
    // 9,000 points on a small integer grid (so distances are exact and ties abound): with 3 features the model
    // searches a k-d tree; padded with 14 zero features (same distances) it falls back to brute force, whose
    // tiles of 4,096 training rows and 256 queries this crosses. Both must find the same neighbours, ties
    // broken by training order alike.
    QFETCH(QString, metric);
    QFETCH(QString, weights);
    QFETCH(bool, classification);
    tunebench::util::Random random(3);
    TrainingData small;
    small.features.resize(9000, 3);
    small.target.resize(9000);
    for (Eigen::Index i = 0; i < 9000; ++i) {
        for (Eigen::Index d = 0; d < 3; ++d)
            small.features(i, d) = static_cast<double>(random.below(12));
        small.target[i] = classification ? static_cast<double>(random.below(3)) : random.uniform() * 10.0;
    }
    small.task = classification ? data::Task::Multiclass : data::Task::Regression;
    small.classes = classification ? 3 : 0;
    TrainingData padded = small;
    padded.features.conservativeResize(9000, 17);
    padded.features.rightCols(14).setZero();
    Eigen::MatrixXd queries(500, 17);
    queries.setZero();
    for (Eigen::Index i = 0; i < 500; ++i)
        for (Eigen::Index d = 0; d < 3; ++d)
            queries(i, d) = static_cast<double>(random.below(13)) - 0.5 * static_cast<double>(random.below(2));
    const auto knn = findAlgorithm("knn");
    const Params params = resolve(
        knn->params(), {{"k", std::int64_t{7}}, {"metric", metric.toStdString()}, {"weights", weights.toStdString()}},
        small.task);
    const Prediction tree = knn->fit(small, params, {})->predict(queries.leftCols(3));
    const Prediction brute = knn->fit(padded, params, {})->predict(queries);
    if (classification) {
        const double difference = (tree.probabilities - brute.probabilities).cwiseAbs().maxCoeff();
        QVERIFY2(difference < 1e-12, qPrintable(QString::number(difference)));
    } else {
        const double difference = (tree.values - brute.values).cwiseAbs().maxCoeff();
        QVERIFY2(difference < 1e-9, qPrintable(QString::number(difference)));
    }
}

void TestAlgorithms::treeSeparatesAndIsDeterministic()
{
    const data::Dataset iris = load("iris.csv");
    const TrainingData train = raw(iris, 4, 4, data::Task::Multiclass, 3, false);
    const auto tree = findAlgorithm("tree");
    const auto full = tree->fit(train, resolve(tree->params(), {}, train.task), {});
    // An unlimited tree fits its training data perfectly unless identical rows disagree (iris has none such).
    const Prediction p = full->predict(train.features);
    QCOMPARE((p.values.array() == train.target.array()).count(), train.rows());
    // The root split of iris: petal length <= 2.45 separates setosa exactly.
    const auto stump = tree->fit(train, resolve(tree->params(), {{"max_depth", std::int64_t{1}}}, train.task), {});
    const Eigen::MatrixXd probe = (Eigen::MatrixXd(2, 4) << 5, 3, 2.4, 1, 5, 3, 2.5, 1).finished();
    const Prediction split = stump->predict(probe);
    QCOMPARE(split.probabilities(0, 0), 1.0);
    QCOMPARE(split.probabilities(1, 0), 0.0);
    // Same seed, same tree, with random feature subsets too.
    const Params sqrtParams
        = resolve(tree->params(), {{"max_features", std::string("sqrt")}, {"seed", std::int64_t{3}}}, train.task);
    const Eigen::MatrixXd a = tree->fit(train, sqrtParams, {})->predict(train.features).probabilities;
    const Eigen::MatrixXd b = tree->fit(train, sqrtParams, {})->predict(train.features).probabilities;
    QCOMPARE(a, b);
}

void TestAlgorithms::treeAndForestSplitWithoutGainAsScikitLearn()
{
    // XOR, each corner three times: no first split lowers the impurity, yet two levels separate the classes.
    // scikit-learn's DecisionTreeClassifier grows that tree (depth 2, 7 nodes, training accuracy 1); a tree that
    // only splits for a gain stops at the root and predicts one half for everything.
    TrainingData train;
    train.features.resize(12, 2);
    train.target.resize(12);
    for (int i = 0; i < 12; ++i) {
        const int a = (i / 2) % 2;
        const int b = i % 2;
        train.features.row(i) << a, b;
        train.target[i] = a == b ? 0.0 : 1.0;
    }
    train.task = data::Task::Binary;
    train.classes = 2;
    for (const char* id : {"tree", "forest"}) {
        const auto algorithm = findAlgorithm(id);
        const Params params = std::string(id) == "tree"
            ? resolve(algorithm->params(), {}, train.task)
            : resolve(algorithm->params(), {{"bootstrap", false}, {"max_features", std::string("all")}}, train.task);
        const Prediction p = algorithm->fit(train, params, {})->predict(train.features);
        QVERIFY2((p.values.array() == train.target.array()).all(), id);
        QVERIFY2(((p.probabilities.col(1).array() - train.target.array()).abs() < 1e-12).all(), id);
    }
}

void TestAlgorithms::treePruningFollowsScikitLearnsPath()
{
    // scikit-learn 1.2.1: DecisionTreeClassifier(random_state=0).cost_complexity_pruning_path(X, y) on all of
    // breast_cancer.csv (569 rows, 30 raw features); its grown tree and ours are the same (43 nodes, depth 7).
    const std::vector<double> alphas = {0.0,
                                        0.0017464506283365669,
                                        0.0017472513998446914,
                                        0.0023015189383346745,
                                        0.0026362038664323375,
                                        0.0032806092560046874,
                                        0.003420448843617802,
                                        0.003454103923392378,
                                        0.0046865846514352666,
                                        0.005182992630962293,
                                        0.014738627912161835,
                                        0.018038524905524298,
                                        0.05007101023712404,
                                        0.3252108798364008};
    const std::vector<double> impurities = {0.0,
                                            0.0069858025133462676,
                                            0.01048030531303565,
                                            0.017384862128039674,
                                            0.02002106599447201,
                                            0.023301675250476696,
                                            0.026722124094094496,
                                            0.030176228017486872,
                                            0.03954939732035741,
                                            0.0447323899513197,
                                            0.07420964577564337,
                                            0.09224817068116767,
                                            0.1423191809182917,
                                            0.4675300607546925};
    const data::Dataset cancer = load("breast_cancer.csv");
    const TrainingData train = raw(cancer, 30, 30, data::Task::Binary, 2, false);
    const cart::BinnedFeatures binned(train.features, cart::BinnedFeatures::kExactBins);
    const std::vector<double> weights(static_cast<std::size_t>(train.rows()), 1.0);
    util::Random random(0);
    const cart::Tree grown = cart::Tree::grow(binned, train.target, weights, 2, {}, random, {});
    QCOMPARE(grown.nodeCount(), std::size_t{43});
    cart::Tree whole = grown;
    const std::vector<cart::PruningStep> path = whole.prune(std::numeric_limits<double>::infinity());
    QCOMPARE(path.size(), alphas.size());
    for (std::size_t i = 0; i < path.size(); ++i) {
        QVERIFY2(std::abs(path[i].alpha - alphas[i]) <= 1e-12, qPrintable(QString::number(i)));
        QVERIFY2(std::abs(path[i].impurity - impurities[i]) <= 1e-12, qPrintable(QString::number(i)));
    }
    QCOMPARE(whole.leafCount(), std::size_t{1});
    QCOMPARE(whole.nodeCount(), std::size_t{1});

    // Through the algorithm: the leaves scikit-learn keeps at each ccp_alpha, and the training rows they fit.
    const struct
    {
        double alpha;
        std::size_t leaves;
        int depth;
        Eigen::Index correct;
    } cases[] = {{0.003, 12, 5, 563}, {0.01, 6, 3, 555}, {0.02, 3, 2, 535}};
    const auto tree = findAlgorithm("tree");
    for (const auto& expected : cases) {
        cart::Tree pruned = grown;
        (void)pruned.prune(expected.alpha);
        QCOMPARE(pruned.leafCount(), expected.leaves);
        QCOMPARE(pruned.nodeCount(), 2 * expected.leaves - 1);
        QCOMPARE(pruned.depth(), expected.depth);
        const auto model = tree->fit(train, resolve(tree->params(), {{"ccp_alpha", expected.alpha}}, train.task), {});
        const Prediction fitted = model->predict(train.features);
        QCOMPARE((fitted.values.array() == train.target.array()).count(), expected.correct);
        // A pruned leaf predicts the class shares of every training row under it.
        QVERIFY(((fitted.probabilities.rowwise().sum().array() - 1.0).abs() < 1e-12).all());
    }
}

void TestAlgorithms::treeClassWeightAsScikitLearn()
{
    // scikit-learn 1.2.1 DecisionTreeClassifier(random_state=0, class_weight="balanced", ccp_alpha) on all of
    // breast_cancer.csv: weighted impurities choose the splits, weighted class shares fill the leaves and
    // weighted impurity decreases decide the pruning. Its leaves, depth, correct training rows and the sum of
    // P(class 1) over the training rows (none of which match the unweighted tree's: 12 leaves, 563 rows at 0.003).
    const struct
    {
        double alpha;
        std::size_t leaves;
        int depth;
        Eigen::Index correct;
        double probabilitySum;
    } cases[] = {{0.003, 13, 5, 564, 354.5026435772307},
                 {0.01, 6, 3, 547, 347.6757707922543},
                 {0.02, 4, 2, 524, 343.6530352287334}};
    const data::Dataset cancer = load("breast_cancer.csv");
    const TrainingData train = raw(cancer, 30, 30, data::Task::Binary, 2, false);
    const auto tree = findAlgorithm("tree");
    for (const auto& expected : cases) {
        const auto model
            = tree->fit(train,
                        resolve(tree->params(),
                                {{"ccp_alpha", expected.alpha}, {"class_weight", std::string("balanced")}}, train.task),
                        {});
        const Prediction fitted = model->predict(train.features);
        QCOMPARE((fitted.values.array() == train.target.array()).count(), expected.correct);
        const double sum = fitted.probabilities.col(1).sum();
        QVERIFY2(std::abs(sum - expected.probabilitySum) < 1e-9, qPrintable(QString::number(sum, 'g', 17)));
        const QJsonArray trees = model->toJson().value(QStringLiteral("trees")).toArray();
        QCOMPARE(cart::Tree::fromJson(trees.first().toObject()).leafCount(), expected.leaves);
    }
}

void TestAlgorithms::classWeightBalancesRareClasses_data()
{
    QTest::addColumn<QString>("algorithm");
    QTest::addColumn<QString>("classWeight");
    QTest::addColumn<bool>("bootstrap");
    QTest::addColumn<double>("expected"); // P(the rarest class)
    QTest::addColumn<double>("tolerance");
    // 70, 20 and 10 rows of three classes that no feature tells apart: the model can only learn the class
    // shares, 0.1 for the rarest. Balanced, every class weighs 100 / 3 in all, so each gets 1/3.
    const double third = 1.0 / 3.0;
    QTest::newRow("tree, none") << "tree"
                                << "none" << false << 0.1 << 1e-12;
    QTest::newRow("tree, balanced") << "tree"
                                    << "balanced" << false << third << 1e-12;
    QTest::newRow("forest, none") << "forest"
                                  << "none" << false << 0.1 << 1e-12;
    QTest::newRow("forest, balanced") << "forest"
                                      << "balanced" << false << third << 1e-12;
    // Each bootstrap sample balanced on its own: every tree, and so the forest, says exactly 1/3.
    QTest::newRow("forest, bootstrap, balanced_subsample") << "forest"
                                                           << "balanced_subsample" << true << third << 1e-12;
    // Weights of the whole set times bootstrap counts: each tree is off 1/3 by its sample's chance shares.
    QTest::newRow("forest, bootstrap, balanced") << "forest"
                                                 << "balanced" << true << third << 0.05;
    QTest::newRow("logistic, none") << "logistic"
                                    << "none" << false << 0.1 << 1e-6;
    QTest::newRow("logistic, balanced") << "logistic"
                                        << "balanced" << false << third << 1e-6;
    QTest::newRow("mlp, none") << "mlp"
                               << "none" << false << 0.1 << 0.02;
    QTest::newRow("mlp, balanced") << "mlp"
                                   << "balanced" << false << third << 0.02;
    QTest::newRow("xgboost, none") << "xgboost"
                                   << "none" << false << 0.1 << 1e-3;
    QTest::newRow("xgboost, balanced") << "xgboost"
                                       << "balanced" << false << third << 1e-3;
}

void TestAlgorithms::classWeightBalancesRareClasses()
{
    QFETCH(QString, algorithm);
    QFETCH(QString, classWeight);
    QFETCH(bool, bootstrap);
    QFETCH(double, expected);
    QFETCH(double, tolerance);
    TrainingData train;
    train.task = data::Task::Multiclass;
    train.classes = 3;
    train.features = Eigen::MatrixXd::Zero(100, 1);
    train.target.resize(100);
    for (Eigen::Index i = 0; i < 100; ++i)
        train.target[i] = i < 70 ? 0.0 : (i < 90 ? 1.0 : 2.0);
    const auto found = findAlgorithm(algorithm.toStdString());
    Params given = {{"class_weight", classWeight.toStdString()}};
    if (algorithm == QLatin1String("forest"))
        given["bootstrap"] = bootstrap;
    const auto model = found->fit(train, resolve(found->params(), given, train.task), {});
    const double rarest = model->predict(Eigen::MatrixXd::Zero(1, 1)).probabilities(0, 2);
    QVERIFY2(std::abs(rarest - expected) <= tolerance, qPrintable(QString::number(rarest, 'g', 17)));
    if (classWeight == QLatin1String("balanced") && bootstrap)
        QVERIFY2(std::abs(rarest - expected) > 1e-9, qPrintable(QString::number(rarest, 'g', 17)));
}

void TestAlgorithms::treeSplitsExactlyOnManyDistinctValues()
{
    // 3000 distinct values whose classes alternate: only cuts between every pair of neighbours (as
    // scikit-learn's CART makes) fit them; quantile bins would put several values of both classes in one bin.
    TrainingData train;
    train.task = data::Task::Binary;
    train.classes = 2;
    train.features.resize(3000, 1);
    train.target.resize(3000);
    for (int i = 0; i < 3000; ++i) {
        train.features(i, 0) = std::sqrt(static_cast<double>(i));
        train.target(i) = i % 2;
    }
    const auto tree = findAlgorithm("tree");
    const auto model = tree->fit(train, resolve(tree->params(), {}, train.task), {});
    const Prediction fitted = model->predict(train.features);
    QCOMPARE((fitted.values.array() == train.target.array()).count(), train.rows());
    // Thresholds are midpoints: just below and just above the middle between rows 2000 and 2001.
    const double middle = (std::sqrt(2000.0) + std::sqrt(2001.0)) / 2.0;
    const double step = (std::sqrt(2001.0) - std::sqrt(2000.0)) / 4.0;
    const Prediction probe = model->predict((Eigen::MatrixXd(2, 1) << middle - step, middle + step).finished());
    QCOMPARE(probe.values(0), 0.0);
    QCOMPARE(probe.values(1), 1.0);
}

void TestAlgorithms::forestIsTheSameOnAnyNumberOfThreads()
{
    const data::Dataset dataset = load("breast_cancer.csv");
    const TrainingData train = raw(dataset, 30, 30, data::Task::Binary, 2, false);
    const auto forest = findAlgorithm("forest");
    const Params params
        = resolve(forest->params(), {{"trees", std::int64_t{24}}, {"seed", std::int64_t{11}}}, train.task);
    const Eigen::MatrixXd one
        = forest->fit(train, params, TrainingContext({}, {}, 1))->predict(train.features).probabilities;
    const Eigen::MatrixXd two
        = forest->fit(train, params, TrainingContext({}, {}, 2))->predict(train.features).probabilities;
    QCOMPARE(one, two);
    const Params other
        = resolve(forest->params(), {{"trees", std::int64_t{24}}, {"seed", std::int64_t{12}}}, train.task);
    QVERIFY(forest->fit(train, other, {})->predict(train.features).probabilities != one);

    // Prediction goes in blocks of rows on the fit's threads: any rows, any block boundary, the same numbers;
    // and so does the model read back from its file (predicting on one thread).
    const auto model = forest->fit(train, params, TrainingContext({}, {}, 2));
    const auto reloaded = forest->loadModel(model->toJson());
    QCOMPARE(reloaded->predict(train.features).probabilities, one);
    for (const Eigen::Index rows : {Eigen::Index{1}, Eigen::Index{15}, Eigen::Index{17}, Eigen::Index{269}}) {
        for (const Eigen::Index first : {Eigen::Index{0}, Eigen::Index{300}}) {
            const Eigen::MatrixXd some = train.features.middleRows(first, rows);
            QCOMPARE(model->predict(some).probabilities, one.middleRows(first, rows));
        }
    }
    // 20,000 rows (the table over and over): several blocks of rows on each thread.
    const Eigen::Index rows = train.features.rows();
    Eigen::MatrixXd many(20000, train.features.cols());
    for (Eigen::Index i = 0; i < many.rows(); ++i)
        many.row(i) = train.features.row(i % rows);
    const Eigen::MatrixXd manyPredicted = model->predict(many).probabilities;
    for (Eigen::Index i = 0; i < many.rows(); ++i)
        QVERIFY(manyPredicted.row(i) == one.row(i % rows));
    // A missing value goes right at every split, as +infinity does.
    const Eigen::MatrixXd missing = Eigen::MatrixXd::Constant(1, train.features.cols(), std::nan(""));
    const Eigen::MatrixXd infinite
        = Eigen::MatrixXd::Constant(1, train.features.cols(), std::numeric_limits<double>::infinity());
    QCOMPARE(model->predict(missing).probabilities, model->predict(infinite).probabilities);
}

void TestAlgorithms::forestTriesEveryFeatureForRegressionByDefault_data()
{
    // scikit-learn's forests: max_features="sqrt" for RandomForestClassifier, 1.0 (all) for
    // RandomForestRegressor. The default, auto, must grow exactly the forest of the rule it stands for, and
    // not the other one.
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("features");
    QTest::addColumn<bool>("classification");
    QTest::addColumn<QString>("meant");
    QTest::addColumn<QString>("notMeant");
    QTest::newRow("classes: sqrt") << "breast_cancer.csv" << 30 << true << "sqrt"
                                   << "all";
    QTest::newRow("numbers: all") << "cpu.arff" << 6 << false << "all"
                                  << "sqrt";
}

void TestAlgorithms::forestTriesEveryFeatureForRegressionByDefault()
{
    QFETCH(QString, file);
    QFETCH(int, features);
    QFETCH(bool, classification);
    QFETCH(QString, meant);
    QFETCH(QString, notMeant);
    const data::Dataset dataset = load(qPrintable(file));
    const TrainingData train = classification ? raw(dataset, features, features, data::Task::Binary, 2, false)
                                              : raw(dataset, features, features, data::Task::Regression, 0, false);
    const auto forest = findAlgorithm("forest");
    const auto predictions = [&](const Params& overrides) {
        Params asked = overrides;
        asked["trees"] = std::int64_t{12};
        const Prediction p
            = forest->fit(train, resolve(forest->params(), asked, train.task), {})->predict(train.features);
        return classification ? Eigen::MatrixXd(p.probabilities) : Eigen::MatrixXd(p.values);
    };
    const Eigen::MatrixXd byDefault = predictions({});
    QCOMPARE(byDefault, predictions({{"max_features", meant.toStdString()}}));
    QVERIFY(byDefault != predictions({{"max_features", notMeant.toStdString()}}));
}

void TestAlgorithms::xgboostMatchesItsOwnPythonResult_data()
{
    // xgboost 1.7.4's Python package (Debian's python3-xgboost): XGBClassifier(n_estimators=20, max_depth=3,
    // n_jobs=1) with eta 0.3 and seed 0 as by default, trained on breast_cancer's first 400 rows (30 features);
    // the probabilities of rows 400-404 and the last round's training log loss. Balanced: fit(...,
    // sample_weight=compute_sample_weight("balanced", y)) (173 and 227 rows of the classes), the loss weighted.
    // From the prior (boost_from_average, our default): base_score=0.5675, the share of class 1 (227 / 400);
    // balanced, the weighted share is 0.5, the Python package's own default. Otherwise base_score is 0.5.
    QTest::addColumn<QString>("treeMethod");
    QTest::addColumn<QString>("pythonTreeMethod");
    QTest::addColumn<QString>("classWeight");
    QTest::addColumn<bool>("fromAverage");
    QTest::addColumn<QList<double>>("expected");
    QTest::addColumn<double>("lastLoss");
    QTest::addColumn<double>("colsampleByNode");
    // 400 x 30 = 12,000 cells: auto is exact here, as the Python package's own default (auto) is.
    QTest::newRow("auto") << "auto"
                          << "(not given)"
                          << "none" << false << QList<double>{0.003966525, 0.9957766, 0.9958152, 0.9963928, 0.99271095}
                          << 0.02132400318572763 << 1.0;
    QTest::newRow("exact") << "exact"
                           << "exact"
                           << "none" << false << QList<double>{0.003966525, 0.9957766, 0.9958152, 0.9963928, 0.99271095}
                           << 0.02132400318572763 << 1.0;
    QTest::newRow("hist") << "hist"
                          << "hist"
                          << "none" << false << QList<double>{0.0038715566, 0.996834, 0.9964083, 0.996834, 0.99333316}
                          << 0.02096046313759871 << 1.0;
    QTest::newRow("auto, from the prior")
        << "auto"
        << "(not given)"
        << "none" << true << QList<double>{0.00709916046, 0.996640205, 0.996638417, 0.996640205, 0.992988169}
        << 0.02137216040515341 << 1.0;
    QTest::newRow("hist, from the prior")
        << "hist"
        << "hist"
        << "none" << true << QList<double>{0.00423050066, 0.996763349, 0.996358693, 0.996447384, 0.993488431}
        << 0.02097382935928181 << 1.0;
    QTest::newRow("auto, balanced") << "auto"
                                    << "(not given)"
                                    << "balanced" << false
                                    << QList<double>{0.003293701, 0.99537379, 0.9958632, 0.99620014, 0.99097592}
                                    << 0.02210664037918428 << 1.0;
    QTest::newRow("auto, balanced, from the prior")
        << "auto"
        << "(not given)"
        << "balanced" << true << QList<double>{0.003293701, 0.99537379, 0.9958632, 0.99620014, 0.99097592}
        << 0.02210664037918428 << 1.0;
    QTest::newRow("hist, balanced") << "hist"
                                    << "hist"
                                    << "balanced" << false
                                    << QList<double>{0.0033091058, 0.99536163, 0.99577773, 0.99619895, 0.99077636}
                                    << 0.02224557987855499 << 1.0;
    // Tunebench's default for classes: half the features at each split (colsample_bynode=0.5), drawn by
    // libxgboost's generator from the same seed as the Python package's random_state=0.
    QTest::newRow("auto, from the prior, half the features at each split")
        << "auto"
        << "(not given)"
        << "none" << true << QList<double>{0.00316596567, 0.994652629, 0.996238112, 0.996856332, 0.992393613}
        << 0.02278437462169677 << 0.5;
    QTest::newRow("hist, from the prior, half the features at each split")
        << "hist"
        << "hist"
        << "none" << true << QList<double>{0.00480231084, 0.995275259, 0.994670808, 0.996573806, 0.992966413}
        << 0.02318841072381474 << 0.5;
}

void TestAlgorithms::xgboostMatchesItsOwnPythonResult()
{
    QFETCH(QString, treeMethod);
    QFETCH(QString, classWeight);
    QFETCH(bool, fromAverage);
    QFETCH(QList<double>, expected);
    QFETCH(double, lastLoss);
    QFETCH(double, colsampleByNode);
    const data::Dataset dataset = load("breast_cancer.csv");
    TrainingData all = raw(dataset, 30, 30, data::Task::Binary, 2, false);
    TrainingData train = all;
    train.features = all.features.topRows(400);
    train.target = all.target.head(400);
    std::vector<double> losses;
    const auto model = fitXgboostAsReference(train,
                                             {{"tree_method", treeMethod.toStdString()},
                                              {"class_weight", classWeight.toStdString()},
                                              {"boost_from_average", fromAverage},
                                              {"colsample_bynode", colsampleByNode}},
                                             losses);
    const Eigen::VectorXd p = model->predict(all.features.middleRows(400, 5)).probabilities.col(1);
    const Eigen::VectorXd want = Eigen::Map<const Eigen::VectorXd>(expected.data(), expected.size());
    QVERIFY2((p - want).cwiseAbs().maxCoeff() < 1e-7, qPrintable(QString::number((p - want).cwiseAbs().maxCoeff())));
    QCOMPARE(losses.size(), std::size_t{20});
    QVERIFY2(std::abs(losses.back() - lastLoss) < 1e-5, qPrintable(QString::number(losses.back(), 'g', 17)));
}

void TestAlgorithms::xgboostRegressionStartsFromTheMean_data()
{
    // Debian's python3-xgboost 1.7.4: xgb.train({"objective": "reg:squarederror", "max_depth": 3, "tree_method":
    // "exact", "nthread": 1}, 20 rounds) on cpu.arff's first 150 rows (six numbers, the class a number), with
    // base_score the rows' mean class, 89.34 (boost_from_average), or libxgboost 1.7's 0.5; predictions of rows
    // 150-154 and the last round's training RMSE. After 20 rounds the two are still 20-30 apart.
    QTest::addColumn<bool>("fromAverage");
    QTest::addColumn<QList<double>>("expected");
    QTest::addColumn<double>("lastRmse");
    QTest::newRow("from the mean") << true << QList<double>{133.32309, 203.251419, 258.756439, 433.375854, 170.263107}
                                   << 19.687685703647542;
    QTest::newRow("from 0.5") << false << QList<double>{102.239754, 173.158676, 240.6689, 405.746429, 149.706787}
                              << 20.688472816714835;
}

void TestAlgorithms::xgboostRegressionStartsFromTheMean()
{
    QFETCH(bool, fromAverage);
    QFETCH(QList<double>, expected);
    QFETCH(double, lastRmse);
    const data::Dataset dataset = load("cpu.arff");
    const TrainingData all = raw(dataset, 6, 6, data::Task::Regression, 0, false);
    TrainingData train = all;
    train.features = all.features.topRows(150);
    train.target = all.target.head(150);
    QVERIFY(std::abs(train.target.mean() - 89.34) < 1e-9);
    std::vector<double> rmse;
    const auto model = fitXgboostAsReference(
        train, {{"tree_method", std::string("exact")}, {"boost_from_average", fromAverage}}, rmse);
    const Eigen::VectorXd p = model->predict(all.features.middleRows(150, 5)).values;
    const Eigen::VectorXd want = Eigen::Map<const Eigen::VectorXd>(expected.data(), expected.size());
    QVERIFY2(relativeError(p, want) < 1e-6, qPrintable(QString::number(relativeError(p, want))));
    QCOMPARE(rmse.size(), std::size_t{20});
    QVERIFY2(std::abs(rmse.back() - lastRmse) < 1e-4, qPrintable(QString::number(rmse.back(), 'g', 17)));
}

void TestAlgorithms::xgboostSplitsCategoriesAsItsPythonPackageDoes_data()
{
    // tests/bench/xgboost_categorical_reference.py (Debian's python3-xgboost 1.7.4, arguments as the rows' names):
    // breast-cancer.arff's attributes as level indices, deg-malig a number and the other eight categories; 20
    // rounds of depth 3 on the first 200 rows, probabilities of rows 200-204 and the last training log loss.
    QTest::addColumn<QString>("treeMethod");
    QTest::addColumn<qint64>("maxCatToOnehot");
    QTest::addColumn<qint64>("maxCatThreshold");
    QTest::addColumn<QList<double>>("expected");
    QTest::addColumn<double>("lastLoss");
    // auto takes hist once there are categories: exact would not split them as such.
    QTest::newRow("auto") << "auto" << qint64{4} << qint64{64}
                          << QList<double>{0.184176654, 0.65190053, 0.301700711, 0.129149854, 0.128451079}
                          << 0.33233745891135186;
    QTest::newRow("max_cat_to_onehot=16")
        << "hist" << qint64{16} << qint64{64}
        << QList<double>{0.259679228, 0.527593791, 0.426724434, 0.215841696, 0.215841696} << 0.4045040755812079;
    QTest::newRow("max_cat_threshold=1") << "hist" << qint64{4} << qint64{1}
                                         << QList<double>{0.239573762, 0.422783196, 0.174008235, 0.256890684,
                                                          0.218467757}
                                         << 0.4705201341956854;
    // exact splits on thresholds of the codes, as if they were numbers.
    QTest::newRow("tree_method=exact") << "exact" << qint64{4} << qint64{64}
                                       << QList<double>{0.0803241059, 0.468330115, 0.43504712, 0.186521322, 0.171847343}
                                       << 0.39988793291151525;
}

void TestAlgorithms::xgboostSplitsCategoriesAsItsPythonPackageDoes()
{
    QFETCH(QString, treeMethod);
    QFETCH(qint64, maxCatToOnehot);
    QFETCH(qint64, maxCatThreshold);
    QFETCH(QList<double>, expected);
    QFETCH(double, lastLoss);
    const data::Dataset dataset = load("breast-cancer.arff");
    TrainingData all;
    all.features.resize(static_cast<Eigen::Index>(dataset.rowCount()), 9);
    for (std::size_t c = 0; c < 9; ++c) {
        const data::Column& column = dataset.column(c);
        QVERIFY(column.type == data::ColumnType::Categorical);
        for (std::size_t row = 0; row < dataset.rowCount(); ++row)
            all.features(static_cast<Eigen::Index>(row), static_cast<Eigen::Index>(c))
                = column.isMissing(row) ? std::nan("") : column.codes[row];
    }
    all.target = Eigen::Map<const Eigen::VectorXi>(dataset.column(9).codes.data(), all.features.rows()).cast<double>();
    all.task = data::Task::Binary;
    all.classes = 2;
    TrainingData train = all;
    train.features = all.features.topRows(200);
    train.target = all.target.head(200);
    train.categoricalFeatures = {0, 1, 2, 3, 4, 6, 7, 8}; // deg-malig (5) stays a number
    std::vector<double> losses;
    const auto model = fitXgboostAsReference(train,
                                             {{"tree_method", treeMethod.toStdString()},
                                              {"max_cat_to_onehot", std::int64_t{maxCatToOnehot}},
                                              {"max_cat_threshold", std::int64_t{maxCatThreshold}},
                                              {"boost_from_average", false}}, // the script's base_score, 0.5
                                             losses);
    const Eigen::VectorXd p = model->predict(all.features.middleRows(200, 5)).probabilities.col(1);
    const Eigen::VectorXd want = Eigen::Map<const Eigen::VectorXd>(expected.data(), expected.size());
    QVERIFY2((p - want).cwiseAbs().maxCoeff() < 1e-7, qPrintable(QString::number((p - want).cwiseAbs().maxCoeff())));
    QCOMPARE(losses.size(), std::size_t{20});
    QVERIFY2(std::abs(losses.back() - lastLoss) < 1e-5, qPrintable(QString::number(losses.back(), 'g', 17)));

    // The model file keeps the category splits.
    const auto loaded = findAlgorithm("xgboost")->loadModel(model->toJson());
    QCOMPARE(loaded->predict(all.features).probabilities, model->predict(all.features).probabilities);
}

void TestAlgorithms::xgboostAutoIsHistOnLargeTables()
{
    // breast_cancer three times over: 1,707 x 30 = 51,210 cells, past exact's 50,000, so auto trains as hist does
    // (and not as exact does).
    const data::Dataset dataset = load("breast_cancer.csv");
    const TrainingData once = raw(dataset, 30, 30, data::Task::Binary, 2, false);
    TrainingData train = once;
    train.features = Eigen::MatrixXd(3 * once.rows(), once.features.cols());
    train.features << once.features, once.features, once.features;
    train.target = Eigen::VectorXd(3 * once.rows());
    train.target << once.target, once.target, once.target;
    const auto xgboost = findAlgorithm("xgboost");
    auto probabilities = [&](const std::string& method) {
        const Params params
            = resolve(xgboost->params(), {{"rounds", std::int64_t{10}}, {"tree_method", method}}, train.task);
        return xgboost->fit(train, params, {})->predict(once.features).probabilities;
    };
    const Eigen::MatrixXd automatic = probabilities("auto");
    QCOMPARE(automatic, probabilities("hist"));
    QVERIFY(automatic != probabilities("exact"));
}

void TestAlgorithms::xgboostExactRefusesLeafWiseGrowth()
{
    // libxgboost's exact method would ignore lossguide and max_leaves without a word: refused with a reason.
    const data::Dataset dataset = load("iris.csv");
    const TrainingData train = raw(dataset, 4, 4, data::Task::Multiclass, 3, false);
    const auto xgboost = findAlgorithm("xgboost");
    for (const Params& given :
         {Params{{"tree_method", std::string("exact")}, {"grow_policy", std::string("lossguide")}},
          Params{{"tree_method", std::string("exact")}, {"max_leaves", std::int64_t{8}}}}) {
        try {
            (void)xgboost->fit(train, resolve(xgboost->params(), given, train.task), {});
            QFAIL("exact with leaf-wise growth was accepted");
        } catch (const TrainingError& error) {
            QVERIFY2(QString::fromUtf8(error.what()).contains(QLatin1String("tree_method hist or approx")),
                     error.what());
        }
    }
}

void TestAlgorithms::xgboostLeafWiseGrowthObeysMaxLeaves()
{
    // grow_policy, max_leaves and max_bin reach the library: with lossguide and 4 leaves every tree has at most
    // 4 leaves (and some exactly 4); the same depth without the cap grows larger trees.
    const data::Dataset dataset = load("breast_cancer.csv");
    const TrainingData train = raw(dataset, 30, 30, data::Task::Binary, 2, false);
    const auto xgboost = findAlgorithm("xgboost");
    auto leafCounts = [&](const Params& given) {
        const QJsonObject json = xgboost->fit(train, resolve(xgboost->params(), given, train.task), {})->toJson();
        const QJsonObject booster
            = QJsonDocument::fromJson(json.value(QStringLiteral("booster")).toString().toUtf8()).object();
        const QJsonArray trees = booster.value(QStringLiteral("learner"))
                                     .toObject()
                                     .value(QStringLiteral("gradient_booster"))
                                     .toObject()
                                     .value(QStringLiteral("model"))
                                     .toObject()
                                     .value(QStringLiteral("trees"))
                                     .toArray();
        std::vector<int> counts;
        for (const QJsonValue& tree : trees) {
            const QJsonArray left = tree.toObject().value(QStringLiteral("left_children")).toArray();
            counts.push_back(static_cast<int>(
                std::count_if(left.begin(), left.end(), [](const QJsonValue& v) { return v.toInt() == -1; })));
        }
        return counts;
    };
    const std::vector<int> capped = leafCounts({{"rounds", std::int64_t{10}},
                                                {"grow_policy", std::string("lossguide")},
                                                {"max_leaves", std::int64_t{4}},
                                                {"max_depth", std::int64_t{10}},
                                                {"max_bin", std::int64_t{32}},
                                                {"min_child_weight", 0.0}});
    QCOMPARE(capped.size(), std::size_t{10});
    QVERIFY(*std::max_element(capped.begin(), capped.end()) == 4);
    const std::vector<int> free
        = leafCounts({{"rounds", std::int64_t{10}}, {"max_depth", std::int64_t{10}}, {"min_child_weight", 0.0}});
    QVERIFY(*std::max_element(free.begin(), free.end()) > 4);
}

void TestAlgorithms::iterativeAlgorithmsReportEveryStep()
{
    const data::Dataset dataset = load("breast_cancer.csv");
    const TrainingData train = raw(dataset, 30, 30, data::Task::Binary, 2, true);
    for (const char* id : {"logistic", "forest", "xgboost", "mlp"}) {
        std::map<std::string, int> counts;
        const TrainingContext context({}, [&](int, const std::string& metric, double) { ++counts[metric]; });
        const auto algorithm = findAlgorithm(id);
        (void)algorithm->fit(train, resolve(algorithm->params(), {}, train.task), context, &train);
        QVERIFY2(counts.size() >= 1, id);
        for (const auto& [metric, count] : counts)
            QVERIFY2(count >= 5, (std::string(id) + " " + metric).c_str());
    }
}

void TestAlgorithms::cancellationIsPrompt()
{
    const data::Dataset dataset = load("breast_cancer.csv");
    const TrainingData train = raw(dataset, 30, 30, data::Task::Binary, 2, false);
    for (const char* id : {"logistic", "forest", "xgboost", "mlp"}) {
        util::CancelToken token;
        // Cancel from inside the first report: the fit must end with util::Cancelled soon after.
        const TrainingContext context(token, [&](int, const std::string&, double) { token.cancel(); });
        const auto algorithm = findAlgorithm(id);
        Params given;
        if (std::string(id) == "forest")
            given["trees"] = std::int64_t{500};
        if (std::string(id) == "xgboost")
            given["rounds"] = std::int64_t{1000};
        if (std::string(id) == "mlp")
            given["epochs"] = std::int64_t{5000};
        const Params params = resolve(algorithm->params(), given, train.task);
        const auto start = std::chrono::steady_clock::now();
        QVERIFY_THROWS_EXCEPTION(util::Cancelled, (void)algorithm->fit(train, params, context, &train));
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        QVERIFY2(seconds < 5.0, id); // generous: the point is that it did not run to the end
    }
}

void TestAlgorithms::cancelledFromAnotherThread_data()
{
    // Runs far too long to finish: each must notice a cancel that comes from another thread, as the tuner's
    // does. xgboost's rounds run on a helper thread that finishes the round in flight after fit() has thrown;
    // the reporter below refers to this function's locals, so a point reported after that would be a
    // use after scope (the ASan build runs this too).
    QTest::addColumn<QString>("algorithm");
    QTest::addColumn<QString>("parameter");
    QTest::addColumn<qint64>("value");
    QTest::newRow("xgboost") << "xgboost"
                             << "rounds" << qint64{10000};
    QTest::newRow("forest") << "forest"
                            << "trees" << qint64{5000};
    QTest::newRow("mlp") << "mlp"
                         << "epochs" << qint64{100000};
}

void TestAlgorithms::cancelledFromAnotherThread()
{
    QFETCH(QString, algorithm);
    QFETCH(QString, parameter);
    QFETCH(qint64, value);
    const data::Dataset dataset = load("breast_cancer.csv");
    const TrainingData train = raw(dataset, 30, 30, data::Task::Binary, 2, false);
    const auto fitted = findAlgorithm(algorithm.toStdString());
    Params given{{parameter.toStdString(), std::int64_t{value}}};
    if (algorithm == QLatin1String("mlp"))
        given["n_iter_no_change"] = std::int64_t{0};
    const Params params = resolve(fitted->params(), given, train.task);
    util::CancelToken token;
    std::vector<double> points;
    std::atomic<bool> reporting{false};
    const TrainingContext context(token, [&](int, const std::string&, double v) {
        points.push_back(v);
        reporting = true;
        reporting.notify_one();
    });
    // Cancelled from another thread once the fit is under way (it has reported a point).
    std::jthread canceller([token, &reporting] {
        reporting.wait(false);
        token.cancel();
    });
    // Whatever happens below, the canceller is released before it is joined.
    const struct Release
    {
        std::atomic<bool>& flag;
        ~Release()
        {
            flag = true;
            flag.notify_one();
        }
    } release{reporting};
    QVERIFY_THROWS_EXCEPTION(util::Cancelled, (void)fitted->fit(train, params, context, &train));
}

void TestAlgorithms::xgboostReportsNothingAfterGivingUp()
{
    // Rounds long enough (20,000 x 40, depth 8: tens of ms) that a cancel mostly finds one in flight on the
    // helper thread: fit() throws within its 10 ms slice, the round then ends on the helper, and its metric
    // points must not reach the reporter, whose owner has moved on.
    TrainingData train;
    util::Random random(5);
    train.features.resize(20000, 40);
    train.target.resize(20000);
    for (Eigen::Index i = 0; i < train.rows(); ++i) {
        for (Eigen::Index j = 0; j < train.features.cols(); ++j)
            train.features(i, j) = random.uniform();
        train.target[i] = train.features(i, 0) + train.features(i, 1) > 1.0 + 0.2 * (random.uniform() - 0.5) ? 1 : 0;
    }
    train.task = data::Task::Binary;
    train.classes = 2;
    const auto xgboost = findAlgorithm("xgboost");
    const Params params
        = resolve(xgboost->params(), {{"rounds", std::int64_t{10000}}, {"max_depth", std::int64_t{8}}}, train.task);
    int late = 0;
    for (int attempt = 0; attempt < 5; ++attempt) {
        struct Shared
        {
            std::atomic<bool> returned{false};
            std::atomic<int> late{0};
        };
        auto shared = std::make_shared<Shared>();
        util::CancelToken token;
        const TrainingContext context(token, [shared](int, const std::string&, double) {
            if (shared->returned)
                ++shared->late;
        });
        std::jthread canceller([token, attempt] {
            std::this_thread::sleep_for(std::chrono::milliseconds(150 + 37 * attempt));
            token.cancel();
        });
        QVERIFY_THROWS_EXCEPTION(util::Cancelled, (void)xgboost->fit(train, params, context, &train));
        shared->returned = true;
        std::this_thread::sleep_for(std::chrono::milliseconds(300)); // the round in flight ends on the helper
        late += shared->late;
    }
    QCOMPARE(late, 0);
}

void TestAlgorithms::knnPredictionCanBeCancelled()
{
    const data::Dataset dataset = load("breast_cancer.csv");
    const TrainingData train = raw(dataset, 30, 30, data::Task::Binary, 2, false);
    const auto knn = findAlgorithm("knn");
    const auto model = knn->fit(train, resolve(knn->params(), {}, train.task), {});
    // Not cancelled: the same answer as predict(); cancelled: util::Cancelled, for the brute force (30 features)
    // and for the k-d tree (2,048 rows or more in 16 features or fewer).
    const TrainingContext running;
    QCOMPARE(model->predictCancellable(train.features, running).probabilities,
             model->predict(train.features).probabilities);
    util::CancelToken token;
    token.cancel();
    const TrainingContext cancelled(token, {});
    QVERIFY_THROWS_EXCEPTION(util::Cancelled, (void)model->predictCancellable(train.features, cancelled));

    TrainingData many = train;
    many.features = Eigen::MatrixXd(4 * train.rows(), 4);
    many.target = Eigen::VectorXd(4 * train.rows());
    for (int copy = 0; copy < 4; ++copy) {
        many.features.middleRows(copy * train.rows(), train.rows()) = train.features.leftCols(4);
        many.target.segment(copy * train.rows(), train.rows()) = train.target;
    }
    const auto treeModel = knn->fit(many, resolve(knn->params(), {}, many.task), {});
    QCOMPARE(treeModel->predictCancellable(many.features, running).probabilities,
             treeModel->predict(many.features).probabilities);
    QVERIFY_THROWS_EXCEPTION(util::Cancelled, (void)treeModel->predictCancellable(many.features, cancelled));
}

void TestAlgorithms::xgboostDefaultsFollowTheTarget()
{
    // Two classes: a least gain of 1 (chosen on small tables); three or more: none, as each class's trees have
    // small gains (docs/benchmarks.md, "xgboost on large multiclass tables"); a number: none, and shallower trees.
    const auto specs = findAlgorithm("xgboost")->params();
    const Params binary = resolve(specs, {}, data::Task::Binary);
    const Params multiclass = resolve(specs, {}, data::Task::Multiclass);
    const Params regression = resolve(specs, {}, data::Task::Regression);
    QCOMPARE(asDouble(binary, "gamma"), 1.0);
    QCOMPARE(asDouble(multiclass, "gamma"), 0.0);
    QCOMPARE(asDouble(regression, "gamma"), 0.0);
    QCOMPARE(asInt(multiclass, "max_depth"), asInt(binary, "max_depth"));
    QCOMPARE(asInt(regression, "max_depth"), std::int64_t{3});
    // Given, a value wins over every default.
    QCOMPARE(asDouble(resolve(specs, {{"gamma", 2.0}}, data::Task::Multiclass), "gamma"), 2.0);
}

/// kNN by its definition, one query at a time against every training row: squared distances
/// (-2 a.b + |b|^2) + |a|^2 clamped at 0, the dot product summed in feature order by fused multiply-adds, the
/// norms as Eigen computes them for the whole matrix; the k smallest by (distance, training row); votes in that
/// order (uniform, or 1/distance).
Eigen::MatrixXd knnByDefinition(const TrainingData& train, const Eigen::MatrixXd& queries, int k, bool distance)
{
    const Eigen::VectorXd trainNorms = train.features.rowwise().squaredNorm();
    const Eigen::VectorXd queryNorms = queries.rowwise().squaredNorm();
    Eigen::MatrixXd probabilities = Eigen::MatrixXd::Zero(queries.rows(), train.classes);
    std::vector<std::pair<double, Eigen::Index>> all(static_cast<std::size_t>(train.rows()));
    for (Eigen::Index q = 0; q < queries.rows(); ++q) {
        for (Eigen::Index r = 0; r < train.rows(); ++r) {
            double dot = 0.0;
            for (Eigen::Index d = 0; d < queries.cols(); ++d)
                dot = std::fma(queries(q, d), train.features(r, d), dot);
            all[static_cast<std::size_t>(r)] = {std::max(-2.0 * dot + trainNorms[r] + queryNorms[q], 0.0), r};
        }
        std::partial_sort(all.begin(), all.begin() + k, all.end());
        bool exact = false;
        for (int i = 0; i < k; ++i)
            exact = exact || (distance && all[static_cast<std::size_t>(i)].first == 0.0);
        double sum = 0.0;
        for (int i = 0; i < k; ++i) {
            const auto [squared, row] = all[static_cast<std::size_t>(i)];
            const double d = std::sqrt(squared);
            const double weight = !distance ? 1.0 : exact ? (d == 0.0 ? 1.0 : 0.0) : 1.0 / d;
            probabilities(q, static_cast<Eigen::Index>(train.target[row])) += weight;
            sum += weight;
        }
        probabilities.row(q) /= sum;
    }
    return probabilities;
}

void TestAlgorithms::knnScreeningFindsTheExactNeighbours_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<double>("scale");
    QTest::addColumn<int>("k");
    QTest::addColumn<QString>("weights");
    // digits' pixels are small integers: distances tie everywhere. Scaled by 1e16 the single-precision screen
    // could overflow and the search runs in double throughout: the same answer either way. A scale of -1:
    // standardised; 0: standardised, with near twins.
    QTest::newRow("digits, k 5") << "digits.csv.gz" << 1.0 << 5 << "uniform";
    QTest::newRow("digits standardised, k 5") << "digits.csv.gz" << -1.0 << 5 << "uniform";
    QTest::newRow("digits, k 40, distance") << "digits.csv.gz" << 1.0 << 40 << "distance";
    QTest::newRow("digits x 1e16 (double only)") << "digits.csv.gz" << 1e16 << 5 << "uniform";
    QTest::newRow("breast_cancer, k 7") << "breast_cancer.csv" << 1.0 << 7 << "uniform";
    QTest::newRow("breast_cancer, tiny values") << "breast_cancer.csv" << 1e-20 << 7 << "distance";
    // Every training row twice, the copy moved by 1e-9 in one feature: single precision cannot tell the two
    // apart, double can, and the nearer one must win.
    QTest::newRow("breast_cancer, near twins") << "breast_cancer.csv" << 0.0 << 5 << "uniform";
}

void TestAlgorithms::knnScreeningFindsTheExactNeighbours()
{
    // Brute force screens candidates in single precision, then ranks them by their exact distances; its
    // answer must be the definition's, bit for bit, on one thread and on two, queries crossing the blocks of
    // 256 and training rows the tiles of 512 (digits: 1,797 rows, 64 features; breast_cancer: 569, 30).
    QFETCH(QString, file);
    QFETCH(double, scale);
    QFETCH(int, k);
    QFETCH(QString, weights);
    const data::Dataset dataset = load(file.toUtf8().constData());
    const int features = static_cast<int>(dataset.columnCount()) - 1;
    const int classes = file.startsWith(QStringLiteral("digits")) ? 10 : 2;
    TrainingData all = raw(dataset, features, dataset.columnCount() - 1, data::Task::Multiclass, classes,
                           !file.startsWith(QStringLiteral("digits")) || scale <= 0.0);
    if (scale > 0.0)
        all.features *= scale;
    const Eigen::Index fit = all.rows() * 3 / 4;
    TrainingData train = all;
    train.features = all.features.topRows(fit);
    train.target = all.target.head(fit);
    if (scale == 0.0) {
        train.features.conservativeResize(2 * fit, Eigen::NoChange);
        train.target.conservativeResize(2 * fit);
        for (Eigen::Index r = 0; r < fit; ++r) {
            train.features.row(fit + r) = train.features.row(r);
            train.features(fit + r, r % features) += r % 2 == 0 ? 1e-9 : -1e-9;
            train.target[fit + r] = static_cast<double>((static_cast<int>(train.target[r]) + 1) % classes);
        }
    }
    const Eigen::MatrixXd queries = all.features.bottomRows(all.rows() - fit);
    const auto knn = findAlgorithm("knn");
    const Params params
        = resolve(knn->params(), {{"k", std::int64_t{k}}, {"weights", weights.toStdString()}}, train.task);
    const Eigen::MatrixXd expected = knnByDefinition(train, queries, k, weights == QStringLiteral("distance"));
    for (const int threads : {1, 2}) {
        const TrainingContext context(util::CancelToken{}, {}, threads);
        const Prediction prediction = knn->fit(train, params, context)->predict(queries);
        QCOMPARE(prediction.probabilities.rows(), expected.rows());
        QVERIFY2(prediction.probabilities == expected,
                 qPrintable(QStringLiteral("%1 threads: largest difference %2")
                                .arg(threads)
                                .arg((prediction.probabilities - expected).cwiseAbs().maxCoeff())));
    }
}

void TestAlgorithms::convergenceMonitor()
{
    ConvergenceMonitor monitor(0.01, 2);
    QVERIFY(!monitor.update(1, 10.0));
    QVERIFY(!monitor.update(2, 5.0));
    QVERIFY(!monitor.update(3, 4.99)); // less than 1 % better: first quiet step
    QVERIFY(monitor.update(4, 4.98)); // second quiet step in a row: stop
    ConvergenceMonitor never(0.01, 0);
    for (int i = 1; i < 100; ++i)
        QVERIFY(!never.update(i, 1.0));
    QVERIFY_THROWS_EXCEPTION(TrainingError, ConvergenceMonitor(0.0, 1).update(7, std::nan("")));
}

void TestAlgorithms::mlpLearnsXor()
{
    // XOR is not linearly separable: a hidden layer is needed, and enough.
    TrainingData train;
    train.features.resize(200, 2);
    train.target.resize(200);
    for (Eigen::Index i = 0; i < 200; ++i) {
        const int a = static_cast<int>(i % 2);
        const int b = static_cast<int>((i / 2) % 2);
        train.features(i, 0) = a * 2.0 - 1.0;
        train.features(i, 1) = b * 2.0 - 1.0;
        train.target[i] = a ^ b;
    }
    train.task = data::Task::Binary;
    train.classes = 2;
    const auto mlp = findAlgorithm("mlp");
    const auto model = mlp->fit(train,
                                resolve(mlp->params(),
                                        {{"units", std::int64_t{8}},
                                         {"learning_rate", 0.05},
                                         {"epochs", std::int64_t{200}},
                                         {"activation", std::string("tanh")}},
                                        train.task),
                                {});
    const Prediction p = model->predict(train.features.topRows(4));
    QCOMPARE(p.values, train.target.head(4));
    QVERIFY(p.probabilities.rowwise().maxCoeff().minCoeff() > 0.9);
    // Without a hidden non-linearity (logistic regression) XOR stays at chance.
    const auto logistic = findAlgorithm("logistic");
    const Prediction linear
        = logistic->fit(train, resolve(logistic->params(), {}, train.task), {})->predict(train.features.topRows(4));
    QVERIFY((linear.probabilities.col(1).array() - 0.5).abs().maxCoeff() < 0.01);
}

void TestAlgorithms::mlpGradientDescends()
{
    // Full-batch gradient descent with a small step must lower the training loss at every epoch: a wrong
    // gradient (sign, scale, or a layer left out) would not.
    const data::Dataset dataset = load("breast_cancer.csv");
    const TrainingData train = raw(dataset, 30, 30, data::Task::Binary, 2, true);
    std::vector<double> losses;
    const TrainingContext context({}, [&](int, const std::string& metric, double value) {
        if (metric == "train_loss")
            losses.push_back(value);
    });
    const auto mlp = findAlgorithm("mlp");
    (void)mlp->fit(train,
                   resolve(mlp->params(),
                           {{"optimizer", std::string("sgd")},
                            {"momentum", 0.0},
                            {"learning_rate", 0.05},
                            {"batch_size", std::int64_t{569}},
                            {"epochs", std::int64_t{60}},
                            {"hidden_layers", std::int64_t{2}},
                            {"units", std::int64_t{16}},
                            {"n_iter_no_change", std::int64_t{0}}},
                           train.task),
                   context);
    QCOMPARE(losses.size(), std::size_t{60});
    for (std::size_t i = 1; i < losses.size(); ++i)
        QVERIFY2(losses[i] < losses[i - 1],
                 qPrintable(QStringLiteral("epoch %1: %2 after %3").arg(i + 1).arg(losses[i]).arg(losses[i - 1])));
    QVERIFY(losses.back() < 0.5 * losses.front());
}

void TestAlgorithms::mlpRegressionAndDeterminism()
{
    // y = sin(3x) on [-1, 1]: a smooth non-linear target a small network fits closely.
    TrainingData train;
    train.features.resize(400, 1);
    train.target.resize(400);
    for (Eigen::Index i = 0; i < 400; ++i) {
        const double x = -1.0 + 2.0 * static_cast<double>(i) / 399.0;
        train.features(i, 0) = x;
        train.target[i] = 10.0 + 5.0 * std::sin(3.0 * x);
    }
    train.task = data::Task::Regression;
    const auto mlp = findAlgorithm("mlp");
    const Params params = resolve(mlp->params(),
                                  {{"units", std::int64_t{32}},
                                   {"activation", std::string("tanh")},
                                   {"learning_rate", 0.01},
                                   {"epochs", std::int64_t{300}},
                                   {"batch_size", std::int64_t{32}},
                                   {"seed", std::int64_t{5}}},
                                  train.task);
    const auto model = mlp->fit(train, params, {});
    const Eigen::VectorXd predicted = model->predict(train.features).values;
    const double rmse = std::sqrt((predicted - train.target).squaredNorm() / 400.0);
    QVERIFY2(rmse < 0.25, qPrintable(QString::number(rmse))); // the target's own deviation is 3.4
    QCOMPARE(mlp->fit(train, params, {})->predict(train.features).values, predicted);
}

void TestAlgorithms::pausedFitContinuesExactly_data()
{
    QTest::addColumn<QByteArray>("algorithm");
    QTest::addColumn<QByteArray>("resource");
    QTest::addColumn<int>("pauseAt");
    QTest::addColumn<int>("budget");
    QTest::addColumn<QByteArray>("optimizer");
    QTest::addColumn<int>("patience");
    // Multi-fidelity pauses a fit at a rung and continues it when promoted: the curve and the model must be the
    // ones of a fit that never paused (same weights, moments, random stream and stopping rule).
    QTest::addColumn<bool>("exact");
    QTest::newRow("mlp, adam and dropout")
        << QByteArray("mlp") << QByteArray("epochs") << 7 << 20 << QByteArray("adam") << 0 << true;
    QTest::newRow("mlp, sgd") << QByteArray("mlp") << QByteArray("epochs") << 9 << 27 << QByteArray("sgd") << 0 << true;
    QTest::newRow("mlp, converged before the pause")
        << QByteArray("mlp") << QByteArray("epochs") << 60 << 200 << QByteArray("adam") << 2 << true;
    QTest::newRow("xgboost") << QByteArray("xgboost") << QByteArray("rounds") << 5 << 15 << QByteArray() << 0 << true;
    QTest::newRow("xgboost, converged before the pause")
        << QByteArray("xgboost") << QByteArray("rounds") << 40 << 120 << QByteArray() << 2 << true;
    // xgboost's random stream (column sampling) is not part of its snapshot: the continued rounds draw other
    // columns than an uninterrupted fit would, so the curve continues from the same trees but is not the same.
    QTest::newRow("xgboost, sampling columns")
        << QByteArray("xgboost") << QByteArray("rounds") << 5 << 15 << QByteArray() << 0 << false;
    // L-BFGS continues from its best point and step count, but builds its curvature memory again: the continued
    // steps are not the uninterrupted ones, the loss goes on falling from where it paused.
    QTest::newRow("logistic") << QByteArray("logistic") << QByteArray("max_iter") << 4 << 12 << QByteArray() << 0
                              << false;
}

void TestAlgorithms::pausedFitContinuesExactly()
{
    QFETCH(QByteArray, algorithm);
    QFETCH(QByteArray, resource);
    QFETCH(int, pauseAt);
    QFETCH(int, budget);
    QFETCH(QByteArray, optimizer);
    QFETCH(int, patience);
    QFETCH(bool, exact);
    const data::Dataset iris = load("iris.csv");
    const TrainingData train = raw(iris, 4, 4, data::Task::Multiclass, 3, true);
    const auto fitter = findAlgorithm(algorithm.toStdString());
    Params given{{"n_iter_no_change", std::int64_t{patience}}, {"tol", patience > 0 ? 0.01 : 0.0}};
    if (algorithm == "mlp") {
        given["optimizer"] = optimizer.toStdString();
        given["dropout"] = optimizer == "adam" ? 0.2 : 0.0;
        given["batch_size"] = std::int64_t{16};
        given["learning_rate"] = 0.01;
    } else if (algorithm == "xgboost") {
        given["colsample_bynode"] = exact ? 1.0 : 0.5;
    }
    const Params params = resolve(fitter->params(), given, train.task);
    using Curve = std::vector<std::pair<int, double>>;
    // Fits to `epochs` with `states` (a fold's context: the state is kept under its prefix), recording the curve.
    auto fit = [&](int epochs, const std::shared_ptr<FitStates>& states, Curve& curve) {
        Params at = params;
        at[resource.toStdString()] = std::int64_t{epochs};
        TrainingContext context({}, [&](int step, const std::string& metric, double value) {
            if (metric == "fold1/train_loss")
                curve.emplace_back(step, value);
        });
        context.setFitStates(states);
        return fitter->fit(train, at, context.withPrefix("fold1/"), &train)->predict(train.features);
    };

    Curve whole;
    const Prediction uninterrupted = fit(budget, std::make_shared<FitStates>(), whole);
    Curve first, second;
    auto states = std::make_shared<FitStates>();
    fit(pauseAt, states, first);
    QVERIFY(!states->state("fold1/").isEmpty());
    QVERIFY(states->state("fold2/").isEmpty());
    // Through the trial's checkpoint file, as a resume after a crash reads it.
    const QTemporaryDir folder;
    const std::string file = folder.filePath(QStringLiteral("fits")).toStdString();
    states->write(file);
    auto read = std::make_shared<FitStates>();
    read->read(file);
    const Prediction continued = fit(budget, read, second);

    Curve joined = first;
    joined.insert(joined.end(), second.begin(), second.end());
    if (exact) {
        QCOMPARE(joined, whole);
        QCOMPARE(continued.probabilities, uninterrupted.probabilities);
    } else {
        QCOMPARE(Curve(whole.begin(), whole.begin() + pauseAt), first);
        QVERIFY(second.front().second < first.back().second); // it continued from the trees it had
    }
    if (patience == 0) {
        QCOMPARE(static_cast<int>(first.size()), pauseAt);
        QCOMPARE(second.front().first, pauseAt + 1); // it continued; it did not start again at 1
        QCOMPARE(second.back().first, budget);
    } else {
        QVERIFY2(static_cast<int>(first.size()) < pauseAt, "the stopping rule should end it before the pause");
        QVERIFY(second.empty()); // converged: a promotion trains nothing more
    }
    // A state never continues to a smaller budget.
    QVERIFY_THROWS_EXCEPTION(TrainingError, fit(1, read, second));
}

void TestAlgorithms::preprocessingFitsOnTrainingRowsOnly()
{
    // Rows 0-3 train, rows 4-5 test; the test rows hold extreme values and a category unseen in training.
    const data::Dataset dataset
        = data::readDatasetFromMemory("x,c,y\n1,a,0\n2,b,1\n3,a,0\n,a,1\n1000,z,0\n-1000,,1\n", "leak.csv");
    const std::vector<std::size_t> train{0, 1, 2, 3};
    const std::vector<std::size_t> test{4, 5};
    const Preprocessor pre = Preprocessor::fit(dataset, 2, train, {});
    QCOMPARE(pre.featureNames(), (std::vector<std::string>{"x", "c=a", "c=b"}));
    const Eigen::MatrixXd trainMatrix = pre.transform(dataset, train);
    // x in training: 1, 2, 3 and the missing value imputed by their mean 2 -> mean 2, deviation sqrt(0.5).
    QVERIFY(std::abs(trainMatrix(0, 0) - (1 - 2) / std::sqrt(0.5)) < 1e-12);
    QCOMPARE(trainMatrix(3, 0), 0.0);
    const Eigen::MatrixXd testMatrix = pre.transform(dataset, test);
    QVERIFY(std::abs(testMatrix(0, 0) - (1000 - 2) / std::sqrt(0.5)) < 1e-9);
    QCOMPARE(testMatrix.row(0).tail(2), Eigen::RowVector2d(0, 0)); // unseen level "z": all zeros
    QCOMPARE(testMatrix.row(1).tail(2), Eigen::RowVector2d(1, 0)); // missing: the most frequent level, "a"
}

void TestAlgorithms::imputationBreaksTiesAsScikitLearn()
{
    // "b" comes first in the file, but "a" is as frequent and sorts first: SimpleImputer fills "a" (labor.arff's
    // pension column ties so in four of scikit-learn's ten folds). The median of 1, 2, 4 and 10 is 3.
    const data::Dataset dataset = data::readDatasetFromMemory("x,c,y\n1,b,0\n2,a,1\n4,b,0\n10,a,1\n,,0\n", "ties.csv");
    const std::vector<std::size_t> train{0, 1, 2, 3};
    PreprocessOptions options;
    options.standardize = false;
    options.medianImpute = true;
    const Preprocessor pre = Preprocessor::fit(dataset, 2, train, options);
    QCOMPARE(pre.featureNames(), (std::vector<std::string>{"x", "c=b", "c=a"}));
    const Eigen::MatrixXd missing = pre.transform(dataset, {4});
    QCOMPARE(missing.row(0), Eigen::RowVector3d(3, 0, 1));
    // An odd count: the middle value.
    const Preprocessor odd = Preprocessor::fit(dataset, 2, {0, 1, 2}, options);
    QCOMPARE(odd.transform(dataset, {4}).row(0), Eigen::RowVector3d(2, 1, 0));
}

void TestAlgorithms::logisticOnOneHotOfManyLevelsReachesTheOptimum_data()
{
    QTest::addColumn<int>("classes");
    QTest::newRow("binary") << 2;
    QTest::newRow("multinomial") << 3;
}

void TestAlgorithms::logisticOnOneHotOfManyLevelsReachesTheOptimum()
{
    // A 1,100-level column one-hot encoded beside one number: 2,000 x 1,101 features, 0.2 % non-zero, which
    // the solver multiplies as a sparse matrix. Whatever the path, the answer must be the optimum of
    // C * sum of log losses + |W|^2 / 2: there the gradient, computed here densely, vanishes.
    QFETCH(int, classes);
    QByteArray csv = "code,x,y\n";
    for (int i = 0; i < 2000; ++i) {
        const int level = (i * 7919) % 1100;
        const double x = std::sin(i * 0.37);
        const int y = ((level % 5) + (x > 0.3 ? 2 : 0) + i % 2) % classes;
        csv += "L" + QByteArray::number(level) + ',' + QByteArray::number(x, 'g', 17) + ',' + QByteArray::number(y)
            + '\n';
    }
    data::ReadOptions options;
    options.typeOverrides = {{"code", data::ColumnType::Categorical}, {"y", data::ColumnType::Categorical}};
    const data::Dataset dataset = data::readDatasetFromMemory(csv.toStdString(), "codes.csv", options);
    std::vector<std::size_t> rows(2000);
    std::iota(rows.begin(), rows.end(), std::size_t{0});
    const TargetEncoding encoding
        = encodeTarget(dataset.column(2), classes == 2 ? data::Task::Binary : data::Task::Multiclass);
    const PreparedSplit split = prepareSplit(dataset, 2, encoding, rows, {}, {});
    QCOMPARE(split.train.features.cols(), Eigen::Index{1101});
    const auto logistic = findAlgorithm("logistic");
    const double c = 0.5;
    const auto model = logistic->fit(split.train, resolve(logistic->params(), {{"C", c}}, split.train.task), {});
    const QJsonObject json = model->toJson();
    const Eigen::MatrixXd w = matrixFromJson(json.value(QStringLiteral("weights")));
    const Eigen::MatrixXd b = matrixFromJson(json.value(QStringLiteral("intercepts")));
    const Eigen::MatrixXd& X = split.train.features;
    const Eigen::MatrixXd probabilities = model->predict(X).probabilities;
    // Residuals: the predicted probability minus the truth, per output (one for two classes).
    const Eigen::Index outputs = w.cols();
    Eigen::MatrixXd residual(X.rows(), outputs);
    for (Eigen::Index i = 0; i < X.rows(); ++i) {
        for (Eigen::Index k = 0; k < outputs; ++k) {
            const Eigen::Index column = outputs == 1 ? 1 : k;
            residual(i, k) = probabilities(i, column) - (split.train.target[i] == static_cast<double>(column) ? 1 : 0);
        }
    }
    const Eigen::MatrixXd gradient = c * X.transpose() * residual + w;
    const Eigen::RowVectorXd interceptGradient = c * residual.colwise().sum();
    QVERIFY2(gradient.cwiseAbs().maxCoeff() < 1e-4, qPrintable(QString::number(gradient.cwiseAbs().maxCoeff())));
    QVERIFY2(interceptGradient.cwiseAbs().maxCoeff() < 1e-4,
             qPrintable(QString::number(interceptGradient.cwiseAbs().maxCoeff())));
    QVERIFY(w.cwiseAbs().maxCoeff() > 0.1); // it learnt something
    (void)b;
}

void TestAlgorithms::mlpLearnsFromOneHotOfManyLevels()
{
    // 3,000 rows of a 1,200-level code whose level decides the class (levels mod 3), beside a number of noise:
    // the one-hot matrix is 0.17 % non-zero, so the network's first layer multiplies it as sparse, in training,
    // in each epoch's validation score and in prediction. Each level is seen about twice in training: the
    // network must learn each code's weight from its rows alone.
    QByteArray csv = "code,noise,y\n";
    for (int i = 0; i < 3000; ++i) {
        const int level = (i * 7919) % 1200;
        csv += "L" + QByteArray::number(level) + ',' + QByteArray::number(std::sin(i * 1.7), 'g', 17) + ','
            + QByteArray::number(level % 3) + '\n';
    }
    data::ReadOptions options;
    options.typeOverrides = {{"code", data::ColumnType::Categorical}, {"y", data::ColumnType::Categorical}};
    const data::Dataset dataset = data::readDatasetFromMemory(csv.toStdString(), "codes.csv", options);
    std::vector<std::size_t> trainRows;
    std::vector<std::size_t> testRows;
    for (std::size_t i = 0; i < 3000; ++i)
        (i % 7 == 0 ? testRows : trainRows).push_back(i); // 1,200 apart, a code's rows fall on both sides
    const TargetEncoding encoding = encodeTarget(dataset.column(2), data::Task::Multiclass);
    const PreparedSplit split = prepareSplit(dataset, 2, encoding, trainRows, testRows, {});
    QVERIFY(builtin::mostlyZero(split.train.features));
    const auto mlp = findAlgorithm("mlp");
    std::vector<double> validationLoss;
    const TrainingContext context({}, [&](int, const std::string& name, double value) {
        if (name == "validation_loss")
            validationLoss.push_back(value);
    });
    const auto model = mlp->fit(
        split.train, resolve(mlp->params(), {{"epochs", std::int64_t{60}}, {"learning_rate", 0.01}}, split.train.task),
        context, &split.test);
    const Eigen::VectorXd predicted = model->predict(split.train.features).values;
    const double accuracy
        = static_cast<double>((predicted.array() == split.train.target.array()).count()) / split.train.rows();
    QVERIFY2(accuracy > 0.99, qPrintable(QString::number(accuracy)));
    // Every epoch scored the validation rows, and the loss fell.
    QVERIFY(validationLoss.size() >= 10);
    QVERIFY2(validationLoss.back() < 0.5 * validationLoss.front(),
             qPrintable(QStringLiteral("%1 -> %2").arg(validationLoss.front()).arg(validationLoss.back())));
}

void TestAlgorithms::ridgeOnOneHotOfManyLevelsIsTheClosedForm()
{
    // A price by a 1,100-level code and a number far from zero (a year, not standardised): the sparse normal
    // equations, centred after the product, must give the closed form computed densely on centred data here.
    QByteArray csv = "code,year,price\n";
    for (int i = 0; i < 2000; ++i) {
        const int level = (i * 7919) % 1100;
        const double year = 1990 + (i * 37) % 30;
        csv += "L" + QByteArray::number(level) + ',' + QByteArray::number(year) + ','
            + QByteArray::number(0.5 * (level % 13) + 0.1 * (year - 2000) + std::sin(i * 0.7), 'g', 17) + '\n';
    }
    data::ReadOptions options;
    options.typeOverrides = {{"code", data::ColumnType::Categorical}};
    const data::Dataset dataset = data::readDatasetFromMemory(csv.toStdString(), "prices.csv", options);
    std::vector<std::size_t> rows(2000);
    std::iota(rows.begin(), rows.end(), std::size_t{0});
    PreprocessOptions raw;
    raw.standardize = false;
    const PreparedSplit split
        = prepareSplit(dataset, 2, encodeTarget(dataset.column(2), data::Task::Regression), rows, {}, raw);
    QVERIFY(builtin::mostlyZero(split.train.features));
    const auto linear = findAlgorithm("linear");
    const double alpha = 0.3;
    const auto model = linear->fit(split.train, resolve(linear->params(), {{"alpha", alpha}}, split.train.task), {});
    const Eigen::VectorXd w = matrixFromJson(model->toJson().value(QStringLiteral("weights")));
    const double b = model->toJson().value(QStringLiteral("intercept")).toDouble();
    const Eigen::MatrixXd& X = split.train.features;
    const Eigen::RowVectorXd mean = X.colwise().mean();
    const Eigen::MatrixXd centred = X.rowwise() - mean;
    Eigen::MatrixXd gram = centred.transpose() * centred;
    gram.diagonal().array() += alpha;
    const Eigen::VectorXd expected
        = gram.ldlt().solve(centred.transpose() * (split.train.target.array() - split.train.target.mean()).matrix());
    QVERIFY2((w - expected).norm() <= 1e-8 * expected.norm(),
             qPrintable(QString::number((w - expected).norm() / expected.norm())));
    QVERIFY(std::abs(b - (split.train.target.mean() - mean.dot(expected))) < 1e-6);
}

void TestAlgorithms::categoryCodesFollowTheTargetMean()
{
    // Four colours whose share of class b is 0 (red, green) and 1 (blue, black). In the order of that share,
    // then of name, the codes are green 0, red 1, black 2, blue 3, and one threshold splits the classes. red
    // is the most frequent: the missing colour (row 8) and colours never seen in training take its code.
    const data::Dataset train = data::readDatasetFromMemory(
        "colour,label\nred,a\nblue,b\nred,a\ngreen,a\nblack,b\nred,a\nblue,b\n,a\nblack,b\n", "train.csv");
    const std::vector<std::size_t> rows = {0, 1, 2, 3, 4, 5, 6, 7, 8};
    PreprocessOptions codes;
    codes.categoryCodes = true;
    const PreparedSplit split
        = prepareSplit(train, 1, encodeTarget(train.column(1), data::Task::Binary), rows, {}, codes);
    QCOMPARE(split.train.features.cols(), Eigen::Index{1});
    QCOMPARE(split.train.categoricalFeatures, std::vector<Eigen::Index>{0}); // xgboost splits it as categories
    const Eigen::VectorXd expected = (Eigen::VectorXd(9) << 1, 3, 1, 0, 2, 1, 3, 1, 2).finished();
    QCOMPARE(Eigen::VectorXd(split.train.features.col(0)), expected);

    // A stump (one split) fits every row on the codes; on one-hot columns it can only set one colour apart.
    const auto tree = findAlgorithm("tree");
    const Params stump = resolve(tree->params(), {{"max_depth", std::int64_t{1}}}, split.train.task);
    const auto onCodes = tree->fit(split.train, stump, {});
    QCOMPARE((onCodes->predict(split.train.features).values.array() == split.train.target.array()).count(),
             Eigen::Index{9});
    const PreparedSplit oneHot
        = prepareSplit(train, 1, encodeTarget(train.column(1), data::Task::Binary), rows, {}, PreprocessOptions{});
    QCOMPARE(oneHot.train.features.cols(), Eigen::Index{4});
    QVERIFY(oneHot.train.categoricalFeatures.empty());
    const auto onOneHot = tree->fit(oneHot.train, stump, {});
    QVERIFY((onOneHot->predict(oneHot.train.features).values.array() == oneHot.train.target.array()).count() < 9);

    // Saved and bound to other data by level name: another dictionary order, an unseen and a missing colour.
    Preprocessor loaded = Preprocessor::fromJson(split.preprocessor.toJson());
    const data::Dataset other
        = data::readDatasetFromMemory("colour,size\nblue,1\npurple,2\ngreen,3\n,4\nblack,5\n", "other.csv");
    loaded.bind(other);
    const Eigen::MatrixXd bound = loaded.transform(other, {0, 1, 2, 3, 4});
    QCOMPARE(Eigen::VectorXd(bound.col(0)), (Eigen::VectorXd(5) << 3, 1, 0, 1, 2).finished());

    // A multiclass target has no mean to order by: the codes follow the names.
    const data::Dataset three
        = data::readDatasetFromMemory("colour,label\nred,a\nblue,b\ngreen,c\nblack,a\nred,b\n", "three.csv");
    const PreparedSplit byName
        = prepareSplit(three, 1, encodeTarget(three.column(1), data::Task::Multiclass), {0, 1, 2, 3, 4}, {}, codes);
    QCOMPARE(Eigen::VectorXd(byName.train.features.col(0)), (Eigen::VectorXd(5) << 3, 1, 2, 0, 3).finished());

    // Only for algorithms that split on thresholds; the others keep one-hot columns (and their scaling).
    QVERIFY(codes.forAlgorithm(*tree).categoryCodes);
    QVERIFY(codes.forAlgorithm(*findAlgorithm("xgboost")).categoryCodes);
    QVERIFY(!codes.forAlgorithm(*findAlgorithm("logistic")).categoryCodes);
    QVERIFY(!codes.forAlgorithm(*findAlgorithm("knn")).categoryCodes);
    QVERIFY(!codes.forAlgorithm(*tree).standardize);
}

void TestAlgorithms::missingIndicatorsForNumbersAndCategories()
{
    // Weka's supermarket.arff in small: a bought item is "t", an unbought one blank; only the blanks tell.
    const data::Dataset dataset
        = data::readDatasetFromMemory("x,bread,milk,y\n1,t,t,1\n,t,,0\n3,,t,1\n4,t,t,0\n", "basket.csv");
    PreprocessOptions options;
    options.standardize = false;
    options.missingIndicators = true;
    const Preprocessor pre = Preprocessor::fit(dataset, 3, {0, 1, 2, 3}, options);
    QCOMPARE(pre.featureNames(),
             (std::vector<std::string>{"x", "x (missing)", "bread=t", "bread (missing)", "milk=t", "milk (missing)"}));
    Eigen::MatrixXd expected(4, 6);
    expected << 1, 0, 1, 0, 1, 0, //
        8.0 / 3, 1, 1, 0, 1, 1, //
        3, 0, 1, 1, 1, 0, //
        4, 0, 1, 0, 1, 0;
    QCOMPARE(pre.transform(dataset, {0, 1, 2, 3}), expected);
    // No indicator for a column with nothing missing in the training rows.
    QCOMPARE(Preprocessor::fit(dataset, 3, {0, 3}, options).featureCount(), std::size_t{3});
    // Saved and bound to a file where the same column reads as numbers, an indicator still sees the blanks.
    Preprocessor restored = Preprocessor::fromJson(pre.toJson());
    const data::Dataset numbers = data::readDatasetFromMemory("x,bread,milk,y\n,1,,0\n2,,1,1\n", "numbers.csv");
    try {
        restored.bind(numbers);
        QFAIL("a level read as a number that is not its text binds");
    } catch (const std::invalid_argument& error) {
        QVERIFY2(std::string(error.what()).find("bread") != std::string::npos, error.what());
    }
    const data::Dataset later = data::readDatasetFromMemory("x,bread,milk,y\n,t,,0\n2,,t,1\n", "later.csv");
    restored.bind(later);
    Eigen::MatrixXd expectedLater(2, 6);
    expectedLater << 8.0 / 3, 1, 1, 0, 1, 1, //
        2, 0, 1, 1, 1, 0;
    QCOMPARE(restored.transform(later, {0, 1}), expectedLater);
}

void TestAlgorithms::noFeatureLeftIsAClearError()
{
    data::ReadOptions options;
    options.typeOverrides = {{"note", data::ColumnType::Text}};
    const data::Dataset dataset = data::readDatasetFromMemory("note,y\nfine,0\ngood,1\nbad,0\n", "notes.csv", options);
    try {
        (void)Preprocessor::fit(dataset, 1, {0, 1, 2}, {});
        QFAIL("a table of free text and a target gave features");
    } catch (const TrainingError& error) {
        const std::string message = error.what();
        QVERIFY2(message.find("no feature") != std::string::npos
                     && message.find("\"note\" holds free text") != std::string::npos,
                 error.what());
    }
    auto reason = [](const data::Dataset& table, std::size_t target, const std::vector<std::size_t>& rows) {
        try {
            (void)Preprocessor::fit(table, target, rows, {});
        } catch (const TrainingError& error) {
            return std::string(error.what());
        }
        return std::string();
    };
    const data::Dataset targetOnly = data::readDatasetFromMemory("y\n0\n1\n", "target.csv");
    QVERIFY(reason(targetOnly, 0, {0, 1}).find("no column besides the target") != std::string::npos);
    // A categorical column blank in every training row gives no level either.
    const data::Dataset blank = data::readDatasetFromMemory("c,y\n,0\n,1\na,0\n", "blank.csv");
    QVERIFY(reason(blank, 1, {0, 1}).find("no column besides the target has a value in the training rows")
            != std::string::npos);
}

void TestAlgorithms::parameterValidation()
{
    const auto mlp = findAlgorithm("logistic");
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, resolve(mlp->params(), {{"C", -1.0}}, data::Task::Binary));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             resolve(mlp->params(), {{"learning_rate", 0.1}}, data::Task::Binary));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             resolve(mlp->params(), {{"penalty", std::string("l3")}}, data::Task::Binary));
    const auto specs = findAlgorithm("knn")->params();
    QCOMPARE(std::get<std::int64_t>(specs[0].parse("7")), std::int64_t{7});
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, (void)specs[0].parse("7.5"));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, (void)specs[0].parse("0"));
}

QTEST_GUILESS_MAIN(TestAlgorithms)
#include "tst_algorithms.moc"

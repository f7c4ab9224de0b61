// Metrics on hand-worked cases (checked against scikit-learn too), seeded splits, and the evaluation driver.

#include <cmath>
#include <numeric>
#include <set>

#include <QFile>
#include <QTest>

#include "algorithms/preprocessing.h"
#include "algorithms/registry.h"
#include "data/reader.h"
#include "evaluation/metrics.h"
#include "evaluation/validation.h"

using namespace tunebench;
using namespace tunebench::evaluation;

class TestEvaluation : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aucWithTies();
    void multiclassMetrics();
    void regressionMetrics();
    void curves();
    void calibrationBins();
    void foldAveragedCurves();
    void folds_data();
    void folds();
    void holdoutKeepsProportions();
    void wideCategoricalColumnsAreNamed();
    void predefinedFolds();
    void evaluateRealData();
    void evaluateRejectsOneClass();
    void infiniteFeatureIsRefused_data();
    void infiniteFeatureIsRefused();
    void constantColumnChangesNothing();
    void classOnlyInOneTestFold_data();
    void classOnlyInOneTestFold();
    void missingClassWarnings_data();
    void missingClassWarnings();
    void targetEncoding_data();
    void targetEncoding();
};

void TestEvaluation::aucWithTies()
{
    // Five positives, five negatives, ties across and within classes. By hand: of the 25 positive-negative
    // pairs the positives win 2 + 2 + 5 + (2 + 2 x 0.5) + 5 = 17, so AUC = 17 / 25 = 0.68 (scikit-learn agrees).
    const Eigen::VectorXd truth = (Eigen::VectorXd(10) << 0, 0, 1, 1, 0, 1, 1, 0, 1, 0).finished();
    const Eigen::VectorXd scores
        = (Eigen::VectorXd(10) << 0.1, 0.4, 0.35, 0.8, 0.4, 0.4, 0.9, 0.2, 0.35, 0.6).finished();
    QCOMPARE(rocAuc(truth, scores).value(), 0.68);
    QCOMPARE(averagePrecision(truth, scores).value(), 0.75); // scikit-learn's average_precision_score
    QVERIFY(!rocAuc(Eigen::VectorXd::Ones(4), scores.head(4)));
}

void TestEvaluation::multiclassMetrics()
{
    const Eigen::VectorXd truth = (Eigen::VectorXd(8) << 0, 1, 2, 2, 1, 0, 2, 1).finished();
    Eigen::MatrixXd p(8, 3);
    p << .7, .2, .1, .2, .5, .3, .1, .3, .6, .3, .3, .4, .5, .4, .1, .4, .4, .2, .2, .2, .6, .1, .8, .1;
    const Metrics m = classificationMetrics(truth, p);
    // Predictions 0 1 2 2 0 0 2 1 (row 5's tie goes to the first class): 7 of 8 right.
    QCOMPARE(m.at("accuracy"), 7.0 / 8.0);
    // scikit-learn 1.2.1: balanced_accuracy_score, f1_score(macro), roc_auc_score(ovr, macro), log_loss.
    QVERIFY(std::abs(m.at("balanced_accuracy") - 0.8888888888888888) < 1e-12);
    QVERIFY(std::abs(m.at("f1_macro") - 0.8666666666666667) < 1e-12);
    QVERIFY(std::abs(m.at("auc") - 0.9611111111111111) < 1e-12);
    QVERIFY(std::abs(m.at("log_loss") - 0.6304361398709167) < 1e-12);
    const Eigen::MatrixXi confusion = confusionMatrix(truth, algorithms::argmaxRows(p), 3);
    QCOMPARE(confusion(1, 0), 1);
    QCOMPARE(confusion.trace(), 7);
    // By hand: class 0 predicted 3 times, 2 right (precision 2/3, recall 1); class 1 predicted twice, both
    // right, 2 of its 3 found; class 2 perfect.
    const auto perClass = perClassScores(confusion);
    QVERIFY(std::abs(perClass[0].precision - 2.0 / 3.0) < 1e-12);
    QCOMPARE(perClass[1].recall, 2.0 / 3.0);
    QCOMPARE(perClass[1].support, 3);
    QCOMPARE(perClass[2].f1, 1.0);
    QVERIFY(std::abs(m.at("precision_macro") - (2.0 / 3.0 + 2.0) / 3.0) < 1e-12);
    QVERIFY(std::abs(m.at("recall_macro") - (2.0 / 3.0 + 2.0) / 3.0) < 1e-12);
}

void TestEvaluation::regressionMetrics()
{
    const Eigen::VectorXd truth = (Eigen::VectorXd(4) << 1, 2, 3, 4).finished();
    const Eigen::VectorXd predicted = (Eigen::VectorXd(4) << 1.5, 2, 2, 4).finished();
    const Metrics m = evaluation::regressionMetrics(truth, predicted);
    QCOMPARE(m.at("mae"), 1.5 / 4);
    QCOMPARE(m.at("rmse"), std::sqrt(1.25 / 4));
    QCOMPARE(m.at("r2"), 1.0 - 1.25 / 5.0);
}

void TestEvaluation::curves()
{
    const Eigen::VectorXd truth = (Eigen::VectorXd(4) << 0, 1, 1, 0).finished();
    const Eigen::VectorXd scores = (Eigen::VectorXd(4) << 0.1, 0.9, 0.4, 0.4).finished();
    const auto roc = rocCurve(truth, scores);
    QCOMPARE(roc.size(), std::size_t{4}); // start, 0.9, 0.4 (tied pair), 0.1
    QCOMPARE(roc[1].y, 0.5);
    QCOMPARE(roc[2].x, 0.5);
    QCOMPARE(roc.back().x, 1.0);
    const auto pr = precisionRecallCurve(truth, scores);
    QCOMPARE(pr.front().y, 1.0);
    QCOMPARE(pr.back().x, 1.0);
}

void TestEvaluation::folds_data()
{
    QTest::addColumn<int>("k");
    QTest::addColumn<int>("repeats");
    QTest::addColumn<bool>("stratified");
    QTest::newRow("5-fold stratified") << 5 << 1 << true;
    QTest::newRow("10-fold plain") << 10 << 1 << false;
    QTest::newRow("3x repeated 4-fold") << 4 << 3 << true;
}

void TestEvaluation::folds()
{
    QFETCH(int, k);
    QFETCH(int, repeats);
    QFETCH(bool, stratified);
    // 103 rows, classes in proportion 60 : 30 : 13.
    std::vector<std::size_t> rows(103);
    std::iota(rows.begin(), rows.end(), std::size_t{1000});
    std::vector<int> labels(103);
    for (std::size_t i = 0; i < labels.size(); ++i)
        labels[i] = i < 60 ? 0 : (i < 90 ? 1 : 2);
    ValidationSpec spec;
    spec.folds = k;
    spec.repeats = repeats;
    spec.stratified = stratified;
    spec.seed = 42;
    const auto folds = makeFolds(rows, labels, spec);
    QCOMPARE(folds.size(), static_cast<std::size_t>(k * repeats));
    for (int r = 0; r < repeats; ++r) {
        std::multiset<std::size_t> tested;
        for (int f = 0; f < k; ++f) {
            const Fold& fold = folds[static_cast<std::size_t>(r * k + f)];
            QCOMPARE(fold.repeat, r);
            QCOMPARE(fold.train.size() + fold.test.size(), rows.size());
            tested.insert(fold.test.begin(), fold.test.end());
            // Balanced sizes, and with stratification every class within one of its share.
            QVERIFY(std::abs(static_cast<double>(fold.test.size()) - 103.0 / k) <= 1.0 + (stratified ? 2.0 : 0.0));
            if (stratified) {
                const auto minority
                    = std::count_if(fold.test.begin(), fold.test.end(), [](std::size_t row) { return row >= 1090; });
                QVERIFY(std::abs(static_cast<double>(minority) - 13.0 / k) <= 1.0);
            }
        }
        QCOMPARE(tested, std::multiset<std::size_t>(rows.begin(), rows.end())); // each row tested exactly once
    }
    // Seeded: the same seed gives the same folds, another seed others.
    QCOMPARE(makeFolds(rows, labels, spec)[0].test, folds[0].test);
    spec.seed = 43;
    QVERIFY(makeFolds(rows, labels, spec)[0].test != folds[0].test);
}

void TestEvaluation::holdoutKeepsProportions()
{
    std::vector<std::size_t> rows(200);
    std::iota(rows.begin(), rows.end(), std::size_t{0});
    std::vector<int> labels(200);
    for (std::size_t i = 0; i < 200; ++i)
        labels[i] = i < 150 ? 0 : 1;
    ValidationSpec spec;
    spec.method = ValidationSpec::Method::Holdout;
    spec.holdoutFraction = 0.2;
    const auto folds = makeFolds(rows, labels, spec);
    QCOMPARE(folds.size(), std::size_t{1});
    QVERIFY(std::abs(static_cast<double>(folds[0].test.size()) - 40.0) <= 1.0);
    const auto positives
        = std::count_if(folds[0].test.begin(), folds[0].test.end(), [](std::size_t r) { return r >= 150; });
    QVERIFY(std::abs(static_cast<double>(positives) - 10.0) <= 1.0);
}

void TestEvaluation::predefinedFolds()
{
    ValidationSpec spec;
    spec.method = ValidationSpec::Method::Predefined;
    spec.assignment = {1, 0, -1, 1, 0, 2};
    const std::vector<std::size_t> rows{0, 1, 2, 3, 4, 5};
    const auto folds = makeFolds(rows, {}, spec);
    QCOMPARE(folds.size(), std::size_t{3});
    QCOMPARE(folds[0].test, (std::vector<std::size_t>{1, 4}));
    QCOMPARE(folds[1].test, (std::vector<std::size_t>{0, 3}));
    QCOMPARE(folds[2].train, (std::vector<std::size_t>{0, 1, 3, 4})); // row 2 is left out everywhere
    spec.assignment.resize(3);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, (void)makeFolds(rows, {}, spec));
}

void TestEvaluation::evaluateRealData()
{
    // Penguins: strings, missing values, a categorical target; the pipeline must cope end to end.
    const data::Dataset penguins = data::readDataset(TUNEBENCH_TEST_DATA "/penguins.csv");
    ValidationSpec spec;
    spec.folds = 5;
    std::vector<int> steps;
    const algorithms::TrainingContext context({}, [&](int step, const std::string&, double) { steps.push_back(step); });
    const auto logistic = algorithms::findAlgorithm("logistic");
    const EvaluationResult result = evaluate(penguins, 0, data::Task::Multiclass, *logistic, {}, spec, context);
    QCOMPARE(result.folds.size(), std::size_t{5});
    QCOMPARE(result.encoding.classes, (std::vector<std::string>{"Adelie", "Chinstrap", "Gentoo"}));
    QCOMPARE(result.oofRows.size(), std::size_t{344});
    QCOMPARE(result.oofProbabilities.rows(), Eigen::Index{344});
    QVERIFY(result.summary.at("accuracy").mean > 0.97); // scikit-learn: 0.9884 (10-fold)
    QVERIFY(!steps.empty());
    // The same seed gives identical results.
    const EvaluationResult again = evaluate(penguins, 0, data::Task::Multiclass, *logistic, {}, spec, {});
    QCOMPARE(again.summary.at("log_loss").mean, result.summary.at("log_loss").mean);
}

void TestEvaluation::evaluateRejectsOneClass()
{
    const data::Dataset one = data::readDatasetFromMemory("x,y\n1,a\n2,a\n3,a\n4,a\n", "one.csv");
    ValidationSpec spec;
    spec.folds = 2;
    QVERIFY_THROWS_EXCEPTION(
        algorithms::TrainingError,
        (void)evaluate(one, 1, data::Task::Binary, *algorithms::findAlgorithm("knn"), {}, spec, {}));
}

void TestEvaluation::infiniteFeatureIsRefused_data()
{
    QTest::addColumn<QByteArray>("csv");
    QTest::addColumn<QString>("algorithm");
    QTest::newRow("inf, standardised") << QByteArray("x,z,y\n1,0,a\n2,1,b\ninf,0,a\n4,1,b\n5,0,a\n6,1,b\n")
                                       << "logistic";
    QTest::newRow("-inf, a tree") << QByteArray("x,z,y\n1,0,a\n2,1,b\n3,0,a\n4,1,b\n5,0,a\n-Inf,1,b\n") << "tree";
    QTest::newRow("overflow 1e999") << QByteArray("x,z,y\n1,0,a\n2,1,b\n3,0,a\n4,1,b\n1e999,0,a\n6,1,b\n") << "knn";
}

void TestEvaluation::infiniteFeatureIsRefused()
{
    // An infinite feature would make the column's mean, and so every prediction, NaN: refused by name and row.
    QFETCH(QByteArray, csv);
    QFETCH(QString, algorithm);
    const data::Dataset dataset = data::readDatasetFromMemory(csv.toStdString(), "inf.csv");
    QVERIFY(dataset.column(0).type == data::ColumnType::Numeric);
    ValidationSpec spec;
    spec.folds = 2;
    try {
        (void)evaluate(dataset, 2, data::Task::Binary, *algorithms::findAlgorithm(algorithm.toStdString()), {}, spec,
                       {});
        QFAIL("an infinite feature was accepted");
    } catch (const algorithms::TrainingError& error) {
        const QString message = QString::fromUtf8(error.what());
        QVERIFY2(message.contains(QLatin1String("column \"x\" holds an infinite value in data row")),
                 qPrintable(message));
    }
}

void TestEvaluation::constantColumnChangesNothing()
{
    // A constant column carries no information: standardising it would divide by zero, so its scale stays 1
    // and every model scores exactly as without it.
    const data::Dataset iris = data::readDataset(TUNEBENCH_TEST_DATA "/iris.csv");
    QByteArray withConstant;
    {
        QFile file(QStringLiteral(TUNEBENCH_TEST_DATA "/iris.csv"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = file.readAll().split('\n');
        for (qsizetype i = 0; i < lines.size(); ++i) {
            if (!lines[i].isEmpty())
                withConstant += (i == 0 ? QByteArray("constant,") : QByteArray("7.5,")) + lines[i] + '\n';
        }
    }
    const data::Dataset padded = data::readDatasetFromMemory(withConstant.toStdString(), "iris-constant.csv");
    QCOMPARE(padded.columnCount(), iris.columnCount() + 1);
    ValidationSpec spec;
    spec.folds = 5;
    // (Not the MLP: one more input draws one more random weight, so its other weights start elsewhere.)
    for (const char* id : {"logistic", "knn", "tree"}) {
        const auto algorithm = algorithms::findAlgorithm(id);
        const auto plain = evaluate(iris, iris.columnCount() - 1, data::Task::Multiclass, *algorithm, {}, spec, {});
        const auto extra = evaluate(padded, padded.columnCount() - 1, data::Task::Multiclass, *algorithm, {}, spec, {});
        QVERIFY2(std::abs(plain.summary.at("accuracy").mean - extra.summary.at("accuracy").mean) < 1e-12, id);
        QVERIFY2(std::abs(plain.summary.at("log_loss").mean - extra.summary.at("log_loss").mean) < 1e-6, id);
    }
}

void TestEvaluation::classOnlyInOneTestFold_data()
{
    QTest::addColumn<QString>("algorithm");
    for (const char* id : {"logistic", "knn", "tree", "forest", "mlp", "xgboost"})
        QTest::newRow(id) << id;
}

void TestEvaluation::classOnlyInOneTestFold()
{
    // One flower relabelled as a fourth species: it sits in one test fold and no training fold ever sees it.
    // Training proceeds (the class is known from the whole column, so probabilities keep four columns), the
    // rare row is simply mispredicted, and every metric stays finite.
    QFile file(QStringLiteral(TUNEBENCH_TEST_DATA "/iris.csv"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QByteArray text = file.readAll();
    const qsizetype end = text.indexOf('\n', text.indexOf('\n') + 1);
    const qsizetype comma = text.lastIndexOf(',', end);
    text.replace(comma + 1, end - comma - 1, "Iris-rare");
    const data::Dataset dataset = data::readDatasetFromMemory(text.toStdString(), "iris-rare.csv");
    const data::Column& target = dataset.column(dataset.columnCount() - 1);
    QCOMPARE(target.levels.size(), std::size_t(4));
    QFETCH(QString, algorithm);
    ValidationSpec spec;
    spec.folds = 5;
    const auto result = evaluate(dataset, dataset.columnCount() - 1, data::Task::Multiclass,
                                 *algorithms::findAlgorithm(algorithm.toStdString()), {}, spec, {});
    QCOMPARE(result.folds.size(), std::size_t(5));
    for (const auto& [name, value] : result.summary)
        QVERIFY2(std::isfinite(value.mean), name.c_str());
    QVERIFY(result.summary.at("accuracy").mean > 0.85);
    QVERIFY(result.summary.at("accuracy").mean < 1.0); // the rare row cannot be right
    // And the user is told, once, naming the class and how many folds train without it.
    QCOMPARE(result.warnings.size(), std::size_t(1));
    QCOMPARE(result.warnings[0],
             std::string("class 'Iris-rare' has 1 row: the training data of 1 of 5 folds lacks "
                         "it, and their models cannot predict it"));
    QCOMPARE(splitWarnings(dataset, dataset.columnCount() - 1, data::Task::Multiclass, spec), result.warnings);
}

void TestEvaluation::missingClassWarnings_data()
{
    QTest::addColumn<int>("rareRows");
    QTest::addColumn<int>("folds");
    QTest::addColumn<int>("repeats");
    QTest::addColumn<QString>("expected"); // empty: no warning
    QTest::newRow("one row, 10 folds") << 1 << 10 << 1
                                       << "class '2' has 1 row: the training data of 1 of 10 folds lacks it, and "
                                          "their models cannot predict it";
    // Stratified: the three rows go to three folds, which still train on the other two; two folds test none.
    QTest::newRow("three rows, 5 folds")
        << 3 << 5 << 1 << "class '2' has 3 rows: 2 of 5 folds test none of it, and its figures rest on the others";
    QTest::newRow("three rows, 5 folds x 2")
        << 3 << 5 << 2 << "class '2' has 3 rows: 4 of 10 folds test none of it, and its figures rest on the others";
    QTest::newRow("five rows, 5 folds") << 5 << 5 << 1 << QString(); // one in each fold, four in training
}

void TestEvaluation::missingClassWarnings()
{
    // Iris with the first `rareRows` virginica (class 2) kept and the others dropped: a class rarer than the
    // folds is tested by only some of them, and a single row leaves its fold's training data without it.
    QFETCH(int, rareRows);
    QFETCH(int, folds);
    QFETCH(int, repeats);
    QFETCH(QString, expected);
    QFile file(QStringLiteral(TUNEBENCH_TEST_DATA "/iris.csv"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QString text;
    int kept = 0;
    for (const QString& line : QString::fromUtf8(file.readAll()).split(u'\n', Qt::SkipEmptyParts)) {
        if (line.endsWith(QStringLiteral(",2")) && kept++ >= rareRows)
            continue;
        text += line + u'\n';
    }
    const data::Dataset dataset = data::readDatasetFromMemory(text.toStdString(), "iris-few-virginica.csv");
    QCOMPARE(dataset.rowCount(), std::size_t(100 + rareRows));
    ValidationSpec spec;
    spec.folds = folds;
    spec.repeats = repeats;
    const std::vector<std::string> warnings
        = splitWarnings(dataset, dataset.columnCount() - 1, data::Task::Multiclass, spec);
    QCOMPARE(warnings.size(), std::size_t(expected.isEmpty() ? 0 : 1));
    if (!expected.isEmpty())
        QCOMPARE(QString::fromStdString(warnings[0]), expected);
}

void TestEvaluation::targetEncoding_data()
{
    QTest::addColumn<QByteArray>("csv");
    QTest::addColumn<QStringList>("classes");
    QTest::addColumn<QList<double>>("indices"); // -1 for a row without a target
    QTest::newRow("numeric codes") << QByteArray("x,y\n1,1\n2,0\n3,\n4,2\n5,1\n")
                                   << QStringList{QStringLiteral("0"), QStringLiteral("1"), QStringLiteral("2")}
                                   << QList<double>{1, 0, -1, 2, 1};
    QTest::newRow("text labels, sorted") << QByteArray("x,y\n1,dog\n2,cat\n3,NA\n4,emu\n5,cat\n")
                                         << QStringList{QStringLiteral("cat"), QStringLiteral("dog"),
                                                        QStringLiteral("emu")}
                                         << QList<double>{1, 0, -1, 2, 0};
    QTest::newRow("booleans") << QByteArray("x,y\n1,yes\n2,no\n3,no\n4,\n5,yes\n")
                              << QStringList{QStringLiteral("false"), QStringLiteral("true")}
                              << QList<double>{1, 0, 0, -1, 1};
}

void TestEvaluation::targetEncoding()
{
    QFETCH(QByteArray, csv);
    QFETCH(QStringList, classes);
    QFETCH(QList<double>, indices);
    const data::Dataset dataset = data::readDatasetFromMemory(csv.toStdString(), "target.csv");
    const data::Column& target = dataset.column(1);
    const auto encoding = algorithms::encodeTarget(target, data::detectTask(target));
    QStringList actual;
    for (const std::string& label : encoding.classes)
        actual << QString::fromStdString(label);
    QCOMPARE(actual, classes);
    std::vector<std::size_t> rows(dataset.rowCount());
    std::iota(rows.begin(), rows.end(), std::size_t{0});
    const Eigen::VectorXd values = algorithms::targetValues(target, rows, encoding);
    for (qsizetype i = 0; i < indices.size(); ++i) {
        const double value = values[static_cast<Eigen::Index>(i)];
        QCOMPARE(std::isnan(value) ? -1.0 : value, indices[i]);
    }
}

void TestEvaluation::calibrationBins()
{
    // By hand, as scikit-learn's calibration_curve(n_bins=10, strategy="uniform") bins them: an edge value
    // (0.1, 0.8) belongs to the bin below it; empty bins are left out.
    const Eigen::VectorXd truth = (Eigen::VectorXd(6) << 0, 0, 1, 1, 1, 0).finished();
    const Eigen::VectorXd probabilities = (Eigen::VectorXd(6) << 0.05, 0.1, 0.15, 0.8, 0.95, 0.85).finished();
    const std::vector<CalibrationBin> bins = calibrationCurve(truth, probabilities, 10);
    QCOMPARE(bins.size(), std::size_t(5));
    QVERIFY(std::abs(bins[0].meanPredicted - 0.075) < 1e-12);
    QCOMPARE(bins[0].fractionPositive, 0.0);
    QCOMPARE(bins[0].count, 2);
    QCOMPARE(bins[1].fractionPositive, 1.0); // 0.15
    QCOMPARE(bins[2].meanPredicted, 0.8); // in [0.7, 0.8]
    QCOMPARE(bins[2].fractionPositive, 1.0);
    QCOMPARE(bins[3].fractionPositive, 0.0); // 0.85
    QCOMPARE(bins[4].fractionPositive, 1.0); // 0.95
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, (void)calibrationCurve(truth, probabilities.head(3)));
}

void TestEvaluation::foldAveragedCurves()
{
    // A perfect fold and a useless one: at FPR 0 and 0.5 the TPRs are 1 and 0, at FPR 1 both 1.
    const std::vector<CurvePoint> perfect{{0, 0, 0}, {0, 1, 0}, {1, 1, 0}};
    const std::vector<CurvePoint> useless{{0, 0, 0}, {1, 1, 0}};
    const AveragedCurve roc = averageCurves({perfect, useless}, false, 3);
    QCOMPARE(roc.x, (std::vector<double>{0.0, 0.5, 1.0}));
    QCOMPARE(roc.mean, (std::vector<double>{0.5, 0.5, 1.0}));
    QVERIFY(std::abs(roc.std[0] - std::sqrt(0.5)) < 1e-12);
    QCOMPARE(roc.std[2], 0.0);
    // Precision-recall: interpolated precision, the best precision at a recall at least x.
    const std::vector<CurvePoint> pr{{0.0, 1.0, 0}, {0.5, 0.8, 0}, {1.0, 0.5, 0}};
    const AveragedCurve interpolated = averageCurves({pr}, true, 3);
    QCOMPARE(interpolated.mean, (std::vector<double>{1.0, 0.8, 0.5}));
}

void TestEvaluation::wideCategoricalColumnsAreNamed()
{
    // A code column of 1,001 levels (one feature each once encoded) is named before anything trains; 1,000 is not,
    // and neither is a target of many classes.
    auto table = [](int levels) {
        std::string csv = "code,x,y\n";
        for (int i = 0; i < 2002; ++i)
            csv += "C" + std::to_string(i % levels) + "," + std::to_string(i % 7) + "," + std::to_string(i % 2) + "\n";
        return data::readDatasetFromMemory(csv, "codes.csv");
    };
    const data::Dataset wide = table(1001);
    QVERIFY(wide.column(0).type == data::ColumnType::Categorical);
    const std::vector<std::string> warnings = wideColumnWarnings(wide, 2);
    QCOMPARE(warnings.size(), std::size_t{1});
    QVERIFY2(warnings.front().find("column \"code\" has 1001 categories") != std::string::npos,
             warnings.front().c_str());
    QVERIFY(wideColumnWarnings(table(1000), 2).empty());
    QVERIFY(wideColumnWarnings(wide, 0).empty()); // the target's classes are not features
    // The tuner shows it with the split's warnings.
    ValidationSpec spec;
    const std::vector<std::string> all = splitWarnings(wide, 2, data::Task::Binary, spec);
    QCOMPARE(all.size(), std::size_t{1});
}

QTEST_GUILESS_MAIN(TestEvaluation)
#include "tst_evaluation.moc"

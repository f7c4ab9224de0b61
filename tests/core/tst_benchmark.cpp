// Benchmark experiments on real data: several datasets x several algorithms under one validation, the
// corrected t-test against a baseline and the Friedman test, checked against the pieces computed directly.

#include <numeric>
#include <set>

#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

#include "algorithms/registry.h"
#include "data/dataset.h"
#include "data/reader.h"
#include "evaluation/validation.h"
#include "jobs/benchmark.h"
#include "jobs/trial.h"
#include "jobs/trialevaluation.h"
#include "jobs/tuner.h"
#include "store/projectstore.h"
#include "teststates.h"

using namespace tunebench;

namespace {

const std::string kData = TUNEBENCH_TEST_DATA;

QByteArray benchmarkJson(const QString& extra = {})
{
    return QStringLiteral(R"js({"name": "small", "datasets": ["iris.arff", {"path": "wine_data.csv", "label": "wine"},
        "breast_cancer.csv"], "algorithms": ["logistic", {"algorithm": "knn", "fixed": {"k": 5}},
        {"algorithm": "tree", "fixed": {"max_depth": 3}, "label": "shallow tree"}],
        "validation": {"folds": 5}, "metric": "accuracy", "seed": 3%1})js")
        .arg(extra)
        .toUtf8();
}

} // namespace

class TestBenchmark : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void resultsMatchDirectEvaluation()
    {
        const jobs::BenchmarkSpec spec = jobs::parseBenchmarkSpec(benchmarkJson(), "bench.json", kData);
        QCOMPARE(spec.datasetLabels, (std::vector<std::string>{"iris", "wine", "breast_cancer"}));
        QCOMPARE(spec.algorithmLabels, (std::vector<std::string>{"logistic", "knn", "shallow tree"}));
        QCOMPARE(spec.baseline, std::size_t(0));
        std::vector<int> progress;
        const jobs::BenchmarkResult result
            = jobs::runBenchmark(spec, {}, [&](int done, int, const std::string&) { progress.push_back(done); });
        QCOMPARE(progress.back(), 9);
        QCOMPARE(result.cells.size(), std::size_t(3));
        QCOMPARE(result.testFraction, 0.2);

        // A cell is exactly what evaluating that algorithm on that dataset's folds gives.
        const data::Dataset wine = data::readDataset(kData + "/wine_data.csv");
        const std::size_t target = *data::suggestTarget(wine);
        const auto knn = algorithms::findAlgorithm("knn");
        evaluation::ValidationSpec validation;
        validation.folds = 5;
        validation.seed = 3;
        const evaluation::EvaluationResult direct = evaluation::evaluate(
            wine, target, data::detectTask(wine.column(target)), *knn,
            algorithms::resolve(knn->params(), {{"k", std::int64_t(5)}}, data::detectTask(wine.column(target))),
            validation, {});
        const jobs::BenchmarkCell& cell = result.cells[1][1];
        QCOMPARE(cell.scores.size(), std::size_t(5));
        for (std::size_t fold = 0; fold < 5; ++fold)
            QCOMPARE(cell.scores[fold], direct.folds[fold].metrics.at("accuracy"));
        QCOMPARE(cell.summary.mean, direct.summary.at("accuracy").mean);

        // Each comparison is the corrected t-test of the two cells' fold scores; wins, ties and losses add up.
        for (std::size_t d = 0; d < 3; ++d) {
            QCOMPARE(result.cells[d][0].outcome, jobs::BenchmarkCell::Outcome::Baseline);
            for (std::size_t a = 1; a < 3; ++a) {
                const jobs::BenchmarkCell& c = result.cells[d][a];
                QVERIFY(c.test.has_value());
                const evaluation::CorrectedTTest expected
                    = evaluation::correctedResampledTTest(c.scores, result.cells[d][0].scores, 0.2);
                QCOMPARE(c.test->pValue, expected.pValue);
                const auto outcome = expected.pValue >= 0.05 ? jobs::BenchmarkCell::Outcome::Tie
                    : expected.meanDifference > 0            ? jobs::BenchmarkCell::Outcome::Win
                                                             : jobs::BenchmarkCell::Outcome::Loss;
                QCOMPARE(c.outcome, outcome);
            }
        }
        for (std::size_t a = 1; a < 3; ++a) {
            const auto& r = result.versusBaseline[a];
            QCOMPARE(r.wins + r.ties + r.losses, 3);
        }

        // The Friedman test over the means: ranks average (k + 1) / 2; the same as computed directly.
        QVERIFY(result.friedman.has_value());
        QCOMPARE(result.friedman->averageRanks.sum(), 6.0);
        Eigen::MatrixXd means(3, 3);
        for (Eigen::Index d = 0; d < 3; ++d) {
            for (Eigen::Index a = 0; a < 3; ++a)
                means(d, a) = result.cells[static_cast<std::size_t>(d)][static_cast<std::size_t>(a)].summary.mean;
        }
        QCOMPARE(result.friedman->chiSquare, evaluation::friedmanTest(means, true).chiSquare);

        const QJsonObject json = jobs::benchmarkJson(spec, result);
        QCOMPARE(json.value(QStringLiteral("cells")).toArray().size(), qsizetype(9));
        QCOMPARE(json.value(QStringLiteral("baseline")).toString(), QStringLiteral("logistic"));
    }

    void resultsAreKeptInAProject()
    {
        // Two datasets x two algorithms kept through the run recorder: an experiment per cell whose one trial holds
        // the fold scores, and whose spec reports read. One cell is marked failed to see a failure kept as such.
        const QByteArray json = QStringLiteral(R"js({"name": "kept", "datasets": ["iris.arff", "glass.arff"],
            "algorithms": ["logistic", {"algorithm": "knn", "fixed": {"k": 7}, "label": "knn 7"}],
            "validation": {"folds": 3}, "metric": "accuracy", "seed": 1})js")
                                    .toUtf8();
        const jobs::BenchmarkSpec spec = jobs::parseBenchmarkSpec(json, "kept.json", kData);
        jobs::BenchmarkResult result = jobs::runBenchmark(spec);
        result.cells[0][1].error = "k is larger than a training fold";
        result.cells[0][1].scores.clear();
        QTemporaryDir dir;
        const auto project = store::ProjectStore::open(dir.filePath(QStringLiteral("bench.tbproj")).toStdString());
        const std::vector<std::string> names = jobs::recordBenchmark(*project, spec, result);
        QCOMPARE(names,
                 (std::vector<std::string>{"kept / iris / logistic", "kept / iris / knn 7", "kept / glass / logistic",
                                           "kept / glass / knn 7"}));
        for (std::size_t d = 0; d < 2; ++d) {
            for (std::size_t a = 0; a < 2; ++a) {
                const jobs::BenchmarkCell& cell = result.cells[d][a];
                const auto experiment = project->experimentByName(names[d * 2 + a]);
                QVERIFY(experiment);
                QCOMPARE(experiment->status, ExperimentState::Finished);
                const tuning::ExperimentSpec stored
                    = tuning::parseSpec(QByteArray::fromStdString(experiment->specJson), experiment->name, "/");
                QCOMPARE(stored.algorithms.front().algorithm, spec.algorithms[a].algorithm);
                QCOMPARE(stored.validation.folds, 3);
                const std::vector<store::TrialRecord> trials = project->trials(experiment->id);
                QCOMPARE(trials.size(), std::size_t{1});
                const jobs::Trial trial = jobs::trialFromRecord(trials.front(), &stored);
                if (!cell.error.empty()) {
                    QCOMPARE(trial.state, TrialState::Failed);
                    QCOMPARE(trial.error, cell.error);
                    continue;
                }
                QCOMPARE(trial.state, TrialState::Finished);
                QCOMPARE(trial.objective, std::optional<double>(cell.summary.mean));
                QCOMPARE(trial.metrics.at("accuracy").folds, cell.scores);
            }
        }
        // Recorded again, the names are numbered rather than mixed with the first run's.
        QCOMPARE(jobs::recordBenchmark(*project, spec, result).front(), std::string("kept / iris / logistic (2)"));
    }

    void lowerIsBetterAndBaseline()
    {
        // Regression with rmse: lower is better, so a win is a negative difference.
        const QByteArray json = R"js({"datasets": [{"path": "cpu.arff"}], "algorithms": [{"algorithm": "linear"},
            {"algorithm": "knn", "fixed": {"k": 3}}], "baseline": "knn", "metric": "rmse",
            "validation": {"folds": 4, "repeats": 2}, "seed": 1})js";
        const jobs::BenchmarkSpec spec = jobs::parseBenchmarkSpec(json, "reg.json", kData);
        QVERIFY(!spec.higherIsBetter);
        QCOMPARE(spec.baseline, std::size_t(1));
        const jobs::BenchmarkResult result = jobs::runBenchmark(spec);
        const jobs::BenchmarkCell& linear = result.cells[0][0];
        QCOMPARE(linear.scores.size(), std::size_t(8)); // 4 folds x 2 repeats
        QVERIFY(linear.test.has_value());
        if (linear.test->pValue < 0.05)
            QCOMPARE(linear.outcome,
                     linear.test->meanDifference < 0 ? jobs::BenchmarkCell::Outcome::Win
                                                     : jobs::BenchmarkCell::Outcome::Loss);
        // One dataset: no Friedman test, and the reason is given.
        QVERIFY(!result.friedman);
        QVERIFY(!result.friedmanNote.empty());
    }

    void preprocessingReachesEveryDataset()
    {
        // Baskets whose blanks carry the answer: only with missing indicators can logistic regression do better
        // than guessing (AUC 0.5 in every fold without them).
        auto meanAuc = [](const QByteArray& extra) {
            const QByteArray json = R"js({"datasets": [{"path": "supermarket_400.arff", "target": "total"}],
                "algorithms": ["logistic"], "metric": "auc", "validation": {"folds": 3}, "seed": 1)js"
                + extra + "}";
            const jobs::BenchmarkSpec spec = jobs::parseBenchmarkSpec(json, "baskets.json", kData);
            const std::vector<double> scores = jobs::runBenchmark(spec).cells[0][0].scores;
            return std::accumulate(scores.begin(), scores.end(), 0.0) / static_cast<double>(scores.size());
        };
        QCOMPARE(meanAuc({}), 0.5);
        const double indicated = meanAuc(R"(, "preprocessing": {"missing_indicators": true})");
        QVERIFY2(indicated > 0.75, qPrintable(QString::number(indicated)));
    }

    void tunedEntriesRunNestedCrossValidation()
    {
        // A search with one configuration finds it in every outer fold: its nested scores are the fixed
        // entry's fold scores exactly (the same outer folds). A real search scores each outer fold once.
        const QByteArray json = R"js({"datasets": ["iris.arff", "wine_data.csv"], "metric": "accuracy",
            "validation": {"folds": 4}, "seed": 6, "algorithms": [
              {"algorithm": "knn", "fixed": {"k": 7}, "label": "fixed"},
              {"algorithm": "knn", "fixed": {"k": 7}, "ranges": {"weights": {"type": "categorical", "values": ["uniform"]}},
               "tune": {"trials": 3, "folds": 3}, "label": "one choice"},
              {"algorithm": "knn", "ranges": {"k": {"type": "integer", "min": 1, "max": 25}},
               "tune": {"strategy": "random", "trials": 6, "folds": 3}, "label": "tuned k"}]})js";
        const jobs::BenchmarkSpec spec = jobs::parseBenchmarkSpec(json, "nested.json", kData);
        QVERIFY(!spec.tuning[0] && spec.tuning[1] && spec.tuning[2]);
        QCOMPARE(spec.tuning[2]->trials, 6);
        const jobs::BenchmarkResult result = jobs::runBenchmark(spec);
        for (std::size_t d = 0; d < 2; ++d) {
            const auto& cells = result.cells[d];
            QVERIFY2(cells[1].error.empty(), cells[1].error.c_str());
            QCOMPARE(cells[1].scores, cells[0].scores);
            QCOMPARE(cells[2].scores.size(), std::size_t(4));
            for (double score : cells[2].scores)
                QVERIFY(score > 0.5 && score <= 1.0);
            QVERIFY(cells[2].test.has_value());
        }
        // Deterministic: the same spec, the same nested scores.
        QCOMPARE(jobs::runBenchmark(spec).cells[1][2].scores, result.cells[1][2].scores);
    }

    void trialEvaluationKeepsPredictionsAndImportance()
    {
        // The iris classic: the petal measurements carry the information, the sepal ones little.
        const tuning::ExperimentSpec spec = tuning::parseSpec(
            R"({"name": "iris", "dataset": {"path": "iris.arff"}, "algorithm": "logistic",
                "objective": {"metric": "accuracy"}, "validation": {"folds": 5}, "seed": 4})",
            "iris.json", kData);
        const tuning::TrialConfig trial{"logistic", {{"C", 1.0}}};
        const jobs::TrialEvaluation evaluation = jobs::evaluateTrial(spec, trial, {}, 5);
        QVERIFY(evaluation.classification);
        QCOMPARE(evaluation.classes.size(), std::size_t(3));
        QCOMPARE(evaluation.folds, 5);
        QCOMPARE(evaluation.truth.size(), Eigen::Index(150));
        QCOMPARE(evaluation.probabilities.rows(), Eigen::Index(150));
        QCOMPARE(evaluation.fold.size(), std::size_t(150));
        // The same run as the trial's: the folds' accuracy averages to the recorded one.
        const jobs::TrialResult recorded = jobs::makeTrialRunner(spec)->run(trial, 1, {});
        QCOMPARE(evaluation.summary.at("accuracy").mean, recorded.metrics.at("accuracy").mean);
        // Per-fold one-vs-rest areas: setosa is separable in every fold.
        const std::vector<double> areas = evaluation.foldAreas(0, false);
        QCOMPARE(areas.size(), std::size_t(5));
        for (double area : areas)
            QCOMPARE(area, 1.0);
        QCOMPARE(evaluation.foldCurves(2, true).size(), std::size_t(5));
        // Permutation importance: the four columns, the petal ones first.
        QCOMPARE(evaluation.importanceMetric, std::string("accuracy"));
        QCOMPARE(evaluation.permutationImportance.size(), std::size_t(4));
        std::set<std::string> top{evaluation.permutationImportance[0].column,
                                  evaluation.permutationImportance[1].column};
        QCOMPARE(top, (std::set<std::string>{"petallength", "petalwidth"}));
        QVERIFY(evaluation.permutationImportance[0].mean > 0.1);
        // Seeded: the same numbers again.
        const jobs::TrialEvaluation again = jobs::evaluateTrial(spec, trial, {}, 5);
        QCOMPARE(again.permutationImportance[0].mean, evaluation.permutationImportance[0].mean);
    }

    void trialEvaluationOfARegression()
    {
        const tuning::ExperimentSpec spec = tuning::parseSpec(
            R"({"name": "cpu", "dataset": {"path": "cpu.arff"}, "algorithm": "linear",
                "objective": {"metric": "rmse"}, "validation": {"folds": 4}})",
            "cpu.json", kData);
        const jobs::TrialEvaluation evaluation = jobs::evaluateTrial(spec, {"linear", {}}, {}, 3);
        QVERIFY(!evaluation.classification);
        QCOMPARE(evaluation.predictions.size(), evaluation.truth.size());
        QCOMPARE(evaluation.probabilities.size(), Eigen::Index(0));
        // rmse from the out-of-fold predictions is within the folds' range.
        const double rmse = std::sqrt((evaluation.predictions - evaluation.truth).squaredNorm()
                                      / static_cast<double>(evaluation.truth.size()));
        QVERIFY(std::abs(rmse - evaluation.summary.at("rmse").mean) < evaluation.summary.at("rmse").mean * 0.5);
        QVERIFY(!evaluation.permutationImportance.empty());
        QVERIFY(evaluation.permutationImportance.front().mean > 0.0); // shuffling the best column hurts
    }

    void badSpecsSayWhere_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown field") << benchmarkJson(QStringLiteral(", \"folds\": 3"))
                                       << QStringLiteral("folds: unknown field");
        QTest::newRow("no metric") << QByteArray(R"({"datasets": ["iris.arff"], "algorithms": ["knn"]})")
                                   << QStringLiteral("metric:");
        QTest::newRow("bad baseline") << benchmarkJson(QStringLiteral(", \"baseline\": \"svm\""))
                                      << QStringLiteral("'svm' is not the label");
        QTest::newRow("bad parameter") << QByteArray(
            R"({"datasets": ["iris.arff"], "algorithms": [{"algorithm": "knn", "fixed": {"kk": 3}}],
                 "metric": "accuracy"})")
                                       << QStringLiteral("algorithms[0]");
        QTest::newRow("same label twice")
            << QByteArray(R"({"datasets": ["iris.arff"], "algorithms": ["knn", "knn"], "metric": "accuracy"})")
            << QStringLiteral("used twice");
        QTest::newRow("missing file") << QByteArray(
            R"({"datasets": ["nope.csv"], "algorithms": ["knn"], "metric": "accuracy"})")
                                      << QStringLiteral("datasets[0]");
        QTest::newRow("syntax") << QByteArray("{\"datasets\": [\n  \"iris.arff\",, ]}")
                                << QStringLiteral("bench.json:2:");
    }

    void badSpecsSayWhere()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, message);
        try {
            (void)jobs::parseBenchmarkSpec(json, "bench.json", kData);
            QFAIL("accepted");
        } catch (const tuning::SpecError& error) {
            QVERIFY2(QString::fromStdString(error.what()).contains(message), error.what());
        }
    }
};

QTEST_GUILESS_MAIN(TestBenchmark)
#include "tst_benchmark.moc"

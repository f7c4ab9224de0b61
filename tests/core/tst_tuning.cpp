// Search space, strategies, Gaussian process, early stopping, completion and spec parsing: pure code, no threads.

#include <cmath>
#include <set>

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include "../bench/testfunctions.h"
#include "../tools/specexamples.h"
#include "evaluation/validation.h"
#include "tuning/completion.h"
#include "tuning/earlystopping.h"
#include "tuning/experimentspec.h"
#include "tuning/gaussianprocess.h"
#include "tuning/importance.h"
#include "tuning/strategy.h"

using namespace tunebench;
using namespace tunebench::tuning;

namespace {

Dimension continuous(const std::string& name, double min, double max, Scaling scaling = Scaling::Linear)
{
    return {ParamSpec::continuous(name, min, max, min, scaling, {}), std::nullopt};
}

/// Kolmogorov-Smirnov distance between a sample and the uniform distribution on [0, 1].
double ksUniform(std::vector<double> sample)
{
    std::sort(sample.begin(), sample.end());
    double distance = 0.0;
    const auto n = static_cast<double>(sample.size());
    for (std::size_t i = 0; i < sample.size(); ++i) {
        distance = std::max(distance, std::abs(static_cast<double>(i + 1) / n - sample[i]));
        distance = std::max(distance, std::abs(sample[i] - static_cast<double>(i) / n));
    }
    return distance;
}

double branin(const Params& params)
{
    return bench::branin(algorithms::asDouble(params, "x1"), algorithms::asDouble(params, "x2"));
}

ExperimentSpec parse(const char* json)
{
    return parseSpec(QByteArray(json), "spec.json", TUNEBENCH_TEST_DATA);
}

} // namespace

class TestTuning : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void unitMappingRoundTrips()
    {
        const Dimension log = continuous("lr", 1e-4, 1e-1, Scaling::Log);
        QCOMPARE(std::get<double>(log.fromUnit(0.0)), 1e-4);
        QVERIFY(std::abs(std::get<double>(log.fromUnit(0.5)) - std::sqrt(1e-4 * 1e-1)) < 1e-12);
        QVERIFY(std::abs(log.toUnit(1e-2) - 2.0 / 3.0) < 1e-12);
        const Dimension reverse = continuous("momentum", 0.0, 0.999, Scaling::ReverseLog);
        QVERIFY(std::abs(std::get<double>(reverse.fromUnit(reverse.toUnit(0.99))) - 0.99) < 1e-12);
        // Integers: every value gets an equal share of the unit interval.
        const Dimension integer{ParamSpec::integer("k", 1, 4, 1, Scaling::Linear, {}), std::nullopt};
        std::map<std::int64_t, int> counts;
        for (int i = 0; i < 400; ++i)
            ++counts[std::get<std::int64_t>(integer.fromUnit((i + 0.5) / 400.0))];
        QCOMPARE(counts, (std::map<std::int64_t, int>{{1, 100}, {2, 100}, {3, 100}, {4, 100}}));
    }

    void gridCoversExactlyTheGrid()
    {
        SearchSpace space;
        space.add(continuous("a", 0.0, 1.0));
        space.add({ParamSpec::integer("b", 1, 3, 1, Scaling::Linear, {}), std::nullopt});
        space.add({ParamSpec::categorical("c", {"x", "y"}, "x", {}), std::nullopt});
        space.add({ParamSpec::continuous("d", 0.0, 1.0, 0.0, Scaling::Linear, {}), Condition{"c", {"y"}, {}, {}}});
        const std::vector<Params> grid = space.grid(3, 1000);
        // a: 3 values, b: 3, c = x: 1 point; c = y: d has 3 values -> 3 * 3 * (1 + 3) = 36 points, all distinct.
        QCOMPARE(grid.size(), std::size_t(36));
        std::set<std::string> seen;
        for (const Params& point : grid) {
            std::string key;
            for (const auto& [name, value] : point)
                key += name + "=" + algorithms::formatValue(value) + ";";
            QVERIFY(seen.insert(key).second);
            QCOMPARE(point.count("d"), std::size_t(std::get<std::string>(point.at("c")) == "y" ? 1 : 0));
        }
        QVERIFY(seen.count("a=0;b=1;c=x;") && seen.count("a=1;b=3;c=y;d=0.5;"));
        StrategyOptions options;
        options.kind = StrategyKind::Grid;
        options.gridResolution = 3;
        auto strategy = makeStrategy(space, options);
        QVERIFY(strategy->suggest({}, 36).kind == Suggestion::Kind::Params);
        QVERIFY(strategy->suggest({}, 37).kind == Suggestion::Kind::Exhausted);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, (void)space.grid(100, 1000));
    }

    void randomIsUniformUnderEachScaling_data()
    {
        QTest::addColumn<int>("scaling");
        QTest::addColumn<QString>("strategy");
        for (const char* strategy : {"random", "sobol"}) {
            QTest::addRow("linear %s", strategy) << int(Scaling::Linear) << QString::fromLatin1(strategy);
            QTest::addRow("log %s", strategy) << int(Scaling::Log) << QString::fromLatin1(strategy);
            QTest::addRow("reverse_log %s", strategy) << int(Scaling::ReverseLog) << QString::fromLatin1(strategy);
        }
    }
    void randomIsUniformUnderEachScaling()
    {
        QFETCH(int, scaling);
        QFETCH(QString, strategy);
        const auto kind = static_cast<Scaling>(scaling);
        const double min = kind == Scaling::Log ? 1e-3 : 0.0;
        const double max = kind == Scaling::ReverseLog ? 0.999 : 10.0;
        SearchSpace space;
        space.add(continuous("x", min, max, kind));
        StrategyOptions options;
        options.kind = *strategyFromString(strategy.toStdString());
        options.seed = 11;
        auto sampler = makeStrategy(space, options);
        std::vector<double> transformed;
        const int n = 2000;
        for (int number = 1; number <= n; ++number) {
            const double x = algorithms::asDouble(sampler->suggest({}, number).params, "x");
            QVERIFY(x >= min && x <= max);
            // The value under the scaling's transform, mapped to [0, 1], must be uniform.
            if (kind == Scaling::Linear)
                transformed.push_back((x - min) / (max - min));
            else if (kind == Scaling::Log)
                transformed.push_back(std::log(x / min) / std::log(max / min));
            else
                transformed.push_back(std::log1p(-x) / std::log1p(-max));
        }
        // Kolmogorov-Smirnov at alpha = 0.01: critical distance 1.63 / sqrt(n).
        const double distance = ksUniform(transformed);
        QVERIFY2(distance < 1.63 / std::sqrt(double(n)), qPrintable(QString::number(distance)));
        // And the same seed gives the same draws.
        auto again = makeStrategy(space, options);
        QCOMPARE(again->suggest({}, 17).params, sampler->suggest({}, 17).params);
    }

    void gaussianProcessPosteriorMatchesHandComputation()
    {
        // Two points in 1-D with fixed hyperparameters; the posterior at x* = 0.3 by hand:
        // mean = k*^T K^-1 y, var = k(0) - k*^T K^-1 k*, with Matern 5/2 k(r) = (1 + s r + s^2 r^2 / 3) e^{-s r},
        // s = sqrt(5) / l. y = (1, -1) is already standardised (mean 0, population sd 1).
        const double l = 0.5;
        auto k = [&](double r) {
            const double a = std::sqrt(5.0) * r / l;
            return (1.0 + a + a * a / 3.0) * std::exp(-a);
        };
        Eigen::MatrixXd x(2, 1);
        x << 0.0, 1.0;
        Eigen::VectorXd y(2);
        y << 1.0, -1.0;
        GpHyperparameters hyper;
        hyper.logLengthScales = Eigen::VectorXd::Constant(1, std::log(l));
        hyper.logSignalVariance = 0.0;
        hyper.logNoiseVariance = std::log(1e-10);
        GaussianProcess gp;
        gp.condition(x, y, hyper);
        const double k01 = k(1.0);
        const double det = 1.0 - k01 * k01;
        const double a = k(0.3);
        const double b = k(0.7);
        // K^-1 = [1, -k01; -k01, 1] / det
        const double expectedMean = ((a - b * k01) * 1.0 + (b - a * k01) * -1.0) / det;
        const double expectedVariance = 1.0 - (a * a - 2 * a * b * k01 + b * b) / det;
        Eigen::MatrixXd at(1, 1);
        at << 0.3;
        Eigen::VectorXd mean;
        Eigen::VectorXd variance;
        gp.predict(at, mean, variance);
        QVERIFY2(std::abs(mean[0] - expectedMean) < 1e-7, qPrintable(QString::number(mean[0] - expectedMean)));
        QVERIFY2(std::abs(variance[0] - expectedVariance) < 1e-7, qPrintable(QString::number(variance[0])));
        // At a training point the posterior is the observation, with (almost) no variance.
        at << 1.0;
        gp.predict(at, mean, variance);
        QVERIFY(std::abs(mean[0] + 1.0) < 1e-6 && variance[0] < 1e-6);
        // The analytic gradient of the marginal likelihood agrees with finite differences.
        Eigen::VectorXd gradient;
        Eigen::MatrixXd more(5, 1);
        more << 0.0, 0.2, 0.45, 0.8, 1.0;
        Eigen::VectorXd ys(5);
        ys << 1.0, 0.3, -0.2, 0.5, -1.0;
        gp.fit(more, ys);
        GpHyperparameters h = gp.hyperparameters();
        h.logNoiseVariance = std::log(1e-3);
        (void)gp.logPosterior(h, &gradient);
        for (int i = 0; i < 3; ++i) {
            GpHyperparameters up = h;
            GpHyperparameters down = h;
            const double eps = 1e-6;
            double* upValue = i == 0 ? &up.logLengthScales[0] : (i == 1 ? &up.logSignalVariance : &up.logNoiseVariance);
            double* downValue
                = i == 0 ? &down.logLengthScales[0] : (i == 1 ? &down.logSignalVariance : &down.logNoiseVariance);
            *upValue += eps;
            *downValue -= eps;
            const double numeric = (gp.logPosterior(up, nullptr) - gp.logPosterior(down, nullptr)) / (2 * eps);
            QVERIFY2(std::abs(numeric - gradient[i]) < 1e-4 * std::max(1.0, std::abs(numeric)),
                     qPrintable(QStringLiteral("%1: %2 vs %3").arg(i).arg(numeric).arg(gradient[i])));
        }
    }

    void bayesianFindsBraninMinimum()
    {
        SearchSpace space;
        space.add(continuous("x1", -5, 10));
        space.add(continuous("x2", 0, 15));
        StrategyOptions options;
        options.kind = StrategyKind::Bayesian;
        options.seed = 4;
        auto strategy = makeStrategy(space, options);
        std::vector<TrialView> history;
        double best = INFINITY;
        for (int number = 1; number <= 40; ++number) {
            Params params = strategy->suggest(history, number).params;
            const double value = branin(params);
            best = std::min(best, value);
            history.push_back({number, std::move(params), TrialState::Finished, value});
        }
        // Random search reaches a regret of about 0.6 after 40 trials (median); the GP gets within 0.01.
        QVERIFY2(best - bench::kBraninMinimum < 0.01, qPrintable(QString::number(best - bench::kBraninMinimum)));
    }

    void tpeImprovesOnRandomAndIsDeterministic()
    {
        SearchSpace space;
        space.add(continuous("x1", -5, 10));
        space.add(continuous("x2", 0, 15));
        bool deterministic = true;
        auto medianRegret = [&](StrategyKind kind) {
            std::vector<double> regrets;
            for (std::uint64_t seed = 0; seed < 9; ++seed) {
                StrategyOptions options;
                options.kind = kind;
                options.seed = seed;
                auto strategy = makeStrategy(space, options);
                std::vector<TrialView> history;
                double best = INFINITY;
                for (int number = 1; number <= 60; ++number) {
                    Params params = strategy->suggest(history, number).params;
                    if (number == 30) { // the same history and number give the same suggestion
                        auto twin = makeStrategy(space, options);
                        deterministic = deterministic && twin->suggest(history, number).params == params;
                    }
                    const double value = branin(params);
                    best = std::min(best, value);
                    history.push_back({number, std::move(params), TrialState::Finished, value});
                }
                regrets.push_back(best - bench::kBraninMinimum);
            }
            std::nth_element(regrets.begin(), regrets.begin() + 4, regrets.end());
            return regrets[4];
        };
        const double tpe = medianRegret(StrategyKind::Tpe);
        const double random = medianRegret(StrategyKind::Random);
        QVERIFY2(tpe < random, qPrintable(QStringLiteral("tpe %1, random %2").arg(tpe).arg(random)));
        QVERIFY(deterministic);
    }

    void hyperbandBracketsMatchThePaper()
    {
        // Li et al. 2018, Table 1: R = 81, eta = 3.
        const std::vector<HyperbandBracket> brackets = hyperbandBrackets({1, 81, 3, 0});
        const std::vector<std::vector<std::pair<int, double>>> expected{
            {{81, 1}, {27, 3}, {9, 9}, {3, 27}, {1, 81}},
            {{34, 3}, {11, 9}, {3, 27}, {1, 81}},
            {{15, 9}, {5, 27}, {1, 81}},
            {{8, 27}, {2, 81}},
            {{5, 81}},
        };
        QCOMPARE(brackets.size(), expected.size());
        for (std::size_t s = 0; s < expected.size(); ++s) {
            QCOMPARE(brackets[s].rungs.size(), expected[s].size());
            for (std::size_t i = 0; i < expected[s].size(); ++i) {
                QCOMPARE(brackets[s].rungs[i].trials, expected[s][i].first);
                QCOMPARE(brackets[s].rungs[i].resource, expected[s][i].second);
            }
        }
    }

    void hyperbandStopsTheWorseAtARung()
    {
        const HyperbandOptions options{1, 9, 3, 5};
        // Find three trials in the most aggressive bracket (s = 2: rungs at 1, 3, 9 steps).
        std::vector<int> numbers;
        for (int n = 1; numbers.size() < 3; ++n) {
            if (hyperbandBracketOf(options, n) == 0)
                numbers.push_back(n);
        }
        auto stopper = makeHyperbandStopper(options);
        IntermediateTable table;
        table[numbers[0]].values = {{1, 5.0}};
        QVERIFY(!stopper->check(table, numbers[0], 1)); // first at the rung: promoted
        table[numbers[1]].values = {{1, 1.0}};
        QVERIFY(!stopper->check(table, numbers[1], 1));
        table[numbers[2]].values = {{1, 3.0}};
        // Three at rung 0: only the best 3 / 3 = 1 goes on; 3.0 is not it.
        QVERIFY(stopper->check(table, numbers[2], 1).has_value());
        QVERIFY(!stopper->check(table, numbers[1], 1));
    }

    void medianRuleOnAScriptedHistory()
    {
        auto stopper = makeMedianStopper(3, 1);
        IntermediateTable table;
        for (int n = 1; n <= 3; ++n) {
            table[n].state = TrialState::Finished;
            table[n].values = {{1, 1.0 * n}, {2, 0.5 * n}, {3, 0.25 * n}}; // running averages at 2: 0.75, 1.5, 2.25
        }
        table[4].values = {{1, 3.0}, {2, 2.0}};
        const auto reason = stopper->check(table, 4, 2);
        QVERIFY(reason && reason->find("median") != std::string::npos);
        table[5].values = {{1, 2.0}, {2, 1.0}};
        QVERIFY(!stopper->check(table, 5, 2)); // 1.0 is better than the median 1.5
        QVERIFY(!makeMedianStopper(4, 1)->check(table, 4, 2)); // too few finished trials to judge
    }

    void completionRulesOnScriptedHistories()
    {
        auto trials = [](const std::vector<double>& losses) {
            std::vector<TrialView> out;
            for (std::size_t i = 0; i < losses.size(); ++i)
                out.push_back({int(i) + 1, {}, TrialState::Finished, losses[i]});
            return out;
        };
        CompletionCriteria target;
        target.targetValue = 0.9;
        target.maximize = true; // losses are negated objectives
        QCOMPARE(completionReason(target, trials({-0.5, -0.8}), 2, 0, 2), std::nullopt);
        QCOMPARE(completionReason(target, trials({-0.5, -0.95}), 2, 0, 2),
                 std::optional<std::string>("target_reached"));
        CompletionCriteria notImproving;
        notImproving.trialsNotImproving = 3;
        QCOMPARE(completionReason(notImproving, trials({3, 2, 2.5, 2.1, 4}), 5, 0, 2),
                 std::optional<std::string>("not_improving"));
        QCOMPARE(completionReason(notImproving, trials({3, 2, 2.5, 1.9, 4}), 5, 0, 2), std::nullopt);
        CompletionCriteria converged;
        converged.convergence = true;
        std::vector<double> flat{10, 5, 1};
        for (int i = 0; i < 10; ++i)
            flat.push_back(1.0 + 0.5 * i);
        QCOMPARE(completionReason(converged, trials(flat), int(flat.size()), 0, 2),
                 std::optional<std::string>("converged"));
        flat.push_back(0.5);
        QCOMPARE(completionReason(converged, trials(flat), int(flat.size()), 0, 2), std::nullopt);
        CompletionCriteria limits;
        limits.maxTrials = 5;
        limits.maxSeconds = 10;
        QCOMPARE(completionReason(limits, trials({1}), 5, 1, 2), std::optional<std::string>("max_trials"));
        QCOMPARE(completionReason(limits, trials({1}), 1, 11, 2), std::optional<std::string>("max_seconds"));
    }

    void specErrorsSayWhere_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("message");
        const QByteArray head = R"({"dataset": "iris.csv", "objective": {"metric": "accuracy"}, )";
        QTest::addRow("unknown parameter")
            << head + R"("algorithm": "mlp", "ranges": {"learning_rat": {"type": "continuous", "min": 0.1, "max": 1}}})"
            << "ranges.learning_rat: mlp has no hyperparameter 'learning_rat'";
        QTest::addRow("more GPUs than the machine")
            << head + R"("algorithm": "knn", "resources": {"machine": {"gpus": [0, 1]}, "trial": {"gpus": 4}}})"
            << "resources.trial.gpus: a trial needs 4 GPUs; the machine lists 2";
        QTest::addRow("a GPU twice") << head
                + R"("algorithm": "knn", "resources": {"machine": {"gpus": [0, 1, 1]}, "trial": {"gpus": 1}}})"
                                     << "resources.machine.gpus[2]: GPU 1 is listed twice";
        QTest::addRow("a slot the machine lacks") << head
                + R"("algorithm": "knn", "resources": {"machine": {"slots": {"licence": 1}}, "trial": {"slots": {"licence": 2}}}})"
                                                  << "resources.trial.slots.licence: the machine has 1 'licence' slots";
        QTest::addRow("warm start type")
            << head + R"("algorithm": "knn", "warm_start": {"experiments": ["a"], "type": "sideways"}})"
            << "warm_start.type: 'sideways' is not identical_data_and_algorithm or transfer_learning";
        QTest::addRow("min >= max") << head
                + R"("algorithm": "mlp", "ranges": {"learning_rate": {"type": "continuous", "min": 0.1, "max": 0.1}}})"
                                    << "ranges.learning_rate: min (0.10000000000000001) must be below max";
        QTest::addRow("log with min 0") << head
                + R"("algorithm": "mlp", "ranges": {"l2": {"type": "continuous", "min": 0, "max": 1, "scaling": "log"}}})"
                                        << "ranges.l2: log scaling needs min > 0";
        QTest::addRow("out of schema") << head
                + R"("algorithm": "knn", "ranges": {"k": {"type": "integer", "min": 0, "max": 10, "scaling": "linear"}}})"
                                       << "ranges.k: k: 0 is outside [1, 200]";
        QTest::addRow("bad metric") << QByteArray(
            R"({"dataset": "iris.csv", "algorithm": "knn", "objective": {"metric": "acc"}})")
                                    << "objective.metric: unknown metric 'acc'";
        QTest::addRow("typo in a key") << head + R"("algorithm": "knn", "limits": {"max_trails": 3}})"
                                       << "limits: unknown key 'max_trails'";
        QTest::addRow("bad strategy") << head + R"("algorithm": "knn", "strategy": "genetic"})"
                                      << "strategy: 'genetic' is not grid, random";
        QTest::addRow("syntax") << QByteArray("{\n  \"name\": \"x\",\n  \"algorithm\" \"knn\"\n}")
                                << "spec.json:3:16: missing name separator";
        QTest::addRow("condition parent") << head
                + R"("algorithm": "mlp", "ranges": {"momentum": {"type": "continuous", "min": 0.1, "max": 0.9, "when": {"optimiser": ["sgd"]}}}})"
                                          << "the condition's parent 'optimiser' is not a searched hyperparameter";
        QTest::addRow("bad imputation") << head + R"("algorithm": "knn", "preprocessing": {"impute": "mode"}})"
                                        << "preprocessing.impute: 'mode' is not mean or median";
        QTest::addRow("bad categorical encoding")
            << head + R"("algorithm": "tree", "preprocessing": {"categorical": "ordinal"}})"
            << "preprocessing.categorical: 'ordinal' is not onehot or codes";
        QTest::addRow("preprocessing a command") << QByteArray(
            R"js({"algorithm": {"command": ["run"], "metrics": [{"name": "loss", "regex": "loss=(\\S+)"}]},
                 "objective": {"metric": "loss"}, "preprocessing": {"standardize": false}})js")
                                                 << "preprocessing: a command prepares its own data";
        const QByteArray readHead = R"({"algorithm": "knn", "dataset": {"path": "iris.csv", "read": )";
        QTest::addRow("read: a word for a delimiter") << readHead + R"({"delimiter": "comma"}}})"
                                                      << "dataset.read.delimiter: one character";
        QTest::addRow("read: header as text") << readHead + R"({"header": "yes"}}})"
                                              << "dataset.read.header: true (the first row names the columns)";
        QTest::addRow("read: negative rows") << readHead + R"({"skip_rows": -1}}})"
                                             << "dataset.read.skip_rows: a count of rows";
        QTest::addRow("read: a typo") << readHead + R"({"delimeter": ";"}}})"
                                      << "dataset.read.delimeter: unknown field (expected delimiter, decimal";
        QTest::addRow("unknown placeholder") << QByteArray(
            R"js({"algorithm": {"command": ["run", "{lr}"], "metrics": [{"name": "loss", "regex": "loss=(\\S+)"}]}})js")
                                             << "placeholder {lr} is neither";
    }
    void specErrorsSayWhere()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, message);
        try {
            (void)parseSpec(json, "spec.json", TUNEBENCH_TEST_DATA);
            QFAIL("no error");
        } catch (const SpecError& error) {
            QVERIFY2(QString::fromStdString(error.what()).contains(message), error.what());
            QVERIFY(QString::fromStdString(error.what()).startsWith(QLatin1String("spec.json")));
        }
    }

    void specReadSettingsRoundTrip()
    {
        // How the file is read travels in the spec and in the native JSON written back; set fields only.
        const ExperimentSpec spec = parseSpec(
            R"({"algorithm": "knn", "objective": {"metric": "accuracy"}, "dataset": {"path": "iris.csv", "read":
                {"delimiter": "tab", "decimal": ",", "header": false, "skip_rows": 2, "missing": ["-", "n/a"]}}})",
            "spec.json", TUNEBENCH_TEST_DATA);
        QCOMPARE(spec.readSettings.delimiter, '\t');
        QCOMPARE(spec.readSettings.decimalMark, ',');
        QCOMPARE(spec.readSettings.header, data::ReadOptions::Header::Absent);
        QCOMPARE(spec.readSettings.skipRows, std::optional<std::size_t>(2));
        QCOMPARE(spec.readSettings.missingTokens, std::optional(std::vector<std::string>{"-", "n/a"}));
        const QJsonObject read
            = spec.json.value(QStringLiteral("dataset")).toObject().value(QStringLiteral("read")).toObject();
        QCOMPARE(read,
                 QJsonObject({{QStringLiteral("delimiter"), QStringLiteral("tab")},
                              {QStringLiteral("decimal"), QStringLiteral(",")},
                              {QStringLiteral("header"), false},
                              {QStringLiteral("skip_rows"), 2},
                              {QStringLiteral("missing"), QJsonArray{QStringLiteral("-"), QStringLiteral("n/a")}}}));
        const ExperimentSpec again = parseSpec(QJsonDocument(spec.json).toJson(), "again.json", TUNEBENCH_TEST_DATA);
        QVERIFY(again.readSettings == spec.readSettings);
        // Nothing set: nothing written, everything sniffed.
        const ExperimentSpec sniffed = parseSpec(R"({"algorithm": "knn", "objective": {"metric": "accuracy"},
                            "dataset": {"path": "iris.csv", "read": {}}})",
                                                 "spec.json", TUNEBENCH_TEST_DATA);
        QVERIFY(sniffed.readSettings.isDefault());
        QVERIFY(!sniffed.json.value(QStringLiteral("dataset")).toObject().contains(QStringLiteral("read")));
    }

    void sageMakerConfigMapsToTheSameSpec()
    {
        const ExperimentSpec spec = parse(R"({
            "dataset": {"path": "penguins.csv", "target": "species"},
            "algorithm": "xgboost",
            "preprocessing": {"missing_indicators": true},
            "HyperParameterTuningJobName": "penguins-xgb",
            "TrainingJobDefinition": {"StaticHyperParameters": {"rounds": "50"}},
            "WarmStartConfig": {"ParentHyperParameterTuningJobs": [{"HyperParameterTuningJobName": "penguins-first"}],
                                "WarmStartType": "TransferLearning"},
            "HyperParameterTuningJobConfig": {
                "Strategy": "Bayesian",
                "HyperParameterTuningJobObjective": {"Type": "Maximize", "MetricName": "validation:accuracy"},
                "ResourceLimits": {"MaxNumberOfTrainingJobs": 30, "MaxParallelTrainingJobs": 2, "MaxRuntimeInSeconds": 600},
                "ParameterRanges": {
                    "ContinuousParameterRanges": [{"Name": "eta", "MinValue": "0.01", "MaxValue": "0.5", "ScalingType": "Logarithmic"},
                                                  {"Name": "subsample", "MinValue": "0.5", "MaxValue": "1", "ScalingType": "Auto"}],
                    "IntegerParameterRanges": [{"Name": "max_depth", "MinValue": "2", "MaxValue": "8", "ScalingType": "Linear"}],
                    "CategoricalParameterRanges": [{"Name": "min_child_weight", "Values": ["1", "5"]}]
                },
                "TrainingJobEarlyStoppingType": "Auto",
                "TuningJobCompletionCriteria": {"TargetObjectiveMetricValue": 0.99,
                    "BestObjectiveNotImproving": {"MaxNumberOfTrainingJobsNotImproving": 10},
                    "ConvergenceDetected": {"CompleteOnConvergence": "Enabled"}},
                "RandomSeed": 42
            }})");
        QCOMPARE(spec.name, std::string("penguins-xgb"));
        QCOMPARE(spec.metric, std::string("accuracy"));
        QVERIFY(spec.maximize);
        QVERIFY(spec.strategy.kind == StrategyKind::Bayesian);
        QCOMPARE(*spec.completion.maxTrials, 30);
        QCOMPARE(spec.maxParallel, 2);
        QCOMPARE(*spec.completion.maxSeconds, 600.0);
        QCOMPARE(*spec.completion.targetValue, 0.99);
        QCOMPARE(*spec.completion.trialsNotImproving, 10);
        QVERIFY(spec.completion.convergence);
        QVERIFY(spec.earlyStopping);
        QCOMPARE(spec.seed, std::uint64_t(42));
        QVERIFY(spec.preprocess.missingIndicators); // beside the SageMaker config, as the dataset is
        QCOMPARE(algorithms::asInt(spec.algorithms.front().fixed, "rounds"), std::int64_t(50));
        const SearchSpace space = spec.searchSpace();
        QCOMPARE(space.size(), std::size_t(4));
        QVERIFY(space.dimensions()[*space.indexOf("eta")].range.scaling == Scaling::Log);
        QVERIFY(space.dimensions()[*space.indexOf("subsample")].range.scaling == Scaling::Linear); // Auto: the schema's
        // A categorical range over a number is typed for the algorithm.
        const TrialConfig config = spec.configFor(space.decode(std::vector<double>{0.5, 0.5, 0.5, 0.9}));
        QCOMPARE(std::get<double>(config.params.at("min_child_weight")), 5.0);
        QVERIFY(QString::fromStdString(spec.datasetPath).endsWith(QLatin1String("tests/data/penguins.csv")));
        QCOMPARE(spec.warmStart, std::vector<std::string>{"penguins-first"});
        QVERIFY(spec.warmStartType == ExperimentSpec::WarmStartType::TransferLearning);
    }

    void sageMakerNamesAndAutoParameters()
    {
        // A config written as AWS's XGBoost examples are: SageMaker's names, the objective and metric among the
        // static hyperparameters, a range left to Autotune.
        const ExperimentSpec spec = tuning::parseSpecFile(TUNEBENCH_TEST_DATA "/sagemaker-xgboost-cpu.json");
        QCOMPARE(spec.metric, std::string("rmse"));
        QVERIFY(!spec.maximize);
        const SearchSpace space = spec.searchSpace();
        QVERIFY(space.indexOf("rounds").has_value()); // num_round
        QVERIFY(!space.indexOf("num_round").has_value());
        const Dimension& rounds = space.dimensions()[*space.indexOf("rounds")];
        QCOMPARE(rounds.range.min, 10.0);
        QCOMPARE(rounds.range.max, 100.0);
        QCOMPARE(algorithms::asInt(spec.algorithms.front().fixed, "n_iter_no_change"),
                 std::int64_t{10}); // early_stopping_rounds
        QVERIFY(!spec.algorithms.front().fixed.contains("objective")); // Tunebench sets these itself
        QVERIFY(!spec.algorithms.front().fixed.contains("eval_metric"));
        // Autotune: the schema's range for subsample, holding the hint.
        const Dimension& subsample = space.dimensions()[*space.indexOf("subsample")];
        QVERIFY(subsample.range.min <= 0.8 && subsample.range.max >= 0.8);
        QVERIFY(subsample.range.max > subsample.range.min);
        const auto noted = [&](const char* text) {
            return std::any_of(spec.importNotes.begin(), spec.importNotes.end(),
                               [&](const std::string& note) { return note.find(text) != std::string::npos; });
        };
        QVERIFY(noted("SageMaker's num_round is xgboost's rounds"));
        QVERIFY(noted("StaticHyperParameters.objective is left out"));
        QVERIFY(noted("AutoParameters subsample: searched over ["));

        // SageMaker's XGBoost has max_delta_step, ours nothing like it: left out, and said; a name neither has (a typo)
        // is refused, named. Autotune needs a built-in's schema.
        const ExperimentSpec without = parse(R"({"dataset": "cpu.arff", "algorithm": "xgboost",
            "HyperParameterTuningJobConfig": {"HyperParameterTuningJobObjective": {"MetricName": "rmse", "Type": "Minimize"},
              "ParameterRanges": {"ContinuousParameterRanges": [{"Name": "max_delta_step", "MinValue": "0", "MaxValue": "5"},
                                                              {"Name": "eta", "MinValue": "0.01", "MaxValue": "0.5"}]}}})");
        QCOMPARE(without.algorithms.front().ranges.size(), std::size_t(1));
        QCOMPARE(without.importNotes.front(),
                 std::string("ContinuousParameterRanges max_delta_step [0, 5] is left out: "
                             "xgboost has no hyperparameter that means the same"));
        try {
            (void)parse(R"({"dataset": "cpu.arff", "algorithm": "xgboost",
                "HyperParameterTuningJobConfig": {"HyperParameterTuningJobObjective": {"MetricName": "rmse", "Type": "Minimize"},
                  "ParameterRanges": {"IntegerParameterRanges": [{"Name": "max_dept", "MinValue": "2", "MaxValue": "5"}]}}})");
            QFAIL("a misspelt hyperparameter was accepted");
        } catch (const SpecError& error) {
            QVERIFY2(QString::fromUtf8(error.what())
                         .contains(QLatin1String("ranges.max_dept: xgboost has no hyperparameter")),
                     error.what());
        }
        try {
            (void)parse(
                R"js({"algorithm": {"command": ["/bin/true", "{x}"], "metrics": [{"name": "v", "regex": "v=([0-9]+)"}]},
                "HyperParameterTuningJobConfig": {"HyperParameterTuningJobObjective": {"MetricName": "v", "Type": "Minimize"},
                  "ParameterRanges": {"AutoParameters": [{"Name": "x", "ValueHint": "1"}]}}})js");
            QFAIL("AutoParameters for a command was accepted");
        } catch (const SpecError& error) {
            QVERIFY2(QString::fromUtf8(error.what()).contains(QLatin1String("AutoParameters chooses ranges")),
                     error.what());
        }
    }

    // A SageMaker config for your own training image: its MetricDefinitions are the command's metrics, its static
    // hyperparameters the command's fixed values, its StoppingCondition each trial's time limit.
    void sageMakerTrainingScriptMapsOntoACommand()
    {
        const ExperimentSpec spec = parse(R"js({"dataset": "iris.csv",
            "algorithm": {"command": ["python3", "train.py", "--lr", "{learning_rate}", "--epochs", "{epochs}"]},
            "TrainingJobDefinition": {
              "AlgorithmSpecification": {"TrainingImage": "123.dkr.ecr/train:latest", "TrainingInputMode": "File",
                "MetricDefinitions": [{"Name": "validation:loss", "Regex": "val_loss=([0-9.]+)"},
                                      {"Name": "train:loss", "Regex": "train_loss=([0-9.]+)"}]},
              "StaticHyperParameters": {"epochs": "10"},
              "StoppingCondition": {"MaxRuntimeInSeconds": 3600}},
            "HyperParameterTuningJobConfig": {"Strategy": "Random",
              "HyperParameterTuningJobObjective": {"MetricName": "validation:loss", "Type": "Minimize"},
              "ResourceLimits": {"MaxNumberOfTrainingJobs": 8, "MaxParallelTrainingJobs": 2},
              "ParameterRanges": {"ContinuousParameterRanges": [
                {"Name": "learning_rate", "MinValue": "0.0001", "MaxValue": "0.1", "ScalingType": "Logarithmic"}]}}})js");
        QVERIFY(spec.command);
        QCOMPARE(spec.command->metrics.size(), std::size_t(2));
        QCOMPARE(spec.command->metrics.front().name, std::string("validation:loss"));
        QCOMPARE(spec.command->metrics.front().regex, std::string("val_loss=([0-9.]+)"));
        QCOMPARE(spec.metric, std::string("validation:loss"));
        QVERIFY(!spec.maximize);
        QCOMPARE(algorithms::asString(spec.algorithms.front().fixed, "epochs"), std::string("10"));
        QCOMPARE(spec.trialTimeoutSeconds, 3600.0);
        QCOMPARE(spec.completion.maxTrials, std::optional<int>(8));
        QVERIFY(std::ranges::find(spec.importNotes,
                                  std::string("AlgorithmSpecification.MetricDefinitions are the command's metrics"))
                != spec.importNotes.end());
    }

    void severalAlgorithmsFormOneJointSpace_data()
    {
        QTest::addColumn<QString>("strategy");
        for (const char* s : {"grid", "random", "sobol", "bayesian", "tpe", "hyperband"})
            QTest::newRow(s) << QString::fromLatin1(s);
    }
    void severalAlgorithmsFormOneJointSpace()
    {
        QFETCH(QString, strategy);
        ExperimentSpec spec = parse(R"({"dataset": "iris.csv", "objective": {"metric": "accuracy"},
            "algorithms": [
              {"algorithm": "mlp", "fixed": {"epochs": 30},
               "ranges": {"learning_rate": {"type": "continuous", "min": 0.001, "max": 0.1, "scaling": "log"},
                          "optimizer": ["adam", "sgd"],
                          "momentum": {"type": "continuous", "min": 0.5, "max": 0.99, "when": {"optimizer": ["sgd"]}}}},
              {"algorithm": "knn", "ranges": {"k": {"type": "integer", "min": 1, "max": 30}}}]})");
        spec.strategy.kind = *strategyFromString(strategy.toStdString());
        spec.strategy.gridResolution = 3;
        const SearchSpace space = spec.searchSpace();
        QCOMPARE(space.dimensions().front().name(), std::string("algorithm"));
        auto sampler = makeStrategy(space, spec.strategy);
        std::vector<TrialView> history;
        std::set<std::string> algorithmsSeen;
        for (int number = 1; number <= 24; ++number) {
            const Suggestion suggestion = sampler->suggest(history, number);
            if (suggestion.kind == Suggestion::Kind::Exhausted)
                break;
            const TrialConfig config = spec.configFor(suggestion.params);
            algorithmsSeen.insert(config.algorithm);
            if (config.algorithm == "knn") {
                QCOMPARE(config.params.size(), std::size_t(1));
            } else {
                QCOMPARE(config.params.count("momentum"), std::size_t(asStringOr(config.params, "optimizer") == "sgd"));
                QCOMPARE(algorithms::asInt(config.params, "epochs"), std::int64_t(30));
            }
            QCOMPARE(spec.jointOf(config), suggestion.params);
            const double loss = config.algorithm == "knn" ? 0.1 * algorithms::asDouble(config.params, "k") : 1.0;
            history.push_back({number, suggestion.params, TrialState::Finished, loss});
        }
        QCOMPARE(algorithmsSeen, (std::set<std::string>{"knn", "mlp"}));
    }

    // The canonical form is complete and stable: read back, it is the same experiment, written the same way; and it
    // says what the spec means (a shorthand list and its long form, "auto" scaling and the schema's, agree).
    void canonicalFormIsAFixpoint()
    {
        int checked = 0;
        for (const testing::SpecExample& example : testing::specExamples(QStringLiteral(TUNEBENCH_TEST_DATA))) {
            std::optional<ExperimentSpec> spec;
            try {
                spec = parseSpec(example.json, example.name.toStdString(), example.folder.toStdString());
            } catch (const SpecError&) {
                continue; // an error seed of the fuzzer, a benchmark entry of docs/spec.md
            }
            const QJsonObject canonical = canonicalJson(*spec);
            ExperimentSpec again;
            try {
                again = parseSpec(QJsonDocument(canonical).toJson(), example.name.toStdString(), "/");
            } catch (const SpecError& error) {
                QFAIL(qPrintable(QString::fromUtf8(error.what())));
            }
            if (canonicalJson(again) != canonical)
                QFAIL(qPrintable(example.name + QStringLiteral(":\n")
                                 + QString::fromUtf8(QJsonDocument(canonical).toJson())
                                 + QStringLiteral("\nread back as\n")
                                 + QString::fromUtf8(QJsonDocument(canonicalJson(again)).toJson())));
            ++checked;
        }
        QVERIFY2(checked >= 45, qPrintable(QString::number(checked))); // every source found

        const auto canonicalOf = [](const char* json) { return canonicalJson(parse(json)); };
        QCOMPARE(
            canonicalOf(R"({"dataset": "iris.csv", "objective": {"metric": "accuracy"}, "algorithm": "mlp",
                                 "ranges": {"activation": ["relu", "tanh"],
                                            "learning_rate": {"type": "continuous", "min": 0.001, "max": 0.1}}})"),
            canonicalOf(R"({"dataset": {"path": "iris.csv"}, "objective": {"metric": "accuracy", "goal": "maximize"},
                                 "algorithms": [{"algorithm": "mlp", "ranges": {
                                     "activation": {"type": "categorical", "values": ["relu", "tanh"]},
                                     "learning_rate": {"type": "continuous", "min": 0.001, "max": 0.1, "scaling": "log"}}}],
                                 "strategy": "bayesian", "limits": {"max_trials": 20}, "early_stopping": "off"})"));
        QVERIFY(canonicalOf(R"({"dataset": "iris.csv", "objective": {"metric": "accuracy"}, "algorithm": "mlp",
                                "ranges": {"learning_rate": {"type": "continuous", "min": 0.001, "max": 0.1}}})")
                != canonicalOf(R"({"dataset": "iris.csv", "objective": {"metric": "accuracy"}, "algorithm": "mlp",
                                   "ranges": {"learning_rate": {"type": "continuous", "min": 0.001, "max": 0.1,
                                                                "scaling": "linear"}}})"));
    }

    void functionalAnovaMatchesHandWorkedDecompositions_data()
    {
        // f on the unit cube, uniform inputs; the exact main-effect fractions Var(E[f | x_j]) / Var(f).
        QTest::addColumn<int>("function");
        QTest::addColumn<std::vector<double>>("expected");
        QTest::addColumn<double>("tolerance");
        // 10 a + b: Var = 100/12 + 1/12, main effects 100/101 and 1/101; c is noise-free and unused.
        QTest::newRow("additive") << 0 << std::vector<double>{100.0 / 101.0, 1.0 / 101.0, 0.0} << 0.01;
        // a * b: Var = 1/9 - 1/16 = 7/144; E[f | a] = a / 2 has variance 1/48 = 3/144, so 3/7 each and 1/7
        // left to the interaction.
        QTest::newRow("product") << 1 << std::vector<double>{3.0 / 7.0, 3.0 / 7.0, 0.0} << 0.03;
    }

    void functionalAnovaMatchesHandWorkedDecompositions()
    {
        QFETCH(int, function);
        QFETCH(std::vector<double>, expected);
        QFETCH(double, tolerance);
        util::Random random(7);
        const Eigen::Index n = 600;
        Eigen::MatrixXd points(n, 3);
        Eigen::VectorXd objective(n);
        for (Eigen::Index i = 0; i < n; ++i) {
            for (Eigen::Index j = 0; j < 3; ++j)
                points(i, j) = random.uniform();
            objective(i) = function == 0 ? 10.0 * points(i, 0) + points(i, 1) : points(i, 0) * points(i, 1);
        }
        const Importance importance = functionalAnova(points, objective, {.seed = 3, .threads = 2});
        for (std::size_t j = 0; j < 3; ++j) {
            if (std::abs(importance.mainEffects[j] - expected[j]) > tolerance)
                QFAIL(qPrintable(QStringLiteral("main effect %1: %2, expected %3")
                                     .arg(j)
                                     .arg(importance.mainEffects[j])
                                     .arg(expected[j])));
        }
        double sum = 0.0;
        for (double share : importance.normalised)
            sum += share;
        QVERIFY(std::abs(sum - 1.0) < 1e-12);
        // Reproducible: the same seed gives the same numbers whatever the number of threads.
        QCOMPARE(functionalAnova(points, objective, {.seed = 3, .threads = 1}).mainEffects, importance.mainEffects);
    }

    void pairMarginalFollowsTheFunction()
    {
        // f = a + 2b, c unused: the surrogate averaged over c is a + 2b at each cell's centre.
        util::Random random(5);
        const Eigen::Index n = 800;
        Eigen::MatrixXd points(n, 3);
        Eigen::VectorXd objective(n);
        for (Eigen::Index i = 0; i < n; ++i) {
            for (Eigen::Index j = 0; j < 3; ++j)
                points(i, j) = random.uniform();
            objective(i) = points(i, 0) + 2.0 * points(i, 1);
        }
        const int resolution = 10;
        const PairMarginal marginal = pairMarginal(points, objective, 0, 1, resolution, {.seed = 2, .threads = 2});
        QCOMPARE(marginal.values.size(), std::size_t(100));
        double error = 0.0;
        for (int a = 0; a < resolution; ++a) {
            for (int b = 0; b < resolution; ++b) {
                const double expected = (a + 0.5) / resolution + 2.0 * (b + 0.5) / resolution;
                error += std::abs(marginal.values[static_cast<std::size_t>(a * resolution + b)] - expected);
            }
        }
        QVERIFY2(error / 100.0 < 0.06, qPrintable(QString::number(error / 100.0)));
        // The corners: lowest at (0, 0), highest at (1, 1).
        QVERIFY(marginal.values.front() < marginal.values.back() - 2.0);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, (void)pairMarginal(points, objective, 1, 1));
    }

    void functionalAnovaIgnoresInactiveAndConstant()
    {
        // b is active only in half the trials and never matters; a constant objective explains nothing.
        util::Random random(11);
        const Eigen::Index n = 300;
        Eigen::MatrixXd points(n, 2);
        Eigen::VectorXd objective(n);
        for (Eigen::Index i = 0; i < n; ++i) {
            points(i, 0) = random.uniform();
            points(i, 1) = i % 2 == 0 ? std::nan("") : random.uniform();
            objective(i) = std::sin(3.0 * points(i, 0));
        }
        const Importance importance = functionalAnova(points, objective, {.seed = 1});
        QVERIFY(importance.mainEffects[0] > 0.95);
        QVERIFY(importance.mainEffects[1] < 0.02);
        const Importance flat = functionalAnova(points, Eigen::VectorXd::Constant(n, 0.5));
        QCOMPARE(flat.normalised, (std::vector<double>{0.0, 0.0}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, (void)functionalAnova(points.topRows(1), objective.head(1)));
    }

private:
    static std::string asStringOr(const Params& params, const char* name)
    {
        const auto found = params.find(name);
        return found == params.end() ? std::string() : std::get<std::string>(found->second);
    }
};

QTEST_GUILESS_MAIN(TestTuning)
#include "tst_tuning.moc"

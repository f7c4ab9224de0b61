// The tuning loop alone: no threads, no clock, no project. Each test scripts what the trials do (started,
// reported, ended, stopped by the user) and checks what the loop decides.

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <vector>

#include <QTest>

#include "algorithms/params.h"
#include "teststates.h"
#include "tuning/tuningloop.h"

using namespace tunebench;
using tuning::TuningLoop;
using Ending = TuningLoop::Ending;

namespace {

/// A command experiment over x in [0, 1] (the command is never run here); `extra` adds keys.
tuning::ExperimentSpec specWith(const QString& extra)
{
    const QString json = QStringLiteral(R"js({"name": "loop",
        "algorithm": {"command": ["/bin/true", "{x}"], "metrics": [{"name": "value", "regex": "value=(\\S+)"}]},
        "ranges": {"x": {"type": "continuous", "min": 0, "max": 1}},
        "objective": {"metric": "value", "goal": "minimize"}, "strategy": "random", "seed": 3%1})js")
                             .arg(extra);
    return tuning::parseSpec(json.toUtf8(), "loop.json", "/");
}

/// Starts every trial the loop has room for now; their numbers.
std::vector<int> launchAll(TuningLoop& loop, double elapsed = 0)
{
    std::vector<int> numbers;
    while (const auto launch = loop.next(elapsed))
        numbers.push_back(launch->number);
    return numbers;
}

} // namespace

class TestTuningLoop : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void runsTheBudgetWithBoundedParallelism()
    {
        const tuning::ExperimentSpec spec = specWith(QStringLiteral(R"(, "limits": {"max_trials": 3})"));
        TuningLoop loop(spec, 2, "value", true);
        QCOMPARE(launchAll(loop), (std::vector<int>{1, 2}));
        QCOMPARE(loop.runningCount(), 2);
        QCOMPARE(loop.onEnded(1, Ending::Finished, 0.5).state, TrialState::Finished);
        QCOMPARE(launchAll(loop), (std::vector<int>{3}));
        QCOMPARE(launchAll(loop), std::vector<int>{}); // the budget is spent
        QVERIFY(!loop.isDone());
        QCOMPARE(loop.onEnded(2, Ending::Finished, 0.2).state, TrialState::Finished);
        const TuningLoop::Outcome failed = loop.onEnded(3, Ending::Failed, std::nullopt, "exit code 1");
        QCOMPARE(failed.state, TrialState::Failed);
        QCOMPARE(failed.reason, std::string("exit code 1"));
        QVERIFY(loop.isDone());
        QCOMPARE(loop.stoppedBecause(), std::string("max_trials"));
        QCOMPARE(loop.best(), (std::optional<std::pair<int, double>>{{2, 0.2}}));
        QCOMPARE(loop.history().size(), std::size_t{3});
    }

    void aMaximisedObjectiveKeepsItsOrientation()
    {
        tuning::ExperimentSpec spec = specWith(QStringLiteral(R"(, "limits": {"max_trials": 2})"));
        spec.maximize = true;
        TuningLoop loop(spec, 1, "value", false);
        QCOMPARE(launchAll(loop), std::vector<int>{1});
        (void)loop.onEnded(1, Ending::Finished, 0.7);
        QCOMPARE(launchAll(loop), std::vector<int>{2});
        (void)loop.onEnded(2, Ending::Finished, 0.9);
        QCOMPARE(loop.best(), (std::optional<std::pair<int, double>>{{2, 0.9}}));
        QCOMPARE(loop.history()[1].loss, std::optional<double>(-0.9)); // strategies minimise
    }

    void nothingToTuneIsOneTrainingJob()
    {
        // No range: whatever the budget, one fit (five would fit the same configuration five times).
        const tuning::ExperimentSpec spec = tuning::parseSpec(R"js({"name": "one", "dataset": "iris.csv",
            "algorithm": "logistic", "fixed": {"C": 2}, "objective": {"metric": "accuracy"},
            "limits": {"max_trials": 5, "max_parallel": 2}})js",
                                                              "one.json", TUNEBENCH_TEST_DATA);
        TuningLoop loop(spec, 2, "loss", true);
        QCOMPARE(launchAll(loop), std::vector<int>{1});
        QCOMPARE(loop.onEnded(1, Ending::Finished, 0.96).state, TrialState::Finished);
        QCOMPARE(launchAll(loop), std::vector<int>{});
        QVERIFY(loop.isDone());
        QCOMPARE(loop.stoppedBecause(), std::string("nothing_to_tune"));
        QCOMPARE(loop.history().size(), std::size_t{1});
    }

    void resumeRunsInterruptedTrialsFirstWithTheirParameters()
    {
        const tuning::ExperimentSpec spec = specWith(QStringLiteral(R"(, "limits": {"max_trials": 4})"));
        TuningLoop loop(spec, 1, "value", true);
        const tuning::TrialConfig config{"command", {{"x", 0.25}}};
        loop.restore({{1, {"command", {{"x", 0.5}}}, TrialState::Finished, 0.3, {}},
                      {2, config, TrialState::Running, std::nullopt, {}},
                      {3, {"command", {{"x", 0.75}}}, TrialState::Failed, std::nullopt, {}}});
        const auto rerun = loop.next(0);
        QVERIFY(rerun);
        QCOMPARE(rerun->number, 2);
        QCOMPARE(rerun->config.params, config.params);
        QVERIFY(!loop.next(0)); // one at a time
        (void)loop.onEnded(2, Ending::Finished, 0.1);
        QCOMPARE(launchAll(loop), std::vector<int>{4}); // then the search goes on from the history
        (void)loop.onEnded(4, Ending::Finished, 0.9);
        QVERIFY(loop.isDone());
        QCOMPARE(loop.best()->first, 2);
    }

    void reRunsStillRunWhenTheBudgetIsSpent()
    {
        const tuning::ExperimentSpec spec = specWith(QStringLiteral(R"(, "limits": {"max_trials": 2})"));
        TuningLoop loop(spec, 2, "value", true);
        loop.restore({{1, {"command", {{"x", 0.5}}}, TrialState::Running, std::nullopt, {}},
                      {2, {"command", {{"x", 0.6}}}, TrialState::Running, std::nullopt, {}}});
        QCOMPARE(launchAll(loop), (std::vector<int>{1, 2}));
        (void)loop.onEnded(1, Ending::Finished, 1.0);
        (void)loop.onEnded(2, Ending::Finished, 2.0);
        QVERIFY(loop.isDone());
    }

    void theUserRestartsAndStopsSingleTrials()
    {
        const tuning::ExperimentSpec spec = specWith(QStringLiteral(R"(, "limits": {"max_trials": 3})"));
        TuningLoop loop(spec, 2, "value", true);
        QCOMPARE(launchAll(loop), (std::vector<int>{1, 2}));
        // A running trial restarted: cancel it; when it ends cancelled it runs again, still Running.
        QVERIFY(loop.request(1, true));
        QVERIFY(!loop.request(1, true)); // asked once
        const TuningLoop::Outcome restarted = loop.onEnded(1, Ending::Cancelled);
        QVERIFY(restarted.runsAgain());
        QCOMPARE(launchAll(loop), std::vector<int>{1});
        // A running trial stopped: cancel it; it ends Stopped, by the user.
        QVERIFY(loop.request(2, false));
        const TuningLoop::Outcome stopped = loop.onEnded(2, Ending::Cancelled);
        QCOMPARE(stopped.state, TrialState::Stopped);
        QCOMPARE(stopped.reason, std::string("stopped by the user"));
        // A stopped trial restarted: nothing to cancel; it is queued, and its points must go.
        QVERIFY(!loop.request(2, true));
        QCOMPARE(loop.takeRestarted(), std::vector<int>{2});
        QCOMPARE(loop.takeRestarted(), std::vector<int>{});
        QCOMPARE(launchAll(loop), std::vector<int>{2});
        // A finished trial is not run again.
        (void)loop.onEnded(1, Ending::Finished, 0.4);
        QVERIFY(!loop.request(1, true));
        QVERIFY(loop.takeRestarted().empty());
    }

    void stopLetsRunningTrialsFinishAndStartsNoMore()
    {
        const tuning::ExperimentSpec spec = specWith(QStringLiteral(R"(, "limits": {"max_trials": 10})"));
        TuningLoop loop(spec, 2, "value", true);
        QCOMPARE(launchAll(loop), (std::vector<int>{1, 2}));
        loop.stop();
        (void)loop.onEnded(1, Ending::Finished, 0.4);
        QCOMPARE(launchAll(loop), std::vector<int>{});
        QVERIFY(!loop.isDone());
        QCOMPARE(loop.onEnded(2, Ending::Finished, 0.3).state, TrialState::Finished);
        QVERIFY(loop.isDone());
        QCOMPARE(loop.stoppedBecause(), std::string("stopped_by_user"));
    }

    void cancelEndsRunningTrialsAndLeavesReRunsQueued()
    {
        const tuning::ExperimentSpec spec = specWith(QStringLiteral(R"(, "limits": {"max_trials": 10})"));
        TuningLoop loop(spec, 1, "value", true);
        loop.restore({{1, {"command", {{"x", 0.5}}}, TrialState::Running, std::nullopt, {}},
                      {2, {"command", {{"x", 0.6}}}, TrialState::Running, std::nullopt, {}}});
        QCOMPARE(launchAll(loop), std::vector<int>{1});
        QCOMPARE(loop.cancel(), std::vector<int>{1});
        QCOMPARE(loop.cancel(), std::vector<int>{}); // once
        const TuningLoop::Outcome outcome = loop.onEnded(1, Ending::Cancelled);
        QCOMPARE(outcome.state, TrialState::Stopped);
        QCOMPARE(outcome.reason, std::string("cancelled"));
        QCOMPARE(launchAll(loop), std::vector<int>{}); // trial 2 stays interrupted for a later resume
        QVERIFY(loop.isDone());
        QCOMPARE(loop.stoppedBecause(), std::string("cancelled"));
    }

    void theTimeBudgetCancelsRunningTrials()
    {
        const tuning::ExperimentSpec spec = specWith(QStringLiteral(R"(, "limits": {"max_seconds": 60})"));
        TuningLoop loop(spec, 2, "value", true);
        QCOMPARE(launchAll(loop, 0), (std::vector<int>{1, 2}));
        loop.onIdle(59);
        QVERIFY(loop.takeCancellations().empty());
        loop.onIdle(61);
        QCOMPARE(loop.takeCancellations(), (std::vector<int>{1, 2}));
        QVERIFY(loop.takeCancellations().empty());
        QCOMPARE(loop.onEnded(1, Ending::Cancelled).reason, std::string("the experiment ran out of time"));
        QCOMPARE(loop.onEnded(2, Ending::Finished, 0.5).state, TrialState::Finished); // it had just finished
        QVERIFY(loop.isDone());
        QCOMPARE(loop.stoppedBecause(), std::string("max_seconds"));
    }

    void aTrialPastItsTimeLimitFails()
    {
        const tuning::ExperimentSpec spec
            = specWith(QStringLiteral(R"(, "limits": {"max_trials": 1, "trial_timeout_seconds": 2.5})"));
        TuningLoop loop(spec, 1, "value", true);
        QCOMPARE(launchAll(loop), std::vector<int>{1});
        const TuningLoop::Outcome outcome = loop.onEnded(1, Ending::Cancelled, std::nullopt, {}, true);
        QCOMPARE(outcome.state, TrialState::Failed);
        QCOMPARE(outcome.reason, std::string("timed out after 2.5 s"));
    }

    void theMedianRuleStopsATrialBehindTheOthers()
    {
        const tuning::ExperimentSpec spec
            = specWith(QStringLiteral(R"(, "limits": {"max_trials": 6}, "early_stopping": "auto")"));
        TuningLoop loop(spec, 1, "loss", true);
        // Five trials whose loss falls 1.0, 0.9, ..., finished.
        for (int number = 1; number <= 5; ++number) {
            QCOMPARE(launchAll(loop), std::vector<int>{number});
            for (int step = 1; step <= 4; ++step)
                QVERIFY(!loop.onPoint(number, "loss", step, 1.0 - 0.1 * step));
            (void)loop.onEnded(number, Ending::Finished, 0.6);
        }
        QCOMPARE(launchAll(loop), std::vector<int>{6});
        QVERIFY(!loop.onPoint(6, "value", 1, 9.0)); // another metric: not the intermediate one
        QVERIFY(loop.onPoint(6, "loss", 1, 5.0)); // far worse than the median at step 1
        QVERIFY(!loop.onPoint(6, "loss", 2, 5.0)); // already told to stop
        const TuningLoop::Outcome outcome = loop.onEnded(6, Ending::Cancelled);
        QCOMPARE(outcome.state, TrialState::Stopped);
        QVERIFY2(outcome.reason.starts_with("median rule at step 1"), outcome.reason.c_str());
        QCOMPARE(outcome.stoppedAtStep, std::optional<int>(1));
    }

    void completionCriteriaEndTheSearch_data()
    {
        QTest::addColumn<QString>("extra");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<int>("trials");
        QTest::newRow("target") << QStringLiteral(R"(, "completion": {"target_value": 0.25})")
                                << QStringLiteral("target_reached") << 3;
        QTest::newRow("not improving") << QStringLiteral(R"(, "completion": {"trials_not_improving": 2})")
                                       << QStringLiteral("not_improving") << 5;
        QTest::newRow("grid") << QStringLiteral(
            R"(, "strategy": "grid", "ranges": {"x": {"type": "integer", "min": 1, "max": 4}})")
                              << QStringLiteral("grid_exhausted") << 4;
    }

    void completionCriteriaEndTheSearch()
    {
        QFETCH(QString, extra);
        QFETCH(QString, reason);
        QFETCH(int, trials);
        const tuning::ExperimentSpec spec = specWith(extra);
        TuningLoop loop(spec, 1, "value", true);
        const double objectives[] = {0.5, 0.6, 0.2, 0.9, 0.9};
        for (int number = 1; number <= 10; ++number) {
            if (launchAll(loop).empty())
                break; // isDone() is true before the first launch too: ask next() first
            (void)loop.onEnded(number, Ending::Finished, objectives[(number - 1) % 5]);
            loop.afterEvents(1.0);
        }
        QVERIFY(loop.isDone());
        QCOMPARE(QString::fromStdString(loop.stoppedBecause()), reason);
        QCOMPARE(static_cast<int>(loop.history().size()), trials);
    }

    void warmStartTrialsInformTheStrategyButAreNotCounted()
    {
        const tuning::ExperimentSpec spec
            = specWith(QStringLiteral(R"(, "strategy": "bayesian", "limits": {"max_trials": 1})"));
        TuningLoop loop(spec, 1, "value", true);
        for (int i = 0; i < 12; ++i)
            loop.addWarmStart({"command", {{"x", i / 11.0}}}, (i / 11.0 - 0.3) * (i / 11.0 - 0.3));
        const auto first = loop.next(0);
        QVERIFY(first);
        QCOMPARE(first->number, 1);
        // Twelve points of a parabola with its minimum at 0.3: the GP's first suggestion goes near it.
        QVERIFY2(std::abs(std::get<double>(first->config.params.at("x")) - 0.3) < 0.15,
                 qPrintable(QString::number(std::get<double>(first->config.params.at("x")))));
        QVERIFY(!loop.best()); // warm trials are not this experiment's
    }
    void ashaPausesAtRungsAndPromotesTheBestThird()
    {
        // Budgets 1, 3, 9 (eta 3); the objective improves with the budget and is lowest for small x.
        const tuning::ExperimentSpec spec = specWith(QStringLiteral(
            R"(, "strategy": "asha", "budget": {"min_resource": 1, "max_resource": 9}, "limits": {"max_trials": 12})"));
        TuningLoop loop(spec, 1, "value", true);
        QVERIFY(loop.ladder());
        QCOMPARE(loop.ladder()->bracketCount(), std::size_t{1});
        QCOMPARE(loop.ladder()->budgets(), (std::vector<std::int64_t>{1, 3, 9}));
        std::map<int, double> xs;
        std::map<std::int64_t, std::map<int, double>> atBudget; // what each rung held when a trial was promoted
        std::int64_t trained = 0;
        int launches = 0;
        while (const auto launch = loop.next(0)) {
            ++launches;
            const int number = launch->number;
            QVERIFY(launch->config.budget);
            const std::int64_t budget = *launch->config.budget;
            QCOMPARE(algorithms::asInt(launch->config.params, "budget"), budget); // the resource, for {budget}
            xs.try_emplace(number, algorithms::asDouble(launch->config.params, "x"));
            if (launch->config.resumedFrom == 0) {
                QCOMPARE(budget, std::int64_t{1}); // one bracket: every trial starts at the smallest budget
            } else {
                // A promotion continues from the rung below, where it was among the best third of that rung.
                const std::int64_t from = launch->config.resumedFrom;
                QCOMPARE(budget, from * 3);
                const std::map<int, double>& rung = atBudget[from];
                const double mine = rung.at(number);
                const auto better
                    = std::count_if(rung.begin(), rung.end(), [&](const auto& other) { return other.second < mine; });
                const bool budgetSpent = loop.stoppedBecause() == "max_trials" && launches > 12;
                QVERIFY2(better < std::max<std::ptrdiff_t>(1, static_cast<std::ptrdiff_t>(rung.size() / 3))
                             || budgetSpent,
                         qPrintable(QStringLiteral("trial %1 promoted from %2 behind %3 of %4")
                                        .arg(number)
                                        .arg(from)
                                        .arg(better)
                                        .arg(rung.size())));
            }
            trained += budget - launch->config.resumedFrom;
            const double objective = xs[number] + 1.0 / static_cast<double>(budget);
            const TuningLoop::Outcome outcome = loop.onEnded(number, Ending::Finished, objective);
            QCOMPARE(outcome.budget, std::optional<std::int64_t>(budget));
            QCOMPARE(outcome.state, budget < 9 ? TrialState::Paused : TrialState::Finished);
            atBudget[budget][number] = objective;
        }
        QVERIFY(loop.isDone());
        QCOMPARE(loop.history().size(), std::size_t{12}); // configurations, as max_trials counts them
        QCOMPARE(static_cast<int>(atBudget[1].size()), 12);
        // Every trial among the best third at budget 1 went on (others too, promoted when they were among the
        // best third of fewer: ASHA's promotions are decided as results come).
        std::vector<std::pair<double, int>> ranked;
        for (const auto& [number, objective] : atBudget[1])
            ranked.emplace_back(objective, number);
        std::sort(ranked.begin(), ranked.end());
        for (std::size_t i = 0; i < 4; ++i)
            QVERIFY(atBudget[3].count(ranked[i].second));
        QVERIFY(atBudget[3].size() < 12);
        QVERIFY(!atBudget[9].empty()); // once the budget is spent, the best paused trials still climb
        QCOMPARE(loop.ladder()->budgetUsed(), trained); // nothing trained twice
        // The best is the best x at the largest budget it reached.
        const auto best = loop.best();
        QVERIFY(best);
        QCOMPARE(best->second, atBudget[9].begin()->second);
        const int bestOfAll = std::min_element(xs.begin(), xs.end(), [](const auto& a, const auto& b) {
                                  return a.second < b.second;
                              })->first;
        QCOMPARE(best->first, bestOfAll);
    }

    void ashaResumesPausedAndInterruptedTrials()
    {
        const tuning::ExperimentSpec spec = specWith(QStringLiteral(
            R"(, "strategy": "asha", "budget": {"min_resource": 1, "max_resource": 9}, "limits": {"max_trials": 4})"));
        TuningLoop loop(spec, 1, "value", true);
        auto config = [](double x, std::int64_t budget) {
            return tuning::TrialConfig("command", {{"x", x}, {"budget", budget}});
        };
        loop.restore({{1, config(0.1, 3), TrialState::Running, std::nullopt, {{1, 1.1}}}, // on its way to 3
                      {2, config(0.5, 1), TrialState::Paused, 1.5, {{1, 1.5}}},
                      {3, config(0.9, 1), TrialState::Paused, 1.9, {{1, 1.9}}}});
        const auto interrupted = loop.next(0);
        QVERIFY(interrupted);
        QCOMPARE(interrupted->number, 1);
        QCOMPARE(interrupted->config.budget, std::optional<std::int64_t>(3));
        QCOMPARE(interrupted->config.resumedFrom, std::int64_t{1}); // from its checkpoint at budget 1
        QCOMPARE(loop.onEnded(1, Ending::Finished, 0.1 + 1.0 / 3).state, TrialState::Paused);
        // Three at rung 0 (1, 2, 3), one of them promoted already (1): trial 4 starts.
        const auto fourth = loop.next(0);
        QVERIFY(fourth);
        QCOMPARE(fourth->number, 4);
        QCOMPARE(fourth->config.resumedFrom, std::int64_t{0});
        QCOMPARE(loop.best(), (std::optional<std::pair<int, double>>{{1, 0.1 + 1.0 / 3}}));
    }

    void bohbModelsTheLargestBudgetWithEnoughResults()
    {
        // The same one-dimensional problem, best at x = 0.2: the configurations BOHB starts after its model has
        // results to fit lie nearer the optimum than ASHA's random ones, over eight seeds (a BOHB whose model
        // pushed the wrong way measured 0.45 here, random 0.34).
        auto meanDistance = [](const char* strategy, int seed) {
            const tuning::ExperimentSpec spec
                = specWith(QStringLiteral(R"(, "strategy": "%1", "budget": {"min_resource": 1, "max_resource": 9},
                    "limits": {"max_trials": 60}, "seed": %2)")
                               .arg(QLatin1String(strategy))
                               .arg(seed));
            TuningLoop loop(spec, 1, "value", true);
            double distance = 0.0;
            int counted = 0;
            while (const auto launch = loop.next(0)) {
                const double x = algorithms::asDouble(launch->config.params, "x");
                if (launch->config.resumedFrom == 0 && launch->number > 20) {
                    distance += std::abs(x - 0.2);
                    ++counted;
                }
                const double budget = static_cast<double>(*launch->config.budget);
                (void)loop.onEnded(launch->number, Ending::Finished, (x - 0.2) * (x - 0.2) + 1.0 / budget);
            }
            return distance / counted;
        };
        double bohb = 0.0, asha = 0.0;
        for (int seed = 1; seed <= 8; ++seed) {
            bohb += meanDistance("bohb", seed) / 8;
            asha += meanDistance("asha", seed) / 8;
        }
        QVERIFY2(bohb < 0.95 * asha, qPrintable(QStringLiteral("bohb %1, asha %2").arg(bohb).arg(asha)));
    }

    void multiFidelitySpecsAreChecked_data()
    {
        QTest::addColumn<QByteArray>("extra");
        QTest::addColumn<QByteArray>("error");
        QTest::newRow("budget and hyperband") << QByteArray(R"(, "strategy": "asha", "budget": {"max_resource": 9},
            "hyperband": {"max_resource": 9})")
                                              << QByteArray("give one of them");
        QTest::newRow("brackets without pausing") << QByteArray(R"(, "strategy": "random",
            "hyperband": {"max_resource": 9, "brackets": 2})")
                                                  << QByteArray("applies to asha and bohb");
        QTest::newRow("no budget range") << QByteArray(R"(, "strategy": "bohb", "budget": {"min_resource": 9,
            "max_resource": 9})") << QByteArray("0 < min_resource < max_resource");
    }

    void multiFidelitySpecsAreChecked()
    {
        QFETCH(QByteArray, extra);
        QFETCH(QByteArray, error);
        try {
            (void)specWith(QString::fromUtf8(extra));
            QFAIL("the spec was accepted");
        } catch (const tuning::SpecError& refused) {
            QVERIFY2(std::string(refused.what()).find(error.toStdString()) != std::string::npos, refused.what());
        }
    }
};

QTEST_GUILESS_MAIN(TestTuningLoop)
#include "tst_tuningloop.moc"

// The tuner end to end: real worker threads, a real project file, built-in algorithms on real data and an
// external command (tb_testfunction) as the training script.

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QTest>

#include "../bench/testfunctions.h"
#include "../tools/shellscriptspec.h"
#include "data/reader.h"
#include "jobs/ownership.h"
#include "jobs/resources.h"
#include "jobs/runfollower.h"
#include "jobs/tuner.h"
#include "store/projectstore.h"
#include "teststates.h"
#include "util/isa.h"
#include "util/parallel.h"

using namespace tunebench;

namespace {

/// A Branin experiment run through the external-command path; `extra` adds keys to the spec.
QByteArray braninSpec(const QString& name, const QString& extra, const QString& argvTail = {})
{
    return QStringLiteral(R"js({"name": "%1",
        "algorithm": {"command": ["%2", "branin", "{x1}", "{x2}"%3],
                      "metrics": [{"name": "value", "regex": "value=(\\S+)"}, {"name": "loss", "regex": "loss=(\\S+)"}]},
        "ranges": {"x1": {"type": "continuous", "min": -5, "max": 10}, "x2": {"type": "continuous", "min": 0, "max": 15}},
        "objective": {"metric": "value", "goal": "minimize"}%4})js")
        .arg(name, QStringLiteral(TUNEBENCH_TESTFUNCTION), argvTail, extra)
        .toUtf8();
}

tuning::ExperimentSpec specFrom(const QByteArray& json)
{
    return tuning::parseSpec(json, "test-spec.json", TUNEBENCH_TEST_DATA);
}

jobs::TuningSummary runSpec(store::ProjectStore& project, const tuning::ExperimentSpec& spec, bool resume = false)
{
    jobs::Tuner tuner(spec, project, jobs::makeTrialRunner(spec));
    return tuner.run(resume);
}

} // namespace

class TestTuner : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_project = store::ProjectStore::open(m_dir.filePath(QStringLiteral("%1.tbproj").arg(m_count++)).toStdString());
    }
    void cleanup() { m_project.reset(); }

    void parallelForCallsEachIndexOnce_data()
    {
        QTest::addColumn<int>("count");
        QTest::addColumn<int>("threads");
        for (int count : {0, 1, 7, 1000})
            for (int threads : {1, 2, 4})
                QTest::addRow("%d on %d", count, threads) << count << threads;
    }

    // The forest's trees and the importance surrogate's are grown this way (and run here under TSan).
    void parallelForCallsEachIndexOnce()
    {
        QFETCH(int, count);
        QFETCH(int, threads);
        std::vector<std::atomic<int>> calls(static_cast<std::size_t>(count));
        std::mutex mutex;
        std::set<std::thread::id> callers;
        util::parallelFor(calls.size(), threads, [&](std::size_t i) {
            ++calls[i];
            const std::lock_guard lock(mutex);
            callers.insert(std::this_thread::get_id());
        });
        for (const auto& n : calls)
            QCOMPARE(n.load(), 1);
        QVERIFY(static_cast<int>(callers.size()) <= std::max(1, std::min(threads, count)));
        if (count > 0 && threads == 1)
            QCOMPARE(*callers.begin(), std::this_thread::get_id()); // no thread started for one
    }

    void parallelForRethrowsTheFirstFailureAndStops()
    {
        // One thread: indices in order, none after the one that throws.
        std::vector<std::size_t> called;
        try {
            util::parallelFor(10, 1, [&](std::size_t i) {
                called.push_back(i);
                if (i == 3)
                    throw std::runtime_error("tree 3");
            });
            QFAIL("no exception");
        } catch (const std::runtime_error& error) {
            QCOMPARE(QByteArray(error.what()), QByteArray("tree 3"));
        }
        QCOMPARE(called, (std::vector<std::size_t>{0, 1, 2, 3}));
        // Several: the failure comes out once every thread has joined; the others stopped handing out work.
        std::atomic<int> calls{0};
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, util::parallelFor(100000, 4, [&](std::size_t i) {
                                     ++calls;
                                     if (i == 0)
                                         throw std::runtime_error("first");
                                 }));
        QVERIFY2(calls < 100000, qPrintable(QString::number(calls.load())));
    }

    void memoryIsEstimatedBeforeATrialStarts()
    {
        // The estimate grows with what costs memory (trees, the top of a range, wider data), and a run that
        // cannot fit is refused before anything is recorded.
        const data::Dataset cancer = data::readDataset(TUNEBENCH_TEST_DATA "/breast_cancer.csv");
        auto bytesFor = [&](const QString& algorithm) {
            const tuning::ExperimentSpec spec = specFrom(QStringLiteral(R"js({"name": "m",
                "dataset": {"path": "breast_cancer.csv", "target": "target"}, "algorithms": [%1],
                "objective": {"metric": "accuracy"}})js")
                                                             .arg(algorithm)
                                                             .toUtf8());
            return jobs::estimateTrialBytes(spec, cancer, 30, data::Task::Binary);
        };
        const std::uint64_t knn = bytesFor(QStringLiteral(R"({"algorithm": "knn"})"));
        const std::uint64_t small = bytesFor(QStringLiteral(R"({"algorithm": "forest", "fixed": {"trees": 10}})"));
        const std::uint64_t large = bytesFor(QStringLiteral(R"({"algorithm": "forest", "fixed": {"trees": 1000}})"));
        const std::uint64_t ranged = bytesFor(QStringLiteral(
            R"({"algorithm": "forest", "ranges": {"trees": {"type": "integer", "min": 10, "max": 1000}}})"));
        // 569 rows x 30 features: the data encoded and k-NN's copy of it alone are 273 kB.
        QVERIFY(knn > 2 * 569 * 30 * 8 && knn < 4'000'000);
        QVERIFY(small < large);
        QCOMPARE(ranged, large); // a range counts at its most expensive
        const std::uint64_t perTree = (large - small) / 990;
        QVERIFY2(perTree > 2'000 && perTree < 100'000, qPrintable(QString::number(perTree)));

        // A column of 1,500 levels (each in four rows, so categorical rather than free text) is 1,500 one-hot
        // features, or one of level codes for the algorithms that take them (and only for those).
        std::string csv = "zip,y\n";
        for (int i = 0; i < 6000; ++i)
            csv += "Z" + std::to_string(i % 1500) + "," + std::to_string(i % 2) + "\n";
        const data::Dataset wide = data::readDatasetFromMemory(csv, "wide.csv");
        auto wideBytes = [&](const QString& algorithm, const QString& categorical) {
            const tuning::ExperimentSpec spec = specFrom(QStringLiteral(R"js({"name": "w",
                "dataset": {"path": "breast_cancer.csv", "target": "target"}, "algorithm": "%1",
                "preprocessing": {"categorical": "%2"}, "objective": {"metric": "accuracy"}})js")
                                                             .arg(algorithm, categorical)
                                                             .toUtf8());
            return jobs::estimateTrialBytes(spec, wide, 1, data::Task::Binary);
        };
        QVERIFY(wideBytes(QStringLiteral("xgboost"), QStringLiteral("codes")) * 10
                < wideBytes(QStringLiteral("xgboost"), QStringLiteral("onehot")));
        QCOMPARE(wideBytes(QStringLiteral("knn"), QStringLiteral("codes")),
                 wideBytes(QStringLiteral("knn"), QStringLiteral("onehot")));

        QCOMPARE(jobs::checkMemory(large, 2, std::nullopt), std::string());
        QCOMPARE(jobs::checkMemory(large, 2, 100 * large), std::string());
        const std::string warning = jobs::checkMemory(large, 2, large * 2 + large / 4);
        QVERIFY2(warning.find("close to the limit") != std::string::npos, warning.c_str());
        try {
            (void)jobs::checkMemory(large, 4, large * 3);
            QFAIL("four trials fitted in the memory of three");
        } catch (const jobs::ResourceError& error) {
            QVERIFY2(QString::fromUtf8(error.what()).contains(QLatin1String("4 trials at a time need about")),
                     error.what());
        }

        // End to end: a budget (TUNEBENCH_MEMORY_LIMIT) that holds the 120 kB file but not a forest's trial
        // refuses the run and records nothing.
        struct Budget
        {
            Budget() { qputenv("TUNEBENCH_MEMORY_LIMIT", "500k"); }
            ~Budget() { qunsetenv("TUNEBENCH_MEMORY_LIMIT"); }
        } budget;
        const tuning::ExperimentSpec spec = specFrom(R"js({"name": "too-big",
            "dataset": {"path": "breast_cancer.csv", "target": "target"}, "algorithm": "forest",
            "objective": {"metric": "accuracy"}, "limits": {"max_trials": 2}})js");
        QVERIFY_THROWS_EXCEPTION(jobs::ResourceError, runSpec(*m_project, spec));
        QVERIFY(!m_project->experimentByName("too-big"));
    }

    void ashaContinuesTheBuiltinMlpWhereItPaused()
    {
        // ASHA over the mlp's learning rate and width, epochs 1, 3, 9, two trials at a time: a promoted trial's
        // fits continue from their paused state, so its recorded loss curve is the one a fit that never paused draws
        // (the same configuration cross-validated at its final budget in one go), point for point.
        const tuning::ExperimentSpec spec = specFrom(QStringLiteral(R"js({"name": "asha",
            "dataset": "%1/breast_cancer.csv", "validation": {"folds": 3},
            "algorithm": "mlp", "fixed": {"n_iter_no_change": 0, "batch_size": 64},
            "ranges": {"learning_rate": {"type": "continuous", "min": 0.001, "max": 0.1, "scaling": "log"},
                       "units": {"type": "integer", "min": 4, "max": 32}},
            "objective": {"metric": "accuracy"}, "strategy": "asha",
            "budget": {"min_resource": 1, "max_resource": 9}, "limits": {"max_trials": 12, "max_parallel": 2},
            "seed": 5})js")
                                                         .arg(QStringLiteral(TUNEBENCH_TEST_DATA))
                                                         .toUtf8());
        const jobs::TuningSummary summary = runSpec(*m_project, spec);
        QCOMPARE(summary.trials, 12);
        const auto experiment = m_project->experimentByName("asha");
        const auto runner = jobs::makeBuiltinTrialRunner(spec);
        std::int64_t used = 0;
        int continued = 0;
        for (const store::TrialRecord& record : m_project->trials(experiment->id)) {
            const jobs::Trial trial = jobs::trialFromRecord(record, &spec);
            const std::int64_t budget = algorithms::asInt(trial.config.params, "epochs");
            used += budget;
            QCOMPARE(trial.state, budget == 9 ? TrialState::Finished : TrialState::Paused);
            QVERIFY(trial.objective);
            const std::vector<store::MetricPoint> rungs = m_project->metricSeries(record.id, "budget/accuracy");
            QVERIFY(!rungs.empty());
            QCOMPARE(rungs.back().step, budget);
            QCOMPARE(rungs.back().value, *trial.objective);
            if (budget == 1)
                continue;
            ++continued;
            std::map<int, double> uninterrupted;
            const evaluation::EvaluationResult again = runner->evaluate(
                trial.config, algorithms::TrainingContext({}, [&](int step, const std::string& metric, double value) {
                    if (metric == "fold2/train_loss")
                        uninterrupted[step] = value;
                }));
            std::map<int, double> recorded;
            for (const store::MetricPoint& point : m_project->metricSeries(record.id, "fold2/train_loss"))
                recorded[static_cast<int>(point.step)] = point.value;
            QCOMPARE(static_cast<std::int64_t>(recorded.size()), budget); // epochs 1..budget, each once
            QCOMPARE(recorded, uninterrupted);
            QCOMPARE(again.summary.at("accuracy").mean, *trial.objective);
        }
        QVERIFY(continued >= 4);
        QCOMPARE(summary.budgetUsed, std::optional<std::int64_t>(used));
        QCOMPARE(algorithms::asInt(summary.bestParams, "epochs"),
                 algorithms::asInt(
                     jobs::trialFromRecord(
                         m_project->trials(experiment->id).at(static_cast<std::size_t>(*summary.bestTrial - 1)), &spec)
                         .config.params,
                     "epochs"));
    }

    void builtinExperimentRecordsEveryTrial()
    {
        const tuning::ExperimentSpec spec = specFrom(R"({"name": "bc",
            "dataset": {"path": "breast_cancer.csv", "target": "target"},
            "validation": {"folds": 3},
            "algorithm": "logistic",
            "ranges": {"C": {"type": "continuous", "min": 0.001, "max": 100, "scaling": "log"}},
            "objective": {"metric": "auc"}, "strategy": "random",
            "limits": {"max_trials": 6, "max_parallel": 2}, "seed": 1})");
        const jobs::TuningSummary summary = runSpec(*m_project, spec);
        QCOMPARE(summary.trials, 6);
        QCOMPARE(summary.stoppedBecause, std::string("max_trials"));
        const auto experiment = m_project->experimentByName("bc");
        QVERIFY(experiment && experiment->status == ExperimentState::Finished
                && experiment->stoppedBecause == "max_trials");
        const std::vector<store::TrialRecord> trials = m_project->trials(experiment->id);
        QCOMPARE(trials.size(), std::size_t(6));
        double best = 0.0;
        for (const store::TrialRecord& trial : trials) {
            QCOMPARE(trial.status, TrialState::Finished);
            QVERIFY(trial.objective && *trial.objective > 0.9 && *trial.objective <= 1.0);
            QVERIFY(trial.paramsJson.find("\"C\"") != std::string::npos);
            QVERIFY(!m_project->metricSeries(trial.id, "fold1/train_loss").empty());
            best = std::max(best, *trial.objective);
        }
        QCOMPARE(*summary.bestObjective, best);
    }

    void rareClassIsRecordedAsAWarning()
    {
        // Glass in 10 folds: one tests no tableware. The experiment runs, and says so once, before its trials,
        // as a warning event the experiment view shows (and as a progress message the CLI prints).
        const tuning::ExperimentSpec spec = specFrom(R"({"name": "glass",
            "dataset": {"path": "glass.arff", "target": "Type"}, "validation": {"folds": 10},
            "algorithm": "tree", "ranges": {"max_depth": {"type": "integer", "min": 2, "max": 8}},
            "objective": {"metric": "accuracy"}, "strategy": "random", "limits": {"max_trials": 2}})");
        std::vector<std::string> messages;
        std::mutex messagesMutex;
        jobs::Tuner tuner(spec, *m_project, jobs::makeTrialRunner(spec));
        tuner.setProgressCallback([&](const jobs::TuningProgress& progress) {
            const std::lock_guard lock(messagesMutex);
            messages.push_back(progress.lastMessage);
        });
        QCOMPARE(tuner.run().trials, 2);
        const std::string expected
            = "class 'tableware' has 9 rows: 1 of 10 folds test none of it, and its figures rest on the others";
        std::vector<std::string> warnings;
        for (const store::EventRecord& event : m_project->events(m_project->experimentByName("glass")->id)) {
            if (event.kind == "warning")
                warnings.push_back(event.message);
        }
        QCOMPARE(warnings, std::vector<std::string>{expected});
        QVERIFY(std::find(messages.begin(), messages.end(), "warning: " + expected) != messages.end());
    }

    void externalCommandTrialsReadTheirMetrics()
    {
        const tuning::ExperimentSpec spec
            = specFrom(braninSpec(QStringLiteral("branin"), QStringLiteral(R"(, "strategy": "sobol",
                "limits": {"max_trials": 8, "max_parallel": 2})")));
        const jobs::TuningSummary summary = runSpec(*m_project, spec);
        QCOMPARE(summary.trials, 8);
        const auto experiment = m_project->experimentByName("branin");
        for (const store::TrialRecord& trial : m_project->trials(experiment->id)) {
            QCOMPARE(trial.status, TrialState::Finished);
            const QJsonObject params = QJsonDocument::fromJson(QByteArray::fromStdString(trial.paramsJson)).object();
            const double expected = bench::branin(params.value(QStringLiteral("x1")).toDouble(),
                                                  params.value(QStringLiteral("x2")).toDouble());
            QVERIFY(std::abs(*trial.objective - expected) < 1e-9 * std::max(1.0, expected));
            QCOMPARE(m_project->metricSeries(trial.id, "value").size(), std::size_t(1));
        }
        const std::vector<store::ArtifactRecord> artifacts = m_project->artifacts(experiment->id);
        QCOMPARE(artifacts.size(), std::size_t(8));
        QFile log(QString::fromStdString(m_project->artifactsDirectory() + "/" + artifacts.front().path));
        QVERIFY(log.open(QIODevice::ReadOnly));
        QVERIFY(log.readAll().startsWith("value="));
    }

    void aFailingTrialDoesNotStopTheExperiment()
    {
        tuning::ExperimentSpec spec = specFrom(QStringLiteral(R"js({"name": "failing",
            "algorithm": {"command": ["%1", "fail", "{x}"], "metrics": [{"name": "value", "regex": "value=(\\S+)"}]},
            "ranges": {"x": {"type": "continuous", "min": 0, "max": 1}},
            "strategy": "random", "limits": {"max_trials": 3}})js")
                                                   .arg(QStringLiteral(TUNEBENCH_TESTFUNCTION))
                                                   .toUtf8());
        const jobs::TuningSummary summary = runSpec(*m_project, spec);
        QCOMPARE(summary.trials, 3);
        QVERIFY(!summary.bestTrial);
        for (const store::TrialRecord& trial : m_project->trials(m_project->experimentByName("failing")->id)) {
            QCOMPARE(trial.status, TrialState::Failed);
            QVERIFY2(trial.error.find("exited with code 3; last output: something went wrong") != std::string::npos,
                     trial.error.c_str());
        }
        // What a failed command printed is kept too: it says why.
        const auto artifacts = m_project->artifacts(m_project->experimentByName("failing")->id);
        QCOMPARE(artifacts.size(), std::size_t{3});
        QFile log(QString::fromStdString(m_project->artifactsDirectory() + "/" + artifacts.front().path));
        QVERIFY(log.open(QIODevice::ReadOnly));
        QCOMPARE(log.readAll(), QByteArray("something went wrong\n"));
    }

    void hyperbandStopsTrialsAtRungs()
    {
        const tuning::ExperimentSpec spec = specFrom(braninSpec(
            QStringLiteral("hb"),
            QStringLiteral(R"(, "strategy": "hyperband", "hyperband": {"resource": "steps", "min_resource": 1,
                "max_resource": 9, "eta": 3}, "limits": {"max_trials": 16}, "seed": 2)"),
            // 20 ms a step, as a real training step takes time: a script that prints all nine steps at once
            // finishes before a decision to stop it can land, and is then rightly kept as finished.
            QStringLiteral(R"(, "--steps", "{steps}", "--sleep-ms", "20")")));
        // Early stopping reads the objective's own series; make "loss" the intermediate one by objective.
        tuning::ExperimentSpec lossSpec = spec;
        lossSpec.metric = "loss";
        const jobs::TuningSummary summary = runSpec(*m_project, lossSpec);
        QCOMPARE(summary.trials, 16);
        int stopped = 0;
        for (const store::TrialRecord& trial : m_project->trials(m_project->experimentByName("hb")->id)) {
            if (trial.status == TrialState::Stopped) {
                ++stopped;
                QVERIFY(trial.stoppedAtStep && (*trial.stoppedAtStep == 1 || *trial.stoppedAtStep == 3));
                QVERIFY2(trial.error.find("hyperband") != std::string::npos, trial.error.c_str());
                QVERIFY(!trial.objective);
            } else {
                QCOMPARE(trial.status, TrialState::Finished);
                QCOMPARE(m_project->metricSeries(trial.id, "loss").size(), std::size_t(9));
            }
        }
        QVERIFY2(stopped >= 3, qPrintable(QString::number(stopped)));
    }

    void aTrialPastItsTimeLimitFails()
    {
        const tuning::ExperimentSpec spec = specFrom(
            braninSpec(QStringLiteral("slow"), QStringLiteral(R"(, "strategy": "random", "limits": {"max_trials": 2,
                "trial_timeout_seconds": 0.3})"),
                       QStringLiteral(R"(, "--sleep-ms", "5000")")));
        QElapsedTimer timer;
        timer.start();
        (void)runSpec(*m_project, spec);
        QVERIFY(timer.elapsed() < 4000);
        for (const store::TrialRecord& trial : m_project->trials(m_project->experimentByName("slow")->id)) {
            QCOMPARE(trial.status, TrialState::Failed);
            QVERIFY2(trial.error.find("timed out") != std::string::npos, trial.error.c_str());
        }
    }

    void targetValueEndsTheExperiment()
    {
        const tuning::ExperimentSpec spec = specFrom(braninSpec(
            QStringLiteral("target"), QStringLiteral(R"(, "strategy": "bayesian", "limits": {"max_trials": 60},
                "completion": {"target_value": 2.0}, "seed": 3)")));
        const jobs::TuningSummary summary = runSpec(*m_project, spec);
        QCOMPARE(summary.stoppedBecause, std::string("target_reached"));
        QVERIFY(*summary.bestObjective <= 2.0);
        QVERIFY(summary.trials < 60);
    }

    void resumeRerunsInterruptedTrialsOnly()
    {
        tuning::ExperimentSpec spec
            = specFrom(braninSpec(QStringLiteral("resumable"),
                                  QStringLiteral(R"(, "strategy": "tpe", "limits": {"max_trials": 4}, "seed": 5)")));
        (void)runSpec(*m_project, spec);
        const std::int64_t experimentId = m_project->experimentByName("resumable")->id;
        std::vector<store::TrialRecord> before = m_project->trials(experimentId);
        QCOMPARE(before.size(), std::size_t(4));
        // As a kill would leave it: trial 3 running, its result not written.
        store::TrialRecord interrupted = before[2];
        interrupted.status = TrialState::Running;
        interrupted.objective.reset();
        interrupted.finishedAt.clear();
        m_project->updateTrial(interrupted);

        spec.completion.maxTrials = 7;
        const jobs::TuningSummary summary = runSpec(*m_project, spec, true);
        QCOMPARE(summary.trials, 7);
        const std::vector<store::TrialRecord> after = m_project->trials(experimentId);
        QCOMPARE(after.size(), std::size_t(7));
        for (std::size_t i = 0; i < after.size(); ++i) {
            QCOMPARE(after[i].number, int(i) + 1);
            QCOMPARE(after[i].status, TrialState::Finished);
        }
        for (std::size_t i = 0; i < 4; ++i) {
            QCOMPARE(after[i].paramsJson, before[i].paramsJson); // the interrupted one ran with its own parameters
            QCOMPARE(*after[i].objective, *before[i].objective);
            if (i != 2)
                QCOMPARE(after[i].finishedAt, before[i].finishedAt); // finished trials were not run again
        }
        QCOMPARE(m_project->metricSeries(after[2].id, "value").size(), std::size_t(1));
    }

    void cancelStopsTrialsInFlight()
    {
        const tuning::ExperimentSpec spec = specFrom(braninSpec(
            QStringLiteral("cancelled"), QStringLiteral(R"(, "strategy": "random", "limits": {"max_trials": 50,
                "max_parallel": 2})"),
            QStringLiteral(R"(, "--sleep-ms", "10000")")));
        jobs::Tuner tuner(spec, *m_project, jobs::makeTrialRunner(spec));
        std::thread canceller([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(300));
            tuner.cancel();
        });
        QElapsedTimer timer;
        timer.start();
        const jobs::TuningSummary summary = tuner.run();
        canceller.join();
        QVERIFY(timer.elapsed() < 5000);
        QCOMPARE(summary.stoppedBecause, std::string("cancelled"));
        const auto experiment = m_project->experimentByName("cancelled");
        QCOMPARE(experiment->status, ExperimentState::Stopped);
        for (const store::TrialRecord& trial : m_project->trials(experiment->id))
            QCOMPARE(trial.status, TrialState::Stopped);
    }

    void cancelStopsXgboostMidRound()
    {
        // xgboost's rounds run on a helper thread that a cancelled fit stops waiting for: the run ends, every
        // trial is recorded as stopped with the curve points it had (tst_algorithms checks that nothing is
        // reported after the fit has given up).
        const tuning::ExperimentSpec spec = specFrom(R"({"name": "xgb-cancelled",
            "dataset": {"path": "breast_cancer.csv", "target": "target"}, "validation": {"folds": 3},
            "algorithm": "xgboost", "fixed": {"rounds": 10000, "eta": 0.01},
            "ranges": {"max_depth": {"type": "integer", "min": 2, "max": 8}},
            "objective": {"metric": "auc"}, "strategy": "random", "limits": {"max_trials": 4, "max_parallel": 2}})");
        jobs::Tuner tuner(spec, *m_project, jobs::makeTrialRunner(spec));
        std::thread canceller([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(500));
            tuner.cancel();
        });
        const jobs::TuningSummary summary = tuner.run();
        canceller.join();
        QCOMPARE(summary.stoppedBecause, std::string("cancelled"));
        const auto experiment = m_project->experimentByName("xgb-cancelled");
        QCOMPARE(experiment->status, ExperimentState::Stopped);
        const std::vector<store::TrialRecord> trials = m_project->trials(experiment->id);
        QCOMPARE(trials.size(), std::size_t(2));
        std::size_t points = 0;
        for (const store::TrialRecord& trial : trials) {
            QCOMPARE(trial.status, TrialState::Stopped);
            points += m_project->metricSeries(trial.id).size();
        }
        QVERIFY(points > 0); // curves were live before the cancel
    }

    void warmStartSeesEarlierTrials()
    {
        (void)runSpec(*m_project,
                      specFrom(braninSpec(QStringLiteral("first"),
                                          QStringLiteral(R"(, "strategy": "sobol", "limits": {"max_trials": 12})"))));
        const tuning::ExperimentSpec second = specFrom(braninSpec(
            QStringLiteral("second"), QStringLiteral(R"(, "strategy": "bayesian", "limits": {"max_trials": 1},
                "warm_start": ["first"])")));
        // With 12 earlier trials the Bayesian strategy skips its space-filling start: trial 1 already exploits,
        // landing far better than the median of the earlier ones.
        const jobs::TuningSummary summary = runSpec(*m_project, second);
        QCOMPARE(summary.trials, 1);
        std::vector<double> earlier;
        for (const store::TrialRecord& trial : m_project->trials(m_project->experimentByName("first")->id))
            earlier.push_back(*trial.objective);
        std::sort(earlier.begin(), earlier.end());
        QVERIFY2(*summary.bestObjective < earlier[6], qPrintable(QString::number(*summary.bestObjective)));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 (void)runSpec(*m_project,
                                               specFrom(braninSpec(QStringLiteral("third"),
                                                                   QStringLiteral(R"(, "warm_start": ["nope"])")))));
    }

    void warmStartAndResumeCheckTheData()
    {
        // Two copies of a real file: runs record them (prepareRun), so the project knows each one's content.
        const QString flowers = m_dir.filePath(QStringLiteral("flowers.csv"));
        const QString other = m_dir.filePath(QStringLiteral("other-flowers.csv"));
        QFile::remove(flowers);
        QFile::remove(other);
        QVERIFY(QFile::copy(QStringLiteral(TUNEBENCH_TEST_DATA "/iris.csv"), flowers));
        QVERIFY(QFile::copy(QStringLiteral(TUNEBENCH_TEST_DATA "/iris.csv"), other));
        auto knn = [](const QString& name, const QString& file, const QString& extra) {
            return specFrom(QStringLiteral(R"js({"name": "%1", "dataset": {"path": "%2", "target": "target"},
                "algorithm": "knn", "ranges": {"k": {"type": "integer", "min": 1, "max": 15}},
                "objective": {"metric": "accuracy"}, "strategy": "random", "limits": {"max_trials": 3}%3})js")
                                .arg(name, file, extra)
                                .toUtf8());
        };
        auto run = [&](const tuning::ExperimentSpec& spec, bool resume = false) {
            jobs::PreparedRun prepared = resume ? jobs::PreparedRun{jobs::makeTrialRunner(spec), std::nullopt}
                                                : jobs::prepareRun(spec, *m_project);
            jobs::Tuner tuner(spec, *m_project, prepared.runner, prepared.datasetId);
            return tuner.run(resume);
        };
        auto failure = [&](const tuning::ExperimentSpec& spec, bool resume = false) -> QString {
            try {
                (void)run(spec, resume);
            } catch (const std::invalid_argument& error) {
                return QString::fromUtf8(error.what());
            }
            return {};
        };
        auto warnings = [&](const std::string& name) {
            QStringList found;
            for (const store::EventRecord& event : m_project->events(m_project->experimentByName(name)->id)) {
                if (event.kind == "warning")
                    found << QString::fromStdString(event.message);
            }
            return found.join(QLatin1Char('\n'));
        };
        QCOMPARE(run(knn(QStringLiteral("first"), flowers, {})).trials, 3);

        // Another metric: refused, naming it, before anything is recorded; accepted as transfer learning, and said.
        const QString otherMetric = QStringLiteral(R"(, "objective": {"metric": "balanced_accuracy"})");
        const QString refused = failure(
            knn(QStringLiteral("second"), flowers, otherMetric + QStringLiteral(R"(, "warm_start": ["first"])")));
        QVERIFY2(refused.contains(QLatin1String("metric: accuracy there, balanced_accuracy here")),
                 qPrintable(refused));
        QVERIFY2(refused.contains(QLatin1String("transfer_learning")), qPrintable(refused));
        QVERIFY(!m_project->experimentByName("second"));
        QCOMPARE(
            run(knn(QStringLiteral("second"), flowers,
                    otherMetric
                        + QStringLiteral(R"(, "warm_start": {"experiments": ["first"], "type": "transfer_learning"})")))
                .trials,
            3);
        QVERIFY2(warnings("second").contains(
                     QLatin1String("warm start from 'first' (transfer learning): metric: accuracy there, "
                                   "balanced_accuracy here")),
                 qPrintable(warnings("second")));

        // The same data and objective with a wider range: accepted, the range recorded as a difference.
        QCOMPARE(run(knn(QStringLiteral("third"), flowers,
                         QStringLiteral(R"(, "ranges": {"k": {"type": "integer", "min": 1, "max": 30}},
                             "warm_start": ["first"])")))
                     .trials,
                 3);
        QVERIFY2(warnings("third").contains(QLatin1String("search space: k integer [1, 15] log there, "
                                                          "k integer [1, 30] log here")),
                 qPrintable(warnings("third")));

        // Other data (the copy, changed by one row): refused by content, both hashes named.
        QFile changed(other);
        QVERIFY(changed.open(QIODevice::Append));
        changed.write("5.9,3.0,5.1,1.8,2\n");
        changed.close();
        const QString otherData
            = failure(knn(QStringLiteral("fourth"), other, QStringLiteral(R"(, "warm_start": ["first"])")));
        QVERIFY2(otherData.contains(QLatin1String("dataset: sha256 ")), qPrintable(otherData));

        // A resume after its file changed is refused with both hashes; the file as it was resumes.
        tuning::ExperimentSpec resumable = knn(QStringLiteral("resumable"), other, {});
        (void)run(resumable);
        const QByteArray original = [&] {
            QFile file(other);
            return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
        }();
        QVERIFY(changed.open(QIODevice::Append));
        changed.write("6.0,3.0,5.0,1.8,2\n");
        changed.close();
        resumable.completion.maxTrials = 5;
        const QString stale = failure(resumable, true);
        QVERIFY2(stale.contains(QLatin1String("changed since it ran")) && stale.count(QLatin1String("sha256")) == 1
                     && stale.contains(QLatin1String(" then, ")),
                 qPrintable(stale));
        QVERIFY(changed.open(QIODevice::WriteOnly | QIODevice::Truncate));
        changed.write(original);
        changed.close();
        QCOMPARE(run(resumable, true).trials, 5);
    }

    void updatesReportOnlyWhatIsCommitted()
    {
        const tuning::ExperimentSpec spec = specFrom(
            braninSpec(QStringLiteral("updates"),
                       QStringLiteral(R"(, "strategy": "random", "limits": {"max_trials": 5, "max_parallel": 2})"),
                       QStringLiteral(R"(, "--steps", "8")")));
        jobs::Tuner tuner(spec, *m_project, jobs::makeTrialRunner(spec));
        // A second connection sees, at each update, every trial and point the update reports.
        const auto reader = store::ProjectStore::open(m_project->path(), store::ProjectStore::Mode::ReadOnly);
        std::map<int, TrialState> lastStatus;
        std::map<int, int> points;
        int updates = 0;
        bool allCommitted = true;
        tuner.setUpdateCallback([&](jobs::TuningUpdate update) {
            ++updates;
            const auto experiment = reader->experimentByName("updates");
            if (!experiment || experiment->id != update.experimentId) {
                allCommitted = false;
                return;
            }
            const std::vector<store::TrialRecord> stored = reader->trials(update.experimentId);
            for (const jobs::Trial& trial : update.trials) {
                const auto found = std::find_if(stored.begin(), stored.end(),
                                                [&](const auto& t) { return t.number == trial.number; });
                allCommitted = allCommitted && found != stored.end()
                    && (found->status == trial.state || found->status != TrialState::Running);
                lastStatus[trial.number] = trial.state;
            }
            for (const auto& [number, point] : update.points)
                ++points[number];
        });
        const jobs::TuningSummary summary = tuner.run();
        QCOMPARE(summary.trials, 5);
        QVERIFY(updates >= 2);
        QVERIFY(allCommitted);
        QCOMPARE(lastStatus.size(), std::size_t{5});
        for (const auto& [number, status] : lastStatus)
            QCOMPARE(status, TrialState::Finished);
        // Every point reached the callback exactly once: 8 loss + 1 value per trial.
        for (const store::TrialRecord& trial : m_project->trials(m_project->experimentByName("updates")->id))
            QCOMPARE(static_cast<std::size_t>(points[trial.number]), m_project->metricSeries(trial.id).size());
        // The run left a manifest: versions and host, for the record.
        const auto events = m_project->events(m_project->experimentByName("updates")->id);
        const auto manifest
            = std::find_if(events.begin(), events.end(), [](const auto& e) { return e.kind == "manifest"; });
        QVERIFY(manifest != events.end());
        const QJsonObject fields = QJsonDocument::fromJson(QByteArray::fromStdString(manifest->message)).object();
        QCOMPARE(fields.value(QLatin1String("tunebench")).toString(), QStringLiteral(TUNEBENCH_VERSION));
        QVERIFY(fields.value(QLatin1String("xgboost")).toString().startsWith(QLatin1String("1.")));
        QVERIFY(!fields.value(QLatin1String("host")).toString().isEmpty());
        QCOMPARE(fields.value(QLatin1String("code")).toString(), QString::fromLatin1(util::instructionSetLevel()));
    }

    void oneTrialCanBeStoppedOrRestarted()
    {
        const tuning::ExperimentSpec spec = specFrom(
            braninSpec(QStringLiteral("pertrial"),
                       QStringLiteral(R"(, "strategy": "random", "limits": {"max_trials": 3, "max_parallel": 2})"),
                       QStringLiteral(R"(, "--steps", "30", "--sleep-ms", "20")")));
        jobs::Tuner tuner(spec, *m_project, jobs::makeTrialRunner(spec));
        std::atomic<int> requested{0};
        std::vector<int> restarted;
        tuner.setUpdateCallback([&](jobs::TuningUpdate update) {
            restarted.insert(restarted.end(), update.restarted.begin(), update.restarted.end());
            for (const auto& [number, point] : update.points) {
                // Once trial 1 is a third of the way, restart it; stop trial 2 as soon as it reports.
                if (number == 1 && point.name == "loss" && point.step == 10 && (requested.fetch_or(1) & 1) == 0)
                    tuner.restartTrial(1);
                if (number == 2 && point.name == "loss" && point.step == 3 && (requested.fetch_or(2) & 2) == 0)
                    tuner.stopTrial(2);
            }
        });
        const jobs::TuningSummary summary = tuner.run();
        QCOMPARE(summary.trials, 3);
        QCOMPARE(restarted, std::vector<int>{1});
        const auto trials = m_project->trials(m_project->experimentByName("pertrial")->id);
        QCOMPARE(trials[0].status, TrialState::Finished);
        QCOMPARE(m_project->metricSeries(trials[0].id, "loss").size(), std::size_t{30}); // the second run's only
        QCOMPARE(trials[1].status, TrialState::Stopped);
        QCOMPARE(QString::fromStdString(trials[1].error), QStringLiteral("stopped by the user"));
        QCOMPARE(trials[2].status, TrialState::Finished);
    }

    void ignoredColumnsAndTypesReachTheTrials()
    {
        // Penguins: ignoring every measurement but one, and reading "year" as categorical, still trains.
        const tuning::ExperimentSpec spec = specFrom(R"({"name": "ignore",
            "dataset": {"path": "penguins.csv", "target": "species",
                        "ignore": ["bill_length_mm", "bill_depth_mm", "flipper_length_mm"],
                        "types": {"year": "categorical"}},
            "validation": {"method": "kfold", "folds": 3},
            "algorithm": "tree", "ranges": {"max_depth": {"type": "integer", "min": 1, "max": 4}},
            "objective": {"metric": "accuracy"}, "strategy": "grid", "seed": 1})");
        QCOMPARE(spec.ignoredColumns.size(), std::size_t{3});
        QVERIFY(spec.columnTypes.at("year") == data::ColumnType::Categorical);
        const auto runner = jobs::makeTrialRunner(spec);
        const jobs::TuningSummary summary = runSpec(*m_project, spec);
        QCOMPARE(summary.trials, 4);
        // With body mass, island, sex and year only, accuracy stays well below the ~0.95 all features give.
        QVERIFY2(*summary.bestObjective < 0.9, qPrintable(QString::number(*summary.bestObjective)));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, (void)jobs::makeTrialRunner(specFrom(R"({"name": "x",
            "dataset": {"path": "penguins.csv", "target": "species", "ignore": ["no_such_column"]},
            "algorithm": "tree", "objective": {"metric": "accuracy"}})")));
        QVERIFY_THROWS_EXCEPTION(tuning::SpecError, (void)specFrom(R"({"name": "x",
            "dataset": {"path": "penguins.csv", "target": "species", "ignore": ["species"]},
            "algorithm": "tree", "objective": {"metric": "accuracy"}})"));
    }

    void preprocessingReachesTheTrials()
    {
        // Baskets: a department is "t" where bought and blank where not. Imputed, every column is "t" and a
        // model can only guess (AUC 0.5); with an indicator per column the blanks carry the baskets.
        auto spec = [](const QString& preprocessing) {
            return specFrom(QStringLiteral(R"({"name": "baskets%2",
                "dataset": {"path": "supermarket_400.arff", "target": "total"},
                "validation": {"method": "kfold", "folds": 3}, %1
                "algorithm": "logistic", "ranges": {"C": [0.1, 1.0]},
                "objective": {"metric": "auc"}, "strategy": "grid", "seed": 1})")
                                .arg(preprocessing, QString::number(qHash(preprocessing)))
                                .toUtf8());
        };
        const tuning::ExperimentSpec imputed = spec({});
        QVERIFY(!imputed.preprocess.missingIndicators && imputed.preprocess.standardize);
        const jobs::TuningSummary guessing = runSpec(*m_project, imputed);
        QCOMPARE(guessing.trials, 2);
        QCOMPARE(*guessing.bestObjective, 0.5);
        const tuning::ExperimentSpec indicated
            = spec(QStringLiteral(R"("preprocessing": {"missing_indicators": true, "impute": "median"},)"));
        QVERIFY(indicated.preprocess.missingIndicators && indicated.preprocess.medianImpute);
        const jobs::TuningSummary learning = runSpec(*m_project, indicated);
        QCOMPARE(learning.trials, 2);
        QVERIFY2(*learning.bestObjective > 0.75, qPrintable(QString::number(*learning.bestObjective)));
        // The saved model keeps its indicators.
        const algorithms::ModelFile model
            = jobs::makeBuiltinTrialRunner(indicated)->trainModel({"logistic", {{"C", 1.0}}}, {});
        QCOMPARE(model.preprocessor.featureCount(), std::size_t{60});
    }

    void commandsGetArgvAMinimalEnvironmentAndCappedOutput()
    {
        // A hostile value reaches the program as one argument, never a shell; the session's environment stays
        // behind (a token in it is not passed on), the spec's own variables are passed; output is capped.
        QTemporaryDir work;
        qputenv("TUNEBENCH_TEST_SECRET_TOKEN", "hunter2");
        const QString script = QStringLiteral(
            "echo \"arg=[$1]\"; env; echo value=1; i=0; while [ $i -lt 2000 ]; do echo padding-padding-padding; "
            "i=$((i+1)); done; echo last-line");
        const QJsonObject json{
            {QStringLiteral("name"), QStringLiteral("hostile")},
            {QStringLiteral("algorithm"),
             QJsonObject{
                 {QStringLiteral("command"),
                  QJsonArray{QStringLiteral("/bin/sh"), QStringLiteral("-c"), script, QStringLiteral("sh"),
                             QStringLiteral("{how}")}},
                 {QStringLiteral("metrics"),
                  QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("value")},
                                         {QStringLiteral("regex"), QStringLiteral("value=(\\S+)")}}}},
                 {QStringLiteral("working_directory"), work.path()},
                 {QStringLiteral("environment"), QJsonObject{{QStringLiteral("MY_SETTING"), QStringLiteral("42")}}},
                 {QStringLiteral("output_limit_bytes"), 4000}}},
            {QStringLiteral("ranges"),
             QJsonObject{{QStringLiteral("how"),
                          QJsonObject{{QStringLiteral("type"), QStringLiteral("categorical")},
                                      {QStringLiteral("values"),
                                       QJsonArray{QStringLiteral("; touch pwned $(touch pwned2)")}}}}}},
            {QStringLiteral("objective"), QJsonObject{{QStringLiteral("metric"), QStringLiteral("value")}}},
            {QStringLiteral("limits"), QJsonObject{{QStringLiteral("max_trials"), 1}}}};
        const tuning::ExperimentSpec spec = specFrom(QJsonDocument(json).toJson());
        const auto runner = jobs::makeTrialRunner(spec);
        const jobs::TrialResult result
            = runner->run(spec.configFor(spec.searchSpace().decode(std::vector<double>{0.0})), 1, {});
        qunsetenv("TUNEBENCH_TEST_SECRET_TOKEN");
        QCOMPARE(result.objective, 1.0);
        const QString output = QString::fromStdString(result.output);
        QVERIFY2(output.contains(QLatin1String("arg=[; touch pwned $(touch pwned2)]")), qPrintable(output.left(300)));
        QVERIFY(!QFile::exists(work.filePath(QStringLiteral("pwned")))
                && !QFile::exists(work.filePath(QStringLiteral("pwned2"))));
        QVERIFY(output.contains(QLatin1String("MY_SETTING=42")));
        QVERIFY(output.contains(QLatin1String("PATH=")));
        QVERIFY(!output.contains(QLatin1String("hunter2")));
        // 2,000 lines of padding (48 kB) kept as the first and last 2 kB, with what was left out said.
        QVERIFY2(result.output.size() < 4200, qPrintable(QString::number(result.output.size())));
        QVERIFY(output.contains(QLatin1String("bytes not kept")));
        QVERIFY(output.trimmed().endsWith(QLatin1String("last-line")));
    }

    // Four GPUs, trials needing two each, up to four in parallel asked for: exactly two run at a time, each with
    // two GPUs of its own (its CUDA_VISIBLE_DEVICES and {gpu}), never one GPU to two trials at once.
    void gpuSlotsAreHandedOutOneTrialEach()
    {
        QTemporaryDir work;
        const QString script
            = QStringLiteral("start=$(date +%s.%N); sleep 0.4; end=$(date +%s.%N); "
                             "echo \"$1 $CUDA_VISIBLE_DEVICES $start $end\" > \"$2/trial-$3.txt\"; echo value=$4");
        QJsonObject json = testing::shellScriptSpec(
            QStringLiteral("gpus"), script,
            {QStringLiteral("{gpu}"), work.path(), QStringLiteral("{trial}"), QStringLiteral("{x}")},
            {QStringLiteral("value")}, 8, 4);
        json.insert(
            QStringLiteral("resources"),
            QJsonObject{{QStringLiteral("machine"), QJsonObject{{QStringLiteral("gpus"), QJsonArray{0, 1, 2, 3}}}},
                        {QStringLiteral("trial"), QJsonObject{{QStringLiteral("gpus"), 2}}}});
        const tuning::ExperimentSpec spec = specFrom(QJsonDocument(json).toJson());
        QCOMPARE(jobs::Tuner::effectiveParallelism(spec), 2);
        QCOMPARE(runSpec(*m_project, spec).trials, 8);

        struct Held
        {
            QStringList gpus;
            double start = 0;
            double end = 0;
        };
        std::vector<Held> trials;
        for (int trial = 1; trial <= 8; ++trial) {
            QFile file(work.filePath(QStringLiteral("trial-%1.txt").arg(trial)));
            QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.fileName()));
            const QStringList fields = QString::fromUtf8(file.readAll()).simplified().split(QLatin1Char(' '));
            QCOMPARE(fields.size(), 4);
            QCOMPARE(fields[0], fields[1]); // {gpu} is CUDA_VISIBLE_DEVICES
            const QStringList gpus = fields[1].split(QLatin1Char(','));
            QCOMPARE(gpus.size(), 2);
            QVERIFY(gpus[0] != gpus[1]);
            trials.push_back({gpus, fields[2].toDouble(), fields[3].toDouble()});
        }
        int most = 0;
        for (const Held& a : trials) {
            int atOnce = 0; // trials running when `a` started
            for (const Held& b : trials) {
                if (b.start <= a.start && a.start < b.end)
                    ++atOnce;
                if (&a != &b && a.start < b.end && b.start < a.end) { // at the same time: no GPU shared
                    for (const QString& gpu : a.gpus)
                        QVERIFY2(!b.gpus.contains(gpu), qPrintable(gpu));
                }
            }
            most = std::max(most, atOnce);
        }
        QCOMPARE(most, 2);
    }

    void commandsGetTheValidationSplitAsFiles()
    {
        // The command counts the rows of the two files it is handed (the header line excluded).
        const QString script = QStringLiteral("echo train=$(($(wc -l < \"$1\") - 1)); "
                                              "echo columns=$(head -1 \"$1\" | tr -cd , | wc -c); "
                                              "echo value=$(($(wc -l < \"$2\") - 1))");
        auto metric = [](const char* name) {
            return QJsonObject{
                {QStringLiteral("name"), QString::fromLatin1(name)},
                {QStringLiteral("regex"), QString(QString::fromLatin1(name) + QStringLiteral("=(\\S+)"))}};
        };
        const QJsonObject json{
            {QStringLiteral("name"), QStringLiteral("split")},
            {QStringLiteral("dataset"),
             QJsonObject{{QStringLiteral("path"), QStringLiteral("breast_cancer.csv")},
                         {QStringLiteral("target"), QStringLiteral("target")},
                         {QStringLiteral("ignore"), QJsonArray{QStringLiteral("mean radius")}}}},
            {QStringLiteral("validation"),
             QJsonObject{{QStringLiteral("method"), QStringLiteral("holdout")}, {QStringLiteral("holdout"), 0.25}}},
            {QStringLiteral("algorithm"),
             QJsonObject{{QStringLiteral("command"),
                          QJsonArray{QStringLiteral("/bin/sh"), QStringLiteral("-c"), script, QStringLiteral("sh"),
                                     QStringLiteral("{train_path}"), QStringLiteral("{validation_path}")}},
                         {QStringLiteral("metrics"), QJsonArray{metric("value"), metric("train"), metric("columns")}}}},
            {QStringLiteral("ranges"),
             QJsonObject{{QStringLiteral("x"),
                          QJsonObject{{QStringLiteral("type"), QStringLiteral("continuous")},
                                      {QStringLiteral("min"), 0},
                                      {QStringLiteral("max"), 1}}}}},
            {QStringLiteral("objective"), QJsonObject{{QStringLiteral("metric"), QStringLiteral("value")}}},
            {QStringLiteral("strategy"), QStringLiteral("random")},
            {QStringLiteral("limits"), QJsonObject{{QStringLiteral("max_trials"), 2}}},
            {QStringLiteral("seed"), 3}};
        const tuning::ExperimentSpec spec = specFrom(QJsonDocument(json).toJson());
        const jobs::TuningSummary summary = runSpec(*m_project, spec);
        QCOMPARE(summary.trials, 2);
        for (const store::TrialRecord& trial : m_project->trials(m_project->experimentByName("split")->id)) {
            QCOMPARE(trial.status, TrialState::Finished);
            const auto train = m_project->metricSeries(trial.id, "train");
            const auto columns = m_project->metricSeries(trial.id, "columns");
            QCOMPARE(train.size(), std::size_t{1});
            // 569 rows: a quarter held out (stratified rounding), the rest to train, none lost or repeated.
            QVERIFY(*trial.objective >= 141 && *trial.objective <= 143);
            QCOMPARE(train.front().value + *trial.objective, 569.0);
            QCOMPARE(columns.front().value, 29.0); // commas in the header: 31 columns, one ignored
        }
        // Without a dataset there is nothing to split.
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, (void)jobs::makeTrialRunner(specFrom(R"js({"name": "nodata",
            "algorithm": {"command": ["/bin/echo", "{train_path}"], "metrics": [{"name": "value", "regex": "value=(\\S+)"}]},
            "objective": {"metric": "value"}})js")));
    }

    void aCommandsSplitIsTheBuiltinFirstFold()
    {
        // Three classes that first appear out of sorted order (zebra, ant, moose) in uneven numbers; the
        // command gets fold 1 of a stratified 5-fold split and copies its validation file for the test to read.
        const QString data = m_dir.filePath(QStringLiteral("unsorted-classes.csv"));
        {
            QFile file(data);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write("id,x,animal\n");
            const char* classes[] = {"zebra", "ant", "moose", "ant", "zebra", "ant", "moose"};
            for (int row = 0; row < 70; ++row)
                file.write(QStringLiteral("%1,%2,%3\n")
                               .arg(row)
                               .arg((row * 37) % 11)
                               .arg(QLatin1String(classes[row % 7]))
                               .toUtf8());
        }
        const QString copy = m_dir.filePath(QStringLiteral("validation-copy.csv"));
        const QString common = QStringLiteral(R"js("dataset": {"path": "%1", "target": "animal"},
            "validation": {"method": "kfold", "folds": 5, "stratified": true, "seed": 11},)js")
                                   .arg(data);
        const tuning::ExperimentSpec command = specFrom(QStringLiteral(R"js({"name": "first-split", %1
            "algorithm": {"command": ["/bin/sh", "-c", "cp -- $1 $2 && echo value=1", "sh", "{validation_path}", "%2"],
                          "metrics": [{"name": "value", "regex": "value=(\\S+)"}]},
            "objective": {"metric": "value"}, "limits": {"max_trials": 1}})js")
                                                            .arg(common, copy)
                                                            .toUtf8());
        QCOMPARE(runSpec(*m_project, command).trials, 1);
        QFile validation(copy);
        QVERIFY(validation.open(QIODevice::ReadOnly));
        std::set<std::size_t> commandRows;
        validation.readLine(); // header
        while (!validation.atEnd())
            commandRows.insert(validation.readLine().split(',').front().toULongLong());

        const tuning::ExperimentSpec builtin = specFrom(
            QStringLiteral(R"js({"name": "builtin", %1 "algorithm": "tree", "objective": {"metric": "accuracy"}})js")
                .arg(common)
                .toUtf8());
        const auto runner = jobs::makeBuiltinTrialRunner(builtin);
        const evaluation::EvaluationResult result
            = runner->evaluate(tuning::TrialConfig{"tree", {}}, algorithms::TrainingContext());
        std::set<std::size_t> firstFold;
        for (std::size_t i = 0; i < result.oofRows.size(); ++i) {
            if (result.oofFold[i] == 0)
                firstFold.insert(result.oofRows[i]); // rows are in file order: the id is the row
        }
        QCOMPARE(firstFold.size(), std::size_t{14});
        QCOMPARE(commandRows, firstFold);
    }

    void aRunIsOwnedWhileItRuns()
    {
        // Slow trials, two at a time: the run is live long enough for a second process's attempts.
        const tuning::ExperimentSpec spec = specFrom(
            braninSpec(QStringLiteral("owned"), QStringLiteral(R"(, "strategy": "random", "limits": {"max_trials": 40,
                "max_parallel": 2})"),
                       QStringLiteral(R"(, "--sleep-ms", "300")")));
        jobs::TuningSummary summary;
        std::thread owner([&] {
            const auto project = store::ProjectStore::open(m_project->path());
            summary = runSpec(*project, spec);
        });
        // Another connection, as another process has: it sees the owner and may not run the experiment too.
        const auto other = store::ProjectStore::open(m_project->path());
        QTRY_VERIFY_WITH_TIMEOUT(other->experimentByName("owned").has_value(), 5000);
        const store::ExperimentRecord record = *other->experimentByName("owned");
        const std::optional<store::RunOwner> found = jobs::liveOwner(*other, record.id);
        QVERIFY(found.has_value());
        QCOMPARE(found->pid, QCoreApplication::applicationPid());
        QVERIFY(!jobs::isInterrupted(*other, record));
        const QString named = QStringLiteral("pid %1 on host ").arg(QCoreApplication::applicationPid());
        try {
            (void)runSpec(*other, spec, true);
            QFAIL("a second run of a live experiment was not refused");
        } catch (const jobs::RunOwnedError& refused) {
            QVERIFY2(QString::fromUtf8(refused.what()).contains(named), refused.what());
            QVERIFY2(QString::fromUtf8(refused.what()).contains(QLatin1String("cannot be resumed")), refused.what());
        }
        try {
            (void)runSpec(*other, spec);
            QFAIL("a second experiment of the same name was not refused");
        } catch (const jobs::RunOwnedError& refused) {
            QVERIFY2(QString::fromUtf8(refused.what()).contains(named), refused.what());
        }
        // Asked through the project to stop, the owner finishes its trials in flight and starts no more.
        jobs::askOwner(*other, record.id, jobs::RunRequestKind::Stop);
        QElapsedTimer asked;
        asked.start();
        owner.join();
        QVERIFY2(asked.elapsed() < 2500, qPrintable(QString::number(asked.elapsed())));
        QCOMPARE(summary.stoppedBecause, std::string("stopped_by_user"));
        QVERIFY(summary.trials < 40);
        const store::ExperimentRecord ended = *other->experimentByName("owned");
        QCOMPARE(ended.status, ExperimentState::Stopped);
        QVERIFY(!other->runOwner(record.id).has_value()); // given up
        QVERIFY(other->runRequests(record.id).empty()); // obeyed
        for (const store::TrialRecord& trial : other->trials(record.id))
            QCOMPARE(trial.status, TrialState::Finished); // none in flight was cut short
        const auto events = other->events(record.id);
        QVERIFY(std::any_of(events.begin(), events.end(), [](const store::EventRecord& event) {
            return event.kind == "request" && event.message.starts_with("stop from ");
        }));
    }

    void anOwnerThatIsGoneLeavesTheRunInterrupted_data()
    {
        QTest::addColumn<bool>("thisHost");
        QTest::addColumn<bool>("processExists");
        QTest::addColumn<double>("heartbeatAge");
        QTest::addColumn<bool>("alive");
        QTest::newRow("this host, alive, fresh") << true << true << 1.0 << true;
        QTest::newRow("this host, exited, fresh") << true << false << 1.0 << false;
        QTest::newRow("this host, alive, lease run out") << true << true << 30.0 << false;
        QTest::newRow("another host, fresh") << false << false << 1.0 << true;
        QTest::newRow("another host, lease run out") << false << false << 11.0 << false;
    }
    void anOwnerThatIsGoneLeavesTheRunInterrupted()
    {
        QFETCH(bool, thisHost);
        QFETCH(bool, processExists);
        QFETCH(double, heartbeatAge);
        QFETCH(bool, alive);
        const tuning::ExperimentSpec spec = specFrom(braninSpec(
            QStringLiteral("orphan"), QStringLiteral(R"(, "strategy": "random", "limits": {"max_trials": 3})")));
        (void)runSpec(*m_project, spec);
        const std::int64_t id = m_project->experimentByName("orphan")->id;
        m_project->setExperimentStatus(id, ExperimentState::Running); // as a killed owner leaves it
        qint64 pid = QCoreApplication::applicationPid();
        if (!processExists) { // a process that has exited, and so whose pid is free
            QProcess exited;
            exited.start(QStringLiteral("/bin/true"));
            QVERIFY(exited.waitForFinished());
            pid = exited.processId() ? exited.processId() : 999999999;
        }
        store::RunOwner owner{id,
                              thisHost ? QSysInfo::machineHostName().toStdString() : std::string("elsewhere"),
                              pid,
                              "tunebench-cli",
                              "token",
                              store::ProjectStore::nowUtc(),
                              jobs::secondsNow() - heartbeatAge};
        if (!processExists && thisHost)
            owner.pid = 999999999; // beyond pid_max: no such process
        m_project->setRunOwner(owner);
        QCOMPARE(jobs::isAlive(owner), alive);
        QCOMPARE(jobs::isInterrupted(*m_project, *m_project->experimentByName("orphan")), !alive);
        tuning::ExperimentSpec more = spec;
        more.completion.maxTrials = 4;
        if (alive) {
            QVERIFY_THROWS_EXCEPTION(jobs::RunOwnedError, (void)runSpec(*m_project, more, true));
            QCOMPARE(m_project->runOwner(id)->token, std::string("token")); // untouched
            return;
        }
        QCOMPARE(runSpec(*m_project, more, true).trials, 4); // taken over, exactly as an interrupted run
        QVERIFY(!m_project->runOwner(id).has_value());
    }

    void aLeaseTakenOverStopsTheRun()
    {
        // The owner's lease ran out (a process that hung) and another took the run over: the first may not
        // write another row, and says who has it.
        const tuning::ExperimentSpec spec = specFrom(
            braninSpec(QStringLiteral("taken"), QStringLiteral(R"(, "strategy": "random", "limits": {"max_trials": 30,
                "max_parallel": 1})"),
                       QStringLiteral(R"(, "--sleep-ms", "100")")));
        std::string error;
        std::thread first([&] {
            const auto project = store::ProjectStore::open(m_project->path());
            try {
                (void)runSpec(*project, spec);
            } catch (const jobs::RunOwnedError& lost) {
                error = lost.what();
            }
        });
        QTRY_VERIFY_WITH_TIMEOUT(m_project->experimentByName("taken").has_value(), 5000);
        const std::int64_t id = m_project->experimentByName("taken")->id;
        m_project->setRunOwner(
            {id, "elsewhere", 4242, "tunebench-cli", "other", store::ProjectStore::nowUtc(), jobs::secondsNow() + 60});
        first.join();
        QVERIFY2(QString::fromStdString(error).contains(QLatin1String("tunebench-cli, pid 4242 on host elsewhere")),
                 error.c_str());
        QCOMPARE(m_project->runOwner(id)->token, std::string("other")); // not released by the first
    }

    void aFollowerSeesWhatTheRunCommits()
    {
        const tuning::ExperimentSpec spec = specFrom(
            braninSpec(QStringLiteral("followed"),
                       QStringLiteral(R"(, "strategy": "random", "limits": {"max_trials": 4, "max_parallel": 2})"),
                       QStringLiteral(R"(, "--steps", "30", "--sleep-ms", "10")")));
        jobs::Tuner tuner(spec, *m_project, jobs::makeTrialRunner(spec));
        std::atomic<bool> restartAsked{false};
        tuner.setUpdateCallback([&](const jobs::TuningUpdate& update) {
            for (const auto& [number, point] : update.points) {
                if (number == 1 && point.step == 12 && !restartAsked.exchange(true))
                    tuner.restartTrial(1);
            }
        });
        std::atomic<bool> done{false};
        std::thread runner([&] {
            (void)tuner.run();
            done = true;
        });
        // What a view following the run would hold: trials by number, points per trial, cleared on restart.
        jobs::RunFollower follower(m_project->path(), "followed");
        std::map<int, jobs::Trial> trials;
        std::map<int, std::vector<std::pair<std::string, std::int64_t>>> points;
        std::vector<int> restarted;
        int polls = 0;
        auto poll = [&] {
            jobs::FollowedRun seen = follower.poll();
            ++polls;
            for (int number : seen.update.restarted) {
                restarted.push_back(number);
                points.erase(number);
            }
            for (jobs::Trial& trial : seen.update.trials)
                trials[trial.number] = std::move(trial);
            for (const auto& [number, point] : seen.update.points)
                points[number].emplace_back(point.name, point.step);
            return seen;
        };
        bool sawOwner = false;
        while (!done) {
            sawOwner = poll().owner.has_value() || sawOwner;
            std::this_thread::sleep_for(std::chrono::milliseconds(15));
        }
        runner.join();
        const jobs::FollowedRun last = poll();
        QVERIFY(sawOwner);
        QVERIFY(!last.owner.has_value());
        QCOMPARE(last.record->status, ExperimentState::Finished);
        QVERIFY(polls > 5);
        QCOMPARE(restarted, std::vector<int>{1});
        const auto stored = m_project->trials(last.record->id);
        QCOMPARE(trials.size(), stored.size());
        for (const store::TrialRecord& record : stored) {
            QCOMPARE(trials.at(record.number).state, record.status);
            QCOMPARE(trials.at(record.number).objective, record.objective);
            // Every point exactly once, none of the thrown-away first run of trial 1.
            std::vector<std::pair<std::string, std::int64_t>> expected;
            for (const store::MetricPoint& point : m_project->metricSeries(record.id))
                expected.emplace_back(point.name, point.step);
            std::vector<std::pair<std::string, std::int64_t>> got = points[record.number];
            std::sort(got.begin(), got.end());
            if (got != expected) {
                qWarning() << "trial" << record.number << "got" << got.size() << "expected" << expected.size();
                for (const auto& [name, step] : got)
                    qWarning() << name.c_str() << step;
            }
            QCOMPARE(got, expected);
        }
        QVERIFY(follower.poll().update.empty()); // nothing new
    }

    void dataVersionSaysAnotherConnectionCommitted()
    {
        const auto other = store::ProjectStore::open(m_project->path());
        const std::int64_t before = m_project->dataVersion();
        m_project->logEvent({0, {}, std::nullopt, std::nullopt, "note", "mine"});
        QCOMPARE(m_project->dataVersion(), before); // its own commits are known to it
        other->logEvent({0, {}, std::nullopt, std::nullopt, "note", "theirs"});
        QVERIFY(m_project->dataVersion() != before);
    }

private:
    QTemporaryDir m_dir;
    int m_count = 0;
    std::unique_ptr<store::ProjectStore> m_project;
};

QTEST_GUILESS_MAIN(TestTuner)
#include "tst_tuner.moc"

// The Slurm executor against a real single-node Slurm (tests/cluster/slurm-cluster.sh starts it; skipped
// with its message where it cannot run): an experiment run through sbatch gives exactly the local
// executor's trials for the same seed, and Cancel reaches scancel.

#include <atomic>
#include <thread>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include "../tools/branincommand.h"
#include "jobs/tuner.h"
#include "store/projectstore.h"
#include "teststates.h"

using namespace tunebench;

namespace {

QString run(const QString& program, const QStringList& arguments, int* exitCode = nullptr)
{
    QProcess process;
    process.start(program, arguments);
    process.waitForFinished(120000);
    if (exitCode)
        *exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    return QString::fromUtf8(process.readAllStandardOutput() + process.readAllStandardError());
}

const QString kCluster = QStringLiteral(TUNEBENCH_CLUSTER_SCRIPT);

/// How many of an experiment's jobs Slurm shows in `state` (squeue keeps ended jobs for MinJobAge).
qsizetype jobsIn(const QString& experiment, const QString& state)
{
    const QString jobs = run(QStringLiteral("squeue"),
                             {QStringLiteral("-h"), QStringLiteral("-t"), QStringLiteral("all"), QStringLiteral("-o"),
                              QStringLiteral("%j %T")});
    return jobs.count(QRegularExpression(QStringLiteral("tunebench-%1-\\d+ %2").arg(experiment, state)));
}

} // namespace

class TestSlurmCluster : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        int code = 0;
        const QString output = run(kCluster, {QStringLiteral("start")}, &code);
        if (code == 77)
            m_skip = output.trimmed();
        else
            QVERIFY2(code == 0, qPrintable(output));
    }
    void cleanupTestCase()
    {
        if (m_skip.isEmpty())
            run(kCluster, {QStringLiteral("stop")});
    }

    void sameTrialsAsTheLocalExecutor()
    {
        if (!m_skip.isEmpty())
            QSKIP(qPrintable(m_skip));
        QJsonObject json{
            {QStringLiteral("name"), QStringLiteral("iris-knn")},
            {QStringLiteral("dataset"),
             QJsonObject{{QStringLiteral("path"), QStringLiteral(TUNEBENCH_TEST_DATA "/iris.arff")}}},
            {QStringLiteral("algorithm"), QStringLiteral("knn")},
            {QStringLiteral("ranges"),
             QJsonObject{
                 {QStringLiteral("k"),
                  QJsonObject{{QStringLiteral("type"), QStringLiteral("integer")},
                              {QStringLiteral("min"), 1},
                              {QStringLiteral("max"), 30}}},
                 {QStringLiteral("weights"), QJsonArray{QStringLiteral("uniform"), QStringLiteral("distance")}}}},
            {QStringLiteral("validation"), QJsonObject{{QStringLiteral("folds"), 3}}},
            {QStringLiteral("objective"), QJsonObject{{QStringLiteral("metric"), QStringLiteral("accuracy")}}},
            {QStringLiteral("strategy"), QStringLiteral("random")},
            {QStringLiteral("seed"), 5},
            {QStringLiteral("limits"),
             QJsonObject{{QStringLiteral("max_trials"), 10}, {QStringLiteral("max_parallel"), 2}}}};
        const tuning::ExperimentSpec local = tuning::parseSpec(QJsonDocument(json).toJson(), "local", "/");
        json.insert(QStringLiteral("executor"), slurmExecutor());
        const tuning::ExperimentSpec cluster = tuning::parseSpec(QJsonDocument(json).toJson(), "slurm", "/");
        QVERIFY(cluster.slurm);

        const auto here = store::ProjectStore::open(m_dir.filePath(QStringLiteral("local.tbproj")).toStdString());
        const auto there = store::ProjectStore::open(m_dir.filePath(QStringLiteral("slurm.tbproj")).toStdString());
        const jobs::TuningSummary a = jobs::Tuner(local, *here, jobs::makeTrialRunner(local)).run();
        const jobs::TuningSummary b = jobs::Tuner(cluster, *there, jobs::makeTrialRunner(cluster)).run();
        QCOMPARE(b.trials, 10);
        QCOMPARE(b.stoppedBecause, a.stoppedBecause);
        const auto trialsA = here->trials(here->experimentByName("iris-knn")->id);
        const auto trialsB = there->trials(there->experimentByName("iris-knn")->id);
        QCOMPARE(trialsB.size(), trialsA.size());
        for (std::size_t i = 0; i < trialsA.size(); ++i) {
            QCOMPARE(trialsB[i].status, TrialState::Finished);
            QCOMPARE(trialsB[i].paramsJson, trialsA[i].paramsJson);
            QCOMPARE(*trialsB[i].objective, *trialsA[i].objective);
            // Every metric point came back from the node as well.
            const auto pointsA = here->metricSeries(trialsA[i].id);
            const auto pointsB = there->metricSeries(trialsB[i].id);
            QCOMPARE(pointsB.size(), pointsA.size());
            for (std::size_t p = 0; p < pointsA.size(); ++p) {
                QCOMPARE(pointsB[p].name, pointsA[p].name);
                QCOMPARE(pointsB[p].value, pointsA[p].value);
            }
        }
        // Every trial was a Slurm job that completed (the last may be COMPLETING for a moment).
        QTRY_COMPARE_WITH_TIMEOUT(jobsIn(QStringLiteral("iris-knn"), QStringLiteral("COMPLETED")), 10, 30000);
    }

    void cancelReachesScancel()
    {
        if (!m_skip.isEmpty())
            QSKIP(qPrintable(m_skip));
        // Trials of 20 s (a command printing a point every 100 ms): cancelled while two run.
        QJsonObject json = testing::braninCommandSpec(
            {QStringLiteral("long"), QStringLiteral(TUNEBENCH_TESTFUNCTION), 200, 100, 4, 2, 1});
        json.insert(QStringLiteral("executor"), slurmExecutor());
        const tuning::ExperimentSpec spec = tuning::parseSpec(QJsonDocument(json).toJson(), "long", "/");
        const auto project = store::ProjectStore::open(m_dir.filePath(QStringLiteral("long.tbproj")).toStdString());
        jobs::Tuner tuner(spec, *project, jobs::makeTrialRunner(spec));
        std::atomic<bool> points{false};
        tuner.setUpdateCallback([&](const jobs::TuningUpdate& update) {
            if (!update.points.empty())
                points = true;
        });
        jobs::TuningSummary summary;
        std::thread running([&] { summary = tuner.run(); });
        // Two jobs running on the node, their points arriving through the shared folder.
        QTRY_VERIFY_WITH_TIMEOUT(points.load(), 60000);
        QTRY_COMPARE_WITH_TIMEOUT(run(QStringLiteral("squeue"),
                                      {QStringLiteral("-h"), QStringLiteral("-t"), QStringLiteral("RUNNING"),
                                       QStringLiteral("-o"), QStringLiteral("%i")})
                                      .split(QLatin1Char('\n'), Qt::SkipEmptyParts)
                                      .size(),
                                  2, 30000);
        tuner.cancel();
        running.join();
        QCOMPARE(summary.stoppedBecause, std::string("cancelled"));
        // Nothing left running; both jobs ended CANCELLED, scancel's doing.
        QTRY_COMPARE_WITH_TIMEOUT(run(QStringLiteral("squeue"), {QStringLiteral("-h")}).trimmed(), QString(), 30000);
        QTRY_COMPARE_WITH_TIMEOUT(jobsIn(QStringLiteral("long"), QStringLiteral("CANCELLED")), 2, 30000);
        for (const store::TrialRecord& trial : project->trials(project->experimentByName("long")->id))
            QVERIFY2(trial.status == TrialState::Stopped, stateName(trial.status).data());
    }

    void aResumeFollowsTheJobsOfAKilledOwner()
    {
        if (!m_skip.isEmpty())
            QSKIP(qPrintable(m_skip));
        // Trials of about 3 s on the node, two at a time; the tune that submitted them is killed while they run.
        QJsonObject json = testing::braninCommandSpec(
            {QStringLiteral("reattach"), QStringLiteral(TUNEBENCH_TESTFUNCTION), 30, 100, 4, 2, 1});
        json.insert(QStringLiteral("executor"), slurmExecutor());
        const QString spec = m_dir.filePath(QStringLiteral("reattach.json"));
        QFile file(spec);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QJsonDocument(json).toJson());
        file.close();
        const QString project = m_dir.filePath(QStringLiteral("reattach.tbproj"));
        QProcess tune;
        tune.start(QStringLiteral(TUNEBENCH_CLI), {QStringLiteral("tune"), spec, QStringLiteral("--project"), project});
        QTRY_COMPARE_WITH_TIMEOUT(jobsIn(QStringLiteral("reattach"), QStringLiteral("RUNNING")), 2, 60000);
        tune.kill(); // SIGKILL: its two jobs run on
        QVERIFY(tune.waitForFinished(10000));
        QCOMPARE(jobsIn(QStringLiteral("reattach"), QStringLiteral("RUNNING")), 2);

        int code = -1;
        const QString resumed = run(QStringLiteral(TUNEBENCH_CLI),
                                    {QStringLiteral("resume"), QStringLiteral("reattach"), QStringLiteral("--project"),
                                     project, QStringLiteral("--json")},
                                    &code);
        QVERIFY2(code == 0, qPrintable(resumed));
        const auto store = store::ProjectStore::open(project.toStdString(), store::ProjectStore::Mode::ReadOnly);
        const auto trials = store->trials(store->experimentByName("reattach")->id);
        QCOMPARE(trials.size(), std::size_t{4});
        for (const store::TrialRecord& trial : trials)
            QCOMPARE(trial.status, TrialState::Finished);
        // Four trials, four jobs: the two the killed process submitted were followed, not submitted again.
        QTRY_COMPARE_WITH_TIMEOUT(jobsIn(QStringLiteral("reattach"), QStringLiteral("COMPLETED")), 4, 30000);
        QCOMPARE(jobsIn(QStringLiteral("reattach"), QStringLiteral("\\w+")), 4);
    }

private:
    QJsonObject slurmExecutor() const
    {
        return {{QStringLiteral("type"), QStringLiteral("slurm")},
                {QStringLiteral("work_dir"), m_dir.filePath(QStringLiteral("work"))},
                {QStringLiteral("worker"), QStringLiteral(TUNEBENCH_CLI)},
                {QStringLiteral("time_minutes"), 5},
                {QStringLiteral("poll_seconds"), 0.2}};
    }

    QTemporaryDir m_dir;
    QString m_skip;
};

QTEST_GUILESS_MAIN(TestSlurmCluster)
#include "tst_slurmcluster.moc"

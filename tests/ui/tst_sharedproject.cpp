// One project, many processes: a real tunebench-cli process runs an experiment while a real workbench window has
// the same project open. The window follows the run through the project file, never offers to resume it while
// its owner lives, stops it through a request row, and offers the resume once the owner is killed.

#include <algorithm>
#include <map>
#include <set>

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QLabel>
#include <QPointer>
#include <QProcess>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>
#include <QTreeWidgetItemIterator>

#include "../tools/branincommand.h"
#include "charts/charts.h"
#include "compare/compareview.h"
#include "compare/parallelcoordinates.h"
#include "experiment/experimentview.h"
#include "experiment/trialsmodel.h"
#include "jobs/ownership.h"
#include "store/projectstore.h"
#include "teststates.h"
#include "window/jobspanel.h"
#include "window/mainwindow.h"

using namespace tunebench;
using namespace tunebench::ui;

namespace {

QString writeSpec(const QString& folder, const testing::BraninCommand& command)
{
    const QString path = folder + QLatin1Char('/') + command.name + QStringLiteral(".json");
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return {};
    file.write(QJsonDocument(testing::braninCommandSpec(command)).toJson());
    return path;
}

/// `tunebench-cli ARGS`, started.
std::unique_ptr<QProcess> startCli(const QStringList& arguments)
{
    auto process = std::make_unique<QProcess>();
    process->setProgram(QStringLiteral(TUNEBENCH_CLI));
    process->setArguments(arguments);
    process->start();
    return process;
}

bool explorerShows(const MainWindow& window, const QString& text)
{
    for (QTreeWidgetItemIterator it(window.explorer()); *it; ++it) {
        if ((*it)->text(0).contains(text))
            return true;
    }
    return false;
}

/// The jobs panel's row for a run of `experiment`, or null.
Job* jobOf(const MainWindow& window, const QString& experiment)
{
    for (Job* job : window.jobsPanel()->jobs()) {
        if (job->title().contains(experiment))
            return job;
    }
    return nullptr;
}

QDateTime timeOf(const std::string& iso)
{
    return QDateTime::fromString(QString::fromStdString(iso), Qt::ISODateWithMs);
}

} // namespace

class TestSharedProject : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("TunebenchTests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_sharedproject"));
    }
    void theWindowFollowsACliRunAndStopsIt();
    void aKilledRunIsOfferedForResumeAndEndsWithItsBudget();
    void aSecondTuneIsRefusedNamingTheOwner();

private:
    QTemporaryDir m_dir;
};

void TestSharedProject::theWindowFollowsACliRunAndStopsIt()
{
    const QString project = m_dir.filePath(QStringLiteral("followed.tbproj"));
    (void)store::ProjectStore::open(project.toStdString());
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.openProject(project));

    // A dataset imported by another process appears in the explorer.
    const auto import = startCli({QStringLiteral("import"), QStringLiteral(TUNEBENCH_TEST_DATA "/iris.csv"),
                                  QStringLiteral("--project"), project});
    QVERIFY(import->waitForFinished(30000));
    QCOMPARE(import->exitCode(), 0);
    QTRY_VERIFY_WITH_TIMEOUT(explorerShows(window, QStringLiteral("iris.csv")), 2000);

    const QString spec = writeSpec(
        m_dir.path(), {QStringLiteral("cli-run"), QStringLiteral(TUNEBENCH_TESTFUNCTION), 20, 40, 40, 2, 3});
    const auto cli = startCli({QStringLiteral("tune"), spec, QStringLiteral("--project"), project});
    QTRY_VERIFY_WITH_TIMEOUT(explorerShows(window, QStringLiteral("cli-run")), 5000);
    ExperimentView* view = window.openExperiment(QStringLiteral("cli-run"));
    QVERIFY(view);
    QTRY_VERIFY_WITH_TIMEOUT(view->isFollowing(), 3000);
    QCOMPARE(view->followedOwner()->pid, cli->processId());

    // For three seconds: whatever the project holds (read by a connection of the test's own) reaches the view
    // within a second, and resume is never offered.
    const auto reader = store::ProjectStore::open(project.toStdString(), store::ProjectStore::Mode::ReadOnly);
    const std::int64_t experimentId = reader->experimentByName("cli-run")->id;
    std::map<std::pair<int, std::size_t>, qint64> seenInProject; // (trial, loss points) -> when the project had it
    std::map<int, qint64> finishedInProject;
    std::set<std::pair<int, std::size_t>> shownPoints; // checked already
    std::set<int> shownEnds;
    qint64 worstLag = 0;
    std::size_t checkedPoints = 0;
    int checkedEnds = 0;
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < 3000) {
        QTest::qWait(20);
        const qint64 now = clock.elapsed();
        for (const store::TrialRecord& trial : reader->trials(experimentId)) {
            const std::size_t stored = reader->metricSeries(trial.id, "loss").size();
            if (stored > 0 && !shownPoints.contains({trial.number, stored}))
                seenInProject.try_emplace({trial.number, stored}, now);
            if (trial.status == TrialState::Finished && !shownEnds.contains(trial.number))
                finishedInProject.try_emplace(trial.number, now);
        }
        for (auto it = seenInProject.begin(); it != seenInProject.end();) {
            const auto [number, count] = it->first;
            if (view->curves()->pointCount(number, QStringLiteral("loss")) >= count) {
                worstLag = std::max(worstLag, now - it->second);
                ++checkedPoints;
                shownPoints.insert(it->first);
                it = seenInProject.erase(it);
            } else {
                QVERIFY2(now - it->second < 1000,
                         qPrintable(QStringLiteral("trial %1's %2 points are not shown after %3 ms")
                                        .arg(number)
                                        .arg(count)
                                        .arg(now - it->second)));
                ++it;
            }
        }
        for (auto it = finishedInProject.begin(); it != finishedInProject.end();) {
            const jobs::Trial* shown = view->trialsModel()->trial(it->first);
            if (shown && shown->state == TrialState::Finished) {
                worstLag = std::max(worstLag, now - it->second);
                ++checkedEnds;
                shownEnds.insert(it->first);
                it = finishedInProject.erase(it);
            } else {
                QVERIFY2(now - it->second < 1000, "a finished trial is not shown as finished within a second");
                ++it;
            }
        }
        QVERIFY(!view->resumeButton()->isVisible());
        QVERIFY(window.interruptedExperiments().isEmpty());
        QVERIFY(window.infoBar()->isHidden());
    }
    qInfo("followed: %zu point counts and %d trial ends checked, worst lag %lld ms", checkedPoints, checkedEnds,
          static_cast<long long>(worstLag));
    QVERIFY(checkedEnds >= 4);
    QVERIFY(checkedPoints > 20);
    QVERIFY(view->stopButton()->isVisible());
    // The jobs panel lists the other process's run, with its trials in flight.
    QTRY_VERIFY_WITH_TIMEOUT(jobOf(window, QStringLiteral("cli-run")), 2000);
    const QPointer<Job> followedJob = jobOf(window, QStringLiteral("cli-run"));
    QVERIFY(followedJob->title().contains(QStringLiteral("pid %1").arg(cli->processId())));
    QVERIFY(!followedJob->isFinished());
    QVERIFY2(window.runStatus()->text().contains(QLatin1String("following 1 run")),
             qPrintable(window.runStatus()->text()));
    if (const QString folder = qEnvironmentVariable("TUNEBENCH_GRAB_DIR"); !folder.isEmpty())
        window.grab().save(folder + QStringLiteral("/followed-run.png")); // to look at by hand

    // A comparison of every trial follows as well: more trials, and the brush the user drew stays.
    CompareView* compare = window.openComparison({{QStringLiteral("cli-run"), 0}});
    QTRY_VERIFY_WITH_TIMEOUT(!compare->isLoading(), 5000);
    const std::size_t compared = compare->comparison().trials.size();
    const int objectiveAxis = static_cast<int>(compare->parallelCoordinates()->axes().size()) - 1;
    compare->parallelCoordinates()->setBrush(objectiveAxis, 0.0, 1000.0);
    QTRY_VERIFY_WITH_TIMEOUT(compare->comparison().trials.size() > compared, 5000);
    QVERIFY(compare->parallelCoordinates()->brush(objectiveAxis).has_value());
    window.tabs()->setCurrentWidget(view);

    // Stop from the window: the CLI finishes its trials in flight and ends within a second of them.
    QTest::mouseClick(view->stopButton(), Qt::LeftButton);
    QVERIFY(!view->stopButton()->isEnabled());
    QVERIFY(cli->waitForFinished(10000));
    QCOMPARE(cli->exitCode(), 0);
    const store::ExperimentRecord ended = *reader->experimentByName("cli-run");
    QCOMPARE(ended.status, ExperimentState::Stopped);
    QCOMPARE(ended.stoppedBecause, std::string("stopped_by_user"));
    QDateTime lastTrial;
    int trials = 0;
    for (const store::TrialRecord& trial : reader->trials(experimentId)) {
        QCOMPARE(trial.status, TrialState::Finished); // none was cut short
        lastTrial = std::max(lastTrial, timeOf(trial.finishedAt));
        ++trials;
    }
    QVERIFY(trials < 40);
    const qint64 after = lastTrial.msecsTo(timeOf(ended.finishedAt));
    qInfo("stopped %lld ms after the last trial in flight finished", static_cast<long long>(after));
    QVERIFY2(after < 1000, qPrintable(QString::number(after)));
    // The view follows to the end: every trial, and no run to stop.
    QTRY_VERIFY_WITH_TIMEOUT(!view->isFollowing(), 2000);
    QTRY_VERIFY_WITH_TIMEOUT(followedJob && followedJob->isFinished(), 3000);
    QTRY_COMPARE_WITH_TIMEOUT(view->trialsModel()->rowCount(), trials, 2000);
    QVERIFY(!view->stopButton()->isVisible());
}

void TestSharedProject::aKilledRunIsOfferedForResumeAndEndsWithItsBudget()
{
    const QString project = m_dir.filePath(QStringLiteral("killed.tbproj"));
    (void)store::ProjectStore::open(project.toStdString());
    // Ten trials of a second, two at a time: the run lasts long enough to be killed in the middle.
    const QString spec = writeSpec(
        m_dir.path(), {QStringLiteral("killed-run"), QStringLiteral(TUNEBENCH_TESTFUNCTION), 25, 40, 10, 2, 5});
    const auto cli = startCli({QStringLiteral("tune"), spec, QStringLiteral("--project"), project});
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.openProject(project));
    const auto reader = store::ProjectStore::open(project.toStdString(), store::ProjectStore::Mode::ReadOnly);
    QTRY_VERIFY_WITH_TIMEOUT(reader->experimentByName("killed-run").has_value(), 5000);
    const std::int64_t experimentId = reader->experimentByName("killed-run")->id;
    auto finished = [&] {
        const auto trials = reader->trials(experimentId);
        return std::count_if(trials.begin(), trials.end(),
                             [](const store::TrialRecord& t) { return t.status == TrialState::Finished; });
    };
    QTRY_VERIFY_WITH_TIMEOUT(finished() >= 3, 15000);
    ExperimentView* view = window.openExperiment(QStringLiteral("killed-run"));
    QTRY_VERIFY_WITH_TIMEOUT(view->isFollowing(), 3000);
    QVERIFY(!view->resumeButton()->isVisible());
    QTRY_VERIFY_WITH_TIMEOUT(jobOf(window, QStringLiteral("killed-run")), 3000); // listed within the second
    std::map<int, std::string> before; // finished trials: their parameters and end, which must not change
    for (const store::TrialRecord& trial : reader->trials(experimentId)) {
        if (trial.status == TrialState::Finished)
            before[trial.number] = trial.paramsJson + trial.finishedAt;
    }

    cli->kill(); // SIGKILL: no word to the project
    QVERIFY(cli->waitForFinished(5000));
    QElapsedTimer sinceKill;
    sinceKill.start();
    QTRY_VERIFY_WITH_TIMEOUT(view->resumeButton()->isVisible(), int(jobs::kLeaseSeconds * 1000));
    // The jobs panel says so, and its bar keeps how far the run got.
    Job* const job = jobOf(window, QStringLiteral("killed-run"));
    QVERIFY(job);
    QTRY_VERIFY_WITH_TIMEOUT(job->isFinished(), 2000);
    QVERIFY(job->progressBar()->value() < job->progressBar()->maximum());
    QTRY_COMPARE_WITH_TIMEOUT(window.interruptedExperiments(), QStringList{QStringLiteral("killed-run")}, 2000);
    QVERIFY(window.infoBar()->isVisible());
    if (const QString folder = qEnvironmentVariable("TUNEBENCH_GRAB_DIR"); !folder.isEmpty())
        window.grab().save(folder + QStringLiteral("/killed-run.png"));
    qInfo("resume offered %lld ms after the kill", static_cast<long long>(sinceKill.elapsed()));

    QSignalSpy ended(&window, &MainWindow::experimentFinished);
    QTest::mouseClick(view->resumeButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(ended.count(), 1, 60000);
    const std::vector<store::TrialRecord> trials = reader->trials(experimentId);
    QCOMPARE(trials.size(), std::size_t{10});
    std::set<std::string> params;
    for (std::size_t i = 0; i < trials.size(); ++i) {
        QCOMPARE(trials[i].number, int(i) + 1);
        QCOMPARE(trials[i].status, TrialState::Finished);
        params.insert(trials[i].paramsJson);
        if (before.contains(trials[i].number))
            QCOMPARE(trials[i].paramsJson + trials[i].finishedAt, before[trials[i].number]);
        QCOMPARE(reader->metricSeries(trials[i].id, "loss").size(), std::size_t{25}); // no stale or doubled points
    }
    QCOMPARE(params.size(), std::size_t{10}); // no trial ran twice under two numbers
    QCOMPARE(reader->experimentByName("killed-run")->status, ExperimentState::Finished);
    QVERIFY(window.interruptedExperiments().isEmpty());
}

void TestSharedProject::aSecondTuneIsRefusedNamingTheOwner()
{
    const QString project = m_dir.filePath(QStringLiteral("twice.tbproj"));
    const QString spec
        = writeSpec(m_dir.path(), {QStringLiteral("twice"), QStringLiteral(TUNEBENCH_TESTFUNCTION), 10, 50, 8, 2, 7});
    const auto first = startCli({QStringLiteral("tune"), spec, QStringLiteral("--project"), project});
    QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(project), 5000);
    const auto reader = store::ProjectStore::open(project.toStdString(), store::ProjectStore::Mode::ReadOnly);
    // The file can exist before the run has written its tables (a busy machine widens that moment).
    auto recorded = [&] {
        try {
            return reader->experimentByName("twice").has_value();
        } catch (const store::StoreError&) {
            return false;
        }
    };
    QTRY_VERIFY_WITH_TIMEOUT(recorded(), 5000);
    const QString owner = QStringLiteral("tunebench-cli, pid %1 on host ").arg(first->processId());
    for (const QString& command : {QStringLiteral("tune"), QStringLiteral("resume")}) {
        const auto second
            = startCli(command == QLatin1String("tune")
                           ? QStringList{command, spec, QStringLiteral("--project"), project}
                           : QStringList{command, QStringLiteral("twice"), QStringLiteral("--project"), project});
        QVERIFY(second->waitForFinished(30000));
        const QString error = QString::fromUtf8(second->readAllStandardError());
        QVERIFY2(second->exitCode() != 0, qPrintable(command));
        QVERIFY2(error.contains(owner), qPrintable(error));
    }
    QVERIFY(first->waitForFinished(60000));
    QCOMPARE(first->exitCode(), 0);
    const auto trials = reader->trials(reader->experimentByName("twice")->id);
    QCOMPARE(trials.size(), std::size_t{8}); // unharmed
    for (const store::TrialRecord& trial : trials)
        QCOMPARE(trial.status, TrialState::Finished);
    QCOMPARE(reader->integrityCheck(), std::string("ok"));
}

QTEST_MAIN(TestSharedProject)
#include "tst_sharedproject.moc"

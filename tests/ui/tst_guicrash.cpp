// Crash safety of the GUI: the real `tunebench` process runs an experiment and is killed with SIGKILL at
// several points; each time the project passes SQLite's integrity check, every trial that had finished is
// still there unchanged, and resuming in a window completes the experiment with exactly its budget.

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "../tools/branincommand.h"
#include "store/projectstore.h"
#include "window/mainwindow.h"

using namespace tunebench;
using tunebench::ui::MainWindow;

namespace {

constexpr int kTrials = 12;

struct Finished
{
    std::string params;
    double objective = 0.0;
};

std::map<int, Finished> finishedTrials(const QString& project, int* recorded = nullptr)
{
    std::map<int, Finished> result;
    if (!QFile::exists(project))
        return result;
    try {
        const auto store = store::ProjectStore::open(project.toStdString(), store::ProjectStore::Mode::ReadOnly);
        const auto experiment = store->experimentByName("crash");
        if (!experiment)
            return result;
        const std::vector<store::TrialRecord> trials = store->trials(experiment->id);
        if (recorded)
            *recorded = static_cast<int>(trials.size());
        for (const store::TrialRecord& trial : trials) {
            if (trial.status == TrialState::Finished && trial.objective)
                result[trial.number] = {trial.paramsJson, *trial.objective};
        }
    } catch (const store::StoreError&) {
        // Being created right now: look again later.
    }
    return result;
}

} // namespace

class TestGuiCrash : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("TunebenchTests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_guicrash"));
    }
    void killedGuiLosesNothing_data();
    void killedGuiLosesNothing();

private:
    QTemporaryDir m_dir;
};

void TestGuiCrash::killedGuiLosesNothing_data()
{
    // Ten kill points: trials take about 0.2 s (10 steps of 20 ms, two at a time); the delay after the count
    // is reached moves the kill across a trial's phases.
    QTest::addColumn<int>("killAfter");
    QTest::addColumn<int>("delayMs");
    QTest::addColumn<bool>("severalObjectives");
    const std::pair<int, int> points[]
        = {{0, 0}, {0, 100}, {1, 0}, {2, 50}, {3, 120}, {4, 0}, {5, 150}, {7, 0}, {8, 80}, {10, 0}};
    for (const auto& [finished, delay] : points)
        QTest::addRow("%d finished + %d ms", finished, delay) << finished << delay << false;
    // Two objectives and a constraint (the final value against the curve's mean loss, value <= 60).
    for (const auto& [finished, delay] : {std::pair{2, 30}, std::pair{6, 0}})
        QTest::addRow("two objectives, %d finished + %d ms", finished, delay) << finished << delay << true;
}

void TestGuiCrash::killedGuiLosesNothing()
{
    QFETCH(int, killAfter);
    QFETCH(int, delayMs);
    QFETCH(bool, severalObjectives);
    const QString folder = m_dir.filePath(QStringLiteral("%1-%2%3").arg(killAfter).arg(delayMs).arg(
        severalObjectives ? QStringLiteral("-mo") : QString()));
    QVERIFY(QDir().mkpath(folder));
    const QString project = folder + QStringLiteral("/crash.tbproj");
    const QString spec = folder + QStringLiteral("/crash.json");
    QFile file(spec);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QJsonObject json = testing::braninCommandSpec(
        {QStringLiteral("crash"), QStringLiteral(TUNEBENCH_TESTFUNCTION), 10, 20, kTrials, 2, 11});
    if (severalObjectives) {
        json.remove(QStringLiteral("objective"));
        json.insert(QStringLiteral("objectives"),
                    QJsonArray{QJsonObject{{QStringLiteral("metric"), QStringLiteral("value")},
                                           {QStringLiteral("goal"), QStringLiteral("minimize")}},
                               QJsonObject{{QStringLiteral("metric"), QStringLiteral("loss")},
                                           {QStringLiteral("goal"), QStringLiteral("maximize")}}});
        json.insert(
            QStringLiteral("constraints"),
            QJsonArray{QJsonObject{{QStringLiteral("metric"), QStringLiteral("value")}, {QStringLiteral("<="), 60}}});
    }
    file.write(QJsonDocument(json).toJson());
    file.close();

    // The real GUI process, offscreen, opens the project and runs the spec at once.
    QProcess gui;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    gui.setProcessEnvironment(environment);
    gui.start(QStringLiteral(TUNEBENCH_GUI), {project, QStringLiteral("--run"), spec});
    QVERIFY(gui.waitForStarted());
    // The experiment recorded with a trial under way, and `killAfter` trials finished.
    int recorded = 0;
    QTRY_VERIFY_WITH_TIMEOUT(static_cast<int>(finishedTrials(project, &recorded).size()) >= killAfter && recorded > 0,
                             30000);
    QTest::qWait(delayMs);
    gui.kill(); // SIGKILL: nothing gets to clean up
    QVERIFY(gui.waitForFinished());
    const std::map<int, Finished> before = finishedTrials(project);
    QVERIFY(static_cast<int>(before.size()) >= killAfter);
    QVERIFY(static_cast<int>(before.size()) < kTrials);
    {
        const auto store = store::ProjectStore::open(project.toStdString(), store::ProjectStore::Mode::ReadOnly);
        QCOMPARE(QString::fromStdString(store->integrityCheck()), QStringLiteral("ok"));
    }

    // A new window finds the experiment interrupted and resumes it to exactly its budget.
    MainWindow window;
    window.show();
    QVERIFY(window.openProject(project));
    QCOMPARE(window.interruptedExperiments(), QStringList{QStringLiteral("crash")});
    QSignalSpy finished(&window, &MainWindow::experimentFinished);
    QVERIFY(window.resumeExperiment(QStringLiteral("crash")));
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
    const std::map<int, Finished> after = finishedTrials(project);
    QCOMPARE(static_cast<int>(after.size()), kTrials); // nothing lost, nothing repeated
    for (int number = 1; number <= kTrials; ++number)
        QVERIFY(after.count(number));
    for (const auto& [number, trial] : before) {
        QCOMPARE(after.at(number).params, trial.params);
        QCOMPARE(after.at(number).objective, trial.objective);
    }
    const auto store = store::ProjectStore::open(project.toStdString(), store::ProjectStore::Mode::ReadOnly);
    QCOMPARE(QString::fromStdString(store->integrityCheck()), QStringLiteral("ok"));
}

QTEST_MAIN(TestGuiCrash)
#include "tst_guicrash.moc"

// Crash safety of the GUI: the real `tunebench` process runs an experiment and is killed with SIGKILL at
// several points; each time the project passes SQLite's integrity check, every trial that had finished is
// still there unchanged, and resuming in a window completes the experiment with exactly its budget.

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "../tools/branincommand.h"
#include "mainwindow.h"
#include "store/projectstore.h"

using namespace tunebench;
using tunebench::ui::MainWindow;

namespace {

constexpr int kTrials = 12;

struct Finished
{
    std::string params;
    double objective = 0.0;
};

std::map<int, Finished> finishedTrials(const QString& project)
{
    std::map<int, Finished> result;
    if (!QFile::exists(project))
        return result;
    try {
        const auto store = store::ProjectStore::open(project.toStdString(), store::ProjectStore::Mode::ReadOnly);
        const auto experiment = store->experimentByName("crash");
        if (!experiment)
            return result;
        for (const store::TrialRecord& trial : store->trials(experiment->id)) {
            if (trial.status == "finished" && trial.objective)
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
    QTest::addColumn<int>("killAfter");
    QTest::newRow("after 1 trial") << 1;
    QTest::newRow("after 4 trials") << 4;
    QTest::newRow("after 8 trials") << 8;
}

void TestGuiCrash::killedGuiLosesNothing()
{
    QFETCH(int, killAfter);
    const QString folder = m_dir.filePath(QString::number(killAfter));
    QVERIFY(QDir().mkpath(folder));
    const QString project = folder + QStringLiteral("/crash.tbproj");
    const QString spec = folder + QStringLiteral("/crash.json");
    QFile file(spec);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(
        QJsonDocument(testing::braninCommandSpec(
                          {QStringLiteral("crash"), QStringLiteral(TUNEBENCH_TESTFUNCTION), 10, 20, kTrials, 2, 11}))
            .toJson());
    file.close();

    // The real GUI process, offscreen, opens the project and runs the spec at once.
    QProcess gui;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    gui.setProcessEnvironment(environment);
    gui.start(QStringLiteral(TUNEBENCH_GUI), {project, QStringLiteral("--run"), spec});
    QVERIFY(gui.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(static_cast<int>(finishedTrials(project).size()) >= killAfter, 30000);
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

// The workbench window with real widgets, real worker threads and real project files: drop files, fill the
// experiment editor through its widgets, run experiments and watch them, stop, cancel, quit and resume.

#include <cmath>

#include <QAbstractItemModel>
#include <QAbstractItemModelTester>
#include <QApplication>
#include <QChart>
#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeAxis>
#include <QDir>
#include <QDropEvent>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QListWidget>
#include <QMenu>
#include <QMessageBox>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScatterSeries>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QToolButton>
#include <QTreeWidget>
#include <QUndoGroup>
#include <QUndoStack>
#include <QValueAxis>

#include "../tools/branincommand.h"
#include "../tools/projecttrials.h"
#include "algorithms/params.h"
#include "charts/charts.h"
#include "charts/paretochart.h"
#include "charts/rungschart.h"
#include "dataset/datasetview.h"
#include "dataset/readsettingsdialog.h"
#include "editor/experimenteditor.h"
#include "experiment/experimentrun.h"
#include "experiment/experimentview.h"
#include "experiment/trialsmodel.h"
#include "experiment/trialview.h"
#include "store/datasetregistry.h"
#include "store/projectstore.h"
#include "store/trust.h"
#include "teststates.h"
#include "tuning/experimentspec.h"
#include "window/jobspanel.h"
#include "window/mainwindow.h"
#include "window/welcomepage.h"

using namespace tunebench;
using tunebench::ui::DatasetView;
using tunebench::ui::ExperimentEditor;
using tunebench::ui::ExperimentRun;
using tunebench::ui::ExperimentView;
using tunebench::ui::MainWindow;
using tunebench::ui::ReadSettingsDialog;

namespace {

const QString kData = QStringLiteral(TUNEBENCH_TEST_DATA);

QStringList childTexts(const QTreeWidgetItem* item)
{
    QStringList texts;
    for (int i = 0; i < item->childCount(); ++i)
        texts << item->child(i)->text(0);
    return texts;
}

/// An external-command experiment whose trials take about steps x sleepMs and report a "loss" curve.
tuning::ExperimentSpec commandSpec(const QString& name, int trials, int steps, int sleepMs, int parallel = 2)
{
    const QJsonObject json = testing::braninCommandSpec(
        {name, QStringLiteral(TUNEBENCH_TESTFUNCTION), steps, sleepMs, trials, parallel, 3});
    return tuning::parseSpec(QJsonDocument(json).toJson(), name.toStdString(), QDir::tempPath().toStdString());
}

using testing::countStatus;
using testing::trialsInProject;

/// Writes `bytes` to `path`; false if the file cannot be written.
bool writeFile(const QString& path, const QByteArray& bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

/// The window's dataset view of the dataset named `name`, or nullptr.
DatasetView* datasetView(MainWindow& window, const QString& name)
{
    for (int i = 0; i < window.tabs()->count(); ++i) {
        if (auto* view = qobject_cast<DatasetView*>(window.tabs()->widget(i));
            view && QString::fromStdString(view->record().name) == name)
            return view;
    }
    return nullptr;
}

/// Opens the project `project` (new), imports the data file `path` into it and returns the dataset view
/// that opens for it once it has loaded; nullptr if any step fails or times out.
DatasetView* importIntoNewProject(MainWindow& window, const QString& project, const QString& path)
{
    if (!window.openProject(project))
        return nullptr;
    QSignalSpy imported(&window, &MainWindow::datasetImported);
    if (window.importFiles({path}) != 1 || !QTest::qWaitFor([&] { return imported.count() == 1; }, 10000))
        return nullptr;
    DatasetView* view = datasetView(window, QFileInfo(path).fileName());
    return view && QTest::qWaitFor([&] { return view->isLoaded(); }, 10000) ? view : nullptr;
}

void dropFiles(QWidget* target, const QStringList& paths)
{
    QList<QUrl> urls;
    for (const QString& path : paths)
        urls << QUrl::fromLocalFile(path);
    QMimeData mime;
    mime.setUrls(urls);
    const QPointF at(target->width() / 2.0, target->height() / 2.0);
    QDragEnterEvent enter(at.toPoint(), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &drop);
}

/// Picks the algorithm `id` in the editor; false if the editor does not offer it.
bool chooseAlgorithm(ExperimentEditor* editor, const QString& id)
{
    const int index = editor->algorithmChooser()->findData(id);
    editor->algorithmChooser()->setCurrentIndex(index);
    return index >= 0;
}

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("TunebenchTests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_mainwindow"));
    }
    void startsOnTheWelcomePage();
    void opensTheDemoProjectInTheBackground();
    void remembersRecentProjects();
    void droppedFilesAndFoldersBecomeDatasets();
    void filesDropOnChartsToo();
    void aBadFileSaysWhereItIsBad();
    void decimalCommasAreNumbers();
    void alignedColumnsUnderATitle();
    void readAsCorrectsAWrongGuess();
    void aFailedImportOffersReadAs();
    void textColumnsSayTheyAreNotFeatures();
    void datesAreShownAsDates();
    void anImportCanBeCancelled();
    void editorSaysWhyRunIsDisabled_data();
    void editorSaysWhyRunIsDisabled();
    void editorStartsSearchesWhereTheSchemaSays();
    void editorGreysOutClassWeightsForRegression();
    void editorSearchesWhatAnAliasStandsFor();
    void editorGreysOutCategorySplitsForOneHot();
    void editorFollowsTheTasksDefaults();
    void editorShowsEveryValueOfAChoice();
    void editorEditsUndoAndRedo();
    void editorSendsTrialsToSlurm();
    void editorSavesLoadsAndImportsSageMakerConfigs();
    void runsAnExperimentFilledInThroughTheEditor();
    void aRareClassIsShownAsAWarning();
    void stopFinishesTheTrialsInFlight();
    void jobsPanelShowsGpuSlots();
    void rungsChartShowsHowTrialsClimb();
    void paretoChartShowsTheFrontAndOpensItsTrials();
    void cancelStopsTheTrialsNow();
    void oneTrialStopsOrRestarts();
    void quittingWithRunsInFlightAsksFirst();
    void reopeningOffersToResumeAnInterruptedExperiment();
    void receivedProjectAsksBeforeRunningItsCommands();

private:
    /// A fresh project with iris registered, opened in `window`.
    QString projectWithIris(MainWindow& window, const QString& name);
    /// A new experiment's editor on a fresh iris project `name` with the algorithm `id` chosen; null if
    /// either step fails.
    ExperimentEditor* editorFor(MainWindow& window, const QString& name, const QString& id);
    QTemporaryDir m_dir;
};

QString TestMainWindow::projectWithIris(MainWindow& window, const QString& name)
{
    const QString path = m_dir.filePath(name + QStringLiteral(".tbproj"));
    {
        const auto project = store::ProjectStore::open(path.toStdString());
        store::registerDataset(*project, QString(kData + QStringLiteral("/iris.csv")).toStdString());
    }
    if (!window.openProject(path))
        return {};
    return path;
}

ExperimentEditor* TestMainWindow::editorFor(MainWindow& window, const QString& name, const QString& id)
{
    if (projectWithIris(window, name).isEmpty())
        return nullptr;
    ExperimentEditor* editor = window.newExperiment();
    return editor && chooseAlgorithm(editor, id) ? editor : nullptr;
}

void TestMainWindow::startsOnTheWelcomePage()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QCOMPARE(window.tabs()->currentWidget(), window.welcomePage());
    QVERIFY(window.welcomePage()->openDemoButton()->isEnabled());
    QCOMPARE(window.explorer()->topLevelItem(0)->text(0), QStringLiteral("(no project open)"));
    QVERIFY(window.infoBar()->isHidden());
}

void TestMainWindow::opensTheDemoProjectInTheBackground()
{
    MainWindow window;
    window.show();
    QSignalSpy opened(&window, &MainWindow::projectOpened);
    window.openDemoProject(m_dir.filePath(QStringLiteral("demo")));
    // The work runs on a pool thread: the button is disabled until it is done, and the GUI stays live.
    QVERIFY(!window.welcomePage()->openDemoButton()->isEnabled());
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 20000);
    QVERIFY(window.welcomePage()->openDemoButton()->isEnabled());
    QCOMPARE(window.projectPath(), m_dir.filePath(QStringLiteral("demo/demo.tbproj")));
    const QTreeWidgetItem* root = window.explorer()->topLevelItem(0);
    QCOMPARE(root->text(0), QStringLiteral("demo.tbproj"));
    const QStringList datasets = childTexts(root->child(0));
    QCOMPARE(datasets.size(), 3);
    QVERIFY(datasets.contains(QStringLiteral("breast_cancer.csv  (569 × 31)")));
    QVERIFY(datasets.contains(QStringLiteral("penguins.csv  (344 × 8)")));
    QVERIFY(window.windowTitle().startsWith(QLatin1String("demo.tbproj")));
    // The example experiment waits in an editor, ready to run.
    auto* editor = qobject_cast<ExperimentEditor*>(window.tabs()->currentWidget());
    QVERIFY(editor);
    QCOMPARE(editor->nameEdit()->text(), QStringLiteral("breast-cancer-mlp"));
    QCOMPARE(editor->algorithmChooser()->currentData().toString(), QStringLiteral("mlp"));
    QVERIFY(editor->paramRow(QStringLiteral("learning_rate"))->tune->isChecked());
    QVERIFY2(editor->problem().isEmpty(), qPrintable(editor->problem()));
    QVERIFY(editor->runButton()->isEnabled());
}

void TestMainWindow::remembersRecentProjects()
{
    const QString project = m_dir.filePath(QStringLiteral("recent.tbproj"));
    {
        MainWindow window;
        QVERIFY(window.openProject(project));
    }
    MainWindow window;
    auto* recent = window.welcomePage()->findChild<QListWidget*>(QStringLiteral("recentProjects"));
    QVERIFY(recent);
    QVERIFY(recent->count() >= 1);
    QCOMPARE(recent->item(0)->data(Qt::UserRole).toString(), project);
    // A project that is gone is not offered.
    const QString gone = m_dir.filePath(QStringLiteral("gone.tbproj"));
    {
        MainWindow opener;
        QVERIFY(opener.openProject(gone));
    }
    QVERIFY(QFile::remove(gone));
    MainWindow later;
    auto* list = later.welcomePage()->findChild<QListWidget*>(QStringLiteral("recentProjects"));
    for (int i = 0; i < list->count(); ++i)
        QVERIFY(list->item(i)->data(Qt::UserRole).toString() != gone);
    QCOMPARE(list->item(0)->data(Qt::UserRole).toString(), project);
}

void TestMainWindow::droppedFilesAndFoldersBecomeDatasets()
{
    MainWindow window;
    window.show();
    QVERIFY(window.openProject(m_dir.filePath(QStringLiteral("drop.tbproj"))));
    // Two files and a folder holding an ARFF file and something that is not data.
    const QString folder = m_dir.filePath(QStringLiteral("dropped-folder"));
    QVERIFY(QDir().mkpath(folder));
    QVERIFY(QFile::copy(kData + QStringLiteral("/glass.arff"), folder + QStringLiteral("/glass.arff")));
    QVERIFY(writeFile(folder + QStringLiteral("/notes.md"), "not data\n"));
    QSignalSpy imported(&window, &MainWindow::datasetImported);
    QSignalSpy failed(&window, &MainWindow::importFailed);
    dropFiles(&window, {kData + QStringLiteral("/iris.csv"), kData + QStringLiteral("/penguins.csv"), folder});
    // Each import is a job with a progress bar while it runs.
    QCOMPARE(window.jobsPanel()->jobs().size(), 3);
    QTRY_COMPARE_WITH_TIMEOUT(imported.count(), 3, 20000);
    QCOMPARE(failed.count(), 0);
    const QStringList datasets = childTexts(window.explorer()->topLevelItem(0)->child(0));
    QVERIFY(datasets.contains(QStringLiteral("iris.csv  (150 × 5)")));
    QVERIFY(datasets.contains(QStringLiteral("penguins.csv  (344 × 8)")));
    QVERIFY(datasets.contains(QStringLiteral("glass.arff  (214 × 10)")));
    // Each opens in a dataset view with its columns, roles and the detected task.
    DatasetView* iris = datasetView(window, QStringLiteral("iris.csv"));
    QVERIFY(iris);
    QTRY_VERIFY_WITH_TIMEOUT(iris->isLoaded(), 10000);
    QCOMPARE(iris->model()->rowCount(), 150);
    QCOMPARE(iris->model()->columnCount(), 5);
    QCOMPARE(iris->columnTable()->rowCount(), 5);
    QCOMPARE(iris->target(), QStringLiteral("target"));
    QVERIFY(iris->taskLabel()->text().contains(QLatin1String("multiclass")));
    iris->setRole(QStringLiteral("sepal length (cm)"), QStringLiteral("ignore"));
    QCOMPARE(iris->ignoredColumns(), QStringList{QStringLiteral("sepal length (cm)")});
    // "New experiment" carries target and ignored columns into the editor.
    QSignalSpy requested(iris, &DatasetView::newExperimentRequested);
    QTest::mouseClick(iris->findChild<QPushButton*>(QStringLiteral("newExperimentButton")), Qt::LeftButton);
    QCOMPARE(requested.count(), 1);
    auto* editor = qobject_cast<ExperimentEditor*>(window.tabs()->currentWidget());
    QVERIFY(editor);
    const QJsonObject dataset = editor->spec().value(QLatin1String("dataset")).toObject();
    QCOMPARE(dataset.value(QLatin1String("target")).toString(), QStringLiteral("target"));
    QCOMPARE(dataset.value(QLatin1String("ignore")).toArray().at(0).toString(), QStringLiteral("sepal length (cm)"));
    QVERIFY(editor->metricChooser()->findData(QStringLiteral("rmse")) < 0); // classification metrics only
    // Dropping the same file again records nothing new.
    dropFiles(&window, {kData + QStringLiteral("/iris.csv")});
    QTRY_COMPARE_WITH_TIMEOUT(imported.count(), 4, 20000);
    QCOMPARE(childTexts(window.explorer()->topLevelItem(0)->child(0)).size(), 3);
}

void TestMainWindow::filesDropOnChartsToo()
{
    // Users drop anywhere: on an experiment's learning curves or best-so-far chart, as on the explorer.
    MainWindow window;
    window.show();
    QVERIFY(window.openProject(m_dir.filePath(QStringLiteral("drop-on-charts.tbproj"))));
    ExperimentRun* run = window.runExperiment(commandSpec(QStringLiteral("charted"), 1, 2, 0, 1));
    QVERIFY(run);
    auto* view = qobject_cast<ExperimentView*>(window.tabs()->currentWidget());
    QVERIFY(view);
    QSignalSpy imported(&window, &MainWindow::datasetImported);
    dropFiles(view->curves()->viewport(), {kData + QStringLiteral("/iris.csv")});
    QTRY_COMPARE_WITH_TIMEOUT(imported.count(), 1, 20000);
    dropFiles(view->bestChart()->viewport(), {kData + QStringLiteral("/penguins.csv")});
    QTRY_COMPARE_WITH_TIMEOUT(imported.count(), 2, 20000);
    QTRY_VERIFY_WITH_TIMEOUT(!run->isRunning(), 20000);
}

void TestMainWindow::aBadFileSaysWhereItIsBad()
{
    MainWindow window;
    QVERIFY(window.openProject(m_dir.filePath(QStringLiteral("bad.tbproj"))));
    const QString bad = m_dir.filePath(QStringLiteral("ragged.csv"));
    QVERIFY(writeFile(bad, "a,b\n1,2\n3\n"));
    QSignalSpy failed(&window, &MainWindow::importFailed);
    QCOMPARE(window.importFiles({bad}), 1);
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 10000);
    const QString error = failed.at(0).at(1).toString();
    QVERIFY2(error.contains(QLatin1String("ragged.csv:3:2")), qPrintable(error));
    QVERIFY(window.jobsPanel()->jobs().constFirst()->isFinished());
    QCOMPARE(childTexts(window.explorer()->topLevelItem(0)->child(0)).size(), 0);
}

void TestMainWindow::readAsCorrectsAWrongGuess()
{
    // A header of years over decimals reads as data when sniffed; "Read As" says the first row names the columns,
    // the view reads it so, the project keeps it, and a new experiment's spec carries it.
    MainWindow window;
    window.show();
    const QString path = m_dir.filePath(QStringLiteral("harvest.csv"));
    QVERIFY(writeFile(path,
                      "region,2019,2020,grade\nnorth,1.5,2.5,a\nsouth,2.5,3.5,b\neast,0.5,1.0,a\n"
                      "west,4.0,4.5,b\nmiddle,3.0,3.5,a\nfar,2.0,1.5,b\n"));
    const QString project = m_dir.filePath(QStringLiteral("readas.tbproj"));
    DatasetView* view = importIntoNewProject(window, project, path);
    QVERIFY(view);
    QCOMPARE(view->model()->rowCount(), 7);
    QVERIFY2(view->summary()->text().contains(QLatin1String("no header")), qPrintable(view->summary()->text()));
    QTRY_VERIFY(view->readAsButton()->isEnabled());

    QTest::mouseClick(view->readAsButton(), Qt::LeftButton);
    auto* dialog = view->findChild<ReadSettingsDialog*>();
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->isVisible());
    // Each choice starts at sniffing and says what it found.
    QCOMPARE(dialog->headerChooser()->currentText(), QStringLiteral("Sniff (found: data)"));
    QCOMPARE(dialog->delimiterChooser()->currentText(), QStringLiteral("Sniff (found: comma)"));
    dialog->headerChooser()->setCurrentIndex(dialog->headerChooser()->findData(true));
    QSignalSpy changed(view, &DatasetView::readingChanged);
    dialog->accept();
    QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 1, 10000);
    QCOMPARE(view->model()->rowCount(), 6);
    QCOMPARE(view->model()->headerData(1, Qt::Horizontal, Qt::DisplayRole).toString(), QStringLiteral("2019\nnumeric"));
    QCOMPARE(view->columnTable()->item(3, 0)->text(), QStringLiteral("grade"));
    QVERIFY2(view->summary()->text().contains(QStringLiteral("6 rows × 4 columns")),
             qPrintable(view->summary()->text()));
    QVERIFY2(view->summary()->text().contains(QLatin1String("delimiter ',', header")),
             qPrintable(view->summary()->text()));
    QVERIFY(childTexts(window.explorer()->topLevelItem(0)->child(0)).contains(QStringLiteral("harvest.csv  (6 × 4)")));
    {
        const auto store = store::ProjectStore::open(project.toStdString(), store::ProjectStore::Mode::ReadOnly);
        QCOMPARE(store->datasets().at(0).readSettingsJson, std::string(R"({"header":true})"));
    }

    // A new experiment reads the file as the project says.
    view->targetChooser()->setCurrentText(QStringLiteral("grade"));
    QTest::mouseClick(view->findChild<QPushButton*>(QStringLiteral("newExperimentButton")), Qt::LeftButton);
    auto* editor = qobject_cast<ExperimentEditor*>(window.tabs()->currentWidget());
    QVERIFY(editor);
    const QJsonObject dataset = editor->spec().value(QLatin1String("dataset")).toObject();
    QCOMPARE(dataset.value(QLatin1String("read")).toObject(), QJsonObject({{QStringLiteral("header"), true}}));
    QCOMPARE(dataset.value(QLatin1String("target")).toString(), QStringLiteral("grade"));
    QVERIFY(editor->parsedSpec());
    QVERIFY(editor->parsedSpec()->readSettings.header == data::ReadOptions::Header::Present);
    QVERIFY(
        editor->datasetChooser()->itemData(0, Qt::ToolTipRole).toString().endsWith(QLatin1String("Read as: header")));

    // An ARFF file says its own layout: nothing to read it as.
    MainWindow other;
    DatasetView* arff = importIntoNewProject(other, m_dir.filePath(QStringLiteral("arff.tbproj")),
                                             kData + QStringLiteral("/iris.arff"));
    QVERIFY(arff);
    QTRY_VERIFY(arff->readAsButton()->toolTip().startsWith(QLatin1String("ARFF")));
    QVERIFY(!arff->readAsButton()->isEnabled());

    // Opened again, the dataset reads with its settings.
    MainWindow second;
    QVERIFY(second.openProject(project));
    DatasetView* again = second.openDataset(1);
    QVERIFY(again);
    QTRY_VERIFY_WITH_TIMEOUT(again->isLoaded(), 10000);
    QCOMPARE(again->model()->rowCount(), 6);
}

void TestMainWindow::aFailedImportOffersReadAs()
{
    // Twelve lines of notes above the table: more than sniffing looks past, so the import fails at the table's
    // header, and the "Read As" dialog that opens takes the rows to leave out.
    MainWindow window;
    window.show();
    QByteArray bytes;
    for (int i = 1; i <= 12; ++i)
        bytes += "Note " + QByteArray::number(i) + " about the survey\n";
    bytes += "height,width,kind\n";
    for (int i = 1; i <= 20; ++i)
        bytes += QByteArray::number(i) + ".5," + QByteArray::number(i % 4) + ".25,k" + QByteArray::number(i % 3) + "\n";
    const QString path = m_dir.filePath(QStringLiteral("survey.csv"));
    QVERIFY(writeFile(path, bytes));
    QVERIFY(window.openProject(m_dir.filePath(QStringLiteral("failed.tbproj"))));
    QSignalSpy failed(&window, &MainWindow::importFailed);
    QSignalSpy imported(&window, &MainWindow::datasetImported);
    QCOMPARE(window.importFiles({path}), 1);
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 10000);
    QVERIFY2(failed.at(0).at(1).toString().contains(QLatin1String("survey.csv:13:")),
             qPrintable(failed.at(0).at(1).toString()));
    auto* dialog = window.findChild<ReadSettingsDialog*>();
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->isVisible());
    dialog->skipRowsBox()->setValue(12);
    dialog->accept();
    QTRY_COMPARE_WITH_TIMEOUT(imported.count(), 1, 10000);
    DatasetView* view = datasetView(window, QStringLiteral("survey.csv"));
    QVERIFY(view);
    QTRY_VERIFY_WITH_TIMEOUT(view->isLoaded(), 10000);
    QCOMPARE(view->model()->rowCount(), 20);
    QCOMPARE(view->model()->columnCount(), 3);
    QVERIFY2(view->summary()->text().contains(QLatin1String("12 rows above the table left out, header")),
             qPrintable(view->summary()->text()));
}

void TestMainWindow::decimalCommasAreNumbers()
{
    // As a spreadsheet saves CSV in much of Europe: semicolons, decimal commas, points grouping thousands.
    MainWindow window;
    window.show();
    const QString path = m_dir.filePath(QStringLiteral("mesures.csv"));
    QVERIFY(writeFile(path, "\xEF\xBB\xBFlongueur;poids;classe\r\n1,5;1.200,25;a\r\n2,25;980;b\r\n-0,5;1.001,5;a\r\n"));
    DatasetView* view = importIntoNewProject(window, m_dir.filePath(QStringLiteral("euro.tbproj")), path);
    QVERIFY(view);
    QVERIFY2(view->summary()->text().contains(QLatin1String("delimiter ';', decimal comma, header")),
             qPrintable(view->summary()->text()));
    QCOMPARE(view->model()->data(view->model()->index(0, 0), Qt::DisplayRole).toString(), QStringLiteral("1.5"));
    QCOMPARE(view->model()->data(view->model()->index(0, 1), Qt::DisplayRole).toString(), QStringLiteral("1200.25"));
    QCOMPARE(view->model()->data(view->model()->index(2, 0), Qt::DisplayRole).toString(), QStringLiteral("-0.5"));
}

void TestMainWindow::alignedColumnsUnderATitle()
{
    // A .data file as many are written: a title line, then columns lined up with blanks.
    MainWindow window;
    window.show();
    const QString path = m_dir.filePath(QStringLiteral("growth.data"));
    QVERIFY(writeFile(path,
                      "Plant growth, May 2024 (cm)\n  height  width  kind\n    12.5    3.0  fern\n"
                      "     8.0   2.25  moss\n"));
    DatasetView* view = importIntoNewProject(window, m_dir.filePath(QStringLiteral("aligned.tbproj")), path);
    QVERIFY(view);
    QVERIFY2(
        view->summary()->text().contains(QLatin1String("delimiter whitespace, 1 row above the table left out, header")),
        qPrintable(view->summary()->text()));
    QCOMPARE(view->model()->columnCount(), 3);
    QCOMPARE(view->model()->headerData(0, Qt::Horizontal, Qt::DisplayRole).toString(),
             QStringLiteral("height\nnumeric"));
    QCOMPARE(view->model()->data(view->model()->index(1, 1), Qt::DisplayRole).toString(), QStringLiteral("2.25"));
    // Counts of one row: ticks at 0 and 1, not six labels of "%d" over 0, 0.2, ... 1 ("0 0 0 0 0 1").
    const auto axes = view->distributionChart()->chart()->axes(Qt::Vertical);
    QCOMPARE(axes.size(), 1);
    const auto* rows = qobject_cast<const QValueAxis*>(axes.constFirst());
    QVERIFY(rows);
    QCOMPARE(rows->max(), 1.0);
    QCOMPARE(rows->tickInterval(), 1.0);
    QCOMPARE(rows->tickType(), QValueAxis::TicksDynamic);
    if (const QByteArray folder = qgetenv("TUNEBENCH_SCREENSHOTS"); !folder.isEmpty()) {
        // The chart's scene lays out on later events: saved once two grabs in a row are the same.
        QImage last;
        QTRY_VERIFY([&] {
            const QImage now = window.grab().toImage();
            return std::exchange(last, now) == now;
        }());
        last.save(QString::fromLocal8Bit(folder) + QStringLiteral("/dataset-aligned.png"));
    }
}

void TestMainWindow::textColumnsSayTheyAreNotFeatures()
{
    // OpenML's Titanic: names, tickets and cabins are free text; its target is "survived", not the last column.
    MainWindow window;
    window.show();
    DatasetView* view = importIntoNewProject(window, m_dir.filePath(QStringLiteral("titanic.tbproj")),
                                             kData + QStringLiteral("/titanic.arff.gz"));
    QVERIFY(view);
    QCOMPARE(view->target(), QStringLiteral("survived"));
    QTableWidget* columns = view->columnTable();
    auto roleOf = [&](const QString& name) {
        const QList<QTableWidgetItem*> found = columns->findItems(name, Qt::MatchExactly);
        return found.size() == 1 ? qobject_cast<QComboBox*>(columns->cellWidget(found.front()->row(), 2)) : nullptr;
    };
    QVERIFY(roleOf(QStringLiteral("name")) && roleOf(QStringLiteral("sex")));
    QVERIFY(roleOf(QStringLiteral("name"))->toolTip().contains(QLatin1String("no algorithm uses it")));
    QVERIFY(roleOf(QStringLiteral("sex"))->toolTip().isEmpty());
    auto readAsCategories = [&](const QString& name) {
        const QList<QTableWidgetItem*> found = columns->findItems(name, Qt::MatchExactly);
        auto* type
            = found.size() == 1 ? qobject_cast<QComboBox*>(columns->cellWidget(found.front()->row(), 1)) : nullptr;
        if (type)
            type->setCurrentText(QStringLiteral("categorical"));
        return type != nullptr;
    };
    // Read as categorical, "boat" (27 lifeboats) becomes a feature like any other.
    QVERIFY(readAsCategories(QStringLiteral("boat")));
    QVERIFY(roleOf(QStringLiteral("boat"))->toolTip().isEmpty());
    // "name" read as categories would be 1,307 of them: a feature each, which the tooltip says.
    QVERIFY(readAsCategories(QStringLiteral("name")));
    QVERIFY2(roleOf(QStringLiteral("name"))->toolTip().startsWith(QLatin1String("1307 categories")),
             qPrintable(roleOf(QStringLiteral("name"))->toolTip()));
    QCOMPARE(view->typeOverrides().value(QStringLiteral("boat")).toString(), QStringLiteral("categorical"));
}

void TestMainWindow::datesAreShownAsDates()
{
    MainWindow window;
    window.show();
    const QString path = m_dir.filePath(QStringLiteral("days.csv"));
    QVERIFY(writeFile(path, "day,v\n2020-03-05,2\n2020-01-01,1\n2021-12-31,3\n2020-07-14,1\n"));
    DatasetView* view = importIntoNewProject(window, m_dir.filePath(QStringLiteral("dates.tbproj")), path);
    QVERIFY(view);
    view->columnTable()->setCurrentCell(0, 0);
    QChart* chart = view->distributionChart()->chart();
    QTRY_COMPARE(chart->title(), QStringLiteral("day: histogram (2020-01-01 to 2021-12-31)"));
    const auto* axis = qobject_cast<QDateTimeAxis*>(chart->axes(Qt::Horizontal).value(0));
    QVERIFY(axis);
    QCOMPARE(axis->min().toUTC().date(), QDate(2020, 1, 1));
    QCOMPARE(axis->format(), QStringLiteral("yyyy-MM")); // two years: months are fine enough
    QCOMPARE(view->model()->data(view->model()->index(1, 0), Qt::DisplayRole).toString(), QStringLiteral("2020-01-01"));
}

void TestMainWindow::anImportCanBeCancelled()
{
    MainWindow window;
    window.show();
    QVERIFY(window.openProject(m_dir.filePath(QStringLiteral("cancel-import.tbproj"))));
    // A file big enough to take a while (written here, not kept in the repository).
    const QString big = m_dir.filePath(QStringLiteral("big.csv"));
    QFile file(big);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("a,b,c,d,label\n");
    QByteArray rows;
    for (int row = 0; row < 400000; ++row)
        rows += QByteArray::number(row) + ',' + QByteArray::number(row * 0.5) + ',' + QByteArray::number(row % 7) + ",x"
            + QByteArray::number(row % 5) + ',' + QByteArray::number(row % 2) + '\n';
    file.write(rows);
    file.close();
    QSignalSpy imported(&window, &MainWindow::datasetImported);
    QCOMPARE(window.importFiles({big}), 1);
    ui::Job* job = window.jobsPanel()->jobs().constFirst();
    QVERIFY(!job->isFinished());
    // The jobs panel's Cancel, on the selected import.
    auto* cancel = window.jobsPanel()->findChildren<QPushButton*>().at(1);
    QCOMPARE(cancel->text(), QStringLiteral("Cancel"));
    QVERIFY(cancel->isEnabled());
    QTest::mouseClick(cancel, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(job->isFinished(), 20000);
    QCOMPARE(window.jobsPanel()->tree()->topLevelItem(0)->text(2), QStringLiteral("cancelled"));
    QCOMPARE(imported.count(), 0);
    QCOMPARE(childTexts(window.explorer()->topLevelItem(0)->child(0)).size(), 0);
}

void TestMainWindow::editorSaysWhyRunIsDisabled_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("parameter");
    QTest::addColumn<QString>("from");
    QTest::addColumn<QString>("to");
    QTest::addColumn<bool>("log");
    QTest::addColumn<QString>("problem");
    QTest::newRow("valid") << "exp"
                           << "C"
                           << "0.01"
                           << "100" << true << "";
    QTest::newRow("no name") << ""
                             << "C"
                             << "0.01"
                             << "100" << true << "Give the experiment a name";
    QTest::newRow("taken name") << "taken"
                                << "C"
                                << "0.01"
                                << "100" << true << "already has an experiment named";
    QTest::newRow("min above max") << "exp"
                                   << "C"
                                   << "100"
                                   << "0.01" << true << "ranges.C";
    QTest::newRow("log of zero") << "exp"
                                 << "l1_ratio"
                                 << "0"
                                 << "1" << true << "ranges.l1_ratio";
    QTest::newRow("not a number") << "exp"
                                  << "C"
                                  << "abc"
                                  << "1" << false << "ranges.C.min";
    QTest::newRow("outside the schema") << "exp"
                                        << "l1_ratio"
                                        << "0"
                                        << "2" << false << "ranges.l1_ratio";
}

void TestMainWindow::editorSaysWhyRunIsDisabled()
{
    QFETCH(QString, name);
    QFETCH(QString, parameter);
    QFETCH(QString, from);
    QFETCH(QString, to);
    QFETCH(bool, log);
    QFETCH(QString, problem);
    MainWindow window;
    const QString project = projectWithIris(
        window,
        QStringLiteral("editor-")
            + QString::fromLatin1(QTest::currentDataTag()).replace(QLatin1Char(' '), QLatin1Char('-')));
    QVERIFY(!project.isEmpty());
    {
        const auto store = store::ProjectStore::open(project.toStdString());
        store::ExperimentRecord taken;
        taken.name = "taken";
        taken.specJson = "{}";
        taken.status = ExperimentState::Finished;
        store->createExperiment(taken);
    }
    QVERIFY(window.openProject(project));
    ExperimentEditor* editor = window.newExperiment();
    QVERIFY(editor);
    QVERIFY(chooseAlgorithm(editor, QStringLiteral("logistic")));
    editor->nameEdit()->setText(name);
    const ExperimentEditor::ParamRow* row = editor->paramRow(parameter);
    QVERIFY(row);
    row->tune->setChecked(true);
    static_cast<QLineEdit*>(row->from)->setText(from);
    row->to->setText(to);
    row->scale->setCurrentIndex(row->scale->findData(log ? QStringLiteral("log") : QStringLiteral("linear")));
    if (problem.isEmpty()) {
        QVERIFY2(editor->runButton()->isEnabled(), qPrintable(editor->problem()));
        QVERIFY(editor->problemLabel()->text().isEmpty());
        QVERIFY(editor->parsedSpec().has_value());
        QCOMPARE(editor->parsedSpec()->searchSpace().size(), std::size_t{1});
    } else {
        QVERIFY(!editor->runButton()->isEnabled());
        QVERIFY2(editor->problemLabel()->text().contains(problem), qPrintable(editor->problemLabel()->text()));
        QVERIFY(editor->runButton()->toolTip().contains(problem));
    }
}

void TestMainWindow::editorStartsSearchesWhereTheSchemaSays()
{
    MainWindow window;
    const QString project = projectWithIris(window, QStringLiteral("search-range"));
    QVERIFY(!project.isEmpty());
    QVERIFY(window.openProject(project));
    ExperimentEditor* editor = window.newExperiment();
    QVERIFY(editor);
    QVERIFY(chooseAlgorithm(editor, QStringLiteral("tree")));
    // ccp_alpha may go to 1e6 (a regression target's squared units), but a search starts at 0 to 0.05.
    const ExperimentEditor::ParamRow* alpha = editor->paramRow(QStringLiteral("ccp_alpha"));
    QVERIFY(alpha);
    QCOMPARE(static_cast<QLineEdit*>(alpha->from)->text(), QStringLiteral("0"));
    QCOMPARE(alpha->to->text(), QStringLiteral("0.05"));
    QCOMPARE(alpha->scale->currentData().toString(), QStringLiteral("linear"));
    // Without a search range, the bounds.
    const ExperimentEditor::ParamRow* leaf = editor->paramRow(QStringLiteral("min_samples_leaf"));
    QVERIFY(leaf);
    QCOMPARE(static_cast<QLineEdit*>(leaf->from)->text(), QStringLiteral("1"));
    QCOMPARE(leaf->to->text(), QStringLiteral("1000"));
    alpha->tune->setChecked(true);
    editor->nameEdit()->setText(QStringLiteral("pruned"));
    QVERIFY2(editor->runButton()->isEnabled(), qPrintable(editor->problem()));
}

void TestMainWindow::editorGreysOutClassWeightsForRegression()
{
    MainWindow window;
    ExperimentEditor* editor = editorFor(window, QStringLiteral("class-weight"), QStringLiteral("forest"));
    QVERIFY(editor);
    const ExperimentEditor::ParamRow* weight = editor->paramRow(QStringLiteral("class_weight"));
    const ExperimentEditor::ParamRow* criterion = editor->paramRow(QStringLiteral("criterion"));
    const ExperimentEditor::ParamRow* trees = editor->paramRow(QStringLiteral("trees"));
    QVERIFY(weight && criterion && trees);
    // iris' classes: class weights apply, and may be searched.
    QVERIFY(weight->tune->isEnabled());
    QVERIFY(weight->value->isEnabled());
    weight->tune->setChecked(true);
    // A number to predict: no class to weigh, no split criterion to choose; the search over it is dropped.
    QComboBox* target = editor->targetChooser();
    target->setCurrentIndex(target->findText(QStringLiteral("petal length (cm)")));
    QVERIFY(editor->metricChooser()->findData(QStringLiteral("rmse")) >= 0); // the task is regression
    for (const ExperimentEditor::ParamRow* row : {weight, criterion}) {
        QVERIFY(!row->tune->isEnabled());
        QVERIFY(!row->tune->isChecked());
        QVERIFY(!row->value->isEnabled());
    }
    QVERIFY(trees->tune->isEnabled() && trees->value->isEnabled());
    editor->nameEdit()->setText(QStringLiteral("petals"));
    QVERIFY2(editor->parsedSpec().has_value(), qPrintable(editor->problem()));
    QVERIFY(editor->parsedSpec()->searchSpace().empty());
    // Back to the classes: both apply again.
    target->setCurrentIndex(target->findText(QStringLiteral("target")));
    QVERIFY(weight->tune->isEnabled() && weight->value->isEnabled());
    QVERIFY(criterion->tune->isEnabled() && criterion->value->isEnabled());
}

void TestMainWindow::editorSearchesWhatAnAliasStandsFor()
{
    // A forest's max_features=auto is sqrt for classes and all for numbers: searching it beside them would
    // spend trials on a repeat, so ticking it for tuning starts from the three rules themselves.
    MainWindow window;
    ExperimentEditor* editor = editorFor(window, QStringLiteral("alias"), QStringLiteral("forest"));
    QVERIFY(editor);
    const ExperimentEditor::ParamRow* rule = editor->paramRow(QStringLiteral("max_features"));
    QVERIFY(rule);
    QCOMPARE(qobject_cast<QComboBox*>(rule->value)->currentText(), QStringLiteral("auto"));
    rule->tune->setChecked(true);
    editor->nameEdit()->setText(QStringLiteral("rules"));
    const std::optional<tuning::ExperimentSpec>& spec = editor->parsedSpec();
    QVERIFY2(spec.has_value(), qPrintable(editor->problem()));
    const auto space = spec->searchSpace();
    QCOMPARE(space.size(), std::size_t{1});
    QCOMPARE(space.dimensions().front().range.values, (std::vector<std::string>{"all", "sqrt", "log2"}));
    // Every other choice list still starts whole: the criterion searches gini and entropy.
    const ExperimentEditor::ParamRow* criterion = editor->paramRow(QStringLiteral("criterion"));
    criterion->tune->setChecked(true);
    const auto both = editor->parsedSpec()->searchSpace();
    QCOMPARE(both.dimensions()[*both.indexOf("criterion")].range.values, (std::vector<std::string>{"gini", "entropy"}));
}

void TestMainWindow::editorGreysOutCategorySplitsForOneHot()
{
    MainWindow window;
    ExperimentEditor* editor = editorFor(window, QStringLiteral("category-splits"), QStringLiteral("xgboost"));
    QVERIFY(editor);
    editor->nameEdit()->setText(QStringLiteral("splits"));
    const ExperimentEditor::ParamRow* threshold = editor->paramRow(QStringLiteral("max_cat_threshold"));
    const ExperimentEditor::ParamRow* oneHot = editor->paramRow(QStringLiteral("max_cat_to_onehot"));
    const ExperimentEditor::ParamRow* depth = editor->paramRow(QStringLiteral("max_depth"));
    QVERIFY(threshold && oneHot && depth);
    // One-hot columns (the default): xgboost sees no categories, so how it splits them means nothing.
    for (const ExperimentEditor::ParamRow* row : {threshold, oneHot})
        QVERIFY(!row->tune->isEnabled() && !row->value->isEnabled());
    QVERIFY(depth->tune->isEnabled() && depth->value->isEnabled());
    // Codes: they apply, and may be searched.
    QComboBox* categories = editor->categoricalChooser();
    categories->setCurrentIndex(categories->findData(QStringLiteral("codes")));
    for (const ExperimentEditor::ParamRow* row : {threshold, oneHot})
        QVERIFY(row->tune->isEnabled() && row->value->isEnabled());
    threshold->tune->setChecked(true);
    QVERIFY2(editor->parsedSpec().has_value(), qPrintable(editor->problem()));
    QCOMPARE(editor->parsedSpec()->searchSpace().size(), std::size_t{1});
    // Back to one-hot: greyed out again, and the search over it dropped.
    categories->setCurrentIndex(categories->findData(QStringLiteral("onehot")));
    QVERIFY(!threshold->tune->isEnabled() && !threshold->tune->isChecked() && !threshold->value->isEnabled());
    QVERIFY2(editor->parsedSpec().has_value(), qPrintable(editor->problem()));
    QVERIFY(editor->parsedSpec()->searchSpace().empty());
}

void TestMainWindow::editorFollowsTheTasksDefaults()
{
    // xgboost's depth, learning rate and share of features per split default to 6, 0.3 and 0.5 for classes and to
    // 3, 0.2 and 1 for a number to predict (gamma: 1 for two classes, 0 for three or more and for a number): a
    // value left at its default follows the target, one typed stays.
    MainWindow window;
    ExperimentEditor* editor = editorFor(window, QStringLiteral("task-defaults"), QStringLiteral("xgboost"));
    QVERIFY(editor);
    editor->nameEdit()->setText(QStringLiteral("defaults"));
    const ExperimentEditor::ParamRow* depth = editor->paramRow(QStringLiteral("max_depth"));
    const ExperimentEditor::ParamRow* eta = editor->paramRow(QStringLiteral("eta"));
    const ExperimentEditor::ParamRow* share = editor->paramRow(QStringLiteral("colsample_bynode"));
    const ExperimentEditor::ParamRow* rounds = editor->paramRow(QStringLiteral("rounds"));
    QVERIFY(depth && eta && share && rounds);
    auto shown = [](const ExperimentEditor::ParamRow* row) { return row->valueText(); };
    auto fixed = [editor] { return editor->spec().value(QLatin1String("fixed")).toObject(); };
    QCOMPARE(shown(depth), QStringLiteral("6"));
    QCOMPARE(shown(eta), QStringLiteral("0.3"));
    QCOMPARE(shown(share), QStringLiteral("0.5"));
    QVERIFY(depth->value->toolTip().contains(QStringLiteral("Default: 6 for classes, 3 for a number to predict")));
    // No least gain for iris's three classes (1 for two classes): the editor shows the default the run takes.
    const ExperimentEditor::ParamRow* gamma = editor->paramRow(QStringLiteral("gamma"));
    QVERIFY(gamma);
    QCOMPARE(shown(gamma), QStringLiteral("0"));
    QVERIFY2(gamma->value->toolTip().contains(
                 QStringLiteral("Default: 1 for two classes, 0 for three or more, 0 for a number to predict")),
             qPrintable(gamma->value->toolTip()));
    QVERIFY(fixed().isEmpty()); // defaults stay implicit

    QComboBox* target = editor->targetChooser();
    target->setCurrentIndex(target->findText(QStringLiteral("petal length (cm)")));
    QCOMPARE(shown(depth), QStringLiteral("3"));
    QCOMPARE(shown(eta), QStringLiteral("0.2"));
    QCOMPARE(shown(share), QStringLiteral("1"));
    QCOMPARE(shown(rounds), QStringLiteral("100")); // one default for both
    QVERIFY(fixed().isEmpty());
    QVERIFY2(editor->parsedSpec().has_value(), qPrintable(editor->problem()));

    // A depth the user typed is the user's: it stays whatever the target, and the spec says it.
    qobject_cast<QLineEdit*>(depth->value)->setText(QStringLiteral("5"));
    target->setCurrentIndex(target->findText(QStringLiteral("target")));
    QCOMPARE(shown(depth), QStringLiteral("5"));
    QCOMPARE(shown(eta), QStringLiteral("0.3"));
    QCOMPARE(fixed(), (QJsonObject{{QStringLiteral("max_depth"), 5}}));
    target->setCurrentIndex(target->findText(QStringLiteral("petal length (cm)")));
    QCOMPARE(shown(depth), QStringLiteral("5"));
    QCOMPARE(fixed(), (QJsonObject{{QStringLiteral("max_depth"), 5}}));
    // Typed back to the regression default, it is implicit again.
    qobject_cast<QLineEdit*>(depth->value)->setText(QStringLiteral("3"));
    QVERIFY(fixed().isEmpty());
}

void TestMainWindow::editorShowsEveryValueOfAChoice()
{
    MainWindow window;
    QVERIFY(!projectWithIris(window, QStringLiteral("choices")).isEmpty());
    window.resize(1280, 800);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    ExperimentEditor* editor = window.newExperiment();
    QVERIFY(editor);
    QVERIFY(chooseAlgorithm(editor, QStringLiteral("xgboost")));
    QVERIFY(!editor->standardizeCheck()->isEnabled()); // xgboost never scales its inputs
    const ExperimentEditor::ParamRow* method = editor->paramRow(QStringLiteral("tree_method"));
    QVERIFY(method);
    auto* choices = qobject_cast<QToolButton*>(method->from);
    QVERIFY(choices);
    QCOMPARE(choices->text(), QStringLiteral("auto, exact, hist, approx"));
    QVERIFY(choices->toolTip().contains(choices->text()));
    // The list spans From, To and Scale, wide enough to be read whole rather than cut at both ends.
    QTableWidget* table = editor->parameterTable();
    const QList<QTableWidgetItem*> names = table->findItems(QStringLiteral("tree_method"), Qt::MatchExactly);
    QCOMPARE(names.size(), 1);
    QCOMPARE(table->cellWidget(names.front()->row(), ui::ParameterTable::FromColumn), choices);
    QCOMPARE(table->columnSpan(names.front()->row(), ui::ParameterTable::FromColumn), 3);
    QTRY_VERIFY2(choices->width() >= choices->sizeHint().width(),
                 qPrintable(QStringLiteral("%1 < %2").arg(choices->width()).arg(choices->sizeHint().width())));
    // Unchecking a value shows in the text and the tooltip.
    choices->menu()->actions().at(1)->setChecked(false);
    QCOMPARE(choices->text(), QStringLiteral("auto, hist, approx"));
    QVERIFY(choices->toolTip().contains(QStringLiteral("auto, hist, approx")));
    QVERIFY(chooseAlgorithm(editor, QStringLiteral("logistic")));
    QVERIFY(editor->standardizeCheck()->isEnabled());
}

void TestMainWindow::editorEditsUndoAndRedo()
{
    MainWindow window;
    QVERIFY(!projectWithIris(window, QStringLiteral("undo")).isEmpty());
    ExperimentEditor* editor = window.newExperiment();
    QUndoStack* undo = editor->undoStack();
    QCOMPARE(undo->count(), 0);
    const int before = editor->maxTrialsEdit()->value();
    editor->maxTrialsEdit()->setValue(before + 7);
    QTRY_COMPARE(undo->count(), 1); // one step once the edits settle
    editor->strategyChooser()->setCurrentIndex(editor->strategyChooser()->findData(QStringLiteral("tpe")));
    QTRY_COMPARE(undo->count(), 2);
    undo->undo();
    QCOMPARE(editor->strategyChooser()->currentData().toString(), QStringLiteral("bayesian"));
    QCOMPARE(editor->maxTrialsEdit()->value(), before + 7);
    undo->undo();
    QCOMPARE(editor->maxTrialsEdit()->value(), before);
    undo->redo();
    undo->redo();
    QCOMPARE(editor->maxTrialsEdit()->value(), before + 7);
    QCOMPARE(editor->strategyChooser()->currentData().toString(), QStringLiteral("tpe"));
    // The window's Edit menu drives the active editor's stack.
    QCOMPARE(window.undoGroup()->activeStack(), undo);
}

void TestMainWindow::editorSendsTrialsToSlurm()
{
    // "Run on: Slurm cluster" puts an executor in the spec (what it needs said when missing); a loaded spec's
    // executor shows in the controls, its other settings kept.
    MainWindow window;
    QVERIFY(!projectWithIris(window, QStringLiteral("slurm")).isEmpty());
    ExperimentEditor* editor = window.newExperiment();
    QVERIFY(editor);
    QVERIFY(editor->runButton()->isEnabled());
    auto* executor = editor->findChild<QComboBox*>(QStringLiteral("executor"));
    auto* folder = editor->findChild<QLineEdit*>(QStringLiteral("slurmFolder"));
    QVERIFY(executor && folder);
    QVERIFY(!folder->isVisible());
    executor->setCurrentIndex(executor->findData(QStringLiteral("slurm")));
    QVERIFY(folder->isVisibleTo(editor));
    QVERIFY(!editor->runButton()->isEnabled()); // no shared folder yet
    QVERIFY2(editor->problem().contains(QLatin1String("work_dir")), qPrintable(editor->problem()));
    folder->setText(m_dir.filePath(QStringLiteral("cluster-work")));
    QVERIFY2(editor->runButton()->isEnabled(), qPrintable(editor->problem()));
    QVERIFY(editor->parsedSpec()->slurm);
    QCOMPARE(QString::fromStdString(editor->parsedSpec()->slurm->workDirectory),
             m_dir.filePath(QStringLiteral("cluster-work")));
    QCOMPARE(editor->parsedSpec()->slurm->timeMinutes, 60);

    QJsonObject spec = editor->spec();
    QJsonObject settings = spec.value(QStringLiteral("executor")).toObject();
    settings.insert(QStringLiteral("partition"), QStringLiteral("gpu"));
    settings.insert(QStringLiteral("sbatch_args"), QJsonArray{QStringLiteral("--qos=low")});
    spec.insert(QStringLiteral("executor"), settings);
    editor->setSpec(spec);
    QCOMPARE(executor->currentData().toString(), QStringLiteral("slurm"));
    QCOMPARE(editor->parsedSpec()->slurm->partition, std::string("gpu"));
    QCOMPARE(editor->parsedSpec()->slurm->sbatchArguments, std::vector<std::string>{"--qos=low"});
    executor->setCurrentIndex(executor->findData(QStringLiteral("local")));
    QVERIFY(!editor->spec().contains(QStringLiteral("executor")));
    QVERIFY(!editor->parsedSpec()->slurm);
}

void TestMainWindow::editorSavesLoadsAndImportsSageMakerConfigs()
{
    MainWindow window;
    const QString project = m_dir.filePath(QStringLiteral("sagemaker.tbproj"));
    const QString penguins = kData + QStringLiteral("/penguins.csv");
    {
        const auto store = store::ProjectStore::open(project.toStdString());
        store::registerDataset(*store, penguins.toStdString());
    }
    QVERIFY(window.openProject(project));
    const QString config = m_dir.filePath(QStringLiteral("tuning-job.json"));
    QVERIFY(writeFile(config,
                      QStringLiteral(R"js({
        "dataset": {"path": "%1", "target": "species"},
        "algorithm": "xgboost",
        "HyperParameterTuningJobName": "penguins-xgb",
        "TrainingJobDefinition": {"StaticHyperParameters": {"rounds": "50"}},
        "HyperParameterTuningJobConfig": {
            "Strategy": "Bayesian",
            "HyperParameterTuningJobObjective": {"Type": "Maximize", "MetricName": "validation:accuracy"},
            "ResourceLimits": {"MaxNumberOfTrainingJobs": 30, "MaxParallelTrainingJobs": 2},
            "ParameterRanges": {
                "ContinuousParameterRanges": [{"Name": "eta", "MinValue": "0.01", "MaxValue": "0.5", "ScalingType": "Logarithmic"}],
                "IntegerParameterRanges": [{"Name": "max_depth", "MinValue": "2", "MaxValue": "8", "ScalingType": "Linear"}]
            },
            "TrainingJobEarlyStoppingType": "Auto",
            "TuningJobCompletionCriteria": {"TargetObjectiveMetricValue": 0.99,
                "BestObjectiveNotImproving": {"MaxNumberOfTrainingJobsNotImproving": 10}},
            "RandomSeed": 42
        }})js")
                          .arg(penguins)
                          .toUtf8()));
    ExperimentEditor* editor = window.newExperiment();
    QString error;
    QVERIFY2(editor->loadFile(config, &error), qPrintable(error));
    QCOMPARE(editor->nameEdit()->text(), QStringLiteral("penguins-xgb"));
    QCOMPARE(editor->algorithmChooser()->currentData().toString(), QStringLiteral("xgboost"));
    QCOMPARE(editor->targetChooser()->currentText(), QStringLiteral("species"));
    QCOMPARE(editor->metricChooser()->currentData().toString(), QStringLiteral("accuracy"));
    QCOMPARE(editor->strategyChooser()->currentData().toString(), QStringLiteral("bayesian"));
    QCOMPARE(editor->maxTrialsEdit()->value(), 30);
    QCOMPARE(editor->maxParallelEdit()->value(), 2);
    const ExperimentEditor::ParamRow* eta = editor->paramRow(QStringLiteral("eta"));
    QVERIFY(eta->tune->isChecked());
    QCOMPARE(eta->scale->currentData().toString(), QStringLiteral("log"));
    QCOMPARE(static_cast<QLineEdit*>(eta->from)->text(), QStringLiteral("0.01"));
    QCOMPARE(eta->to->text(), QStringLiteral("0.5"));
    QVERIFY(editor->paramRow(QStringLiteral("max_depth"))->tune->isChecked());
    QVERIFY(!editor->paramRow(QStringLiteral("subsample"))->tune->isChecked());
    QCOMPARE(static_cast<QLineEdit*>(editor->paramRow(QStringLiteral("rounds"))->value)->text(), QStringLiteral("50"));
    QVERIFY2(editor->runButton()->isEnabled(), qPrintable(editor->problem()));
    // What the form holds parses to the same experiment as the file.
    const tuning::ExperimentSpec direct = tuning::parseSpecFile(config.toStdString());
    const tuning::ExperimentSpec& edited = *editor->parsedSpec();
    QCOMPARE(edited.searchSpace().size(), direct.searchSpace().size());
    QCOMPARE(edited.completion.targetValue, direct.completion.targetValue);
    QCOMPARE(edited.completion.trialsNotImproving, direct.completion.trialsNotImproving);
    QCOMPARE(edited.earlyStopping, direct.earlyStopping);
    QCOMPARE(edited.seed, direct.seed);
    QCOMPARE(algorithms::asInt(edited.algorithms.front().fixed, "rounds"), std::int64_t{50});
    // Preprocessing chosen in the form reaches the experiment (the file said nothing: the defaults).
    QVERIFY(!edited.preprocess.missingIndicators && !edited.preprocess.medianImpute && edited.preprocess.standardize);
    editor->imputeChooser()->setCurrentIndex(editor->imputeChooser()->findData(QStringLiteral("median")));
    editor->indicatorsCheck()->setChecked(true);
    editor->standardizeCheck()->setChecked(false);
    QVERIFY(editor->categoricalChooser()->isEnabled()); // xgboost takes level codes
    editor->categoricalChooser()->setCurrentIndex(editor->categoricalChooser()->findData(QStringLiteral("codes")));
    const algorithms::PreprocessOptions preprocess = editor->parsedSpec()->preprocess;
    QVERIFY(preprocess.medianImpute && preprocess.missingIndicators && !preprocess.standardize);
    QVERIFY(preprocess.categoryCodes);
    // Saved as native JSON, it loads back into the same form.
    const QString saved = m_dir.filePath(QStringLiteral("saved-spec.json"));
    QVERIFY(editor->saveFile(saved, &error));
    ExperimentEditor* again = window.newExperiment();
    QVERIFY2(again->loadFile(saved, &error), qPrintable(error));
    QCOMPARE(again->spec(), editor->spec());
    QVERIFY(again->indicatorsCheck()->isChecked() && !again->standardizeCheck()->isChecked());
    QCOMPARE(again->imputeChooser()->currentData().toString(), QStringLiteral("median"));
    QCOMPARE(again->categoricalChooser()->currentData().toString(), QStringLiteral("codes"));
    // A broken file says where.
    const QString broken = m_dir.filePath(QStringLiteral("broken.json"));
    QVERIFY(writeFile(broken, "{\n  \"name\": \"x\",\n  \"strategy\": \n}\n")); // a value missing on line 3
    QVERIFY(!again->loadFile(broken, &error));
    QVERIFY2(error.contains(QLatin1String("broken.json:4:")), qPrintable(error));
    // What an AWS-written config maps and leaves out is said in the form, before any run.
    QVERIFY(again->importNotesLabel()->isHidden());
    QVERIFY2(again->loadFile(kData + QStringLiteral("/sagemaker-knn.json"), &error), qPrintable(error));
    QVERIFY(!again->importNotesLabel()->isHidden());
    QVERIFY2(again->importNotesLabel()->text().contains(
                 QLatin1String("IntegerParameterRanges sample_size [256, 2e+07] is left out")),
             qPrintable(again->importNotesLabel()->text()));
}

void TestMainWindow::runsAnExperimentFilledInThroughTheEditor()
{
    MainWindow window;
    window.show();
    const QString project = projectWithIris(window, QStringLiteral("run"));
    QVERIFY(!project.isEmpty());
    ExperimentEditor* editor = window.newExperiment();
    editor->nameEdit()->setText(QStringLiteral("iris-logistic"));
    QVERIFY(chooseAlgorithm(editor, QStringLiteral("logistic")));
    const ExperimentEditor::ParamRow* c = editor->paramRow(QStringLiteral("C"));
    c->tune->setChecked(true);
    static_cast<QLineEdit*>(c->from)->setText(QStringLiteral("0.01"));
    c->to->setText(QStringLiteral("100"));
    c->scale->setCurrentIndex(c->scale->findData(QStringLiteral("log")));
    editor->metricChooser()->setCurrentIndex(editor->metricChooser()->findData(QStringLiteral("accuracy")));
    editor->strategyChooser()->setCurrentIndex(editor->strategyChooser()->findData(QStringLiteral("random")));
    editor->maxTrialsEdit()->setValue(6);
    editor->maxParallelEdit()->setValue(2);
    QVERIFY2(editor->runButton()->isEnabled(), qPrintable(editor->problem()));

    QSignalSpy finished(&window, &MainWindow::experimentFinished);
    QTest::mouseClick(editor->runButton(), Qt::LeftButton);
    auto* view = qobject_cast<ExperimentView*>(window.tabs()->currentWidget());
    QVERIFY(view);
    QCOMPARE(view->experimentName(), QStringLiteral("iris-logistic"));
    QVERIFY(view->run());
    // Every live insert, update and new column of the trials table keeps the model's contract.
    const QAbstractItemModelTester tester(view->trialsModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
    QCOMPARE(finished.at(0).at(1).toString(), QStringLiteral("max_trials"));

    // The table, the charts and the project agree.
    const std::vector<store::TrialRecord> stored = trialsInProject(project, QStringLiteral("iris-logistic"));
    QCOMPARE(stored.size(), std::size_t{6});
    QCOMPARE(countStatus(stored, TrialState::Finished), 6);
    QCOMPARE(view->trialsModel()->rowCount(), 6);
    for (const store::TrialRecord& trial : stored) {
        const jobs::Trial* shown = view->trialsModel()->trial(trial.number);
        QVERIFY(shown);
        QCOMPARE(shown->state, TrialState::Finished);
        QCOMPARE(shown->objective, trial.objective);
    }
    const auto best = std::max_element(stored.begin(), stored.end(),
                                       [](const auto& a, const auto& b) { return *a.objective < *b.objective; });
    QCOMPARE(view->trialsModel()->bestTrial(), std::optional<int>(best->number));
    QCOMPARE(view->bestChart()->trialsSeries()->count(), 6);
    QCOMPARE(view->curves()->quantity(), QStringLiteral("loss"));
    QVERIFY(view->warningsLabel()->isHidden()); // every class in every fold: nothing to warn of
    QVERIFY(!view->curves()->seriesOfTrial(1).isEmpty());
    const auto series = store::ProjectStore::open(project.toStdString(), store::ProjectStore::Mode::ReadOnly)
                            ->metricSeries(stored.front().id, "fold1/validation_loss");
    QCOMPARE(view->curves()->pointCount(1, QStringLiteral("fold1/validation_loss")), series.size());

    // Sorting by the objective puts the best first; the filter keeps matching rows.
    const int objective = view->trialsModel()->columnOf(QStringLiteral("accuracy (max)"));
    QVERIFY(objective > 0);
    view->table()->sortByColumn(objective, Qt::DescendingOrder);
    QCOMPARE(view->table()->model()->index(0, 0).data().toInt(), best->number);
    view->filterModel()->setFilterFixedString(QStringLiteral("no such text"));
    QCOMPARE(view->table()->model()->rowCount(), 0);
    view->filterModel()->setFilterFixedString(QString());

    // A curve's click selects its trial; a selected row highlights its curves.
    QLineSeries* curve = view->curves()->seriesOfTrial(3).constFirst();
    Q_EMIT curve->clicked(QPointF(1, 1));
    QCOMPARE(view->selectedTrial(), std::optional<int>(3));
    view->selectTrial(2);
    QCOMPARE(view->curves()->seriesOfTrial(2).constFirst()->pen().widthF(), 3.0);
    QCOMPARE(view->curves()->seriesOfTrial(3).constFirst()->pen().widthF() < 3.0, true);
    QVERIFY(window.explorer()->findItems(QStringLiteral("iris-logistic"), Qt::MatchContains | Qt::MatchRecursive).size()
            >= 1);

    // The trial in detail: its parameters, each metric per fold beside the mean, its curves, its manifest.
    ui::TrialView* detail = window.openTrial(QStringLiteral("iris-logistic"), best->number);
    QTRY_VERIFY_WITH_TIMEOUT(detail->metricTable()->rowCount() > 0, 10000);
    QCOMPARE(detail->metricTable()->columnCount(), 3 + 5); // metric, mean, sd, five folds
    bool checked = false;
    for (int row = 0; row < detail->metricTable()->rowCount(); ++row) {
        if (detail->metricTable()->item(row, 0)->text() != QLatin1String("accuracy"))
            continue;
        double sum = 0.0;
        for (int fold = 0; fold < 5; ++fold)
            sum += detail->metricTable()->item(row, 3 + fold)->text().toDouble();
        QVERIFY(std::abs(sum / 5 - *best->objective) < 1e-3);
        checked = true;
    }
    QVERIFY(checked);
    QCOMPARE(detail->parameterTable()->item(0, 0)->text(), QStringLiteral("C"));
    QVERIFY(!detail->curves()->seriesOfTrial(best->number).isEmpty());
    QVERIFY(detail->manifest()->toPlainText().contains(QLatin1String("\"sha256\"")));
    QVERIFY(detail->manifest()->toPlainText().contains(QLatin1String("\"xgboost\"")));
}

void TestMainWindow::aRareClassIsShownAsAWarning()
{
    // Glass in 10 folds: one fold tests no tableware. The view says so while the run goes on, and again when
    // the experiment is opened from the project later.
    MainWindow window;
    window.show();
    QVERIFY(!projectWithIris(window, QStringLiteral("rare")).isEmpty());
    const tuning::ExperimentSpec spec = tuning::parseSpec(R"({"name": "glass-rare",
        "dataset": {"path": "glass.arff", "target": "Type"}, "validation": {"folds": 10}, "algorithm": "tree",
        "objective": {"metric": "accuracy"}, "strategy": "random", "limits": {"max_trials": 2}})",
                                                          "glass-rare", kData.toStdString());
    QSignalSpy finished(&window, &MainWindow::experimentFinished);
    QVERIFY(window.runExperiment(spec));
    auto* view = qobject_cast<ExperimentView*>(window.tabs()->currentWidget());
    QVERIFY(view);
    QTRY_VERIFY(view->warningsLabel()->isVisible());
    QVERIFY2(view->warningsLabel()->text().contains(QLatin1String("class 'tableware' has 9 rows: 1 of 10 folds")),
             qPrintable(view->warningsLabel()->text()));
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
    const QString shown = view->warningsLabel()->text();
    window.tabs()->removeTab(window.tabs()->indexOf(view));
    delete view;
    ExperimentView* reopened = window.openExperiment(QStringLiteral("glass-rare"));
    QVERIFY(reopened);
    QTRY_VERIFY(reopened->warningsLabel()->isVisible());
    QCOMPARE(reopened->warningsLabel()->text(), shown);
}

// A run whose trials need two of the machine's four GPUs: the jobs panel says which trial holds which.
void TestMainWindow::jobsPanelShowsGpuSlots()
{
    MainWindow window;
    window.show();
    QVERIFY(!projectWithIris(window, QStringLiteral("gpus")).isEmpty());
    QJsonObject json
        = testing::braninCommandSpec({QStringLiteral("gpus"), QStringLiteral(TUNEBENCH_TESTFUNCTION), 40, 25, 6, 4, 3});
    json.insert(QStringLiteral("resources"),
                QJsonObject{{QStringLiteral("machine"), QJsonObject{{QStringLiteral("gpus"), QJsonArray{0, 1, 2, 3}}}},
                            {QStringLiteral("trial"), QJsonObject{{QStringLiteral("gpus"), 2}}}});
    const tuning::ExperimentSpec spec
        = tuning::parseSpec(QJsonDocument(json).toJson(), "gpus", QDir::tempPath().toStdString());
    QSignalSpy finished(&window, &MainWindow::experimentFinished);
    QVERIFY(window.runExperiment(spec));
    QTRY_VERIFY_WITH_TIMEOUT(
        window.jobsPanel()->tree()->topLevelItem(0)->text(2).contains(QLatin1String("GPUs 4/4: 0,1 trial")), 20000);
    QVERIFY2(window.jobsPanel()->tree()->topLevelItem(0)->text(2).contains(QLatin1String("; 2,3 trial")),
             qPrintable(window.jobsPanel()->tree()->topLevelItem(0)->text(2)));
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
}

void TestMainWindow::rungsChartShowsHowTrialsClimb()
{
    // ASHA on iris, epochs 1, 3, 9: the rungs chart draws each promoted trial as a line through the budgets it
    // reached and marks every trial where it stands; choosing a marker opens that trial.
    MainWindow window;
    window.show();
    const QString project = projectWithIris(window, QStringLiteral("rungs"));
    QSignalSpy finished(&window, &MainWindow::experimentFinished);
    const tuning::ExperimentSpec spec = tuning::parseSpec(QStringLiteral(R"js({"name": "asha",
        "dataset": "%1/iris.csv", "validation": {"folds": 3}, "algorithm": "mlp",
        "fixed": {"n_iter_no_change": 0, "batch_size": 32},
        "ranges": {"learning_rate": {"type": "continuous", "min": 0.001, "max": 0.1, "scaling": "log"}},
        "objective": {"metric": "accuracy"}, "strategy": "asha", "budget": {"min_resource": 1, "max_resource": 9},
        "limits": {"max_trials": 15, "max_parallel": 2}, "seed": 2})js")
                                                              .arg(kData)
                                                              .toUtf8(),
                                                          "asha.json", "/");
    QVERIFY(window.runExperiment(spec));
    auto* view = qobject_cast<ExperimentView*>(window.tabs()->currentWidget());
    QVERIFY(view);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
    QTRY_VERIFY(view->rungs()->isVisible());
    ui::RungsChart* rungs = view->rungs();
    int promoted = 0;
    for (const store::TrialRecord& trial : trialsInProject(project, QStringLiteral("asha")))
        promoted += QJsonDocument::fromJson(QByteArray::fromStdString(trial.paramsJson))
                        .object()
                        .value(QStringLiteral("epochs"))
                        .toInt()
            > 1;
    const std::vector<store::TrialRecord> stored = trialsInProject(project, QStringLiteral("asha"));
    QVERIFY(promoted >= 3);
    QCOMPARE(rungs->lineCount(), promoted);
    QCOMPARE(rungs->pausedSeries()->count(), countStatus(stored, TrialState::Paused));
    QCOMPARE(rungs->doneSeries()->count(), countStatus(stored, TrialState::Finished));
    QVERIFY(rungs->doneSeries()->count() >= 1);
    QCOMPARE(rungs->chart()->axes(Qt::Horizontal).constFirst()->titleText(), QStringLiteral("Budget (epochs)"));
    QCOMPARE(view->curves()->chart()->axes(Qt::Horizontal).constFirst()->titleText(), QStringLiteral("Step (epochs)"));
    QCOMPARE(view->trialsModel()->trial(stored.front().number)->state, stored.front().status);

    // A click on the marker of a trial at the largest budget selects that trial in the table.
    const QPointF marker = rungs->doneSeries()->at(0);
    const QPoint at
        = rungs->mapFromScene(rungs->chart()->mapToScene(rungs->chart()->mapToPosition(marker, rungs->doneSeries())));
    QTest::mouseClick(rungs->viewport(), Qt::LeftButton, {}, at);
    QTRY_VERIFY(view->selectedTrial().has_value());
    const jobs::Trial* chosen = view->trialsModel()->trial(*view->selectedTrial());
    QVERIFY(chosen);
    QCOMPARE(chosen->state, TrialState::Finished);
    QCOMPARE(*chosen->objective, marker.y());
}

void TestMainWindow::paretoChartShowsTheFrontAndOpensItsTrials()
{
    // Two objectives, AUC against fit time (mlp on breast_cancer), with a constraint on the model's size: the live
    // Pareto chart shows exactly the finished feasible trials no other beats in both, and a front point opens its
    // trial.
    MainWindow window;
    window.show();
    const QString project = projectWithIris(window, QStringLiteral("pareto"));
    QSignalSpy finished(&window, &MainWindow::experimentFinished);
    const tuning::ExperimentSpec spec = tuning::parseSpec(QStringLiteral(R"js({"name": "pareto",
        "dataset": "%1/breast_cancer.csv", "validation": {"folds": 3}, "algorithm": "mlp",
        "fixed": {"epochs": 15, "n_iter_no_change": 0},
        "ranges": {"units": {"type": "integer", "min": 2, "max": 256, "scaling": "log"},
                   "learning_rate": {"type": "continuous", "min": 0.0001, "max": 0.1, "scaling": "log"}},
        "objectives": [{"metric": "auc"}, {"metric": "fit_seconds"}],
        "constraints": [{"metric": "model_size", "<=": 4000}],
        "strategy": "random", "limits": {"max_trials": 12, "max_parallel": 2}, "seed": 5})js")
                                                              .arg(kData)
                                                              .toUtf8(),
                                                          "pareto.json", "/");
    QVERIFY(window.runExperiment(spec));
    auto* view = qobject_cast<ExperimentView*>(window.tabs()->currentWidget());
    QVERIFY(view);
    QTRY_VERIFY(view->pareto()->isVisible());
    QVERIFY(!view->bestChart()->isVisible()); // several objectives: a front, not one best
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 90000);
    ui::ParetoChart* chart = view->pareto()->chart();

    // The front by brute force over what the project holds: finished, model_size <= 4000, and no other such trial
    // with an AUC at least as high and a fit time at least as short, better in one.
    struct Measured
    {
        int number;
        double auc, seconds;
    };
    std::vector<Measured> feasible;
    int infeasible = 0;
    for (const store::TrialRecord& record : trialsInProject(project, QStringLiteral("pareto"))) {
        const jobs::Trial trial = jobs::trialFromRecord(record);
        if (trial.state != TrialState::Finished)
            continue;
        if (trial.metrics.at("model_size").mean > 4000) {
            ++infeasible;
            QVERIFY(view->trialsModel()
                        ->data(view->trialsModel()->index(view->trialsModel()->rowOfTrial(trial.number), 0),
                               Qt::ForegroundRole)
                        .isValid()); // marked in the table
            continue;
        }
        feasible.push_back({trial.number, trial.metrics.at("auc").mean, *trial.fitSeconds});
    }
    std::vector<int> front;
    for (const Measured& a : feasible) {
        const bool dominated = std::any_of(feasible.begin(), feasible.end(), [&](const Measured& b) {
            return b.auc >= a.auc && b.seconds <= a.seconds && (b.auc > a.auc || b.seconds < a.seconds);
        });
        if (!dominated)
            front.push_back(a.number);
    }
    QVERIFY(!front.empty());
    QVERIFY2(infeasible > 0, "the size constraint should rule some trials out (units up to 256 on 30 inputs)");
    QTRY_COMPARE(chart->frontTrials(), front);
    QCOMPARE(chart->frontSeries()->count(), static_cast<int>(front.size()));
    QCOMPARE(chart->dominatedSeries()->count(), static_cast<int>(feasible.size() - front.size()));
    QCOMPARE(chart->infeasibleSeries()->count(), infeasible);
    for (int number : front)
        QVERIFY(view->trialsModel()->isOnFront(number));

    // A click on a front point opens that trial: the one farthest from every other marker on screen, so that the
    // click cannot be read as a neighbour's.
    auto onScreen = [&](const QPointF& value, QScatterSeries* series) {
        return chart->mapFromScene(chart->chart()->mapToScene(chart->chart()->mapToPosition(value, series)));
    };
    QPointF point = chart->frontSeries()->at(0);
    double clearance = -1;
    for (const QPointF& candidate : chart->frontSeries()->points()) {
        double nearest = 1e9;
        for (QScatterSeries* series : {chart->frontSeries(), chart->dominatedSeries(), chart->infeasibleSeries()}) {
            for (const QPointF& other : series->points()) {
                if (series == chart->frontSeries() && other == candidate)
                    continue;
                const QPoint d = onScreen(candidate, chart->frontSeries()) - onScreen(other, series);
                nearest = std::min(nearest, std::hypot(double(d.x()), double(d.y())));
            }
        }
        if (nearest > clearance) {
            clearance = nearest;
            point = candidate;
        }
    }
    const int expected = chart->trialAt(point, chart->frontSeries());
    QVERIFY(std::find(front.begin(), front.end(), expected) != front.end());
    QTest::mouseClick(chart->viewport(), Qt::LeftButton, {}, onScreen(point, chart->frontSeries()));
    QTRY_VERIFY(qobject_cast<ui::TrialView*>(window.tabs()->currentWidget()));
    QCOMPARE(qobject_cast<ui::TrialView*>(window.tabs()->currentWidget())->trialNumber(), expected);
}

void TestMainWindow::stopFinishesTheTrialsInFlight()
{
    MainWindow window;
    window.show();
    const QString project = projectWithIris(window, QStringLiteral("stop"));
    QSignalSpy finished(&window, &MainWindow::experimentFinished);
    ExperimentRun* run = window.runExperiment(commandSpec(QStringLiteral("slow"), 20, 40, 25));
    QVERIFY(run);
    auto* view = qobject_cast<ExperimentView*>(window.tabs()->currentWidget());
    QVERIFY(view);
    // Trials in flight show in the view, the jobs panel and the status bar while the GUI stays live.
    QTRY_VERIFY_WITH_TIMEOUT(view->curves()->pointCount(1, QStringLiteral("loss")) >= 5, 20000);
    QTRY_VERIFY(window.jobsPanel()->jobs().constFirst()->childCount() >= 1);
    QTRY_VERIFY(window.runStatus()->text().contains(QLatin1String("running")));
    QVERIFY(view->stopButton()->isVisible());
    QTest::mouseClick(view->stopButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
    QCOMPARE(finished.at(0).at(1).toString(), QStringLiteral("stopped_by_user"));
    const std::vector<store::TrialRecord> stored = trialsInProject(project, QStringLiteral("slow"));
    QVERIFY(stored.size() < 20);
    QCOMPARE(countStatus(stored, TrialState::Finished),
             static_cast<int>(stored.size())); // in flight: finished, not killed
    QCOMPARE(view->trialsModel()->rowCount(), static_cast<int>(stored.size()));
    QVERIFY(!view->stopButton()->isVisible());
    QVERIFY(view->resumeButton()->isVisible());
}

void TestMainWindow::cancelStopsTheTrialsNow()
{
    MainWindow window;
    window.show();
    const QString project = projectWithIris(window, QStringLiteral("cancel"));
    QSignalSpy finished(&window, &MainWindow::experimentFinished);
    QVERIFY(window.runExperiment(commandSpec(QStringLiteral("slow"), 20, 200, 25)));
    auto* view = qobject_cast<ExperimentView*>(window.tabs()->currentWidget());
    QTRY_VERIFY_WITH_TIMEOUT(view->curves()->pointCount(1, QStringLiteral("loss")) >= 3, 20000);
    QElapsedTimer clock;
    clock.start();
    QTest::mouseClick(view->cancelButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
    QVERIFY(clock.elapsed() < 5000); // a trial lasts 5 s: it was stopped, not waited for
    QCOMPARE(finished.at(0).at(1).toString(), QStringLiteral("cancelled"));
    const std::vector<store::TrialRecord> stored = trialsInProject(project, QStringLiteral("slow"));
    QVERIFY(countStatus(stored, TrialState::Stopped) >= 1);
    QCOMPARE(countStatus(stored, TrialState::Running), 0);
    for (const store::TrialRecord& trial : stored)
        QCOMPARE(view->trialsModel()->trial(trial.number)->state, trial.status);
}

void TestMainWindow::oneTrialStopsOrRestarts()
{
    MainWindow window;
    window.show();
    const QString project = projectWithIris(window, QStringLiteral("pertrial"));
    QSignalSpy finished(&window, &MainWindow::experimentFinished);
    ExperimentRun* run = window.runExperiment(commandSpec(QStringLiteral("two"), 2, 40, 20));
    auto* view = qobject_cast<ExperimentView*>(window.tabs()->currentWidget());
    QTRY_VERIFY_WITH_TIMEOUT(view->curves()->pointCount(1, QStringLiteral("loss")) >= 10
                                 && view->curves()->pointCount(2, QStringLiteral("loss")) >= 3,
                             20000);
    run->restartTrial(1); // back to step 1
    run->stopTrial(2);
    QTRY_COMPARE_WITH_TIMEOUT(view->trialsModel()->trial(2)->state, TrialState::Stopped, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
    const std::vector<store::TrialRecord> stored = trialsInProject(project, QStringLiteral("two"));
    QCOMPARE(stored.size(), std::size_t{2});
    QCOMPARE(stored[0].status, TrialState::Finished);
    QCOMPARE(stored[0].error, std::string());
    QCOMPARE(stored[1].status, TrialState::Stopped);
    QCOMPARE(stored[1].error, std::string("stopped by the user"));
    // The restarted trial kept only its second run's points: one per step.
    const auto points = store::ProjectStore::open(project.toStdString(), store::ProjectStore::Mode::ReadOnly)
                            ->metricSeries(stored[0].id, "loss");
    QCOMPARE(points.size(), std::size_t{40});
    QCOMPARE(view->curves()->pointCount(1, QStringLiteral("loss")), std::size_t{40});
}

void TestMainWindow::quittingWithRunsInFlightAsksFirst()
{
    const QString project = m_dir.filePath(QStringLiteral("quit.tbproj"));
    MainWindow window;
    window.show();
    QVERIFY(window.openProject(project));
    QVERIFY(window.runExperiment(commandSpec(QStringLiteral("long"), 50, 200, 25)));
    auto* view = qobject_cast<ExperimentView*>(window.tabs()->currentWidget());
    QTRY_VERIFY_WITH_TIMEOUT(view->curves()->pointCount(1, QStringLiteral("loss")) >= 2, 20000);
    int asked = 0;
    bool answer = false;
    window.setConfirm([&](const QString&, const QString& text) {
        ++asked;
        return text.contains(QLatin1String("still running")) && answer;
    });
    window.close();
    QCOMPARE(asked, 1);
    QVERIFY(window.isVisible());
    QCOMPARE(window.runs().size(), 1);
    answer = true;
    window.close();
    QCOMPARE(asked, 2);
    QTRY_VERIFY_WITH_TIMEOUT(!window.isVisible(), 10000);
    QCOMPARE(window.runs().size(), 0);
    const auto store = store::ProjectStore::open(project.toStdString(), store::ProjectStore::Mode::ReadOnly);
    const auto record = store->experimentByName("long");
    QVERIFY(record);
    QCOMPARE(record->status, ExperimentState::Stopped);
    QCOMPARE(countStatus(store->trials(record->id), TrialState::Running), 0);
}

namespace {

/// A project as a crash leaves it: the external-command experiment "crashed" (4 trials) and its trial 1
/// still "running".
void makeCrashedProject(const QString& project)
{
    const tuning::ExperimentSpec spec = commandSpec(QStringLiteral("crashed"), 4, 5, 5);
    const auto store = store::ProjectStore::open(project.toStdString());
    store::ExperimentRecord experiment;
    experiment.name = "crashed";
    experiment.specJson = QJsonDocument(spec.json).toJson(QJsonDocument::Compact).toStdString();
    experiment.status = ExperimentState::Running;
    const std::int64_t id = store->createExperiment(experiment);
    store::TrialRecord trial;
    trial.experimentId = id;
    trial.number = 1;
    trial.algorithm = "command";
    trial.paramsJson = R"({"x1": 1.5, "x2": 2.5})";
    trial.status = TrialState::Running;
    trial.startedAt = store::ProjectStore::nowUtc();
    const std::int64_t trialId = store->addTrial(trial);
    store->addMetricPoints(trialId, {{"loss", 1, 99.0, 0.0}});
}

/// Answers the trust prompt that is about to open (modal) with `button`'s text.
void answerTrustPrompt(const QString& button)
{
    auto* timer = new QTimer;
    QObject::connect(timer, &QTimer::timeout, timer, [timer, button] {
        auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
        if (!box || box->objectName() != QLatin1String("trustPrompt"))
            return;
        for (QAbstractButton* candidate : box->buttons()) {
            if (QString(candidate->text()).remove(QLatin1Char('&')) == button) {
                timer->deleteLater();
                timer->stop();
                candidate->click();
                return;
            }
        }
    });
    timer->start(20);
}

} // namespace

void TestMainWindow::reopeningOffersToResumeAnInterruptedExperiment()
{
    const QString project = m_dir.filePath(QStringLiteral("crashed.tbproj"));
    makeCrashedProject(project);
    MainWindow window;
    window.show();
    QVERIFY(window.openProject(project));
    QCOMPARE(window.interruptedExperiments(), QStringList{QStringLiteral("crashed")});
    QVERIFY(window.infoBar()->isVisible());
    QVERIFY(window.infoBar()->findChild<QLabel*>()->text().contains(QLatin1String("crashed")));
    QSignalSpy finished(&window, &MainWindow::experimentFinished);
    QTest::mouseClick(window.infoBar()->findChild<QPushButton*>(QStringLiteral("infoResume")), Qt::LeftButton);
    QVERIFY(!window.infoBar()->isVisible());
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
    const std::vector<store::TrialRecord> stored = trialsInProject(project, QStringLiteral("crashed"));
    QCOMPARE(stored.size(), std::size_t{4});
    QCOMPARE(countStatus(stored, TrialState::Finished), 4);
    // Trial 1 ran again with its own parameters; its stale point is gone.
    QCOMPARE(stored[0].paramsJson.find("1.5") != std::string::npos, true);
    const auto points = store::ProjectStore::open(project.toStdString(), store::ProjectStore::Mode::ReadOnly)
                            ->metricSeries(stored[0].id, "loss");
    QCOMPARE(points.size(), std::size_t{5});
    auto* view = qobject_cast<ExperimentView*>(window.tabs()->currentWidget());
    QVERIFY(view);
    QTRY_COMPARE(view->trialsModel()->rowCount(), 4);
    QVERIFY(window.interruptedExperiments().isEmpty());
}

void TestMainWindow::receivedProjectAsksBeforeRunningItsCommands()
{
    // A project made elsewhere (here: its trust withdrawn) runs no command until the user says so.
    const QString project = m_dir.filePath(QStringLiteral("received.tbproj"));
    makeCrashedProject(project);
    QVERIFY(store::isTrusted(project.toStdString())); // made on this account
    store::setTrusted(project.toStdString(), false);
    MainWindow window;
    window.show();
    QVERIFY(window.openProject(project));
    QVERIFY(window.infoBar()->isVisible());
    auto* resume = window.infoBar()->findChild<QPushButton*>(QStringLiteral("infoResume"));

    answerTrustPrompt(QStringLiteral("Cancel"));
    QTest::mouseClick(resume, Qt::LeftButton);
    QVERIFY(window.runs().isEmpty());
    QVERIFY(window.infoBar()->isVisible()); // still on offer
    QVERIFY(!store::isTrusted(project.toStdString()));
    QCOMPARE(trialsInProject(project, QStringLiteral("crashed")).size(), std::size_t{1});

    QSignalSpy finished(&window, &MainWindow::experimentFinished);
    answerTrustPrompt(QStringLiteral("Trust and Run"));
    QTest::mouseClick(resume, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
    QCOMPARE(countStatus(trialsInProject(project, QStringLiteral("crashed")), TrialState::Finished), 4);
    QVERIFY(store::isTrusted(project.toStdString())); // remembered: no question next time
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"

// The compare views with real widgets on a real project: two Branin experiments run through the
// external-command path, compared whole and trial by trial, across experiments, brushed, and exported.

#include <algorithm>
#include <set>

#include <QAction>
#include <QApplication>
#include <QBarCategoryAxis>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineSeries>
#include <QProcess>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>
#include <QValueAxis>
#include <QXYSeries>
#include <QXmlStreamReader>

#include "../tools/branincommand.h"
#include "algorithms/modelfile.h"
#include "charts/charts.h"
#include "compare/compareview.h"
#include "compare/parallelcoordinates.h"
#include "compare/surfaceplot.h"
#include "data/reader.h"
#include "evaluation/benchmarkview.h"
#include "evaluation/evaluationview.h"
#include "experiment/experimentview.h"
#include "experiment/trialview.h"
#include "jobs/analysis.h"
#include "jobs/tuner.h"
#include "report/exporting.h"
#include "report/reportpreview.h"
#include "window/mainwindow.h"

using namespace tunebench;
using tunebench::ui::CompareView;
using tunebench::ui::ParallelCoordinatesPlot;
using tunebench::ui::TrialRef;

namespace {

void runBranin(const QString& project, const QString& name, int trials, int seed)
{
    const QJsonObject json
        = testing::braninCommandSpec({name, QStringLiteral(TUNEBENCH_TESTFUNCTION), 4, 0, trials, 2, seed});
    const tuning::ExperimentSpec spec
        = tuning::parseSpec(QJsonDocument(json).toJson(), name.toStdString(), QDir::tempPath().toStdString());
    const auto store = store::ProjectStore::open(project.toStdString());
    jobs::Tuner tuner(spec, *store, jobs::makeTrialRunner(spec));
    (void)tuner.run();
}

/// Tunes a built-in experiment whose spec has "%1" for the test data folder.
void runBuiltin(const QString& project, const char* json)
{
    const tuning::ExperimentSpec spec = tuning::parseSpec(
        QString::fromUtf8(json).arg(QStringLiteral(TUNEBENCH_TEST_DATA)).toUtf8(), "spec.json", "/");
    const auto store = store::ProjectStore::open(project.toStdString());
    jobs::Tuner tuner(spec, *store, jobs::makeTrialRunner(spec));
    (void)tuner.run();
}

std::vector<store::TrialRecord> trialsOf(const QString& project, const QString& experiment)
{
    const auto store = store::ProjectStore::open(project.toStdString(), store::ProjectStore::Mode::ReadOnly);
    return store->trials(store->experimentByName(experiment.toStdString())->id);
}

double param(const store::TrialRecord& trial, const char* name)
{
    return QJsonDocument::fromJson(QByteArray::fromStdString(trial.paramsJson))
        .object()
        .value(QLatin1String(name))
        .toDouble();
}

/// The trial numbers the brushed table shows.
std::set<int> visibleNumbers(const QTableView* table)
{
    std::set<int> numbers;
    for (int row = 0; row < table->model()->rowCount(); ++row) {
        if (!table->isRowHidden(row))
            numbers.insert(table->model()->index(row, 1).data().toInt());
    }
    return numbers;
}

} // namespace

class TestCompare : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("TunebenchTests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_compare"));
        QVERIFY(m_dir.isValid());
        m_project = m_dir.filePath(QStringLiteral("compare.tbproj"));
        runBranin(m_project, QStringLiteral("branin-a"), 16, 1);
        runBranin(m_project, QStringLiteral("branin-b"), 10, 2);
        runBuiltin(m_project, R"js({"name": "iris-knn", "dataset": {"path": "%1/iris.arff"}, "algorithm": "knn",
            "ranges": {"k": {"type": "integer", "min": 1, "max": 15}}, "objective": {"metric": "accuracy"},
            "validation": {"folds": 5}, "limits": {"max_trials": 3}, "seed": 1})js");
        runBuiltin(m_project, R"js({"name": "cpu-linear", "dataset": {"path": "%1/cpu.arff"}, "algorithm": "linear",
            "objective": {"metric": "rmse"}, "validation": {"folds": 4}, "limits": {"max_trials": 1}})js");
    }

    void evaluateClassification()
    {
        ui::MainWindow window;
        window.resize(1200, 800);
        window.show();
        QVERIFY(openProjectIn(window));
        // From the trial view's Evaluate button.
        ui::TrialView* trial = window.openTrial(QStringLiteral("iris-knn"), 1);
        QTest::mouseClick(trial->evaluateButton(), Qt::LeftButton);
        auto* view = qobject_cast<ui::EvaluationView*>(window.tabs()->currentWidget());
        QVERIFY(view);
        QSignalSpy finished(view, &ui::EvaluationView::finished);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
        QCOMPARE(finished.at(0).at(0).toString(), QString());
        QStringList tabs;
        for (int i = 0; i < view->tabs()->count(); ++i)
            tabs << view->tabs()->tabText(i);
        QCOMPARE(
            tabs,
            (QStringList{QStringLiteral("Confusion matrix"), QStringLiteral("ROC"), QStringLiteral("Precision-recall"),
                         QStringLiteral("Calibration"), QStringLiteral("Permutation importance")}));
        // Every example once in the confusion matrix; row shares put each class's recall on the diagonal.
        const Eigen::MatrixXi& counts = view->confusion()->counts();
        QCOMPARE(counts.sum(), 150);
        view->confusionMode()->setCurrentIndex(1);
        QCOMPARE(view->confusion()->mode(), ui::ConfusionMatrixView::Mode::RowShares);
        for (int c = 0; c < 3; ++c)
            QCOMPARE(view->confusion()->cellValue(c, c), static_cast<double>(counts(c, c)) / counts.row(c).sum());
        // One ROC curve per class with its AUC, and the chance line; calibration has its bins.
        const QList<QAbstractSeries*> roc = view->roc()->chart()->series();
        QCOMPARE(roc.size(), qsizetype(4));
        QVERIFY2(roc.at(0)->name().startsWith(QLatin1String("Iris-setosa (AUC 1.000")), qPrintable(roc.at(0)->name()));
        QVERIFY(qobject_cast<QXYSeries*>(view->calibration()->chart()->series().at(0))->count() >= 2);
        // Rates are labelled 0, 0.2, ..., 1 even with headroom above 1 for a curve along the top.
        const auto* tpr = qobject_cast<QValueAxis*>(view->roc()->chart()->axes(Qt::Vertical).constFirst());
        QVERIFY(tpr);
        QCOMPARE(tpr->tickType(), QValueAxis::TicksDynamic);
        QCOMPARE(tpr->tickAnchor(), 0.0);
        QCOMPARE(tpr->tickInterval(), 0.2);
        QVERIFY(tpr->max() > 1.0);
        // Permutation importance: the petal columns on top (the last categories of a horizontal bar chart).
        const auto* categories
            = qobject_cast<QBarCategoryAxis*>(view->importance()->chart()->axes(Qt::Vertical).constFirst());
        QVERIFY(categories);
        QCOMPARE(categories->count(), 4);
        QVERIFY2(categories->at(3).startsWith(QLatin1String("petal")), qPrintable(categories->at(3)));
    }

    void exportReports()
    {
        ui::MainWindow window;
        window.setOpenExports(false);
        QVERIFY(openProjectIn(window));
        // A chart added to the report from its context menu.
        CompareView compare(m_project, {{QStringLiteral("iris-knn"), 0}});
        compare.resize(900, 600);
        compare.show();
        QTRY_VERIFY_WITH_TIMEOUT(!compare.isLoading(), 20000);
        compare.tabs()->setCurrentIndex(6);
        QAction* add = nullptr;
        for (QAction* action : compare.importance()->actions()) {
            if (action->text() == QLatin1String("Add to Report"))
                add = action;
        }
        QVERIFY(add);
        add->trigger();
        {
            const auto store = store::ProjectStore::open(m_project.toStdString(), store::ProjectStore::Mode::ReadOnly);
            const auto artifacts = store->artifacts(store->experimentByName("iris-knn")->id);
            QCOMPARE(std::count_if(artifacts.begin(), artifacts.end(),
                                   [](const auto& a) { return a.kind == "report-figure"; }),
                     std::ptrdiff_t(1));
        }

        QSignalSpy exported(&window, &ui::MainWindow::reportExported);
        const QString html = m_dir.filePath(QStringLiteral("iris.html"));
        const QString pdf = m_dir.filePath(QStringLiteral("iris.pdf"));
        window.exportReport(QStringLiteral("iris-knn"), html);
        window.exportReport(QStringLiteral("iris-knn"), pdf);
        QTRY_COMPARE_WITH_TIMEOUT(exported.count(), 2, 120000);
        for (const QList<QVariant>& signal : exported)
            QCOMPARE(signal.at(1).toString(), QString());
        QFile page(html);
        QVERIFY(page.open(QIODevice::ReadOnly));
        const QByteArray text = page.readAll();
        QVERIFY(text.contains("<h2 id=\"evaluation\">") && text.contains("<svg"));
        QVERIFY(text.contains("<h2 id=\"figures\">"));
        QVERIFY(text.contains("<figcaption>Hyperparameter importance (functional ANOVA)</figcaption>"));
        QXmlStreamReader xml(text);
        while (!xml.atEnd())
            xml.readNext();
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString())); // the figure's SVG kept the page well-formed
        // The PDF: pages, and the report's words in it (pdftotext from poppler-utils).
        QFile file(pdf);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.read(5), QByteArray("%PDF-"));
        QProcess pdftotext;
        pdftotext.start(QStringLiteral("pdftotext"), {pdf, QStringLiteral("-")});
        if (!pdftotext.waitForFinished(30000) || pdftotext.exitCode() != 0)
            QSKIP("pdftotext (poppler-utils) is not installed");
        const QString words = QString::fromUtf8(pdftotext.readAllStandardOutput());
        for (const char* expected : {"Experiment iris-knn", "Dataset", "Best trial", "Hyperparameter importance",
                                     "Evaluation of the best trial", "Iris-setosa", "Reproducibility"})
            QVERIFY2(words.contains(QLatin1String(expected)), expected);
        QProcess pdfinfo;
        pdfinfo.start(QStringLiteral("pdfinfo"), {pdf});
        QVERIFY(pdfinfo.waitForFinished(30000));
        const QRegularExpressionMatch pages = QRegularExpression(QStringLiteral("Pages:\\s+(\\d+)"))
                                                  .match(QString::fromUtf8(pdfinfo.readAllStandardOutput()));
        QVERIFY(pages.hasMatch() && pages.captured(1).toInt() >= 2);

        // File > Export Report: the preview lays the report out on the PDF's pages, then saves it.
        QSignalSpy previewed(&window, &ui::MainWindow::reportPreviewOpened);
        window.exportReport(QStringLiteral("iris-knn"), {});
        QTRY_COMPARE_WITH_TIMEOUT(previewed.count(), 1, 120000);
        auto* preview = window.findChild<ui::ReportPreview*>();
        QVERIFY(preview && preview->isVisible());
        QTRY_COMPARE_WITH_TIMEOUT(preview->pageCount(), pages.captured(1).toInt(), 20000);
        QVERIFY(QString::fromStdString(preview->html()).contains(QLatin1String("<h2 id=\"evaluation\">")));
        QSignalSpy saved(preview, &ui::ReportPreview::saved);
        const QString fromPreview = m_dir.filePath(QStringLiteral("preview.pdf"));
        preview->save(fromPreview);
        QTRY_COMPARE_WITH_TIMEOUT(saved.count(), 1, 60000);
        QCOMPARE(saved.at(0).at(1).toString(), QString());
        QFile previewPdf(fromPreview);
        QVERIFY(previewPdf.open(QIODevice::ReadOnly));
        QCOMPARE(previewPdf.read(5), QByteArray("%PDF-"));
        preview->close();
    }

    void exportModelFromTheTrialView()
    {
        ui::MainWindow window;
        QVERIFY(openProjectIn(window));
        ui::TrialView* trial = window.openTrial(QStringLiteral("iris-knn"), 2);
        QSignalSpy requested(trial, &ui::TrialView::exportModelRequested);
        QSignalSpy exported(&window, &ui::MainWindow::modelExported);
        const QString path = m_dir.filePath(QStringLiteral("iris.model"));
        Q_EMIT trial->exportModelRequested(QStringLiteral("iris-knn"), 2, path); // as the file dialog would
        QTRY_COMPARE_WITH_TIMEOUT(exported.count(), 1, 60000);
        QCOMPARE(exported.at(0).at(1).toString(), QString());
        // The model file is the trial's configuration, and predicts.
        algorithms::ModelFile model = algorithms::loadModelFile(path.toStdString());
        QCOMPARE(model.algorithm, std::string("knn"));
        const auto store = store::ProjectStore::open(m_project.toStdString(), store::ProjectStore::Mode::ReadOnly);
        const std::vector<store::TrialRecord> trials = store->trials(store->experimentByName("iris-knn")->id);
        const QJsonObject params = QJsonDocument::fromJson(QByteArray::fromStdString(trials.at(1).paramsJson)).object();
        QCOMPARE(std::get<std::int64_t>(model.params.at("k")),
                 static_cast<std::int64_t>(params.value(QStringLiteral("k")).toInt()));
        const data::Dataset iris = data::readDataset(TUNEBENCH_TEST_DATA "/iris.arff");
        QCOMPARE(algorithms::predictDataset(model, iris).values.size(), Eigen::Index(150));
    }

    void rerunFromTheTrialView()
    {
        ui::MainWindow window;
        window.resize(1200, 800);
        window.show();
        QVERIFY(openProjectIn(window));
        ui::TrialView* trial = window.openTrial(QStringLiteral("iris-knn"), 2);
        QSignalSpy finished(trial, &ui::TrialView::rerunFinished);
        QTest::mouseClick(trial->rerunButton(), Qt::LeftButton);
        QCOMPARE(trial->rerunButton()->text(), QStringLiteral("Cancel Rerun")); // the GUI thread did not wait
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
        QVERIFY2(trial->rerunSummary()->text().startsWith(QLatin1String("Reproduced: ")),
                 qPrintable(trial->rerunSummary()->text()));
        QTableWidget* table = trial->rerunTable();
        QVERIFY(table->rowCount() > 5);
        QCOMPARE(table->item(0, 0)->text(), QStringLiteral("objective (accuracy)"));
        for (int row = 0; row < table->rowCount(); ++row) {
            QCOMPARE(table->item(row, 3)->text(), QStringLiteral("identical"));
            QCOMPARE(table->item(row, 1)->text(), table->item(row, 2)->text());
        }
        QCOMPARE(trial->rerunButton()->text(), QStringLiteral("Rerun"));
        if (const QString folder = qEnvironmentVariable("TUNEBENCH_GRAB_DIR"); !folder.isEmpty())
            window.grab().save(folder + QStringLiteral("/rerun.png"));
    }

    void evaluateRegressionAndCommand()
    {
        ui::MainWindow window;
        QVERIFY(openProjectIn(window));
        ui::EvaluationView* view = window.openEvaluation(QStringLiteral("cpu-linear"), 1);
        QSignalSpy finished(view, &ui::EvaluationView::finished);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
        QCOMPARE(finished.at(0).at(0).toString(), QString());
        QCOMPARE(view->tabs()->tabText(0), QStringLiteral("Predicted vs actual"));
        QCOMPARE(view->tabs()->tabText(1), QStringLiteral("Residuals"));
        const auto* points = qobject_cast<QXYSeries*>(view->actual()->chart()->series().at(0));
        QCOMPARE(points->count(), static_cast<int>(view->evaluation()->truth.size()));
        const auto* residuals = qobject_cast<QXYSeries*>(view->residuals()->chart()->series().at(0));
        for (int i = 0; i < residuals->count(); i += 17)
            QVERIFY(std::abs(residuals->at(i).y() - (points->at(i).x() - points->at(i).y())) < 1e-9);
        // An external command's trial cannot be evaluated here, and says why.
        ui::EvaluationView* command = window.openEvaluation(QStringLiteral("branin-a"), 1);
        QSignalSpy commandFinished(command, &ui::EvaluationView::finished);
        QTRY_COMPARE_WITH_TIMEOUT(commandFinished.count(), 1, 20000);
        QVERIFY(commandFinished.at(0).at(0).toString().contains(QLatin1String("external command")));
    }

    void severalObjectivesPerObjective()
    {
        // An experiment of two objectives (mlp on iris: accuracy against model size): the parallel coordinates show
        // both and colour the lines by Pareto rank; the importance explains each objective.
        runBuiltin(m_project, R"js({"name": "iris-two", "dataset": {"path": "%1/iris.arff"}, "algorithm": "mlp",
            "fixed": {"epochs": 20, "n_iter_no_change": 0},
            "ranges": {"units": {"type": "integer", "min": 2, "max": 64, "scaling": "log"},
                       "learning_rate": {"type": "continuous", "min": 0.001, "max": 0.1, "scaling": "log"}},
            "objectives": [{"metric": "accuracy"}, {"metric": "model_size"}], "strategy": "random",
            "validation": {"folds": 3}, "limits": {"max_trials": 10}, "seed": 3})js");
        CompareView view(m_project, {{QStringLiteral("iris-two"), 0}});
        view.resize(1100, 700);
        view.show();
        QTRY_VERIFY_WITH_TIMEOUT(!view.isLoading(), 20000);
        const ui::Comparison& data = view.comparison();
        QCOMPARE(data.moreObjectives, QStringList{QStringLiteral("model_size")});
        QCOMPARE(data.importanceSets,
                 (QStringList{QStringLiteral("iris-two"), QStringLiteral("iris-two: model_size")}));
        // model_size depends on units alone: its importance says so.
        const auto& size = data.importance.at(QStringLiteral("iris-two: model_size"));
        QCOMPARE(QString::fromStdString(size.at(0).name), QStringLiteral("units"));
        QVERIFY(size.at(0).importance > 0.9);
        const std::vector<ParallelCoordinatesPlot::Axis>& axes = view.parallelCoordinates()->axes();
        QCOMPARE(axes.back().name, QStringLiteral("Pareto rank"));
        QCOMPARE(axes[axes.size() - 2].name, QStringLiteral("model_size"));
        // The ranks: 0 exactly for the front `runs` reports.
        const auto store = store::ProjectStore::open(m_project.toStdString(), store::ProjectStore::Mode::ReadOnly);
        const auto [record, spec] = jobs::loadExperiment(*store, "iris-two");
        const std::vector<int> front = jobs::paretoTrials(store->trials(record.id), spec);
        QVERIFY(!front.empty());
        for (const ui::Comparison::Trial& trial : data.trials) {
            const bool onFront = std::find(front.begin(), front.end(), trial.number) != front.end();
            QCOMPARE(trial.paretoRank == 0.0, onFront);
        }
    }

    void wholeExperiment()
    {
        CompareView view(m_project, {{QStringLiteral("branin-a"), 0}});
        view.resize(1100, 700);
        view.show();
        QTRY_VERIFY_WITH_TIMEOUT(!view.isLoading(), 20000);
        const ui::Comparison& data = view.comparison();
        QCOMPARE(static_cast<int>(data.trials.size()), 16);
        QCOMPARE(data.metric, QStringLiteral("value"));
        QVERIFY(!data.maximize);
        QCOMPARE(data.parameters.size(), std::size_t(2));
        QVERIFY(data.parameters[0].levels.isEmpty());

        // Every trial's curve, labelled by trial.
        QVERIFY(view.curves()->quantities().contains(QStringLiteral("loss")));
        QCOMPARE(view.curves()->seriesOfTrial(1).size(), qsizetype(1));
        QCOMPARE(view.curves()->seriesOfTrial(1).constFirst()->name().left(7), QStringLiteral("trial 1"));

        // The differences: parameters and objective differ, the algorithm and status do not.
        const QStringList differing = view.differingRows();
        QVERIFY2(differing.contains(QStringLiteral("x1")) && differing.contains(QStringLiteral("x2"))
                     && differing.contains(QStringLiteral("objective (value)")),
                 qPrintable(differing.join(QLatin1Char(','))));
        QVERIFY(!differing.contains(QStringLiteral("algorithm")));
        const int allRows = view.differences()->model()->rowCount();
        view.onlyDifferences()->setChecked(true);
        QCOMPARE(view.differences()->model()->rowCount(), static_cast<int>(view.differingRows().size()));
        QVERIFY(view.differences()->model()->rowCount() < allRows);

        // Importance: Branin depends on both; the shares sum to one.
        const auto& importance = data.importance.at(QStringLiteral("branin-a"));
        QCOMPARE(importance.size(), std::size_t(2));
        QVERIFY(std::abs(importance[0].importance + importance[1].importance - 1.0) < 1e-9);
        QVERIFY(importance[0].importance >= importance[1].importance);
        QCOMPARE(view.importance()->chart()->series().size(), qsizetype(1));

        // The scatter plots every finished trial against the chosen parameter; the history has a best line
        // that never gets worse.
        view.scatterParameter()->setCurrentText(QStringLiteral("x2"));
        const auto* scatter = qobject_cast<QXYSeries*>(view.scatter()->chart()->series().constFirst());
        QCOMPARE(scatter->count(), 16);
        QVERIFY(view.scatter()->chart()->title().contains(QLatin1String("x2")));
        // The contour: the two most important parameters, the surrogate within the objectives' range.
        QCOMPARE(view.contourX()->currentText(), QString::fromStdString(importance[0].name));
        QCOMPARE(view.contourY()->currentText(), QString::fromStdString(importance[1].name));
        QTRY_VERIFY_WITH_TIMEOUT(!view.isContourPending(), 20000);
        QCOMPARE(view.contour()->resolution(), 40);
        QCOMPARE(view.contour()->trialCount(), 16);
        double lowest = std::numeric_limits<double>::infinity();
        double highest = -lowest;
        for (const auto& trial : data.trials) {
            lowest = std::min(lowest, *trial.objective);
            highest = std::max(highest, *trial.objective);
        }
        for (double value : view.contour()->values())
            QVERIFY(value >= lowest - 1e-9 && value <= highest + 1e-9);
        const auto* best = qobject_cast<QXYSeries*>(view.history()->chart()->series().at(1));
        for (int i = 1; i < best->count(); ++i)
            QVERIFY(best->at(i).y() <= best->at(i - 1).y());
    }

    void acrossExperiments()
    {
        CompareView view(
            m_project,
            {{QStringLiteral("branin-a"), 1}, {QStringLiteral("branin-a"), 2}, {QStringLiteral("branin-b"), 3}});
        QTRY_VERIFY_WITH_TIMEOUT(!view.isLoading(), 20000);
        QCOMPARE(static_cast<int>(view.comparison().trials.size()), 3);
        QCOMPARE(view.comparison().experiments, (QStringList{QStringLiteral("branin-a"), QStringLiteral("branin-b")}));
        QCOMPARE(view.differences()->model()->headerData(2, Qt::Horizontal).toString(), QStringLiteral("branin-b #3"));
        QVERIFY(view.differingRows().contains(QStringLiteral("experiment")));
        QCOMPARE(view.curves()->seriesOfTrial(3).constFirst()->name().left(11), QStringLiteral("branin-b #3"));
        // One importance per experiment, over all of its trials.
        QCOMPARE(view.comparison().importance.size(), std::size_t(2));
    }

    void brushingFiltersTheTrials()
    {
        CompareView view(m_project, {{QStringLiteral("branin-a"), 0}});
        view.resize(1100, 700);
        view.show();
        QTRY_VERIFY_WITH_TIMEOUT(!view.isLoading(), 20000);
        view.tabs()->setCurrentIndex(2);
        ParallelCoordinatesPlot* plot = view.parallelCoordinates();
        QCOMPARE(plot->axes().size(), std::size_t(3)); // x1, x2, value
        const std::vector<store::TrialRecord> trials = trialsOf(m_project, QStringLiteral("branin-a"));

        // A brush set on x1: exactly the trials with x1 in [-5, 2.5] stay.
        QSignalSpy changed(plot, &ParallelCoordinatesPlot::selectionChanged);
        plot->setBrush(0, -5.0, 2.5);
        QCOMPARE(changed.count(), 1);
        std::set<int> expected;
        for (const store::TrialRecord& trial : trials) {
            if (param(trial, "x1") <= 2.5)
                expected.insert(trial.number);
        }
        QVERIFY(!expected.empty() && expected.size() < trials.size());
        QCOMPARE(visibleNumbers(view.brushedTable()), expected);

        // Dragging along the objective axis with the mouse intersects with it.
        std::vector<double> objectives;
        for (const store::TrialRecord& trial : trials)
            objectives.push_back(*trial.objective);
        std::sort(objectives.begin(), objectives.end());
        const double low = objectives.front();
        const double high = objectives[objectives.size() / 2];
        const int axis = 2;
        const QPoint from(static_cast<int>(plot->axisX(axis)),
                          static_cast<int>(std::floor(plot->valueY(axis, low))) + 2);
        const QPoint to(static_cast<int>(plot->axisX(axis)), static_cast<int>(std::ceil(plot->valueY(axis, high))) - 1);
        QTest::mousePress(plot, Qt::LeftButton, Qt::NoModifier, from);
        QMouseEvent move(QEvent::MouseMove, to, plot->mapToGlobal(to), Qt::NoButton, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(plot, &move);
        QTest::mouseRelease(plot, Qt::LeftButton, Qt::NoModifier, to);
        const auto brush = plot->brush(axis);
        QVERIFY(brush.has_value());
        std::set<int> both;
        for (const store::TrialRecord& trial : trials) {
            if (param(trial, "x1") <= 2.5 && *trial.objective >= brush->first && *trial.objective <= brush->second)
                both.insert(trial.number);
        }
        QCOMPARE(visibleNumbers(view.brushedTable()), both);
        // The drag started just below the lowest objective and ended just above the median.
        QVERIFY(brush->first <= low && brush->second >= high);
        QVERIFY(both.count(trials.front().number) || *trials.front().objective > brush->second
                || param(trials.front(), "x1") > 2.5);

        // A click on an axis clears its brush; Clear selection clears them all.
        QTest::mouseClick(plot, Qt::LeftButton, Qt::NoModifier, QPoint(static_cast<int>(plot->axisX(axis)), from.y()));
        QVERIFY(!plot->brush(axis).has_value());
        QCOMPARE(visibleNumbers(view.brushedTable()), expected);
        auto* clear = view.findChild<QPushButton*>(QStringLiteral("clearBrushes"));
        QTest::mouseClick(clear, Qt::LeftButton);
        QCOMPARE(visibleNumbers(view.brushedTable()).size(), trials.size());
    }

    void exports()
    {
        CompareView view(m_project, {{QStringLiteral("branin-a"), 1}, {QStringLiteral("branin-a"), 2}});
        view.resize(900, 600);
        view.show();
        QTRY_VERIFY_WITH_TIMEOUT(!view.isLoading(), 20000);
        const std::vector<store::TrialRecord> trials = trialsOf(m_project, QStringLiteral("branin-a"));

        // CSV: the header names the trials, the objective row holds their values.
        const QString csvPath = m_dir.filePath(QStringLiteral("differences.csv"));
        QString error;
        QVERIFY2(ui::saveTable(view.differences(), csvPath, &error), qPrintable(error));
        QFile csv(csvPath);
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(csv.readAll()).split(QStringLiteral("\r\n"), Qt::SkipEmptyParts);
        QCOMPARE(lines.constFirst(), QStringLiteral(",trial 1,trial 2"));
        const QString objectiveLine = *std::find_if(lines.begin(), lines.end(), [](const QString& line) {
            return line.startsWith(QLatin1String("objective (value)"));
        });
        QCOMPARE(objectiveLine.split(QLatin1Char(',')).at(1).toDouble(), *trials[0].objective);
        QCOMPARE(lines.size(), view.differences()->model()->rowCount() + 1);

        // LaTeX: a booktabs table, numbers right-aligned, underscores escaped.
        const QString latex = ui::toLatex({{QStringLiteral("name"), QStringLiteral("value")},
                                           {QStringLiteral("learning_rate"), QStringLiteral("0.01")}});
        QVERIFY(latex.contains(QLatin1String("\\begin{tabular}{lr}")));
        QVERIFY(latex.contains(QLatin1String("learning\\_rate & 0.01 \\\\")));
        QVERIFY(latex.contains(QLatin1String("\\toprule")) && latex.contains(QLatin1String("\\bottomrule")));
        QCOMPARE(ui::toCsv({{QStringLiteral("a,b"), QStringLiteral("say \"hi\"")}}),
                 QStringLiteral("\"a,b\",\"say \"\"hi\"\"\"\r\n"));

        // Images: a PNG with the chart's size, an SVG that is vector XML with the chart's title in it.
        view.tabs()->setCurrentIndex(5);
        const QString png = m_dir.filePath(QStringLiteral("history.png"));
        const QString svg = m_dir.filePath(QStringLiteral("history.svg"));
        QVERIFY2(ui::saveWidgetImage(view.history(), png, &error), qPrintable(error));
        QVERIFY2(ui::saveWidgetImage(view.history(), svg, &error), qPrintable(error));
        // Where it cannot be written: the file and the reason, nothing left behind.
        for (const char* name : {"gone/history.png", "gone/history.svg"}) {
            const QString nowhere = m_dir.filePath(QString::fromLatin1(name));
            QVERIFY(!ui::saveWidgetImage(view.history(), nowhere, &error));
            QVERIFY2(error.contains(nowhere) && error.contains(QLatin1String("No such file or directory")),
                     qPrintable(error));
            QVERIFY(!QFileInfo::exists(nowhere));
        }
        QImage image(png);
        QVERIFY(!image.isNull());
        QCOMPARE(image.size() / image.devicePixelRatio(), view.history()->size());
        QFile svgFile(svg);
        QVERIFY(svgFile.open(QIODevice::ReadOnly));
        const QByteArray svgText = svgFile.readAll();
        QVERIFY(svgText.contains("<svg"));
        QVERIFY(svgText.contains("Optimisation history") || svgText.contains("<path"));
    }

    void openedFromTheWorkbench()
    {
        ui::MainWindow window;
        window.resize(1200, 800);
        window.show();
        QVERIFY(openProjectIn(window));

        // From an experiment's table: two selected rows, Compare.
        ui::ExperimentView* experiment = window.openExperiment(QStringLiteral("branin-b"));
        QTRY_VERIFY_WITH_TIMEOUT(!experiment->isLoading(), 20000);
        experiment->table()->selectRow(0);
        experiment->table()->selectionModel()->select(experiment->table()->model()->index(3, 0),
                                                      QItemSelectionModel::Select | QItemSelectionModel::Rows);
        QCOMPARE(experiment->selectedTrials().size(), qsizetype(2));
        QTest::mouseClick(experiment->compareButton(), Qt::LeftButton);
        auto* compare = qobject_cast<CompareView*>(window.tabs()->currentWidget());
        QVERIFY(compare);
        QTRY_VERIFY_WITH_TIMEOUT(!compare->isLoading(), 20000);
        QCOMPARE(static_cast<int>(compare->comparison().trials.size()), 2);

        // From the explorer: both experiments selected, Experiment > Compare Selected.
        window.explorer()->clearSelection();
        for (QTreeWidgetItem* item :
             window.explorer()->findItems(QStringLiteral("branin-"), Qt::MatchStartsWith | Qt::MatchRecursive)) {
            if (item->data(0, Qt::UserRole + 1).toString() == QLatin1String("experiment"))
                item->setSelected(true);
        }
        CompareView* both = window.compareExplorerSelection();
        QVERIFY(both);
        QTRY_VERIFY_WITH_TIMEOUT(!both->isLoading(), 20000);
        QCOMPARE(static_cast<int>(both->comparison().trials.size()), 26);
        QCOMPARE(both->comparison().experiments.size(), qsizetype(2));
    }

    void criticalDifferenceGroups()
    {
        ui::CriticalDifferenceDiagram diagram;
        // Ranks 1.0, 1.5, 3.0, 3.2 with CD 1.0: {0, 1} and {2, 3} are the groups; 1.5 and 3.0 differ.
        diagram.setRanks({QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c"), QStringLiteral("d")},
                         {3.0, 1.0, 3.2, 1.5}, 1.0, 0.05);
        QCOMPARE(diagram.cliques(), (std::vector<std::vector<int>>{{1, 3}, {0, 2}}));
        // Demsar's example (section 3.2.2): average ranks within the CD of 1.25 are one group.
        diagram.setRanks(
            {QStringLiteral("C4.5"), QStringLiteral("C4.5+m"), QStringLiteral("C4.5+cf"), QStringLiteral("C4.5+m+cf")},
            {3.143, 2.000, 2.893, 1.964}, 1.25, 0.05);
        QCOMPARE(diagram.cliques().size(), std::size_t(1));
        QCOMPARE(diagram.cliques().front().size(), std::size_t(4));
    }

    void benchmarkFromTheWorkbench()
    {
        const QString specPath = m_dir.filePath(QStringLiteral("bench.json"));
        QFile file(specPath);
        QVERIFY(file.open(QIODevice::WriteOnly));
        const QString data = QStringLiteral(TUNEBENCH_TEST_DATA);
        file.write(
            QJsonDocument(
                QJsonObject{
                    {QStringLiteral("name"), QStringLiteral("three")},
                    {QStringLiteral("datasets"),
                     QJsonArray{QString(data + QStringLiteral("/iris.arff")),
                                QString(data + QStringLiteral("/wine_data.csv")),
                                QString(data + QStringLiteral("/breast_cancer.csv"))}},
                    {QStringLiteral("algorithms"),
                     QJsonArray{QStringLiteral("logistic"), QStringLiteral("knn"),
                                QJsonObject{{QStringLiteral("algorithm"), QStringLiteral("tree")},
                                            {QStringLiteral("fixed"), QJsonObject{{QStringLiteral("max_depth"), 2}}}}}},
                    {QStringLiteral("metric"), QStringLiteral("accuracy")},
                    {QStringLiteral("validation"), QJsonObject{{QStringLiteral("folds"), 5}}},
                })
                .toJson());
        file.close();

        ui::MainWindow window;
        window.resize(1200, 800);
        window.show();
        ui::BenchmarkView* view = window.runBenchmark(specPath);
        QVERIFY(view);
        QSignalSpy finished(view, &ui::BenchmarkView::finished);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
        QCOMPARE(finished.at(0).at(0).toString(), QString());
        const jobs::BenchmarkResult& result = *view->result();
        // Three datasets, then wins/ties/losses and average ranks.
        const QAbstractItemModel* model = view->table()->model();
        QCOMPARE(model->rowCount(), 5);
        QCOMPARE(model->headerData(1, Qt::Vertical).toString(), QStringLiteral("wine_data"));
        const jobs::BenchmarkCell& cell = result.cells[1][2];
        QVERIFY(model->index(1, 2).data().toString().startsWith(QString::number(cell.summary.mean, 'f', 4)));
        QCOMPARE(model->index(3, 0).data().toString(), QStringLiteral("baseline"));
        const auto& record = result.versusBaseline[1];
        QCOMPARE(model->index(3, 1).data().toString(),
                 QStringLiteral("%1 / %2 / %3").arg(record.wins).arg(record.ties).arg(record.losses));
        // The diagram's groups hold algorithms within the critical difference of each other.
        QVERIFY(result.friedman.has_value());
        for (const std::vector<int>& group : view->diagram()->cliques()) {
            const double low = result.friedman->averageRanks(group.front());
            const double high = result.friedman->averageRanks(group.back());
            QVERIFY(high - low < result.friedman->criticalDifference);
        }
        QVERIFY(view->summary()->text().contains(QLatin1String("Friedman")));

        // A bad spec is refused with the reason; a long benchmark cancels.
        QString error;
        QFile bad(m_dir.filePath(QStringLiteral("bad.json")));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write(R"({"datasets": ["iris.arff"], "algorithms": ["knn"]})");
        bad.close();
        QVERIFY(!window.runBenchmark(bad.fileName(), &error));
        QVERIFY2(error.contains(QLatin1String("bad.json")) && error.contains(QLatin1String("metric")),
                 qPrintable(error));
    }

private:
    /// Opens the comparison project in `window`: true once the window says it is open.
    bool openProjectIn(ui::MainWindow& window) const
    {
        QSignalSpy opened(&window, &ui::MainWindow::projectOpened);
        return window.openProject(m_project) && QTest::qWaitFor([&] { return opened.count() == 1; }, 20000);
    }
    QTemporaryDir m_dir;
    QString m_project;
};

QTEST_MAIN(TestCompare)
#include "tst_compare.moc"

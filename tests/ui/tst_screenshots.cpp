// Renders each main view with the demo project to PNG files, for the README and for people to look at.
// Writes to $TUNEBENCH_SCREENSHOT_DIR (docs/screenshots when run by hand), else to the build folder.

#include <algorithm>

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLineEdit>
#include <QPalette>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScatterSeries>
#include <QScrollArea>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStyle>
#include <QStyleFactory>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

#include "charts/paretochart.h"
#include "charts/rungschart.h"
#include "compare/compareview.h"
#include "compare/parallelcoordinates.h"
#include "dataset/datasetview.h"
#include "dataset/readsettingsdialog.h"
#include "editor/algorithmpage.h"
#include "editor/commandeditor.h"
#include "editor/experimenteditor.h"
#include "editor/measureseditor.h"
#include "editor/parametertable.h"
#include "evaluation/benchmarkview.h"
#include "evaluation/evaluationview.h"
#include "experiment/experimentview.h"
#include "experiment/trialsmodel.h"
#include "experiment/trialview.h"
#include "report/reportpreview.h"
#include "window/mainwindow.h"
#include "window/welcomepage.h"

using tunebench::ui::BenchmarkView;
using tunebench::ui::CompareView;
using tunebench::ui::DatasetView;
using tunebench::ui::EvaluationView;
using tunebench::ui::ExperimentEditor;
using tunebench::ui::ExperimentView;
using tunebench::ui::MainWindow;
using tunebench::ui::ParallelCoordinatesPlot;
using tunebench::ui::TrialView;

namespace {

QPalette darkPalette()
{
    QPalette palette;
    palette.setColor(QPalette::Window, QColor(45, 45, 48));
    palette.setColor(QPalette::WindowText, QColor(230, 230, 230));
    palette.setColor(QPalette::Base, QColor(30, 30, 32));
    palette.setColor(QPalette::AlternateBase, QColor(45, 45, 48));
    palette.setColor(QPalette::Text, QColor(230, 230, 230));
    palette.setColor(QPalette::Button, QColor(60, 60, 64));
    palette.setColor(QPalette::ButtonText, QColor(230, 230, 230));
    palette.setColor(QPalette::Highlight, QColor(42, 130, 218));
    palette.setColor(QPalette::HighlightedText, Qt::white);
    palette.setColor(QPalette::PlaceholderText, QColor(140, 140, 140));
    palette.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(120, 120, 120));
    palette.setColor(QPalette::Disabled, QPalette::WindowText, QColor(120, 120, 120));
    palette.setColor(QPalette::Disabled, QPalette::Text, QColor(120, 120, 120));
    return palette;
}

} // namespace

class TestScreenshots : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void mainWindow_data();
    void mainWindow();

private:
    void save(QWidget* window, const QString& name, bool dark);
    QDir m_out;
    QTemporaryDir m_work;
};

void TestScreenshots::initTestCase()
{
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    // Settings of their own: the pictures do not show the recent projects of whoever runs them.
    QCoreApplication::setOrganizationName(QStringLiteral("TunebenchTests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_screenshots"));
    const QString dir
        = qEnvironmentVariable("TUNEBENCH_SCREENSHOT_DIR", QDir::currentPath() + QStringLiteral("/screenshots"));
    QVERIFY(QDir().mkpath(dir));
    m_out = QDir(dir);
}

void TestScreenshots::mainWindow_data()
{
    QTest::addColumn<bool>("dark");
    QTest::newRow("light") << false;
    QTest::newRow("dark") << true;
}

void TestScreenshots::save(QWidget* window, const QString& name, bool dark)
{
    // Layouts and charts settle on later events (a chart redraws on a coalescing timer): grabbed once two grabs
    // in a row are the same.
    QImage last;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            const QImage now = window->grab().toImage();
            return std::exchange(last, now) == now;
        }(),
        5000);
    const QString file = m_out.filePath(name + (dark ? QStringLiteral("-dark.png") : QStringLiteral("-light.png")));
    QVERIFY(window->grab().save(file));
    QVERIFY2(QFileInfo(file).size() > 10000, qPrintable(file));
}

void TestScreenshots::mainWindow()
{
    QFETCH(bool, dark);
    QApplication::setPalette(dark ? darkPalette() : QApplication::style()->standardPalette());
    MainWindow window;
    window.resize(1360, 860);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QSignalSpy opened(&window, &MainWindow::projectOpened);
    // The same demo folder both times: the second pass finds the experiment the first one ran.
    window.openDemoProject(m_work.filePath(QStringLiteral("demo")));
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 20000);
    const QString experiment = QStringLiteral("breast-cancer-mlp");
    const bool firstPass = window.explorer()->findItems(experiment, Qt::MatchContains | Qt::MatchRecursive).isEmpty();

    window.tabs()->setCurrentWidget(window.welcomePage());
    save(&window, QStringLiteral("welcome"), dark);

    // The example experiment in the editor (opened by the demo on the first pass).
    ExperimentEditor* editor = nullptr;
    for (int i = 0; i < window.tabs()->count(); ++i) {
        if (auto* e = qobject_cast<ExperimentEditor*>(window.tabs()->widget(i)))
            editor = e;
    }
    if (!editor) {
        editor = window.newExperiment();
        QString error;
        QVERIFY2(editor->loadFile(m_work.filePath(QStringLiteral("demo/specs/breast-cancer-mlp.json")), &error),
                 qPrintable(error));
        editor->nameEdit()->setText(experiment + QStringLiteral("-2"));
    }
    window.tabs()->setCurrentWidget(editor);
    QVERIFY2(editor->problem().isEmpty(), qPrintable(editor->problem()));
    save(&window, QStringLiteral("editor"), dark);
    // ASHA: the budget's resource, range, eta and brackets in the strategy's row.
    {
        auto* strategy = editor->findChild<QComboBox*>(QStringLiteral("strategyChooser"));
        QVERIFY(strategy);
        const int before = strategy->currentIndex();
        strategy->setCurrentIndex(strategy->findData(QStringLiteral("asha")));
        QVERIFY(editor->findChild<QSpinBox*>(QStringLiteral("hyperbandBrackets"))->isVisible());
        QVERIFY2(editor->problem().isEmpty(), qPrintable(editor->problem()));
        save(&window, QStringLiteral("editor-asha"), dark);
        strategy->setCurrentIndex(before);
    }
    // Two objectives and a constraint under the first objective; the strategy that suits them.
    {
        auto* strategy = editor->findChild<QComboBox*>(QStringLiteral("strategyChooser"));
        const int before = strategy->currentIndex();
        const QJsonObject spec = editor->spec();
        editor->measuresEditor()->addRow(QStringLiteral("objective"), QStringLiteral("fit_seconds"), {}, 0);
        editor->measuresEditor()->addRow(QStringLiteral("<="), QStringLiteral("model_size"), {}, 20000);
        strategy->setCurrentIndex(strategy->findData(QStringLiteral("nsga2")));
        QTRY_VERIFY2(editor->problem().isEmpty(), qPrintable(editor->problem()));
        QVERIFY(editor->parsedSpec()->isMultiObjective());
        save(&window, QStringLiteral("editor-objectives"), dark);
        strategy->setCurrentIndex(before);
        editor->setSpec(spec);
        QTRY_COMPARE(editor->measuresEditor()->rowCount(), 0);
    }
    // xgboost for a number to predict (penguins' body mass): the values shown are the regression defaults.
    {
        ExperimentEditor* numbers = window.newExperiment();
        QVERIFY(numbers);
        numbers->nameEdit()->setText(QStringLiteral("penguin-mass"));
        QComboBox* datasetChooser = numbers->datasetChooser();
        for (int i = 0; i < datasetChooser->count(); ++i) {
            if (datasetChooser->itemText(i).startsWith(QLatin1String("penguins")))
                datasetChooser->setCurrentIndex(i);
        }
        numbers->targetChooser()->setCurrentIndex(numbers->targetChooser()->findText(QStringLiteral("body_mass_g")));
        numbers->algorithmChooser()->setCurrentIndex(numbers->algorithmChooser()->findData(QStringLiteral("xgboost")));
        QCOMPARE(numbers->paramRow(QStringLiteral("max_depth"))->valueText(), QStringLiteral("3"));
        const ExperimentEditor::ParamRow* gamma = numbers->paramRow(QStringLiteral("gamma"));
        QVERIFY(gamma);
        window.tabs()->setCurrentWidget(numbers);
        QTRY_VERIFY(numbers->parameterTable()->viewport()->height() > 100); // laid out, so that it can scroll
        // From eta down: the learning rate, the shares of features and gamma, each at its regression default.
        QTableWidget* table = numbers->parameterTable();
        const QList<QTableWidgetItem*> eta = table->findItems(QStringLiteral("eta"), Qt::MatchExactly);
        QVERIFY(!eta.isEmpty());
        table->scrollToItem(eta.front(), QAbstractItemView::PositionAtTop);
        QVERIFY2(numbers->problem().isEmpty(), qPrintable(numbers->problem()));
        save(&window, QStringLiteral("editor-xgboost-regression"), dark);
        window.tabs()->removeTab(window.tabs()->indexOf(numbers));
        numbers->deleteLater();
    }

    // Three algorithms in one experiment, xgboost's leaves searched only for the lossguide policy.
    {
        ExperimentEditor* three = window.newExperiment();
        QVERIFY(three);
        three->nameEdit()->setText(QStringLiteral("three-algorithms"));
        const ExperimentEditor::ParamRow* c = three->paramRow(QStringLiteral("C"));
        c->tune->setChecked(true);
        three->addAlgorithm(QStringLiteral("forest"))
            ->parameterTable()
            ->row(QStringLiteral("max_depth"))
            ->tune->setChecked(true);
        tunebench::ui::AlgorithmPage* xgboost = three->addAlgorithm(QStringLiteral("xgboost"));
        tunebench::ui::ParameterTable* table = xgboost->parameterTable();
        table->row(QStringLiteral("grow_policy"))->tune->setChecked(true);
        const ExperimentEditor::ParamRow* leaves = table->row(QStringLiteral("max_leaves"));
        leaves->tune->setChecked(true);
        static_cast<QLineEdit*>(leaves->from)->setText(QStringLiteral("8"));
        leaves->to->setText(QStringLiteral("256"));
        leaves->scale->setCurrentIndex(leaves->scale->findData(QStringLiteral("log")));
        leaves->when->setText(QStringLiteral("grow_policy = lossguide"));
        window.tabs()->setCurrentWidget(three);
        QTRY_VERIFY(table->viewport()->height() > 100);
        table->scrollToItem(table->item(table->rowCount() - 1, 0)); // every row laid out
        table->scrollToItem(table->findItems(QStringLiteral("grow_policy"), Qt::MatchExactly).front(),
                            QAbstractItemView::PositionAtTop);
        QVERIFY2(three->problem().isEmpty(), qPrintable(three->problem()));
        save(&window, QStringLiteral("editor-algorithms"), dark);
        window.tabs()->removeTab(window.tabs()->indexOf(three));
        three->deleteLater();
    }
    // A training job: one algorithm with nothing ticked to tune, so Run reads Train.
    {
        ExperimentEditor* train = window.newExperiment();
        QVERIFY(train);
        train->nameEdit()->setText(QStringLiteral("mlp-training-job"));
        train->algorithmChooser()->setCurrentIndex(train->algorithmChooser()->findData(QStringLiteral("mlp")));
        train->paramRow(QStringLiteral("tol"))->setValueText(QStringLiteral("0.001"));
        train->paramRow(QStringLiteral("n_iter_no_change"))->setValueText(QStringLiteral("3"));
        window.tabs()->setCurrentWidget(train);
        QTRY_COMPARE(train->runButton()->text(), QStringLiteral("Train"));
        QVERIFY2(train->problem().isEmpty(), qPrintable(train->problem()));
        save(&window, QStringLiteral("editor-train"), dark);
        window.tabs()->removeTab(window.tabs()->indexOf(train));
        train->deleteLater();
    }
    // Your own script: its command, a parameter, and its metrics tested on pasted output.
    {
        ExperimentEditor* script = window.newExperiment();
        QVERIFY(script);
        script->nameEdit()->setText(QStringLiteral("my-script"));
        script->algorithmChooser()->setCurrentIndex(script->algorithmChooser()->findData(QStringLiteral("command")));
        tunebench::ui::AlgorithmPage* page = script->algorithmPage(0);
        tunebench::ui::CommandEditor* command = page->commandEditor();
        command->programEdit()->setText(QStringLiteral("python3"));
        command->argumentsEdit()->setPlainText(QStringLiteral(
            "train.py\n--train\n{train_path}\n--validation\n{validation_path}\n--lr\n{lr}\n--epochs\n30"));
        page->parameterTable()->addFreeRow(QStringLiteral("lr"), QStringLiteral("continuous"));
        const ExperimentEditor::ParamRow& lr = page->parameterTable()->rows().front();
        lr.tune->setChecked(true);
        static_cast<QLineEdit*>(lr.from)->setText(QStringLiteral("0.001"));
        lr.to->setText(QStringLiteral("1"));
        lr.scale->setCurrentIndex(lr.scale->findData(QStringLiteral("log")));
        command->addMetric(QStringLiteral("loss"), QStringLiteral("loss=(\\S+)"));
        command->addMetric(QStringLiteral("accuracy"), QStringLiteral("val_accuracy=([0-9.]+)"));
        command->setSampleOutput(QStringLiteral(
            "epoch=1 loss=0.693147\nepoch=2 loss=0.412031\nepoch=3 loss=0.305518\nval_accuracy=0.947368\n"));
        script->metricChooser()->setCurrentIndex(script->metricChooser()->findData(QStringLiteral("accuracy")));
        window.tabs()->setCurrentWidget(script);
        // The editor's page scrolled down to the script's command, metrics and tester.
        auto* scroll = script->findChild<QScrollArea*>();
        QVERIFY(scroll);
        QTRY_VERIFY(scroll->verticalScrollBar()->maximum() > 300); // laid out
        scroll->verticalScrollBar()->setValue(command->metricsTable()->mapTo(scroll->widget(), QPoint()).y() - 260);
        QVERIFY2(script->problem().isEmpty(), qPrintable(script->problem()));
        save(&window, QStringLiteral("editor-script"), dark);
        window.tabs()->removeTab(window.tabs()->indexOf(script));
        script->deleteLater();
    }

    // A dataset, its columns and the distribution of one of them.
    DatasetView* dataset = nullptr;
    const QTreeWidgetItem* datasets = window.explorer()->topLevelItem(0)->child(0);
    for (int i = 0; i < datasets->childCount(); ++i) {
        if (datasets->child(i)->text(0).startsWith(QLatin1String("breast_cancer")))
            dataset = window.openDataset(datasets->child(i)->data(0, Qt::UserRole + 2).toLongLong());
    }
    QVERIFY(dataset);
    QTRY_VERIFY_WITH_TIMEOUT(dataset->isLoaded(), 20000);
    dataset->columnTable()->setCurrentCell(1, 0);
    save(&window, QStringLiteral("dataset"), dark);
    // A categorical column: its levels' names read across the bars.
    for (int i = 0; i < datasets->childCount(); ++i) {
        if (datasets->child(i)->text(0).startsWith(QLatin1String("penguins"))) {
            DatasetView* penguins = window.openDataset(datasets->child(i)->data(0, Qt::UserRole + 2).toLongLong());
            QTRY_VERIFY_WITH_TIMEOUT(penguins->isLoaded(), 20000);
            penguins->columnTable()->setCurrentCell(1, 0); // island
            save(&window, QStringLiteral("dataset-levels"), dark);
            window.tabs()->removeTab(window.tabs()->indexOf(penguins));
            penguins->deleteLater();
            window.tabs()->setCurrentWidget(dataset);
        }
    }
    // "Read As": how the file is laid out, each choice beside what sniffing found.
    QTRY_VERIFY(dataset->readAsButton()->isEnabled());
    QTest::mouseClick(dataset->readAsButton(), Qt::LeftButton);
    auto* readAs = dataset->findChild<tunebench::ui::ReadSettingsDialog*>();
    QVERIFY(readAs);
    QTRY_VERIFY(readAs->isVisible());
    QTRY_VERIFY(readAs->previewTable()->isVisible()); // its first rows, read in the background
    save(readAs, QStringLiteral("read-as"), dark);
    readAs->reject();

    // The experiment: run on the first pass, read back from the project on the second.
    ExperimentView* view = nullptr;
    if (firstPass) {
        QSignalSpy finished(&window, &MainWindow::experimentFinished);
        window.tabs()->setCurrentWidget(editor);
        QVERIFY(editor->runButton()->isEnabled());
        QTest::mouseClick(editor->runButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 180000);
        QVERIFY(finished.at(0).at(1).toString() != QLatin1String("error"));
        view = window.openExperiment(experiment);
    } else {
        view = window.openExperiment(experiment);
        QTRY_VERIFY_WITH_TIMEOUT(!view->isLoading(), 20000);
    }
    QVERIFY(view->trialsModel()->rowCount() >= 5);
    QVERIFY(view->trialsModel()->bestTrial().has_value());
    view->selectTrial(*view->trialsModel()->bestTrial());
    save(&window, QStringLiteral("experiment"), dark);

    // ASHA: the rungs chart beside the curves (run on the first pass, read back on the second).
    const QString asha = QStringLiteral("breast-cancer-asha");
    if (firstPass) {
        QSignalSpy ashaFinished(&window, &MainWindow::experimentFinished);
        const tunebench::tuning::ExperimentSpec spec
            = tunebench::tuning::parseSpec(QStringLiteral(R"js({"name": "%1",
            "dataset": "%2/breast_cancer.csv", "validation": {"folds": 3}, "algorithm": "mlp",
            "fixed": {"n_iter_no_change": 0},
            "ranges": {"learning_rate": {"type": "continuous", "min": 0.0003, "max": 0.03, "scaling": "log"},
                       "units": {"type": "integer", "min": 4, "max": 64, "scaling": "log"}},
            "objective": {"metric": "log_loss"}, "strategy": "asha",
            "budget": {"min_resource": 1, "max_resource": 27}, "limits": {"max_trials": 30, "max_parallel": 2},
            "seed": 4})js")
                                               .arg(asha, QStringLiteral(TUNEBENCH_TEST_DATA))
                                               .toUtf8(),
                                           "asha.json", "/");
        QVERIFY(window.runExperiment(spec));
        QTRY_COMPARE_WITH_TIMEOUT(ashaFinished.count(), 1, 180000);
    }
    ExperimentView* ashaView = window.openExperiment(asha);
    QTRY_VERIFY_WITH_TIMEOUT(!ashaView->isLoading(), 20000);
    QTRY_VERIFY(ashaView->rungs()->isVisible());
    save(&window, QStringLiteral("experiment-asha"), dark);

    // Two objectives and a constraint: the Pareto front of AUC against fit time, mlp of many sizes.
    const QString pareto = QStringLiteral("breast-cancer-pareto");
    if (firstPass) {
        QSignalSpy paretoFinished(&window, &MainWindow::experimentFinished);
        const tunebench::tuning::ExperimentSpec spec
            = tunebench::tuning::parseSpec(QStringLiteral(R"js({"name": "%1",
            "dataset": "%2/breast_cancer.csv", "validation": {"folds": 3}, "algorithm": "mlp",
            "fixed": {"epochs": 30, "n_iter_no_change": 0},
            "ranges": {"units": {"type": "integer", "min": 2, "max": 512, "scaling": "log"},
                       "hidden_layers": {"type": "integer", "min": 1, "max": 3},
                       "learning_rate": {"type": "continuous", "min": 0.0003, "max": 0.03, "scaling": "log"}},
            "objectives": [{"metric": "auc"}, {"metric": "fit_seconds"}],
            "constraints": [{"metric": "model_size", "<=": 20000}],
            "strategy": "bayesian", "limits": {"max_trials": 30, "max_parallel": 2}, "seed": 3})js")
                                               .arg(pareto, QStringLiteral(TUNEBENCH_TEST_DATA))
                                               .toUtf8(),
                                           "pareto.json", "/");
        QVERIFY(window.runExperiment(spec));
        QTRY_COMPARE_WITH_TIMEOUT(paretoFinished.count(), 1, 180000);
    }
    ExperimentView* paretoView = window.openExperiment(pareto);
    QTRY_VERIFY_WITH_TIMEOUT(!paretoView->isLoading(), 20000);
    QTRY_VERIFY(paretoView->pareto()->isVisible());
    QTRY_VERIFY(paretoView->pareto()->chart()->frontSeries()->count() > 0);
    save(&window, QStringLiteral("experiment-pareto"), dark);
    view = window.openExperiment(experiment);

    TrialView* trial = window.openTrial(experiment, *view->trialsModel()->bestTrial());
    QSignalSpy trialLoaded(trial, &TrialView::loaded);
    QTRY_VERIFY_WITH_TIMEOUT(trialLoaded.count() >= 1 || trial->parameterTable()->rowCount() > 0, 20000);
    save(&window, QStringLiteral("trial"), dark);

    // The best trial evaluated in detail.
    EvaluationView* evaluation = window.openEvaluation(experiment, *view->trialsModel()->bestTrial());
    QSignalSpy evaluated(evaluation, &EvaluationView::finished);
    QTRY_COMPARE_WITH_TIMEOUT(evaluated.count(), 1, 120000);
    QCOMPARE(evaluated.at(0).at(0).toString(), QString());
    evaluation->confusionMode()->setCurrentIndex(1);
    save(&window, QStringLiteral("evaluate-confusion"), dark);
    evaluation->tabs()->setCurrentIndex(1);
    save(&window, QStringLiteral("evaluate-roc"), dark);
    evaluation->tabs()->setCurrentIndex(3);
    save(&window, QStringLiteral("evaluate-calibration"), dark);
    evaluation->tabs()->setCurrentIndex(4);
    save(&window, QStringLiteral("evaluate-importance"), dark);

    // Comparing the experiment's trials: each analysis tab.
    CompareView* compare = window.openComparison({{experiment, 0}});
    QVERIFY(compare);
    QTRY_VERIFY_WITH_TIMEOUT(!compare->isLoading(), 20000);
    compare->tabs()->setCurrentIndex(1);
    save(&window, QStringLiteral("compare-differences"), dark);
    compare->tabs()->setCurrentIndex(2);
    // Brush the best third of the objective axis.
    ParallelCoordinatesPlot* plot = compare->parallelCoordinates();
    std::vector<double> objectives;
    for (const auto& trial : compare->comparison().trials) {
        if (trial.objective)
            objectives.push_back(*trial.objective);
    }
    std::sort(objectives.begin(), objectives.end());
    plot->setBrush(static_cast<int>(plot->axes().size()) - 1, objectives[objectives.size() * 2 / 3], objectives.back());
    save(&window, QStringLiteral("compare-parallel"), dark);
    compare->tabs()->setCurrentIndex(3);
    compare->scatterParameter()->setCurrentText(QStringLiteral("learning_rate"));
    save(&window, QStringLiteral("compare-scatter"), dark);
    compare->tabs()->setCurrentIndex(4);
    QTRY_VERIFY_WITH_TIMEOUT(!compare->isContourPending(), 20000);
    save(&window, QStringLiteral("compare-contour"), dark);
    compare->tabs()->setCurrentIndex(5);
    save(&window, QStringLiteral("compare-history"), dark);
    compare->tabs()->setCurrentIndex(6);
    save(&window, QStringLiteral("compare-importance"), dark);
    // Two objectives: parallel coordinates with both, coloured by Pareto rank; importance for each objective.
    CompareView* twoGoals = window.openComparison({{pareto, 0}});
    QVERIFY(twoGoals);
    QTRY_VERIFY_WITH_TIMEOUT(!twoGoals->isLoading(), 20000);
    QCOMPARE(twoGoals->parallelCoordinates()->axes().back().name, QStringLiteral("Pareto rank"));
    twoGoals->tabs()->setCurrentIndex(2);
    save(&window, QStringLiteral("compare-pareto-parallel"), dark);
    twoGoals->tabs()->setCurrentIndex(6);
    save(&window, QStringLiteral("compare-pareto-importance"), dark);

    // The experiment's report, as a web page and as a PDF, beside the pictures.
    if (!dark) {
        window.setOpenExports(false);
        QSignalSpy exported(&window, &MainWindow::reportExported);
        window.exportReport(experiment, m_out.filePath(QStringLiteral("report.html")));
        window.exportReport(experiment, m_out.filePath(QStringLiteral("report.pdf")));
        QTRY_COMPARE_WITH_TIMEOUT(exported.count(), 2, 120000);
        for (const QList<QVariant>& signal : exported)
            QCOMPARE(signal.at(1).toString(), QString());
    }
    // File > Export Report opens the report's preview, laid out on its pages.
    QSignalSpy previewed(&window, &MainWindow::reportPreviewOpened);
    window.exportReport(experiment, {});
    QTRY_COMPARE_WITH_TIMEOUT(previewed.count(), 1, 120000);
    auto* preview = window.findChild<tunebench::ui::ReportPreview*>();
    QTRY_VERIFY_WITH_TIMEOUT(preview->pageCount() > 1, 20000);
    save(preview, QStringLiteral("report-preview"), dark);
    preview->close();

    // A benchmark of four algorithms on the demo's three datasets.
    const QString specPath = m_work.filePath(QStringLiteral("demo/benchmark.json"));
    QFile spec(specPath);
    QVERIFY(spec.open(QIODevice::WriteOnly));
    spec.write(R"js({"name": "demo", "datasets": ["data/breast_cancer.csv", "data/iris.arff",
        {"path": "data/penguins.csv", "target": "species"}],
        "algorithms": ["logistic", "knn", {"algorithm": "tree", "fixed": {"max_depth": 4}, "label": "tree (depth 4)"},
        {"algorithm": "forest", "fixed": {"trees": 50}}], "metric": "accuracy", "validation": {"folds": 5},
        "seed": 1})js");
    spec.close();
    QString error;
    BenchmarkView* benchmark = window.runBenchmark(specPath, &error);
    QVERIFY2(benchmark, qPrintable(error));
    QSignalSpy benchmarkDone(benchmark, &BenchmarkView::finished);
    QTRY_COMPARE_WITH_TIMEOUT(benchmarkDone.count(), 1, 120000);
    QCOMPARE(benchmarkDone.at(0).at(0).toString(), QString());
    save(&window, QStringLiteral("benchmark"), dark);
}

QTEST_MAIN(TestScreenshots)
#include "tst_screenshots.moc"
#include "tuning/experimentspec.h"

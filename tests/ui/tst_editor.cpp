// The experiment editor covers the engine: every spec the project ships or documents loads into it and saves back
// to the same experiment, or is refused naming the field; your own script built from an empty editor (command,
// metrics tested on pasted output) runs with live curves; three algorithms with a condition run under Bayesian
// search; with nothing searched Run becomes Train, one training job.

#include <cmath>
#include <limits>
#include <set>

#include <QCheckBox>
#include <QComboBox>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QUndoStack>

#include "../tools/projecttrials.h"
#include "../tools/specexamples.h"
#include "charts/charts.h"
#include "editor/algorithmpage.h"
#include "editor/commandeditor.h"
#include "editor/experimenteditor.h"
#include "editor/measureseditor.h"
#include "editor/parametertable.h"
#include "experiment/experimentview.h"
#include "experiment/trialsmodel.h"
#include "store/datasetregistry.h"
#include "teststates.h"
#include "tuning/experimentspec.h"
#include "window/mainwindow.h"

using namespace tunebench;
using tunebench::ui::AlgorithmPage;
using tunebench::ui::ExperimentEditor;
using tunebench::ui::ExperimentView;
using tunebench::ui::MainWindow;
using tunebench::ui::ParameterTable;

namespace {

const QString kData = QStringLiteral(TUNEBENCH_TEST_DATA);

/// Ticks a schema row for search over [from, to] on `scale`, or over the listed choices.
void searchRange(const ParameterTable::Row* row, const QString& from, const QString& to, const QString& scale = {})
{
    row->tune->setChecked(true);
    static_cast<QLineEdit*>(row->from)->setText(from);
    row->to->setText(to);
    if (!scale.isEmpty())
        row->scale->setCurrentIndex(row->scale->findData(scale));
}

} // namespace

class TestEditor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void conditionsReadAndWrite_data();
    void conditionsReadAndWrite();
    void everySpecRoundTrips();
    void aSpecTheFormCannotShowIsRefused();
    void buildsAndRunsYourOwnScript();
    void runsThreeAlgorithmsWithBayesianSearch();
    void trainsOneJobWithNothingSearched();
    void objectivesAndConstraintsFromTheForm();
    void warmStartPickerSaysWhatDiffers();

private:
    /// A fresh project holding the tests' `file`, opened in `window`; its path, or empty.
    QString projectWith(MainWindow& window, const QString& name, const QString& file);
    /// A new experiment `name` in a fresh project `name` holding breast_cancer.csv (its path in `project`), shown in
    /// `window`; null if a step fails.
    ExperimentEditor* newExperiment(MainWindow& window, const QString& name, QString* project);
    QTemporaryDir m_dir;
};

QString TestEditor::projectWith(MainWindow& window, const QString& name, const QString& file)
{
    const QString path = m_dir.filePath(name + QStringLiteral(".tbproj"));
    {
        const auto project = store::ProjectStore::open(path.toStdString());
        store::registerDataset(*project, QString(kData + QLatin1Char('/') + file).toStdString());
    }
    return window.openProject(path) ? path : QString();
}

ExperimentEditor* TestEditor::newExperiment(MainWindow& window, const QString& name, QString* project)
{
    window.show();
    *project = projectWith(window, name, QStringLiteral("breast_cancer.csv"));
    ExperimentEditor* editor = project->isEmpty() ? nullptr : window.newExperiment();
    if (editor)
        editor->nameEdit()->setText(name);
    return editor;
}

void TestEditor::conditionsReadAndWrite_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("shown"); // how the form writes it back
    QTest::newRow("one value") << "optimizer = sgd" << QByteArray(R"({"optimizer": ["sgd"]})") << "optimizer = sgd";
    QTest::newRow("values") << "kernel in rbf,  poly" << QByteArray(R"({"kernel": ["rbf", "poly"]})")
                            << "kernel = rbf, poly";
    QTest::newRow("at least") << "hidden_layers>=2" << QByteArray(R"({"hidden_layers": {"min": 2}})")
                              << "hidden_layers >= 2";
    QTest::newRow("at most") << "depth <= 8.5" << QByteArray(R"({"depth": {"max": 8.5}})") << "depth <= 8.5";
    QTest::newRow("between") << "2 <= depth <= 8" << QByteArray(R"({"depth": {"min": 2, "max": 8}})")
                             << "2 <= depth <= 8";
    QTest::newRow("prefixed") << "mlp.optimizer = sgd" << QByteArray(R"({"mlp.optimizer": ["sgd"]})")
                              << "mlp.optimizer = sgd";
    QTest::newRow("empty") << "  " << QByteArray("{}") << "";
    QTest::newRow("not a condition") << "optimizer sgd" << QByteArray() << "";
    QTest::newRow("no value") << "optimizer = " << QByteArray() << "";
}

void TestEditor::conditionsReadAndWrite()
{
    QFETCH(QString, text);
    QFETCH(QByteArray, json);
    QFETCH(QString, shown);
    QString error;
    const std::optional<QJsonObject> when = ui::conditionFromText(text, &error);
    if (json.isEmpty()) {
        QVERIFY(!when);
        QVERIFY2(error.contains(QStringLiteral("parent >= 2")), qPrintable(error));
        return;
    }
    QVERIFY2(when, qPrintable(error));
    QCOMPARE(*when, QJsonDocument::fromJson(json).object());
    QCOMPARE(ui::conditionText(*when), shown);
}

// Every spec of tests/data, the fuzzer's seeds, the demo, docs/spec.md, and each strategy with one algorithm,
// three (one range conditional) and a command: spec -> editor -> spec is the same experiment.
void TestEditor::everySpecRoundTrips()
{
    int checked = 0;
    std::set<QString> forms; // what the round trips covered
    for (const testing::SpecExample& example : testing::specExamples(kData)) {
        std::optional<tuning::ExperimentSpec> parsed;
        try {
            parsed = tuning::parseSpec(example.json, example.name.toStdString(), example.folder.toStdString());
        } catch (const tuning::SpecError&) {
            continue; // not a spec tune accepts: the fuzzer's error seeds, a benchmark entry
        }
        ExperimentEditor editor;
        QString error;
        QVERIFY2(editor.showSpec(*parsed, &error), qPrintable(example.name + QStringLiteral(": ") + error));
        const QJsonObject before = tuning::canonicalJson(*parsed);
        const tuning::ExperimentSpec back
            = tuning::parseSpec(QJsonDocument(editor.spec()).toJson(), example.name.toStdString(), "/");
        const std::string difference = tuning::firstDifference(before, tuning::canonicalJson(back));
        QVERIFY2(difference.empty(),
                 qPrintable(example.name + QStringLiteral(": ") + QString::fromStdString(difference)));
        QCOMPARE(editor.algorithmCount(), static_cast<int>(parsed->algorithms.size()));
        forms.insert(QString::fromLatin1(tuning::toString(parsed->strategy.kind))
                     + (parsed->command                  ? QStringLiteral("/command")
                            : parsed->isMultiAlgorithm() ? QStringLiteral("/several")
                                                         : QStringLiteral("/one")));
        ++checked;
    }
    QVERIFY2(checked >= 45, qPrintable(QString::number(checked))); // every source found
    for (const char* strategy : {"grid", "random", "sobol", "bayesian", "tpe", "nsga2", "hyperband"}) {
        for (const char* form : {"/one", "/command"})
            QVERIFY2(forms.count(QString::fromLatin1(strategy) + QString::fromLatin1(form)),
                     qPrintable(QString::fromLatin1(strategy) + QString::fromLatin1(form)));
        if (QByteArray(strategy) != "hyperband")
            QVERIFY(forms.count(QString::fromLatin1(strategy) + QStringLiteral("/several")));
    }
}

void TestEditor::aSpecTheFormCannotShowIsRefused()
{
    ExperimentEditor editor;
    const QJsonObject shown = editor.spec();
    // Limits are whole seconds in the form; half a second would be rewritten.
    const tuning::ExperimentSpec parsed = tuning::parseSpec(
        R"({"name": "half", "dataset": "iris.csv", "algorithm": "knn", "objective": {"metric": "accuracy"},
            "limits": {"max_seconds": 0.5}})",
        "half.json", kData.toStdString());
    QString error;
    QVERIFY(!editor.showSpec(parsed, &error));
    QVERIFY2(error.contains(QStringLiteral("limits.max_seconds")), qPrintable(error));
    QCOMPARE(editor.spec(), shown); // the form as it was
    QCOMPARE(editor.undoStack()->count(), 0);
}

// From an empty editor: your own script (tests/tools/logistic_script.py) with a searched learning rate, its
// metrics tested on pasted output, run; live curves of its loss, the objective read from its output.
void TestEditor::buildsAndRunsYourOwnScript()
{
    // Debian's Python (a user's pyenv shim needs the user's HOME, which the tests replace).
    QString python = QStandardPaths::findExecutable(QStringLiteral("python3"), {QStringLiteral("/usr/bin")});
    if (python.isEmpty())
        python = QStandardPaths::findExecutable(QStringLiteral("python3"));
    QVERIFY(!python.isEmpty());
    MainWindow window;
    window.resize(1400, 900);
    QString project;
    ExperimentEditor* editor = newExperiment(window, QStringLiteral("my-script"), &project);
    QVERIFY(editor);
    editor->algorithmChooser()->setCurrentIndex(editor->algorithmChooser()->findData(QStringLiteral("command")));
    AlgorithmPage* page = editor->algorithmPage(0);
    QVERIFY(page->isCommand());
    QVERIFY(!editor->imputeChooser()->isEnabled()); // a script prepares its own data
    QCOMPARE(editor->algorithmTabs()->tabText(0), QStringLiteral("Your script"));

    ui::CommandEditor* command = page->commandEditor();
    command->programEdit()->setText(python);
    QTest::mouseClick(page->addParameterButton(), Qt::LeftButton);
    const ParameterTable::Row& lr = page->parameterTable()->rows().front();
    lr.nameEdit->setText(QStringLiteral("lr"));
    lr.tune->setChecked(true);
    static_cast<QLineEdit*>(lr.from)->setText(QStringLiteral("0.01"));
    lr.to->setText(QStringLiteral("2"));
    lr.scale->setCurrentIndex(lr.scale->findData(QStringLiteral("log")));
    command->argumentsEdit()->setPlainText(
        QStringList{QString(kData + QStringLiteral("/../tools/logistic_script.py")), QStringLiteral("--train"),
                    QStringLiteral("{train_path}"), QStringLiteral("--validation"), QStringLiteral("{validation_path}"),
                    QStringLiteral("--lr"), QStringLiteral("{lr}"), QStringLiteral("--epochs"), QStringLiteral("12")}
            .join(QLatin1Char('\n')));
    QVERIFY(editor->problem().contains(QStringLiteral("metric"))); // none yet
    command->addMetric(QStringLiteral("loss"), QStringLiteral("loss=(\\S+)"));
    command->addMetric(QStringLiteral("accuracy"), QStringLiteral("val_accuracy=([0-9.]+)"));

    // The tester reads pasted output with the runs' scanner.
    command->setSampleOutput(
        QStringLiteral("epoch=1 loss=0.69\nepoch=2 loss=0.41\nnoise loss=abc\nval_accuracy=0.95\n"));
    QTableWidget* captures = command->capturesTable();
    QCOMPARE(captures->rowCount(), 2);
    QCOMPARE(captures->item(0, 1)->text(), QStringLiteral("2"));
    QCOMPARE(captures->item(0, 2)->text(), QStringLiteral("0.69, 0.41"));
    QCOMPARE(captures->item(1, 3)->text(), QStringLiteral("0.95"));
    editor->metricChooser()->setCurrentIndex(editor->metricChooser()->findData(QStringLiteral("accuracy")));
    QCOMPARE(captures->item(1, 0)->text(), QStringLiteral("accuracy (objective)"));
    command->addMetric(QStringLiteral("broken"), QStringLiteral("loss=(\\S+"));
    QVERIFY(captures->item(2, 2)->text().startsWith(QStringLiteral("not a valid expression")));
    QVERIFY(editor->problem().contains(QStringLiteral("regex"))); // the parser refuses it too
    command->metricsTable()->removeRow(2);

    editor->goalChooser()->setCurrentIndex(editor->goalChooser()->findData(QStringLiteral("maximize")));

    // A dry run: the script once, lr at the middle of its range (log scale: 0.1414), its real output in the tester.
    QTest::mouseClick(command->tryButton(), Qt::LeftButton);
    QCOMPARE(command->tryButton()->text(), QStringLiteral("Stop Trial"));
    QTRY_VERIFY_WITH_TIMEOUT(command->tryStatus()->text().startsWith(QStringLiteral("Finished")), 60000);
    QVERIFY2(command->tryStatus()->text().contains(QStringLiteral("accuracy = 0.9")),
             qPrintable(command->tryStatus()->text()));
    QCOMPARE(captures->item(0, 1)->text(), QStringLiteral("12")); // an epoch's loss each
    QCOMPARE(captures->item(1, 1)->text(), QStringLiteral("1"));
    QVERIFY(testing::trialsInProject(project, QStringLiteral("my-script")).empty()); // nothing recorded

    editor->strategyChooser()->setCurrentIndex(editor->strategyChooser()->findData(QStringLiteral("random")));
    editor->maxTrialsEdit()->setValue(4);
    editor->maxParallelEdit()->setValue(2);
    QTRY_VERIFY2(editor->runButton()->isEnabled(), qPrintable(editor->problem()));
    QCOMPARE(editor->runButton()->text(), QStringLiteral("Run"));
    const QJsonObject spec = editor->spec();
    QVERIFY(!spec.contains(QLatin1String("preprocessing")));
    QVERIFY(spec.value(QLatin1String("algorithm")).isObject());

    QSignalSpy finished(&window, &MainWindow::experimentFinished);
    QTest::mouseClick(editor->runButton(), Qt::LeftButton);
    auto* view = qobject_cast<ExperimentView*>(window.tabs()->currentWidget());
    QVERIFY(view);
    QTRY_VERIFY_WITH_TIMEOUT(view->curves()->pointCount(1, QStringLiteral("loss")) > 0, 60000); // live
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 120000);
    const std::vector<store::TrialRecord> trials = testing::trialsInProject(project, QStringLiteral("my-script"));
    QCOMPARE(trials.size(), std::size_t{4});
    QCOMPARE(testing::countStatus(trials, TrialState::Finished), 4);
    for (const store::TrialRecord& trial : trials) {
        QVERIFY(trial.objective && *trial.objective > 0.5 && *trial.objective <= 1.0);
        QCOMPARE(view->curves()->pointCount(trial.number, QStringLiteral("loss")), std::size_t{12});
    }
}

// Logistic, forest and xgboost (its max_leaves searched only for the lossguide policy) in one experiment, built in
// the form and run with Bayesian search: every algorithm among the trials, the condition kept.
void TestEditor::runsThreeAlgorithmsWithBayesianSearch()
{
    MainWindow window;
    QString project;
    ExperimentEditor* editor = newExperiment(window, QStringLiteral("three"), &project);
    QVERIFY(editor);
    QCOMPARE(editor->algorithmCount(), 1);
    searchRange(editor->paramRow(QStringLiteral("C")), QStringLiteral("0.01"), QStringLiteral("100"),
                QStringLiteral("log"));
    AlgorithmPage* forest = editor->addAlgorithm(QStringLiteral("forest"));
    ParameterTable* forestTable = forest->parameterTable();
    forestTable->row(QStringLiteral("trees"))->setValueText(QStringLiteral("20"));
    searchRange(forestTable->row(QStringLiteral("max_depth")), QStringLiteral("2"), QStringLiteral("10"));
    AlgorithmPage* xgboost = editor->addAlgorithm(QStringLiteral("xgboost"));
    ParameterTable* xgboostTable = xgboost->parameterTable();
    xgboostTable->row(QStringLiteral("rounds"))->setValueText(QStringLiteral("20"));
    const ParameterTable::Row* policy = xgboostTable->row(QStringLiteral("grow_policy"));
    policy->tune->setChecked(true);
    const ParameterTable::Row* leaves = xgboostTable->row(QStringLiteral("max_leaves"));
    searchRange(leaves, QStringLiteral("4"), QStringLiteral("64"), QStringLiteral("log"));
    leaves->when->setText(QStringLiteral("grow_policy = lossguide"));
    QCOMPARE(editor->algorithmCount(), 3);
    QCOMPARE(editor->algorithmTabs()->tabText(2), QStringLiteral("XGBoost"));
    QVERIFY(editor->algorithmTabs()->tabsClosable());

    const QJsonArray algorithms = editor->spec().value(QLatin1String("algorithms")).toArray();
    QCOMPARE(algorithms.size(), 3);
    QCOMPARE(algorithms.at(2)
                 .toObject()
                 .value(QLatin1String("ranges"))
                 .toObject()
                 .value(QLatin1String("max_leaves"))
                 .toObject()
                 .value(QLatin1String("when"))
                 .toObject(),
             QJsonObject({{QStringLiteral("grow_policy"), QJsonArray{QStringLiteral("lossguide")}}}));
    leaves->when->setText(QStringLiteral("grow_policy lossguide"));
    QVERIFY(editor->problem().contains(QStringLiteral("max_leaves: when")));
    leaves->when->setText(QStringLiteral("grow_policy = lossguide"));

    editor->metricChooser()->setCurrentIndex(editor->metricChooser()->findData(QStringLiteral("auc")));
    editor->strategyChooser()->setCurrentIndex(editor->strategyChooser()->findData(QStringLiteral("bayesian")));
    editor->maxTrialsEdit()->setValue(14);
    editor->maxParallelEdit()->setValue(2);
    QTRY_VERIFY2(editor->runButton()->isEnabled(), qPrintable(editor->problem()));
    QSignalSpy finished(&window, &MainWindow::experimentFinished);
    QTest::mouseClick(editor->runButton(), Qt::LeftButton);
    auto* view = qobject_cast<ExperimentView*>(window.tabs()->currentWidget());
    QVERIFY(view);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 180000);

    const std::vector<store::TrialRecord> trials = testing::trialsInProject(project, QStringLiteral("three"));
    QCOMPARE(trials.size(), std::size_t{14});
    std::set<std::string> seen;
    for (const store::TrialRecord& trial : trials) {
        QCOMPARE(trial.status, TrialState::Finished);
        seen.insert(trial.algorithm);
        const QJsonObject params = QJsonDocument::fromJson(QByteArray::fromStdString(trial.paramsJson)).object();
        if (trial.algorithm == "xgboost") // the condition held: leaves only under lossguide
            QCOMPARE(params.contains(QLatin1String("max_leaves")),
                     params.value(QLatin1String("grow_policy")).toString() == QLatin1String("lossguide"));
        const jobs::Trial* shown = view->trialsModel()->trial(trial.number);
        QVERIFY(shown);
        QCOMPARE(shown->config.algorithm, trial.algorithm);
    }
    QCOMPARE(seen, (std::set<std::string>{"forest", "logistic", "xgboost"}));
    QVERIFY(view->trialsModel()->columnOf(QStringLiteral("Algorithm")) > 0);
}

// The mlp with fixed values and a change-in-error target: Run is Train, one trial, its loss curve ends where the
// target was met (replayed from the stored curve), and the model kept beside the project loads with predict.
void TestEditor::objectivesAndConstraintsFromTheForm()
{
    // AUC and fit time with a bound on the model's size, built in the form: the spec has them, tune accepts it, and a
    // removed row leaves one objective again.
    MainWindow window;
    QString project;
    ExperimentEditor* editor = newExperiment(window, QStringLiteral("two-goals"), &project);
    QVERIFY(editor);
    editor->algorithmChooser()->setCurrentIndex(editor->algorithmChooser()->findData(QStringLiteral("forest")));
    editor->metricChooser()->setCurrentIndex(editor->metricChooser()->findData(QStringLiteral("auc")));
    ui::MeasuresEditor* measures = editor->measuresEditor();
    QTest::mouseClick(measures->addButton(), Qt::LeftButton);
    QTest::mouseClick(measures->addButton(), Qt::LeftButton);
    QCOMPARE(measures->rowCount(), 2);
    const QList<QComboBox*> metrics = measures->findChildren<QComboBox*>(QStringLiteral("measureMetric"));
    const QList<QComboBox*> kinds = measures->findChildren<QComboBox*>(QStringLiteral("measureKind"));
    QCOMPARE(metrics.size(), 2);
    QVERIFY(metrics[0]->findText(QStringLiteral("model_size")) >= 0); // what a fit costs is offered
    metrics[0]->setCurrentText(QStringLiteral("fit_seconds")); // its goal follows: minimise
    metrics[1]->setCurrentText(QStringLiteral("model_size"));
    kinds[1]->setCurrentIndex(kinds[1]->findData(QStringLiteral("<=")));
    QLineEdit* bound = measures->findChildren<QLineEdit*>(QStringLiteral("measureBound")).constLast();
    QTest::keyClicks(bound, QStringLiteral("5000"));
    QTRY_VERIFY2(editor->runButton()->isEnabled(), qPrintable(editor->problem()));
    const QJsonObject spec = editor->spec();
    QVERIFY(!spec.contains(QStringLiteral("objective")));
    const QJsonArray objectives = spec.value(QStringLiteral("objectives")).toArray();
    QCOMPARE(objectives.size(), 2);
    QCOMPARE(objectives[0].toObject().value(QStringLiteral("metric")).toString(), QStringLiteral("auc"));
    QCOMPARE(objectives[1].toObject().value(QStringLiteral("metric")).toString(), QStringLiteral("fit_seconds"));
    QCOMPARE(objectives[1].toObject().value(QStringLiteral("goal")).toString(), QStringLiteral("minimize"));
    const QJsonObject constraint = spec.value(QStringLiteral("constraints")).toArray().at(0).toObject();
    QCOMPARE(constraint.value(QStringLiteral("metric")).toString(), QStringLiteral("model_size"));
    QCOMPARE(constraint.value(QStringLiteral("<=")).toDouble(), 5000.0);
    QVERIFY(editor->parsedSpec() && editor->parsedSpec()->isMultiObjective());
    // Hyperband cannot rank a built-in's costs step by step: the form says so and Run waits.
    editor->strategyChooser()->setCurrentIndex(editor->strategyChooser()->findData(QStringLiteral("hyperband")));
    QTRY_VERIFY(!editor->runButton()->isEnabled());
    QVERIFY2(editor->problem().contains(QStringLiteral("early stopping ranks each objective's curve")),
             qPrintable(editor->problem()));
    editor->strategyChooser()->setCurrentIndex(editor->strategyChooser()->findData(QStringLiteral("nsga2")));
    QTRY_VERIFY(editor->runButton()->isEnabled());
    // Removing the second objective's row leaves one objective (and the constraint).
    auto* remove = metrics[0]->parentWidget()->findChild<QToolButton*>();
    QVERIFY(remove);
    QTest::mouseClick(remove, Qt::LeftButton);
    QTRY_COMPARE(measures->rowCount(), 1);
    QTRY_VERIFY(editor->spec().contains(QStringLiteral("objective")));
    QVERIFY(editor->spec().contains(QStringLiteral("constraints")));
}

void TestEditor::trainsOneJobWithNothingSearched()
{
    MainWindow window;
    QString project;
    ExperimentEditor* editor = newExperiment(window, QStringLiteral("mlp-job"), &project);
    QVERIFY(editor);
    editor->algorithmChooser()->setCurrentIndex(editor->algorithmChooser()->findData(QStringLiteral("mlp")));
    const double tol = 0.001;
    const int patience = 3;
    editor->paramRow(QStringLiteral("epochs"))->setValueText(QStringLiteral("500"));
    editor->paramRow(QStringLiteral("tol"))->setValueText(QString::number(tol));
    editor->paramRow(QStringLiteral("n_iter_no_change"))->setValueText(QString::number(patience));
    editor->maxTrialsEdit()->setValue(5); // not five identical fits: one training job
    QTRY_VERIFY2(editor->runButton()->isEnabled(), qPrintable(editor->problem()));
    QCOMPARE(editor->runButton()->text(), QStringLiteral("Train"));
    QVERIFY(editor->isTrainingJob());

    QSignalSpy finished(&window, &MainWindow::experimentFinished);
    QTest::mouseClick(editor->runButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 120000);
    QCOMPARE(finished.at(0).at(1).toString(), QStringLiteral("nothing_to_tune"));
    const std::vector<store::TrialRecord> trials = testing::trialsInProject(project, QStringLiteral("mlp-job"));
    QCOMPARE(trials.size(), std::size_t{1});
    QCOMPARE(trials.front().status, TrialState::Finished);

    // The first fold's loss curve stops at the first epoch where the loss had not improved by tol (relative, as
    // scikit-learn's) for `patience` epochs in a row.
    const auto store = store::ProjectStore::open(project.toStdString(), store::ProjectStore::Mode::ReadOnly);
    const std::vector<store::MetricPoint> loss = store->metricSeries(trials.front().id, "fold1/train_loss");
    QVERIFY(loss.size() > std::size_t(patience) && loss.size() < 500);
    double best = std::numeric_limits<double>::infinity();
    int quiet = 0;
    for (std::size_t i = 0; i < loss.size(); ++i) {
        const double change = best - loss[i].value;
        quiet = i == 0 || change > tol * std::max(1.0, std::abs(best)) ? 0 : quiet + 1;
        best = std::min(best, loss[i].value);
        QCOMPARE(quiet >= patience, i + 1 == loss.size()); // met at the last point, and not before
    }

    // The model, trained on every row, is kept beside the project and predicts with the CLI.
    const std::vector<store::ArtifactRecord> artifacts = store->artifacts();
    const auto model = std::ranges::find_if(artifacts, [](const auto& a) { return a.kind == "model"; });
    QVERIFY(model != artifacts.end());
    const QString modelPath
        = QString::fromStdString(store->artifactsDirectory()) + QLatin1Char('/') + QString::fromStdString(model->path);
    QVERIFY(QFileInfo::exists(modelPath));
    const QString predictions = m_dir.filePath(QStringLiteral("predictions.csv"));
    QProcess predict;
    predict.start(QStringLiteral(TUNEBENCH_CLI),
                  {QStringLiteral("predict"), modelPath, kData + QStringLiteral("/breast_cancer.csv"),
                   QStringLiteral("--out"), predictions});
    QVERIFY(predict.waitForFinished(60000));
    QCOMPARE(predict.exitCode(), 0);
    QFile file(predictions);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll().count('\n'), 570); // a header and the 569 rows
}

// The warm-start picker lists the project's experiments and says, by the rules a run checks, which measured the
// same thing on the same data and which differ (and how).
void TestEditor::warmStartPickerSaysWhatDiffers()
{
    MainWindow window;
    QString project;
    ExperimentEditor* first = newExperiment(window, QStringLiteral("first"), &project);
    QVERIFY(first);
    first->metricChooser()->setCurrentIndex(first->metricChooser()->findData(QStringLiteral("accuracy")));
    QSignalSpy finished(&window, &MainWindow::experimentFinished);
    QTRY_VERIFY2(first->runButton()->isEnabled(), qPrintable(first->problem()));
    QTest::mouseClick(first->runButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);

    ExperimentEditor* second = window.newExperiment();
    QVERIFY(second);
    second->nameEdit()->setText(QStringLiteral("second"));
    second->metricChooser()->setCurrentIndex(second->metricChooser()->findData(QStringLiteral("balanced_accuracy")));
    QMenu* menu = second->warmStartChooser()->menu();
    QCOMPARE(menu->actions().size(), 1);
    QAction* earlier = menu->actions().constFirst();
    Q_EMIT menu->aboutToShow();
    QTRY_VERIFY2(earlier->text().contains(QStringLiteral("differs")), qPrintable(earlier->text()));
    QVERIFY2(earlier->toolTip().contains(QStringLiteral("metric: accuracy there, balanced_accuracy here")),
             qPrintable(earlier->toolTip()));
    second->metricChooser()->setCurrentIndex(second->metricChooser()->findData(QStringLiteral("accuracy")));
    Q_EMIT menu->aboutToShow();
    QTRY_COMPARE(earlier->text(), QStringLiteral("first — same data and objective"));
    earlier->setChecked(true); // chosen by name, whatever its text says
    QCOMPARE(second->spec().value(QLatin1String("warm_start")).toObject().value(QLatin1String("experiments")).toArray(),
             QJsonArray{QStringLiteral("first")});
}

QTEST_MAIN(TestEditor)
#include "tst_editor.moc"

// GUI responsiveness under load (docs/benchmarks.md).
//
//   bench_gui latency TB_TESTFUNCTION [SECONDS] [STEPS]
//       Four experiment views run live, each with two trials in parallel (eight trials in all), every trial
//       an external command printing STEPS (default 1,000,000) metric points as fast as it can. A 5 ms timer on the GUI
//       thread measures how late it fires: the event loop's latency. Prints p50/p99/max and the points shown.
//   bench_gui follow TUNEBENCH_CLI TB_TESTFUNCTION [SECONDS] [STEPS]
//       The same eight streaming trials, run by four tunebench-cli processes (two trials each) on one project; a
//       workbench window on that project follows them through the file, one experiment view open per run. The
//       same probe measures the GUI thread's latency; prints the points the views show.
//   bench_gui table [ROWS]
//       A dataset view of a generated CSV of ROWS rows (default 1,000,000) x 10 columns: the GUI thread's
//       latency while the file is read in the background, then the time to jump and repaint, 60 times.
//   bench_gui redraw [TRIALS] [POINTS]
//       A learning-curve chart of TRIALS x POINTS (default 50 x 10,000) in a 1200 x 700 view: the time to
//       decimate every series (refresh) and to repaint the view, median and max of 30.
//   bench_gui compare [TRIALS]
//       A comparison of an experiment of TRIALS (default 1,000) finished trials x 10 parameters with 20 metric
//       points each: the time to read it (with its fANOVA importance) in the background, to fill every view
//       on the GUI thread, to repaint the parallel coordinates, to brush them (selection, table filter and
//       repaint), to switch the scatter's parameter, and to repaint the differences table; median and max.
//   bench_gui editor [EDITS]
//       The experiment editor on a three-algorithm spec (logistic, forest, xgboost with a conditional range) of
//       breast_cancer.csv: the GUI-thread time of an edit (a typed bound, a ticked Tune box, a condition typed),
//       each validated by the spec parser as the form does on every edit; median, p99 and max of EDITS (200).
//
// Run under QT_QPA_PLATFORM=offscreen (or a display); prints one JSON object.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <vector>

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QLineSeries>
#include <QProcess>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include "../tools/branincommand.h"
#include "../tools/specexamples.h"
#include "benchutil.h"
#include "charts/charts.h"
#include "compare/compareview.h"
#include "compare/parallelcoordinates.h"
#include "dataset/datasetview.h"
#include "editor/algorithmpage.h"
#include "editor/experimenteditor.h"
#include "editor/parametertable.h"
#include "evaluation/validation.h"
#include "experiment/experimentrun.h"
#include "experiment/experimentview.h"
#include "experiment/trialsmodel.h"
#include "store/datasetregistry.h"
#include "tuning/experimentspec.h"
#include "window/mainwindow.h"

using namespace tunebench;

namespace {

double percentile(std::vector<double> values, double p)
{
    if (values.empty())
        return 0.0;
    std::sort(values.begin(), values.end());
    const auto index = static_cast<std::size_t>(std::ceil(p * static_cast<double>(values.size()))) - 1;
    return values[std::min(index, values.size() - 1)];
}

tuning::ExperimentSpec streamingSpec(const QString& name, const QString& testFunction, int steps)
{
    const QJsonObject json = testing::braninCommandSpec({name, testFunction, steps, 0, 1000, 2, 1});
    return tuning::parseSpec(QJsonDocument(json).toJson(), name.toStdString(), QDir::tempPath().toStdString());
}

/// The GUI thread's lateness (5 ms timer) from 1 s until `seconds`, with the event loop running.
std::vector<double> probeLatency(double seconds)
{
    std::vector<double> lateness;
    QElapsedTimer clock;
    clock.start();
    qint64 last = clock.nsecsElapsed();
    constexpr double kIntervalMs = 5.0;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(static_cast<int>(kIntervalMs));
    QObject::connect(&probe, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed();
        lateness.push_back(std::max(0.0, static_cast<double>(now - last) / 1e6 - kIntervalMs));
        if (lateness.back() > 50 && qEnvironmentVariableIsSet("BENCH_GUI_TRACE"))
            std::fprintf(stderr, "late %.1f ms at %.3f s\n", lateness.back(), static_cast<double>(now) / 1e9);
        last = now;
        if (static_cast<double>(now) / 1e9 > seconds)
            QApplication::quit();
    });
    QTimer::singleShot(1000, [&] {
        last = clock.nsecsElapsed();
        probe.start();
    });
    QApplication::exec();
    return lateness;
}

/// The probe's samples, their p50, p99 and max, and the GUI thread's CPU time so far.
void addLatency(QJsonObject& result, const std::vector<double>& lateness)
{
    timespec cpu{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu);
    result.insert(QStringLiteral("samples"), static_cast<qint64>(lateness.size()));
    result.insert(QStringLiteral("latency_p50_ms"), percentile(lateness, 0.50));
    result.insert(QStringLiteral("latency_p99_ms"), percentile(lateness, 0.99));
    result.insert(QStringLiteral("latency_max_ms"), percentile(lateness, 1.0));
    result.insert(QStringLiteral("gui_thread_cpu_seconds"),
                  static_cast<double>(cpu.tv_sec) + static_cast<double>(cpu.tv_nsec) / 1e9);
}

int latency(const QString& testFunction, double seconds, int steps)
{
    QTemporaryDir dir;
    const QString project = dir.filePath(QStringLiteral("bench.tbproj"));
    std::vector<std::unique_ptr<ui::ExperimentView>> views;
    QElapsedTimer updateClock;
    std::vector<double> updateMs;
    std::vector<std::unique_ptr<ui::ExperimentRun>> runs;
    constexpr int kExperiments = 4;
    for (int i = 0; i < kExperiments; ++i) {
        const QString name = QStringLiteral("stream-%1").arg(i);
        runs.push_back(std::make_unique<ui::ExperimentRun>(streamingSpec(name, testFunction, steps), project, false));
        views.push_back(std::make_unique<ui::ExperimentView>(project, name));
        views.back()->resize(1300, 800);
        // The time a view takes to take in one update: connected around the view's own handler.
        QObject::connect(runs.back().get(), &ui::ExperimentRun::updated, [&] { updateClock.start(); });
        views.back()->attach(runs.back().get());
        QObject::connect(runs.back().get(), &ui::ExperimentRun::updated,
                         [&] { updateMs.push_back(static_cast<double>(updateClock.nsecsElapsed()) / 1e6); });
    }
    views.front()->show(); // the one on screen draws; the others keep their models and series current
    for (auto& run : runs) {
        QObject::connect(run.get(), &ui::ExperimentRun::finished, [](const jobs::TuningSummary&, const QString& error) {
            if (!error.isEmpty())
                std::fprintf(stderr, "run failed: %s\n", qPrintable(error));
        });
        run->start();
    }

    const std::vector<double> lateness = probeLatency(seconds);
    std::size_t points = 0;
    for (auto& view : views) {
        for (const jobs::Trial& trial : view->trialsModel()->trials())
            points += view->curves()->pointCount(trial.number, QStringLiteral("loss"));
    }
    for (auto& run : runs)
        run->cancel();
    runs.clear(); // joins
    QJsonObject result{{QStringLiteral("mode"), QStringLiteral("latency")},
                       {QStringLiteral("seconds"), seconds},
                       {QStringLiteral("streaming_trials"), 2 * kExperiments},
                       {QStringLiteral("steps_per_trial"), steps},
                       {QStringLiteral("points_shown"), static_cast<qint64>(points)},
                       {QStringLiteral("points_per_second"), static_cast<double>(points) / (seconds - 1.0)},
                       {QStringLiteral("updates"), static_cast<qint64>(updateMs.size())},
                       {QStringLiteral("update_p50_ms"), percentile(updateMs, 0.50)},
                       {QStringLiteral("update_p99_ms"), percentile(updateMs, 0.99)},
                       {QStringLiteral("update_max_ms"), percentile(updateMs, 1.0)}};
    addLatency(result, lateness);
    std::printf("%s\n", QJsonDocument(result).toJson(QJsonDocument::Compact).constData());
    return 0;
}

int follow(const QString& cli, const QString& testFunction, double seconds, int steps)
{
    QTemporaryDir dir;
    const QString project = dir.filePath(QStringLiteral("bench.tbproj"));
    (void)store::ProjectStore::open(project.toStdString());
    constexpr int kExperiments = 4;
    std::vector<std::unique_ptr<QProcess>> processes;
    for (int i = 0; i < kExperiments; ++i) {
        const QString name = QStringLiteral("stream-%1").arg(i);
        const QString spec = dir.filePath(name + QStringLiteral(".json"));
        QFile file(spec);
        if (!file.open(QIODevice::WriteOnly))
            return 1;
        file.write(QJsonDocument(testing::braninCommandSpec({name, testFunction, steps, 0, 1000, 2, 1})).toJson());
        file.close();
        processes.push_back(std::make_unique<QProcess>());
        processes.back()->start(cli, {QStringLiteral("tune"), spec, QStringLiteral("--project"), project});
    }
    ui::MainWindow window;
    window.resize(1300, 800);
    window.show();
    window.openProject(project);
    const auto reader = store::ProjectStore::open(project.toStdString(), store::ProjectStore::Mode::ReadOnly);
    QElapsedTimer waited;
    waited.start();
    while (reader->experiments().size() < kExperiments && waited.elapsed() < 10000)
        QTest::qWait(20);
    std::vector<ui::ExperimentView*> views;
    for (int i = 0; i < kExperiments; ++i)
        views.push_back(window.openExperiment(QStringLiteral("stream-%1").arg(i)));
    const std::vector<double> lateness = probeLatency(seconds);
    std::size_t points = 0;
    bool allFollowed = true;
    for (ui::ExperimentView* view : views) {
        allFollowed = allFollowed && view->isFollowing();
        for (const jobs::Trial& trial : view->trialsModel()->trials())
            points += view->curves()->pointCount(trial.number, QStringLiteral("loss"));
    }
    for (auto& process : processes) {
        process->kill();
        process->waitForFinished();
    }
    QJsonObject result{{QStringLiteral("mode"), QStringLiteral("follow")},
                       {QStringLiteral("seconds"), seconds},
                       {QStringLiteral("processes"), kExperiments},
                       {QStringLiteral("streaming_trials"), 2 * kExperiments},
                       {QStringLiteral("steps_per_trial"), steps},
                       {QStringLiteral("all_followed"), allFollowed},
                       {QStringLiteral("points_shown"), static_cast<qint64>(points)},
                       {QStringLiteral("points_per_second"), static_cast<double>(points) / (seconds - 1.0)}};
    addLatency(result, lateness);
    std::printf("%s\n", QJsonDocument(result).toJson(QJsonDocument::Compact).constData());
    return 0;
}

int redraw(int trials, int points)
{
    ui::CurvesChart chart;
    chart.resize(1200, 700);
    chart.show();
    for (int trial = 1; trial <= trials; ++trial) {
        for (int step = 1; step <= points; ++step)
            chart.addPoint(trial, QStringLiteral("fold1/validation_loss"), step,
                           1.0 / std::sqrt(step) + 0.01 * trial + 0.02 * std::sin(step * 0.05 * trial));
    }
    QApplication::processEvents();
    std::vector<double> refresh;
    std::vector<double> paint;
    for (int i = 0; i < 30; ++i) {
        QElapsedTimer clock;
        // A new point in every series: each is decimated again and the axes recomputed.
        for (int trial = 1; trial <= trials; ++trial)
            chart.addPoint(trial, QStringLiteral("fold1/validation_loss"), points + 1 + i, 0.01 * trial);
        clock.start();
        chart.refresh();
        refresh.push_back(static_cast<double>(clock.nsecsElapsed()) / 1e6);
        clock.restart();
        chart.viewport()->repaint();
        paint.push_back(static_cast<double>(clock.nsecsElapsed()) / 1e6);
    }
    QJsonObject result{{QStringLiteral("mode"), QStringLiteral("redraw")},
                       {QStringLiteral("trials"), trials},
                       {QStringLiteral("points_per_trial"), points},
                       {QStringLiteral("drawn_points_per_series"), chart.seriesOfTrial(1).constFirst()->count()},
                       {QStringLiteral("refresh_median_ms"), percentile(refresh, 0.5)},
                       {QStringLiteral("refresh_max_ms"), percentile(refresh, 1.0)},
                       {QStringLiteral("repaint_median_ms"), percentile(paint, 0.5)},
                       {QStringLiteral("repaint_max_ms"), percentile(paint, 1.0)}};
    std::printf("%s\n", QJsonDocument(result).toJson(QJsonDocument::Compact).constData());
    return 0;
}

int table(int rows)
{
    // A CSV of `rows` rows: eight numeric columns, a categorical one and a label.
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("big.csv"));
    {
        std::FILE* file = std::fopen(path.toLocal8Bit().constData(), "w");
        std::fprintf(file, "a,b,c,d,e,f,g,h,colour,label\n");
        static const char* colours[] = {"red", "green", "blue", "amber"};
        for (int row = 0; row < rows; ++row)
            std::fprintf(file, "%d,%.4f,%.3f,%d,%.5f,%.2f,%d,%.4f,%s,%d\n", row, row * 0.001, std::sin(row * 0.01),
                         row % 97, std::cos(row * 0.003), row * 0.5, row % 13, std::sqrt(row), colours[row % 4],
                         row % 2);
        std::fclose(file);
    }
    const auto project = store::ProjectStore::open(dir.filePath(QStringLiteral("big.tbproj")).toStdString());
    const store::DatasetRecord record = store::registerDataset(*project, path.toStdString()).record;

    // Open the view: the file is read on a pool thread while a 5 ms timer probes the GUI thread.
    QElapsedTimer clock;
    clock.start();
    ui::DatasetView view(record);
    view.resize(1300, 800);
    view.show();
    std::vector<double> lateness;
    qint64 last = clock.nsecsElapsed();
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(5);
    QObject::connect(&probe, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed();
        lateness.push_back(std::max(0.0, static_cast<double>(now - last) / 1e6 - 5.0));
        last = now;
    });
    probe.start();
    QEventLoop loop;
    QObject::connect(&view, &ui::DatasetView::loaded, &loop, &QEventLoop::quit);
    loop.exec();
    const double loadSeconds = static_cast<double>(clock.nsecsElapsed()) / 1e9;
    probe.stop();

    // Jump around the table: each jump scrolls and repaints the visible rows.
    std::vector<double> jumps;
    QScrollBar* bar = view.table()->verticalScrollBar();
    for (int i = 0; i < 60; ++i) {
        const int target = static_cast<int>((static_cast<long long>(i) * 7919 % 60) * bar->maximum() / 59);
        QElapsedTimer jump;
        jump.start();
        bar->setValue(target);
        view.table()->viewport()->repaint();
        jumps.push_back(static_cast<double>(jump.nsecsElapsed()) / 1e6);
    }
    QJsonObject result{{QStringLiteral("mode"), QStringLiteral("table")},
                       {QStringLiteral("rows"), rows},
                       {QStringLiteral("rows_in_model"), view.model()->rowCount()},
                       {QStringLiteral("load_seconds"), loadSeconds},
                       {QStringLiteral("latency_samples"), static_cast<qint64>(lateness.size())},
                       {QStringLiteral("latency_while_loading_p99_ms"), percentile(lateness, 0.99)},
                       {QStringLiteral("latency_while_loading_max_ms"), percentile(lateness, 1.0)},
                       {QStringLiteral("scroll_repaint_median_ms"), percentile(jumps, 0.5)},
                       {QStringLiteral("scroll_repaint_max_ms"), percentile(jumps, 1.0)},
                       {QStringLiteral("peak_rss_mb"), bench::peakRssMegabytes()}};
    std::printf("%s\n", QJsonDocument(result).toJson(QJsonDocument::Compact).constData());
    return 0;
}

} // namespace

int compare(int trials)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("compare.tbproj"));
    QJsonObject ranges;
    for (int i = 1; i <= 10; ++i)
        ranges.insert(
            QStringLiteral("x%1").arg(i),
            QJsonObject{{QStringLiteral("type"), QStringLiteral("continuous")},
                        {QStringLiteral("min"), 0.001},
                        {QStringLiteral("max"), 1.0},
                        {QStringLiteral("scaling"), i % 3 == 0 ? QStringLiteral("log") : QStringLiteral("linear")}});
    const QJsonObject specJson{
        {QStringLiteral("name"), QStringLiteral("big")},
        {QStringLiteral("algorithm"),
         QJsonObject{{QStringLiteral("command"), QJsonArray{QStringLiteral("/bin/true")}},
                     {QStringLiteral("metrics"),
                      QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("value")},
                                             {QStringLiteral("regex"), QStringLiteral("value=(\\S+)")}}}}}},
        {QStringLiteral("ranges"), ranges},
        {QStringLiteral("objective"),
         QJsonObject{{QStringLiteral("metric"), QStringLiteral("value")},
                     {QStringLiteral("goal"), QStringLiteral("minimize")}}},
        {QStringLiteral("limits"), QJsonObject{{QStringLiteral("max_trials"), trials}}},
    };
    {
        const tuning::ExperimentSpec spec = tuning::parseSpec(QJsonDocument(specJson).toJson(), "compare.json", "/");
        const auto project = store::ProjectStore::open(path.toStdString());
        store::ExperimentRecord experiment;
        experiment.name = "big";
        experiment.specJson = QJsonDocument(spec.json).toJson(QJsonDocument::Compact).toStdString();
        experiment.status = ExperimentState::Finished;
        util::Random random(5);
        project->transaction([&] {
            const std::int64_t id = project->createExperiment(experiment);
            for (int number = 1; number <= trials; ++number) {
                QJsonObject params;
                double value = 0.0;
                for (int i = 1; i <= 10; ++i) {
                    const double x = 0.001 + 0.999 * random.uniform();
                    params.insert(QStringLiteral("x%1").arg(i), x);
                    value += (11 - i) * (x - 0.5) * (x - 0.5);
                }
                store::TrialRecord trial;
                trial.experimentId = id;
                trial.number = number;
                trial.algorithm = "command";
                trial.paramsJson = QJsonDocument(params).toJson(QJsonDocument::Compact).toStdString();
                trial.status = TrialState::Finished;
                trial.objective = value;
                trial.metricsJson = R"({"value": {"mean": )" + std::to_string(value) + "}}";
                trial.startedAt = trial.finishedAt = store::ProjectStore::nowUtc();
                const std::int64_t trialId = project->addTrial(trial);
                std::vector<store::MetricPoint> points;
                for (int step = 1; step <= 20; ++step)
                    points.push_back({"loss", step, value + 1.0 / step, 0.0});
                project->addMetricPoints(trialId, points);
            }
        });
    }
    QElapsedTimer clock;
    // The background part alone: reading the trials and computing the importance.
    clock.start();
    const ui::Comparison read = ui::readComparison(path, {{QStringLiteral("big"), 0}});
    const double readMs = static_cast<double>(clock.nsecsElapsed()) / 1e6;
    clock.restart();
    ui::CompareView view(path, {{QStringLiteral("big"), 0}});
    view.resize(1300, 800);
    view.show();
    QSignalSpy loaded(&view, &ui::CompareView::loaded);
    const double constructMs = static_cast<double>(clock.nsecsElapsed()) / 1e6;
    if (!loaded.wait(120000))
        return 1;
    const double loadMs = static_cast<double>(clock.nsecsElapsed()) / 1e6;
    // The GUI-thread part of the load: applying what was read (every view filled).
    const ui::Comparison& data = view.comparison();
    std::vector<double> parallel;
    std::vector<double> brush;
    std::vector<double> scatter;
    std::vector<double> differences;
    view.tabs()->setCurrentIndex(2);
    QApplication::processEvents();
    auto* plot = view.parallelCoordinates();
    for (int i = 0; i < 20; ++i) {
        clock.restart();
        plot->repaint();
        parallel.push_back(static_cast<double>(clock.nsecsElapsed()) / 1e6);
        clock.restart();
        plot->setBrush(i % 10, 0.1 + 0.01 * i, 0.6);
        plot->repaint();
        view.brushedTable()->viewport()->repaint();
        brush.push_back(static_cast<double>(clock.nsecsElapsed()) / 1e6);
    }
    view.tabs()->setCurrentIndex(3);
    QApplication::processEvents();
    for (int i = 0; i < 20; ++i) {
        clock.restart();
        view.scatterParameter()->setCurrentIndex(i % 10);
        view.scatter()->viewport()->repaint();
        scatter.push_back(static_cast<double>(clock.nsecsElapsed()) / 1e6);
    }
    view.tabs()->setCurrentIndex(1);
    QApplication::processEvents();
    for (int i = 0; i < 20; ++i) {
        clock.restart();
        view.differences()->horizontalScrollBar()->setValue(i * 200);
        view.differences()->viewport()->repaint();
        differences.push_back(static_cast<double>(clock.nsecsElapsed()) / 1e6);
    }
    QJsonObject result{{QStringLiteral("mode"), QStringLiteral("compare")},
                       {QStringLiteral("trials"), static_cast<int>(data.trials.size())},
                       {QStringLiteral("construct_ms"), constructMs},
                       {QStringLiteral("read_and_fill_ms"), loadMs},
                       {QStringLiteral("background_read_ms"), readMs},
                       {QStringLiteral("gui_thread_fill_ms_about"), loadMs - readMs},
                       {QStringLiteral("parameters"), static_cast<int>(read.parameters.size())},
                       {QStringLiteral("parallel_repaint_median_ms"), percentile(parallel, 0.5)},
                       {QStringLiteral("parallel_repaint_max_ms"), percentile(parallel, 1.0)},
                       {QStringLiteral("brush_median_ms"), percentile(brush, 0.5)},
                       {QStringLiteral("brush_max_ms"), percentile(brush, 1.0)},
                       {QStringLiteral("scatter_switch_median_ms"), percentile(scatter, 0.5)},
                       {QStringLiteral("scatter_switch_max_ms"), percentile(scatter, 1.0)},
                       {QStringLiteral("differences_scroll_median_ms"), percentile(differences, 0.5)},
                       {QStringLiteral("differences_scroll_max_ms"), percentile(differences, 1.0)}};
    std::printf("%s\n", QJsonDocument(result).toJson(QJsonDocument::Compact).constData());
    return 0;
}

int editor(int edits)
{
    ui::ExperimentEditor editor;
    editor.resize(1300, 900);
    editor.show();
    const std::vector<testing::SpecExample> examples = testing::generatedSpecs(QStringLiteral(TUNEBENCH_TEST_DATA));
    const auto three
        = std::ranges::find_if(examples, [](const auto& e) { return e.name == QLatin1String("bayesian-three"); });
    const tuning::ExperimentSpec parsed = tuning::parseSpec(three->json, "bench", TUNEBENCH_TEST_DATA);
    QString error;
    if (!editor.showSpec(parsed, &error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    QApplication::processEvents();
    ui::ParameterTable* forest = editor.algorithmPage(1)->parameterTable();
    ui::ParameterTable* xgboost = editor.algorithmPage(2)->parameterTable();
    auto* depthTo = forest->row(QStringLiteral("max_depth"))->to;
    QCheckBox* etaTune = xgboost->row(QStringLiteral("eta"))->tune;
    QLineEdit* when = xgboost->row(QStringLiteral("max_leaves"))->when;
    std::vector<double> typed;
    std::vector<double> ticked;
    std::vector<double> condition;
    QElapsedTimer clock;
    for (int i = 0; i < edits; ++i) {
        clock.restart();
        depthTo->setText(QString::number(10 + i % 7));
        QApplication::processEvents();
        typed.push_back(static_cast<double>(clock.nsecsElapsed()) / 1e6);
        clock.restart();
        etaTune->setChecked(!etaTune->isChecked());
        QApplication::processEvents();
        ticked.push_back(static_cast<double>(clock.nsecsElapsed()) / 1e6);
        clock.restart();
        when->setText(i % 2 ? QStringLiteral("grow_policy = lossguide")
                            : QStringLiteral("grow_policy = lossguide, depthwise"));
        QApplication::processEvents();
        condition.push_back(static_cast<double>(clock.nsecsElapsed()) / 1e6);
    }
    std::vector<double> all = typed;
    all.insert(all.end(), ticked.begin(), ticked.end());
    all.insert(all.end(), condition.begin(), condition.end());
    QJsonObject result{{QStringLiteral("mode"), QStringLiteral("editor")},
                       {QStringLiteral("algorithms"), editor.algorithmCount()},
                       {QStringLiteral("edits"), static_cast<int>(all.size())},
                       {QStringLiteral("valid_after"), editor.problem().isEmpty()},
                       {QStringLiteral("typed_median_ms"), percentile(typed, 0.5)},
                       {QStringLiteral("tick_median_ms"), percentile(ticked, 0.5)},
                       {QStringLiteral("condition_median_ms"), percentile(condition, 0.5)},
                       {QStringLiteral("edit_p99_ms"), percentile(all, 0.99)},
                       {QStringLiteral("edit_max_ms"), percentile(all, 1.0)}};
    std::printf("%s\n", QJsonDocument(result).toJson(QJsonDocument::Compact).constData());
    return 0;
}

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    const QStringList args = QApplication::arguments();
    if (args.size() >= 3 && args.at(1) == QLatin1String("latency"))
        return latency(QFileInfo(args.at(2)).absoluteFilePath(), args.size() > 3 ? args.at(3).toDouble() : 10.0,
                       args.size() > 4 ? args.at(4).toInt() : 1000000);
    if (args.size() >= 4 && args.at(1) == QLatin1String("follow"))
        return follow(QFileInfo(args.at(2)).absoluteFilePath(), QFileInfo(args.at(3)).absoluteFilePath(),
                      args.size() > 4 ? args.at(4).toDouble() : 10.0, args.size() > 5 ? args.at(5).toInt() : 1000000);
    if (args.size() >= 2 && args.at(1) == QLatin1String("table"))
        return table(args.size() > 2 ? args.at(2).toInt() : 1000000);
    if (args.size() >= 2 && args.at(1) == QLatin1String("compare"))
        return compare(args.size() > 2 ? args.at(2).toInt() : 1000);
    if (args.size() >= 2 && args.at(1) == QLatin1String("editor"))
        return editor(args.size() > 2 ? args.at(2).toInt() : 200);
    if (args.size() >= 2 && args.at(1) == QLatin1String("redraw"))
        return redraw(args.size() > 2 ? args.at(2).toInt() : 50, args.size() > 3 ? args.at(3).toInt() : 10000);
    std::fprintf(
        stderr,
        "usage: bench_gui latency TB_TESTFUNCTION [SECONDS] [STEPS] | follow TUNEBENCH_CLI TB_TESTFUNCTION [SECONDS] "
        "[STEPS] | redraw [TRIALS] [POINTS] | table [ROWS] | "
        "compare [TRIALS] | editor [EDITS]\n");
    return 2;
}

// The pieces the views are made of, each on its own: curve decimation, metric names, the trials model and
// its filter, the learning-curve chart, the report's PDF pages.

#include <cmath>
#include <map>

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QFile>
#include <QFont>
#include <QHeaderView>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QValueAxis>

#include "charts/charts.h"
#include "charts/decimation.h"
#include "data/reader.h"
#include "dataset/datasetview.h"
#include "dataset/readsettingsdialog.h"
#include "evaluation/evaluationview.h"
#include "experiment/trialsmodel.h"
#include "report/reportexport.h"
#include "teststates.h"

using namespace tunebench;
using tunebench::ui::CurvesChart;
using tunebench::ui::MetricName;
using tunebench::ui::ReadSettingsDialog;
using tunebench::ui::TrialsModel;

namespace {

jobs::Trial trial(int number, const std::string& status, std::optional<double> objective,
                  const std::string& params = R"({"C": 1.5, "penalty": "l2"})")
{
    store::TrialRecord record;
    record.number = number;
    record.algorithm = "logistic";
    record.status = *trialStateFromString(status);
    record.objective = objective;
    record.paramsJson = params;
    record.metricsJson = objective ? R"({"accuracy": {"mean": 0.9, "std": 0.01}, "fit_seconds": 0.2})" : "{}";
    record.startedAt = "2026-11-28T10:00:00.000Z";
    record.finishedAt = status == "running" ? "" : "2026-11-28T10:00:02.500Z";
    return jobs::trialFromRecord(record);
}

} // namespace

class TestUiParts : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void lttbKeepsShortSeriesAsTheyAre();
    void lttbPicksTheLargestTriangles();
    void lttbKeepsASpikeInALongFlatSeries();
    void metricNames_data();
    void metricNames();
    void trialsModelInsertsUpdatesAndHighlightsTheBest_data();
    void trialsModelInsertsUpdatesAndHighlightsTheBest();
    void trialsFilterMatchesTextAndStatus();
    void datasetTableShowsEveryTypeAndMissingValue_data();
    void datasetTableShowsEveryTypeAndMissingValue();
    void curvesKeepOnePointPerStepInOrder();
    void curvesShowTheChosenQuantityFoldAndRoles();
    void curvesDrawDecimatedButKeepEveryPoint();
    void logScaleDropsValuesItCannotShow();
    void oneStepCurvesAreDotsInsideTheFrame();
    void confusionMatrixNumbersColumnsOfLongNames();
    void reportPdfBreaksPagesBetweenLines_data();
    void reportPdfBreaksPagesBetweenLines();
    void readAsPreviewsTheFirstRowsAsChosen();
};

void TestUiParts::lttbKeepsShortSeriesAsTheyAre()
{
    const std::vector<QPointF> points{{0, 1}, {1, 2}, {2, 3}};
    QCOMPARE(ui::decimateLttb(points, 3), points);
    QCOMPARE(ui::decimateLttb(points, 10), points);
    QCOMPARE(ui::decimateLttb(points, 2), points); // below 3 there is no triangle: unchanged
}

void TestUiParts::lttbPicksTheLargestTriangles()
{
    // Worked by hand: buckets {1,2} and {3,4,5}; the triangles favour (2,0), then the spike (3,5).
    const std::vector<QPointF> points{{0, 0}, {1, 1}, {2, 0}, {3, 5}, {4, 0}, {5, 1}, {6, 0}};
    const std::vector<QPointF> expected{{0, 0}, {2, 0}, {3, 5}, {6, 0}};
    QCOMPARE(ui::decimateLttb(points, 4), expected);
}

void TestUiParts::lttbKeepsASpikeInALongFlatSeries()
{
    std::vector<QPointF> points;
    for (int i = 0; i < 10000; ++i)
        points.emplace_back(i, i == 6543 ? 100.0 : std::sin(i * 0.01));
    const std::vector<QPointF> decimated = ui::decimateLttb(points, 500);
    QCOMPARE(decimated.size(), std::size_t{500});
    QCOMPARE(decimated.front(), points.front());
    QCOMPARE(decimated.back(), points.back());
    QVERIFY(std::any_of(decimated.begin(), decimated.end(), [](const QPointF& p) { return p.y() == 100.0; }));
    QVERIFY(std::is_sorted(decimated.begin(), decimated.end(),
                           [](const QPointF& a, const QPointF& b) { return a.x() < b.x(); }));
}

void TestUiParts::metricNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("fold");
    QTest::addColumn<int>("role");
    QTest::addColumn<QString>("quantity");
    QTest::newRow("validation") << "fold2/validation_loss" << 2 << int(MetricName::Role::Validation) << "loss";
    QTest::newRow("train") << "fold1/train_rmse" << 1 << int(MetricName::Role::Train) << "rmse";
    QTest::newRow("per fold") << "fold3/nodes" << 3 << int(MetricName::Role::Other) << "nodes";
    QTest::newRow("command") << "loss" << 0 << int(MetricName::Role::Other) << "loss";
    QTest::newRow("command train") << "train_accuracy" << 0 << int(MetricName::Role::Train) << "accuracy";
}

void TestUiParts::metricNames()
{
    QFETCH(QString, name);
    QFETCH(int, fold);
    QFETCH(int, role);
    QFETCH(QString, quantity);
    const MetricName parsed = MetricName::parse(name);
    QCOMPARE(parsed.fold, fold);
    QCOMPARE(int(parsed.role), role);
    QCOMPARE(parsed.quantity, quantity);
}

void TestUiParts::trialsModelInsertsUpdatesAndHighlightsTheBest_data()
{
    QTest::addColumn<bool>("maximize");
    QTest::addColumn<int>("best");
    QTest::newRow("maximize") << true << 3;
    QTest::newRow("minimize") << false << 1;
}

void TestUiParts::trialsModelInsertsUpdatesAndHighlightsTheBest()
{
    QFETCH(bool, maximize);
    QFETCH(int, best);
    TrialsModel model;
    const QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setObjective(QStringLiteral("accuracy"), maximize);
    QSignalSpy bestChanged(&model, &TrialsModel::bestTrialChanged);
    model.apply(trial(1, "running", std::nullopt));
    QCOMPARE(model.rowCount(), 1);
    QVERIFY(!model.bestTrial());
    const int c = model.columnOf(QStringLiteral("C"));
    const int penalty = model.columnOf(QStringLiteral("penalty"));
    QVERIFY(c > 0 && penalty > 0);
    QCOMPARE(model.index(0, c).data().toString(), QStringLiteral("1.5"));
    QCOMPARE(model.index(0, c).data(TrialsModel::SortRole).toDouble(), 1.5);
    QCOMPARE(model.index(0, model.columnOf(QStringLiteral("Seconds"))).data().toString(), QString());

    model.apply(trial(1, "finished", 0.80));
    model.apply(trial(2, "failed", std::nullopt));
    model.apply(trial(3, "finished", 0.95));
    model.apply(trial(4, "running", std::nullopt, R"({"C": 0.1, "penalty": "l1", "l1_ratio": 0.5})"));
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(model.trial(1)->state, TrialState::Finished); // updated in place, not appended
    QVERIFY(model.columnOf(QStringLiteral("l1_ratio")) > 0); // a new parameter brings its column
    QCOMPARE(model.bestTrial(), std::optional<int>(best));
    QCOMPARE(bestChanged.last().at(0).toInt(), best);
    const int row = model.rowOfTrial(best);
    QVERIFY(model.index(row, 0).data(Qt::FontRole).value<QFont>().bold());
    QVERIFY(model.index(row, 0).data(Qt::BackgroundRole).isValid());
    QVERIFY(!model.index(model.rowOfTrial(best == 1 ? 3 : 1), 0).data(Qt::FontRole).isValid());
    QCOMPARE(model.index(model.rowOfTrial(1), model.columnOf(QStringLiteral("Seconds"))).data().toString(),
             QStringLiteral("2.5"));
    // A missing objective sorts after every value.
    const int objective
        = model.columnOf(maximize ? QStringLiteral("accuracy (max)") : QStringLiteral("accuracy (min)"));
    QVERIFY(objective > 0);
    QVERIFY(model.index(model.rowOfTrial(2), objective).data(TrialsModel::SortRole).toDouble() > 1e300);
}

void TestUiParts::trialsFilterMatchesTextAndStatus()
{
    TrialsModel model;
    const QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setObjective(QStringLiteral("accuracy"), true);
    model.setTrials({trial(1, "finished", 0.9), trial(2, "failed", std::nullopt, R"({"C": 3, "penalty": "l1"})"),
                     trial(3, "finished", 0.7, R"({"C": 2, "penalty": "l1"})")});
    ui::TrialsFilterModel filter;
    filter.setSourceModel(&model);
    const QAbstractItemModelTester filterTester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(filter.rowCount(), 3);
    filter.setFilterFixedString(QStringLiteral("l1"));
    QCOMPARE(filter.rowCount(), 2);
    filter.setStatusFilter(QStringLiteral("finished"));
    QCOMPARE(filter.rowCount(), 1);
    QCOMPARE(filter.index(0, 0).data().toInt(), 3);
    filter.setFilterFixedString(QString());
    filter.setStatusFilter(QString());
    filter.sort(model.columnOf(QStringLiteral("accuracy (max)")), Qt::DescendingOrder);
    QCOMPARE(filter.index(0, 0).data().toInt(), 2); // missing sorts as largest: first in descending order
    QCOMPARE(filter.index(1, 0).data().toInt(), 1);
}

void TestUiParts::datasetTableShowsEveryTypeAndMissingValue_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("rowLimit");
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("columns");
    QTest::newRow("iris, numbers and a class") << QStringLiteral("iris.csv") << 0 << 150 << 5;
    QTest::newRow("titanic, missing values, gzip") << QStringLiteral("titanic.arff.gz") << 0 << 1309 << 14;
    QTest::newRow("penguins, the first 40 rows") << QStringLiteral("penguins.csv") << 40 << 40 << 8;
}

void TestUiParts::datasetTableShowsEveryTypeAndMissingValue()
{
    QFETCH(QString, file);
    QFETCH(int, rowLimit);
    QFETCH(int, rows);
    QFETCH(int, columns);
    ui::DatasetTableModel model;
    const QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    if (rowLimit > 0)
        model.setRowLimit(rowLimit);
    const std::string path = std::string(TUNEBENCH_TEST_DATA) + "/" + file.toStdString();
    const auto dataset = std::make_shared<const data::Dataset>(data::readDataset(path, {}));
    model.setDataset(dataset);
    QCOMPARE(model.rowCount(), rows);
    QCOMPARE(model.columnCount(), columns);
    // Every cell: a missing one is a grey dash, any other one has text.
    int missing = 0;
    for (int row = 0; row < model.rowCount(); ++row) {
        for (int column = 0; column < model.columnCount(); ++column) {
            const QModelIndex index = model.index(row, column);
            const QString text = index.data().toString();
            QVERIFY2(!text.isEmpty(), qPrintable(QStringLiteral("row %1 column %2").arg(row).arg(column)));
            if (text == QStringLiteral("—")) {
                ++missing;
                QVERIFY(index.data(Qt::ForegroundRole).isValid());
            }
        }
    }
    QCOMPARE(missing > 0, file.startsWith(QLatin1String("titanic")) || file.startsWith(QLatin1String("penguins")));
    model.setDataset(nullptr); // emptied: the tester checks the reset
    QCOMPARE(model.rowCount(), 0);
}

void TestUiParts::curvesKeepOnePointPerStepInOrder()
{
    CurvesChart chart;
    chart.addPoint(1, QStringLiteral("fold1/validation_loss"), 1, 1.0);
    chart.addPoint(1, QStringLiteral("fold1/validation_loss"), 3, 0.5);
    chart.addPoint(1, QStringLiteral("fold1/validation_loss"), 2, 0.7); // late
    chart.addPoint(1, QStringLiteral("fold1/validation_loss"), 3, 0.4); // again: replaces
    chart.refresh();
    QCOMPARE(chart.pointCount(1, QStringLiteral("fold1/validation_loss")), std::size_t{3});
    const QList<QLineSeries*> series = chart.seriesOfTrial(1);
    QCOMPARE(series.size(), 1);
    const QList<QPointF> points = series.constFirst()->points();
    QCOMPARE(points, (QList<QPointF>{{1, 1.0}, {2, 0.7}, {3, 0.4}}));
    chart.clearTrial(1);
    QCOMPARE(chart.pointCount(1, QStringLiteral("fold1/validation_loss")), std::size_t{0});
    QVERIFY(chart.seriesOfTrial(1).isEmpty());
}

void TestUiParts::curvesShowTheChosenQuantityFoldAndRoles()
{
    CurvesChart chart;
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    for (int trial = 1; trial <= 3; ++trial) {
        for (int fold = 1; fold <= 2; ++fold) {
            for (int step = 1; step <= 5; ++step) {
                chart.addPoint(trial, QStringLiteral("fold%1/train_loss").arg(fold), step, 1.0 / step);
                chart.addPoint(trial, QStringLiteral("fold%1/validation_loss").arg(fold), step, 1.2 / step);
                chart.addPoint(trial, QStringLiteral("fold%1/validation_accuracy").arg(fold), step, 0.5 + step / 20.0);
            }
        }
    }
    chart.refresh();
    QCOMPARE(chart.quantities(), (QStringList{QStringLiteral("loss"), QStringLiteral("accuracy")}));
    QCOMPARE(chart.quantity(), QStringLiteral("loss"));
    QCOMPARE(chart.foldCount(), 2);
    QCOMPARE(chart.drawnSeriesCount(), 6); // 3 trials x (train, validation) of fold 1
    chart.setShowTrain(false);
    QCOMPARE(chart.drawnSeriesCount(), 3);
    chart.setQuantity(QStringLiteral("accuracy"));
    QCOMPARE(chart.drawnSeriesCount(), 3);
    chart.setFold(2);
    QCOMPARE(chart.drawnSeriesCount(), 3);
    QCOMPARE(chart.seriesOfTrial(2).constFirst()->at(4), QPointF(5, 0.75));
    chart.setBestTrial(2);
    chart.setHighlightedTrial(3);
    QCOMPARE(chart.seriesOfTrial(3).constFirst()->pen().widthF(), 3.0);
    QCOMPARE(chart.seriesOfTrial(2).constFirst()->pen().widthF(), 2.0);
    QVERIFY(chart.seriesOfTrial(1).constFirst()->pen().color().alpha() < 255); // the others fade
    // The legend names the line styles, the best trial and the selected one, not every trial.
    const auto named = [&] {
        QStringList labels;
        for (QLegendMarker* marker : chart.chart()->legend()->markers()) {
            if (marker->isVisible())
                labels << marker->label();
        }
        return labels;
    };
    // The legend lays itself out on later events.
    QTRY_COMPARE(named(),
                 (QStringList{QStringLiteral("validation (solid)"), QStringLiteral("trial 2 (best)"),
                              QStringLiteral("trial 3")}));
}

void TestUiParts::curvesDrawDecimatedButKeepEveryPoint()
{
    CurvesChart chart;
    chart.resize(800, 400);
    for (int trial = 1; trial <= 5; ++trial) {
        for (int step = 1; step <= 10000; ++step)
            chart.addPoint(trial, QStringLiteral("loss"), step, 1.0 / step + trial);
    }
    chart.refresh();
    QCOMPARE(chart.drawnSeriesCount(), 5);
    QCOMPARE(chart.pointCount(4, QStringLiteral("loss")), std::size_t{10000});
    const QLineSeries* drawn = chart.seriesOfTrial(4).constFirst();
    QVERIFY(drawn->count() <= static_cast<int>(chart.displayBudget()));
    QVERIFY(drawn->count() >= 200);
    QCOMPARE(drawn->at(0), QPointF(1, 1.0 + 4));
    QCOMPARE(drawn->at(drawn->count() - 1), QPointF(10000, 1e-4 + 4));
}

void TestUiParts::logScaleDropsValuesItCannotShow()
{
    CurvesChart chart;
    chart.addPoint(1, QStringLiteral("loss"), 1, 10.0);
    chart.addPoint(1, QStringLiteral("loss"), 2, 0.0);
    chart.addPoint(1, QStringLiteral("loss"), 3, -1.0);
    chart.addPoint(1, QStringLiteral("loss"), 4, 0.1);
    chart.refresh();
    QCOMPARE(chart.seriesOfTrial(1).constFirst()->count(), 4);
    chart.setLogScale(true);
    QCOMPARE(chart.seriesOfTrial(1).constFirst()->count(), 2);
    chart.setLogScale(false);
    QCOMPARE(chart.seriesOfTrial(1).constFirst()->count(), 4);
    QCOMPARE(chart.pointCount(1, QStringLiteral("loss")), std::size_t{4});
}

void TestUiParts::oneStepCurvesAreDotsInsideTheFrame()
{
    // A tree reports its size once: the "curve" is one point, drawn as a dot away from the axes' ends.
    CurvesChart chart;
    chart.addPoint(1, QStringLiteral("nodes"), 1, 83.0);
    chart.addPoint(2, QStringLiteral("nodes"), 1, 41.0);
    chart.refresh();
    QVERIFY(chart.seriesOfTrial(1).constFirst()->pointsVisible());
    const auto* axis = qobject_cast<QValueAxis*>(chart.chart()->axes(Qt::Horizontal).constFirst());
    QVERIFY(axis);
    QVERIFY(axis->min() < 1.0 && axis->max() > 1.0);
    chart.addPoint(1, QStringLiteral("nodes"), 2, 85.0); // two steps make a line again
    chart.refresh();
    QVERIFY(!chart.seriesOfTrial(1).constFirst()->pointsVisible());
    QCOMPARE(axis->min(), 1.0);
}

void TestUiParts::confusionMatrixNumbersColumnsOfLongNames()
{
    // Soybean's 19 diseases: names far wider than a column. Columns are numbered, rows end with the number, and
    // cells stay large enough to show their counts (over 18 px at 700 x 450).
    QStringList diseases;
    for (const char* name :
         {"2-4-d-injury", "alternarialeaf-spot", "anthracnose", "bacterial-blight", "bacterial-pustule", "brown-spot",
          "brown-stem-rot", "charcoal-rot", "cyst-nematode", "diaporthe-pod-&-stem-blight", "diaporthe-stem-canker",
          "downy-mildew", "frog-eye-leaf-spot", "herbicide-injury", "phyllosticta-leaf-spot", "phytophthora-rot",
          "powdery-mildew", "purple-seed-stain", "rhizoctonia-root-rot"})
        diseases << QString::fromLatin1(name);
    tunebench::ui::ConfusionMatrixView view;
    view.resize(700, 450);
    view.setMatrix(Eigen::MatrixXi::Identity(19, 19) * 20, diseases);
    auto place = view.layout();
    QVERIFY(place.numbered);
    QVERIFY2(place.cell > 18, qPrintable(QString::number(place.cell)));
    QCOMPARE(view.rowLabel(9, place.numbered), QStringLiteral("diaporthe-pod-&-stem-blight  10"));
    QVERIFY(place.left + 19 * place.cell <= view.width());
    // Three short names fit their columns and are written there.
    view.setMatrix(Eigen::MatrixXi::Identity(3, 3),
                   {QStringLiteral("setosa"), QStringLiteral("versicolor"), QStringLiteral("virginica")});
    place = view.layout();
    QVERIFY(!place.numbered);
    QCOMPARE(view.rowLabel(1, place.numbered), QStringLiteral("versicolor"));
    QVERIFY(!view.grab().isNull()); // paints either way
}

void TestUiParts::reportPdfBreaksPagesBetweenLines_data()
{
    // Text longer than a page after a chart (so that it starts part-way down a page, as a report's sections
    // do), each line holding one numbered word: pre-formatted lines (which follow with no gap between them),
    // table rows, cells wrapping over three lines; and headings before a chart at every height of a page.
    QTest::addColumn<QString>("body");
    QTest::addColumn<int>("words");
    const QString chart
        = QStringLiteral("<figure><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"360\">"
                         "<rect x=\"0\" y=\"0\" width=\"640\" height=\"360\" fill=\"#4e79a7\"/></svg></figure>");
    QString pre = chart + QStringLiteral("<h2>Spec</h2><pre>");
    for (int i = 0; i < 300; ++i)
        pre += QStringLiteral("\"w%1\": 1,\n").arg(i);
    QTest::newRow("pre") << pre + QStringLiteral("</pre>") << 300;
    QString table = chart + QStringLiteral("<table border=\"1\" cellspacing=\"0\" cellpadding=\"3\">");
    for (int i = 0; i < 200; ++i)
        table += QStringLiteral("<tr><td>w%1</td><td>finished</td></tr>").arg(i);
    QTest::newRow("table") << table + QStringLiteral("</table>") << 200;
    QString headed = chart
        + QStringLiteral("<table border=\"1\" cellspacing=\"0\" cellpadding=\"3\"><thead><tr>"
                         "<th>Head</th><th>Status</th></tr></thead><tbody>");
    for (int i = 0; i < 200; ++i)
        headed += QStringLiteral("<tr><td>w%1</td><td>finished</td></tr>").arg(i);
    QTest::newRow("table with a header") << headed + QStringLiteral("</tbody></table>") << 200;
    QString wrapped = chart + QStringLiteral("<table border=\"1\" cellspacing=\"0\" cellpadding=\"3\">");
    for (int i = 0; i < 60; ++i)
        wrapped += QStringLiteral("<tr><td>w%1</td><td>%2</td></tr>")
                       .arg(i)
                       .arg(QStringLiteral("a long cell that wraps ").repeated(12));
    QTest::newRow("wrapped cells") << wrapped + QStringLiteral("</table>") << 60;
    for (int paragraphs = 24; paragraphs <= 60; paragraphs += 2) {
        QString text;
        for (int i = 0; i < paragraphs; ++i)
            text += QStringLiteral("<p>w%1</p>").arg(i);
        QTest::addRow("heading after %d paragraphs", paragraphs)
            << text + QStringLiteral("<h2>Chart</h2>") + chart << paragraphs;
    }
}

void TestUiParts::reportPdfBreaksPagesBetweenLines()
{
    QFETCH(QString, body);
    QFETCH(int, words);
    QTemporaryDir dir;
    const QString pdf = dir.filePath(QStringLiteral("report.pdf"));
    QString error;
    QVERIFY2(ui::writeReportPdf(QStringLiteral("<html><body>%1</body></html>").arg(body).toStdString(), pdf, &error),
             qPrintable(error));
    // Every word's box on every page (pdftotext -bbox from poppler-utils, in points): inside the 15 mm margins,
    // so no line was cut between two pages, and each numbered word once, so none was drawn (clipped) twice.
    QProcess pdftotext;
    pdftotext.start(QStringLiteral("pdftotext"), {QStringLiteral("-bbox"), pdf, QStringLiteral("-")});
    if (!pdftotext.waitForFinished(30000) || pdftotext.exitCode() != 0)
        QSKIP("pdftotext (poppler-utils) is not installed");
    const QStringList pages = QString::fromUtf8(pdftotext.readAllStandardOutput())
                                  .split(QStringLiteral("<page "), Qt::SkipEmptyParts)
                                  .mid(1);
    QVERIFY(pages.size() >= 2);
    static const QRegularExpression word(
        QStringLiteral("<word xMin=\"[-\\d.]+\" yMin=\"([-\\d.]+)\" xMax=\"[-\\d.]+\" yMax=\"([-\\d.]+)\">([^<]*)<"));
    const double margin = 15.0 / 25.4 * 72.0;
    const double height = 842.0; // A4
    std::map<int, int> seen;
    for (const QString& page : pages) {
        for (auto it = word.globalMatch(page); it.hasNext();) {
            const QRegularExpressionMatch box = it.next();
            const double top = box.captured(1).toDouble();
            const double bottom = box.captured(2).toDouble();
            QVERIFY2(top > margin - 1 && bottom < height - margin + 1,
                     qPrintable(QStringLiteral("'%1' at %2-%3 pt").arg(box.captured(3)).arg(top).arg(bottom)));
            static const QRegularExpression numbered(QStringLiteral("w(\\d+)"));
            if (const QRegularExpressionMatch n = numbered.match(box.captured(3)); n.hasMatch())
                ++seen[n.captured(1).toInt()];
            // A heading has its chart (270 pt tall) below it on its page.
            if (box.captured(3) == QLatin1String("Chart"))
                QVERIFY2(bottom < height - margin - 270, qPrintable(QString::number(bottom)));
        }
    }
    QCOMPARE(static_cast<int>(seen.size()), words);
    for (const auto& [number, count] : seen)
        QVERIFY2(count == 1, qPrintable(QStringLiteral("w%1 %2 times").arg(number).arg(count)));
    // A table's header rows (<thead>) start every page it continues on, above its rows.
    if (body.contains(QLatin1String("<thead>"))) {
        int pagesWithRows = 0;
        for (const QString& page : pages) {
            double firstRow = height;
            double head = -1.0;
            for (auto it = word.globalMatch(page); it.hasNext();) {
                const QRegularExpressionMatch box = it.next();
                if (box.captured(3).startsWith(QLatin1Char('w')))
                    firstRow = std::min(firstRow, box.captured(1).toDouble());
                if (box.captured(3) == QLatin1String("Head"))
                    head = box.captured(2).toDouble();
            }
            if (firstRow < height) {
                ++pagesWithRows;
                QVERIFY2(head >= 0 && head <= firstRow, qPrintable(QString::number(pagesWithRows)));
            }
        }
        QVERIFY(pagesWithRows >= 3);
    }
}

void TestUiParts::readAsPreviewsTheFirstRowsAsChosen()
{
    // A header of years over decimals: sniffing takes the first row for data. The preview shows the first rows as
    // each choice reads them, read again in the background as the choices change.
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("sales.csv"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("region,2019,2020\n");
    for (int i = 0; i < 60; ++i)
        file.write(QStringLiteral("r%1,%2.5,%3.25\n").arg(i % 4).arg(i).arg(2 * i).toUtf8());
    file.close();
    ReadSettingsDialog dialog(QStringLiteral("sales.csv"), {}, nullptr, nullptr, path);
    QSignalSpy previewed(&dialog, &ReadSettingsDialog::previewed);
    QTableView* table = dialog.previewTable();
    const QAbstractItemModel* rows = table->model();
    auto header = [rows](int column) { return rows->headerData(column, Qt::Horizontal).toString(); };
    auto cell = [rows](int row, int column) { return rows->index(row, column).data().toString(); };
    QTRY_COMPARE(previewed.count(), 1);
    QCOMPARE(rows->columnCount(), 3);
    QCOMPARE(header(0), QStringLiteral("column_1\ncategorical"));
    QCOMPARE(cell(0, 0), QStringLiteral("region")); // the names, read as a row of data
    QCOMPARE(rows->rowCount(), 8); // of the 40 lines read
    QVERIFY(dialog.previewStatus()->text().contains(QStringLiteral("first 8 rows")));

    QComboBox* first = dialog.headerChooser();
    first->setCurrentIndex(first->findData(true));
    QTRY_COMPARE(previewed.count(), 2);
    QCOMPARE(header(0), QStringLiteral("region\ncategorical"));
    QCOMPARE(header(1), QStringLiteral("2019\nnumeric"));
    QCOMPARE(cell(0, 1), QStringLiteral("0.5"));

    // Several quick changes give one preview, of the last choices.
    dialog.delimiterChooser()->setCurrentIndex(dialog.delimiterChooser()->findData(static_cast<int>(';')));
    dialog.skipRowsBox()->setValue(1);
    QTRY_COMPARE(previewed.count(), 3);
    QVERIFY(!dialog.isPreviewPending()); // nothing else on its way: the quick changes made one preview
    QCOMPARE(previewed.count(), 3);
    QCOMPARE(rows->columnCount(), 1); // no semicolon: one column, named by the row under the names
    QCOMPARE(header(0).section(u'\n', 0, 0), QStringLiteral("r0,0.5,0.25"));

    // A choice the file cannot be read with says why, and shows no table.
    dialog.delimiterChooser()->setCurrentIndex(dialog.delimiterChooser()->findData(static_cast<int>(',')));
    dialog.skipRowsBox()->setValue(100);
    QTRY_COMPARE(previewed.count(), 4);
    QVERIFY2(dialog.previewStatus()->text().startsWith(QStringLiteral("Read so, the file fails:")),
             qPrintable(dialog.previewStatus()->text()));
    QVERIFY(table->isHidden());
}

QTEST_MAIN(TestUiParts)
#include "tst_uiparts.moc"

#include "evaluation/evaluationview.h"

#include <algorithm>
#include <cmath>

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QComboBox>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHorizontalBarSeries>
#include <QLabel>
#include <QLineSeries>
#include <QPainter>
#include <QPushButton>
#include <QScatterSeries>
#include <QTabWidget>
#include <QVBoxLayout>
#include <QValueAxis>
#include <QtConcurrent/QtConcurrentRun>

#include "charts/charts.h"
#include "common/text.h"
#include "common/workpool.h"
#include "jobs/analysis.h"
#include "report/exporting.h"
#include "store/projectstore.h"

namespace tunebench::ui {

namespace {

constexpr int kMaxImportanceBars = 20;

struct EvaluationOutcome
{
    std::optional<jobs::TrialEvaluation> evaluation;
    QString description; ///< algorithm and parameters
    QString error;
};

EvaluationOutcome evaluateRecordedTrial(const QString& projectPath, const QString& experiment, int number,
                                        const util::CancelToken& cancel)
{
    EvaluationOutcome outcome;
    try {
        std::optional<tuning::ExperimentSpec> spec;
        std::optional<store::TrialRecord> trial;
        {
            const auto project
                = store::ProjectStore::open(projectPath.toStdString(), store::ProjectStore::Mode::ReadOnly);
            auto stored = jobs::loadExperiment(*project, experiment.toStdString());
            spec = std::move(stored.spec);
            for (const store::TrialRecord& t : project->trials(stored.record.id)) {
                if (t.number == number)
                    trial = t;
            }
        }
        if (!trial)
            throw std::invalid_argument("the experiment has no trial " + std::to_string(number));
        const tuning::TrialConfig config = spec->recordedConfig(trial->algorithm, trial->paramsJson);
        QStringList params;
        for (const auto& [name, value] : config.params)
            params << QStringLiteral("%1 = %2").arg(qs(name),
                                                    std::holds_alternative<double>(value)
                                                        ? QString::number(std::get<double>(value), 'g', 6)
                                                        : qs(algorithms::formatValue(value)));
        outcome.description = qs(config.algorithm)
            + (params.isEmpty() ? QString() : QStringLiteral(": ") + params.join(QStringLiteral(", ")));
        outcome.evaluation = jobs::evaluateTrial(*spec, config, cancel);
    } catch (const util::Cancelled&) {
        outcome.error = QStringLiteral("cancelled");
    } catch (const std::exception& error) {
        outcome.error = qs(error.what());
    }
    return outcome;
}

QLineSeries* diagonal(QChart* chart, const QString& name, double from, double to)
{
    auto* line = new QLineSeries;
    line->setName(name);
    line->append(from, from);
    line->append(to, to);
    chart->addSeries(line);
    QPen pen(QColor(150, 150, 150), 1.2, Qt::DashLine);
    line->setPen(pen);
    return line;
}

void attach(QAbstractSeries* series, QAbstractAxis* x, QAbstractAxis* y)
{
    series->attachAxis(x);
    series->attachAxis(y);
}

} // namespace

ConfusionMatrixView::ConfusionMatrixView(QWidget* parent)
    : QWidget(parent)
{
    setMinimumSize(320, 260);
}

void ConfusionMatrixView::setMatrix(Eigen::MatrixXi counts, QStringList classes)
{
    m_counts = std::move(counts);
    m_classes = std::move(classes);
    update();
}

void ConfusionMatrixView::setMode(Mode mode)
{
    m_mode = mode;
    update();
}

double ConfusionMatrixView::cellValue(int row, int column) const
{
    const double count = m_counts(row, column);
    if (m_mode == Mode::Counts)
        return count;
    const double total = m_mode == Mode::RowShares ? m_counts.row(row).sum() : m_counts.col(column).sum();
    return total > 0 ? count / total : std::nan("");
}

QString ConfusionMatrixView::rowLabel(int row, bool numbered) const
{
    return numbered ? QStringLiteral("%1  %2").arg(m_classes.value(row)).arg(row + 1) : m_classes.value(row);
}

ConfusionMatrixView::Layout ConfusionMatrixView::layout() const
{
    Layout place;
    const auto k = static_cast<double>(std::max<Eigen::Index>(m_counts.rows(), 1));
    const QFontMetricsF metrics(font());
    double longest = 0.0;
    for (const QString& name : m_classes)
        longest = std::max(longest, metrics.horizontalAdvance(name));
    auto fitLabels = [&](double widest) { return std::min(std::max(40.0, widest + 12.0), width() / 4.0); };
    auto cellSize = [&](double labelWidth) {
        return std::max(10.0, std::min((width() - labelWidth - 40.0) / k, (height() - place.top - 40.0) / k));
    };
    place.numbered = longest > cellSize(fitLabels(longest)) - 4.0;
    double widest = 0.0;
    for (int i = 0; i < m_classes.size(); ++i)
        widest = std::max(widest, metrics.horizontalAdvance(rowLabel(i, place.numbered)));
    place.labelWidth = fitLabels(widest);
    place.left = place.labelWidth + 24.0;
    place.cell = cellSize(place.labelWidth);
    return place;
}

void ConfusionMatrixView::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    const QColor text = beginPaintedChart(painter, *this);
    const QString what = m_mode == Mode::Counts ? tr("counts")
        : m_mode == Mode::RowShares             ? tr("share of each true class (recall on the diagonal)")
                                                : tr("share of each predicted class (precision on the diagonal)");
    painter.drawText(QRectF(0, 4, width(), 20), Qt::AlignCenter, tr("Confusion matrix: %1").arg(what));
    painter.setFont(font());
    const int k = static_cast<int>(m_counts.rows());
    if (k == 0)
        return;
    const QFontMetricsF metrics(font());
    const Layout place = layout();
    const bool numbered = place.numbered;
    const double labelWidth = place.labelWidth;
    const double top = place.top;
    const double left = place.left;
    const double size = place.cell;
    double highest = 0.0;
    for (int r = 0; r < k; ++r) {
        for (int c = 0; c < k; ++c) {
            const double value = cellValue(r, c);
            if (std::isfinite(value))
                highest = std::max(highest, value);
        }
    }
    for (int r = 0; r < k; ++r) {
        for (int c = 0; c < k; ++c) {
            const QRectF cell(left + c * size, top + r * size, size, size);
            const double value = cellValue(r, c);
            const QColor colour = viridis(highest > 0 && std::isfinite(value) ? value / highest : 0.0);
            painter.fillRect(cell, colour);
            const double luminance = 0.299 * colour.red() + 0.587 * colour.green() + 0.114 * colour.blue();
            painter.setPen(luminance > 140 ? Qt::black : Qt::white);
            const QString label = !std::isfinite(value) ? QStringLiteral("–")
                : m_mode == Mode::Counts                ? QString::number(m_counts(r, c))
                                                        : QString::number(value, 'f', 2);
            if (size > 18)
                painter.drawText(cell, Qt::AlignCenter, label);
        }
    }
    painter.setPen(text);
    for (int i = 0; i < k; ++i) {
        // Elided at the left when numbered, so that the number stays.
        const QString name
            = metrics.elidedText(rowLabel(i, numbered), numbered ? Qt::ElideLeft : Qt::ElideRight, labelWidth - 6);
        painter.drawText(QRectF(24, top + i * size, labelWidth - 6, size), Qt::AlignRight | Qt::AlignVCenter, name);
        painter.drawText(QRectF(left + i * size, top - 20, size, 18), Qt::AlignCenter,
                         numbered ? QString::number(i + 1)
                                  : metrics.elidedText(m_classes.value(i), Qt::ElideRight, size - 2));
    }
    painter.drawText(QRectF(left, top - 38, size * k, 18), Qt::AlignCenter,
                     numbered ? tr("predicted (numbered as the rows)") : tr("predicted"));
    painter.save();
    painter.translate(12, top + size * k / 2.0);
    painter.rotate(-90);
    painter.drawText(QRectF(-60, -8, 120, 16), Qt::AlignCenter, tr("true"));
    painter.restore();
}

EvaluationView::EvaluationView(QString projectPath, QString experiment, int trialNumber, QWidget* parent)
    : QWidget(parent)
    , m_projectPath(std::move(projectPath))
    , m_experiment(std::move(experiment))
    , m_number(trialNumber)
    , m_header(new QLabel(this))
    , m_cancelButton(new QPushButton(tr("Cancel"), this))
    , m_tabs(new QTabWidget(this))
    , m_confusion(new ConfusionMatrixView(this))
    , m_confusionMode(new QComboBox(this))
    , m_roc(new ThemedChartView(this))
    , m_precisionRecall(new ThemedChartView(this))
    , m_calibration(new ThemedChartView(this))
    , m_actual(new ThemedChartView(this))
    , m_residuals(new ThemedChartView(this))
    , m_importance(new ThemedChartView(this))
{
    m_header->setWordWrap(true);
    m_header->setText(
        tr("Evaluating %1 · trial %2: running its cross-validation again...").arg(m_experiment).arg(m_number));
    m_cancelButton->setObjectName(QStringLiteral("cancelEvaluation"));
    auto* header = new QHBoxLayout;
    header->addWidget(m_header, 1);
    header->addWidget(m_cancelButton);
    m_confusionMode->addItems({tr("Counts"), tr("Share of each true class"), tr("Share of each predicted class")});
    m_confusionMode->setObjectName(QStringLiteral("confusionMode"));
    auto* confusionPane = new QWidget(this);
    auto* confusionLayout = new QVBoxLayout(confusionPane);
    auto* confusionControls = new QHBoxLayout;
    confusionControls->addWidget(new QLabel(tr("Show"), this));
    confusionControls->addWidget(m_confusionMode);
    confusionControls->addStretch(1);
    confusionLayout->addLayout(confusionControls);
    confusionLayout->addWidget(m_confusion, 1);
    connect(m_confusionMode, &QComboBox::currentIndexChanged, this,
            [this](int index) { m_confusion->setMode(static_cast<ConfusionMatrixView::Mode>(index)); });
    const auto reportTarget = [this] { return ReportTarget{m_projectPath, m_experiment}; };
    addImageExport(m_confusion, reportTarget);
    for (ThemedChartView* chart : {m_roc, m_precisionRecall, m_calibration, m_actual, m_residuals, m_importance})
        addImageExport(chart, reportTarget);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(header);
    layout->addWidget(m_tabs, 1);
    m_tabs->hide();
    // Tabs are added once the task is known.
    confusionPane->hide();
    connect(m_cancelButton, &QPushButton::clicked, this, &EvaluationView::cancel);

    auto* watcher = new QFutureWatcher<EvaluationOutcome>(this);
    connect(watcher, &QFutureWatcher<EvaluationOutcome>::finished, this, [this, watcher, confusionPane] {
        watcher->deleteLater();
        m_running = false;
        m_cancelButton->hide();
        const EvaluationOutcome outcome = watcher->result();
        if (!outcome.evaluation) {
            m_header->setText(
                outcome.error == QLatin1String("cancelled")
                    ? tr("Evaluation of %1 · trial %2 cancelled.").arg(m_experiment).arg(m_number)
                    : tr("Cannot evaluate %1 · trial %2: %3").arg(m_experiment).arg(m_number).arg(outcome.error));
            Q_EMIT finished(outcome.error);
            return;
        }
        const jobs::TrialEvaluation& evaluation = *outcome.evaluation;
        m_header->setText(tr("%1 · trial %2 (%3), out-of-fold predictions of %4 folds")
                              .arg(m_experiment)
                              .arg(m_number)
                              .arg(outcome.description)
                              .arg(evaluation.folds));
        if (evaluation.classification) {
            confusionPane->show();
            m_tabs->addTab(confusionPane, tr("Confusion matrix"));
            m_tabs->addTab(m_roc, tr("ROC"));
            m_tabs->addTab(m_precisionRecall, tr("Precision-recall"));
            m_tabs->addTab(m_calibration, tr("Calibration"));
        } else {
            m_tabs->addTab(m_actual, tr("Predicted vs actual"));
            m_tabs->addTab(m_residuals, tr("Residuals"));
        }
        m_tabs->addTab(m_importance, tr("Permutation importance"));
        for (QWidget* unused : {static_cast<QWidget*>(m_roc), static_cast<QWidget*>(m_precisionRecall),
                                static_cast<QWidget*>(m_calibration), static_cast<QWidget*>(m_actual),
                                static_cast<QWidget*>(m_residuals)}) {
            if (m_tabs->indexOf(unused) < 0)
                unused->hide();
        }
        m_tabs->show();
        show(evaluation);
        Q_EMIT finished(QString());
    });
    watcher->setFuture(
        QtConcurrent::run(workPool(), evaluateRecordedTrial, m_projectPath, m_experiment, m_number, m_cancel));
}

EvaluationView::~EvaluationView()
{
    m_cancel.cancel();
}

void EvaluationView::cancel()
{
    m_cancel.cancel();
}

void EvaluationView::show(const jobs::TrialEvaluation& evaluation)
{
    m_evaluation = evaluation;
    if (evaluation.classification) {
        const int k = static_cast<int>(evaluation.classes.size());
        QStringList classes;
        for (const std::string& name : evaluation.classes)
            classes << qs(name);
        m_confusion->setMatrix(evaluation::confusionMatrix(evaluation.truth, evaluation.predictions, k), classes);
        fillCurves(false);
        fillCurves(true);
        fillCalibration();
    } else {
        fillRegression();
    }
    fillImportance();
}

void EvaluationView::fillCurves(bool precisionRecall)
{
    const jobs::TrialEvaluation& evaluation = *m_evaluation;
    QChart* chart = (precisionRecall ? m_precisionRecall : m_roc)->chart();
    resetChart(chart,
               precisionRecall ? tr("Precision-recall curves, averaged over %1 folds").arg(evaluation.folds)
                               : tr("ROC curves, averaged over %1 folds").arg(evaluation.folds));
    QValueAxis* x = addValueAxis(chart, precisionRecall ? tr("recall") : tr("false positive rate"), Qt::AlignBottom);
    QValueAxis* y = addValueAxis(chart, precisionRecall ? tr("precision") : tr("true positive rate"), Qt::AlignLeft);
    setProbabilityRange(x);
    setProbabilityRange(y, 1.02);
    const int k = static_cast<int>(evaluation.classes.size());
    // Binary: the second class is the positive one. More classes: each against the rest.
    const int first = k == 2 ? 1 : 0;
    for (int positive = first; positive < k; ++positive) {
        const evaluation::AveragedCurve curve
            = evaluation::averageCurves(evaluation.foldCurves(positive, precisionRecall), precisionRecall);
        const std::vector<double> areas = evaluation.foldAreas(positive, precisionRecall);
        double mean = 0.0;
        double squares = 0.0;
        for (double a : areas)
            mean += a / static_cast<double>(areas.size());
        for (double a : areas)
            squares += (a - mean) * (a - mean);
        const double sd = areas.size() > 1 ? std::sqrt(squares / static_cast<double>(areas.size() - 1)) : 0.0;
        auto* series = new QLineSeries;
        series->setName(
            tr("%1 (%2 %3 ± %4)")
                .arg(qs(evaluation.classes[static_cast<std::size_t>(positive)]), precisionRecall ? tr("AP") : tr("AUC"))
                .arg(mean, 0, 'f', 3)
                .arg(sd, 0, 'f', 3));
        for (std::size_t i = 0; i < curve.x.size(); ++i) {
            if (std::isfinite(curve.mean[i]))
                series->append(curve.x[i], curve.mean[i]);
        }
        chart->addSeries(series);
        attach(series, x, y);
        QPen pen = series->pen();
        pen.setWidthF(2.0);
        // The theme has a handful of colours; beyond them, hues spread round the wheel tell classes apart.
        if (k > 8)
            pen.setColor(QColor::fromHsvF(static_cast<float>(positive) / static_cast<float>(k), 0.8F, 0.85F));
        series->setPen(pen);
    }
    if (!precisionRecall)
        attach(diagonal(chart, tr("chance"), 0.0, 1.0), x, y);
    // Many classes: one legend line each, at the side, where names are not cut short.
    chart->legend()->setAlignment(k > 4 ? Qt::AlignRight : Qt::AlignBottom);
}

void EvaluationView::fillCalibration()
{
    const jobs::TrialEvaluation& evaluation = *m_evaluation;
    QChart* chart = m_calibration->chart();
    const bool binary = evaluation.classes.size() == 2;
    resetChart(chart,
               binary
                   ? tr("Calibration: predicted probability of %1 against its frequency").arg(qs(evaluation.classes[1]))
                   : tr("Calibration: confidence of the predicted class against accuracy"));
    QValueAxis* x
        = addValueAxis(chart, binary ? tr("mean predicted probability") : tr("mean confidence"), Qt::AlignBottom);
    QValueAxis* y = addValueAxis(chart, binary ? tr("fraction of positives") : tr("fraction correct"), Qt::AlignLeft);
    setProbabilityRange(x);
    setProbabilityRange(y);
    // Binary: the positive class's probability. More classes: the top probability and whether it was right.
    Eigen::VectorXd truth(evaluation.truth.size());
    Eigen::VectorXd probability(evaluation.truth.size());
    for (Eigen::Index i = 0; i < evaluation.truth.size(); ++i) {
        if (binary) {
            truth[i] = evaluation.truth[i];
            probability[i] = evaluation.probabilities(i, 1);
        } else {
            Eigen::Index top = 0;
            probability[i] = evaluation.probabilities.row(i).maxCoeff(&top);
            truth[i] = static_cast<double>(top) == evaluation.truth[i] ? 1.0 : 0.0;
        }
    }
    auto* line = new QLineSeries;
    line->setName(tr("out-of-fold predictions (10 bins)"));
    auto* points = new QScatterSeries;
    points->setName(tr("bin"));
    points->setMarkerSize(8);
    for (const evaluation::CalibrationBin& bin : evaluation::calibrationCurve(truth, probability, 10)) {
        line->append(bin.meanPredicted, bin.fractionPositive);
        points->append(bin.meanPredicted, bin.fractionPositive);
    }
    chart->addSeries(line);
    chart->addSeries(points);
    attach(line, x, y);
    attach(points, x, y);
    attach(diagonal(chart, tr("perfectly calibrated"), 0.0, 1.0), x, y);
    chart->legend()->setAlignment(Qt::AlignBottom);
}

void EvaluationView::fillRegression()
{
    const jobs::TrialEvaluation& evaluation = *m_evaluation;
    const double low = std::min(evaluation.truth.minCoeff(), evaluation.predictions.minCoeff());
    const double high = std::max(evaluation.truth.maxCoeff(), evaluation.predictions.maxCoeff());
    const double pad = high > low ? 0.03 * (high - low) : 0.5;
    {
        QChart* chart = m_actual->chart();
        resetChart(chart, tr("Predicted against actual (out of fold)"));
        QValueAxis* x = addValueAxis(chart, tr("actual"), Qt::AlignBottom);
        QValueAxis* y = addValueAxis(chart, tr("predicted"), Qt::AlignLeft);
        auto* points = exampleSeries(tr("example"));
        for (Eigen::Index i = 0; i < evaluation.truth.size(); ++i)
            points->append(evaluation.truth[i], evaluation.predictions[i]);
        chart->addSeries(points);
        attach(points, x, y);
        attach(diagonal(chart, tr("predicted = actual"), low, high), x, y);
        setNiceRange(x, low - pad, high + pad);
        setNiceRange(y, low - pad, high + pad);
        chart->legend()->setAlignment(Qt::AlignBottom);
    }
    {
        QChart* chart = m_residuals->chart();
        resetChart(chart, tr("Residuals (actual - predicted) against predicted"));
        QValueAxis* x = addValueAxis(chart, tr("predicted"), Qt::AlignBottom);
        QValueAxis* y = addValueAxis(chart, tr("residual"), Qt::AlignLeft);
        auto* points = exampleSeries(tr("example"));
        double largest = 0.0;
        for (Eigen::Index i = 0; i < evaluation.truth.size(); ++i) {
            const double residual = evaluation.truth[i] - evaluation.predictions[i];
            largest = std::max(largest, std::abs(residual));
            points->append(evaluation.predictions[i], residual);
        }
        auto* zero = new QLineSeries;
        zero->setName(tr("zero"));
        zero->append(low - pad, 0.0);
        zero->append(high + pad, 0.0);
        zero->setPen(QPen(QColor(150, 150, 150), 1.2, Qt::DashLine));
        chart->addSeries(points);
        chart->addSeries(zero);
        attach(points, x, y);
        attach(zero, x, y);
        setNiceRange(x, low - pad, high + pad);
        setNiceRange(y, -largest * 1.05 - 1e-12, largest * 1.05 + 1e-12);
        zero->replace({QPointF(x->min(), 0.0), QPointF(x->max(), 0.0)});
        chart->legend()->setAlignment(Qt::AlignBottom);
    }
}

void EvaluationView::fillImportance()
{
    const jobs::TrialEvaluation& evaluation = *m_evaluation;
    QChart* chart = m_importance->chart();
    resetChart(chart,
               tr("Permutation importance: loss of %1 when a column is shuffled").arg(qs(evaluation.importanceMetric)));
    const auto shown = std::min<std::size_t>(evaluation.permutationImportance.size(), kMaxImportanceBars);
    if (shown == 0)
        return;
    auto* set = new QBarSet(tr("mean over folds and 5 shuffles (± sd in the label)"));
    QStringList categories;
    double low = 0.0;
    double high = 0.0;
    // Most important at the top: a horizontal bar chart draws its first category at the bottom.
    for (std::size_t i = shown; i-- > 0;) {
        const auto& column = evaluation.permutationImportance[i];
        categories << QStringLiteral("%1 (± %2)").arg(qs(column.column)).arg(column.std, 0, 'g', 2);
        *set << column.mean;
        low = std::min(low, column.mean);
        high = std::max(high, column.mean);
    }
    auto* series = new QHorizontalBarSeries;
    series->append(set);
    chart->addSeries(series);
    auto* y = new QBarCategoryAxis;
    y->append(categories);
    y->setTruncateLabels(false); // column names are the point of the chart
    chart->addAxis(y, Qt::AlignLeft);
    QValueAxis* x = addValueAxis(chart, tr("decrease in %1").arg(qs(evaluation.importanceMetric)), Qt::AlignBottom);
    setNiceRange(x, low, high > low ? high * 1.05 : 1.0);
    attach(series, x, y);
    chart->legend()->setAlignment(Qt::AlignBottom);
}

} // namespace tunebench::ui

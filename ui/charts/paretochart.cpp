#include "charts/paretochart.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <QChart>
#include <QComboBox>
#include <QCursor>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegendMarker>
#include <QLineSeries>
#include <QScatterSeries>
#include <QToolTip>
#include <QVBoxLayout>
#include <QValueAxis>

#include "tuning/tuningloop.h"

namespace tunebench::ui {

namespace {

const QColor kFront(0xe15759);
const QColor kDominated(0x4e79a7);
const QColor kInfeasible(0x9c755f);

QString objectiveTitle(const tuning::Objective& objective)
{
    return ParetoChart::tr("%1 (%2)").arg(QString::fromStdString(objective.metric),
                                          objective.maximize ? ParetoChart::tr("max") : ParetoChart::tr("min"));
}

} // namespace

ParetoChart::ParetoChart(QWidget* parent)
    : ThemedChartView(parent)
    , m_frontLine(new QLineSeries)
    , m_frontPoints(new QScatterSeries)
    , m_dominated(new QScatterSeries)
    , m_infeasible(new QScatterSeries)
{
    QChart* c = chart();
    c->setTitle(tr("Pareto front"));
    c->legend()->setAlignment(Qt::AlignBottom);
    m_frontLine->setName(tr("front"));
    m_frontPoints->setName(tr("on the front"));
    m_dominated->setName(tr("dominated"));
    m_infeasible->setName(tr("breaks a constraint"));
    m_infeasible->setMarkerShape(QScatterSeries::MarkerShapeRectangle);
    auto* x = new QValueAxis;
    auto* y = new QValueAxis;
    x->setLabelFormat(QStringLiteral("%.3g"));
    y->setLabelFormat(QStringLiteral("%.3g"));
    c->addAxis(x, Qt::AlignBottom);
    c->addAxis(y, Qt::AlignLeft);
    c->addSeries(m_frontLine);
    for (QScatterSeries* markers : {m_dominated, m_infeasible, m_frontPoints}) {
        markers->setMarkerSize(markers == m_frontPoints ? 10 : 8);
        c->addSeries(markers);
    }
    for (QAbstractSeries* series : c->series()) {
        series->attachAxis(x);
        series->attachAxis(y);
    }
    c->legend()->markers(m_frontLine).constFirst()->setVisible(false);
    for (QScatterSeries* markers : {m_dominated, m_infeasible, m_frontPoints})
        connectTrialMarkers(
            markers, this, [this, markers](const QPointF& point) { return trialAt(point, markers); },
            [this](int trial) { Q_EMIT trialClicked(trial); },
            [](int trial, const QPointF& point) {
                return tr("Trial %1: %2, %3").arg(trial).arg(point.x(), 0, 'g', 6).arg(point.y(), 0, 'g', 6);
            });
    applyTheme();
}

void ParetoChart::applyTheme()
{
    applyPaletteTheme(chart(), palette()); // then the series' own colours, which the theme replaces
    QColor faded = kDominated;
    faded.setAlphaF(0.55);
    m_dominated->setColor(faded);
    m_frontPoints->setColor(kFront);
    m_infeasible->setColor(kInfeasible);
    for (QScatterSeries* markers : {m_dominated, m_infeasible, m_frontPoints})
        markers->setBorderColor(Qt::transparent);
    m_frontLine->setPen(QPen(kFront, 1.5, Qt::DashLine));
}

void ParetoChart::setSpec(const tuning::ExperimentSpec& spec)
{
    m_spec = spec;
    m_objectives
        = spec.objectives.empty() ? std::vector<tuning::Objective>{{spec.metric, spec.maximize}} : spec.objectives;
    setAxes(0, std::min(1, objectiveCount() - 1));
}

void ParetoChart::setAxes(int x, int y)
{
    m_x = std::clamp(x, 0, std::max(0, objectiveCount() - 1));
    m_y = std::clamp(y, 0, std::max(0, objectiveCount() - 1));
    if (objectiveCount() > 0) {
        chart()->axes(Qt::Horizontal).constFirst()->setTitleText(objectiveTitle(m_objectives[std::size_t(m_x)]));
        chart()->axes(Qt::Vertical).constFirst()->setTitleText(objectiveTitle(m_objectives[std::size_t(m_y)]));
    }
    redraw();
}

void ParetoChart::setTrials(const std::vector<jobs::Trial>& trials)
{
    m_placed.clear();
    std::vector<tuning::TrialView> views;
    for (const jobs::Trial& trial : trials) {
        if (trial.state != TrialState::Finished || !trial.objective)
            continue;
        auto [view, measured] = jobs::measuredTrial(m_spec, trial);
        if (std::any_of(measured.objectives.begin(), measured.objectives.end(), [](double v) { return std::isnan(v); }))
            continue;
        m_placed.push_back({trial.number, measured.objectives, view.feasible(), false});
        views.push_back(std::move(view));
    }
    m_front = tuning::paretoOf(views); // the same rule as the tuner's and `runs --json`
    for (Placed& placed : m_placed)
        placed.front = std::binary_search(m_front.begin(), m_front.end(), placed.trial);
    redraw();
}

int ParetoChart::trialAt(const QPointF& point, const QScatterSeries* markers) const
{
    const auto* x = static_cast<const QValueAxis*>(chart()->axes(Qt::Horizontal).constFirst());
    const auto* y = static_cast<const QValueAxis*>(chart()->axes(Qt::Vertical).constFirst());
    const double width = std::max(x->max() - x->min(), 1e-300);
    const double height = std::max(y->max() - y->min(), 1e-300);
    int nearest = 0;
    double distance = std::numeric_limits<double>::infinity();
    for (const Placed& placed : m_placed) {
        const QScatterSeries* drawnIn = placed.front ? m_frontPoints : placed.feasible ? m_dominated : m_infeasible;
        if (markers && drawnIn != markers)
            continue; // a click on a marker means one of its own series' trials
        const double dx = (placed.values[std::size_t(m_x)] - point.x()) / width;
        const double dy = (placed.values[std::size_t(m_y)] - point.y()) / height;
        if (dx * dx + dy * dy < distance) {
            distance = dx * dx + dy * dy;
            nearest = placed.trial;
        }
    }
    return nearest;
}

void ParetoChart::redraw()
{
    QList<QPointF> front, dominated, infeasible;
    double minX = std::numeric_limits<double>::infinity(), maxX = -minX, minY = minX, maxY = -minX;
    for (const Placed& placed : m_placed) {
        if (std::size_t(std::max(m_x, m_y)) >= placed.values.size())
            continue;
        const QPointF point(placed.values[std::size_t(m_x)], placed.values[std::size_t(m_y)]);
        (placed.front ? front : placed.feasible ? dominated : infeasible).append(point);
        minX = std::min(minX, point.x());
        maxX = std::max(maxX, point.x());
        minY = std::min(minY, point.y());
        maxY = std::max(maxY, point.y());
    }
    m_frontPoints->replace(front);
    m_dominated->replace(dominated);
    m_infeasible->replace(infeasible);
    // The staircase through the front, for two objectives: from the best in x, each step holds the better y.
    QList<QPointF> stairs;
    if (objectiveCount() == 2 && !front.isEmpty()) {
        const bool xMax = m_objectives[std::size_t(m_x)].maximize;
        std::sort(front.begin(), front.end(),
                  [&](const QPointF& a, const QPointF& b) { return xMax ? a.x() > b.x() : a.x() < b.x(); });
        for (qsizetype i = 0; i < front.size(); ++i) {
            if (i > 0)
                stairs.append(QPointF(front[i].x(), front[i - 1].y()));
            stairs.append(front[i]);
        }
    }
    m_frontLine->replace(stairs);
    if (!std::isfinite(minX)) {
        minX = minY = 0;
        maxX = maxY = 1;
    }
    auto pad = [](double low, double high) { return std::max((high - low) * 0.06, std::abs(high) * 1e-3 + 1e-12); };
    auto* x = static_cast<QValueAxis*>(chart()->axes(Qt::Horizontal).constFirst());
    auto* y = static_cast<QValueAxis*>(chart()->axes(Qt::Vertical).constFirst());
    // Padded, but never below zero for values that are not (times, sizes).
    x->setRange(minX >= 0 ? std::max(0.0, minX - pad(minX, maxX)) : minX - pad(minX, maxX), maxX + pad(minX, maxX));
    y->setRange(minY >= 0 ? std::max(0.0, minY - pad(minY, maxY)) : minY - pad(minY, maxY), maxY + pad(minY, maxY));
    chart()->setTitle(tr("Pareto front: %1 of %2 finished trials").arg(m_front.size()).arg(m_placed.size()));
}

void ParetoChart::changeEvent(QEvent* event)
{
    ThemedChartView::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyTheme();
}

ParetoPanel::ParetoPanel(QWidget* parent)
    : QWidget(parent)
    , m_chart(new ParetoChart(this))
    , m_x(new QComboBox(this))
    , m_y(new QComboBox(this))
    , m_picker(new QWidget(this))
{
    m_x->setObjectName(QStringLiteral("paretoX"));
    m_y->setObjectName(QStringLiteral("paretoY"));
    auto* picker = new QHBoxLayout(m_picker);
    picker->setContentsMargins(0, 0, 0, 0);
    picker->addWidget(new QLabel(tr("Objectives shown:"), m_picker));
    picker->addWidget(m_x);
    picker->addWidget(new QLabel(tr("against"), m_picker));
    picker->addWidget(m_y);
    picker->addStretch();
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_picker);
    layout->addWidget(m_chart, 1);
    auto apply = [this] { m_chart->setAxes(m_x->currentIndex(), m_y->currentIndex()); };
    connect(m_x, &QComboBox::currentIndexChanged, this, apply);
    connect(m_y, &QComboBox::currentIndexChanged, this, apply);
}

void ParetoPanel::setSpec(const tuning::ExperimentSpec& spec)
{
    m_chart->setSpec(spec);
    const QSignalBlocker blockX(m_x);
    const QSignalBlocker blockY(m_y);
    m_x->clear();
    m_y->clear();
    for (const tuning::Objective& objective : spec.objectives) {
        m_x->addItem(QString::fromStdString(objective.metric));
        m_y->addItem(QString::fromStdString(objective.metric));
    }
    m_x->setCurrentIndex(0);
    m_y->setCurrentIndex(std::min(1, m_y->count() - 1));
    m_picker->setVisible(spec.objectives.size() > 2);
}

} // namespace tunebench::ui

#include "charts/rungschart.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

#include <QChart>
#include <QCursor>
#include <QEvent>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QScatterSeries>
#include <QToolTip>
#include <QValueAxis>

#include "charts/charts.h"

namespace tunebench::ui {

namespace {

const QColor kLine(0x4e79a7);
const QColor kBest(0x59a14f);
const QColor kPaused(0x4080dc);
const QColor kRunning(0xf28e2b);
const QColor kDone(0x59a14f);

} // namespace

RungsChart::RungsChart(QWidget* parent)
    : ThemedChartView(parent)
    , m_paused(new QScatterSeries)
    , m_running(new QScatterSeries)
    , m_done(new QScatterSeries)
{
    QChart* c = chart();
    c->setTitle(tr("Rungs: objective by budget"));
    c->legend()->setAlignment(Qt::AlignBottom);
    m_paused->setName(tr("paused"));
    m_running->setName(tr("running"));
    m_done->setName(tr("at max"));
    auto* x = new QLogValueAxis;
    x->setBase(3);
    x->setLabelFormat(QStringLiteral("%g"));
    x->setTitleText(tr("Budget"));
    auto* y = new QValueAxis;
    y->setLabelFormat(QStringLiteral("%.4g"));
    c->addAxis(x, Qt::AlignBottom);
    c->addAxis(y, Qt::AlignLeft);
    for (QScatterSeries* markers : {m_paused, m_running, m_done}) {
        markers->setMarkerSize(8);
        markers->setBorderColor(Qt::transparent);
        c->addSeries(markers);
        markers->attachAxis(x);
        markers->attachAxis(y);
        connectTrialMarkers(
            markers, this, [this](const QPointF& point) { return trialAt(point); },
            [this](int trial) { Q_EMIT trialClicked(trial); },
            [](int trial, const QPointF& point) {
                return tr("Trial %1: %2 at %3").arg(trial).arg(point.y(), 0, 'g', 6).arg(point.x(), 0, 'g', 6);
            });
    }
    applyTheme();
}

void RungsChart::applyTheme()
{
    applyPaletteTheme(chart(), palette()); // then the markers' own colours, which the theme replaces
    m_paused->setColor(kPaused);
    m_running->setColor(kRunning);
    m_done->setColor(kDone);
    for (QScatterSeries* markers : {m_paused, m_running, m_done})
        markers->setBorderColor(Qt::transparent);
}

void RungsChart::setObjective(const QString& metric, bool maximize)
{
    m_metric = metric;
    m_maximize = maximize;
    chart()->axes(Qt::Vertical).constFirst()->setTitleText(metric);
}

void RungsChart::setResource(const QString& resource)
{
    m_resource = resource;
    chart()
        ->axes(Qt::Horizontal)
        .constFirst()
        ->setTitleText(resource.isEmpty() ? tr("Budget") : tr("Budget (%1)").arg(resource));
}

void RungsChart::clear()
{
    m_points.clear();
    refresh();
}

void RungsChart::addPoint(int trial, double budget, double value)
{
    if (budget > 0 && std::isfinite(value))
        m_points[trial][budget] = value;
}

int RungsChart::trialAt(const QPointF& point) const
{
    int nearest = 0;
    double distance = std::numeric_limits<double>::infinity();
    for (const auto& [trial, budgets] : m_points) {
        const auto& [budget, value] = *budgets.rbegin();
        const double d = std::abs(std::log(budget / point.x())) + std::abs(value - point.y());
        if (d < distance) {
            distance = d;
            nearest = trial;
        }
    }
    return nearest;
}

void RungsChart::refresh()
{
    QChart* c = chart();
    QAbstractAxis* x = c->axes(Qt::Horizontal).constFirst();
    QAbstractAxis* y = c->axes(Qt::Vertical).constFirst();
    for (QAbstractSeries* series : c->series()) {
        if (series != m_paused && series != m_running && series != m_done) {
            c->removeSeries(series);
            delete series;
        }
    }
    // The best trial: the best value at the largest budget any trial reached, else at the largest reached at all.
    double top = 0;
    for (const auto& [trial, budgets] : m_points)
        top = std::max(top, budgets.rbegin()->first);
    std::optional<std::pair<int, double>> best;
    for (const auto& [trial, budgets] : m_points) {
        const auto last = budgets.rbegin();
        if (last->first == top && (!best || (m_maximize ? last->second > best->second : last->second < best->second)))
            best = std::pair{trial, last->second};
    }
    QList<QPointF> paused, running, done;
    double minY = std::numeric_limits<double>::infinity(), maxY = -minY, maxX = 1;
    m_lineCount = 0;
    for (const auto& [trial, budgets] : m_points) {
        for (const auto& [budget, value] : budgets) {
            minY = std::min(minY, value);
            maxY = std::max(maxY, value);
            maxX = std::max(maxX, budget);
        }
        const QPointF last(budgets.rbegin()->first, budgets.rbegin()->second);
        const auto state = m_states.find(trial);
        if (state != m_states.end() && state->second == TrialState::Running)
            running.append(last);
        else if (state != m_states.end() && state->second == TrialState::Paused)
            paused.append(last);
        else
            done.append(last);
        if (budgets.size() < 2)
            continue; // never promoted: its marker only
        auto* line = new QLineSeries;
        for (const auto& [budget, value] : budgets)
            line->append(budget, value);
        const bool isBest = best && best->first == trial;
        QColor colour = isBest ? kBest : kLine;
        colour.setAlphaF(isBest ? 1.0 : 0.45);
        line->setPen(QPen(colour, isBest ? 3.0 : 1.2));
        c->addSeries(line);
        line->attachAxis(x);
        line->attachAxis(y);
        c->legend()->markers(line).constFirst()->setVisible(false);
        ++m_lineCount;
    }
    // The markers above the lines, where a click reaches them.
    for (QScatterSeries* markers : {m_paused, m_running, m_done}) {
        c->removeSeries(markers);
        c->addSeries(markers);
        markers->attachAxis(x);
        markers->attachAxis(y);
    }
    m_paused->replace(paused);
    m_running->replace(running);
    m_done->replace(done);
    auto* axisX = static_cast<QLogValueAxis*>(x);
    axisX->setRange(0.8, maxX * 1.25);
    if (!std::isfinite(minY)) {
        minY = 0;
        maxY = 1;
    }
    const double pad = std::max((maxY - minY) * 0.06, std::abs(maxY) * 1e-3 + 1e-12);
    auto* axisY = static_cast<QValueAxis*>(y);
    axisY->setRange(minY - pad, maxY + pad);
    axisY->applyNiceNumbers();
}

void RungsChart::changeEvent(QEvent* event)
{
    ThemedChartView::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        applyTheme();
        refresh();
    }
}

} // namespace tunebench::ui

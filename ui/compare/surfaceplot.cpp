#include "compare/surfaceplot.h"

#include <algorithm>
#include <cmath>

#include <QPainter>

#include "charts/charts.h"

namespace tunebench::ui {

SurfacePlot::SurfacePlot(QWidget* parent)
    : QWidget(parent)
{
    setMinimumSize(320, 260);
}

void SurfacePlot::setData(Axis x, Axis y, int resolution, std::vector<double> values, std::vector<QPointF> trials,
                          QString metric, bool higherIsBetter)
{
    m_x = std::move(x);
    m_y = std::move(y);
    m_resolution = resolution;
    m_values = std::move(values);
    m_trials = std::move(trials);
    m_metric = std::move(metric);
    m_higherIsBetter = higherIsBetter;
    m_message.clear();
    update();
}

void SurfacePlot::setMessage(const QString& message)
{
    m_message = message;
    update();
}

void SurfacePlot::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    const QColor text = beginPaintedChart(painter, *this);
    painter.drawText(
        QRectF(0, 4, width(), 20), Qt::AlignCenter,
        m_resolution > 0
            ? tr("%1 over %2 and %3 (surrogate; other parameters averaged)").arg(m_metric, m_x.name, m_y.name)
            : tr("Contour of two parameters"));
    painter.setFont(font());
    if (!m_message.isEmpty() || m_resolution <= 0 || m_values.empty()) {
        painter.drawText(rect(), Qt::AlignCenter, m_message.isEmpty() ? tr("Choose two parameters") : m_message);
        return;
    }
    const QRectF area(80, 36, std::max(40, width() - 80 - 110), std::max(40, height() - 36 - 56));
    const auto [lowest, highest] = std::minmax_element(m_values.begin(), m_values.end());
    const double span = *highest > *lowest ? *highest - *lowest : 1.0;
    const double cellWidth = area.width() / m_resolution;
    const double cellHeight = area.height() / m_resolution;
    for (int a = 0; a < m_resolution; ++a) {
        for (int b = 0; b < m_resolution; ++b) {
            double t = (m_values[static_cast<std::size_t>(a * m_resolution + b)] - *lowest) / span;
            if (!m_higherIsBetter)
                t = 1.0 - t;
            // y grows upwards.
            const QRectF cell(area.left() + a * cellWidth, area.bottom() - (b + 1) * cellHeight, cellWidth + 0.5,
                              cellHeight + 0.5);
            painter.fillRect(cell, viridis(t));
        }
    }
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(QPen(Qt::black, 1.0));
    painter.setBrush(Qt::white);
    for (const QPointF& trial : m_trials) {
        if (!std::isfinite(trial.x()) || !std::isfinite(trial.y()))
            continue;
        painter.drawEllipse(QPointF(area.left() + trial.x() * area.width(), area.bottom() - trial.y() * area.height()),
                            3.5, 3.5);
    }
    painter.setBrush(Qt::NoBrush);
    painter.setPen(text);
    painter.drawRect(area);
    for (const auto& [position, label] : m_x.ticks) {
        const double x = area.left() + position * area.width();
        painter.drawLine(QPointF(x, area.bottom()), QPointF(x, area.bottom() + 4));
        painter.drawText(QRectF(x - 50, area.bottom() + 6, 100, 16), Qt::AlignCenter, label);
    }
    for (const auto& [position, label] : m_y.ticks) {
        const double y = area.bottom() - position * area.height();
        painter.drawLine(QPointF(area.left() - 4, y), QPointF(area.left(), y));
        painter.drawText(QRectF(0, y - 8, area.left() - 8, 16), Qt::AlignRight | Qt::AlignVCenter, label);
    }
    painter.drawText(QRectF(area.left(), area.bottom() + 26, area.width(), 18), Qt::AlignCenter, m_x.name);
    painter.save();
    painter.translate(14, area.center().y());
    painter.rotate(-90);
    painter.drawText(QRectF(-area.height() / 2, -9, area.height(), 18), Qt::AlignCenter, m_y.name);
    painter.restore();

    // The colour bar, in the objective's values.
    const QRectF bar(area.right() + 30, area.top(), 14, area.height());
    QLinearGradient gradient(bar.bottomLeft(), bar.topLeft());
    for (double t : {0.0, 0.25, 0.5, 0.75, 1.0})
        gradient.setColorAt(t, viridis(t));
    painter.fillRect(bar, gradient);
    const double top = m_higherIsBetter ? *highest : *lowest;
    const double bottom = m_higherIsBetter ? *lowest : *highest;
    painter.drawText(QRectF(bar.right() + 4, bar.top() - 8, 70, 16), Qt::AlignLeft | Qt::AlignVCenter,
                     QString::number(top, 'g', 4));
    painter.drawText(QRectF(bar.right() + 4, bar.bottom() - 8, 70, 16), Qt::AlignLeft | Qt::AlignVCenter,
                     QString::number(bottom, 'g', 4));
    painter.drawText(QRectF(bar.left() - 20, bar.top() - 28, 80, 16), Qt::AlignCenter, tr("better"));
}

} // namespace tunebench::ui

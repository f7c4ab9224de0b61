#include "compare/parallelcoordinates.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <QMouseEvent>
#include <QPainter>

#include "charts/charts.h"

namespace tunebench::ui {

namespace {

constexpr double kMarginLeft = 72.0;
constexpr double kTickWidth = 64.0;
constexpr double kMarginRight = 96.0; // room for the colour bar
constexpr double kMarginTop = 64.0; // title and axis names
constexpr double kMarginBottom = 28.0;
constexpr double kGrabDistance = 10.0;

} // namespace

ParallelCoordinatesPlot::ParallelCoordinatesPlot(QWidget* parent)
    : QWidget(parent)
{
    setMouseTracking(false);
    setToolTip(tr("Drag along an axis to keep only the trials in that range; click the axis to clear it."));
}

void ParallelCoordinatesPlot::setData(std::vector<Axis> axes, std::vector<std::vector<double>> values,
                                      bool higherIsBetter)
{
    m_axes = std::move(axes);
    m_values = std::move(values);
    m_higherIsBetter = higherIsBetter;
    m_colourAxis = static_cast<int>(m_axes.size()) - 1;
    m_ranges.assign(m_axes.size(), Range{});
    m_brushes.assign(m_axes.size(), std::nullopt);
    for (std::size_t a = 0; a < m_axes.size(); ++a) {
        if (!m_axes[a].levels.isEmpty()) {
            m_ranges[a] = {0.0, std::max(1.0, static_cast<double>(m_axes[a].levels.size() - 1))};
            continue;
        }
        double low = std::numeric_limits<double>::infinity();
        double high = -low;
        for (const std::vector<double>& row : m_values) {
            const double t = transformed(static_cast<int>(a), row[a]);
            if (std::isfinite(t)) {
                low = std::min(low, t);
                high = std::max(high, t);
            }
        }
        if (!std::isfinite(low))
            low = high = 0.0;
        if (high <= low) {
            // One value: centre it.
            low -= 0.5;
            high += 0.5;
        }
        m_ranges[a] = {low, high};
    }
    m_highlighted.reset();
    updateSelection();
}

double ParallelCoordinatesPlot::transformed(int axis, double value) const
{
    if (!std::isfinite(value))
        return std::numeric_limits<double>::quiet_NaN();
    if (m_axes[static_cast<std::size_t>(axis)].logScale)
        return value > 0.0 ? std::log10(value) : std::numeric_limits<double>::quiet_NaN();
    return value;
}

double ParallelCoordinatesPlot::position(int axis, double value) const
{
    const Range& range = m_ranges[static_cast<std::size_t>(axis)];
    if (!m_axes[static_cast<std::size_t>(axis)].levels.isEmpty()
        && m_axes[static_cast<std::size_t>(axis)].levels.size() == 1)
        return std::isfinite(value) ? 0.5 : std::numeric_limits<double>::quiet_NaN();
    return (transformed(axis, value) - range.low) / (range.high - range.low);
}

double ParallelCoordinatesPlot::untransformed(int axis, double position) const
{
    const Range& range = m_ranges[static_cast<std::size_t>(axis)];
    const double t = range.low + position * (range.high - range.low);
    return m_axes[static_cast<std::size_t>(axis)].logScale ? std::pow(10.0, t) : t;
}

QRectF ParallelCoordinatesPlot::plotArea() const
{
    return QRectF(kMarginLeft, kMarginTop, std::max(10.0, width() - kMarginLeft - kMarginRight),
                  std::max(10.0, height() - kMarginTop - kMarginBottom));
}

double ParallelCoordinatesPlot::axisX(int axis) const
{
    const QRectF area = plotArea();
    const auto count = static_cast<double>(m_axes.size());
    if (count <= 1)
        return area.center().x();
    return area.left() + area.width() * axis / (count - 1);
}

double ParallelCoordinatesPlot::valueY(int axis, double value) const
{
    const QRectF area = plotArea();
    return area.bottom() - position(axis, value) * area.height();
}

int ParallelCoordinatesPlot::axisAt(double x) const
{
    for (int a = 0; a < static_cast<int>(m_axes.size()); ++a) {
        if (std::abs(axisX(a) - x) <= kGrabDistance)
            return a;
    }
    return -1;
}

void ParallelCoordinatesPlot::setBrush(int axis, double low, double high)
{
    if (axis < 0 || axis >= static_cast<int>(m_axes.size()))
        return;
    double a = position(axis, low);
    double b = position(axis, high);
    if (!std::isfinite(a) || !std::isfinite(b))
        return;
    if (a > b)
        std::swap(a, b);
    m_brushes[static_cast<std::size_t>(axis)] = std::pair{a, b};
    updateSelection();
}

void ParallelCoordinatesPlot::clearBrush(int axis)
{
    if (axis < 0 || axis >= static_cast<int>(m_brushes.size()) || !m_brushes[static_cast<std::size_t>(axis)])
        return;
    m_brushes[static_cast<std::size_t>(axis)].reset();
    updateSelection();
}

void ParallelCoordinatesPlot::clearBrushes()
{
    std::fill(m_brushes.begin(), m_brushes.end(), std::nullopt);
    updateSelection();
}

std::optional<std::pair<double, double>> ParallelCoordinatesPlot::brush(int axis) const
{
    const auto& brush = m_brushes.at(static_cast<std::size_t>(axis));
    if (!brush)
        return std::nullopt;
    return std::pair{untransformed(axis, brush->first), untransformed(axis, brush->second)};
}

bool ParallelCoordinatesPlot::isSelected(int row) const
{
    return row >= 0 && row < static_cast<int>(m_selected.size()) && m_selected[static_cast<std::size_t>(row)];
}

std::vector<int> ParallelCoordinatesPlot::selectedRows() const
{
    std::vector<int> rows;
    for (int row = 0; row < static_cast<int>(m_selected.size()); ++row) {
        if (m_selected[static_cast<std::size_t>(row)])
            rows.push_back(row);
    }
    return rows;
}

void ParallelCoordinatesPlot::setHighlightedRow(std::optional<int> row)
{
    m_highlighted = row;
    update();
}

void ParallelCoordinatesPlot::updateSelection()
{
    m_selected.assign(m_values.size(), 1);
    for (std::size_t row = 0; row < m_values.size(); ++row) {
        for (std::size_t a = 0; a < m_brushes.size(); ++a) {
            if (!m_brushes[a])
                continue;
            // A little slack so a brush drawn to an axis end keeps the trials sitting on it.
            const double p = position(static_cast<int>(a), m_values[row][a]);
            if (!(p >= m_brushes[a]->first - 1e-9 && p <= m_brushes[a]->second + 1e-9)) {
                m_selected[row] = 0;
                break;
            }
        }
    }
    update();
    Q_EMIT selectionChanged();
}

QString ParallelCoordinatesPlot::tickLabel(int axis, double position) const
{
    const double value = untransformed(axis, position);
    return QString::number(value, 'g', 3);
}

void ParallelCoordinatesPlot::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.fillRect(rect(), palette().base());
    // Antialiased translucent lines cost the raster engine dearly: smooth lines for a few hundred trials,
    // crisp ones beyond (bench_gui compare).
    const bool smooth = m_values.size() <= 300;
    const QColor text = palette().color(QPalette::Text);
    QFont titleFont = font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.15);
    painter.setFont(titleFont);
    painter.setPen(text);
    const int selected = static_cast<int>(std::count(m_selected.begin(), m_selected.end(), 1));
    const bool brushing = std::any_of(m_brushes.begin(), m_brushes.end(), [](const auto& b) { return b.has_value(); });
    painter.drawText(QRectF(0, 4, width(), 22), Qt::AlignHCenter | Qt::AlignVCenter,
                     brushing ? tr("Parallel coordinates: %1 of %2 trials selected").arg(selected).arg(m_values.size())
                              : tr("Parallel coordinates: parameters and objective"));
    painter.setFont(font());
    if (m_axes.empty()) {
        painter.drawText(rect(), Qt::AlignCenter, tr("No finished trials to show"));
        return;
    }
    const QRectF area = plotArea();
    const int axisCount = static_cast<int>(m_axes.size());

    // Lines: faded ones first, then selected ones by colour, the highlighted one on top. Segments are drawn
    // in batches of one colour (the ramp quantised to kLevels): the raster engine's cost is per call, and
    // 1,000 trials one call each repaint far slower than a few dozen batches (bench_gui compare).
    constexpr int kLevels = 32;
    painter.setRenderHint(QPainter::Antialiasing, smooth);
    std::vector<double> xs(static_cast<std::size_t>(axisCount));
    for (int a = 0; a < axisCount; ++a)
        xs[static_cast<std::size_t>(a)] = axisX(a);
    // A segment joins two neighbouring axes where both values are active.
    auto addSegments = [&](std::size_t row, std::vector<QLineF>& lines) {
        std::optional<QPointF> previous;
        for (int a = 0; a < axisCount; ++a) {
            const double p = position(a, m_values[row][static_cast<std::size_t>(a)]);
            if (!std::isfinite(p)) {
                previous.reset();
                continue;
            }
            const QPointF point(xs[static_cast<std::size_t>(a)], area.bottom() - p * area.height());
            if (previous)
                lines.emplace_back(*previous, point);
            previous = point;
        }
    };
    std::vector<std::vector<QLineF>> batches(kLevels + 1); // 0: faded
    for (std::size_t row = 0; row < m_values.size(); ++row) {
        if (m_highlighted && *m_highlighted == static_cast<int>(row))
            continue;
        int batch = 0;
        if (m_selected[row]) {
            double t = position(m_colourAxis, m_values[row][static_cast<std::size_t>(m_colourAxis)]);
            t = std::isfinite(t) ? (m_higherIsBetter ? t : 1.0 - t) : 0.0;
            batch = 1 + std::clamp(static_cast<int>(t * kLevels), 0, kLevels - 1);
        }
        addSegments(row, batches[static_cast<std::size_t>(batch)]);
    }
    // Thin lines are cosmetic (one pixel whatever the transform): the raster engine's fast path.
    auto linePen = [smooth](const QColor& colour) {
        QPen pen(colour, smooth ? 1.2 : 1.0);
        pen.setCosmetic(true);
        return pen;
    };
    // Opaque colours, mixed with the background beforehand: translucent lines are forty times slower to
    // draw in Qt 6.4's raster engine (430 ms against 17 ms for 1,000 trials, bench_gui compare).
    const QColor base = palette().color(QPalette::Base);
    auto mixed = [&base](const QColor& colour, double weight) {
        return QColor::fromRgbF(static_cast<float>(weight * colour.redF() + (1.0 - weight) * base.redF()),
                                static_cast<float>(weight * colour.greenF() + (1.0 - weight) * base.greenF()),
                                static_cast<float>(weight * colour.blueF() + (1.0 - weight) * base.blueF()));
    };
    const QColor faded = mixed(palette().color(QPalette::Mid), 0.3);
    for (int batch = 0; batch <= kLevels; ++batch) {
        const std::vector<QLineF>& lines = batches[static_cast<std::size_t>(batch)];
        if (lines.empty())
            continue;
        const QColor colour
            = batch == 0 ? faded : mixed(viridis((batch - 0.5) / kLevels), m_values.size() > 200 ? 0.6 : 0.85);
        painter.setPen(linePen(colour));
        painter.drawLines(lines.data(), static_cast<int>(lines.size()));
    }
    if (m_highlighted && *m_highlighted >= 0 && *m_highlighted < static_cast<int>(m_values.size())) {
        std::vector<QLineF> lines;
        addSegments(static_cast<std::size_t>(*m_highlighted), lines);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setPen(QPen(palette().color(QPalette::Highlight), 3.0));
        painter.drawLines(lines.data(), static_cast<int>(lines.size()));
    }

    // Axes, names, ticks and brushes. Tick labels sit on a backdrop so the lines behind them do not hide them.
    const QFontMetricsF metrics(font());
    QColor backdrop = palette().color(QPalette::Base);
    backdrop.setAlpha(200);
    auto drawTick = [&](double x, double y, const QString& label) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawLine(QPointF(x - 3, y), QPointF(x, y));
        const double width = std::min(kTickWidth, metrics.horizontalAdvance(label) + 4.0);
        const QRectF box(x - 5 - width, y - 8, width, 16);
        painter.fillRect(box, backdrop);
        painter.setPen(text);
        painter.drawText(box, Qt::AlignRight | Qt::AlignVCenter, label);
    };
    for (int a = 0; a < axisCount; ++a) {
        const double x = axisX(a);
        painter.setPen(QPen(text, 1.5));
        painter.drawLine(QPointF(x, area.top()), QPointF(x, area.bottom()));
        const Axis& axis = m_axes[static_cast<std::size_t>(a)];
        const double nameWidth = std::max(60.0, area.width() / std::max(1, axisCount - 1) - 6.0);
        const QString name
            = metrics.elidedText(axis.name + (axis.logScale ? tr(" (log)") : QString()), Qt::ElideMiddle, nameWidth);
        // Alternate the names' heights so long ones do not collide.
        const double nameY = area.top() - (a % 2 == 0 ? 30.0 : 14.0);
        painter.drawText(QRectF(x - nameWidth / 2, nameY - 8, nameWidth, 16), Qt::AlignCenter, name);
        if (!axis.levels.isEmpty()) {
            for (qsizetype level = 0; level < axis.levels.size(); ++level)
                drawTick(x, valueY(a, static_cast<double>(level)),
                         metrics.elidedText(axis.levels[level], Qt::ElideRight, kTickWidth - 6));
        } else {
            for (double p : {0.0, 0.5, 1.0})
                drawTick(x, area.bottom() - p * area.height(), tickLabel(a, p));
        }
        if (const auto& brush = m_brushes[static_cast<std::size_t>(a)]) {
            QColor fill = palette().color(QPalette::Highlight);
            fill.setAlpha(70);
            const QRectF band(x - 7, area.bottom() - brush->second * area.height(), 14,
                              (brush->second - brush->first) * area.height());
            painter.fillRect(band, fill);
            painter.setPen(QPen(palette().color(QPalette::Highlight), 1.0));
            painter.drawRect(band);
        }
    }

    paintColourBar(painter, area);
}

/// What the colours mean: the gradient from worse to better, beside the plot.
void ParallelCoordinatesPlot::paintColourBar(QPainter& painter, const QRectF& area) const
{
    const QFontMetricsF metrics(font());
    const QRectF bar(width() - kMarginRight + 40, area.top(), 14, area.height());
    QLinearGradient gradient(bar.bottomLeft(), bar.topLeft());
    for (double t : {0.0, 0.25, 0.5, 0.75, 1.0})
        gradient.setColorAt(t, viridis(t));
    painter.fillRect(bar, gradient);
    painter.setPen(palette().color(QPalette::Text));
    // The bar's title, unless it is the last axis, whose own name stands just beside it (a long one would collide).
    if (m_colourAxis != static_cast<int>(m_axes.size()) - 1) {
        const Axis& colourAxis = m_axes[static_cast<std::size_t>(m_colourAxis)];
        painter.drawText(QRectF(bar.left() - 40, area.top() - 30, 94, 16), Qt::AlignCenter,
                         metrics.elidedText(colourAxis.name, Qt::ElideRight, 94));
    }
    painter.drawText(QRectF(bar.left() - 40, area.top() - 16, 94, 14), Qt::AlignCenter, tr("better"));
    painter.drawText(QRectF(bar.left() - 40, area.bottom() + 2, 94, 14), Qt::AlignCenter, tr("worse"));
}

void ParallelCoordinatesPlot::mousePressEvent(QMouseEvent* event)
{
    m_dragAxis = event->button() == Qt::LeftButton ? axisAt(event->position().x()) : -1;
    if (m_dragAxis < 0) {
        QWidget::mousePressEvent(event);
        return;
    }
    const QRectF area = plotArea();
    m_dragStart = std::clamp((area.bottom() - event->position().y()) / area.height(), 0.0, 1.0);
    m_dragged = false;
}

void ParallelCoordinatesPlot::mouseMoveEvent(QMouseEvent* event)
{
    if (m_dragAxis < 0)
        return;
    const QRectF area = plotArea();
    const double at = std::clamp((area.bottom() - event->position().y()) / area.height(), 0.0, 1.0);
    if (std::abs(at - m_dragStart) * area.height() < 3.0 && !m_dragged)
        return;
    m_dragged = true;
    m_brushes[static_cast<std::size_t>(m_dragAxis)] = std::pair{std::min(at, m_dragStart), std::max(at, m_dragStart)};
    updateSelection();
}

void ParallelCoordinatesPlot::mouseReleaseEvent(QMouseEvent* event)
{
    if (m_dragAxis >= 0 && !m_dragged)
        clearBrush(m_dragAxis);
    m_dragAxis = -1;
    QWidget::mouseReleaseEvent(event);
}

} // namespace tunebench::ui

#include "charts/charts.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <QChart>
#include <QCursor>
#include <QEvent>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QRegularExpression>
#include <QScatterSeries>
#include <QToolTip>
#include <QValueAxis>

#include "charts/decimation.h"

namespace tunebench::ui {

namespace {

/// Ten colours that stay apart on light and dark backgrounds (Tableau 10).
QColor trialColour(int trial)
{
    static const std::array<QColor, 10> colours{
        QColor(0x4e79a7), QColor(0xf28e2b), QColor(0xe15759), QColor(0x76b7b2), QColor(0x59a14f),
        QColor(0xedc948), QColor(0xb07aa1), QColor(0xff9da7), QColor(0x9c755f), QColor(0xbab0ac),
    };
    return colours[static_cast<std::size_t>(std::max(trial - 1, 0)) % colours.size()];
}

/// The point of `series`' full data nearest to `x`.
std::optional<QPointF> nearest(const std::vector<QPointF>& points, double x)
{
    if (points.empty())
        return std::nullopt;
    const auto it = std::lower_bound(points.begin(), points.end(), x,
                                     [](const QPointF& p, double value) { return p.x() < value; });
    if (it == points.end())
        return points.back();
    if (it == points.begin())
        return *it;
    return (it->x() - x < x - std::prev(it)->x()) ? *it : *std::prev(it);
}

void setRangeIfChanged(QAbstractAxis* axis, double min, double max)
{
    double currentMin = 0.0;
    double currentMax = 0.0;
    if (auto* value = qobject_cast<QValueAxis*>(axis)) {
        currentMin = value->min();
        currentMax = value->max();
    } else if (auto* log = qobject_cast<QLogValueAxis*>(axis)) {
        currentMin = log->min();
        currentMax = log->max();
    }
    if (currentMin != min || currentMax != max)
        axis->setRange(min, max);
}

} // namespace

void setNiceRange(QAbstractAxis* axis, double min, double max)
{
    auto* value = qobject_cast<QValueAxis*>(axis);
    if (!value || !(max > min)) {
        setRangeIfChanged(axis, min, max);
        return;
    }
    const double raw = (max - min) / 4.0;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    double step = magnitude * 10.0;
    for (const double factor : {1.0, 2.0, 2.5, 5.0, 10.0}) {
        if (factor * magnitude >= raw) {
            step = factor * magnitude;
            break;
        }
    }
    const double niceMin = std::floor(min / step) * step;
    const double niceMax = std::ceil(max / step) * step;
    setRangeIfChanged(axis, niceMin, niceMax);
    const int ticks = static_cast<int>(std::lround((niceMax - niceMin) / step)) + 1;
    if (value->tickCount() != ticks)
        value->setTickCount(ticks);
}

void applyPaletteTheme(QChart* chart, const QPalette& palette)
{
    const bool dark = palette.color(QPalette::Window).lightness() < 128;
    const QChart::ChartTheme theme = dark ? QChart::ChartThemeDark : QChart::ChartThemeLight;
    if (chart->theme() == theme)
        return;
    // A theme resets series colours: keep ours.
    QList<std::pair<QAbstractSeries*, QPen>> pens;
    for (QAbstractSeries* series : chart->series()) {
        if (auto* line = qobject_cast<QLineSeries*>(series))
            pens.append({series, line->pen()});
    }
    chart->setTheme(theme);
    for (const auto& [series, pen] : pens)
        static_cast<QLineSeries*>(series)->setPen(pen);
    chart->setBackgroundRoundness(0);
}

MetricName MetricName::parse(const QString& name)
{
    static const QRegularExpression pattern(QStringLiteral("^(?:fold(\\d+)/)?(train_|validation_)?(.+)$"));
    const QRegularExpressionMatch match = pattern.match(name);
    MetricName parsed;
    parsed.quantity = name;
    if (!match.hasMatch())
        return parsed;
    parsed.fold = match.captured(1).isEmpty() ? 0 : match.captured(1).toInt();
    if (match.captured(2) == QLatin1String("train_"))
        parsed.role = Role::Train;
    else if (match.captured(2) == QLatin1String("validation_"))
        parsed.role = Role::Validation;
    parsed.quantity = match.captured(3);
    return parsed;
}

void CurvesChart::setStepName(const QString& name)
{
    m_axisX->setTitleText(name.isEmpty() ? tr("Step") : tr("Step (%1)").arg(name));
}

CurvesChart::CurvesChart(QWidget* parent)
    : QChartView(new QChart, parent)
{
    setAcceptDrops(false); // a file dropped on a chart goes to the window, which imports it
    setRenderHint(QPainter::Antialiasing, false); // thousands of segments: crisp and fast
    QChart* c = chart();
    c->setTitle(tr("Learning curves"));
    c->setMargins(QMargins(4, 4, 4, 4));
    c->legend()->setAlignment(Qt::AlignBottom);
    auto* x = new QValueAxis;
    x->setTitleText(tr("Step"));
    x->setLabelFormat(QStringLiteral("%g"));
    c->addAxis(x, Qt::AlignBottom);
    m_axisX = x;
    auto* y = new QValueAxis;
    y->setLabelFormat(QStringLiteral("%.3g"));
    c->addAxis(y, Qt::AlignLeft);
    m_axisY = y;
    // Two empty series explain the line styles in the legend.
    m_trainKey = new QLineSeries;
    m_trainKey->setName(tr("train (dashed)"));
    m_validationKey = new QLineSeries;
    m_validationKey->setName(tr("validation (solid)"));
    for (QLineSeries* key : {m_trainKey, m_validationKey}) {
        c->addSeries(key);
        key->attachAxis(m_axisX);
        key->attachAxis(m_axisY);
    }
    applyPaletteTheme(c, palette());
    QPen pen(palette().color(QPalette::Mid), 2, Qt::DashLine);
    m_trainKey->setPen(pen);
    pen.setStyle(Qt::SolidLine);
    m_validationKey->setPen(pen);
}

void CurvesChart::clear()
{
    for (auto& [key, series] : m_series) {
        chart()->removeSeries(series);
        delete series;
    }
    m_series.clear();
    m_data.clear();
    m_dirty.clear();
    m_quantities.clear();
    m_folds = 0;
    updateAxes();
}

void CurvesChart::Curve::include(double y)
{
    if (!std::isfinite(y))
        return;
    minY = std::min(minY, y);
    maxY = std::max(maxY, y);
    if (y > 0.0)
        minPositiveY = std::min(minPositiveY, y);
}

void CurvesChart::Curve::recomputeBounds()
{
    minY = minPositiveY = std::numeric_limits<double>::infinity();
    maxY = -minY;
    for (const QPointF& p : points)
        include(p.y());
}

namespace {
constexpr std::size_t kMaxBuckets = 4096;
} // namespace

void CurvesChart::Curve::summarise(const QPointF& point)
{
    if (buckets.empty() || buckets.back().count == bucketSize) {
        buckets.push_back({point, point, 1});
    } else {
        Bucket& last = buckets.back();
        if (point.y() < last.low.y())
            last.low = point;
        if (point.y() > last.high.y())
            last.high = point;
        ++last.count;
    }
    if (buckets.size() <= kMaxBuckets)
        return;
    // Full: pairs of buckets become one, twice as wide.
    std::vector<Bucket> merged;
    merged.reserve(buckets.size() / 2 + 1);
    for (std::size_t i = 0; i < buckets.size(); i += 2) {
        Bucket bucket = buckets[i];
        if (i + 1 < buckets.size()) {
            const Bucket& next = buckets[i + 1];
            if (next.low.y() < bucket.low.y())
                bucket.low = next.low;
            if (next.high.y() > bucket.high.y())
                bucket.high = next.high;
            bucket.count += next.count;
        }
        merged.push_back(bucket);
    }
    buckets = std::move(merged);
    bucketSize *= 2;
}

void CurvesChart::Curve::rebuildSummary()
{
    buckets.clear();
    bucketSize = 1;
    for (const QPointF& point : points)
        summarise(point);
}

std::vector<QPointF> CurvesChart::Curve::outline() const
{
    if (bucketSize == 1)
        return points;
    std::vector<QPointF> outline;
    outline.reserve(buckets.size() * 2 + 2);
    outline.push_back(points.front());
    for (const Bucket& bucket : buckets) {
        const bool lowFirst = bucket.low.x() <= bucket.high.x();
        outline.push_back(lowFirst ? bucket.low : bucket.high);
        if (bucket.low != bucket.high)
            outline.push_back(lowFirst ? bucket.high : bucket.low);
    }
    outline.push_back(points.back());
    // The first and last points may repeat a bucket's extreme: keep x strictly increasing.
    outline.erase(
        std::unique(outline.begin(), outline.end(), [](const QPointF& a, const QPointF& b) { return a.x() == b.x(); }),
        outline.end());
    return outline;
}

void CurvesChart::addPoint(int trial, const QString& metric, double step, double value)
{
    Curve& curve = m_data[trial][metric];
    auto& points = curve.points;
    if (points.empty()) {
        curve.name = MetricName::parse(metric);
        const MetricName& name = curve.name;
        m_folds = std::max(m_folds, name.fold);
        if (!m_quantities.contains(name.quantity)) {
            m_quantities.append(name.quantity);
            // The first quantity seen is shown, or the loss as soon as there is one, until the user chooses.
            if (m_quantity.isEmpty() || (!m_quantityChosen && name.quantity == QLatin1String("loss"))) {
                m_quantity = name.quantity;
                m_rebuild = true;
            }
            Q_EMIT quantitiesChanged();
        }
    }
    if (points.empty() || step > points.back().x()) {
        points.emplace_back(step, value);
        curve.include(value);
        curve.summarise(points.back());
    } else {
        // Out of order or seen before (a reload racing live updates): sorted by step, one point per step.
        const auto at = std::lower_bound(points.begin(), points.end(), step,
                                         [](const QPointF& p, double s) { return p.x() < s; });
        if (at != points.end() && at->x() == step)
            at->setY(value);
        else
            points.insert(at, QPointF(step, value));
        curve.recomputeBounds();
        curve.rebuildSummary();
    }
    if (!curve.dirty && shown(curve.name)) {
        curve.dirty = true;
        m_dirty.insert({trial, metric});
    }
}

void CurvesChart::clearTrial(int trial)
{
    for (auto it = m_series.begin(); it != m_series.end();) {
        if (it->first.first == trial) {
            chart()->removeSeries(it->second);
            delete it->second;
            it = m_series.erase(it);
        } else
            ++it;
    }
    m_data.erase(trial);
    std::erase_if(m_dirty, [trial](const Key& key) { return key.first == trial; });
}

QStringList CurvesChart::quantities() const
{
    return m_quantities;
}

bool CurvesChart::shown(const MetricName& name) const
{
    if (name.quantity != m_quantity)
        return false;
    if (name.fold != 0 && name.fold != m_fold)
        return false;
    if (name.role == MetricName::Role::Train)
        return m_showTrain;
    if (name.role == MetricName::Role::Validation)
        return m_showValidation;
    return true;
}

void CurvesChart::setQuantity(const QString& quantity)
{
    m_quantityChosen = true;
    if (quantity == m_quantity)
        return;
    m_quantity = quantity;
    m_rebuild = true;
    refresh();
}

void CurvesChart::setFold(int fold)
{
    if (fold == m_fold)
        return;
    m_fold = fold;
    m_rebuild = true;
    refresh();
}

void CurvesChart::setShowTrain(bool show)
{
    m_showTrain = show;
    m_rebuild = true;
    refresh();
}

void CurvesChart::setShowValidation(bool show)
{
    m_showValidation = show;
    m_rebuild = true;
    refresh();
}

void CurvesChart::setLogScale(bool logScale)
{
    if (logScale == m_logScale)
        return;
    m_logScale = logScale;
    swapValueAxis();
    m_rebuild = true;
    refresh();
}

void CurvesChart::setHighlightedTrial(std::optional<int> trial)
{
    if (trial == m_highlighted)
        return;
    m_highlighted = trial;
    for (auto& [key, series] : m_series)
        styleSeries(key, series);
    updateLegend(); // it names the highlighted trial
}

void CurvesChart::setBestTrial(std::optional<int> trial)
{
    if (trial == m_best)
        return;
    m_best = trial;
    for (auto& [key, series] : m_series)
        styleSeries(key, series);
    updateLegend();
}

std::size_t CurvesChart::displayBudget() const
{
    // A point every two pixels of plot width: as much as a line can show, and Qt Charts strokes every point.
    return static_cast<std::size_t>(std::max(200.0, chart()->plotArea().width() / 2.0));
}

void CurvesChart::swapValueAxis()
{
    QChart* c = chart();
    QAbstractAxis* old = m_axisY;
    QAbstractAxis* axis = nullptr;
    if (m_logScale) {
        auto* log = new QLogValueAxis;
        log->setBase(10);
        log->setLabelFormat(QStringLiteral("%.3g"));
        log->setMinorTickCount(-1);
        axis = log;
    } else {
        auto* linear = new QValueAxis;
        linear->setLabelFormat(QStringLiteral("%.3g"));
        axis = linear;
    }
    axis->setTitleText(old->titleText());
    c->addAxis(axis, Qt::AlignLeft);
    for (QAbstractSeries* series : c->series()) {
        series->detachAxis(old);
        series->attachAxis(axis);
    }
    c->removeAxis(old);
    delete old;
    m_axisY = axis;
    applyPaletteTheme(c, palette());
}

void CurvesChart::rebuildAll()
{
    for (auto it = m_series.begin(); it != m_series.end();) {
        if (!shown(m_data.at(it->first.first).at(it->first.second).name)) {
            chart()->removeSeries(it->second);
            delete it->second;
            it = m_series.erase(it);
        } else
            ++it;
    }
    for (auto& [trial, metrics] : m_data) {
        for (auto& [metric, curve] : metrics) {
            if (shown(curve.name)) {
                curve.dirty = true;
                m_dirty.insert({trial, metric});
            }
        }
    }
}

void CurvesChart::styleSeries(const Key& key, QLineSeries* series) const
{
    const MetricName name = MetricName::parse(key.second);
    QColor colour = trialColour(key.first);
    const bool highlighted = m_highlighted && *m_highlighted == key.first;
    const bool best = m_best && *m_best == key.first;
    if (m_highlighted && !highlighted)
        colour.setAlpha(90);
    QPen pen(colour, highlighted ? 3.0 : (best ? 2.0 : 1.0));
    pen.setStyle(name.role == MetricName::Role::Train ? Qt::DashLine : Qt::SolidLine);
    pen.setCosmetic(true);
    series->setPen(pen);
    series->setName(trialLabel(key.first) + (best ? tr(" (best)") : QString()));
}

QString CurvesChart::trialLabel(int trial) const
{
    const auto label = m_labels.find(trial);
    return label != m_labels.end() ? label->second : tr("trial %1").arg(trial);
}

void CurvesChart::setTrialLabel(int trial, const QString& label)
{
    m_labels[trial] = label;
    if (m_data.count(trial) > 0)
        m_rebuild = true; // restyle its series at the next refresh
}

void CurvesChart::updateSeries(const Key& key)
{
    const auto trial = m_data.find(key.first);
    if (trial == m_data.end())
        return;
    const auto metric = trial->second.find(key.second);
    if (metric == trial->second.end())
        return;
    metric->second.dirty = false;
    std::vector<QPointF> points = decimateLttb(metric->second.outline(), displayBudget());
    if (m_logScale)
        std::erase_if(points, [](const QPointF& p) { return !(p.y() > 0.0); });
    std::erase_if(points, [](const QPointF& p) { return !std::isfinite(p.y()); });
    QLineSeries*& series = m_series[key];
    if (!series) {
        series = new QLineSeries;
        chart()->addSeries(series);
        series->attachAxis(m_axisX);
        series->attachAxis(m_axisY);
        styleSeries(key, series);
        for (QLegendMarker* marker : chart()->legend()->markers(series))
            marker->setVisible(legendShows(key));
        const int number = key.first;
        connect(series, &QLineSeries::clicked, this, [this, number] { Q_EMIT trialClicked(number); });
        connect(series, &QLineSeries::hovered, this, [this, key](const QPointF& at, bool state) {
            if (!state) {
                QToolTip::hideText();
                return;
            }
            const auto data = m_data.find(key.first);
            if (data == m_data.end() || !data->second.count(key.second))
                return;
            if (const auto point = nearest(data->second.at(key.second).points, at.x()))
                QToolTip::showText(QCursor::pos(),
                                   tr("%1 · %2\nstep %3: %4")
                                       .arg(trialLabel(key.first), key.second)
                                       .arg(point->x())
                                       .arg(point->y(), 0, 'g', 6));
        });
    }
    series->replace(QList<QPointF>(points.begin(), points.end()));
    // A one-step quantity (a tree's size, say) is a dot, not an invisible line.
    series->setPointsVisible(points.size() == 1);
}

void CurvesChart::updateAxes()
{
    double minX = std::numeric_limits<double>::infinity();
    double maxX = -minX;
    double minY = minX;
    double maxY = -minX;
    for (const auto& [key, series] : m_series) {
        const Curve& curve = m_data.at(key.first).at(key.second);
        if (curve.points.empty())
            continue;
        minX = std::min(minX, curve.points.front().x());
        maxX = std::max(maxX, curve.points.back().x());
        minY = std::min(minY, m_logScale ? curve.minPositiveY : curve.minY);
        maxY = std::max(maxY, curve.maxY);
    }
    if (!std::isfinite(minX)) {
        minX = 0;
        maxX = 1;
        minY = m_logScale ? 0.1 : 0.0;
        maxY = 1;
    }
    if (maxX <= minX) { // one step: centred, not on the frame
        minX -= 1;
        maxX += 1;
    }
    if (maxY <= minY) {
        const double pad = std::max(std::abs(maxY) * 0.05, 1e-9);
        minY -= pad;
        maxY += pad;
        if (m_logScale && minY <= 0)
            minY = maxY / 10;
    } else if (!m_logScale) {
        const double pad = (maxY - minY) * 0.04;
        // Losses and rates never go below zero: neither does their axis.
        minY = minY >= 0.0 ? std::max(0.0, minY - pad) : minY - pad;
        maxY += pad;
    }
    // Every range change redraws every series: set it only when the rounded range really moves.
    setNiceRange(m_axisX, minX, maxX);
    if (m_logScale)
        setRangeIfChanged(m_axisY, minY, maxY);
    else
        setNiceRange(m_axisY, minY, maxY);
    m_axisY->setTitleText(m_quantity.isEmpty() ? tr("Value") : m_quantity);
    chart()->setTitle(
        m_quantity.isEmpty()
            ? tr("Learning curves")
            : tr("Learning curves: %1%2")
                  .arg(m_quantity, m_folds > 1 ? tr(" (fold %1 of %2)").arg(m_fold).arg(m_folds) : QString()));
}

bool CurvesChart::legendShows(const Key& key) const
{
    // The legend names the line styles, the best trial and the selected one: fifty entries help no one.
    const bool named = (m_best && key.first == *m_best) || (m_highlighted && key.first == *m_highlighted);
    const bool first = MetricName::parse(key.second).role != MetricName::Role::Train || !m_showValidation;
    return named && first;
}

void CurvesChart::updateLegend()
{
    for (const auto& [key, series] : m_series) {
        const bool visible = legendShows(key);
        for (QLegendMarker* marker : chart()->legend()->markers(series))
            marker->setVisible(visible);
    }
    m_trainKey->setVisible(m_showTrain);
    m_validationKey->setVisible(m_showValidation);
}

void CurvesChart::refresh()
{
    if (m_rebuild) {
        m_rebuild = false;
        rebuildAll();
        updateLegend();
    }
    if (m_dirty.empty())
        return;
    // A point added before its series was shown (the quantity changed meanwhile) is caught by the rebuild.
    for (const Key& key : std::exchange(m_dirty, {}))
        updateSeries(key);
    updateAxes();
}

QList<QLineSeries*> CurvesChart::seriesOfTrial(int trial) const
{
    QList<QLineSeries*> result;
    for (const auto& [key, series] : m_series) {
        if (key.first == trial)
            result.append(series);
    }
    return result;
}

std::size_t CurvesChart::pointCount(int trial, const QString& metric) const
{
    const auto data = m_data.find(trial);
    if (data == m_data.end())
        return 0;
    const auto points = data->second.find(metric);
    return points == data->second.end() ? 0 : points->second.points.size();
}

void CurvesChart::resizeEvent(QResizeEvent* event)
{
    QChartView::resizeEvent(event);
    // The display budget follows the width.
    m_rebuild = true;
    refresh();
}

void CurvesChart::changeEvent(QEvent* event)
{
    QChartView::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyPaletteTheme(chart(), palette());
}

void resetChart(QChart* chart, const QString& title)
{
    chart->removeAllSeries();
    for (QAbstractAxis* axis : chart->axes()) {
        chart->removeAxis(axis);
        delete axis;
    }
    chart->setTitle(title);
}

QValueAxis* addValueAxis(QChart* chart, const QString& title, Qt::Alignment alignment)
{
    auto* axis = new QValueAxis;
    axis->setLabelFormat(QStringLiteral("%.4g"));
    axis->setTitleText(title);
    chart->addAxis(axis, alignment);
    return axis;
}

QColor beginPaintedChart(QPainter& painter, const QWidget& widget)
{
    painter.fillRect(widget.rect(), widget.palette().base());
    const QColor text = widget.palette().color(QPalette::Text);
    QFont bold = widget.font();
    bold.setBold(true);
    painter.setFont(bold);
    painter.setPen(text);
    return text;
}

QScatterSeries* exampleSeries(const QString& name)
{
    auto* points = new QScatterSeries;
    points->setName(name);
    points->setMarkerSize(6);
    return points;
}

void setProbabilityRange(QValueAxis* axis, double top)
{
    axis->setRange(0.0, top);
    axis->setTickType(QValueAxis::TicksDynamic);
    axis->setTickAnchor(0.0);
    axis->setTickInterval(0.2);
    axis->setLabelFormat(QStringLiteral("%.1f"));
}

ThemedChartView::ThemedChartView(QWidget* parent)
    : QChartView(new QChart, parent)
{
    setAcceptDrops(false); // a file dropped on a chart goes to the window, which imports it
    setRenderHint(QPainter::Antialiasing);
    chart()->setMargins(QMargins(4, 4, 4, 4));
    applyPaletteTheme(chart(), palette());
}

void ThemedChartView::changeEvent(QEvent* event)
{
    QChartView::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyPaletteTheme(chart(), palette());
}

BestSoFarChart::BestSoFarChart(QWidget* parent)
    : QChartView(new QChart, parent)
    , m_best(new QLineSeries)
    , m_trials(new QScatterSeries)
{
    setAcceptDrops(false); // a file dropped on a chart goes to the window, which imports it
    setRenderHint(QPainter::Antialiasing);
    QChart* c = chart();
    c->setTitle(tr("Best objective so far"));
    c->setMargins(QMargins(4, 4, 4, 4));
    c->legend()->setAlignment(Qt::AlignBottom);
    m_trials->setName(tr("trial"));
    m_trials->setMarkerSize(7);
    m_best->setName(tr("best so far"));
    c->addSeries(m_trials);
    c->addSeries(m_best);
    auto* x = new QValueAxis;
    x->setTitleText(tr("Trial"));
    x->setLabelFormat(QStringLiteral("%d"));
    auto* y = new QValueAxis;
    y->setLabelFormat(QStringLiteral("%.4g"));
    c->addAxis(x, Qt::AlignBottom);
    c->addAxis(y, Qt::AlignLeft);
    for (QXYSeries* series : {static_cast<QXYSeries*>(m_trials), static_cast<QXYSeries*>(m_best)}) {
        series->attachAxis(x);
        series->attachAxis(y);
    }
    applyPaletteTheme(c, palette());
    m_best->setPen(QPen(QColor(0x59a14f), 2.5));
    m_trials->setColor(QColor(0x4e79a7));
    m_trials->setBorderColor(Qt::transparent);
    connect(m_trials, &QScatterSeries::clicked, this,
            [this](const QPointF& point) { Q_EMIT trialClicked(static_cast<int>(std::lround(point.x()))); });
    connect(m_trials, &QScatterSeries::hovered, this, [this](const QPointF& point, bool state) {
        if (state)
            QToolTip::showText(QCursor::pos(),
                               tr("Trial %1: %2").arg(std::lround(point.x())).arg(point.y(), 0, 'g', 6));
        else
            QToolTip::hideText();
    });
}

void BestSoFarChart::setObjective(const QString& metric, bool maximize)
{
    m_metric = metric;
    m_maximize = maximize;
    // The direction in the title: beside the metric, on a vertical axis as short as this chart's, it is cut.
    chart()->setTitle(maximize ? tr("Best so far (higher is better)") : tr("Best so far (lower is better)"));
    chart()->axes(Qt::Vertical).constFirst()->setTitleText(metric);
}

void BestSoFarChart::setValues(std::vector<std::pair<int, double>> values)
{
    std::sort(values.begin(), values.end());
    QList<QPointF> trials;
    QList<QPointF> best;
    double minY = std::numeric_limits<double>::infinity();
    double maxY = -minY;
    std::optional<double> bestValue;
    for (const auto& [number, value] : values) {
        if (!std::isfinite(value))
            continue;
        trials.append(QPointF(number, value));
        minY = std::min(minY, value);
        maxY = std::max(maxY, value);
        if (!bestValue || (m_maximize ? value > *bestValue : value < *bestValue)) {
            if (bestValue)
                best.append(QPointF(number, *bestValue)); // a step, not a slope
            bestValue = value;
        }
        best.append(QPointF(number, *bestValue));
    }
    m_trials->replace(trials);
    m_best->replace(best);
    const int last = values.empty() ? 1 : values.back().first;
    auto* x = static_cast<QValueAxis*>(chart()->axes(Qt::Horizontal).constFirst());
    x->setRange(0, std::max(last, 2) + 0.5);
    // Whole trial numbers on round ticks: 1, 2, 5, 10, 20, 50 ... apart.
    int step = 1;
    for (const int candidate : {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000}) {
        step = candidate;
        if (last / candidate <= 8)
            break;
    }
    x->setTickType(QValueAxis::TicksDynamic);
    x->setTickAnchor(0);
    x->setTickInterval(step);
    if (!std::isfinite(minY)) {
        minY = 0;
        maxY = 1;
    }
    const double pad = std::max((maxY - minY) * 0.06, std::abs(maxY) * 1e-3 + 1e-12);
    auto* y = static_cast<QValueAxis*>(chart()->axes(Qt::Vertical).constFirst());
    y->setRange(minY - pad, maxY + pad);
    y->applyNiceNumbers();
}

void BestSoFarChart::changeEvent(QEvent* event)
{
    QChartView::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        applyPaletteTheme(chart(), palette());
        m_best->setPen(QPen(QColor(0x59a14f), 2.5));
        m_trials->setColor(QColor(0x4e79a7));
    }
}

QColor viridis(double t)
{
    static const QColor stops[]
        = {QColor(68, 1, 84), QColor(59, 82, 139), QColor(33, 145, 140), QColor(94, 201, 98), QColor(253, 231, 37)};
    t = std::clamp(std::isfinite(t) ? t : 0.0, 0.0, 1.0) * 4.0;
    const int i = std::min(3, static_cast<int>(t));
    const double f = t - i;
    auto mix = [f](int a, int b) { return static_cast<int>(std::lround(a + (b - a) * f)); };
    return {mix(stops[i].red(), stops[i + 1].red()), mix(stops[i].green(), stops[i + 1].green()),
            mix(stops[i].blue(), stops[i + 1].blue())};
}

void connectTrialMarkers(QScatterSeries* markers, QObject* context, std::function<int(const QPointF&)> trialAt,
                         std::function<void(int)> clicked, std::function<QString(int, const QPointF&)> tooltip)
{
    QObject::connect(markers, &QScatterSeries::clicked, context,
                     [trialAt, clicked](const QPointF& point) { clicked(trialAt(point)); });
    QObject::connect(markers, &QScatterSeries::hovered, context, [trialAt, tooltip](const QPointF& point, bool state) {
        if (state)
            QToolTip::showText(QCursor::pos(), tooltip(trialAt(point), point));
        else
            QToolTip::hideText();
    });
}

} // namespace tunebench::ui

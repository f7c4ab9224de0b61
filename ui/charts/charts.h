#pragma once

#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include <QChartView>
#include <QPointF>
#include <QStringList>

class QAbstractAxis;
class QPainter;
class QLineSeries;
class QScatterSeries;
class QValueAxis;

namespace tunebench::ui {

/// Picks a chart theme that matches the widget's palette (light or dark).
void applyPaletteTheme(QChart* chart, const QPalette& palette);

/// The viridis colour map at `t` in [0, 1] (clamped; NaN as 0): perceptually uniform, readable in both
/// palettes and by colour-blind readers. Heat maps, contours and parallel coordinates share it.
[[nodiscard]] QColor viridis(double t);

/// What a metric's name says: "fold2/validation_loss" is fold 2, validation, quantity "loss".
struct MetricName
{
    int fold = 0; ///< 0: not per fold (an external command's metric)
    enum class Role
    {
        Train,
        Validation,
        Other,
    } role = Role::Other;
    QString quantity;

    [[nodiscard]] static MetricName parse(const QString& name);
};

/// Curves of many trials overlaid: one quantity (loss, rmse, ...) of one fold, train dashed and validation
/// solid, one colour per trial. Keeps every point; draws each series decimated to about the plot's width
/// (largest triangle three buckets), so 50 trials of 10,000 points each redraw quickly. Hovering shows the
/// nearest point; clicking a curve selects its trial.
class CurvesChart : public QChartView
{
    Q_OBJECT

public:
    explicit CurvesChart(QWidget* parent = nullptr);

    void clear();
    void addPoint(int trial, const QString& metric, double step, double value);
    void clearTrial(int trial);

    /// Quantities seen so far ("loss", "accuracy", ...), and the one shown.
    [[nodiscard]] QStringList quantities() const;
    [[nodiscard]] QString quantity() const { return m_quantity; }
    void setQuantity(const QString& quantity);
    [[nodiscard]] int foldCount() const { return m_folds; }
    void setFold(int fold);
    void setShowTrain(bool show);
    void setShowValidation(bool show);
    void setLogScale(bool logScale);
    /// What a step is, for the horizontal axis ("epochs": "Step (epochs)"); empty: "Step".
    void setStepName(const QString& name);
    [[nodiscard]] bool logScale() const { return m_logScale; }
    void setHighlightedTrial(std::optional<int> trial);
    void setBestTrial(std::optional<int> trial);
    /// What the legend and tooltips call a trial (default "trial N"): curves of several experiments need
    /// the experiment's name too.
    void setTrialLabel(int trial, const QString& label);

    /// Redraws what changed since the last call. Cheap when nothing did.
    void refresh();

    /// The series drawn for a trial (for tests and exports).
    [[nodiscard]] QList<QLineSeries*> seriesOfTrial(int trial) const;
    [[nodiscard]] std::size_t pointCount(int trial, const QString& metric) const;
    [[nodiscard]] int drawnSeriesCount() const { return static_cast<int>(m_series.size()); }
    /// Points per series on screen at most.
    [[nodiscard]] std::size_t displayBudget() const;

Q_SIGNALS:
    void trialClicked(int trial);
    void quantitiesChanged();

protected:
    void resizeEvent(QResizeEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    using Key = std::pair<int, QString>; ///< (trial, metric)
    /// One metric of one trial: every point, sorted by step, its name parsed once and its value range.
    struct Curve
    {
        std::vector<QPointF> points;
        MetricName name;
        double minY = std::numeric_limits<double>::infinity();
        double maxY = -std::numeric_limits<double>::infinity();
        double minPositiveY = std::numeric_limits<double>::infinity(); ///< for the log scale
        bool dirty = false; ///< in m_dirty: drawn again at the next refresh
        /// Long curves are also kept summarised, incrementally: the lowest and highest point of each bucket
        /// of `bucketSize` consecutive points, the buckets doubling in size as they fill. Decimation then
        /// reads a few thousand points instead of millions.
        struct Bucket
        {
            QPointF low;
            QPointF high;
            std::size_t count = 0;
        };
        std::vector<Bucket> buckets;
        std::size_t bucketSize = 1;
        void include(double y);
        void recomputeBounds();
        void summarise(const QPointF& point);
        void rebuildSummary();
        /// The points decimation reads: every point of a short curve, the bucket extremes of a long one.
        [[nodiscard]] std::vector<QPointF> outline() const;
    };
    [[nodiscard]] bool shown(const MetricName& name) const;
    void rebuildAll();
    void updateSeries(const Key& key);
    void styleSeries(const Key& key, QLineSeries* series) const;
    void updateAxes();
    void updateLegend();
    [[nodiscard]] bool legendShows(const Key& key) const;
    void swapValueAxis();
    [[nodiscard]] QString trialLabel(int trial) const;

    std::map<int, std::map<QString, Curve>> m_data;
    std::map<int, QString> m_labels;
    std::map<Key, QLineSeries*> m_series;
    std::set<Key> m_dirty;
    QStringList m_quantities;
    QString m_quantity;
    bool m_quantityChosen = false;
    int m_fold = 1;
    int m_folds = 0;
    bool m_showTrain = true;
    bool m_showValidation = true;
    bool m_logScale = false;
    bool m_rebuild = false;
    std::optional<int> m_highlighted;
    std::optional<int> m_best;
    QAbstractAxis* m_axisX = nullptr;
    QAbstractAxis* m_axisY = nullptr;
    QLineSeries* m_trainKey = nullptr;
    QLineSeries* m_validationKey = nullptr;
};

/// Empties a chart (series and axes) and gives it a new title, for charts rebuilt from scratch.
void resetChart(QChart* chart, const QString& title);
/// A value axis titled `title`, with labels to four significant digits, added to `chart` at `alignment`.
QValueAxis* addValueAxis(QChart* chart, const QString& title, Qt::Alignment alignment);
/// Widens [min, max] to round numbers (steps of 1, 2, 2.5 or 5 times a power of ten) with about five ticks
/// on them; other axis kinds get [min, max] as it is.
void setNiceRange(QAbstractAxis* axis, double min, double max);
/// Shows [0, `top`] on a probability or rate axis with ticks at 0, 0.2, ..., 1 whatever the headroom above 1
/// (a curve along 1 stays visible without the labels becoming 0.255, 0.51, ...).
void setProbabilityRange(QValueAxis* axis, double top = 1.0);

/// A widget that paints its own chart starts here: the palette's base colour behind, its text colour and a bold
/// font for the title. Returns the text colour.
QColor beginPaintedChart(QPainter& painter, const QWidget& widget);
/// A scatter series of examples (6 px markers), for predicted-against-actual plots.
QScatterSeries* exampleSeries(const QString& name);

/// Markers that stand for trials: a click reports the trial drawn at the point, hovering shows `tooltip` of it.
void connectTrialMarkers(QScatterSeries* markers, QObject* context, std::function<int(const QPointF&)> trialAt,
                         std::function<void(int)> clicked, std::function<QString(int, const QPointF&)> tooltip);

/// A chart view that follows the palette (light or dark) as the workbench's other charts do.
class ThemedChartView : public QChartView
{
    Q_OBJECT

public:
    explicit ThemedChartView(QWidget* parent = nullptr);

protected:
    void changeEvent(QEvent* event) override;
};

/// The optimisation history: every finished trial's objective, and the best so far as a step line.
class BestSoFarChart : public QChartView
{
    Q_OBJECT

public:
    explicit BestSoFarChart(QWidget* parent = nullptr);
    void setObjective(const QString& metric, bool maximize);
    /// (trial number, objective) of the finished trials, in any order.
    void setValues(std::vector<std::pair<int, double>> values);
    [[nodiscard]] QLineSeries* bestSeries() const { return m_best; }
    [[nodiscard]] QScatterSeries* trialsSeries() const { return m_trials; }

Q_SIGNALS:
    void trialClicked(int trial);

protected:
    void changeEvent(QEvent* event) override;

private:
    QLineSeries* m_best;
    QScatterSeries* m_trials;
    QString m_metric;
    bool m_maximize = true;
};

} // namespace tunebench::ui

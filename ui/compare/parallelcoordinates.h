#pragma once

#include <optional>
#include <utility>
#include <vector>

#include <QStringList>

class QPainter;
#include <QWidget>

namespace tunebench::ui {

/// Parallel coordinates of trials: one vertical axis per parameter and the objective last, one line per
/// trial coloured by its objective. Dragging along an axis brushes a range; the trials whose lines pass
/// through every brush stay selected (the others fade) and the view says so. A click on an axis clears
/// its brush. Inactive (conditional) values break the line.
class ParallelCoordinatesPlot : public QWidget
{
    Q_OBJECT

public:
    struct Axis
    {
        QString name;
        bool logScale = false; ///< positive values on a log10 axis
        QStringList levels; ///< categorical: values are level indices
    };

    explicit ParallelCoordinatesPlot(QWidget* parent = nullptr);

    /// `values`: one row per trial, one value per axis (NaN: inactive); the colour follows `colourAxis`
    /// (the last axis by default), best at the bright end when `higherIsBetter` says which end that is.
    void setData(std::vector<Axis> axes, std::vector<std::vector<double>> values, bool higherIsBetter = true);
    [[nodiscard]] const std::vector<Axis>& axes() const { return m_axes; }
    [[nodiscard]] int rowCount() const { return static_cast<int>(m_values.size()); }

    /// Brushes values in [low, high] (axis units; level indices for a categorical axis).
    void setBrush(int axis, double low, double high);
    void clearBrush(int axis);
    void clearBrushes();
    [[nodiscard]] std::optional<std::pair<double, double>> brush(int axis) const;
    /// Whether a row passes every brush (all rows when nothing is brushed).
    [[nodiscard]] bool isSelected(int row) const;
    [[nodiscard]] std::vector<int> selectedRows() const;
    void setHighlightedRow(std::optional<int> row);

    /// Where an axis is drawn and the y of a value on it (for tests driving the mouse, and hit testing).
    [[nodiscard]] double axisX(int axis) const;
    [[nodiscard]] double valueY(int axis, double value) const;

    QSize sizeHint() const override { return {720, 360}; }
    QSize minimumSizeHint() const override { return {320, 220}; }

Q_SIGNALS:
    void selectionChanged();

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;

private:
    struct Range
    {
        double low = 0.0; ///< in transformed units (log10 for a log axis)
        double high = 1.0;
    };
    [[nodiscard]] double transformed(int axis, double value) const;
    /// 0 at the bottom of an axis, 1 at the top; NaN for an inactive value.
    [[nodiscard]] double position(int axis, double value) const;
    [[nodiscard]] double untransformed(int axis, double position) const;
    [[nodiscard]] QRectF plotArea() const;
    [[nodiscard]] int axisAt(double x) const;
    [[nodiscard]] QString tickLabel(int axis, double position) const;
    void updateSelection();
    void paintColourBar(QPainter& painter, const QRectF& area) const;

    std::vector<Axis> m_axes;
    std::vector<std::vector<double>> m_values;
    std::vector<Range> m_ranges;
    std::vector<std::optional<std::pair<double, double>>> m_brushes; ///< positions, low < high
    std::vector<char> m_selected;
    int m_colourAxis = -1;
    bool m_higherIsBetter = true;
    std::optional<int> m_highlighted;
    int m_dragAxis = -1;
    double m_dragStart = 0.0;
    bool m_dragged = false;
};

} // namespace tunebench::ui

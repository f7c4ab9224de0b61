#pragma once

#include <vector>

#include <QPointF>
#include <QStringList>
#include <QWidget>

namespace tunebench::ui {

/// A surface over two parameters as a heatmap (the objective's surrogate, other parameters averaged),
/// with the trials as points on it, tick labels in the parameters' own values and a colour bar.
class SurfacePlot : public QWidget
{
    Q_OBJECT

public:
    struct Axis
    {
        QString name;
        std::vector<std::pair<double, QString>> ticks; ///< unit position and label
    };

    explicit SurfacePlot(QWidget* parent = nullptr);
    /// `values[a * resolution + b]`: cell a along x, b along y; `trials`: unit coordinates.
    void setData(Axis x, Axis y, int resolution, std::vector<double> values, std::vector<QPointF> trials,
                 QString metric, bool higherIsBetter);
    void setMessage(const QString& message);
    [[nodiscard]] int resolution() const { return m_resolution; }
    [[nodiscard]] const std::vector<double>& values() const { return m_values; }
    [[nodiscard]] int trialCount() const { return static_cast<int>(m_trials.size()); }

    QSize sizeHint() const override { return {640, 480}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    Axis m_x;
    Axis m_y;
    int m_resolution = 0;
    std::vector<double> m_values;
    std::vector<QPointF> m_trials;
    QString m_metric;
    bool m_higherIsBetter = true;
    QString m_message;
};

} // namespace tunebench::ui

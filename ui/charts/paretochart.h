#pragma once

#include <vector>

#include "charts/charts.h"
#include "jobs/trial.h"
#include "tuning/experimentspec.h"

class QComboBox;
class QLineSeries;
class QScatterSeries;

namespace tunebench::ui {

/// Several objectives: the finished trials as a scatter of two objectives (each in its metric's own orientation), the
/// Pareto front — the feasible finished trials no other dominates in every objective — drawn as a staircase with its
/// points, dominated trials faded, and trials that break a constraint marked apart. With three objectives or more a
/// pair picker chooses the axes (the front stays the front in all of them). Choosing a point opens its trial.
class ParetoChart : public ThemedChartView
{
    Q_OBJECT

public:
    explicit ParetoChart(QWidget* parent = nullptr);
    /// The objectives and constraints the trials are measured by.
    void setSpec(const tuning::ExperimentSpec& spec);
    /// The objectives shown on the horizontal and vertical axes (indices into the spec's objectives).
    void setAxes(int x, int y);
    /// Redraws from the trials (finished ones are placed; the rest are left out).
    void setTrials(const std::vector<jobs::Trial>& trials);

    [[nodiscard]] int objectiveCount() const { return static_cast<int>(m_objectives.size()); }
    /// The trials on the front, in trial order.
    [[nodiscard]] const std::vector<int>& frontTrials() const { return m_front; }
    [[nodiscard]] QScatterSeries* frontSeries() const { return m_frontPoints; }
    [[nodiscard]] QScatterSeries* dominatedSeries() const { return m_dominated; }
    [[nodiscard]] QScatterSeries* infeasibleSeries() const { return m_infeasible; }
    [[nodiscard]] QLineSeries* frontLine() const { return m_frontLine; }
    /// The trial drawn at `point` (the nearest; among `markers`' trials when given), or 0.
    [[nodiscard]] int trialAt(const QPointF& point, const QScatterSeries* markers = nullptr) const;

Q_SIGNALS:
    void trialClicked(int trial);

protected:
    void changeEvent(QEvent* event) override;

private:
    void applyTheme();
    void redraw();

    struct Placed
    {
        int trial = 0;
        std::vector<double> values; ///< each objective in its metric's orientation
        bool feasible = true;
        bool front = false;
    };
    std::vector<tuning::Objective> m_objectives;
    tuning::ExperimentSpec m_spec;
    std::vector<Placed> m_placed;
    std::vector<int> m_front;
    int m_x = 0;
    int m_y = 1;
    QLineSeries* m_frontLine;
    QScatterSeries* m_frontPoints;
    QScatterSeries* m_dominated;
    QScatterSeries* m_infeasible;
};

/// The Pareto chart with its pair picker (shown for three objectives or more).
class ParetoPanel : public QWidget
{
    Q_OBJECT

public:
    explicit ParetoPanel(QWidget* parent = nullptr);
    void setSpec(const tuning::ExperimentSpec& spec);
    [[nodiscard]] ParetoChart* chart() const { return m_chart; }
    [[nodiscard]] QComboBox* xChooser() const { return m_x; }
    [[nodiscard]] QComboBox* yChooser() const { return m_y; }

private:
    ParetoChart* m_chart;
    QComboBox* m_x;
    QComboBox* m_y;
    QWidget* m_picker;
};

} // namespace tunebench::ui

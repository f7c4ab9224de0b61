#pragma once

#include <map>

#include "charts/charts.h"
#include "util/states.h"

class QScatterSeries;

namespace tunebench::ui {

/// Multi-fidelity (asha, bohb): each trial's objective at every budget it reached, as a line climbing through the
/// rungs (a logarithmic budget axis), its last point marked by where the trial stands: paused at a rung, running on
/// to the next, or done at the largest budget. The best trial's line is drawn bold; choosing a point opens its trial.
class RungsChart : public ThemedChartView
{
    Q_OBJECT

public:
    explicit RungsChart(QWidget* parent = nullptr);
    void setObjective(const QString& metric, bool maximize);
    /// The resource's name for the budget axis ("epochs"); empty: "budget".
    void setResource(const QString& resource);
    void clear();
    /// Trial `trial` starts again from nothing (restarted).
    void clearTrial(int trial) { m_points.erase(trial); }
    /// Trial `trial` reached `budget` with `value` (a point of its "budget/METRIC" series).
    void addPoint(int trial, double budget, double value);
    /// Each trial's state, for the markers; call refresh() after.
    void setStates(std::map<int, TrialState> states) { m_states = std::move(states); }
    /// Redraws from what it holds.
    void refresh();
    [[nodiscard]] bool isEmpty() const { return m_points.empty(); }
    /// The trials drawn as lines (they reached two budgets or more), and the markers of each kind.
    [[nodiscard]] int lineCount() const { return m_lineCount; }
    [[nodiscard]] QScatterSeries* pausedSeries() const { return m_paused; }
    [[nodiscard]] QScatterSeries* runningSeries() const { return m_running; }
    [[nodiscard]] QScatterSeries* doneSeries() const { return m_done; }

Q_SIGNALS:
    void trialClicked(int trial);

protected:
    void changeEvent(QEvent* event) override;

private:
    void applyTheme();
    /// The trial whose last point is `point`.
    [[nodiscard]] int trialAt(const QPointF& point) const;

    std::map<int, std::map<double, double>> m_points; ///< trial -> budget -> objective
    std::map<int, TrialState> m_states;
    QScatterSeries* m_paused;
    QScatterSeries* m_running;
    QScatterSeries* m_done;
    QString m_metric;
    QString m_resource;
    bool m_maximize = true;
    int m_lineCount = 0;
};

} // namespace tunebench::ui

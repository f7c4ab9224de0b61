#pragma once

#include <cmath>
#include <functional>
#include <map>
#include <optional>
#include <vector>

#include <QElapsedTimer>
#include <QTimer>
#include <QWidget>

#include "common/backgroundtask.h"
#include "jobs/analysis.h"
#include "report/exporting.h"
#include "store/projectstore.h"

class QSplitter;
class QCheckBox;
class QComboBox;
class QLabel;
class QStandardItemModel;
class QTabWidget;
class QTableView;

namespace tunebench::ui {

class CurvesChart;
class ParallelCoordinatesPlot;
class SurfacePlot;
class ThemedChartView;

/// A trial of a project; number 0 stands for every trial of the experiment.
struct TrialRef
{
    QString experiment;
    int number = 0;
};

/// What a comparison shows, read from the project on a pool thread.
struct Comparison
{
    struct Trial
    {
        QString experiment;
        int number = 0;
        QString algorithm;
        QString status;
        std::optional<double> objective;
        std::map<QString, QString> paramText; ///< as the user wrote them
        std::map<QString, double> paramValue; ///< numbers; level index for categorical ones
        std::map<QString, double> metrics; ///< final metrics (mean over folds)
        /// Several objectives: the objectives after the first (in the spec's order), and the trial's non-dominated
        /// rank among its experiment's feasible finished trials (0: on the front; NaN when not ranked).
        std::vector<double> moreObjectives;
        double paretoRank = std::nan("");
        std::vector<store::MetricPoint> points;
    };
    struct Parameter
    {
        QString name;
        bool logScale = false;
        QStringList levels; ///< categorical and boolean parameters
    };
    std::vector<Trial> trials;
    std::vector<Parameter> parameters; ///< the union of the experiments' search spaces, in their order
    QStringList metricNames;
    QStringList experiments;
    QString metric = QStringLiteral("objective");
    bool maximize = true;
    bool mixedObjectives = false; ///< the experiments optimise different metrics
    std::map<QString, std::vector<jobs::ParameterImportance>> importance; ///< per experiment (and objective)
    /// The importance sets in order: an experiment's name, or "name: metric" for each of its several objectives.
    QStringList importanceSets;
    /// The first experiment's objectives after the first, when it has several (parallel coordinates show each and
    /// colour the lines by Pareto rank).
    QStringList moreObjectives;
    std::map<QString, jobs::TrialPoints> points; ///< per experiment: finished trials in its search space
    QString error;

    [[nodiscard]] QString label(const Trial& trial) const;
};

/// Reads trials, their curves and their experiments' importance from a project (any thread).
[[nodiscard]] Comparison readComparison(const QString& projectPath, const std::vector<TrialRef>& selection);

/// Compares trials, of one experiment or several: overlaid learning curves; a table of parameters and
/// metrics with what differs highlighted; parallel coordinates with brushing, which filters the trials
/// table below it; the objective against any parameter; the optimisation history; and each experiment's
/// hyperparameter importance. Every chart saves as PNG or SVG and every table exports (context menus).
class CompareView : public QWidget
{
    Q_OBJECT

public:
    CompareView(QString projectPath, std::vector<TrialRef> selection, QWidget* parent = nullptr);

    [[nodiscard]] const Comparison& comparison() const { return m_data; }
    [[nodiscard]] bool isLoading() const { return m_loading; }
    [[nodiscard]] QTabWidget* tabs() const { return m_tabs; }
    [[nodiscard]] CurvesChart* curves() const { return m_curves; }
    [[nodiscard]] QTableView* differences() const { return m_differences; }
    [[nodiscard]] QCheckBox* onlyDifferences() const { return m_onlyDifferences; }
    [[nodiscard]] ParallelCoordinatesPlot* parallelCoordinates() const { return m_parallel; }
    [[nodiscard]] QTableView* brushedTable() const { return m_brushed; }
    [[nodiscard]] QComboBox* scatterParameter() const { return m_scatterParameter; }
    [[nodiscard]] ThemedChartView* scatter() const { return m_scatter; }
    [[nodiscard]] ThemedChartView* history() const { return m_history; }
    [[nodiscard]] QComboBox* contourX() const { return m_contourX; }
    [[nodiscard]] QComboBox* contourY() const { return m_contourY; }
    [[nodiscard]] SurfacePlot* contour() const { return m_contour; }
    /// Whether a contour is being computed in the background.
    [[nodiscard]] bool isContourPending() const { return m_contourTask.isBusy(); }
    [[nodiscard]] ThemedChartView* importance() const { return m_importance; }
    /// Rows of the differences table whose values differ between the trials.
    [[nodiscard]] QStringList differingRows() const;
    /// The project changed (a run here or in another process): the trials are read again in the background, at
    /// most every two seconds, and shown when they differ; the chosen scatter parameter, contour axes and
    /// parallel-coordinates brushes stay.
    void follow();

Q_SIGNALS:
    void loaded();
    void trialActivated(const QString& experiment, int number);

private:
    QSplitter* createParallelPane(const std::function<ReportTarget()>& reportTarget);
    void apply(Comparison data);
    /// `data` replaces what is shown only when its trials, states, objectives or curves differ.
    void applyFollowed(Comparison data);
    void fillCurves();
    void fillDifferences();
    void fillParallel();
    void fillScatter();
    void fillHistory();
    void fillImportance();
    void fillContourChoices();
    void fillContour();
    void applyBrush();

    QString m_projectPath;
    std::vector<TrialRef> m_selection;
    Comparison m_data;
    bool m_loading = true;
    QLabel* m_title;
    QLabel* m_summary;
    QTabWidget* m_tabs;
    CurvesChart* m_curves;
    QComboBox* m_quantity;
    QLabel* m_curvesNote;
    QTableView* m_differences;
    QStandardItemModel* m_differencesModel;
    QCheckBox* m_onlyDifferences;
    ParallelCoordinatesPlot* m_parallel;
    QTableView* m_brushed;
    QStandardItemModel* m_brushedModel;
    QComboBox* m_scatterParameter;
    ThemedChartView* m_scatter;
    ThemedChartView* m_history;
    ThemedChartView* m_importance;
    QLabel* m_importanceNote;
    QComboBox* m_contourX;
    QComboBox* m_contourY;
    SurfacePlot* m_contour;
    BackgroundTask m_loader{this};
    BackgroundTask m_contourTask{this};
    QElapsedTimer m_sinceLoad;
    QTimer* m_followLater; ///< a look put off: at most one every two seconds
};

} // namespace tunebench::ui

#pragma once

#include <memory>
#include <optional>
#include <vector>

#include <QPointer>
#include <QStringList>
#include <QWidget>

#include "common/backgroundtask.h"
#include "experiment/experimentrun.h"
#include "jobs/ownership.h"
#include "jobs/runfollower.h"
#include "jobs/tuner.h"
#include "store/projectstore.h"

class QSplitter;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableView;

namespace tunebench::ui {

class BestSoFarChart;
class RungsChart;
class ParetoPanel;
class CurvesChart;
class TrialsFilterModel;
class TrialsModel;

/// Asks the owner of a run another process runs (through a request row, written on a pool thread: a write may
/// wait for that process's transaction).
void askRunOwner(const QString& projectPath, std::int64_t experimentId, jobs::RunRequestKind kind,
                 std::optional<int> trial = std::nullopt);

/// The live view of one experiment: learning curves of every trial overlaid, the best objective so far, and
/// the trials table, all updated as the run commits. Loads what the project holds in the background; follows
/// an ExperimentRun when one is attached. Selecting a curve selects its trial and the reverse.
class ExperimentView : public QWidget
{
    Q_OBJECT

public:
    /// What the project holds about the experiment, read on a pool thread.
    struct Snapshot;

    ExperimentView(QString projectPath, QString experimentName, QWidget* parent = nullptr);

    [[nodiscard]] QString experimentName() const { return m_name; }
    /// Reads the experiment from the project again (in the background).
    void reload();
    /// Follows a run: its updates, progress and end. The view's Stop, Cancel and per-trial actions drive it.
    void attach(ExperimentRun* run);
    [[nodiscard]] ExperimentRun* run() const { return m_run; }
    /// Whether the project says the experiment was running although no run is attached and no live process
    /// owns it: it was interrupted.
    [[nodiscard]] bool isInterrupted() const;
    /// Reads what another process (or this one's other windows) committed to the experiment since the last look,
    /// in the background; the view follows such a run as it follows its own. Nothing while a run is attached.
    void follow();
    /// The live process that runs the experiment, when it is not this view's run.
    [[nodiscard]] const std::optional<store::RunOwner>& followedOwner() const { return m_owner; }
    /// Whether the view follows a run that another process owns.
    [[nodiscard]] bool isFollowing() const { return !m_run && m_owner.has_value(); }
    /// Stop (finish the trials in flight) or cancel the run: the attached one, or the followed one's owner is
    /// asked through the project.
    void stopRun();
    void cancelRun();

    void selectTrial(int number);
    [[nodiscard]] std::optional<int> selectedTrial() const;
    /// Every selected trial's number, in table order.
    [[nodiscard]] QList<int> selectedTrials() const;

    [[nodiscard]] TrialsModel* trialsModel() const { return m_model; }
    [[nodiscard]] TrialsFilterModel* filterModel() const { return m_filter; }
    [[nodiscard]] QTableView* table() const { return m_table; }
    [[nodiscard]] CurvesChart* curves() const { return m_curves; }
    [[nodiscard]] BestSoFarChart* bestChart() const { return m_bestChart; }
    [[nodiscard]] RungsChart* rungs() const { return m_rungs; }
    /// Several objectives: the Pareto front of the finished trials (hidden otherwise).
    [[nodiscard]] ParetoPanel* pareto() const { return m_pareto; }
    [[nodiscard]] QPushButton* stopButton() const { return m_stop; }
    [[nodiscard]] QPushButton* cancelButton() const { return m_cancel; }
    [[nodiscard]] QPushButton* resumeButton() const { return m_resume; }
    [[nodiscard]] QPushButton* compareButton() const { return m_compare; }
    [[nodiscard]] QLabel* warningsLabel() const { return m_warnings; }
    [[nodiscard]] QComboBox* quantityChooser() const { return m_quantity; }
    [[nodiscard]] QCheckBox* logScaleToggle() const { return m_logScale; }
    [[nodiscard]] bool isLoading() const { return m_loading; }

Q_SIGNALS:
    /// A trial was double-clicked (or "Open" chosen): show its details.
    void trialActivated(int number);
    void resumeRequested(const QString& experimentName);
    /// Compare these trials; empty: every trial of the experiment.
    void compareRequested(const QList<int>& numbers);
    /// A load from the project finished.
    void loaded();

protected:
    void showEvent(QShowEvent* event) override;

private:
    void applySnapshot(const Snapshot& snapshot);
    void applyUpdate(const jobs::TuningUpdate& update);
    /// (trial number, point) pairs onto the curves, in order.
    void addPoints(const std::vector<std::pair<int, store::MetricPoint>>& points);
    QSplitter* createChartsPane();
    QWidget* createTablePane();
    void applyProgress(const jobs::TuningProgress& progress);
    void runFinished(const jobs::TuningSummary& summary, const QString& error);
    void refreshCharts();
    void refreshBest();
    /// Several objectives: the Pareto panel instead of the best so far.
    void showObjectives(const tuning::ExperimentSpec& spec);
    void updateHeader();
    void addWarning(const QString& warning);
    void showTableMenu(const QPoint& position);
    void showColumnMenu(const QPoint& position);
    void applyFollowed(const jobs::FollowedRun& followed);
    /// Asks the followed run's owner, in the background.
    void askOwner(jobs::RunRequestKind kind, std::optional<int> trial = std::nullopt);

    QString m_projectPath;
    QString m_name;
    std::optional<store::ExperimentRecord> m_record;
    QPointer<ExperimentRun> m_run;
    bool m_loading = false;
    std::vector<jobs::TuningUpdate> m_waiting; ///< updates that came while loading
    BackgroundTask m_loader{this};
    std::shared_ptr<jobs::RunFollower> m_follower; ///< reads the project from where the last load left it
    BackgroundTask m_following{this};
    bool m_followAgain = false; ///< the project changed while a look was in flight
    std::optional<store::RunOwner> m_owner;
    bool m_askedToStop = false; ///< the followed run's owner was asked to stop or cancel
    int m_maxTrials = 0;

    QLabel* m_title;
    QLabel* m_status;
    QLabel* m_warnings; ///< the run's warnings (a class some folds never train on), hidden when there are none
    QStringList m_warningTexts;
    QProgressBar* m_progress;
    QPushButton* m_stop;
    QPushButton* m_cancel;
    QPushButton* m_resume;
    QPushButton* m_compare;
    CurvesChart* m_curves;
    BestSoFarChart* m_bestChart;
    RungsChart* m_rungs; ///< asha and bohb: the objective by budget, shown once a trial reached a rung
    ParetoPanel* m_pareto; ///< several objectives
    QComboBox* m_quantity;
    QSpinBox* m_fold;
    QCheckBox* m_train;
    QCheckBox* m_validation;
    QCheckBox* m_logScale;
    QLineEdit* m_filterText;
    QComboBox* m_statusFilter;
    QTableView* m_table;
    TrialsModel* m_model;
    TrialsFilterModel* m_filter;
};

} // namespace tunebench::ui

#pragma once

#include <functional>
#include <map>
#include <memory>

#include <QElapsedTimer>
#include <QMainWindow>
#include <QPointer>
#include <QStringList>
#include <QTimer>

#include "common/backgroundtask.h"
#include "compare/compareview.h"
#include "data/reader.h"
#include "store/projectstore.h"
#include "tuning/experimentspec.h"
#include "window/projectcontents.h"

class QLabel;
class QMenu;
class QPushButton;
class QTabWidget;
class QTreeWidget;
class QTreeWidgetItem;
class QUndoGroup;

namespace tunebench::store {
class ProjectStore;
}

namespace tunebench::ui {

class BenchmarkView;
class DatasetView;
class EvaluationView;
class ExperimentEditor;
class ExperimentRun;
class ExperimentView;
class Job;
class JobsPanel;
class ReportPreview;
class TrialView;
class WelcomePage;

/// The workbench window: the project explorer on the left, tabbed documents (datasets, experiment editors,
/// live experiments, trials) in the centre, the jobs panel at the bottom, running trials in the status bar.
/// Data files dropped anywhere on it are imported in the background.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    /// Opens (or creates) a project file; shows an error and returns false when it cannot.
    bool openProject(const QString& path);
    /// Writes the demo project under `directory` in the background, then opens it with its example spec.
    void openDemoProject(const QString& directory);
    /// Imports data files (folders: the data files inside) in the background; returns how many started.
    int importFiles(const QStringList& paths);

    /// Opens a document tab, or brings the open one forward.
    ExperimentEditor* newExperiment();
    DatasetView* openDataset(qint64 datasetId);
    ExperimentView* openExperiment(const QString& name);
    TrialView* openTrial(const QString& experiment, int number);
    /// Evaluates a trial in detail (its cross-validation again, in the background) in a new tab.
    EvaluationView* openEvaluation(const QString& experiment, int number);
    /// Opens a comparison of trials (number 0: every trial of the experiment), across experiments too.
    CompareView* openComparison(const std::vector<TrialRef>& selection);
    /// The comparison of what the project explorer has selected: experiments and trials.
    CompareView* compareExplorerSelection();
    /// Writes an experiment's report (HTML, or PDF by the suffix) in the background, with a row in the jobs
    /// panel; opens it when done if exports are opened (the default), and emits reportExported. With no
    /// path (File > Export Report), opens the report's preview instead (reportPreviewOpened), which saves.
    void exportReport(const QString& experiment, const QString& path);
    void setOpenExports(bool open) { m_openExports = open; }
    /// Trains a trial on the whole dataset and saves its model file, in the background (jobs panel);
    /// emits modelExported.
    void exportModel(const QString& experiment, int number, const QString& path);
    /// Parses a benchmark spec and runs it in the background in a new tab, with a row in the jobs panel.
    /// Returns nullptr and says why in `error` when the spec is invalid.
    BenchmarkView* runBenchmark(const QString& specPath, QString* error = nullptr);

    /// Starts a tuning run in the background and shows it; null when the project cannot take it.
    ExperimentRun* runExperiment(const tuning::ExperimentSpec& spec, bool resume = false);
    /// Resumes an interrupted or stopped experiment of the project.
    ExperimentRun* resumeExperiment(const QString& name);
    /// Experiments the project says are running although this window runs none of them.
    [[nodiscard]] QStringList interruptedExperiments() const;

    [[nodiscard]] QString projectPath() const { return m_projectPath; }
    [[nodiscard]] WelcomePage* welcomePage() const { return m_welcome; }
    [[nodiscard]] QTreeWidget* explorer() const { return m_explorer; }
    [[nodiscard]] QTabWidget* tabs() const { return m_tabs; }
    [[nodiscard]] JobsPanel* jobsPanel() const { return m_jobs; }
    [[nodiscard]] QWidget* infoBar() const { return m_infoBar; }
    [[nodiscard]] QLabel* runStatus() const { return m_statusRuns; }
    [[nodiscard]] QList<ExperimentRun*> runs() const;
    [[nodiscard]] QUndoGroup* undoGroup() const { return m_undoGroup; }

    /// Asks the user a yes/no question (a message box by default; tests answer it themselves).
    using Confirm = std::function<bool(const QString& title, const QString& text)>;
    void setConfirm(Confirm confirm) { m_confirm = std::move(confirm); }

Q_SIGNALS:
    /// Emitted on the GUI thread after a project was opened and the explorer filled.
    void projectOpened(const QString& path);
    void datasetImported(const QString& path);
    void importFailed(const QString& path, const QString& error);
    void experimentFinished(const QString& name, const QString& stoppedBecause);
    /// `error` is empty on success.
    void reportExported(const QString& path, const QString& error);
    void reportPreviewOpened(tunebench::ui::ReportPreview* preview);
    void modelExported(const QString& path, const QString& error);

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void createActions();
    /// Fills the explorer again, keeping what was expanded, selected and scrolled to.
    void refreshExplorer();
    /// Shows `contents` in the explorer (keeping what was expanded, selected and scrolled to), the runs of other
    /// processes in the jobs panel, and the interrupted experiments in the bar.
    void applyContents(const ProjectContents& contents);
    void fillExplorer(const ProjectContents& contents);
    /// Shows a run another process owns in the jobs panel (Stop and Cancel ask the owner); false for a run of
    /// this window's own.
    bool followInJobs(const ProjectContents::Experiment& experiment);
    /// Whether this window runs the experiment.
    [[nodiscard]] bool isRunHere(const QString& name) const;
    /// The open project's experiments' names (an editor proposes a name none of them has).
    [[nodiscard]] QStringList experimentNames() const;
    /// Gives every open experiment editor the project's datasets as they are now.
    void refreshEditors();
    /// Imports one data file in the background, read with `settings`.
    void importFile(const QString& path, const data::ReadSettings& settings);
    /// After a failed import of a text table: the "Read As" dialog, to say how it is laid out and try again.
    void offerReadAs(const QString& path, const QString& error, const data::ReadSettings& settings);
    void rememberRecent(const QString& path);
    [[nodiscard]] QStringList recentProjects() const;
    void updateRecentMenu();
    void updateRunStatus();
    void showInterrupted();
    void showInterrupted(const QStringList& names);
    /// Four times a second: what other processes (and this one's runs) committed reaches the explorer and the
    /// experiment views; runs whose owner is gone show as interrupted.
    void watchProject();
    /// Before a run of an experiment with an external command in a project not trusted here: shows the
    /// command and asks (object name "trustPrompt"); remembers a yes (store/trust.h).
    bool confirmCommands(const tuning::ExperimentSpec& spec);
    void openExplorerItem(QTreeWidgetItem* item);
    void addTab(QWidget* widget, const QString& title);
    template<typename View, typename Match> View* findTab(Match match) const;
    [[nodiscard]] ExperimentEditor* currentEditor() const;
    [[nodiscard]] ExperimentView* currentExperimentView() const;

    QTabWidget* m_tabs;
    WelcomePage* m_welcome;
    QTreeWidget* m_explorer;
    JobsPanel* m_jobs;
    QWidget* m_infoBar;
    QLabel* m_infoText;
    QPushButton* m_infoResume;
    QLabel* m_statusProject;
    QLabel* m_statusRuns;
    QMenu* m_recentMenu = nullptr;
    QUndoGroup* m_undoGroup;
    QString m_projectPath;
    std::unique_ptr<store::ProjectStore> m_project;
    QList<QPointer<ExperimentRun>> m_runs;
    QStringList m_demoSpecs;
    Confirm m_confirm;
    bool m_openExports = true;
    bool m_quitWhenIdle = false;
    QTimer* m_watch; ///< watchProject()
    std::int64_t m_dataVersion = 0;
    int m_watchTicks = 0;
    QElapsedTimer m_sinceExplorerRefresh;
    BackgroundTask m_watchTask{this};
    /// The watch's own read-only connection, opened and used on the pool thread.
    std::shared_ptr<std::unique_ptr<store::ProjectStore>> m_watchStore
        = std::make_shared<std::unique_ptr<store::ProjectStore>>();
    bool m_explorerStale = false; ///< the project changed since the explorer was filled
    std::string m_explorerSignature;
    QStringList m_interrupted; ///< as last shown
    std::map<QString, QPointer<Job>> m_followedJobs; ///< runs of other processes, by experiment
};

} // namespace tunebench::ui

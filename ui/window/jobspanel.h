#pragma once

#include <functional>
#include <map>

#include <QPointer>
#include <QWidget>

class QProgressBar;
class QPushButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace tunebench::ui {

/// One background job as the jobs panel shows it: a title, a progress bar, a status, live child rows (the
/// trials in flight) and Stop/Cancel handlers. Owned by the panel.
class Job : public QObject
{
    Q_OBJECT

public:
    void setProgress(int value, int maximum);
    void setStatus(const QString& status);
    /// Adds or updates a child row (a running trial) identified by `key`.
    void setChild(int key, const QString& text, const QString& status = {});
    void removeChild(int key);
    [[nodiscard]] int childCount() const;
    /// The job ended: no more Stop/Cancel; the row stays with its final status, its bar full unless the job
    /// ended incomplete (an interrupted run keeps how far it got).
    void finish(const QString& status, bool complete = true);
    [[nodiscard]] bool isFinished() const { return m_finished; }
    [[nodiscard]] QString title() const;
    [[nodiscard]] QProgressBar* progressBar() const { return m_bar; }

    /// What Stop and Cancel do for this job, and Stop trial / Restart trial for a child row.
    void setControls(std::function<void()> stop, std::function<void()> cancel,
                     std::function<void(int key)> stopChild = {}, std::function<void(int key)> restartChild = {});

Q_SIGNALS:
    void controlsChanged();

private:
    std::function<void()> onStop;
    std::function<void()> onCancel;
    std::function<void(int key)> onStopChild;
    std::function<void(int key)> onRestartChild;

    friend class JobsPanel;
    Job(QTreeWidgetItem* item, QProgressBar* bar, QObject* parent);
    QTreeWidgetItem* m_item;
    QProgressBar* m_bar;
    std::map<int, QTreeWidgetItem*> m_children;
    bool m_finished = false;
};

/// The jobs panel: imports and experiments running in the background with their progress, and Stop and
/// Cancel for the selected one (a trial's row offers Stop trial and Restart trial).
class JobsPanel : public QWidget
{
    Q_OBJECT

public:
    explicit JobsPanel(QWidget* parent = nullptr);
    Job* addJob(const QString& title);
    [[nodiscard]] QList<Job*> jobs() const;
    [[nodiscard]] QTreeWidget* tree() const { return m_tree; }
    /// Running jobs first; drops finished ones beyond the most recent few.
    void prune();

private:
    [[nodiscard]] Job* selectedJob(int* childKey = nullptr) const;
    void updateButtons();

    QTreeWidget* m_tree;
    QPushButton* m_stop;
    QPushButton* m_cancel;
    QPushButton* m_clear;
    std::map<QTreeWidgetItem*, QPointer<Job>> m_jobs;
};

} // namespace tunebench::ui

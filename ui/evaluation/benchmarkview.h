#pragma once

#include <optional>
#include <vector>

#include <QWidget>

#include "jobs/benchmark.h"

class QLabel;
class QProgressBar;
class QPushButton;
class QStandardItemModel;
class QTableView;

namespace tunebench::ui {

/// Demsar's critical-difference diagram: the algorithms on an axis of average ranks (best on the left),
/// the Nemenyi critical difference as a bar above it, and thick lines joining algorithms whose ranks differ
/// by less than it (no significant difference between them).
class CriticalDifferenceDiagram : public QWidget
{
    Q_OBJECT

public:
    explicit CriticalDifferenceDiagram(QWidget* parent = nullptr);
    void setRanks(std::vector<QString> names, std::vector<double> ranks, double criticalDifference, double alpha);
    void clear();
    /// Groups of algorithms (indices into the names, by rank) joined by a line: maximal runs whose ranks lie
    /// within the critical difference of each other, as the diagram draws them.
    [[nodiscard]] std::vector<std::vector<int>> cliques() const;

    QSize sizeHint() const override { return {640, 220}; }
    QSize minimumSizeHint() const override { return {360, 160}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    std::vector<QString> m_names;
    std::vector<double> m_ranks;
    double m_criticalDifference = 0.0;
    double m_alpha = 0.05;
};

/// A benchmark run in the background and its results: the matrix of mean +- sd per dataset and algorithm
/// (green: significantly better than the baseline, red: worse, by the corrected resampled t-test), wins,
/// ties and losses, average ranks, the Friedman test and the critical-difference diagram.
class BenchmarkView : public QWidget
{
    Q_OBJECT

public:
    BenchmarkView(jobs::BenchmarkSpec spec, QWidget* parent = nullptr);
    ~BenchmarkView() override;

    void start();
    void cancel();
    [[nodiscard]] bool isRunning() const { return m_running; }
    [[nodiscard]] const jobs::BenchmarkSpec& spec() const { return m_spec; }
    [[nodiscard]] const std::optional<jobs::BenchmarkResult>& result() const { return m_result; }
    [[nodiscard]] QTableView* table() const { return m_table; }
    [[nodiscard]] CriticalDifferenceDiagram* diagram() const { return m_diagram; }
    [[nodiscard]] QLabel* summary() const { return m_summary; }

Q_SIGNALS:
    void progressChanged(int done, int total, const QString& current);
    /// `error` is empty on success, "cancelled" when cancelled.
    void finished(const QString& error);

private:
    void showResult(const jobs::BenchmarkResult& result);

    jobs::BenchmarkSpec m_spec;
    util::CancelToken m_cancel;
    bool m_running = false;
    std::optional<jobs::BenchmarkResult> m_result;
    QLabel* m_title;
    QLabel* m_status;
    QProgressBar* m_progress;
    QPushButton* m_cancelButton;
    QTableView* m_table;
    QStandardItemModel* m_model;
    QLabel* m_summary;
    CriticalDifferenceDiagram* m_diagram;
};

} // namespace tunebench::ui

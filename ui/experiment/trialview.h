#pragma once

#include <QWidget>

#include "common/backgroundtask.h"
#include "util/cancel.h"

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTableWidget;
class QTabWidget;

namespace tunebench::ui {

class CurvesChart;

/// One trial in detail: status and timing, its parameters, its final metrics (mean and standard deviation
/// over the folds), its curves, the output of an external command, and the reproducibility manifest
/// (dataset file and hash, seed, versions, host). Read from the project in the background.
class TrialView : public QWidget
{
    Q_OBJECT

public:
    TrialView(QString projectPath, QString experimentName, int trialNumber, QWidget* parent = nullptr);
    /// A rerun in flight is cancelled.
    ~TrialView() override;

    [[nodiscard]] QString experimentName() const { return m_experiment; }
    [[nodiscard]] int trialNumber() const { return m_number; }
    [[nodiscard]] QTableWidget* parameterTable() const { return m_params; }
    [[nodiscard]] QTableWidget* metricTable() const { return m_metrics; }
    [[nodiscard]] CurvesChart* curves() const { return m_curves; }
    [[nodiscard]] QPlainTextEdit* output() const { return m_output; }
    [[nodiscard]] QPlainTextEdit* manifest() const { return m_manifest; }
    [[nodiscard]] QPushButton* evaluateButton() const { return m_evaluate; }
    [[nodiscard]] QPushButton* exportModelButton() const { return m_exportModel; }
    [[nodiscard]] QPushButton* rerunButton() const { return m_rerun; }
    /// The rerun's comparison: metric, recorded, rerun, verdict.
    [[nodiscard]] QTableWidget* rerunTable() const { return m_rerunTable; }
    /// What the last rerun concluded ("Reproduced: ...", "Not reproduced: ...", or why it could not run).
    [[nodiscard]] QLabel* rerunSummary() const { return m_rerunSummary; }
    /// Trains the trial again in the background and shows, metric by metric, whether it reproduces. While it
    /// runs, the button cancels it.
    void rerun();
    void reload();

    struct Details;

Q_SIGNALS:
    void loaded();
    /// A rerun ended (its table and summary are filled).
    void rerunFinished();
    /// "Evaluate" was clicked: show the trial's confusion matrix, curves and permutation importance.
    void evaluateRequested(const QString& experiment, int number);
    /// "Export Model..." was clicked and a file chosen.
    void exportModelRequested(const QString& experiment, int number, const QString& path);

private:
    void show(const Details& details);
    QWidget* createRerunPane();

    QString m_projectPath;
    QString m_experiment;
    int m_number;
    BackgroundTask m_loader{this};
    QLabel* m_header;
    QPushButton* m_evaluate;
    QPushButton* m_exportModel;
    QTableWidget* m_params;
    QTableWidget* m_metrics;
    CurvesChart* m_curves;
    QComboBox* m_quantity;
    QPlainTextEdit* m_output;
    QPlainTextEdit* m_manifest;
    QPushButton* m_rerun;
    QTabWidget* m_bottom;
    QWidget* m_rerunPane;
    QLabel* m_rerunSummary;
    QTableWidget* m_rerunTable;
    BackgroundTask m_rerunTask{this};
    util::CancelToken m_rerunCancel;
};

} // namespace tunebench::ui

#pragma once

#include <QWidget>

#include "common/backgroundtask.h"

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTableWidget;

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

    [[nodiscard]] QString experimentName() const { return m_experiment; }
    [[nodiscard]] int trialNumber() const { return m_number; }
    [[nodiscard]] QTableWidget* parameterTable() const { return m_params; }
    [[nodiscard]] QTableWidget* metricTable() const { return m_metrics; }
    [[nodiscard]] CurvesChart* curves() const { return m_curves; }
    [[nodiscard]] QPlainTextEdit* output() const { return m_output; }
    [[nodiscard]] QPlainTextEdit* manifest() const { return m_manifest; }
    [[nodiscard]] QPushButton* evaluateButton() const { return m_evaluate; }
    [[nodiscard]] QPushButton* exportModelButton() const { return m_exportModel; }
    void reload();

    struct Details;

Q_SIGNALS:
    void loaded();
    /// "Evaluate" was clicked: show the trial's confusion matrix, curves and permutation importance.
    void evaluateRequested(const QString& experiment, int number);
    /// "Export Model..." was clicked and a file chosen.
    void exportModelRequested(const QString& experiment, int number, const QString& path);

private:
    void show(const Details& details);

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
};

} // namespace tunebench::ui

#pragma once

#include <optional>

#include <QWidget>

#include "jobs/trialevaluation.h"

class QComboBox;
class QLabel;
class QPushButton;
class QTabWidget;

namespace tunebench::ui {

class ThemedChartView;

/// A confusion matrix as a heatmap: rows the true classes, columns the predicted ones; counts, or shares of
/// each row (recall) or column (precision).
class ConfusionMatrixView : public QWidget
{
    Q_OBJECT

public:
    enum class Mode
    {
        Counts,
        RowShares,
        ColumnShares,
    };
    explicit ConfusionMatrixView(QWidget* parent = nullptr);
    void setMatrix(Eigen::MatrixXi counts, QStringList classes);
    void setMode(Mode mode);
    [[nodiscard]] Mode mode() const { return m_mode; }
    [[nodiscard]] const Eigen::MatrixXi& counts() const { return m_counts; }
    /// What a cell shows in the current mode (NaN for a share of an empty row or column).
    [[nodiscard]] double cellValue(int row, int column) const;
    /// Where the matrix goes at the widget's size. When a class name is wider than a column (many classes),
    /// columns are numbered and each row's label ends with its number.
    struct Layout
    {
        bool numbered = false;
        double labelWidth = 40.0; ///< of the row labels
        double left = 64.0;
        double top = 56.0;
        double cell = 10.0; ///< a cell's side
    };
    [[nodiscard]] Layout layout() const;
    /// A row's label: the class name, and its number when columns are numbered.
    [[nodiscard]] QString rowLabel(int row, bool numbered) const;

    QSize sizeHint() const override { return {560, 460}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    Eigen::MatrixXi m_counts;
    QStringList m_classes;
    Mode m_mode = Mode::Counts;
};

/// One trial evaluated in detail (its cross-validation run again in the background): for classification
/// the confusion matrix, ROC and precision-recall curves per class averaged over folds with their areas in
/// the legend, and the calibration curve; for regression predicted against actual and the residuals; and
/// the permutation importance of every input column.
class EvaluationView : public QWidget
{
    Q_OBJECT

public:
    EvaluationView(QString projectPath, QString experiment, int trialNumber, QWidget* parent = nullptr);
    ~EvaluationView() override;

    [[nodiscard]] QString experimentName() const { return m_experiment; }
    [[nodiscard]] int trialNumber() const { return m_number; }
    [[nodiscard]] bool isRunning() const { return m_running; }
    [[nodiscard]] const std::optional<jobs::TrialEvaluation>& evaluation() const { return m_evaluation; }
    [[nodiscard]] QTabWidget* tabs() const { return m_tabs; }
    [[nodiscard]] ConfusionMatrixView* confusion() const { return m_confusion; }
    [[nodiscard]] QComboBox* confusionMode() const { return m_confusionMode; }
    [[nodiscard]] ThemedChartView* roc() const { return m_roc; }
    [[nodiscard]] ThemedChartView* precisionRecall() const { return m_precisionRecall; }
    [[nodiscard]] ThemedChartView* calibration() const { return m_calibration; }
    [[nodiscard]] ThemedChartView* actual() const { return m_actual; }
    [[nodiscard]] ThemedChartView* residuals() const { return m_residuals; }
    [[nodiscard]] ThemedChartView* importance() const { return m_importance; }
    void cancel();

Q_SIGNALS:
    /// `error` is empty on success.
    void finished(const QString& error);

private:
    void show(const jobs::TrialEvaluation& evaluation);
    void fillCurves(bool precisionRecall);
    void fillCalibration();
    void fillRegression();
    void fillImportance();

    QString m_projectPath;
    QString m_experiment;
    int m_number;
    util::CancelToken m_cancel;
    bool m_running = true;
    std::optional<jobs::TrialEvaluation> m_evaluation;
    QLabel* m_header;
    QPushButton* m_cancelButton;
    QTabWidget* m_tabs;
    ConfusionMatrixView* m_confusion;
    QComboBox* m_confusionMode;
    ThemedChartView* m_roc;
    ThemedChartView* m_precisionRecall;
    ThemedChartView* m_calibration;
    ThemedChartView* m_actual;
    ThemedChartView* m_residuals;
    ThemedChartView* m_importance;
};

} // namespace tunebench::ui

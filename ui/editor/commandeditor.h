#pragma once

#include <QJsonObject>
#include <QStringList>
#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;
class QPlainTextEdit;
class QSpinBox;
class QTableWidget;
class QToolButton;

namespace tunebench::ui {

/// Your own training script as a training job: the program and its arguments (one per line, with placeholders
/// for hyperparameters and data paths), its working folder and environment, limits, and the metrics read from its
/// output by regular expressions — with a tester: paste a few lines of the script's output and see what each
/// expression captures (the scanner the runs use), and which metric is the objective.
class CommandEditor : public QWidget
{
    Q_OBJECT

public:
    explicit CommandEditor(QWidget* parent = nullptr);

    /// The spec's "algorithm" object: {"command", "metrics", "timeout_seconds", "working_directory", ...}.
    [[nodiscard]] QJsonObject json() const;
    void setJson(const QJsonObject& command);
    /// The metrics' names, in order.
    [[nodiscard]] QStringList metricNames() const;
    /// The names the arguments may use as {placeholders} besides the data paths: the parameters'.
    void setParameterNames(const QStringList& names);
    /// Marks the objective among the tester's metrics.
    void setObjective(const QString& metric);
    /// The tester's sample output.
    void setSampleOutput(const QString& text);

    [[nodiscard]] QLineEdit* programEdit() const { return m_program; }
    [[nodiscard]] QPlainTextEdit* argumentsEdit() const { return m_arguments; }
    [[nodiscard]] QTableWidget* metricsTable() const { return m_metrics; }
    [[nodiscard]] QTableWidget* capturesTable() const { return m_captures; }
    /// While a trial is tried: the button stops it; when it ended, `status` says how (its output is the sample).
    void setTrying(bool trying, const QString& status = {});
    [[nodiscard]] QPushButton* tryButton() const { return m_try; }
    [[nodiscard]] QLabel* tryStatus() const { return m_tryStatus; }
    /// Adds a metric row (an empty one for the user to fill when both are empty).
    void addMetric(const QString& name = {}, const QString& regex = {});

Q_SIGNALS:
    void edited();
    /// The metrics' names changed (the objective chooser lists them).
    void metricsChanged();
    /// Run one trial now (the middle of every range) and show its output; pressed again while it runs: stop it.
    void tryRequested();
    void tryStopRequested();

private:
    QWidget* createCommandBox();
    QWidget* createMetricsBox();
    void updateCaptures();
    void insertPlaceholder(const QString& placeholder);

    QLineEdit* m_program;
    QPlainTextEdit* m_arguments;
    QToolButton* m_placeholders;
    QLineEdit* m_folder;
    QPlainTextEdit* m_environment;
    QSpinBox* m_timeout;
    QSpinBox* m_outputLimit;
    QTableWidget* m_metrics;
    QPlainTextEdit* m_sample;
    QTableWidget* m_captures;
    QPushButton* m_try;
    QLabel* m_tryStatus;
    bool m_trying = false;
    QStringList m_parameterNames;
    QString m_objective;
};

} // namespace tunebench::ui

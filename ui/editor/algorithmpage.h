#pragma once

#include <QJsonObject>
#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;

namespace tunebench::ui {

class CommandEditor;
class ParameterTable;

/// One algorithm of an experiment: a built-in one with its schema's parameters, or your own script (an external
/// command) with the parameters you name. Several pages make a multi-algorithm experiment.
class AlgorithmPage : public QWidget
{
    Q_OBJECT

public:
    explicit AlgorithmPage(QWidget* parent = nullptr);

    /// {"algorithm": id or the command's object, "fixed", "ranges"} as the spec writes one algorithm.
    [[nodiscard]] QJsonObject entry() const;
    void setEntry(const QJsonObject& entry);
    /// A built-in algorithm's id, or "command".
    [[nodiscard]] QString algorithmId() const;
    /// The name to show: the algorithm's, or "Your script".
    [[nodiscard]] QString title() const;
    [[nodiscard]] bool isCommand() const;
    /// What the form cannot write, or empty.
    [[nodiscard]] QString problem() const;

    [[nodiscard]] QComboBox* algorithmChooser() const { return m_algorithm; }
    [[nodiscard]] ParameterTable* parameterTable() const { return m_params; }
    [[nodiscard]] CommandEditor* commandEditor() const { return m_command; }
    [[nodiscard]] QPushButton* addParameterButton() const { return m_addParameter; }

Q_SIGNALS:
    void edited();
    /// Another algorithm was chosen (the table was rebuilt).
    void algorithmChanged();

private:
    void showChosenAlgorithm();

    QComboBox* m_algorithm;
    QLabel* m_help;
    CommandEditor* m_command;
    ParameterTable* m_params;
    QWidget* m_freeButtons;
    QPushButton* m_addParameter;
};

} // namespace tunebench::ui

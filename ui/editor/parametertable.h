#pragma once

#include <optional>
#include <vector>

#include <QJsonObject>
#include <QTableWidget>

#include "algorithms/algorithm.h"
#include "data/column.h"

class QCheckBox;
class QComboBox;
class QLineEdit;

namespace tunebench::ui {

/// A range's "when" as one line: "optimizer = sgd, adam", "hidden_layers >= 2", "2 <= depth <= 8"; empty for none.
[[nodiscard]] QString conditionText(const QJsonObject& when);
/// The "when" object a line describes ({} for an empty line); nullopt and `error` set when it is not one.
[[nodiscard]] std::optional<QJsonObject> conditionFromText(const QString& text, QString* error);

/// The hyperparameters of one algorithm, each fixed at a value or searched over a range (from, to, scale, and
/// the condition under which it is searched). For a built-in algorithm the rows are its schema's; for an
/// external command they are the user's own, named and typed in the table (free rows).
class ParameterTable : public QTableWidget
{
    Q_OBJECT

public:
    enum Column
    {
        NameColumn,
        TypeColumn, ///< free rows only
        TuneColumn,
        ValueColumn,
        FromColumn,
        ToColumn,
        ScaleColumn,
        WhenColumn,
        ColumnCount,
    };

    /// The editors of a parameter's row (null when absent).
    struct Row
    {
        QString name;
        QLineEdit* nameEdit = nullptr; ///< free rows: the name is the user's
        QComboBox* type = nullptr; ///< free rows: continuous, integer or categorical
        QCheckBox* tune = nullptr;
        QWidget* value = nullptr; ///< QLineEdit for numbers and free choices, QComboBox for a schema's choices
        /// QLineEdit for numbers; a schema's choices: QToolButton with checkable actions; free choices: QLineEdit
        /// "a, b, c"
        QWidget* from = nullptr;
        QLineEdit* to = nullptr;
        QComboBox* scale = nullptr; ///< linear, log, reverse log
        QLineEdit* when = nullptr;
        bool classificationOnly = false; ///< greyed out (fixed at its value) for a regression target
        bool categoryCodesOnly = false; ///< greyed out (fixed at its value) for one-hot categories
        QString classesDefault; ///< the default for a class target, as the value editor shows it
        QString numbersDefault; ///< the default for a number to predict (most parameters: the same)
        QString severalClassesDefault; ///< the default for three classes or more (most parameters: the same)
        QString shownDefault; ///< the default the value editor last showed; another value is the user's
        bool fixedBySpec = false; ///< the loaded spec fixed it (written even at the default)
        algorithms::ParamType paramType = algorithms::ParamType::Continuous;
        QString schemaScaling = QStringLiteral("linear"); ///< what a range's "auto" scaling means for it

        [[nodiscard]] QString valueText() const;
        void setValueText(const QString& text) const;
        [[nodiscard]] QString currentName() const;
        [[nodiscard]] bool isNumeric() const;
    };

    explicit ParameterTable(QWidget* parent = nullptr);

    /// Rows from a built-in algorithm's schema, each at its default.
    void showAlgorithm(const algorithms::Algorithm& algorithm);
    /// Free rows (an external command's), none yet.
    void showFreeRows();
    [[nodiscard]] bool hasFreeRows() const { return m_free; }
    /// A free row; `type` is "continuous", "integer" or "categorical".
    void addFreeRow(const QString& name, const QString& type);
    void removeFreeRow(int row);

    /// "fixed" and "ranges" as the spec writes them.
    [[nodiscard]] QJsonObject fixed() const;
    [[nodiscard]] QJsonObject ranges() const;
    /// Shows a spec's fixed values and ranges (free rows: one per name).
    void setValues(const QJsonObject& fixed, const QJsonObject& ranges);
    /// Whether any row is searched.
    [[nodiscard]] bool searchesAnything() const;
    /// What the form cannot write (a condition that does not read), or empty.
    [[nodiscard]] QString problem() const;

    /// Follows the target's task and the encoding of categories: task defaults, inert rows greyed out.
    void applyContext(std::optional<data::Task> task, bool categoryCodes);

    [[nodiscard]] const Row* row(const QString& name) const;
    [[nodiscard]] const std::vector<Row>& rows() const { return m_rows; }

Q_SIGNALS:
    void edited();

private:
    void addSchemaRow(const algorithms::ParamSpec& param);
    void addRangeEditors(Row& editors, int row, const QString& help, bool numeric, const QStringList& choices,
                         const algorithms::ParamSpec* param);
    void setRange(const Row& row, const QJsonValue& range) const;
    [[nodiscard]] QJsonValue rangeOf(const Row& row) const;
    void syncRow(const Row& row) const;
    /// syncRow for the row whose Tune box, scale or type `editor` is.
    void syncRowHolding(const QObject* editor) const;

    std::vector<Row> m_rows;
    bool m_free = false;
};

} // namespace tunebench::ui

#pragma once

#include <memory>
#include <vector>

#include <QJsonArray>
#include <QStringList>
#include <QWidget>

class QVBoxLayout;
class QPushButton;

namespace tunebench::ui {

/// What an experiment optimises beyond its first objective, and what a trial must meet: each row another objective
/// (a metric and its goal) or a constraint (a metric at least or at most a bound). Edits the spec's "objectives"
/// (after the first) and "constraints".
class MeasuresEditor : public QWidget
{
    Q_OBJECT

public:
    explicit MeasuresEditor(QWidget* parent = nullptr);
    ~MeasuresEditor() override;
    /// The metrics rows may name (a row keeps a metric it already names).
    void setMetrics(const QStringList& metrics);
    /// Fills the rows: the objectives after the first, then the constraints, as the spec writes them.
    void setMeasures(const QJsonArray& objectives, const QJsonArray& constraints);
    /// The objectives after the first and the constraints, as the spec writes them.
    [[nodiscard]] QJsonArray objectives() const;
    [[nodiscard]] QJsonArray constraints() const;
    /// Adds a row: another objective, or a constraint (">=" or "<=").
    void addRow(const QString& kind, const QString& metric, const QString& goal, double bound);
    [[nodiscard]] int rowCount() const { return static_cast<int>(m_rows.size()); }
    [[nodiscard]] QPushButton* addButton() const { return m_add; }

Q_SIGNALS:
    void changed();

private:
    struct Row;
    void removeRow(QWidget* row);
    QVBoxLayout* m_layout;
    QPushButton* m_add;
    QStringList m_metrics;
    std::vector<std::unique_ptr<Row>> m_rows;
};

} // namespace tunebench::ui

#pragma once

#include <memory>

#include <QAbstractTableModel>
#include <QJsonObject>
#include <QWidget>

#include "data/dataset.h"
#include "store/projectstore.h"
#include "util/cancel.h"

class QChartView;
class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QTableView;
class QTableWidget;

namespace tunebench::ui {

/// A dataset as a table model: rows and columns are virtual (a cell is formatted when it is drawn), so a
/// million rows cost nothing until they are scrolled to.
class DatasetTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    explicit DatasetTableModel(QObject* parent = nullptr);
    void setDataset(std::shared_ptr<const data::Dataset> dataset);
    [[nodiscard]] const data::Dataset* dataset() const { return m_dataset.get(); }

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    std::shared_ptr<const data::Dataset> m_dataset;
};

/// One dataset: its rows, and per column a role (feature, target, ignore), a type, missing and distinct
/// counts and a small distribution chart. The chosen target shows the task it implies; "New experiment"
/// carries target, ignored columns and type changes into the experiment editor. Reads in the background.
class DatasetView : public QWidget
{
    Q_OBJECT

public:
    explicit DatasetView(store::DatasetRecord record, QWidget* parent = nullptr);
    ~DatasetView() override;

    [[nodiscard]] const store::DatasetRecord& record() const { return m_record; }
    [[nodiscard]] QString target() const;
    [[nodiscard]] QStringList ignoredColumns() const;
    [[nodiscard]] QJsonObject typeOverrides() const;
    [[nodiscard]] bool isLoaded() const { return m_model->dataset() != nullptr; }

    [[nodiscard]] QTableView* table() const { return m_table; }
    [[nodiscard]] QTableWidget* columnTable() const { return m_columns; }
    /// Above the table: name, size, checksum and, once read, a second line saying how the file was read.
    [[nodiscard]] QLabel* summary() const { return m_summary; }
    [[nodiscard]] QComboBox* targetChooser() const { return m_target; }
    [[nodiscard]] QLabel* taskLabel() const { return m_task; }
    [[nodiscard]] QChartView* distributionChart() const { return m_chart; }
    [[nodiscard]] DatasetTableModel* model() const { return m_model; }
    /// Sets a column's role ("feature", "target", "ignore").
    void setRole(const QString& column, const QString& role);

Q_SIGNALS:
    void loaded();
    void newExperimentRequested(const QString& path, const QString& target, const QStringList& ignored,
                                const QJsonObject& types);

private:
    void load();
    void showDataset(std::shared_ptr<const data::Dataset> dataset);
    void fillColumns();
    void showDistribution(int column);
    void updateTask();

    store::DatasetRecord m_record;
    QJsonObject m_schema;
    QLabel* m_summary;
    QComboBox* m_target;
    QLabel* m_task;
    QPushButton* m_newExperiment;
    QProgressBar* m_progress;
    QTableView* m_table;
    QTableWidget* m_columns;
    QChartView* m_chart;
    DatasetTableModel* m_model;
    util::CancelToken m_cancel;
    bool m_updating = false;
};

} // namespace tunebench::ui

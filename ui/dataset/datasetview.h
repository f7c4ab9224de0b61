#pragma once

#include <limits>
#include <memory>
#include <optional>

#include <QAbstractTableModel>
#include <QJsonObject>
#include <QWidget>

#include "data/dataset.h"
#include "data/reader.h"
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
    /// Shows at most this many of the dataset's rows (a preview); unlimited by default.
    void setRowLimit(int rows) { m_rowLimit = rows; }

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    std::shared_ptr<const data::Dataset> m_dataset;
    int m_rowLimit = std::numeric_limits<int>::max();
};

/// One dataset: its rows, and per column a role (feature, target, ignore), a type, missing and distinct
/// counts and a small distribution chart. The chosen target shows the task it implies; "New experiment"
/// carries target, ignored columns and type changes into the experiment editor. Reads in the background, with
/// the settings the project keeps for the file; "Read As" changes them and records them in the project.
class DatasetView : public QWidget
{
    Q_OBJECT

public:
    /// `projectPath` is the project that holds `record`: where "Read As" records new settings.
    explicit DatasetView(store::DatasetRecord record, QString projectPath = {}, QWidget* parent = nullptr);
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
    /// Opens the "Read As" dialog (non-modal); when it is accepted the file is read again with its settings.
    [[nodiscard]] QPushButton* readAsButton() const { return m_readAs; }
    /// Reads the file again with `settings` and, when that succeeds, records them (and the schema they give) in
    /// the project; readingChanged follows. A read that fails says why and changes nothing.
    void readAs(const data::ReadSettings& settings);
    /// Sets a column's role ("feature", "target", "ignore").
    void setRole(const QString& column, const QString& role);

Q_SIGNALS:
    /// The file was read (again); also after a read that failed, with nothing shown.
    void loaded();
    /// "Read As" recorded new settings for the dataset in the project.
    void readingChanged(qint64 datasetId);
    void newExperimentRequested(const QString& path, const QString& target, const QStringList& ignored,
                                const QJsonObject& types);

private:
    /// Reads the file with `settings` in the background; `record` stores them in the project when it succeeds.
    void read(const data::ReadSettings& settings, bool record);
    void openReadAsDialog();
    [[nodiscard]] data::ReadSettings recordedSettings() const;
    /// Name, size and checksum, above how the file was read.
    [[nodiscard]] QString headline() const;
    void showDataset(std::shared_ptr<const data::Dataset> dataset);
    void fillColumns();
    void showDistribution(int column);
    void updateTask();

    store::DatasetRecord m_record;
    QString m_projectPath;
    QJsonObject m_schema;
    std::optional<data::ReadReport> m_report; ///< how the file was last read, once it was
    QLabel* m_summary;
    QComboBox* m_target;
    QLabel* m_task;
    QPushButton* m_newExperiment;
    QPushButton* m_readAs;
    QProgressBar* m_progress;
    QTableView* m_table;
    QTableWidget* m_columns;
    QChartView* m_chart;
    DatasetTableModel* m_model;
    util::CancelToken m_cancel;
    bool m_updating = false;
};

} // namespace tunebench::ui

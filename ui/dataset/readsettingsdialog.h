#pragma once

#include <QDialog>

#include "common/backgroundtask.h"
#include "data/reader.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QTableView;
class QTimer;

namespace tunebench::ui {

class DatasetTableModel;

/// "Read As": how a CSV file is laid out, where sniffing guessed wrong or could not tell: its delimiter, decimal
/// mark, whether its first row names the columns, rows to leave out above the table and the texts that mean a
/// missing value. Each choice can be left to sniffing, and says what sniffing found when that is known.
class ReadSettingsDialog : public QDialog
{
    Q_OBJECT

public:
    /// `intro` heads the dialog (what went wrong, or which file); `settings` are the choices it starts from and
    /// `sniffed`, when given, what the last read found, shown beside "Sniff". With the file's `path`, a preview
    /// shows its first rows as the current choices read them, read again in the background on each change.
    ReadSettingsDialog(const QString& intro, const data::ReadSettings& settings,
                       const data::ReadReport* sniffed = nullptr, QWidget* parent = nullptr,
                       const QString& path = QString());

    [[nodiscard]] data::ReadSettings settings() const;
    /// A preview is waiting for the choices to settle, or being read.
    [[nodiscard]] bool isPreviewPending() const;

    [[nodiscard]] QComboBox* delimiterChooser() const { return m_delimiter; }
    [[nodiscard]] QComboBox* decimalChooser() const { return m_decimal; }
    [[nodiscard]] QComboBox* headerChooser() const { return m_header; }
    /// Rows to leave out above the table; its lowest value, -1, reads "Sniff".
    [[nodiscard]] QSpinBox* skipRowsBox() const { return m_skipRows; }
    [[nodiscard]] QLineEdit* missingEdit() const { return m_missing; }
    /// The preview: the first rows, a column's header its name and type (hidden without a path or on an error).
    [[nodiscard]] QTableView* previewTable() const { return m_preview; }
    /// What the preview says above the table: how many rows it shows, or why the file cannot be read so.
    [[nodiscard]] QLabel* previewStatus() const { return m_previewStatus; }

Q_SIGNALS:
    /// A preview was shown (or its error), for the choices as they were when it was asked for.
    void previewed();

private:
    void schedulePreview();
    void preview();

    QLabel* m_intro;
    QComboBox* m_delimiter;
    QComboBox* m_decimal;
    QComboBox* m_header;
    QSpinBox* m_skipRows;
    QLineEdit* m_missing;
    QString m_path;
    QLabel* m_previewStatus;
    DatasetTableModel* m_previewRows;
    QTableView* m_preview;
    QTimer* m_previewTimer;
    BackgroundTask m_previewTask{this}; ///< a preview for older choices that finishes late is dropped
};

} // namespace tunebench::ui

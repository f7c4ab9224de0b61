#pragma once

#include <QDialog>

#include "data/reader.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace tunebench::ui {

/// "Read As": how a CSV file is laid out, where sniffing guessed wrong or could not tell: its delimiter, decimal
/// mark, whether its first row names the columns, rows to leave out above the table and the texts that mean a
/// missing value. Each choice can be left to sniffing, and says what sniffing found when that is known.
class ReadSettingsDialog : public QDialog
{
    Q_OBJECT

public:
    /// `intro` heads the dialog (what went wrong, or which file); `settings` are the choices it starts from and
    /// `sniffed`, when given, what the last read found, shown beside "Sniff".
    ReadSettingsDialog(const QString& intro, const data::ReadSettings& settings,
                       const data::ReadReport* sniffed = nullptr, QWidget* parent = nullptr);

    [[nodiscard]] data::ReadSettings settings() const;

    [[nodiscard]] QComboBox* delimiterChooser() const { return m_delimiter; }
    [[nodiscard]] QComboBox* decimalChooser() const { return m_decimal; }
    [[nodiscard]] QComboBox* headerChooser() const { return m_header; }
    /// Rows to leave out above the table; its lowest value, -1, reads "Sniff".
    [[nodiscard]] QSpinBox* skipRowsBox() const { return m_skipRows; }
    [[nodiscard]] QLineEdit* missingEdit() const { return m_missing; }

private:
    QLabel* m_intro;
    QComboBox* m_delimiter;
    QComboBox* m_decimal;
    QComboBox* m_header;
    QSpinBox* m_skipRows;
    QLineEdit* m_missing;
};

} // namespace tunebench::ui

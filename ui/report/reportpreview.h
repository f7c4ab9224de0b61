#pragma once

#include <string>

#include <QDialog>

class QLabel;
class QPrintPreviewWidget;
class QPrinter;

namespace tunebench::ui {

/// File > Export Report: the report of an experiment, laid out on its A4 pages exactly as the PDF will be,
/// with zoom and page navigation, then saved as a self-contained HTML page or a PDF (written in the
/// background) or printed. Non-modal: the workbench goes on while it is open.
class ReportPreview : public QDialog
{
    Q_OBJECT

public:
    ReportPreview(std::string html, const QString& experiment, QWidget* parent = nullptr);

    [[nodiscard]] int pageCount() const;
    [[nodiscard]] const std::string& html() const { return m_html; }
    /// Writes the report to `path` in the background (writeReport: PDF when it ends in .pdf, HTML
    /// otherwise); emits saved when done.
    void save(const QString& path);

Q_SIGNALS:
    void saved(const QString& path, const QString& error);

private:
    void paintPages(QPrinter* printer);
    void updatePageLabel();

    std::string m_html;
    QString m_experiment;
    QPrintPreviewWidget* m_preview = nullptr;
    QLabel* m_page = nullptr;
};

} // namespace tunebench::ui

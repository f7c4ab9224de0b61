#include "report/reportpreview.h"

#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFutureWatcher>
#include <QLabel>
#include <QPainter>
#include <QPointer>
#include <QPrintDialog>
#include <QPrintPreviewWidget>
#include <QPrinter>
#include <QPushButton>
#include <QToolBar>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include "common/workpool.h"
#include "report/reportexport.h"

namespace tunebench::ui {

ReportPreview::ReportPreview(std::string html, const QString& experiment, QWidget* parent)
    : QDialog(parent)
    , m_html(std::move(html))
    , m_experiment(experiment)
{
    setWindowTitle(tr("Report of %1").arg(experiment));
    setAttribute(Qt::WA_DeleteOnClose);
    resize(900, 1000);

    auto* printer = new QPrinter(QPrinter::HighResolution);
    setUpReportPages(*printer);
    m_preview = new QPrintPreviewWidget(printer, this);
    // The widget does not own the printer it is given.
    connect(this, &QObject::destroyed, m_preview, [printer] { delete printer; });
    m_preview->setZoomMode(QPrintPreviewWidget::FitToWidth);
    connect(m_preview, &QPrintPreviewWidget::paintRequested, this, &ReportPreview::paintPages);
    connect(m_preview, &QPrintPreviewWidget::previewChanged, this, &ReportPreview::updatePageLabel);

    auto* tools = new QToolBar(this);
    tools->addAction(tr("Previous Page"), m_preview,
                     [this] { m_preview->setCurrentPage(m_preview->currentPage() - 1); });
    tools->addAction(tr("Next Page"), m_preview, [this] { m_preview->setCurrentPage(m_preview->currentPage() + 1); });
    m_page = new QLabel(this);
    tools->addWidget(m_page);
    tools->addSeparator();
    tools->addAction(tr("Fit Width"), m_preview, &QPrintPreviewWidget::fitToWidth);
    tools->addAction(tr("Whole Page"), m_preview, &QPrintPreviewWidget::fitInView);
    tools->addAction(tr("Zoom In"), m_preview, [this] { m_preview->zoomIn(); });
    tools->addAction(tr("Zoom Out"), m_preview, [this] { m_preview->zoomOut(); });

    auto* buttons = new QDialogButtonBox(this);
    QPushButton* saveHtml = buttons->addButton(tr("Save as &HTML..."), QDialogButtonBox::AcceptRole);
    QPushButton* savePdf = buttons->addButton(tr("Save as &PDF..."), QDialogButtonBox::AcceptRole);
    QPushButton* print = buttons->addButton(tr("&Print..."), QDialogButtonBox::ActionRole);
    buttons->addButton(QDialogButtonBox::Close);
    saveHtml->setObjectName(QStringLiteral("saveHtml"));
    savePdf->setObjectName(QStringLiteral("savePdf"));
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    auto ask = [this](const QString& suffix, const QString& filter) {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export Report"), m_experiment + suffix, filter);
        if (!path.isEmpty())
            save(path);
    };
    connect(saveHtml, &QPushButton::clicked, this, [ask] { ask(QStringLiteral(".html"), tr("Web page (*.html)")); });
    connect(savePdf, &QPushButton::clicked, this, [ask] { ask(QStringLiteral(".pdf"), tr("PDF (*.pdf)")); });
    connect(print, &QPushButton::clicked, this, [this, printer] {
        QPrintDialog dialog(printer, this);
        if (dialog.exec() == QDialog::Accepted)
            m_preview->print();
    });

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 8);
    layout->addWidget(tools);
    layout->addWidget(m_preview, 1);
    layout->addWidget(buttons);
}

int ReportPreview::pageCount() const
{
    return m_preview->pageCount();
}

void ReportPreview::paintPages(QPrinter* printer)
{
    QPainter painter;
    if (!painter.begin(printer))
        return;
    paintReport(m_html, *printer, painter);
    painter.end();
}

void ReportPreview::updatePageLabel()
{
    m_page->setText(tr(" Page %1 of %2 ").arg(m_preview->currentPage()).arg(m_preview->pageCount()));
}

void ReportPreview::save(const QString& path)
{
    // A PDF of many charts takes a moment: written on a worker, the dialog stays live.
    const QPointer<ReportPreview> guard = this;
    auto* watcher = new QFutureWatcher<QString>();
    connect(watcher, &QFutureWatcher<QString>::finished, watcher, [guard, watcher, path] {
        watcher->deleteLater();
        if (guard)
            Q_EMIT guard->saved(path, watcher->result());
    });
    watcher->setFuture(QtConcurrent::run(workPool(), [html = m_html, path] { return writeReport(html, path); }));
}

} // namespace tunebench::ui

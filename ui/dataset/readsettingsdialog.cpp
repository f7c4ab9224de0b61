#include "dataset/readsettingsdialog.h"

#include <array>

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include "dataset/datasetview.h"

namespace tunebench::ui {

namespace {

/// The delimiters offered: the character, its choice in the list, and in a few words what sniffing found.
struct Delimiter
{
    char character;
    const char* label;
    const char* word;
};

constexpr std::array kDelimiters = {
    Delimiter{',', QT_TRANSLATE_NOOP("ReadSettingsDialog", "Comma  ,"),
              QT_TRANSLATE_NOOP("ReadSettingsDialog", "comma")},
    Delimiter{';', QT_TRANSLATE_NOOP("ReadSettingsDialog", "Semicolon  ;"),
              QT_TRANSLATE_NOOP("ReadSettingsDialog", "semicolon")},
    Delimiter{'\t', QT_TRANSLATE_NOOP("ReadSettingsDialog", "Tab"), QT_TRANSLATE_NOOP("ReadSettingsDialog", "tab")},
    Delimiter{'|', QT_TRANSLATE_NOOP("ReadSettingsDialog", "Pipe  |"), QT_TRANSLATE_NOOP("ReadSettingsDialog", "pipe")},
    Delimiter{data::kWhitespace, QT_TRANSLATE_NOOP("ReadSettingsDialog", "Blanks (columns aligned with spaces)"),
              QT_TRANSLATE_NOOP("ReadSettingsDialog", "blanks")},
};

/// A delimiter as the list offers it (`word` false) or in a few words (true); any other character quoted.
QString delimiterText(char delimiter, bool word)
{
    for (const Delimiter& known : kDelimiters) {
        if (known.character == delimiter)
            return ReadSettingsDialog::tr(word ? known.word : known.label);
    }
    return QStringLiteral("'%1'").arg(QLatin1Char(delimiter));
}

/// "Sniff", or "Sniff (found: what)" when the last read is known.
QString sniffLabel(const QString& found)
{
    return found.isEmpty() ? ReadSettingsDialog::tr("Sniff") : ReadSettingsDialog::tr("Sniff (found: %1)").arg(found);
}

void choose(QComboBox* box, const QVariant& value)
{
    box->setCurrentIndex(std::max(0, box->findData(value)));
}

/// Lines of the file a preview reads, and rows of it the table shows.
constexpr std::size_t kPreviewLines = 40;
constexpr int kPreviewRows = 8;

/// A preview's outcome: the first rows as read, or why they cannot be.
struct Preview
{
    std::shared_ptr<const data::Dataset> rows;
    QString error;
};

} // namespace

ReadSettingsDialog::ReadSettingsDialog(const QString& intro, const data::ReadSettings& settings,
                                       const data::ReadReport* sniffed, QWidget* parent, const QString& path)
    : QDialog(parent)
    , m_intro(new QLabel(intro, this))
    , m_delimiter(new QComboBox(this))
    , m_decimal(new QComboBox(this))
    , m_header(new QComboBox(this))
    , m_skipRows(new QSpinBox(this))
    , m_missing(new QLineEdit(this))
    , m_path(path)
    , m_previewStatus(new QLabel(this))
    , m_previewRows(new DatasetTableModel(this))
    , m_preview(new QTableView(this))
    , m_previewTimer(new QTimer(this))
{
    setObjectName(QStringLiteral("readSettingsDialog"));
    setWindowTitle(tr("Read As"));
    const bool known = sniffed && sniffed->format == data::FileFormat::Csv;
    m_intro->setWordWrap(true);
    m_intro->setTextInteractionFlags(Qt::TextSelectableByMouse);

    // Item data: the setting's own value; an invalid QVariant is "sniff".
    m_delimiter->setObjectName(QStringLiteral("delimiterChooser"));
    m_delimiter->addItem(sniffLabel(known ? delimiterText(sniffed->delimiter, true) : QString()), QVariant());
    for (const Delimiter& delimiter : kDelimiters)
        m_delimiter->addItem(delimiterText(delimiter.character, false),
                             QVariant(static_cast<int>(delimiter.character)));
    if (settings.delimiter != '\0' && m_delimiter->findData(static_cast<int>(settings.delimiter)) < 0)
        m_delimiter->addItem(delimiterText(settings.delimiter, false), QVariant(static_cast<int>(settings.delimiter)));
    if (settings.delimiter != '\0')
        choose(m_delimiter, static_cast<int>(settings.delimiter));

    m_decimal->setObjectName(QStringLiteral("decimalChooser"));
    m_decimal->addItem(sniffLabel(known ? (sniffed->decimalMark == ',' ? tr("comma") : tr("point")) : QString()),
                       QVariant());
    m_decimal->addItem(tr("Point  1.5"), QVariant(static_cast<int>('.')));
    m_decimal->addItem(tr("Comma  1,5"), QVariant(static_cast<int>(',')));
    if (settings.decimalMark != '\0')
        choose(m_decimal, static_cast<int>(settings.decimalMark));

    m_header->setObjectName(QStringLiteral("headerChooser"));
    m_header->addItem(sniffLabel(known ? (sniffed->hasHeader ? tr("names") : tr("data")) : QString()), QVariant());
    m_header->addItem(tr("Names the columns"), QVariant(true));
    m_header->addItem(tr("Is data (columns named column_1, column_2, ...)"), QVariant(false));
    if (settings.header != data::ReadOptions::Header::Auto)
        choose(m_header, settings.header == data::ReadOptions::Header::Present);

    m_skipRows->setObjectName(QStringLiteral("skipRowsBox"));
    m_skipRows->setRange(-1, 1000000);
    m_skipRows->setSpecialValueText(
        sniffLabel(known ? QString::number(static_cast<qulonglong>(sniffed->preambleRows)) : QString()));
    m_skipRows->setValue(settings.skipRows ? static_cast<int>(*settings.skipRows) : -1);
    m_skipRows->setToolTip(tr("Title or note rows above the table (its header, or its first row of data)"));

    m_missing->setObjectName(QStringLiteral("missingEdit"));
    m_missing->setPlaceholderText(QStringLiteral("NA, N/A, NaN, null, ?"));
    m_missing->setToolTip(tr("Texts that mean a missing value, separated by commas; an empty cell always does"));
    if (settings.missingTokens) {
        QStringList tokens;
        for (const std::string& token : *settings.missingTokens)
            tokens << QString::fromStdString(token);
        m_missing->setText(tokens.join(QStringLiteral(", ")));
    }

    auto* form = new QFormLayout;
    form->addRow(tr("Delimiter"), m_delimiter);
    form->addRow(tr("Decimal mark"), m_decimal);
    form->addRow(tr("First row"), m_header);
    form->addRow(tr("Rows above the table"), m_skipRows);
    form->addRow(tr("Missing values"), m_missing);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Read Again"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_intro);
    layout->addLayout(form);
    layout->addWidget(m_previewStatus);
    layout->addWidget(m_preview, 1);
    layout->addWidget(buttons);

    m_previewStatus->setObjectName(QStringLiteral("previewStatus"));
    m_previewStatus->setWordWrap(true);
    m_previewStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_previewRows->setRowLimit(kPreviewRows);
    m_preview->setObjectName(QStringLiteral("previewTable"));
    m_preview->setModel(m_previewRows);
    m_preview->setSelectionMode(QAbstractItemView::NoSelection);
    m_preview->verticalHeader()->setVisible(false);
    m_preview->setMinimumHeight(180);
    m_preview->hide();
    m_previewStatus->setVisible(!m_path.isEmpty());
    if (m_path.isEmpty())
        return;
    // Each change waits for the next (typing a missing token), then the file's first rows are read off the GUI
    // thread.
    m_previewTimer->setSingleShot(true);
    m_previewTimer->setInterval(150);
    connect(m_previewTimer, &QTimer::timeout, this, &ReadSettingsDialog::preview);
    for (QComboBox* box : {m_delimiter, m_decimal, m_header})
        connect(box, &QComboBox::currentIndexChanged, this, &ReadSettingsDialog::schedulePreview);
    connect(m_skipRows, &QSpinBox::valueChanged, this, &ReadSettingsDialog::schedulePreview);
    connect(m_missing, &QLineEdit::textChanged, this, &ReadSettingsDialog::schedulePreview);
    resize(640, 520);
    preview();
}

void ReadSettingsDialog::schedulePreview()
{
    m_previewTask.drop(); // the choices changed: a preview of the old ones is stale
    m_previewStatus->setText(tr("Reading the first rows..."));
    m_previewTimer->start();
}

void ReadSettingsDialog::preview()
{
    data::ReadOptions options;
    settings().applyTo(options);
    m_previewStatus->setText(tr("Reading the first rows..."));
    auto show = [this](const Preview& result) {
        if (!result.error.isEmpty()) {
            m_previewStatus->setText(tr("Read so, the file fails: %1").arg(result.error));
            m_preview->hide();
            Q_EMIT previewed();
            return;
        }
        const auto& rows = result.rows;
        m_previewRows->setDataset(rows);
        m_preview->resizeColumnsToContents();
        const int shown = m_previewRows->rowCount();
        m_preview->show();
        m_previewStatus->setText(
            tr("The first %1 as read so, in %2:")
                .arg(shown == 1 ? tr("row") : tr("%1 rows").arg(shown),
                     rows->columnCount() == 1 ? tr("one column") : tr("%1 columns").arg(rows->columnCount())));
        Q_EMIT previewed();
    };
    m_previewTask.run(
        [path = m_path.toStdString(), options]() -> Preview {
            Preview result;
            try {
                result.rows = std::make_shared<const data::Dataset>(data::readHead(path, kPreviewLines, options));
            } catch (const std::exception& error) {
                result.error = QString::fromStdString(error.what());
            }
            return result;
        },
        show);
}

bool ReadSettingsDialog::isPreviewPending() const
{
    return m_previewTimer->isActive() || m_previewTask.isBusy();
}

data::ReadSettings ReadSettingsDialog::settings() const
{
    data::ReadSettings settings;
    if (const QVariant delimiter = m_delimiter->currentData(); delimiter.isValid())
        settings.delimiter = static_cast<char>(delimiter.toInt());
    if (const QVariant decimal = m_decimal->currentData(); decimal.isValid())
        settings.decimalMark = static_cast<char>(decimal.toInt());
    if (const QVariant header = m_header->currentData(); header.isValid())
        settings.header = header.toBool() ? data::ReadOptions::Header::Present : data::ReadOptions::Header::Absent;
    if (m_skipRows->value() >= 0)
        settings.skipRows = static_cast<std::size_t>(m_skipRows->value());
    if (const QString text = m_missing->text().trimmed(); !text.isEmpty()) {
        std::vector<std::string> tokens;
        for (const QString& token : text.split(QLatin1Char(','), Qt::SkipEmptyParts))
            tokens.push_back(token.trimmed().toStdString());
        settings.missingTokens = std::move(tokens);
    }
    return settings;
}

} // namespace tunebench::ui

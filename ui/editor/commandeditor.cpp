#include "editor/commandeditor.h"

#include <map>

#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QTextBlock>
#include <QToolButton>
#include <QVBoxLayout>

#include "jobs/metricscanner.h"

namespace tunebench::ui {

namespace {

constexpr int kDefaultOutputLimit = 1 << 20; // the spec's default, bytes

QString shortList(const std::vector<double>& values)
{
    QStringList texts;
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (values.size() > 6 && i == 3) {
            texts << QStringLiteral("…");
            i = values.size() - 3;
        }
        texts << QString::number(values[i], 'g', 6);
    }
    return texts.join(QStringLiteral(", "));
}

} // namespace

CommandEditor::CommandEditor(QWidget* parent)
    : QWidget(parent)
    , m_program(new QLineEdit(this))
    , m_arguments(new QPlainTextEdit(this))
    , m_placeholders(new QToolButton(this))
    , m_folder(new QLineEdit(this))
    , m_environment(new QPlainTextEdit(this))
    , m_timeout(new QSpinBox(this))
    , m_outputLimit(new QSpinBox(this))
    , m_metrics(new QTableWidget(0, 2, this))
    , m_sample(new QPlainTextEdit(this))
    , m_captures(new QTableWidget(0, 4, this))
    , m_try(new QPushButton(tr("Try One Trial"), this))
    , m_tryStatus(new QLabel(this))
{
    setObjectName(QStringLiteral("commandEditor"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(createCommandBox());
    layout->addWidget(createMetricsBox());
    setParameterNames({});
    updateCaptures();
}

/// The program, its arguments with placeholders, folder, environment and limits.
QWidget* CommandEditor::createCommandBox()
{
    m_program->setObjectName(QStringLiteral("commandProgram"));
    m_program->setPlaceholderText(tr("program, e.g. python3 or /path/to/train.sh"));
    auto* browse = new QToolButton(this);
    browse->setText(tr("…"));
    browse->setToolTip(tr("Choose the program"));
    connect(browse, &QToolButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Program to run"), m_folder->text());
        if (!path.isEmpty())
            m_program->setText(path);
    });
    m_arguments->setObjectName(QStringLiteral("commandArguments"));
    m_arguments->setPlaceholderText(tr("one argument per line, e.g.\ntrain.py\n--lr\n{learning_rate}\n--train\n"
                                       "{train_path}"));
    m_arguments->setToolTip(tr("Each line is one argument, passed as it is (no shell: spaces stay inside the "
                               "argument). {name} takes a parameter's value; {train_path} and {validation_path} the "
                               "first validation split as CSV files; {data_path} the dataset; {trial} the trial's "
                               "number; {seed} its seed; {checkpoint_dir} a folder of the trial's own, kept when it "
                               "runs again (after a crash too); {gpu} the GPUs it was given."));
    m_arguments->setTabChangesFocus(true);
    m_placeholders->setText(tr("Insert placeholder"));
    m_placeholders->setPopupMode(QToolButton::InstantPopup);
    m_placeholders->setMenu(new QMenu(m_placeholders));
    m_folder->setPlaceholderText(tr("the spec's folder"));
    m_folder->setToolTip(tr("The program runs in this folder"));
    m_environment->setPlaceholderText(tr("NAME=value, one per line (added to PATH, HOME, LANG, TMPDIR, USER)"));
    m_environment->setTabChangesFocus(true);
    m_environment->setMaximumHeight(60);
    m_arguments->setMinimumHeight(90);
    m_timeout->setRange(0, 7 * 24 * 3600);
    m_timeout->setSpecialValueText(tr("no limit"));
    m_timeout->setSuffix(tr(" s"));
    m_timeout->setToolTip(tr("A trial that runs longer fails with \"timed out\""));
    m_outputLimit->setRange(1024, 1 << 30);
    m_outputLimit->setSingleStep(1 << 16);
    m_outputLimit->setValue(kDefaultOutputLimit);
    m_outputLimit->setSuffix(tr(" bytes"));
    m_outputLimit->setToolTip(tr("Output kept per trial (its first and last halves)"));

    auto* box = new QGroupBox(tr("Your script"), this);
    auto* form = new QFormLayout(box);
    auto* programRow = new QHBoxLayout;
    programRow->addWidget(m_program, 1);
    programRow->addWidget(browse);
    form->addRow(tr("Program"), programRow);
    auto* argumentsColumn = new QVBoxLayout;
    argumentsColumn->addWidget(m_arguments, 1);
    argumentsColumn->addWidget(m_placeholders, 0, Qt::AlignLeft);
    form->addRow(tr("Arguments"), argumentsColumn);
    form->addRow(tr("Folder"), m_folder);
    form->addRow(tr("Environment"), m_environment);
    auto* limits = new QHBoxLayout;
    limits->addWidget(m_timeout);
    limits->addWidget(new QLabel(tr("keep"), this));
    limits->addWidget(m_outputLimit);
    limits->addStretch(1);
    form->addRow(tr("Time limit"), limits);

    auto changed = [this] { Q_EMIT edited(); };
    for (QLineEdit* edit : {m_program, m_folder})
        connect(edit, &QLineEdit::textChanged, this, changed);
    for (QPlainTextEdit* edit : {m_arguments, m_environment})
        connect(edit, &QPlainTextEdit::textChanged, this, changed);
    for (QSpinBox* spin : {m_timeout, m_outputLimit})
        connect(spin, &QSpinBox::valueChanged, this, changed);
    return box;
}

/// The metrics' table and the tester.
QWidget* CommandEditor::createMetricsBox()
{
    m_metrics->setObjectName(QStringLiteral("commandMetrics"));
    m_metrics->setHorizontalHeaderLabels({tr("Metric"), tr("Regular expression")});
    m_metrics->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_metrics->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_metrics->verticalHeader()->hide();
    m_metrics->setToolTip(tr("Each match of a metric's expression in the output is one point of its curve (its first "
                             "group in parentheses, or the whole match); the last is its value"));
    auto* add = new QPushButton(tr("Add Metric"), this);
    auto* remove = new QPushButton(tr("Remove"), this);
    connect(add, &QPushButton::clicked, this, [this] { addMetric(); });
    connect(remove, &QPushButton::clicked, this, [this] {
        if (m_metrics->currentRow() >= 0)
            m_metrics->removeRow(m_metrics->currentRow());
    });
    connect(m_metrics, &QTableWidget::itemChanged, this, [this] {
        updateCaptures();
        Q_EMIT metricsChanged();
        Q_EMIT edited();
    });
    connect(m_metrics->model(), &QAbstractItemModel::rowsRemoved, this, [this] {
        updateCaptures();
        Q_EMIT metricsChanged();
        Q_EMIT edited();
    });
    m_sample->setObjectName(QStringLiteral("sampleOutput"));
    m_sample->setPlaceholderText(tr("Test the expressions: paste a few lines of your script's output here"));
    m_sample->setTabChangesFocus(true);
    connect(m_sample, &QPlainTextEdit::textChanged, this, &CommandEditor::updateCaptures);
    m_captures->setObjectName(QStringLiteral("metricCaptures"));
    m_captures->setHorizontalHeaderLabels({tr("Metric"), tr("Matches"), tr("Values read"), tr("Final")});
    m_captures->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_captures->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Stretch);
    m_captures->verticalHeader()->hide();
    m_captures->setWordWrap(false);
    m_captures->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_captures->setSelectionMode(QAbstractItemView::NoSelection);

    // The expressions on the left, pasted output on the right, what each one reads from it below.
    auto* box = new QGroupBox(tr("Metrics read from its output"), this);
    auto* layout = new QGridLayout(box);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(add);
    buttons->addWidget(remove);
    buttons->addStretch(1);
    m_try->setObjectName(QStringLiteral("tryTrial"));
    m_try->setToolTip(tr("Run your script once now, each parameter at the middle of its range (trial number 0, "
                         "nothing recorded), and test the expressions on its output"));
    connect(m_try, &QPushButton::clicked, this, [this] {
        if (m_trying)
            Q_EMIT tryStopRequested();
        else
            Q_EMIT tryRequested();
    });
    m_tryStatus->setWordWrap(true);
    m_tryStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* tryRow = new QHBoxLayout;
    tryRow->addWidget(m_try);
    tryRow->addWidget(m_tryStatus, 1);
    layout->addWidget(m_metrics, 0, 0);
    layout->addLayout(buttons, 1, 0);
    layout->addWidget(m_sample, 0, 1, 2, 1);
    layout->addLayout(tryRow, 2, 0, 1, 2);
    layout->addWidget(m_captures, 3, 0, 1, 2);
    layout->setColumnStretch(0, 1);
    layout->setColumnStretch(1, 1);
    m_metrics->setMinimumHeight(120);
    m_sample->setMinimumHeight(80);
    m_captures->setMinimumHeight(90);
    return box;
}

void CommandEditor::addMetric(const QString& name, const QString& regex)
{
    const QSignalBlocker blocker(m_metrics);
    const int row = m_metrics->rowCount();
    m_metrics->insertRow(row);
    m_metrics->setItem(row, 0, new QTableWidgetItem(name));
    m_metrics->setItem(row, 1, new QTableWidgetItem(regex));
    if (name.isEmpty() && regex.isEmpty()) {
        m_metrics->setCurrentCell(row, 0);
        m_metrics->editItem(m_metrics->item(row, 0));
    }
    updateCaptures();
    Q_EMIT metricsChanged();
    Q_EMIT edited();
}

QStringList CommandEditor::metricNames() const
{
    QStringList names;
    for (int row = 0; row < m_metrics->rowCount(); ++row) {
        const QString name = m_metrics->item(row, 0) ? m_metrics->item(row, 0)->text().trimmed() : QString();
        if (!name.isEmpty())
            names << name;
    }
    return names;
}

void CommandEditor::setParameterNames(const QStringList& names)
{
    m_parameterNames = names;
    QMenu* menu = m_placeholders->menu();
    menu->clear();
    const QStringList data{QStringLiteral("train_path"), QStringLiteral("validation_path"),
                           QStringLiteral("data_path"),  QStringLiteral("trial"),
                           QStringLiteral("seed"),       QStringLiteral("checkpoint_dir"),
                           QStringLiteral("gpu")};
    for (const QStringList& group : {names, data}) {
        for (const QString& name : group) {
            const QString placeholder = QLatin1Char('{') + name + QLatin1Char('}');
            connect(menu->addAction(placeholder), &QAction::triggered, this,
                    [this, placeholder] { insertPlaceholder(placeholder); });
        }
        if (!group.isEmpty() && group == names)
            menu->addSeparator();
    }
}

void CommandEditor::insertPlaceholder(const QString& placeholder)
{
    QTextCursor cursor = m_arguments->textCursor();
    if (!cursor.block().text().isEmpty() && cursor.atBlockEnd())
        cursor.insertText(QStringLiteral("\n"));
    cursor.insertText(placeholder);
    m_arguments->setTextCursor(cursor);
    m_arguments->setFocus();
}

void CommandEditor::setTrying(bool trying, const QString& status)
{
    m_trying = trying;
    m_try->setText(trying ? tr("Stop Trial") : tr("Try One Trial"));
    m_tryStatus->setText(trying ? tr("Running your script once…") : status);
}

void CommandEditor::setObjective(const QString& metric)
{
    m_objective = metric;
    updateCaptures();
}

void CommandEditor::setSampleOutput(const QString& text)
{
    m_sample->setPlainText(text);
}

/// What each expression reads from the sample, with the scanner a run uses.
void CommandEditor::updateCaptures()
{
    std::vector<tuning::MetricPattern> patterns;
    for (int row = 0; row < m_metrics->rowCount(); ++row) {
        auto text = [&](int column) {
            return m_metrics->item(row, column) ? m_metrics->item(row, column)->text().trimmed().toStdString()
                                                : std::string();
        };
        patterns.push_back({text(0), text(1)});
    }
    std::map<std::string, std::vector<double>> values;
    const jobs::MetricScanner scanner(patterns);
    for (const QString& line : m_sample->toPlainText().split(QLatin1Char('\n')))
        scanner.scanLine(
            line, [&](const std::string& name, double value, std::optional<int>) { values[name].push_back(value); });
    m_captures->setRowCount(static_cast<int>(patterns.size()));
    for (int row = 0; row < static_cast<int>(patterns.size()); ++row) {
        const tuning::MetricPattern& pattern = patterns[static_cast<std::size_t>(row)];
        const QString name = QString::fromStdString(pattern.name);
        const QRegularExpression regex(QString::fromStdString(pattern.regex));
        const std::vector<double>& read = values[pattern.name];
        auto* nameItem = new QTableWidgetItem(name == m_objective ? tr("%1 (objective)").arg(name) : name);
        QFont font = nameItem->font();
        font.setBold(name == m_objective);
        nameItem->setFont(font);
        m_captures->setItem(row, 0, nameItem);
        m_captures->setItem(row, 1, new QTableWidgetItem(QString::number(read.size())));
        auto* readItem = new QTableWidgetItem(
            regex.isValid() ? shortList(read) : tr("not a valid expression: %1").arg(regex.errorString()));
        if (!regex.isValid())
            readItem->setForeground(QColor(200, 60, 50));
        QStringList all;
        for (const double value : read)
            all << QString::number(value, 'g', 10);
        readItem->setToolTip(all.join(QStringLiteral(", ")));
        m_captures->setItem(row, 2, readItem);
        m_captures->setItem(row, 3,
                            new QTableWidgetItem(read.empty() ? tr("—") : QString::number(read.back(), 'g', 8)));
    }
}

QJsonObject CommandEditor::json() const
{
    QJsonArray argv{m_program->text().trimmed()};
    for (const QString& line : m_arguments->toPlainText().split(QLatin1Char('\n'))) {
        if (!line.isEmpty())
            argv.append(line);
    }
    QJsonArray metrics;
    for (int row = 0; row < m_metrics->rowCount(); ++row) {
        auto text = [&](int column) {
            return m_metrics->item(row, column) ? m_metrics->item(row, column)->text().trimmed() : QString();
        };
        if (!text(0).isEmpty() || !text(1).isEmpty())
            metrics.append(QJsonObject{{QStringLiteral("name"), text(0)}, {QStringLiteral("regex"), text(1)}});
    }
    QJsonObject command{{QStringLiteral("command"), argv}, {QStringLiteral("metrics"), metrics}};
    if (m_timeout->value() > 0)
        command.insert(QStringLiteral("timeout_seconds"), m_timeout->value());
    if (!m_folder->text().trimmed().isEmpty())
        command.insert(QStringLiteral("working_directory"), m_folder->text().trimmed());
    QJsonObject environment;
    for (const QString& line : m_environment->toPlainText().split(QLatin1Char('\n'))) {
        const qsizetype equals = line.indexOf(QLatin1Char('='));
        if (equals > 0)
            environment.insert(line.left(equals).trimmed(), line.mid(equals + 1));
    }
    if (!environment.isEmpty())
        command.insert(QStringLiteral("environment"), environment);
    if (m_outputLimit->value() != kDefaultOutputLimit)
        command.insert(QStringLiteral("output_limit_bytes"), m_outputLimit->value());
    return command;
}

void CommandEditor::setJson(const QJsonObject& command)
{
    const QSignalBlocker blocker(this);
    const QJsonArray argv = command.value(QLatin1String("command")).toArray();
    m_program->setText(argv.isEmpty() ? QString() : argv.first().toString());
    QStringList arguments;
    for (qsizetype i = 1; i < argv.size(); ++i)
        arguments << argv.at(i).toString();
    m_arguments->setPlainText(arguments.join(QLatin1Char('\n')));
    m_folder->setText(command.value(QLatin1String("working_directory")).toString());
    QStringList environment;
    const QJsonObject variables = command.value(QLatin1String("environment")).toObject();
    for (auto it = variables.begin(); it != variables.end(); ++it)
        environment << it.key() + QLatin1Char('=') + it.value().toVariant().toString();
    m_environment->setPlainText(environment.join(QLatin1Char('\n')));
    m_timeout->setValue(static_cast<int>(command.value(QLatin1String("timeout_seconds")).toDouble(0)));
    m_outputLimit->setValue(
        static_cast<int>(command.value(QLatin1String("output_limit_bytes")).toDouble(kDefaultOutputLimit)));
    {
        const QSignalBlocker metricsBlocker(m_metrics);
        m_metrics->setRowCount(0);
        for (const QJsonValue& metric : command.value(QLatin1String("metrics")).toArray()) {
            const int row = m_metrics->rowCount();
            m_metrics->insertRow(row);
            m_metrics->setItem(row, 0, new QTableWidgetItem(metric.toObject().value(QLatin1String("name")).toString()));
            m_metrics->setItem(row, 1,
                               new QTableWidgetItem(metric.toObject().value(QLatin1String("regex")).toString()));
        }
    }
    updateCaptures();
}

} // namespace tunebench::ui

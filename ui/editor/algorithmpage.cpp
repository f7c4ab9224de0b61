#include "editor/algorithmpage.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include "algorithms/registry.h"
#include "common/text.h"
#include "editor/commandeditor.h"
#include "editor/parametertable.h"

namespace tunebench::ui {

AlgorithmPage::AlgorithmPage(QWidget* parent)
    : QWidget(parent)
    , m_algorithm(new QComboBox(this))
    , m_help(new QLabel(this))
    , m_command(new CommandEditor(this))
    , m_params(new ParameterTable(this))
    , m_freeButtons(new QWidget(this))
    , m_addParameter(new QPushButton(tr("Add Parameter"), m_freeButtons))
{
    m_algorithm->setObjectName(QStringLiteral("algorithmChooser"));
    m_params->setObjectName(QStringLiteral("parameterTable"));
    for (const auto& algorithm : algorithms::allAlgorithms()) {
        m_algorithm->addItem(qs(algorithm->displayName()), qs(algorithm->id()));
        m_algorithm->setItemData(m_algorithm->count() - 1, qs(algorithm->description()), Qt::ToolTipRole);
    }
    m_algorithm->addItem(tr("Your script (a command)"), QStringLiteral("command"));
    m_algorithm->setItemData(m_algorithm->count() - 1,
                             tr("Any program in any language, run once per trial with the trial's values in its "
                                "arguments; its metrics are read from its output"),
                             Qt::ToolTipRole);
    m_help->setWordWrap(true);

    auto* remove = new QPushButton(tr("Remove Parameter"), m_freeButtons);
    auto* buttons = new QHBoxLayout(m_freeButtons);
    buttons->setContentsMargins(0, 0, 0, 0);
    buttons->addWidget(m_addParameter);
    buttons->addWidget(remove);
    buttons->addStretch(1);
    m_addParameter->setObjectName(QStringLiteral("addParameter"));
    connect(m_addParameter, &QPushButton::clicked, this,
            [this] { m_params->addFreeRow(QString(), QStringLiteral("continuous")); });
    connect(remove, &QPushButton::clicked, this, [this] { m_params->removeFreeRow(m_params->currentRow()); });

    auto* layout = new QVBoxLayout(this);
    auto* form = new QFormLayout;
    form->addRow(tr("Algorithm"), m_algorithm);
    layout->addLayout(form);
    layout->addWidget(m_help);
    layout->addWidget(m_command, 2);
    layout->addWidget(m_params, 1);
    layout->addWidget(m_freeButtons);

    connect(m_algorithm, &QComboBox::currentIndexChanged, this, [this] {
        showChosenAlgorithm();
        Q_EMIT algorithmChanged();
        Q_EMIT edited();
    });
    connect(m_params, &ParameterTable::edited, this, [this] {
        if (isCommand()) { // the parameters' names are the arguments' placeholders
            QStringList names;
            for (const ParameterTable::Row& row : m_params->rows())
                names << row.currentName();
            m_command->setParameterNames(names);
        }
        Q_EMIT edited();
    });
    connect(m_command, &CommandEditor::edited, this, &AlgorithmPage::edited);
    showChosenAlgorithm();
}

void AlgorithmPage::showChosenAlgorithm()
{
    const bool command = isCommand();
    m_command->setVisible(command);
    m_freeButtons->setVisible(command);
    if (command) {
        m_help->setText(tr("Your own training script: each trial runs it with its values in the arguments, reads "
                           "the metrics from its output, and keeps that output. Name its parameters below; "
                           "{name} in an argument takes the value."));
        m_params->showFreeRows();
        return;
    }
    const auto algorithm = algorithms::findAlgorithm(algorithmId().toStdString());
    if (!algorithm)
        return;
    m_help->setText(qs(algorithm->description()));
    m_params->showAlgorithm(*algorithm);
}

QString AlgorithmPage::algorithmId() const
{
    return m_algorithm->currentData().toString();
}

QString AlgorithmPage::title() const
{
    return isCommand() ? tr("Your script") : m_algorithm->currentText();
}

bool AlgorithmPage::isCommand() const
{
    return algorithmId() == QLatin1String("command");
}

QString AlgorithmPage::problem() const
{
    return m_params->problem();
}

QJsonObject AlgorithmPage::entry() const
{
    QJsonObject entry{
        {QStringLiteral("algorithm"), isCommand() ? QJsonValue(m_command->json()) : QJsonValue(algorithmId())},
        {QStringLiteral("ranges"), m_params->ranges()}};
    if (const QJsonObject fixed = m_params->fixed(); !fixed.isEmpty())
        entry.insert(QStringLiteral("fixed"), fixed);
    return entry;
}

void AlgorithmPage::setEntry(const QJsonObject& entry)
{
    const QJsonValue algorithm = entry.value(QLatin1String("algorithm"));
    const QString id = algorithm.isObject() ? QStringLiteral("command") : algorithm.toString();
    {
        const QSignalBlocker blocker(m_algorithm);
        m_algorithm->setCurrentIndex(std::max(0, m_algorithm->findData(id)));
    }
    showChosenAlgorithm();
    if (algorithm.isObject())
        m_command->setJson(algorithm.toObject());
    m_params->setValues(entry.value(QLatin1String("fixed")).toObject(),
                        entry.value(QLatin1String("ranges")).toObject());
    if (isCommand()) {
        QStringList names;
        for (const ParameterTable::Row& row : m_params->rows())
            names << row.currentName();
        m_command->setParameterNames(names);
    }
}

} // namespace tunebench::ui

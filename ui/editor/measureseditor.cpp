#include "editor/measureseditor.h"

#include <QComboBox>
#include <QDoubleValidator>
#include <QHBoxLayout>
#include <QJsonObject>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>

#include "tuning/experimentspec.h"

namespace tunebench::ui {

struct MeasuresEditor::Row
{
    QWidget* widget = nullptr;
    QComboBox* kind = nullptr; ///< "objective", ">=", "<="
    QComboBox* metric = nullptr;
    QComboBox* goal = nullptr;
    QLineEdit* bound = nullptr;
};

MeasuresEditor::MeasuresEditor(QWidget* parent)
    : QWidget(parent)
    , m_layout(new QVBoxLayout(this))
    , m_add(new QPushButton(tr("Add Objective or Constraint"), this))
{
    m_layout->setContentsMargins(0, 0, 0, 0);
    m_layout->setSpacing(2);
    m_add->setObjectName(QStringLiteral("addMeasure"));
    m_add->setToolTip(tr("Optimise several objectives at once (the result is a Pareto front), or require a metric to "
                         "stay above or below a bound (fit_seconds, model_size, predict_us_per_row or any score)"));
    auto* addRowLayout = new QHBoxLayout;
    addRowLayout->addWidget(m_add);
    addRowLayout->addStretch(1);
    m_layout->addLayout(addRowLayout);
    connect(m_add, &QPushButton::clicked, this, [this] {
        addRow(QStringLiteral("objective"), m_metrics.value(0), {}, 0.0);
        Q_EMIT changed();
    });
}

void MeasuresEditor::setMetrics(const QStringList& metrics)
{
    m_metrics = metrics;
    for (const auto& row : m_rows) {
        const QString current = row->metric->currentText();
        const QSignalBlocker blocker(row->metric);
        row->metric->clear();
        row->metric->addItems(metrics);
        if (row->metric->findText(current) < 0)
            row->metric->addItem(current);
        row->metric->setCurrentText(current);
    }
}

void MeasuresEditor::addRow(const QString& kind, const QString& metric, const QString& goal, double bound)
{
    m_rows.push_back(std::make_unique<Row>());
    Row* row = m_rows.back().get();
    row->widget = new QWidget(this);
    row->kind = new QComboBox(row->widget);
    row->kind->setObjectName(QStringLiteral("measureKind"));
    row->kind->addItem(tr("also"), QStringLiteral("objective"));
    row->kind->addItem(tr("at least"), QStringLiteral(">="));
    row->kind->addItem(tr("at most"), QStringLiteral("<="));
    row->kind->setToolTip(tr("also: another objective; at least / at most: a constraint every trial must meet"));
    row->metric = new QComboBox(row->widget);
    row->metric->setObjectName(QStringLiteral("measureMetric"));
    row->metric->addItems(m_metrics);
    // Narrow enough for the data column beside the search panel (names show whole in the list).
    row->metric->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    row->metric->setMinimumContentsLength(10);
    if (!metric.isEmpty() && row->metric->findText(metric) < 0)
        row->metric->addItem(metric);
    row->metric->setCurrentText(metric);
    row->goal = new QComboBox(row->widget);
    row->goal->addItem(tr("maximize"), QStringLiteral("maximize"));
    row->goal->addItem(tr("minimize"), QStringLiteral("minimize"));
    row->bound = new QLineEdit(row->widget);
    row->bound->setObjectName(QStringLiteral("measureBound"));
    auto* validator = new QDoubleValidator(row->bound);
    validator->setLocale(QLocale::c()); // as the spec writes numbers
    row->bound->setValidator(validator);
    row->bound->setText(QString::number(bound, 'g', 12));
    row->bound->setMaximumWidth(80);
    auto* remove = new QToolButton(row->widget);
    remove->setText(QStringLiteral("\u2715"));
    remove->setToolTip(tr("Remove this row"));
    remove->setAutoRaise(true);
    auto* layout = new QHBoxLayout(row->widget);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(row->kind);
    layout->addWidget(row->metric, 1);
    layout->addWidget(row->goal);
    layout->addWidget(row->bound);
    layout->addWidget(remove);
    m_layout->insertWidget(m_layout->count() - 1, row->widget);

    auto showKind = [row] {
        const bool objective = row->kind->currentData().toString() == QLatin1String("objective");
        row->goal->setVisible(objective);
        row->bound->setVisible(!objective);
    };
    auto defaultGoal = [row] {
        const std::string name = row->metric->currentText().toStdString();
        for (const auto* list : {&tuning::builtinMetrics(), &tuning::builtinCosts()}) {
            if (const auto known = list->find(name); known != list->end())
                row->goal->setCurrentIndex(known->second ? 0 : 1);
        }
    };
    row->kind->setCurrentIndex(std::max(0, row->kind->findData(kind)));
    if (goal.isEmpty())
        defaultGoal();
    else
        row->goal->setCurrentIndex(goal == QLatin1String("minimize") ? 1 : 0);
    showKind();
    connect(row->kind, &QComboBox::currentIndexChanged, this, [this, showKind] {
        showKind();
        Q_EMIT changed();
    });
    connect(row->metric, &QComboBox::currentIndexChanged, this, [this, defaultGoal] {
        defaultGoal();
        Q_EMIT changed();
    });
    connect(row->goal, &QComboBox::currentIndexChanged, this, &MeasuresEditor::changed);
    connect(row->bound, &QLineEdit::textEdited, this, &MeasuresEditor::changed);
    connect(remove, &QToolButton::clicked, this, [this, widget = row->widget] {
        removeRow(widget);
        Q_EMIT changed();
    });
}

void MeasuresEditor::removeRow(QWidget* widget)
{
    for (auto it = m_rows.begin(); it != m_rows.end(); ++it) {
        if ((*it)->widget == widget) {
            widget->deleteLater();
            m_rows.erase(it);
            return;
        }
    }
}

void MeasuresEditor::setMeasures(const QJsonArray& objectives, const QJsonArray& constraints)
{
    while (!m_rows.empty())
        removeRow(m_rows.back()->widget);
    for (const QJsonValue& value : objectives) {
        const QJsonObject objective = value.toObject();
        addRow(QStringLiteral("objective"), objective.value(QLatin1String("metric")).toString(),
               objective.value(QLatin1String("goal")).toString(), 0.0);
    }
    for (const QJsonValue& value : constraints) {
        const QJsonObject constraint = value.toObject();
        const bool atLeast = constraint.contains(QLatin1String(">="));
        addRow(atLeast ? QStringLiteral(">=") : QStringLiteral("<="),
               constraint.value(QLatin1String("metric")).toString(), {},
               constraint.value(atLeast ? QLatin1String(">=") : QLatin1String("<=")).toDouble());
    }
}

QJsonArray MeasuresEditor::objectives() const
{
    QJsonArray list;
    for (const auto& row : m_rows) {
        if (row->kind->currentData().toString() == QLatin1String("objective"))
            list.append(QJsonObject{{QStringLiteral("metric"), row->metric->currentText()},
                                    {QStringLiteral("goal"), row->goal->currentData().toString()}});
    }
    return list;
}

QJsonArray MeasuresEditor::constraints() const
{
    QJsonArray list;
    for (const auto& row : m_rows) {
        const QString kind = row->kind->currentData().toString();
        if (kind != QLatin1String("objective"))
            list.append(QJsonObject{{QStringLiteral("metric"), row->metric->currentText()},
                                    {kind, row->bound->text().toDouble()}});
    }
    return list;
}

MeasuresEditor::~MeasuresEditor() = default;

} // namespace tunebench::ui

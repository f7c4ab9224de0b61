#include "editor/parametertable.h"

#include <algorithm>

#include <QCheckBox>
#include <QComboBox>
#include <QHeaderView>
#include <QJsonArray>
#include <QLineEdit>
#include <QMenu>
#include <QRegularExpression>
#include <QToolButton>

#include "common/text.h"

namespace tunebench::ui {

namespace {

// The checked values as the button's text and, in full, its tooltip (a long list is cut at the cell's edge).
void showChecked(QToolButton* button)
{
    QStringList values;
    for (const QAction* action : button->menu()->actions()) {
        if (action->isChecked())
            values << action->text();
    }
    const QString checked = values.isEmpty() ? QObject::tr("(none)") : values.join(QStringLiteral(", "));
    button->setText(checked);
    button->setToolTip(QObject::tr("The values to search: %1").arg(checked));
}

/// A value as the form shows it: numbers to 12 significant digits (0.9, not 0.90000000000000002).
QString displayValue(const algorithms::ParamValue& value)
{
    if (const auto* number = std::get_if<double>(&value))
        return QString::number(*number, 'g', 12);
    if (const auto* integer = std::get_if<std::int64_t>(&value))
        return QString::number(*integer);
    if (const auto* flag = std::get_if<bool>(&value))
        return *flag ? QStringLiteral("true") : QStringLiteral("false");
    return qs(std::get<std::string>(value));
}

QStringList splitValues(const QString& text)
{
    QStringList values;
    for (const QString& value : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        if (!value.trimmed().isEmpty())
            values << value.trimmed();
    }
    return values;
}

QComboBox* scaleChooser(QWidget* parent, bool continuous)
{
    auto* scale = new QComboBox(parent);
    scale->addItem(QObject::tr("linear"), QStringLiteral("linear"));
    scale->addItem(QObject::tr("log"), QStringLiteral("log"));
    if (continuous)
        scale->addItem(QObject::tr("reverse log"), QStringLiteral("reverse_log"));
    scale->addItem(QObject::tr("listed"), QStringLiteral("values"));
    scale->setToolTip(QObject::tr("How values are spread: linear; log (uniform in log(value), needs a positive "
                                  "lower bound: learning rates, strengths); reverse log (uniform in log(1 - value), "
                                  "0 <= from < to < 1: values close to 1 such as momentum); listed (only the values "
                                  "written in From: 3, 5, 8)"));
    return scale;
}

} // namespace

QString conditionText(const QJsonObject& when)
{
    if (when.isEmpty())
        return {};
    const QString parent = when.begin().key();
    const QJsonValue test = when.begin().value();
    if (test.isObject()) {
        const QJsonObject interval = test.toObject();
        const bool min = interval.contains(QLatin1String("min"));
        const bool max = interval.contains(QLatin1String("max"));
        if (min && max)
            return QStringLiteral("%1 <= %2 <= %3")
                .arg(jsonText(interval.value(QLatin1String("min"))), parent,
                     jsonText(interval.value(QLatin1String("max"))));
        if (min)
            return QStringLiteral("%1 >= %2").arg(parent, jsonText(interval.value(QLatin1String("min"))));
        return QStringLiteral("%1 <= %2").arg(parent, jsonText(interval.value(QLatin1String("max"))));
    }
    QStringList values;
    if (test.isArray()) {
        for (const QJsonValue& value : test.toArray())
            values << jsonText(value);
    } else
        values << jsonText(test);
    return QStringLiteral("%1 = %2").arg(parent, values.join(QStringLiteral(", ")));
}

std::optional<QJsonObject> conditionFromText(const QString& text, QString* error)
{
    const QString line = text.trimmed();
    if (line.isEmpty())
        return QJsonObject{};
    static const QString name = QStringLiteral("([A-Za-z_][\\w.]*)");
    static const QString number = QStringLiteral("([-+]?[0-9.]+(?:[eE][-+]?[0-9]+)?)");
    static const QRegularExpression between(QStringLiteral("^%1\\s*<=\\s*%2\\s*<=\\s*%1$").arg(number, name));
    static const QRegularExpression bound(QStringLiteral("^%1\\s*(>=|<=)\\s*%2$").arg(name, number));
    static const QRegularExpression among(QStringLiteral("^%1\\s*(?:=|\\bin\\b)\\s*(.+)$").arg(name));
    if (const auto match = between.match(line); match.hasMatch())
        return QJsonObject{{match.captured(2),
                            QJsonObject{{QStringLiteral("min"), match.captured(1).toDouble()},
                                        {QStringLiteral("max"), match.captured(3).toDouble()}}}};
    if (const auto match = bound.match(line); match.hasMatch())
        return QJsonObject{
            {match.captured(1),
             QJsonObject{{match.captured(2) == QLatin1String(">=") ? QStringLiteral("min") : QStringLiteral("max"),
                          match.captured(3).toDouble()}}}};
    if (const auto match = among.match(line); match.hasMatch() && !splitValues(match.captured(2)).isEmpty())
        return QJsonObject{{match.captured(1), QJsonArray::fromStringList(splitValues(match.captured(2)))}};
    if (error)
        *error = QObject::tr("'%1' is not a condition: write \"parent = a, b\", \"parent >= 2\", \"parent <= 8\" "
                             "or \"2 <= parent <= 8\"")
                     .arg(line);
    return std::nullopt;
}

QString ParameterTable::Row::valueText() const
{
    if (const auto* edit = qobject_cast<const QLineEdit*>(value))
        return edit->text();
    return static_cast<const QComboBox*>(value)->currentText();
}

void ParameterTable::Row::setValueText(const QString& text) const
{
    if (auto* edit = qobject_cast<QLineEdit*>(value))
        edit->setText(text);
    else
        static_cast<QComboBox*>(value)->setCurrentText(text);
}

QString ParameterTable::Row::currentName() const
{
    return nameEdit ? nameEdit->text().trimmed() : name;
}

bool ParameterTable::Row::isNumeric() const
{
    if (type)
        return type->currentData().toString() == QLatin1String("continuous")
            || type->currentData().toString() == QLatin1String("integer");
    return paramType == algorithms::ParamType::Continuous || paramType == algorithms::ParamType::Integer;
}

ParameterTable::ParameterTable(QWidget* parent)
    : QTableWidget(parent)
{
    setColumnCount(ColumnCount);
    setHorizontalHeaderLabels(
        {tr("Parameter"), tr("Type"), tr("Tune"), tr("Value"), tr("From"), tr("To"), tr("Scale"), tr("When")});
    horizontalHeaderItem(WhenColumn)
        ->setToolTip(tr("Search this range only when another searched parameter takes certain values: "
                        "\"optimizer = sgd\", \"hidden_layers >= 2\", \"2 <= max_depth <= 8\""));
    verticalHeader()->hide();
    QHeaderView* header = horizontalHeader();
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    for (const int column : {ValueColumn, FromColumn, ToColumn, WhenColumn})
        header->setSectionResizeMode(column, QHeaderView::Stretch);
    setSelectionMode(QAbstractItemView::NoSelection);
    setMinimumHeight(240);
    setColumnHidden(TypeColumn, true);
}

void ParameterTable::showAlgorithm(const algorithms::Algorithm& algorithm)
{
    m_rows.clear();
    m_free = false;
    clearSpans();
    setRowCount(0);
    setColumnHidden(TypeColumn, true);
    const std::vector<algorithms::ParamSpec> schema = algorithm.params();
    for (const algorithms::ParamSpec& param : schema)
        addSchemaRow(param);
    resizeRowsToContents();
}

void ParameterTable::showFreeRows()
{
    m_rows.clear();
    m_free = true;
    clearSpans();
    setRowCount(0);
    setColumnHidden(TypeColumn, false);
}

void ParameterTable::addSchemaRow(const algorithms::ParamSpec& param)
{
    const int row = rowCount();
    insertRow(row);
    Row editors;
    editors.name = qs(param.name);
    editors.paramType = param.type;
    editors.classesDefault = displayValue(param.defaultFor(data::Task::Binary));
    editors.numbersDefault = displayValue(param.defaultFor(data::Task::Regression));
    editors.severalClassesDefault = displayValue(param.defaultFor(data::Task::Multiclass));
    const QString defaultText = editors.classesDefault;
    editors.shownDefault = defaultText;
    QString defaults = tr("\nDefault: %1").arg(defaultText);
    if (editors.numbersDefault != defaultText || editors.severalClassesDefault != defaultText)
        defaults = editors.severalClassesDefault == defaultText
            ? tr("\nDefault: %1 for classes, %2 for a number to predict").arg(defaultText, editors.numbersDefault)
            : tr("\nDefault: %1 for two classes, %2 for three or more, %3 for a number to predict")
                  .arg(defaultText, editors.severalClassesDefault, editors.numbersDefault);
    QString help = qs(param.help) + defaults;
    const bool numeric
        = param.type == algorithms::ParamType::Continuous || param.type == algorithms::ParamType::Integer;
    if (numeric)
        help += tr("\nAllowed: %1 to %2%3")
                    .arg(param.min)
                    .arg(param.max)
                    .arg(param.scaling == algorithms::Scaling::Log ? tr(", usually searched on a log scale")
                                                                   : QString());
    editors.classificationOnly = param.classificationOnly;
    if (param.classificationOnly)
        help += tr("\nClassification only: greyed out when the target is a number to predict.");
    editors.categoryCodesOnly = param.categoryCodesOnly;
    if (param.categoryCodesOnly)
        help += tr("\nCategory codes only: greyed out when categories are one-hot.");
    auto* name = new QTableWidgetItem(editors.name);
    name->setToolTip(help);
    name->setFlags(Qt::ItemIsEnabled);
    setItem(row, NameColumn, name);

    QStringList choices;
    if (!numeric) {
        if (param.type == algorithms::ParamType::Boolean)
            choices = {QStringLiteral("true"), QStringLiteral("false")};
        for (const std::string& v : param.values)
            choices << qs(v);
    }
    addRangeEditors(editors, row, help, numeric, choices, &param);
    editors.setValueText(defaultText);
    m_rows.push_back(editors);
    syncRow(m_rows.back());
}

/// Tune, value, from, to, scale and when of a row: for a schema's parameter (`param`) or a free one.
void ParameterTable::addRangeEditors(Row& editors, int row, const QString& help, bool numeric,
                                     const QStringList& choices, const algorithms::ParamSpec* param)
{
    auto changed = [this] { Q_EMIT edited(); };
    editors.tune = new QCheckBox(this);
    editors.tune->setToolTip(tr("Search this parameter instead of fixing it"));
    setCellWidget(row, TuneColumn, editors.tune);
    connect(editors.tune, &QCheckBox::toggled, this, [this, tune = editors.tune] {
        syncRowHolding(tune);
        Q_EMIT edited();
    });
    editors.when = new QLineEdit(this);
    editors.when->setPlaceholderText(tr("always"));
    editors.when->setToolTip(horizontalHeaderItem(WhenColumn)->toolTip());
    connect(editors.when, &QLineEdit::textChanged, this, changed);
    setCellWidget(row, WhenColumn, editors.when);

    if (param && !numeric) { // a schema's choices: a combo box, and the values to search as checkable actions
        auto* value = new QComboBox(this);
        value->addItems(choices);
        value->setToolTip(help);
        connect(value, &QComboBox::currentIndexChanged, this, changed);
        auto* button = new QToolButton(this);
        button->setPopupMode(QToolButton::InstantPopup);
        button->setToolButtonStyle(Qt::ToolButtonTextOnly);
        button->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
        auto* menu = new QMenu(button);
        for (const QString& v : choices) {
            QAction* action = menu->addAction(v);
            action->setCheckable(true);
            // The first choices to search: the schema's, else all of them.
            action->setChecked(param->searchValues.empty()
                               || std::ranges::find(param->searchValues, v.toStdString()) != param->searchValues.end());
            connect(action, &QAction::toggled, this, [this, button] {
                showChecked(button);
                Q_EMIT edited();
            });
        }
        button->setMenu(menu);
        showChecked(button);
        editors.value = value;
        editors.from = button;
        setCellWidget(row, ValueColumn, value);
        setCellWidget(row, FromColumn, button);
        setSpan(row, FromColumn, 1, 3); // a list of names takes From, To and Scale
        return;
    }
    auto* value = new QLineEdit(this);
    auto* from = new QLineEdit(this);
    auto* to = new QLineEdit(this);
    editors.scale = scaleChooser(this, !param || param->type == algorithms::ParamType::Continuous);
    if (param) { // the first range: where the schema says a search should start, else its bounds
        const auto [low, high] = param->searchRange.value_or(std::make_pair(param->min, param->max));
        const bool integer = param->type == algorithms::ParamType::Integer;
        from->setText(integer ? displayValue(static_cast<std::int64_t>(low)) : displayValue(low));
        to->setText(integer ? displayValue(static_cast<std::int64_t>(high)) : displayValue(high));
        editors.schemaScaling = param->scaling == algorithms::Scaling::Log ? QStringLiteral("log")
            : param->scaling == algorithms::Scaling::ReverseLog && param->type == algorithms::ParamType::Continuous
            ? QStringLiteral("reverse_log")
            : QStringLiteral("linear");
        // The first search: on the schema's scale where the start of the range allows it.
        const bool allowed = editors.schemaScaling == QLatin1String("log") ? low > 0
            : editors.schemaScaling == QLatin1String("reverse_log")        ? low >= 0 && high < 1
                                                                           : true;
        editors.scale->setCurrentIndex(allowed ? editors.scale->findData(editors.schemaScaling) : 0);
    }
    for (QLineEdit* edit : {value, from, to}) {
        edit->setToolTip(help);
        connect(edit, &QLineEdit::textChanged, this, changed);
    }
    connect(editors.scale, &QComboBox::currentIndexChanged, this, [this, scale = editors.scale] {
        syncRowHolding(scale);
        Q_EMIT edited();
    });
    editors.value = value;
    editors.from = from;
    editors.to = to;
    setCellWidget(row, ValueColumn, value);
    setCellWidget(row, FromColumn, from);
    setCellWidget(row, ToColumn, to);
    setCellWidget(row, ScaleColumn, editors.scale);
}

void ParameterTable::addFreeRow(const QString& name, const QString& type)
{
    const int row = rowCount();
    insertRow(row);
    Row editors;
    editors.nameEdit = new QLineEdit(name, this);
    editors.nameEdit->setPlaceholderText(tr("name"));
    editors.nameEdit->setToolTip(tr("The placeholder {name} in the command's arguments takes this value"));
    setCellWidget(row, NameColumn, editors.nameEdit);
    editors.type = new QComboBox(this);
    editors.type->addItem(tr("continuous"), QStringLiteral("continuous"));
    editors.type->addItem(tr("integer"), QStringLiteral("integer"));
    editors.type->addItem(tr("categorical"), QStringLiteral("categorical"));
    editors.type->addItem(tr("boolean"), QStringLiteral("boolean"));
    editors.type->setCurrentIndex(std::max(0, editors.type->findData(type)));
    setCellWidget(row, TypeColumn, editors.type);
    addRangeEditors(editors, row, tr("A value of your script's; categorical ranges list values: a, b, c"), true, {},
                    nullptr);
    connect(editors.nameEdit, &QLineEdit::textChanged, this, [this] { Q_EMIT edited(); });
    connect(editors.type, &QComboBox::currentIndexChanged, this, [this, type = editors.type] {
        syncRowHolding(type);
        Q_EMIT edited();
    });
    m_rows.push_back(editors);
    syncRow(m_rows.back());
    resizeRowsToContents();
    Q_EMIT edited();
}

void ParameterTable::removeFreeRow(int row)
{
    if (!m_free || row < 0 || row >= static_cast<int>(m_rows.size()))
        return;
    m_rows.erase(m_rows.begin() + row);
    removeRow(row);
    Q_EMIT edited();
}

void ParameterTable::syncRowHolding(const QObject* editor) const
{
    for (const Row& r : m_rows) {
        if (r.tune == editor || r.scale == editor || r.type == editor)
            syncRow(r);
    }
}

// Range editors only make sense while tuning, the value only while fixed; a free row's To and Scale only for
// numbers.
void ParameterTable::syncRow(const Row& r) const
{
    const bool tuned = r.tune->isChecked();
    r.value->setEnabled(!tuned);
    r.when->setEnabled(tuned);
    r.from->setEnabled(tuned && !(r.type && r.type->currentData().toString() == QLatin1String("boolean")));
    const bool numeric = r.isNumeric();
    const bool listed = r.scale && r.scale->currentData().toString() == QLatin1String("values");
    if (r.to)
        r.to->setEnabled(tuned && numeric && !listed);
    if (r.scale)
        r.scale->setEnabled(tuned && numeric);
    if (auto* from = qobject_cast<QLineEdit*>(r.from))
        from->setPlaceholderText(listed ? tr("3, 5, 8") : numeric ? tr("from") : tr("a, b, c"));
}

QJsonObject ParameterTable::fixed() const
{
    QJsonObject fixed;
    for (const Row& row : m_rows) {
        if (row.tune->isChecked() || row.currentName().isEmpty())
            continue;
        const QString text = row.valueText();
        if (m_free) {
            if (!text.trimmed().isEmpty())
                fixed.insert(row.currentName(), text.trimmed());
            continue;
        }
        if (text == row.shownDefault && !row.fixedBySpec)
            continue; // the algorithm's default for the task: left to the algorithm
        if (row.paramType == algorithms::ParamType::Integer || row.paramType == algorithms::ParamType::Continuous)
            fixed.insert(row.name, numberOrText(text, row.paramType == algorithms::ParamType::Integer));
        else if (row.paramType == algorithms::ParamType::Boolean)
            fixed.insert(row.name, text == QLatin1String("true"));
        else
            fixed.insert(row.name, text);
    }
    return fixed;
}

QJsonValue ParameterTable::rangeOf(const Row& row) const
{
    QJsonObject range;
    const QString type
        = row.type ? row.type->currentData().toString() : QString::fromLatin1(algorithms::toString(row.paramType));
    const bool integer = type == QLatin1String("integer");
    if (row.isNumeric() && row.scale->currentData().toString() == QLatin1String("values")) {
        QJsonArray values; // a few numbers to choose from: "max_depth": [3, 5, 8]
        for (const QString& value : splitValues(static_cast<QLineEdit*>(row.from)->text()))
            values.append(numberOrText(value, integer));
        range = {{QStringLiteral("type"), QStringLiteral("categorical")}, {QStringLiteral("values"), values}};
    } else if (row.isNumeric()) {
        range = {{QStringLiteral("type"), integer ? QStringLiteral("integer") : QStringLiteral("continuous")},
                 {QStringLiteral("min"), numberOrText(static_cast<QLineEdit*>(row.from)->text(), integer)},
                 {QStringLiteral("max"), numberOrText(row.to->text(), integer)},
                 {QStringLiteral("scaling"), row.scale->currentData().toString()}};
    } else if (row.type && type == QLatin1String("boolean")) {
        range = {{QStringLiteral("type"), QStringLiteral("boolean")}};
    } else if (row.type) { // free choices, as typed
        range = {{QStringLiteral("type"), QStringLiteral("categorical")},
                 {QStringLiteral("values"),
                  QJsonArray::fromStringList(splitValues(static_cast<QLineEdit*>(row.from)->text()))}};
    } else {
        QJsonArray values;
        for (const QAction* action : static_cast<QToolButton*>(row.from)->menu()->actions()) {
            if (!action->isChecked())
                continue;
            if (row.paramType == algorithms::ParamType::Boolean)
                values.append(action->text() == QLatin1String("true"));
            else
                values.append(action->text());
        }
        range = {{QStringLiteral("type"), QStringLiteral("categorical")}, {QStringLiteral("values"), values}};
    }
    if (const auto when = conditionFromText(row.when->text(), nullptr); when && !when->isEmpty())
        range.insert(QStringLiteral("when"), *when);
    return range;
}

QJsonObject ParameterTable::ranges() const
{
    QJsonObject ranges;
    for (const Row& row : m_rows) {
        if (row.tune->isChecked() && !row.currentName().isEmpty())
            ranges.insert(row.currentName(), rangeOf(row));
    }
    return ranges;
}

bool ParameterTable::searchesAnything() const
{
    return std::ranges::any_of(m_rows, [](const Row& row) { return row.tune->isChecked(); });
}

QString ParameterTable::problem() const
{
    for (const Row& row : m_rows) {
        QString error;
        if (row.tune->isChecked() && !conditionFromText(row.when->text(), &error))
            return tr("%1: when: %2").arg(row.currentName(), error);
        if (m_free && row.currentName().isEmpty())
            return tr("a parameter of the command has no name");
    }
    return {};
}

void ParameterTable::setRange(const Row& row, const QJsonValue& range) const
{
    const QJsonObject object = range.toObject();
    row.when->setText(conditionText(object.value(QLatin1String("when")).toObject()));
    row.when->setCursorPosition(0); // its start, the parent's name, when the cell is narrow
    const QJsonArray values = range.isArray() ? range.toArray() : object.value(QLatin1String("values")).toArray();
    if (auto* button = qobject_cast<QToolButton*>(row.from)) {
        QStringList chosen;
        for (const QJsonValue& v : values) // SageMaker writes booleans "True" and "False"
            chosen << (row.paramType == algorithms::ParamType::Boolean ? jsonText(v).toLower() : jsonText(v));
        const bool all = values.isEmpty(); // {"type": "boolean"}: both
        for (QAction* action : button->menu()->actions())
            action->setChecked(all || chosen.contains(action->text()));
        showChecked(button);
        return;
    }
    const bool listed = range.isArray()
        || object.value(QLatin1String("type")).toString() == QLatin1String("categorical")
        || (!object.contains(QLatin1String("type")) && object.contains(QLatin1String("values")));
    if (listed && row.isNumeric()) // numbers to choose from: "listed" on the scale
        row.scale->setCurrentIndex(row.scale->findData(QStringLiteral("values")));
    if ((row.type && !row.isNumeric()) || (listed && row.isNumeric())) {
        QStringList texts;
        for (const QJsonValue& v : values)
            texts << jsonText(v);
        static_cast<QLineEdit*>(row.from)->setText(texts.join(QStringLiteral(", ")));
        return;
    }
    static_cast<QLineEdit*>(row.from)->setText(jsonText(object.value(QLatin1String("min"))));
    row.to->setText(jsonText(object.value(QLatin1String("max"))));
    QString scaling = object.value(QLatin1String("scaling")).toString();
    if (scaling.isEmpty() || scaling == QLatin1String("auto"))
        scaling = row.schemaScaling; // as the parser reads "auto"
    row.scale->setCurrentIndex(std::max(0, row.scale->findData(scaling)));
}

void ParameterTable::setValues(const QJsonObject& fixed, const QJsonObject& ranges)
{
    const QSignalBlocker blocker(this);
    if (m_free) {
        showFreeRows();
        for (auto it = fixed.begin(); it != fixed.end(); ++it) {
            addFreeRow(it.key(), it.value().isString() ? QStringLiteral("categorical") : QStringLiteral("continuous"));
            m_rows.back().setValueText(jsonText(it.value()));
        }
        for (auto it = ranges.begin(); it != ranges.end(); ++it) {
            const QJsonValue range = it.value();
            const QString type = range.isArray()
                ? QStringLiteral("categorical")
                : range.toObject()
                      .value(QLatin1String("type"))
                      .toString(range.toObject().contains(QLatin1String("values")) ? QStringLiteral("categorical")
                                                                                   : QStringLiteral("continuous"));
            addFreeRow(it.key(), type);
            m_rows.back().tune->setChecked(true);
            setRange(m_rows.back(), range);
        }
        return;
    }
    for (Row& row : m_rows) {
        row.fixedBySpec = fixed.contains(row.name);
        if (row.fixedBySpec)
            row.setValueText(jsonText(fixed.value(row.name)));
        row.tune->setChecked(ranges.contains(row.name));
        if (ranges.contains(row.name))
            setRange(row, ranges.value(row.name));
        else
            row.when->clear();
    }
}

void ParameterTable::applyContext(std::optional<data::Task> task, bool categoryCodes)
{
    const bool regression = task && *task == data::Task::Regression;
    for (Row& row : m_rows) {
        if (row.type)
            continue; // a script's own parameter
        // A value the user left at its default follows the task's default (xgboost's depth: 6 for classes, 3 for
        // a number); one typed stays.
        const QString taskDefault = regression        ? row.numbersDefault
            : task && *task == data::Task::Multiclass ? row.severalClassesDefault
                                                      : row.classesDefault;
        if (taskDefault != row.shownDefault && row.valueText() == row.shownDefault) {
            const QSignalBlocker blocker(row.value);
            row.setValueText(taskDefault);
        }
        row.shownDefault = taskDefault;
        if (!row.classificationOnly && !row.categoryCodesOnly)
            continue;
        const bool inert = (row.classificationOnly && regression) || (row.categoryCodesOnly && !categoryCodes);
        if (inert)
            row.tune->setChecked(false); // a search over it would run the same model again and again
        row.tune->setEnabled(!inert);
        row.value->setEnabled(!inert && !row.tune->isChecked());
    }
}

const ParameterTable::Row* ParameterTable::row(const QString& name) const
{
    for (const Row& row : m_rows) {
        if (row.currentName() == name)
            return &row;
    }
    return nullptr;
}

} // namespace tunebench::ui

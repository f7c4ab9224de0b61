#include "tuning/experimentspec.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <set>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include "algorithms/paramsjson.h"
#include "algorithms/registry.h"
#include "data/datasetinfo.h"

namespace tunebench::tuning {

const std::map<std::string, bool, std::less<>>& builtinMetrics()
{
    static const std::map<std::string, bool, std::less<>> metrics{
        {"accuracy", true}, {"balanced_accuracy", true}, {"f1_macro", true},     {"log_loss", false}, {"auc", true},
        {"pr_auc", true},   {"precision_macro", true},   {"recall_macro", true}, {"rmse", false},     {"mae", false},
        {"r2", true},
    };
    return metrics;
}

const std::map<std::string, bool, std::less<>>& builtinCosts()
{
    static const std::map<std::string, bool, std::less<>> costs{
        {"fit_seconds", false}, {"model_size", false}, {"predict_us_per_row", false}};
    return costs;
}

namespace {

std::string str(const QString& text)
{
    return text.toStdString();
}

/// A JSON value with the path that leads to it, for errors that say where.
class Node
{
public:
    Node(QJsonValue value, std::string path, const std::string* source)
        : m_value(std::move(value))
        , m_path(std::move(path))
        , m_source(source)
    { }

    [[noreturn]] void fail(const std::string& message) const
    {
        throw SpecError(*m_source + ": " + (m_path.empty() ? "" : m_path + ": ") + message);
    }
    [[nodiscard]] const QJsonValue& value() const { return m_value; }
    [[nodiscard]] const std::string& path() const { return m_path; }
    [[nodiscard]] bool isObject() const { return m_value.isObject(); }

    [[nodiscard]] Node operator[](const char* key) const
    {
        return {m_value.toObject().value(QLatin1String(key)), join(key), m_source};
    }
    [[nodiscard]] Node at(qsizetype index) const
    {
        return {m_value.toArray().at(index), m_path + "[" + std::to_string(index) + "]", m_source};
    }
    [[nodiscard]] bool has(const char* key) const
    {
        const QJsonValue v = m_value.toObject().value(QLatin1String(key));
        return !v.isUndefined() && !v.isNull();
    }
    [[nodiscard]] QJsonObject object() const
    {
        if (!m_value.isObject())
            fail("expected an object");
        return m_value.toObject();
    }
    [[nodiscard]] QJsonArray array() const
    {
        if (!m_value.isArray())
            fail("expected a list");
        return m_value.toArray();
    }
    [[nodiscard]] std::vector<std::string> keys() const
    {
        std::vector<std::string> out;
        for (const QString& key : object().keys())
            out.push_back(str(key));
        return out;
    }
    /// Fails on keys outside `allowed`, which catches typos such as "max_trail".
    void allowOnly(std::initializer_list<const char*> allowed) const
    {
        for (const std::string& key : keys()) {
            if (std::none_of(allowed.begin(), allowed.end(), [&](const char* a) { return key == a; })) {
                std::string list;
                for (const char* a : allowed)
                    list += (list.empty() ? "" : ", ") + std::string(a);
                fail("unknown key '" + key + "' (expected one of: " + list + ")");
            }
        }
    }
    [[nodiscard]] std::string string() const
    {
        if (!m_value.isString())
            fail("expected text");
        return str(m_value.toString());
    }
    /// A number, also accepted as text (SageMaker writes "0.01").
    [[nodiscard]] double number() const
    {
        if (m_value.isDouble())
            return m_value.toDouble();
        if (m_value.isString()) {
            bool ok = false;
            const double v = m_value.toString().trimmed().toDouble(&ok);
            if (ok && std::isfinite(v))
                return v;
        }
        fail("expected a number");
    }
    [[nodiscard]] std::int64_t integer(std::int64_t min = INT64_MIN) const
    {
        const double v = number();
        if (v != std::floor(v) || std::abs(v) > 9e15)
            fail("expected an integer");
        if (v < static_cast<double>(min))
            fail("must be at least " + std::to_string(min));
        return static_cast<std::int64_t>(v);
    }
    [[nodiscard]] bool boolean() const
    {
        if (m_value.isBool())
            return m_value.toBool();
        if (m_value.isString()) {
            const QString text = m_value.toString().toLower();
            if (text == QLatin1String("true") || text == QLatin1String("enabled"))
                return true;
            if (text == QLatin1String("false") || text == QLatin1String("disabled"))
                return false;
        }
        fail("expected true or false");
    }
    /// Any scalar as the text a ParamSpec parses ("0.1", "3", "relu", "true").
    [[nodiscard]] std::string scalarText() const
    {
        if (m_value.isString())
            return str(m_value.toString());
        if (m_value.isBool())
            return m_value.toBool() ? "true" : "false";
        if (m_value.isDouble()) {
            const double v = m_value.toDouble();
            return v == std::floor(v) && std::abs(v) < 9e15 ? std::to_string(static_cast<std::int64_t>(v))
                                                            : algorithms::formatValue(v);
        }
        fail("expected a number, text or true/false");
    }

private:
    [[nodiscard]] std::string join(const char* key) const { return m_path.empty() ? key : m_path + "." + key; }

    QJsonValue m_value;
    std::string m_path;
    const std::string* m_source;
};

std::string absolutePath(const std::string& base, const std::string& path)
{
    return str(QDir::cleanPath(QDir(QString::fromStdString(base)).absoluteFilePath(QString::fromStdString(path))));
}

const ParamSpec* findSpec(const std::vector<ParamSpec>& specs, const std::string& name)
{
    const auto found = std::find_if(specs.begin(), specs.end(), [&](const ParamSpec& s) { return s.name == name; });
    return found == specs.end() ? nullptr : &*found;
}

std::string knownNames(const std::vector<ParamSpec>& specs)
{
    std::string names;
    for (const ParamSpec& spec : specs)
        names += (names.empty() ? "" : ", ") + spec.name;
    return names;
}

/// One entry of "ranges". `schema` is the algorithm's parameter (null for a command's placeholders).
Dimension parseRange(const Node& node, const std::string& name, const ParamSpec* schema)
{
    Dimension dimension;
    ParamSpec& range = dimension.range;
    range.name = name;
    if (node.value().isArray()) { // shorthand: a list of choices
        range.type = ParamType::Categorical;
        for (qsizetype i = 0; i < node.array().size(); ++i)
            range.values.push_back(node.at(i).scalarText());
    } else {
        node.allowOnly({"type", "min", "max", "values", "scaling", "when"});
        const std::string type = node.has("type") ? node["type"].string() : (node.has("values") ? "categorical" : "");
        if (type == "continuous" || type == "integer") {
            range.type = type == "continuous" ? ParamType::Continuous : ParamType::Integer;
            if (!node.has("min") || !node.has("max"))
                node.fail("a " + type + " range needs min and max");
            range.min = type == "integer" ? static_cast<double>(node["min"].integer()) : node["min"].number();
            range.max = type == "integer" ? static_cast<double>(node["max"].integer()) : node["max"].number();
            if (range.min >= range.max)
                node.fail("min (" + algorithms::formatValue(range.min) + ") must be below max ("
                          + algorithms::formatValue(range.max) + ")");
            const std::string scaling = node.has("scaling") ? node["scaling"].string() : "auto";
            if (scaling == "linear")
                range.scaling = Scaling::Linear;
            else if (scaling == "log")
                range.scaling = Scaling::Log;
            else if (scaling == "reverse_log")
                range.scaling = Scaling::ReverseLog;
            else if (scaling == "auto")
                range.scaling = schema && schema->type != ParamType::Categorical ? schema->scaling : Scaling::Linear;
            else
                node["scaling"].fail("'" + scaling + "' is not linear, log, reverse_log or auto");
            if (range.scaling == Scaling::Log && range.min <= 0)
                node.fail("log scaling needs min > 0 (got " + algorithms::formatValue(range.min) + ")");
            if (range.scaling == Scaling::Log && range.type == ParamType::Integer && range.min < 1)
                node.fail("an integer range on log scale needs min >= 1");
            if (range.scaling == Scaling::ReverseLog && (range.min < 0 || range.max >= 1))
                node.fail("reverse_log scaling needs 0 <= min < max < 1");
            if (range.scaling == Scaling::ReverseLog && range.type == ParamType::Integer)
                node.fail("reverse_log scaling is for continuous ranges");
        } else if (type == "categorical") {
            const Node values = node["values"];
            if (values.array().isEmpty())
                values.fail("a categorical range needs at least one value");
            range.type = ParamType::Categorical;
            for (qsizetype i = 0; i < values.array().size(); ++i)
                range.values.push_back(values.at(i).scalarText());
        } else if (type == "boolean")
            range.type = ParamType::Boolean;
        else
            node["type"].fail("'" + type + "' is not continuous, integer, categorical or boolean");
        if (node.has("when")) {
            const Node when = node["when"];
            const std::vector<std::string> parents = when.keys();
            if (parents.size() != 1)
                when.fail("a condition names exactly one parent hyperparameter");
            Condition condition;
            condition.parent = parents.front();
            const Node test = when[parents.front().c_str()];
            if (test.value().isArray()) {
                for (qsizetype i = 0; i < test.array().size(); ++i)
                    condition.values.push_back(test.at(i).scalarText());
            } else if (test.isObject()) {
                test.allowOnly({"min", "max"});
                if (test.has("min"))
                    condition.min = test["min"].number();
                if (test.has("max"))
                    condition.max = test["max"].number();
            } else
                condition.values.push_back(test.scalarText());
            dimension.condition = std::move(condition);
        }
    }
    if (range.type == ParamType::Categorical) {
        std::set<std::string> unique(range.values.begin(), range.values.end());
        if (unique.size() != range.values.size())
            node.fail("a value is listed twice");
    }
    if (!schema)
        return dimension;

    // Against the algorithm's schema: the type must fit and the range must lie inside the allowed one.
    const bool fits = range.type == ParamType::Categorical || (range.type == schema->type)
        || (range.type == ParamType::Integer && schema->type == ParamType::Continuous);
    if (!fits)
        node.fail("'" + name + "' is " + std::string(algorithms::toString(schema->type)) + ", not "
                  + std::string(algorithms::toString(range.type)));
    try {
        if (range.type == ParamType::Categorical) {
            for (std::string& value : range.values) {
                const ParamValue parsed = schema->parse(value);
                if (schema->type == ParamType::Boolean) // "True" (SageMaker's) is true: as a trial records it
                    value = algorithms::formatValue(parsed);
            }
        } else if (dimension.isNumeric()) {
            schema->validate(range.min);
            schema->validate(range.max);
        }
    } catch (const std::invalid_argument& error) {
        node.fail(error.what());
    }
    return dimension;
}

Params parseFixed(const Node& node, const std::vector<ParamSpec>* schema)
{
    Params fixed;
    if (node.value().isUndefined() || node.value().isNull())
        return fixed;
    for (const std::string& name : node.keys()) {
        const Node value = node[name.c_str()];
        if (!schema) {
            fixed[name] = value.scalarText();
            continue;
        }
        const ParamSpec* spec = findSpec(*schema, name);
        if (!spec)
            value.fail("no hyperparameter named '" + name + "' (known: " + knownNames(*schema) + ")");
        try {
            fixed[name] = spec->parse(value.scalarText());
        } catch (const std::invalid_argument& error) {
            value.fail(error.what());
        }
    }
    return fixed;
}

std::vector<Dimension> parseRanges(const Node& node, const std::vector<ParamSpec>* schema, const Params& fixed,
                                   const std::string& algorithmName)
{
    std::vector<Dimension> ranges;
    if (node.value().isUndefined() || node.value().isNull())
        return ranges;
    SearchSpace order; // checks names and that each condition's parent comes first
    for (const std::string& name : node.keys()) {
        const ParamSpec* spec = schema ? findSpec(*schema, name) : nullptr;
        if (schema && !spec)
            node[name.c_str()].fail(algorithmName + " has no hyperparameter '" + name
                                    + "' (it has: " + knownNames(*schema) + ")");
        if (fixed.count(name))
            node[name.c_str()].fail("'" + name + "' is both fixed and searched");
        ranges.push_back(parseRange(node[name.c_str()], name, spec));
    }
    // Parents before children (JSON objects have no order of their own).
    std::vector<Dimension> sorted;
    while (!ranges.empty()) {
        const auto ready = std::find_if(ranges.begin(), ranges.end(), [&](const Dimension& d) {
            return !d.condition || std::any_of(sorted.begin(), sorted.end(), [&](const Dimension& s) {
                return s.name() == d.condition->parent;
            });
        });
        if (ready == ranges.end())
            node[ranges.front().name().c_str()]["when"].fail(
                "the condition's parent '" + ranges.front().condition->parent
                + "' is not a searched hyperparameter (or the conditions form a cycle)");
        sorted.push_back(*ready);
        ranges.erase(ready);
    }
    for (const Dimension& dimension : sorted) {
        try {
            order.add(dimension);
        } catch (const std::invalid_argument& error) {
            node.fail(error.what());
        }
    }
    return sorted;
}

CommandSpec parseCommand(const Node& node, const std::string& baseDirectory)
{
    node.allowOnly({"command", "metrics", "timeout_seconds", "working_directory", "environment", "output_limit_bytes"});
    CommandSpec command;
    const Node argv = node["command"];
    if (argv.array().isEmpty())
        argv.fail("the command needs at least the program to run");
    for (qsizetype i = 0; i < argv.array().size(); ++i)
        command.argv.push_back(argv.at(i).string());
    const Node metrics = node["metrics"];
    if (metrics.array().isEmpty())
        metrics.fail("name at least one metric and the regular expression that reads it");
    for (qsizetype i = 0; i < metrics.array().size(); ++i) {
        const Node metric = metrics.at(i);
        metric.allowOnly({"name", "regex"});
        MetricPattern pattern{metric["name"].string(), metric["regex"].string()};
        if (!QRegularExpression(QString::fromStdString(pattern.regex)).isValid())
            metric["regex"].fail("not a valid regular expression: "
                                 + str(QRegularExpression(QString::fromStdString(pattern.regex)).errorString()));
        command.metrics.push_back(std::move(pattern));
    }
    if (node.has("timeout_seconds"))
        command.timeoutSeconds = node["timeout_seconds"].number();
    command.workingDirectory = absolutePath(
        baseDirectory, node.has("working_directory") ? node["working_directory"].string() : std::string("."));
    if (node.has("environment")) {
        for (const std::string& key : node["environment"].keys())
            command.environment[key] = node["environment"][key.c_str()].scalarText();
    }
    if (node.has("output_limit_bytes"))
        command.outputLimitBytes = node["output_limit_bytes"].integer(1024);
    return command;
}

/// "executor": {"type": "local"} (the default) or {"type": "slurm", ...}.
std::optional<SlurmSpec> parseExecutor(const Node& node, const std::string& baseDirectory)
{
    node.allowOnly({"type", "partition", "time_minutes", "cpus", "memory_mb", "sbatch_args", "work_dir", "worker",
                    "resubmit_preempted", "poll_seconds"});
    const std::string type = node["type"].string();
    if (type == "local") {
        if (node.object().size() > 1)
            node.fail("a local executor takes no other settings");
        return std::nullopt;
    }
    if (type != "slurm")
        node["type"].fail("'" + type + "' is not local or slurm");
    SlurmSpec slurm;
    if (node.has("partition"))
        slurm.partition = node["partition"].string();
    if (node.has("time_minutes"))
        slurm.timeMinutes = static_cast<int>(node["time_minutes"].integer(1));
    if (node.has("cpus"))
        slurm.cpus = static_cast<int>(node["cpus"].integer(1));
    if (node.has("memory_mb"))
        slurm.memoryMb = static_cast<int>(node["memory_mb"].integer(1));
    if (node.has("sbatch_args")) {
        const Node arguments = node["sbatch_args"];
        for (qsizetype i = 0; i < arguments.array().size(); ++i)
            slurm.sbatchArguments.push_back(arguments.at(i).string());
    }
    if (!node.has("work_dir") || node["work_dir"].string().empty())
        node.fail("a Slurm executor needs \"work_dir\": a folder the cluster's nodes share with this machine");
    slurm.workDirectory = absolutePath(baseDirectory, node["work_dir"].string());
    if (node.has("worker"))
        slurm.worker = node["worker"].string();
    if (node.has("resubmit_preempted"))
        slurm.resubmitPreempted = static_cast<int>(node["resubmit_preempted"].integer(0));
    if (node.has("poll_seconds")) {
        slurm.pollSeconds = node["poll_seconds"].number();
        if (!(slurm.pollSeconds >= 0.05))
            node["poll_seconds"].fail("at least 0.05 seconds");
    }
    return slurm;
}

/// One side of "resources": {"cpus", "memory_mb", "gpus", "slots": {"name": count}}; the machine lists its GPUs by
/// index, a trial says how many it needs.
ResourceAmounts parseResourceAmounts(const Node& node, bool machine)
{
    node.allowOnly({"cpus", "memory_mb", "gpus", "slots"});
    ResourceAmounts amounts;
    if (node.has("cpus"))
        amounts.cpus = static_cast<int>(node["cpus"].integer(1));
    if (node.has("memory_mb"))
        amounts.memoryMb = node["memory_mb"].integer(1);
    if (node.has("gpus")) {
        const Node gpus = node["gpus"];
        if (machine) {
            if (!gpus.value().isArray())
                gpus.fail("the machine's GPUs by index: [0, 1, 2, 3]");
            std::set<int> seen;
            for (qsizetype i = 0; i < gpus.array().size(); ++i) {
                amounts.gpus.push_back(static_cast<int>(gpus.at(i).integer(0)));
                if (!seen.insert(amounts.gpus.back()).second)
                    gpus.at(i).fail("GPU " + std::to_string(amounts.gpus.back()) + " is listed twice");
            }
        } else
            amounts.gpuCount = static_cast<int>(gpus.integer(0));
    }
    if (node.has("slots")) {
        for (const std::string& name : node["slots"].keys())
            amounts.slots[name] = static_cast<int>(node["slots"][name.c_str()].integer(machine ? 1 : 0));
    }
    return amounts;
}

/// "resources": what the machine has and what a trial needs; a need the machine cannot meet is refused. On Slurm,
/// a trial's needs become its job's --gres, --cpus-per-task and --mem (unless the executor sets them).
void parseResources(const Node& node, ExperimentSpec& out)
{
    node.allowOnly({"machine", "trial"});
    ResourceSpec resources;
    if (node.has("machine"))
        resources.machine = parseResourceAmounts(node["machine"], true);
    if (node.has("trial"))
        resources.trial = parseResourceAmounts(node["trial"], false);
    const ResourceAmounts& has = resources.machine;
    const ResourceAmounts& needs = resources.trial;
    if (!out.slurm) {
        if (needs.gpuCount > static_cast<int>(has.gpus.size()))
            node["trial"]["gpus"].fail("a trial needs " + std::to_string(needs.gpuCount) + " GPUs; the machine lists "
                                       + std::to_string(has.gpus.size()));
        if (has.cpus > 0 && needs.cpus > has.cpus)
            node["trial"]["cpus"].fail("a trial needs more cores than the machine has");
        if (has.memoryMb > 0 && needs.memoryMb > has.memoryMb)
            node["trial"]["memory_mb"].fail("a trial needs more memory than the machine has");
        for (const auto& [name, count] : needs.slots) {
            const auto found = has.slots.find(name);
            if (found == has.slots.end() || found->second < count)
                node["trial"]["slots"][name.c_str()].fail("the machine has "
                                                          + std::to_string(found == has.slots.end() ? 0 : found->second)
                                                          + " '" + name + "' slots");
        }
    } else {
        out.slurm->gpus = needs.gpuCount;
        if (out.slurm->cpus == 0)
            out.slurm->cpus = needs.cpus;
        if (out.slurm->memoryMb == 0)
            out.slurm->memoryMb = static_cast<int>(needs.memoryMb);
    }
    out.resources = resources;
}

/// What SageMaker's built-in algorithms call a hyperparameter that means the same in ours.
struct SageMakerName
{
    const char* algorithm;
    const char* sageMaker;
    const char* ours;
};
constexpr std::array kSageMakerNames{
    SageMakerName{"xgboost", "num_round", "rounds"},
    SageMakerName{"xgboost", "early_stopping_rounds", "n_iter_no_change"},
    SageMakerName{"linear", "use_bias", "fit_intercept"},
};
/// Hyperparameters SageMaker's built-ins take that Tunebench sets itself, from the target and the objective.
const std::set<std::string>& decidedBySageMakerTarget()
{
    static const std::set<std::string> names{"objective",      "num_class",   "eval_metric",
                                             "predictor_type", "feature_dim", "num_classes"};
    return names;
}

/// Linear Learner's hyperparameters without a counterpart in logistic or linear: its SGD (batch, schedule, epochs,
/// optimizer), its own regularisation scales, model averaging and threshold tuning.
const std::set<std::string> kLinearLearnerOnly{"wd",
                                               "l1",
                                               "learning_rate",
                                               "mini_batch_size",
                                               "epochs",
                                               "optimizer",
                                               "momentum",
                                               "beta_1",
                                               "beta_2",
                                               "bias_lr_mult",
                                               "bias_wd_mult",
                                               "lr_scheduler_step",
                                               "lr_scheduler_factor",
                                               "lr_scheduler_minimum_lr",
                                               "normalize_data",
                                               "normalize_label",
                                               "num_models",
                                               "num_calibration_samples",
                                               "init_method",
                                               "init_scale",
                                               "init_sigma",
                                               "init_bias",
                                               "loss",
                                               "margin",
                                               "quantile",
                                               "loss_insensitivity",
                                               "huber_delta",
                                               "unbias_data",
                                               "unbias_label",
                                               "num_point_for_scaler",
                                               "early_stopping_patience",
                                               "early_stopping_tolerance",
                                               "target_recall",
                                               "target_precision",
                                               "binary_classifier_model_selection_criteria",
                                               "positive_example_weight_mult",
                                               "balance_multiclass_weights",
                                               "accuracy_top_k",
                                               "f_beta",
                                               "use_lr_scheduler",
                                               "use_bias"};

/// Hyperparameters of SageMaker's XGBoost, Linear Learner and k-NN with no counterpart in ours (what they set has no
/// equal here: SGD's batch and schedule, Faiss indexes, sampling), per our algorithm that stands for them. A config
/// naming one runs without it, and says so; any other unknown name is an error, as a typo should be.
const std::set<std::string>& withoutCounterpart(const std::string& algorithm)
{
    static const std::map<std::string, std::set<std::string>> names{
        {"xgboost",
         {"booster",
          "rate_drop",
          "skip_drop",
          "one_drop",
          "normalize_type",
          "sample_type",
          "tweedie_variance_power",
          "scale_pos_weight",
          "max_delta_step",
          "sketch_eps",
          "refresh_leaf",
          "process_type",
          "updater",
          "dsplit",
          "prob_buffer_row",
          "csv_weights",
          "silent",
          "verbosity",
          "nthread",
          "base_score",
          "seed_per_iteration",
          "deterministic_histogram",
          "single_precision_histogram",
          "interaction_constraints",
          "monotone_constraints",
          "lambda_bias",
          "_kfold",
          "_num_cv_round"}},
        {"logistic", kLinearLearnerOnly},
        {"linear", kLinearLearnerOnly},
        {"knn",
         {"sample_size", "dimension_reduction_type", "dimension_reduction_target", "index_type", "index_metric",
          "faiss_index_ivf_nlists", "faiss_index_pq_m", "mini_batch_size", "epochs", "extra_center_factor"}},
    };
    static const std::set<std::string> none;
    const auto found = names.find(algorithm);
    return found == names.end() ? none : found->second;
}

/// Our name for `name` in `algorithm` (SageMaker's name mapped, noted in `notes` once), or `name` itself.
std::string ourName(const std::string& algorithm, const std::string& name, std::vector<std::string>& notes)
{
    for (const SageMakerName& known : kSageMakerNames) {
        if (algorithm == known.algorithm && name == known.sageMaker) {
            const std::string note = "SageMaker's " + name + " is " + algorithm + "'s " + known.ours;
            if (std::find(notes.begin(), notes.end(), note) == notes.end())
                notes.push_back(note);
            return known.ours;
        }
    }
    return name;
}

/// Whether SageMaker's `name` is left out for `algorithm` (no counterpart), noted in `notes` as `what` (which names
/// it) is.
bool leftOut(const std::string& algorithm, const std::string& name, const std::string& what,
             std::vector<std::string>& notes)
{
    if (!withoutCounterpart(algorithm).count(name))
        return false;
    notes.push_back(what + " is left out: " + algorithm + " has no hyperparameter that means the same");
    return true;
}

/// A SageMaker objective metric ("validation:auc", "test:mse", "validation:merror") as ours, with whether its goal
/// turns round (an error rate minimised is an accuracy maximised); nullopt when ours has none like it.
std::optional<std::pair<std::string, bool>> ourMetric(const std::string& metric, const std::string& algorithm)
{
    if (metric == "objective_loss" && (algorithm == "logistic" || algorithm == "linear")) // Linear Learner's loss
        return std::pair{std::string(algorithm == "logistic" ? "log_loss" : "rmse"), false};
    static const std::map<std::string, std::pair<std::string, bool>, std::less<>> metrics{
        {"error", {"accuracy", true}},
        {"merror", {"accuracy", true}},
        {"logloss", {"log_loss", false}},
        {"mlogloss", {"log_loss", false}},
        {"aucpr", {"pr_auc", false}},
        {"mse", {"rmse", false}},
        {"absolute_loss", {"mae", false}},
        {"roc_auc_score", {"auc", false}},
        {"binary_classification_accuracy", {"accuracy", false}},
        {"multiclass_accuracy", {"accuracy", false}},
        {"f1", {"f1_macro", false}},
        {"macro_f_beta", {"f1_macro", false}},
    };
    if (builtinMetrics().count(metric))
        return std::pair{metric, false};
    const auto found = metrics.find(metric);
    return found == metrics.end() ? std::nullopt : std::optional(found->second);
}

/// SageMaker's AutoParameters entry (a name and a value hint): the range the algorithm's schema searches by
/// default (as the editor's first range), widened to hold the hint, on the schema's scale.
QJsonObject autoRange(const Node& entry, const std::string& algorithm, const std::string& name)
{
    const auto found = algorithms::findAlgorithm(algorithm);
    if (!found)
        entry.fail("AutoParameters chooses ranges from a built-in algorithm's hyperparameters: give this one's range "
                   "as a Continuous, Integer or Categorical range instead");
    const auto params = found->params();
    const auto spec = std::find_if(params.begin(), params.end(), [&](const auto& p) { return p.name == name; });
    if (spec == params.end())
        entry["Name"].fail(algorithm + " has no hyperparameter '" + name + "'");
    if (spec->type == algorithms::ParamType::Categorical || spec->type == algorithms::ParamType::Boolean) {
        QJsonArray values;
        const auto& choices = spec->searchValues.empty() ? spec->values : spec->searchValues;
        for (const std::string& value : choices)
            values.append(QString::fromStdString(value));
        if (spec->type == algorithms::ParamType::Boolean)
            values = QJsonArray{true, false};
        return {{QStringLiteral("type"), QStringLiteral("categorical")}, {QStringLiteral("values"), values}};
    }
    double low = spec->searchRange ? spec->searchRange->first : spec->min;
    double high = spec->searchRange ? spec->searchRange->second : spec->max;
    if (entry.has("ValueHint")) {
        const double hint = entry["ValueHint"].number();
        if (hint < spec->min || hint > spec->max)
            entry["ValueHint"].fail("outside " + name + "'s bounds");
        low = std::min(low, hint);
        high = std::max(high, hint);
    }
    return {{QStringLiteral("type"),
             spec->type == algorithms::ParamType::Integer ? QStringLiteral("integer") : QStringLiteral("continuous")},
            {QStringLiteral("min"), low},
            {QStringLiteral("max"), high},
            {QStringLiteral("scaling"), QStringLiteral("auto")}};
}

/// "[0.01, 0.5]" or "adam, sgd", for a note.
std::string rangeNote(const QJsonObject& range)
{
    if (range.contains(QStringLiteral("values"))) {
        QStringList values;
        for (const QJsonValue& value : range.value(QStringLiteral("values")).toArray())
            values << (value.isBool() ? (value.toBool() ? QStringLiteral("true") : QStringLiteral("false"))
                                      : value.toString());
        return values.join(QStringLiteral(", ")).toStdString();
    }
    return "[" + QString::number(range.value(QStringLiteral("min")).toDouble()).toStdString() + ", "
        + QString::number(range.value(QStringLiteral("max")).toDouble()).toStdString() + "]";
}

/// SageMaker's StaticHyperParameters as the native "fixed": SageMaker's names mapped, what Tunebench sets
/// itself left out (and noted).
QJsonObject sageMakerFixed(const Node& fixed, const std::string& algorithm, std::vector<std::string>& notes)
{
    QJsonObject out;
    const QJsonObject given = fixed.object();
    for (auto it = given.begin(); it != given.end(); ++it) {
        const std::string name = it.key().toStdString();
        if (decidedBySageMakerTarget().count(name)) {
            notes.push_back("StaticHyperParameters." + name
                            + " is left out: Tunebench sets it from the target and "
                              "the objective");
            continue;
        }
        const std::string ours = ourName(algorithm, name, notes);
        if (ours == name
            && leftOut(algorithm, name,
                       "StaticHyperParameters." + name + " (" + str(it.value().toVariant().toString()) + ")", notes))
            continue;
        out.insert(QString::fromStdString(ours), it.value());
    }
    return out;
}

/// A SageMaker range's bounds inside the schema's (k-NN's k up to 1024 is knn's up to 200), noted when narrowed.
void narrowToSchema(QJsonObject& range, const std::string& algorithm, const std::string& name,
                    std::vector<std::string>& notes)
{
    const auto found = algorithms::findAlgorithm(algorithm);
    if (!found)
        return;
    const std::vector<ParamSpec> params = found->params();
    const ParamSpec* spec = findSpec(params, name);
    if (!spec || (spec->type != ParamType::Continuous && spec->type != ParamType::Integer))
        return;
    const double min = range.value(QStringLiteral("min")).toDouble();
    const double max = range.value(QStringLiteral("max")).toDouble();
    const double low = std::max(min, spec->min);
    const double high = std::min(max, spec->max);
    if ((low == min && high == max) || low >= high)
        return; // inside, or no overlap: the parser says what is wrong
    notes.push_back("SageMaker's range for " + name + " " + rangeNote(range) + " is narrowed to " + algorithm
                    + "'s bounds [" + algorithms::formatValue(low) + ", " + algorithms::formatValue(high) + "]");
    range.insert(QStringLiteral("min"), low);
    range.insert(QStringLiteral("max"), high);
}

/// SageMaker's ParameterRanges as the native "ranges" object, for `algorithm` (its SageMaker names mapped).
QJsonObject sageMakerRanges(const Node& ranges, const std::string& algorithm, std::vector<std::string>& notes)
{
    ranges.allowOnly(
        {"ContinuousParameterRanges", "IntegerParameterRanges", "CategoricalParameterRanges", "AutoParameters"});
    QJsonObject out;
    for (const char* kind : {"ContinuousParameterRanges", "IntegerParameterRanges"}) {
        const Node list = ranges[kind];
        if (!list.value().isArray())
            continue;
        for (qsizetype i = 0; i < list.array().size(); ++i) {
            const Node range = list.at(i);
            range.allowOnly({"Name", "MinValue", "MaxValue", "ScalingType"});
            const std::string scaling = range.has("ScalingType") ? range["ScalingType"].string() : "Auto";
            static const std::map<std::string, const char*> scalings{
                {"Auto", "auto"}, {"Linear", "linear"}, {"Logarithmic", "log"}, {"ReverseLogarithmic", "reverse_log"}};
            if (!scalings.count(scaling))
                range["ScalingType"].fail("'" + scaling + "' is not Auto, Linear, Logarithmic or ReverseLogarithmic");
            QJsonObject native;
            native.insert(QStringLiteral("type"),
                          std::string(kind) == "IntegerParameterRanges" ? QStringLiteral("integer")
                                                                        : QStringLiteral("continuous"));
            native.insert(QStringLiteral("min"), range["MinValue"].number());
            native.insert(QStringLiteral("max"), range["MaxValue"].number());
            native.insert(QStringLiteral("scaling"), QLatin1String(scalings.at(scaling)));
            const std::string name = range["Name"].string();
            const std::string ours = ourName(algorithm, name, notes);
            if (ours == name
                && leftOut(algorithm, name, std::string(kind) + " " + name + " " + rangeNote(native), notes))
                continue;
            narrowToSchema(native, algorithm, ours, notes);
            out.insert(QString::fromStdString(ours), native);
        }
    }
    const Node categorical = ranges["CategoricalParameterRanges"];
    if (categorical.value().isArray()) {
        for (qsizetype i = 0; i < categorical.array().size(); ++i) {
            const Node range = categorical.at(i);
            range.allowOnly({"Name", "Values"});
            QJsonObject native;
            native.insert(QStringLiteral("type"), QStringLiteral("categorical"));
            native.insert(QStringLiteral("values"), range["Values"].array());
            const std::string name = range["Name"].string();
            const std::string ours = ourName(algorithm, name, notes);
            if (ours == name
                && leftOut(algorithm, name, "CategoricalParameterRanges " + name + " {" + rangeNote(native) + "}",
                           notes))
                continue;
            out.insert(QString::fromStdString(ours), native);
        }
    }
    // SageMaker's Autotune: ranges chosen from the hyperparameter (and a hint of a good value).
    const Node automatic = ranges["AutoParameters"];
    if (automatic.value().isArray()) {
        for (qsizetype i = 0; i < automatic.array().size(); ++i) {
            const Node entry = automatic.at(i);
            entry.allowOnly({"Name", "ValueHint"});
            const std::string name = ourName(algorithm, entry["Name"].string(), notes);
            const QJsonObject range = autoRange(entry, algorithm, name);
            notes.push_back("AutoParameters " + name + ": searched over " + rangeNote(range));
            out.insert(QString::fromStdString(name), range);
        }
    }
    return out;
}

/// SageMaker's strategy, Hyperband configuration and objective, into the native spec.
void insertSageMakerSearch(const Node& config, QJsonObject& native, std::vector<std::string>& notes)
{
    if (config.has("Strategy")) {
        static const std::map<std::string, const char*> strategies{
            {"Bayesian", "bayesian"}, {"Random", "random"}, {"Hyperband", "hyperband"}, {"Grid", "grid"}};
        const std::string strategy = config["Strategy"].string();
        if (!strategies.count(strategy))
            config["Strategy"].fail("'" + strategy + "' is not Bayesian, Random, Hyperband or Grid");
        native.insert(QStringLiteral("strategy"), QLatin1String(strategies.at(strategy)));
    }
    if (config.has("StrategyConfig") && config["StrategyConfig"].has("HyperbandStrategyConfig")) {
        const Node hyperband = config["StrategyConfig"]["HyperbandStrategyConfig"];
        QJsonObject native_hb;
        if (hyperband.has("MinResource"))
            native_hb.insert(QStringLiteral("min_resource"), hyperband["MinResource"].number());
        if (hyperband.has("MaxResource"))
            native_hb.insert(QStringLiteral("max_resource"), hyperband["MaxResource"].number());
        native.insert(QStringLiteral("hyperband"), native_hb);
    }
    if (config.has("HyperParameterTuningJobObjective")) {
        const Node objective = config["HyperParameterTuningJobObjective"];
        const std::string given = objective["MetricName"].string();
        std::string metric = given;
        const std::string type = objective["Type"].string();
        if (type != "Maximize" && type != "Minimize")
            objective["Type"].fail("'" + type + "' is not Maximize or Minimize");
        bool maximize = type == "Maximize";
        // Built-in SageMaker algorithms name metrics "validation:auc" or "test:mse"; ours are evaluated on
        // validation folds. An error rate is an accuracy the other way round; a mean squared error ranks as its root.
        if (const auto colon = given.find(':'); colon != std::string::npos) {
            const auto ours = ourMetric(given.substr(colon + 1),
                                        native.value(QStringLiteral("algorithm")).toString().toStdString());
            if (!ours && !native.value(QStringLiteral("algorithm")).isObject())
                objective["MetricName"].fail("'" + given
                                             + "' has no counterpart among Tunebench's metrics (accuracy, "
                                               "auc, log_loss, rmse, mae, r2, ...)");
            if (ours) {
                metric = ours->first;
                maximize = maximize != ours->second;
                if (metric != given.substr(colon + 1))
                    notes.push_back("SageMaker's objective " + given + " (" + type + ") is " + metric + " ("
                                    + (maximize ? "maximize" : "minimize") + ")");
            }
        }
        QJsonObject out;
        out.insert(QStringLiteral("metric"), QString::fromStdString(metric));
        out.insert(QStringLiteral("goal"), maximize ? QStringLiteral("maximize") : QStringLiteral("minimize"));
        native.insert(QStringLiteral("objective"), out);
    }
}

/// SageMaker's WarmStartConfig as the native "warm_start": the parent jobs are earlier experiments.
QJsonObject sageMakerWarmStart(const Node& config)
{
    config.allowOnly({"ParentHyperParameterTuningJobs", "WarmStartType"});
    QJsonArray experiments;
    const Node parents = config["ParentHyperParameterTuningJobs"];
    for (qsizetype i = 0; i < parents.array().size(); ++i)
        experiments.append(parents.at(i)["HyperParameterTuningJobName"].value());
    const std::string type
        = config.has("WarmStartType") ? config["WarmStartType"].string() : "IdenticalDataAndAlgorithm";
    if (type != "IdenticalDataAndAlgorithm" && type != "TransferLearning")
        config["WarmStartType"].fail("'" + type + "' is not IdenticalDataAndAlgorithm or TransferLearning");
    return {{QStringLiteral("experiments"), experiments},
            {QStringLiteral("type"),
             type == "TransferLearning" ? QStringLiteral("transfer_learning")
                                        : QStringLiteral("identical_data_and_algorithm")}};
}

/// A TrainingJobDefinition's own training script settings for a command beside it: AlgorithmSpecification's
/// MetricDefinitions (a name and a regex each) are the command's metrics unless it names its own, and
/// StoppingCondition.MaxRuntimeInSeconds is each trial's time limit.
void insertTrainingJobDefinition(const Node& definition, QJsonObject& native, std::vector<std::string>& notes)
{
    const Node metrics = definition["AlgorithmSpecification"]["MetricDefinitions"];
    if (metrics.value().isArray() && native.value(QStringLiteral("algorithm")).isObject()) {
        QJsonObject command = native.value(QStringLiteral("algorithm")).toObject();
        if (command.contains(QStringLiteral("metrics"))) {
            notes.push_back("AlgorithmSpecification.MetricDefinitions are left out: the command names its own metrics");
        } else {
            QJsonArray ours;
            for (qsizetype i = 0; i < metrics.array().size(); ++i) {
                const Node metric = metrics.at(i);
                ours.append(QJsonObject{{QStringLiteral("name"), metric["Name"].value()},
                                        {QStringLiteral("regex"), metric["Regex"].value()}});
            }
            command.insert(QStringLiteral("metrics"), ours);
            native.insert(QStringLiteral("algorithm"), command);
            notes.push_back("AlgorithmSpecification.MetricDefinitions are the command's metrics");
        }
    }
    if (definition["StoppingCondition"].has("MaxRuntimeInSeconds")) {
        QJsonObject limits = native.value(QStringLiteral("limits")).toObject();
        limits.insert(QStringLiteral("trial_timeout_seconds"),
                      definition["StoppingCondition"]["MaxRuntimeInSeconds"].number());
        native.insert(QStringLiteral("limits"), limits);
        notes.push_back("StoppingCondition.MaxRuntimeInSeconds is each trial's time limit");
    }
}

/// SageMaker's HyperParameterTuningJobConfig (with dataset, algorithm and validation beside it), rewritten
/// as the native format so that one parser validates both.
QJsonObject fromSageMaker(const Node& root, std::vector<std::string>& notes)
{
    const Node config = root["HyperParameterTuningJobConfig"];
    config.allowOnly({"Strategy", "StrategyConfig", "HyperParameterTuningJobObjective", "ResourceLimits",
                      "ParameterRanges", "TrainingJobEarlyStoppingType", "TuningJobCompletionCriteria", "RandomSeed"});
    QJsonObject native;
    for (const char* key : {"name", "dataset", "validation", "preprocessing", "algorithm", "fixed", "warm_start",
                            "limits", "executor", "resources"}) {
        if (root.has(key))
            native.insert(QLatin1String(key), root[key].value());
    }
    if (root.has("HyperParameterTuningJobName"))
        native.insert(QStringLiteral("name"), root["HyperParameterTuningJobName"].value());
    if (root.has("WarmStartConfig"))
        native.insert(QStringLiteral("warm_start"), sageMakerWarmStart(root["WarmStartConfig"]));

    if (root.has("TrainingJobDefinitions")) {
        QJsonArray algorithms;
        const Node definitions = root["TrainingJobDefinitions"];
        for (qsizetype i = 0; i < definitions.array().size(); ++i) {
            const Node definition = definitions.at(i);
            QJsonObject algorithm;
            const Node id = definition.has("algorithm") ? definition["algorithm"] : definition["DefinitionName"];
            algorithm.insert(QStringLiteral("algorithm"), id.value());
            const std::string name = id.value().isString() ? id.string() : std::string();
            if (definition.has("StaticHyperParameters"))
                algorithm.insert(QStringLiteral("fixed"),
                                 sageMakerFixed(definition["StaticHyperParameters"], name, notes));
            if (definition.has("HyperParameterRanges"))
                algorithm.insert(QStringLiteral("ranges"),
                                 sageMakerRanges(definition["HyperParameterRanges"], name, notes));
            algorithms.append(algorithm);
        }
        native.insert(QStringLiteral("algorithms"), algorithms);
        native.remove(QStringLiteral("algorithm"));
    } else {
        // The algorithm a single definition trains: a built-in's id (a command's object names no SageMaker ones).
        const std::string algorithm
            = root.has("algorithm") && root["algorithm"].value().isString() ? root["algorithm"].string() : "";
        if (config.has("ParameterRanges"))
            native.insert(QStringLiteral("ranges"), sageMakerRanges(config["ParameterRanges"], algorithm, notes));
        if (root.has("TrainingJobDefinition"))
            insertTrainingJobDefinition(root["TrainingJobDefinition"], native, notes);
        if (root.has("TrainingJobDefinition") && root["TrainingJobDefinition"].has("StaticHyperParameters")) {
            QJsonObject fixed = native.value(QStringLiteral("fixed")).toObject();
            const QJsonObject mapped
                = sageMakerFixed(root["TrainingJobDefinition"]["StaticHyperParameters"], algorithm, notes);
            for (auto it = mapped.begin(); it != mapped.end(); ++it)
                fixed.insert(it.key(), it.value());
            native.insert(QStringLiteral("fixed"), fixed);
        }
    }

    insertSageMakerSearch(config, native, notes);
    QJsonObject limits = native.value(QStringLiteral("limits")).toObject();
    if (config.has("ResourceLimits")) {
        const Node resources = config["ResourceLimits"];
        resources.allowOnly({"MaxNumberOfTrainingJobs", "MaxParallelTrainingJobs", "MaxRuntimeInSeconds"});
        if (resources.has("MaxNumberOfTrainingJobs"))
            limits.insert(QStringLiteral("max_trials"), resources["MaxNumberOfTrainingJobs"].value());
        if (resources.has("MaxParallelTrainingJobs"))
            limits.insert(QStringLiteral("max_parallel"), resources["MaxParallelTrainingJobs"].value());
        if (resources.has("MaxRuntimeInSeconds"))
            limits.insert(QStringLiteral("max_seconds"), resources["MaxRuntimeInSeconds"].value());
    }
    if (!limits.isEmpty())
        native.insert(QStringLiteral("limits"), limits);
    if (config.has("TrainingJobEarlyStoppingType")) {
        const std::string type = config["TrainingJobEarlyStoppingType"].string();
        if (type != "Off" && type != "Auto")
            config["TrainingJobEarlyStoppingType"].fail("'" + type + "' is not Off or Auto");
        native.insert(QStringLiteral("early_stopping"),
                      type == "Auto" ? QStringLiteral("auto") : QStringLiteral("off"));
    }
    if (config.has("TuningJobCompletionCriteria")) {
        const Node criteria = config["TuningJobCompletionCriteria"];
        criteria.allowOnly({"TargetObjectiveMetricValue", "BestObjectiveNotImproving", "ConvergenceDetected"});
        QJsonObject completion;
        if (criteria.has("TargetObjectiveMetricValue"))
            completion.insert(QStringLiteral("target_value"), criteria["TargetObjectiveMetricValue"].number());
        if (criteria.has("BestObjectiveNotImproving"))
            completion.insert(QStringLiteral("trials_not_improving"),
                              criteria["BestObjectiveNotImproving"]["MaxNumberOfTrainingJobsNotImproving"].value());
        if (criteria.has("ConvergenceDetected"))
            completion.insert(QStringLiteral("convergence"),
                              criteria["ConvergenceDetected"]["CompleteOnConvergence"].boolean());
        native.insert(QStringLiteral("completion"), completion);
    }
    if (config.has("RandomSeed"))
        native.insert(QStringLiteral("seed"), config["RandomSeed"].value());
    return native;
}

} // namespace

QJsonObject readSpecObject(const QByteArray& json, const std::string& sourceName)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        // Report line and column, as the data readers do.
        int line = 1;
        int column = 1;
        for (int i = 0; i < parseError.offset && i < json.size(); ++i) {
            if (json[i] == '\n') {
                ++line;
                column = 1;
            } else
                ++column;
        }
        throw SpecError(sourceName + ":" + std::to_string(line) + ":" + std::to_string(column) + ": "
                        + str(parseError.errorString()));
    }
    if (!document.isObject())
        throw SpecError(sourceName + ": a spec is a JSON object");
    return document.object();
}

std::optional<QJsonObject> validationToJson(const evaluation::ValidationSpec& validation)
{
    using Method = evaluation::ValidationSpec::Method;
    if (validation.method == Method::Predefined)
        return std::nullopt;
    QJsonObject json{{QStringLiteral("stratified"), validation.stratified},
                     {QStringLiteral("seed"), static_cast<qint64>(validation.seed)}};
    if (validation.method == Method::Holdout) {
        json.insert(QStringLiteral("method"), QStringLiteral("holdout"));
        json.insert(QStringLiteral("holdout"), validation.holdoutFraction);
    } else {
        json.insert(QStringLiteral("method"), QStringLiteral("kfold"));
        json.insert(QStringLiteral("folds"), validation.folds);
        json.insert(QStringLiteral("repeats"), validation.repeats);
    }
    return json;
}

QJsonObject preprocessingToJson(const algorithms::PreprocessOptions& options)
{
    return {
        {QStringLiteral("impute"), options.medianImpute ? QStringLiteral("median") : QStringLiteral("mean")},
        {QStringLiteral("missing_indicators"), options.missingIndicators},
        {QStringLiteral("standardize"), options.standardize},
        {QStringLiteral("categorical"), options.categoryCodes ? QStringLiteral("codes") : QStringLiteral("onehot")}};
}

namespace {

/// "algorithm" (with "fixed" and "ranges") or "algorithms": built-in ids or one external command.
void parseAlgorithms(const Node& spec, ExperimentSpec& out, const std::string& baseDirectory)
{
    // The algorithm(s).
    if (spec.has("algorithms") == spec.has("algorithm"))
        spec.fail("give either \"algorithm\" (with \"fixed\" and \"ranges\") or \"algorithms\"");
    auto addAlgorithm = [&](const Node& id, const Node& fixed, const Node& ranges) {
        AlgorithmSearch search;
        if (id.isObject()) {
            if (out.command)
                id.fail("only one external command per experiment");
            out.command = parseCommand(id, baseDirectory);
            search.algorithm = "command";
            search.fixed = parseFixed(fixed, nullptr);
            search.ranges = parseRanges(ranges, nullptr, search.fixed, "the command");
            for (const std::string& element : out.command->argv) {
                for (std::size_t open = element.find('{'); open != std::string::npos;
                     open = element.find('{', open + 1)) {
                    const std::size_t close = element.find('}', open);
                    if (close == std::string::npos)
                        break;
                    const std::string name = element.substr(open + 1, close - open - 1);
                    const bool known = name == "train_path" || name == "validation_path" || name == "data_path"
                        || name == "seed" || name == "trial" || name == "gpu" || name == "checkpoint_dir"
                        || search.fixed.count(name) || str(spec["hyperband"]["resource"].value().toString()) == name
                        || str(spec["budget"]["resource"].value().toString()) == name
                        || (name == "budget"
                            && isMultiFidelity(strategyFromString(str(spec["strategy"].value().toString()))
                                                   .value_or(StrategyKind::Random)))
                        || std::any_of(search.ranges.begin(), search.ranges.end(),
                                       [&](const Dimension& d) { return d.name() == name; });
                    if (!known)
                        id["command"].fail("placeholder {" + name
                                           + "} is neither a range, a fixed value nor a data path");
                }
            }
        } else {
            search.algorithm = id.string();
            const auto algorithm = algorithms::findAlgorithm(search.algorithm);
            if (!algorithm) {
                std::string known;
                for (const auto& a : algorithms::allAlgorithms())
                    known += (known.empty() ? "" : ", ") + a->id();
                id.fail("unknown algorithm '" + search.algorithm + "' (known: " + known + ", or an external command)");
            }
            const std::vector<ParamSpec> schema = algorithm->params();
            search.fixed = parseFixed(fixed, &schema);
            search.ranges = parseRanges(ranges, &schema, search.fixed, search.algorithm);
        }
        if (std::any_of(out.algorithms.begin(), out.algorithms.end(),
                        [&](const AlgorithmSearch& a) { return a.algorithm == search.algorithm; }))
            id.fail("'" + search.algorithm + "' is listed twice");
        out.algorithms.push_back(std::move(search));
    };
    if (spec.has("algorithm"))
        addAlgorithm(spec["algorithm"], spec["fixed"], spec["ranges"]);
    else {
        if (spec.has("fixed") || spec.has("ranges"))
            spec.fail("with \"algorithms\", give \"fixed\" and \"ranges\" inside each entry");
        const Node list = spec["algorithms"];
        if (list.array().isEmpty())
            list.fail("list at least one algorithm");
        for (qsizetype i = 0; i < list.array().size(); ++i) {
            const Node entry = list.at(i);
            entry.allowOnly({"algorithm", "fixed", "ranges"});
            addAlgorithm(entry["algorithm"], entry["fixed"], entry["ranges"]);
        }
        if (out.command && out.algorithms.size() > 1)
            list.fail("an external command cannot share an experiment with other algorithms");
    }
}

/// "dataset", "validation" and "preprocessing"; the dataset is stored with its path absolute.
void parseData(const Node& spec, ExperimentSpec& out, const std::string& baseDirectory, QJsonObject& native)
{
    // The data.
    if (spec.has("dataset")) {
        const Node dataset = spec["dataset"];
        if (dataset.value().isString())
            out.datasetPath = absolutePath(baseDirectory, dataset.string());
        else {
            dataset.allowOnly({"path", "target", "ignore", "types", "read"});
            out.datasetPath = absolutePath(baseDirectory, dataset["path"].string());
            if (dataset.has("target"))
                out.target = dataset["target"].string();
            if (dataset.has("ignore")) {
                const Node ignore = dataset["ignore"];
                for (qsizetype i = 0; i < ignore.array().size(); ++i) {
                    out.ignoredColumns.push_back(ignore.at(i).string());
                    if (!out.target.empty() && out.ignoredColumns.back() == out.target)
                        ignore.at(i).fail("the target column cannot be ignored");
                }
            }
            if (dataset.has("types")) {
                const Node types = dataset["types"];
                const QJsonObject object = types.object();
                for (auto it = object.begin(); it != object.end(); ++it) {
                    const Node type = types[it.key().toUtf8().constData()];
                    const auto parsed = data::columnTypeFromString(type.string());
                    if (!parsed)
                        type.fail("unknown column type '" + type.string()
                                  + "' (numeric, categorical, boolean, date or text)");
                    out.columnTypes[it.key().toStdString()] = *parsed;
                }
            }
            if (dataset.has("read")) {
                const Node read = dataset["read"];
                try {
                    out.readSettings = data::readSettingsFromJson(read.object());
                } catch (const data::ReadSettingsError& error) {
                    read[error.field().c_str()].fail(error.reason());
                }
            }
        }
        QJsonObject nativeDataset{{QStringLiteral("path"), QString::fromStdString(out.datasetPath)},
                                  {QStringLiteral("target"), QString::fromStdString(out.target)}};
        if (!out.ignoredColumns.empty()) {
            QJsonArray ignore;
            for (const std::string& name : out.ignoredColumns)
                ignore.append(QString::fromStdString(name));
            nativeDataset.insert(QStringLiteral("ignore"), ignore);
        }
        if (!out.columnTypes.empty()) {
            QJsonObject types;
            for (const auto& [name, type] : out.columnTypes)
                types.insert(QString::fromStdString(name), QString::fromUtf8(data::toString(type)));
            nativeDataset.insert(QStringLiteral("types"), types);
        }
        if (!out.readSettings.isDefault())
            nativeDataset.insert(QStringLiteral("read"), data::toJson(out.readSettings));
        native.insert(QStringLiteral("dataset"), nativeDataset);
    } else if (!out.command)
        spec.fail("a dataset is needed: \"dataset\": {\"path\": \"data.csv\", \"target\": \"label\"}");
    if (out.command) { // stored with its folder absolute, as "algorithm" or the one entry of "algorithms"
        const QString directory = QString::fromStdString(out.command->workingDirectory);
        if (native.contains(QStringLiteral("algorithm"))) {
            QJsonObject algorithm = native.value(QStringLiteral("algorithm")).toObject();
            algorithm.insert(QStringLiteral("working_directory"), directory);
            native.insert(QStringLiteral("algorithm"), algorithm);
        } else {
            QJsonArray list = native.value(QStringLiteral("algorithms")).toArray();
            QJsonObject entry = list.at(0).toObject();
            QJsonObject algorithm = entry.value(QStringLiteral("algorithm")).toObject();
            algorithm.insert(QStringLiteral("working_directory"), directory);
            entry.insert(QStringLiteral("algorithm"), algorithm);
            list.replace(0, entry);
            native.insert(QStringLiteral("algorithms"), list);
        }
    }
    if (spec.has("validation")) {
        const Node validation = spec["validation"];
        validation.allowOnly({"method", "folds", "repeats", "stratified", "holdout", "seed"});
        const std::string method = validation.has("method") ? validation["method"].string() : "kfold";
        if (method == "holdout")
            out.validation.method = evaluation::ValidationSpec::Method::Holdout;
        else if (method != "kfold")
            validation["method"].fail("'" + method + "' is not kfold or holdout");
        if (validation.has("folds"))
            out.validation.folds = static_cast<int>(validation["folds"].integer(2));
        if (validation.has("repeats"))
            out.validation.repeats = static_cast<int>(validation["repeats"].integer(1));
        if (validation.has("stratified"))
            out.validation.stratified = validation["stratified"].boolean();
        if (validation.has("holdout")) {
            out.validation.holdoutFraction = validation["holdout"].number();
            if (out.validation.holdoutFraction <= 0 || out.validation.holdoutFraction >= 1)
                validation["holdout"].fail("a fraction between 0 and 1");
        }
        out.validation.seed
            = validation.has("seed") ? static_cast<std::uint64_t>(validation["seed"].integer(0)) : out.seed;
    } else
        out.validation.seed = out.seed;

    if (spec.has("preprocessing")) {
        const Node preprocessing = spec["preprocessing"];
        preprocessing.allowOnly({"impute", "missing_indicators", "standardize", "categorical"});
        if (out.command)
            preprocessing.fail("a command prepares its own data; preprocessing is for built-in algorithms");
        const std::string impute = preprocessing.has("impute") ? preprocessing["impute"].string() : "mean";
        if (impute != "mean" && impute != "median")
            preprocessing["impute"].fail("'" + impute + "' is not mean or median");
        out.preprocess.medianImpute = impute == "median";
        if (preprocessing.has("missing_indicators"))
            out.preprocess.missingIndicators = preprocessing["missing_indicators"].boolean();
        if (preprocessing.has("standardize"))
            out.preprocess.standardize = preprocessing["standardize"].boolean();
        if (preprocessing.has("categorical")) {
            const std::string categorical = preprocessing["categorical"].string();
            if (categorical != "onehot" && categorical != "codes")
                preprocessing["categorical"].fail("'" + categorical + "' is not onehot or codes");
            out.preprocess.categoryCodes = categorical == "codes";
        }
    }
}

/// A metric an objective or a constraint names: one of the command's, or a built-in metric or cost; whether it is
/// maximised by default.
bool metricGoal(const Node& node, const ExperimentSpec& out, const std::string& metric)
{
    if (out.command) {
        if (std::none_of(out.command->metrics.begin(), out.command->metrics.end(),
                         [&](const MetricPattern& m) { return m.name == metric; }))
            node.fail("'" + metric + "' is not one of the command's metrics");
        return false;
    }
    if (const auto known = builtinMetrics().find(metric); known != builtinMetrics().end())
        return known->second;
    if (const auto cost = builtinCosts().find(metric); cost != builtinCosts().end())
        return cost->second;
    std::string names;
    for (const auto* list : {&builtinMetrics(), &builtinCosts()}) {
        for (const auto& [name, maximize] : *list)
            names += (names.empty() ? "" : ", ") + name;
    }
    node.fail("unknown metric '" + metric + "' (known: " + names + ")");
}

Objective parseOneObjective(const Node& objective, const ExperimentSpec& out)
{
    objective.allowOnly({"metric", "goal"});
    Objective parsed;
    parsed.metric = objective["metric"].string();
    parsed.maximize = metricGoal(objective["metric"], out, parsed.metric);
    if (objective.has("goal")) {
        const std::string goal = objective["goal"].string();
        if (goal != "maximize" && goal != "minimize")
            objective["goal"].fail("'" + goal + "' is not maximize or minimize");
        parsed.maximize = goal == "maximize";
    }
    return parsed;
}

/// "objective" (one) or "objectives" (a list), and "constraints": built-in metrics or the command's.
void parseObjective(const Node& spec, ExperimentSpec& out)
{
    if (spec.has("objective") && spec.has("objectives"))
        spec["objectives"].fail("give \"objective\" or \"objectives\", not both");
    if (spec.has("objective")) {
        out.objectives.push_back(parseOneObjective(spec["objective"], out));
    } else if (spec.has("objectives")) {
        const Node list = spec["objectives"];
        if (list.array().isEmpty())
            list.fail("needs at least one objective");
        for (qsizetype i = 0; i < list.array().size(); ++i) {
            out.objectives.push_back(parseOneObjective(list.at(i), out));
            for (qsizetype k = 0; k < i; ++k) {
                if (out.objectives[static_cast<std::size_t>(k)].metric == out.objectives.back().metric)
                    list.at(i)["metric"].fail("'" + out.objectives.back().metric + "' is already an objective");
            }
        }
    } else if (out.command) {
        out.objectives.push_back({out.command->metrics.front().name, false});
    } else
        spec.fail("an objective is needed: \"objective\": {\"metric\": \"accuracy\"}");
    out.metric = out.objectives.front().metric;
    out.maximize = out.objectives.front().maximize;

    if (spec.has("constraints")) {
        const Node list = spec["constraints"];
        for (qsizetype i = 0; i < list.array().size(); ++i) {
            const Node entry = list.at(i);
            entry.allowOnly({"metric", ">=", "<="});
            Constraint constraint;
            constraint.metric = entry["metric"].string();
            (void)metricGoal(entry["metric"], out, constraint.metric);
            if (entry.has(">=") == entry.has("<="))
                entry.fail("needs one bound: \">=\": value or \"<=\": value");
            constraint.atLeast = entry.has(">=");
            constraint.bound = entry[constraint.atLeast ? ">=" : "<="].number();
            out.constraints.push_back(std::move(constraint));
        }
    }
}

/// "strategy", "hyperband" (or "budget"), "limits", "completion", "early_stopping", "executor", "warm_start".
void parseSearch(const Node& spec, ExperimentSpec& out, const std::string& baseDirectory, QJsonObject& native)
{
    // Strategy, limits, completion, early stopping.
    const std::string strategy = spec.has("strategy") ? spec["strategy"].string() : "bayesian";
    const auto kind = strategyFromString(strategy);
    if (!kind)
        spec["strategy"].fail("'" + strategy
                              + "' is not grid, random, sobol, bayesian, tpe, nsga2, hyperband, asha or bohb");
    out.strategy.kind = *kind;
    out.strategy.seed = out.seed;
    // The budget of multi-fidelity strategies: "budget", or "hyperband" (its first name; one of the two).
    if (spec.has("budget") && spec.has("hyperband"))
        spec["budget"].fail("is the same as \"hyperband\": give one of them");
    const char* budgetKey = spec.has("budget") ? "budget" : "hyperband";
    if (spec.has(budgetKey) || *kind == StrategyKind::Hyperband || isMultiFidelity(*kind)) {
        const Node hyperband = spec[budgetKey];
        if (hyperband.isObject())
            hyperband.allowOnly({"resource", "min_resource", "max_resource", "eta", "brackets", "grid_resolution"});
        HyperbandOptions options;
        options.seed = out.seed;
        options.brackets = *kind == StrategyKind::Asha ? 1 : 0;
        if (hyperband.has("brackets")) {
            if (!isMultiFidelity(*kind))
                hyperband["brackets"].fail("applies to asha and bohb, whose trials pause and continue");
            options.brackets = static_cast<int>(hyperband["brackets"].integer(0));
        }
        static const std::map<std::string, std::string> resources{{"mlp", "epochs"},
                                                                  {"xgboost", "rounds"},
                                                                  {"forest", "trees"},
                                                                  {"logistic", "max_iter"},
                                                                  {"linear", "max_iter"}};
        out.resource = hyperband.has("resource")                ? hyperband["resource"].string()
            : resources.count(out.algorithms.front().algorithm) ? resources.at(out.algorithms.front().algorithm)
            : out.command                                       ? std::string("budget") // {budget}
                                                                : std::string();
        if (isMultiFidelity(*kind) && out.resource.empty())
            hyperband.fail("needs a \"resource\": the integer hyperparameter a trial trains to (epochs, rounds)");

        if (hyperband.has("min_resource"))
            options.minResource = hyperband["min_resource"].number();
        if (hyperband.has("max_resource"))
            options.maxResource = hyperband["max_resource"].number();
        else if (!out.resource.empty() && out.algorithms.front().fixed.count(out.resource))
            options.maxResource = algorithms::asDouble(out.algorithms.front().fixed, out.resource);
        if (hyperband.has("eta"))
            options.eta = static_cast<int>(hyperband["eta"].integer(2));
        if (options.minResource <= 0 || options.minResource >= options.maxResource)
            hyperband.fail("needs 0 < min_resource < max_resource");
        for (const AlgorithmSearch& search : out.algorithms) {
            if (std::any_of(search.ranges.begin(), search.ranges.end(),
                            [&](const Dimension& d) { return d.name() == out.resource; }))
                hyperband.fail("the resource '" + out.resource + "' is set by Hyperband and cannot be searched");
        }
        out.hyperband = options;
    }
    if (spec.has("limits")) {
        const Node limits = spec["limits"];
        limits.allowOnly({"max_trials", "max_parallel", "max_seconds", "threads_per_trial", "trial_timeout_seconds",
                          "grid_resolution"});
        if (limits.has("max_trials"))
            out.completion.maxTrials = static_cast<int>(limits["max_trials"].integer(1));
        if (limits.has("max_parallel"))
            out.maxParallel = static_cast<int>(limits["max_parallel"].integer(1));
        if (limits.has("max_seconds"))
            out.completion.maxSeconds = limits["max_seconds"].number();
        if (limits.has("threads_per_trial"))
            out.threadsPerTrial = static_cast<int>(limits["threads_per_trial"].integer(1));
        if (limits.has("trial_timeout_seconds"))
            out.trialTimeoutSeconds = limits["trial_timeout_seconds"].number();
        if (limits.has("grid_resolution"))
            out.strategy.gridResolution = static_cast<int>(limits["grid_resolution"].integer(1));
    }
    if (!out.completion.maxTrials && *kind != StrategyKind::Grid)
        out.completion.maxTrials = 20;
    if (spec.has("completion")) {
        const Node completion = spec["completion"];
        completion.allowOnly({"target_value", "trials_not_improving", "convergence"});
        if (completion.has("target_value"))
            out.completion.targetValue = completion["target_value"].number();
        if (completion.has("trials_not_improving"))
            out.completion.trialsNotImproving = static_cast<int>(completion["trials_not_improving"].integer(1));
        if (completion.has("convergence"))
            out.completion.convergence = completion["convergence"].boolean();
    }
    out.completion.maximize = out.maximize;
    if (spec.has("early_stopping")) {
        const std::string early = spec["early_stopping"].string();
        if (early != "auto" && early != "off")
            spec["early_stopping"].fail("'" + early + "' is not auto or off");
        out.earlyStopping = early == "auto";
    }
    if (spec.has("executor")) {
        out.slurm = parseExecutor(spec["executor"], baseDirectory);
        if (out.slurm && isMultiFidelity(out.strategy.kind))
            spec["executor"].fail("asha and bohb run on this machine's threads only in this version (not on Slurm)");
        if (out.slurm) { // stored with its folder absolute, as the dataset's path
            QJsonObject executor = native.value(QStringLiteral("executor")).toObject();
            executor.insert(QStringLiteral("work_dir"), QString::fromStdString(out.slurm->workDirectory));
            native.insert(QStringLiteral("executor"), executor);
        }
    }
    if (spec.has("resources"))
        parseResources(spec["resources"], out);
    if (spec.has("warm_start")) {
        // A list of experiments, or {"experiments": [...], "type": "identical_data_and_algorithm" or
        // "transfer_learning"}.
        Node warm = spec["warm_start"];
        if (warm.isObject()) {
            warm.allowOnly({"experiments", "type"});
            const std::string type
                = warm.has("type") ? warm["type"].string() : std::string("identical_data_and_algorithm");
            if (type == "transfer_learning")
                out.warmStartType = ExperimentSpec::WarmStartType::TransferLearning;
            else if (type != "identical_data_and_algorithm")
                warm["type"].fail("'" + type + "' is not identical_data_and_algorithm or transfer_learning");
            warm = warm["experiments"];
        }
        for (qsizetype i = 0; i < warm.array().size(); ++i)
            out.warmStart.push_back(warm.at(i).string());
    }
}

/// What several objectives and constraints do not work with yet.
void checkObjectives(const Node& spec, const ExperimentSpec& out)
{
    const bool rungs = out.strategy.kind == StrategyKind::Hyperband || isMultiFidelity(out.strategy.kind);
    if (out.isMultiObjective()) {
        // The median rule and Hyperband rank trials by each objective's curve: a script's metrics, step by step.
        if (isMultiFidelity(out.strategy.kind))
            spec["strategy"].fail(std::string(toString(out.strategy.kind))
                                  + " promotes trials by one objective: with several objectives use grid, random, "
                                    "sobol, bayesian, tpe, nsga2 or hyperband");
        if ((rungs || out.earlyStopping) && !out.command)
            (rungs ? spec["strategy"] : spec["early_stopping"])
                .fail("with several objectives, early stopping ranks each objective's curve step by step: a "
                      "script's metrics have them, a built-in algorithm's costs (fit_seconds, model_size) do not");
        if (out.completion.targetValue)
            spec["completion"]["target_value"].fail("a target is one objective's value: with several objectives use "
                                                    "trials_not_improving (no trial joining the Pareto front)");
        if (out.completion.convergence)
            spec["completion"]["convergence"].fail("applies to one objective");
    }
    if (!out.constraints.empty() && rungs && out.isMultiObjective())
        spec["constraints"].fail("hyperband stops trials by their objectives' curves alone: with several objectives, "
                                 "constraints need another strategy");
}

} // namespace

ExperimentSpec parseSpec(const QByteArray& json, const std::string& sourceName, const std::string& baseDirectory)
{
    const QJsonObject object = readSpecObject(json, sourceName);
    Node root(object, {}, &sourceName);
    std::vector<std::string> importNotes;
    QJsonObject native = root.has("HyperParameterTuningJobConfig") ? fromSageMaker(root, importNotes) : object;
    const Node spec(native, {}, &sourceName);
    spec.allowOnly({"name",   "dataset",    "validation",     "preprocessing", "algorithm", "algorithms", "fixed",
                    "ranges", "objective",  "objectives",     "constraints",   "strategy",  "hyperband",  "budget",
                    "limits", "completion", "early_stopping", "warm_start",    "seed",      "executor",   "resources"});

    ExperimentSpec out;
    out.importNotes = std::move(importNotes);
    out.name = spec.has("name") ? spec["name"].string()
                                : str(QFileInfo(QString::fromStdString(sourceName)).completeBaseName());
    if (out.name.empty())
        spec["name"].fail("the experiment needs a name");
    out.seed = spec.has("seed") ? static_cast<std::uint64_t>(spec["seed"].integer(0)) : 0;

    parseAlgorithms(spec, out, baseDirectory);
    parseData(spec, out, baseDirectory, native);
    parseObjective(spec, out);
    parseSearch(spec, out, baseDirectory, native);
    checkObjectives(spec, out);

    try {
        (void)out.searchSpace();
    } catch (const std::invalid_argument& error) {
        spec.fail(error.what());
    }
    out.json = native;
    return out;
}

ExperimentSpec parseSpecFile(const std::string& path)
{
    QFile file(QString::fromStdString(path));
    if (!file.open(QIODevice::ReadOnly))
        throw SpecError(path + ": " + str(file.errorString()));
    return parseSpec(file.readAll(), path, str(QFileInfo(file).absolutePath()));
}

int ResourceSpec::concurrentTrials(int cores) const
{
    int fit = std::numeric_limits<int>::max();
    const auto limit = [&](std::int64_t has, std::int64_t needs) {
        if (needs > 0)
            fit = std::min<std::int64_t>(fit, has / needs);
    };
    limit(machine.cpus > 0 ? machine.cpus : cores, trial.cpus);
    if (machine.memoryMb > 0)
        limit(machine.memoryMb, trial.memoryMb);
    limit(static_cast<std::int64_t>(machine.gpus.size()), trial.gpuCount);
    for (const auto& [name, count] : trial.slots) {
        const auto found = machine.slots.find(name);
        limit(found == machine.slots.end() ? 0 : found->second, count);
    }
    return std::max(1, fit);
}

SearchSpace ExperimentSpec::searchSpace() const
{
    SearchSpace space;
    if (!isMultiAlgorithm()) {
        for (const Dimension& dimension : algorithms.front().ranges)
            space.add(dimension);
        return space;
    }
    std::vector<std::string> ids;
    for (const AlgorithmSearch& search : algorithms)
        ids.push_back(search.algorithm);
    space.add({ParamSpec::categorical("algorithm", ids, ids.front(), "The algorithm."), std::nullopt});
    for (const AlgorithmSearch& search : algorithms) {
        for (Dimension dimension : search.ranges) {
            dimension.range.name = search.algorithm + "." + dimension.range.name;
            if (dimension.condition)
                dimension.condition->parent = search.algorithm + "." + dimension.condition->parent;
            else
                dimension.condition = Condition{"algorithm", {search.algorithm}, std::nullopt, std::nullopt};
            space.add(std::move(dimension));
        }
    }
    return space;
}

TrialConfig ExperimentSpec::configFor(const Params& joint) const
{
    const AlgorithmSearch* search = &algorithms.front();
    std::string prefix;
    if (isMultiAlgorithm()) {
        const std::string& id = algorithms::asString(joint, "algorithm");
        search = &*std::find_if(algorithms.begin(), algorithms.end(),
                                [&](const AlgorithmSearch& a) { return a.algorithm == id; });
        prefix = id + ".";
    }
    TrialConfig config{search->algorithm, search->fixed};
    const auto algorithm = algorithms::findAlgorithm(search->algorithm);
    const std::vector<ParamSpec> schema = algorithm ? algorithm->params() : std::vector<ParamSpec>{};
    for (const Dimension& dimension : search->ranges) {
        const auto found = joint.find(prefix + dimension.name());
        if (found == joint.end())
            continue; // inactive
        ParamValue value = found->second;
        // A categorical range over a numeric or boolean hyperparameter holds text: type it for the algorithm.
        if (const ParamSpec* spec = findSpec(schema, dimension.name());
            spec && std::holds_alternative<std::string>(value) && spec->type != ParamType::Categorical)
            value = spec->parse(std::get<std::string>(value));
        config.params[dimension.name()] = std::move(value);
    }
    if (hyperband && !resource.empty())
        config.params[resource] = static_cast<std::int64_t>(std::llround(hyperband->maxResource));
    return config;
}

Params ExperimentSpec::jointOf(const TrialConfig& trial) const
{
    Params joint;
    const auto search = std::find_if(algorithms.begin(), algorithms.end(),
                                     [&](const AlgorithmSearch& a) { return a.algorithm == trial.algorithm; });
    if (search == algorithms.end())
        return joint;
    const std::string prefix = isMultiAlgorithm() ? trial.algorithm + "." : std::string();
    if (isMultiAlgorithm())
        joint["algorithm"] = trial.algorithm;
    for (const Dimension& dimension : search->ranges) {
        const auto found = trial.params.find(dimension.name());
        if (found == trial.params.end())
            continue;
        ParamValue value = found->second;
        if (dimension.range.type == ParamType::Categorical && !std::holds_alternative<std::string>(value))
            value = std::holds_alternative<bool>(value) ? std::string(std::get<bool>(value) ? "true" : "false")
                                                        : algorithms::formatValue(value);
        joint[prefix + dimension.name()] = std::move(value);
    }
    return joint;
}

TrialConfig ExperimentSpec::recordedConfig(const std::string& algorithmId, const std::string& paramsJson) const
{
    const QJsonObject object = QJsonDocument::fromJson(QByteArray::fromStdString(paramsJson)).object();
    std::vector<ParamSpec> schema;
    if (const auto algorithm = algorithms::findAlgorithm(algorithmId))
        schema = algorithm->params();
    for (const AlgorithmSearch& search : algorithms) {
        if (search.algorithm == algorithmId && algorithmId == "command") {
            for (const Dimension& dimension : search.ranges)
                schema.push_back(dimension.range);
        }
    }
    TrialConfig config{algorithmId, {}};
    for (auto it = object.begin(); it != object.end(); ++it) {
        const std::string name = it.key().toStdString();
        const auto spec = std::find_if(schema.begin(), schema.end(), [&](const auto& s) { return s.name == name; });
        if (spec != schema.end())
            config.params[name] = algorithms::fromJson(*spec, it.value());
        else
            config.params[name] = it.value().isString() ? it.value().toString().toStdString()
                                                        : algorithms::formatValue(it.value().toDouble());
    }
    return config;
}

} // namespace tunebench::tuning

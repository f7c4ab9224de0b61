#include "jobs/benchmark.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <numeric>

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

#include "algorithms/paramsjson.h"
#include "jobs/runrecorder.h"
#include "jobs/tuner.h"
#include "tuning/strategy.h"

namespace tunebench::jobs {

namespace {

QString qs(const std::string& text)
{
    return QString::fromStdString(text);
}

[[noreturn]] void fail(const std::string& source, const std::string& path, const std::string& message)
{
    throw tuning::SpecError(source + ": " + path + ": " + message);
}

/// The label a benchmark shows for a dataset entry: its "label", else the file's name without suffixes.
std::string datasetLabel(const QJsonValue& entry)
{
    if (entry.isObject() && entry.toObject().value(QStringLiteral("label")).isString())
        return entry.toObject().value(QStringLiteral("label")).toString().toStdString();
    const QString path
        = entry.isString() ? entry.toString() : entry.toObject().value(QStringLiteral("path")).toString();
    QString name = QFileInfo(path).fileName();
    for (const char* suffix : {".gz", ".csv", ".tsv", ".arff", ".libsvm", ".svm", ".txt"}) {
        if (name.endsWith(QLatin1String(suffix)))
            name.chop(static_cast<qsizetype>(std::strlen(suffix)));
    }
    return name.toStdString();
}

BenchmarkCell::Outcome outcomeOf(const evaluation::CorrectedTTest& test, bool higherIsBetter, double alpha)
{
    if (!(test.pValue < alpha))
        return BenchmarkCell::Outcome::Tie;
    const bool better = higherIsBetter ? test.meanDifference > 0.0 : test.meanDifference < 0.0;
    return better ? BenchmarkCell::Outcome::Win : BenchmarkCell::Outcome::Loss;
}

const char* outcomeName(BenchmarkCell::Outcome outcome)
{
    switch (outcome) {
    case BenchmarkCell::Outcome::Baseline: return "baseline";
    case BenchmarkCell::Outcome::Win: return "win";
    case BenchmarkCell::Outcome::Tie: return "tie";
    case BenchmarkCell::Outcome::Loss: return "loss";
    case BenchmarkCell::Outcome::Untested: break;
    }
    return "untested";
}

/// Nested cross-validation of a tuned entry: in each outer training fold, the search runs with its own
/// inner folds (predefined folds over the outer training rows; the outer validation rows left out), and
/// the best configuration found is scored on the outer validation fold. The outer folds are those every
/// fixed algorithm of the dataset gets.
std::vector<double> nestedScores(const BuiltinTrialRunner& runner, const BenchmarkSpec::Tuning& tuned,
                                 const tuning::TrialConfig& fixed, const evaluation::ValidationSpec& outer,
                                 const std::string& metric, bool higherIsBetter, const util::CancelToken& cancel,
                                 int threads)
{
    const data::Dataset& dataset = runner.dataset();
    const data::Column& target = dataset.column(runner.targetColumn());
    const algorithms::TargetEncoding encoding = algorithms::encodeTarget(target, runner.task());
    std::vector<std::size_t> rows(dataset.rowCount());
    std::iota(rows.begin(), rows.end(), std::size_t{0});
    const Eigen::VectorXd values = algorithms::targetValues(target, rows, encoding);
    const bool classification = runner.task() != data::Task::Regression;
    std::vector<std::size_t> usable;
    std::vector<int> labels;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (std::isnan(values[static_cast<Eigen::Index>(i)]))
            continue;
        usable.push_back(i);
        if (classification)
            labels.push_back(static_cast<int>(values[static_cast<Eigen::Index>(i)]));
    }
    const std::vector<evaluation::Fold> outerFolds = evaluation::makeFolds(usable, labels, outer);
    const tuning::SearchSpace space = tuned.search.searchSpace();
    const algorithms::TrainingContext context(cancel, {}, threads);
    auto scoreOf = [&](const evaluation::EvaluationResult& result) {
        const auto found = result.summary.find(metric);
        if (found == result.summary.end())
            throw algorithms::TrainingError("no " + metric + " was measured");
        return found->second.mean;
    };
    std::vector<double> scores;
    for (const evaluation::Fold& fold : outerFolds) {
        // The inner folds, over the outer training rows only.
        std::vector<int> trainLabels;
        if (classification) {
            for (std::size_t row : fold.train)
                trainLabels.push_back(static_cast<int>(values[static_cast<Eigen::Index>(row)]));
        }
        evaluation::ValidationSpec inner = tuned.search.validation;
        inner.method = evaluation::ValidationSpec::Method::Predefined;
        inner.assignment.assign(dataset.rowCount(), -1);
        const std::vector<evaluation::Fold> innerFolds
            = evaluation::makeFolds(fold.train, trainLabels, tuned.search.validation);
        for (std::size_t k = 0; k < innerFolds.size(); ++k) {
            if (innerFolds[k].repeat == 0) {
                for (std::size_t row : innerFolds[k].test)
                    inner.assignment[row] = static_cast<int>(k);
            }
        }
        const std::unique_ptr<tuning::Strategy> strategy = tuning::makeStrategy(space, tuned.search.strategy);
        std::vector<tuning::TrialView> history;
        std::optional<std::pair<double, tuning::TrialConfig>> best;
        for (int number = 1; number <= tuned.trials; ++number) {
            if (cancel.isCancelled())
                throw util::Cancelled();
            const tuning::Suggestion suggestion = strategy->suggest(history, number);
            if (suggestion.kind == tuning::Suggestion::Kind::Exhausted)
                break;
            tuning::TrialConfig config = tuned.search.configFor(suggestion.params);
            for (const auto& [name, value] : fixed.params)
                config.params.emplace(name, value);
            const double score = scoreOf(runner.evaluate(config, context, {}, &inner));
            const double loss = higherIsBetter ? -score : score;
            history.push_back({number, suggestion.params, tuning::TrialState::Finished, loss});
            if (!best || loss < best->first)
                best = std::pair{loss, config};
        }
        if (!best)
            throw algorithms::TrainingError("the search suggested nothing to try");
        // The outer split as predefined folds: validation rows 0, training rows 1; fold 0 is the one scored.
        evaluation::ValidationSpec split = outer;
        split.method = evaluation::ValidationSpec::Method::Predefined;
        split.assignment.assign(dataset.rowCount(), -1);
        for (std::size_t row : fold.test)
            split.assignment[row] = 0;
        for (std::size_t row : fold.train)
            split.assignment[row] = 1;
        const evaluation::EvaluationResult result = runner.evaluate(best->second, context, {}, &split);
        const auto found = result.folds.front().metrics.find(metric);
        if (found == result.folds.front().metrics.end())
            throw algorithms::TrainingError("no " + metric + " was measured");
        scores.push_back(found->second);
    }
    return scores;
}

} // namespace

BenchmarkSpec parseBenchmarkSpec(const QByteArray& json, const std::string& sourceName,
                                 const std::string& baseDirectory)
{
    const QJsonObject root = tuning::readSpecObject(json, sourceName);
    static const QStringList allowed{QStringLiteral("name"),       QStringLiteral("datasets"),
                                     QStringLiteral("algorithms"), QStringLiteral("validation"),
                                     QStringLiteral("metric"),     QStringLiteral("baseline"),
                                     QStringLiteral("alpha"),      QStringLiteral("seed"),
                                     QStringLiteral("threads"),    QStringLiteral("preprocessing")};
    for (const QString& key : root.keys()) {
        if (!allowed.contains(key))
            fail(sourceName, key.toStdString(),
                 "unknown field (expected one of " + allowed.join(QStringLiteral(", ")).toStdString() + ")");
    }
    BenchmarkSpec spec;
    spec.name = root.value(QStringLiteral("name")).toString(QStringLiteral("benchmark")).toStdString();
    if (!root.value(QStringLiteral("metric")).isString())
        fail(sourceName, "metric", "the metric to compare on is needed, as \"metric\": \"accuracy\"");
    spec.metric = root.value(QStringLiteral("metric")).toString().toStdString();
    const QJsonArray datasets = root.value(QStringLiteral("datasets")).toArray();
    if (datasets.isEmpty())
        fail(sourceName, "datasets", "a list of one or more datasets is needed");
    const QJsonArray algorithms = root.value(QStringLiteral("algorithms")).toArray();
    if (algorithms.isEmpty())
        fail(sourceName, "algorithms", "a list of one or more algorithms is needed");
    if (root.contains(QStringLiteral("alpha"))) {
        spec.alpha = root.value(QStringLiteral("alpha")).toDouble(-1.0);
        if (!(spec.alpha > 0.0 && spec.alpha < 0.5))
            fail(sourceName, "alpha", "a significance level between 0 and 0.5, such as 0.05");
    }
    if (root.contains(QStringLiteral("threads"))) {
        spec.threads = root.value(QStringLiteral("threads")).toInt(0);
        if (spec.threads < 1)
            fail(sourceName, "threads", "a positive number of threads");
    }

    // The algorithms, as a multi-algorithm experiment's entries: "fixed" is checked against each one's schema.
    QJsonArray entries;
    for (qsizetype i = 0; i < algorithms.size(); ++i) {
        const std::string path = "algorithms[" + std::to_string(i) + "]";
        QJsonObject entry = algorithms.at(i).isString()
            ? QJsonObject{{QStringLiteral("algorithm"), algorithms.at(i).toString()}}
            : algorithms.at(i).toObject();
        if (!entry.value(QStringLiteral("algorithm")).isString())
            fail(sourceName, path, "an algorithm id, or {\"algorithm\": ID, \"fixed\": {...}, \"label\": TEXT}");
        for (const QString& key : entry.keys()) {
            static const QStringList fields{QStringLiteral("algorithm"), QStringLiteral("fixed"),
                                            QStringLiteral("label"), QStringLiteral("ranges"), QStringLiteral("tune")};
            if (!fields.contains(key))
                fail(sourceName, path + "." + key.toStdString(),
                     "unknown field (expected algorithm, fixed, ranges, tune, label)");
        }
        if (entry.contains(QStringLiteral("tune")) && !entry.contains(QStringLiteral("ranges")))
            fail(sourceName, path + ".tune", "a tuned algorithm needs \"ranges\" to search");
        const std::string label = entry.value(QStringLiteral("label"))
                                      .toString(entry.value(QStringLiteral("algorithm")).toString())
                                      .toStdString();
        if (std::find(spec.algorithmLabels.begin(), spec.algorithmLabels.end(), label) != spec.algorithmLabels.end())
            fail(sourceName, path, "the label '" + label + "' is used twice; give each entry its own \"label\"");
        spec.algorithmLabels.push_back(label);
        entry.remove(QStringLiteral("label"));
        entries.append(entry);
    }
    const QString baseline = root.value(QStringLiteral("baseline")).toString(qs(spec.algorithmLabels.front()));
    const auto found = std::find(spec.algorithmLabels.begin(), spec.algorithmLabels.end(), baseline.toStdString());
    if (found == spec.algorithmLabels.end())
        fail(sourceName, "baseline", "'" + baseline.toStdString() + "' is not the label of one of the algorithms");
    spec.baseline = static_cast<std::size_t>(found - spec.algorithmLabels.begin());

    // One experiment per dataset: the dataset as an experiment has it, the shared validation and seed.
    for (qsizetype i = 0; i < datasets.size(); ++i) {
        const std::string path = "datasets[" + std::to_string(i) + "]";
        QJsonObject dataset = datasets.at(i).isString()
            ? QJsonObject{{QStringLiteral("path"), datasets.at(i).toString()}}
            : datasets.at(i).toObject();
        if (!dataset.value(QStringLiteral("path")).isString())
            fail(sourceName, path, "a file path, or {\"path\": FILE, \"target\": COLUMN, \"label\": TEXT, ...}");
        const std::string label = datasetLabel(datasets.at(i));
        if (std::find(spec.datasetLabels.begin(), spec.datasetLabels.end(), label) != spec.datasetLabels.end())
            fail(sourceName, path, "the label '" + label + "' is used twice; give each dataset its own \"label\"");
        spec.datasetLabels.push_back(label);
        dataset.remove(QStringLiteral("label"));
        QJsonObject experiment{{QStringLiteral("name"), qs(spec.name)},
                               {QStringLiteral("dataset"), dataset},
                               {QStringLiteral("objective"), QJsonObject{{QStringLiteral("metric"), qs(spec.metric)}}},
                               {QStringLiteral("limits"), QJsonObject{{QStringLiteral("max_trials"), 1}}}};
        // The first algorithm stands in (with its defaults); every algorithm is checked on its own below.
        experiment.insert(QStringLiteral("algorithm"), entries.first().toObject().value(QStringLiteral("algorithm")));
        for (const char* key : {"validation", "seed", "preprocessing"}) {
            if (root.contains(QLatin1String(key)))
                experiment.insert(QLatin1String(key), root.value(QLatin1String(key)));
        }
        spec.datasets.push_back(
            tuning::parseSpec(QJsonDocument(experiment).toJson(), sourceName + " " + path, baseDirectory));
        if (!QFileInfo(qs(spec.datasets.back().datasetPath)).isFile())
            fail(sourceName, path + ".path", "no such file: " + spec.datasets.back().datasetPath);
    }
    const tuning::ExperimentSpec& first = spec.datasets.front();
    spec.higherIsBetter = first.maximize;
    // Each algorithm's parameters, typed and checked against its schema as an experiment's "fixed" are; a
    // tuned one's ranges and search as an experiment's.
    for (qsizetype i = 0; i < entries.size(); ++i) {
        const std::string path = "algorithms[" + std::to_string(i) + "]";
        const QJsonObject entry = entries.at(i).toObject();
        QJsonObject single{{QStringLiteral("name"), qs(spec.name)},
                           {QStringLiteral("dataset"), first.json.value(QStringLiteral("dataset"))},
                           {QStringLiteral("algorithm"), entry.value(QStringLiteral("algorithm"))},
                           {QStringLiteral("objective"), QJsonObject{{QStringLiteral("metric"), qs(spec.metric)}}}};
        if (entry.contains(QStringLiteral("fixed")))
            single.insert(QStringLiteral("fixed"), entry.value(QStringLiteral("fixed")));
        int trials = 0;
        if (entry.contains(QStringLiteral("ranges"))) {
            const QJsonObject tune = entry.value(QStringLiteral("tune")).toObject();
            for (const QString& key : tune.keys()) {
                if (key != QLatin1String("strategy") && key != QLatin1String("trials") && key != QLatin1String("folds"))
                    fail(sourceName, path + ".tune." + key.toStdString(),
                         "unknown field (expected strategy, trials, folds)");
            }
            trials = tune.value(QStringLiteral("trials")).toInt(20);
            const int folds = tune.value(QStringLiteral("folds")).toInt(3);
            if (trials < 1)
                fail(sourceName, path + ".tune.trials", "a positive number of trials");
            if (folds < 2)
                fail(sourceName, path + ".tune.folds", "at least two inner folds");
            single.insert(QStringLiteral("ranges"), entry.value(QStringLiteral("ranges")));
            single.insert(QStringLiteral("strategy"),
                          tune.value(QStringLiteral("strategy")).toString(QStringLiteral("random")));
            single.insert(QStringLiteral("limits"), QJsonObject{{QStringLiteral("max_trials"), trials}});
            single.insert(QStringLiteral("validation"), QJsonObject{{QStringLiteral("folds"), folds}});
            if (root.contains(QStringLiteral("seed")))
                single.insert(QStringLiteral("seed"), root.value(QStringLiteral("seed")));
        }
        const tuning::ExperimentSpec parsed
            = tuning::parseSpec(QJsonDocument(single).toJson(), sourceName + " " + path, baseDirectory);
        spec.algorithms.push_back({parsed.algorithms.front().algorithm, parsed.algorithms.front().fixed});
        if (trials > 0)
            spec.tuning.push_back(BenchmarkSpec::Tuning{parsed, trials});
        else
            spec.tuning.push_back(std::nullopt);
    }
    for (std::size_t i = 0; i < spec.algorithms.size(); ++i) {
        if (spec.algorithms[i].algorithm == "command")
            fail(sourceName, "algorithms[" + std::to_string(i) + "]", "benchmarks compare built-in algorithms");
    }
    return spec;
}

BenchmarkSpec parseBenchmarkSpecFile(const std::string& path)
{
    QFile file(qs(path));
    if (!file.open(QIODevice::ReadOnly))
        throw tuning::SpecError(path + ": " + file.errorString().toStdString());
    return parseBenchmarkSpec(file.readAll(), path, QFileInfo(file).absolutePath().toStdString());
}

BenchmarkResult runBenchmark(const BenchmarkSpec& spec, const util::CancelToken& cancel,
                             const BenchmarkProgress& progress)
{
    const std::size_t datasetCount = spec.datasets.size();
    const std::size_t algorithmCount = spec.algorithms.size();
    BenchmarkResult result;
    result.cells.assign(datasetCount, std::vector<BenchmarkCell>(algorithmCount));
    const int total = static_cast<int>(datasetCount * algorithmCount);
    int done = 0;
    for (std::size_t d = 0; d < datasetCount; ++d) {
        std::shared_ptr<const BuiltinTrialRunner> runner;
        try {
            runner = makeBuiltinTrialRunner(spec.datasets[d]);
        } catch (const std::invalid_argument& error) {
            throw std::invalid_argument(spec.datasetLabels[d] + ": " + error.what());
        }
        for (std::size_t a = 0; a < algorithmCount; ++a) {
            if (cancel.isCancelled())
                throw util::Cancelled();
            if (progress)
                progress(done, total, spec.datasetLabels[d] + " / " + spec.algorithmLabels[a]);
            BenchmarkCell& cell = result.cells[d][a];
            try {
                if (spec.tuning[a]) {
                    const auto started = std::chrono::steady_clock::now();
                    cell.scores
                        = nestedScores(*runner, *spec.tuning[a], spec.algorithms[a], spec.datasets[d].validation,
                                       spec.metric, spec.higherIsBetter, cancel, spec.threads);
                    cell.summary = evaluation::meanAndStd(cell.scores);
                    cell.fitSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
                    ++done;
                    continue;
                }
                const TrialResult trial
                    = runner->run(spec.algorithms[a], 0, algorithms::TrainingContext(cancel, {}, spec.threads));
                const auto scores = trial.foldMetrics.find(spec.metric);
                const auto summary = trial.metrics.find(spec.metric);
                if (scores == trial.foldMetrics.end() || summary == trial.metrics.end())
                    throw algorithms::TrainingError("no " + spec.metric + " was measured");
                cell.scores = scores->second;
                cell.summary = summary->second;
                cell.fitSeconds = trial.fitSeconds;
            } catch (const util::Cancelled&) {
                throw;
            } catch (const std::exception& error) {
                cell.error = error.what();
            }
            ++done;
        }
    }
    if (progress)
        progress(done, total, {});

    // Each algorithm against the baseline, dataset by dataset, on the same folds.
    const evaluation::ValidationSpec& validation = spec.datasets.front().validation;
    result.testFraction = validation.method == evaluation::ValidationSpec::Method::Holdout
        ? validation.holdoutFraction
        : 1.0 / static_cast<double>(validation.folds);
    result.versusBaseline.assign(algorithmCount, {});
    for (std::size_t d = 0; d < datasetCount; ++d) {
        const BenchmarkCell& baseline = result.cells[d][spec.baseline];
        for (std::size_t a = 0; a < algorithmCount; ++a) {
            BenchmarkCell& cell = result.cells[d][a];
            if (a == spec.baseline) {
                cell.outcome = BenchmarkCell::Outcome::Baseline;
                continue;
            }
            if (cell.scores.size() < 2 || cell.scores.size() != baseline.scores.size())
                continue;
            cell.test = evaluation::correctedResampledTTest(cell.scores, baseline.scores, result.testFraction);
            cell.outcome = outcomeOf(*cell.test, spec.higherIsBetter, spec.alpha);
            BenchmarkResult::Record& record = result.versusBaseline[a];
            record.wins += cell.outcome == BenchmarkCell::Outcome::Win;
            record.ties += cell.outcome == BenchmarkCell::Outcome::Tie;
            record.losses += cell.outcome == BenchmarkCell::Outcome::Loss;
        }
    }

    // The Friedman test over the datasets' mean scores.
    bool complete = true;
    for (const auto& row : result.cells) {
        for (const BenchmarkCell& cell : row)
            complete = complete && cell.error.empty();
    }
    if (datasetCount < 2)
        result.friedmanNote = "the Friedman test needs two datasets or more";
    else if (algorithmCount < 2 || algorithmCount > 10)
        result.friedmanNote = "the Friedman test with the Nemenyi critical difference compares 2 to 10 algorithms";
    else if (!complete)
        result.friedmanNote = "the Friedman test needs every algorithm's score on every dataset";
    else {
        result.friedmanAlpha = spec.alpha == 0.10 ? 0.10 : 0.05;
        if (spec.alpha != 0.05 && spec.alpha != 0.10)
            result.friedmanNote = "the Nemenyi critical difference is tabulated for alpha 0.05 and 0.10: shown at 0.05";
        Eigen::MatrixXd means(static_cast<Eigen::Index>(datasetCount), static_cast<Eigen::Index>(algorithmCount));
        for (std::size_t d = 0; d < datasetCount; ++d) {
            for (std::size_t a = 0; a < algorithmCount; ++a)
                means(static_cast<Eigen::Index>(d), static_cast<Eigen::Index>(a)) = result.cells[d][a].summary.mean;
        }
        result.friedman = evaluation::friedmanTest(means, spec.higherIsBetter, result.friedmanAlpha);
    }
    return result;
}

namespace {

/// `name`, or "name (2)", "name (3)" ... when the project has an experiment of that name.
std::string freeExperimentName(const store::ProjectStore& project, const std::string& name)
{
    std::string free = name;
    for (int n = 2; project.experimentByName(free); ++n)
        free = name + " (" + std::to_string(n) + ")";
    return free;
}

/// The spec of one benchmark cell: its dataset's spec with the algorithm's fixed values.
tuning::ExperimentSpec cellSpec(const BenchmarkSpec& spec, std::size_t dataset, std::size_t algorithm,
                                const std::string& name)
{
    const tuning::ExperimentSpec& data = spec.datasets[dataset];
    QJsonObject json = data.json;
    json.insert(QStringLiteral("name"), qs(name));
    json.insert(QStringLiteral("algorithm"), qs(spec.algorithms[algorithm].algorithm));
    json.insert(QStringLiteral("fixed"), algorithms::toJson(spec.algorithms[algorithm].params));
    json.insert(QStringLiteral("limits"), QJsonObject{{QStringLiteral("max_trials"), 1}});
    json.remove(QStringLiteral("ranges"));
    tuning::ExperimentSpec cell = tuning::parseSpec(QJsonDocument(json).toJson(), name, "/");
    cell.threadsPerTrial = spec.threads;
    return cell;
}

} // namespace

std::vector<std::string> recordBenchmark(store::ProjectStore& project, const BenchmarkSpec& spec,
                                         const BenchmarkResult& result)
{
    std::vector<std::string> names;
    const std::vector<store::DatasetRecord> datasets = project.datasets();
    for (std::size_t d = 0; d < spec.datasets.size(); ++d) {
        std::optional<std::int64_t> datasetId;
        for (const store::DatasetRecord& record : datasets) {
            if (record.path == spec.datasets[d].datasetPath)
                datasetId = record.id;
        }
        for (std::size_t a = 0; a < spec.algorithms.size(); ++a) {
            const BenchmarkCell& cell = result.cells[d][a];
            const std::string name = freeExperimentName(
                project, spec.name + " / " + spec.datasetLabels[d] + " / " + spec.algorithmLabels[a]);
            const tuning::ExperimentSpec recorded = cellSpec(spec, d, a, name);
            RunRecorder recorder(project, recorded);
            recorder.create(datasetId);
            Trial trial;
            trial.number = 1;
            trial.config = spec.algorithms[a];
            trial.fitSeconds = cell.fitSeconds;
            if (cell.error.empty()) {
                trial.state = TrialState::Finished;
                trial.objective = cell.summary.mean;
                trial.metrics[spec.metric] = {cell.summary.mean, cell.summary.std, cell.scores};
            } else {
                trial.state = TrialState::Failed;
                trial.error = cell.error;
            }
            trial.startedAt = store::ProjectStore::nowUtc();
            recorder.started(trial.number, trial.config);
            recorder.ended(std::move(trial));
            (void)recorder.commit();
            recorder.complete("benchmark " + spec.name);
            names.push_back(name);
        }
    }
    return names;
}

QJsonObject benchmarkJson(const BenchmarkSpec& spec, const BenchmarkResult& result)
{
    QJsonArray datasets;
    for (const std::string& label : spec.datasetLabels)
        datasets.append(qs(label));
    QJsonArray algorithms;
    for (std::size_t a = 0; a < spec.algorithms.size(); ++a) {
        const BenchmarkResult::Record record
            = a < result.versusBaseline.size() ? result.versusBaseline[a] : BenchmarkResult::Record{};
        QJsonObject entry{{QStringLiteral("label"), qs(spec.algorithmLabels[a])},
                          {QStringLiteral("algorithm"), qs(spec.algorithms[a].algorithm)},
                          {QStringLiteral("wins"), record.wins},
                          {QStringLiteral("ties"), record.ties},
                          {QStringLiteral("losses"), record.losses}};
        if (result.friedman)
            entry.insert(QStringLiteral("average_rank"), result.friedman->averageRanks(static_cast<Eigen::Index>(a)));
        algorithms.append(entry);
    }
    QJsonArray cells;
    for (std::size_t d = 0; d < result.cells.size(); ++d) {
        for (std::size_t a = 0; a < result.cells[d].size(); ++a) {
            const BenchmarkCell& cell = result.cells[d][a];
            QJsonObject entry{{QStringLiteral("dataset"), qs(spec.datasetLabels[d])},
                              {QStringLiteral("algorithm"), qs(spec.algorithmLabels[a])},
                              {QStringLiteral("outcome"), QLatin1String(outcomeName(cell.outcome))}};
            if (!cell.error.empty()) {
                entry.insert(QStringLiteral("error"), qs(cell.error));
            } else {
                QJsonArray scores;
                for (double score : cell.scores)
                    scores.append(score);
                entry.insert(QStringLiteral("scores"), scores);
                entry.insert(QStringLiteral("mean"), cell.summary.mean);
                entry.insert(QStringLiteral("std"), cell.summary.std);
                entry.insert(QStringLiteral("fit_seconds"), cell.fitSeconds);
            }
            if (cell.test) {
                entry.insert(QStringLiteral("t"), cell.test->t);
                entry.insert(QStringLiteral("p_value"), cell.test->pValue);
                entry.insert(QStringLiteral("mean_difference"), cell.test->meanDifference);
            }
            cells.append(entry);
        }
    }
    QJsonObject json{{QStringLiteral("name"), qs(spec.name)},
                     {QStringLiteral("metric"), qs(spec.metric)},
                     {QStringLiteral("higher_is_better"), spec.higherIsBetter},
                     {QStringLiteral("baseline"), qs(spec.algorithmLabels[spec.baseline])},
                     {QStringLiteral("alpha"), spec.alpha},
                     {QStringLiteral("test_fraction"), result.testFraction},
                     {QStringLiteral("datasets"), datasets},
                     {QStringLiteral("algorithms"), algorithms},
                     {QStringLiteral("cells"), cells}};
    if (result.friedman) {
        json.insert(QStringLiteral("friedman"),
                    QJsonObject{{QStringLiteral("chi_square"), result.friedman->chiSquare},
                                {QStringLiteral("p_value"), result.friedman->pValue},
                                {QStringLiteral("iman_davenport_f"), result.friedman->imanDavenportF},
                                {QStringLiteral("iman_davenport_p_value"), result.friedman->imanDavenportPValue},
                                {QStringLiteral("critical_difference"), result.friedman->criticalDifference},
                                {QStringLiteral("alpha"), result.friedmanAlpha}});
    }
    if (!result.friedmanNote.empty())
        json.insert(QStringLiteral("friedman_note"), qs(result.friedmanNote));
    return json;
}

} // namespace tunebench::jobs

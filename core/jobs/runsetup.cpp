#include "jobs/runsetup.h"

#include <QDir>
#include <QTemporaryDir>

#include "data/csvwriter.h"
#include "data/reader.h"
#include "evaluation/validation.h"
#include "jobs/slurm.h"
#include "store/datasetregistry.h"

namespace tunebench::jobs {

namespace {

/// The spec's data file read with the spec's settings and column types, every column kept (as the project records it).
data::Dataset readSpecFile(const tuning::ExperimentSpec& spec)
{
    data::ReadOptions options;
    spec.readSettings.applyTo(options);
    for (const auto& [name, type] : spec.columnTypes)
        options.typeOverrides[name] = type;
    return data::readDataset(spec.datasetPath, options);
}

/// The dataset as the spec's trials see it: its ignored columns left out.
std::shared_ptr<const data::Dataset> withoutIgnoredColumns(data::Dataset read, const tuning::ExperimentSpec& spec)
{
    return std::make_shared<const data::Dataset>(data::withoutColumns(std::move(read), spec.ignoredColumns));
}

/// The spec's dataset as its trials see it: columns read with the spec's types, ignored ones left out.
std::shared_ptr<const data::Dataset> readSpecDataset(const tuning::ExperimentSpec& spec)
{
    return withoutIgnoredColumns(readSpecFile(spec), spec);
}

/// The spec as this machine runs its trials: without the executor that would send them elsewhere.
tuning::ExperimentSpec withoutExecutor(const tuning::ExperimentSpec& spec)
{
    tuning::ExperimentSpec here = spec;
    here.slurm.reset();
    return here;
}

/// A Slurm spec's trials go to the cluster; `local` answers what the tuner asks between them.
std::shared_ptr<const TrialRunner> onClusterIfAsked(const tuning::ExperimentSpec& spec,
                                                    std::shared_ptr<const TrialRunner> local, RunStart start)
{
    if (!spec.slurm)
        return local;
    return std::make_shared<SlurmTrialRunner>(spec, std::move(local), start == RunStart::Resume);
}

bool usesSplitFiles(const tuning::CommandSpec& command)
{
    return std::any_of(command.argv.begin(), command.argv.end(), [](const std::string& argument) {
        return argument.find("{train_path}") != std::string::npos
            || argument.find("{validation_path}") != std::string::npos;
    });
}

/// Writes the first split of the spec's validation (hold-out, or fold 1 of k-fold: the built-in algorithms' first
/// fold, row for row) as train.csv and validation.csv in `directory`.
std::pair<std::string, std::string> writeFirstSplit(const tuning::ExperimentSpec& spec, const std::string& directory)
{
    const std::shared_ptr<const data::Dataset> dataset = readSpecDataset(spec);
    const std::optional<std::size_t> target
        = spec.target.empty() ? data::suggestTarget(*dataset) : dataset->indexOf(spec.target);
    if (!target)
        throw std::invalid_argument("the dataset has no column named '" + spec.target + "'");
    const data::Task task = data::detectTask(dataset->column(*target));
    const std::vector<evaluation::Fold> folds = evaluation::validationFolds(*dataset, *target, task, spec.validation);
    if (folds.empty())
        throw std::invalid_argument("the validation makes no split of the dataset");
    const std::string train = directory + "/train.csv";
    const std::string validation = directory + "/validation.csv";
    data::writeCsv(*dataset, train, folds.front().train);
    data::writeCsv(*dataset, validation, folds.front().test);
    return {train, validation};
}

} // namespace

std::shared_ptr<const BuiltinTrialRunner> makeBuiltinTrialRunner(const tuning::ExperimentSpec& spec)
{
    if (spec.command)
        throw std::invalid_argument("an external command's trials are evaluated by the command itself");
    return std::make_shared<BuiltinTrialRunner>(readSpecDataset(spec), spec);
}

PreparedRun prepareRun(const tuning::ExperimentSpec& spec, store::ProjectStore& project)
{
    PreparedRun prepared;
    if (spec.command) {
        prepared.runner = makeTrialRunner(spec);
        for (const store::DatasetRecord& record : project.datasets()) {
            if (!spec.datasetPath.empty() && record.path == spec.datasetPath)
                prepared.datasetId = record.id;
        }
        return prepared;
    }
    data::Dataset read = readSpecFile(spec);
    prepared.datasetId = store::recordDataset(project, spec.datasetPath, read, nullptr, spec.readSettings).id;
    prepared.runner = onClusterIfAsked(
        spec, std::make_shared<BuiltinTrialRunner>(withoutIgnoredColumns(std::move(read), spec), withoutExecutor(spec)),
        RunStart::New);
    return prepared;
}

namespace {

/// The runner of a spec's trials on this machine (the spec has no executor).
std::shared_ptr<const TrialRunner> makeLocalTrialRunner(const tuning::ExperimentSpec& spec)
{
    if (!spec.command)
        return makeBuiltinTrialRunner(spec);
    auto runner = std::make_shared<CommandTrialRunner>(*spec.command, spec.metric, spec.maximize, spec.datasetPath);
    if (usesSplitFiles(*spec.command)) {
        if (spec.datasetPath.empty())
            throw std::invalid_argument("{train_path} and {validation_path} need a dataset in the spec");
        // Written once per run, into a folder that lives as long as the runner.
        auto folder = std::make_shared<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/tunebench-split-XXXXXX"));
        if (!folder->isValid())
            throw std::runtime_error("cannot create a folder for the data split: "
                                     + folder->errorString().toStdString());
        const auto [train, validation] = writeFirstSplit(spec, folder->path().toStdString());
        runner->setSplitFiles(train, validation, std::move(folder));
    }
    return runner;
}

} // namespace

std::shared_ptr<const TrialRunner> makeTrialRunner(const tuning::ExperimentSpec& spec, RunStart start)
{
    return onClusterIfAsked(spec, makeLocalTrialRunner(withoutExecutor(spec)), start);
}

} // namespace tunebench::jobs

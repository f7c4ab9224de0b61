#include "jobs/compatibility.h"

#include <filesystem>
#include <stdexcept>

#include <QString>

#include "data/datasetinfo.h"
#include "evaluation/validation.h"

namespace tunebench::jobs {

namespace {

std::string validationText(const evaluation::ValidationSpec& validation)
{
    return evaluation::describe(validation) + ", seed " + std::to_string(validation.seed);
}

std::string searchSpaceText(const tuning::ExperimentSpec& spec)
{
    std::string text;
    const tuning::SearchSpace space = spec.searchSpace(); // kept: dimensions() refers into it
    for (const tuning::Dimension& dimension : space.dimensions())
        text.append(text.empty() ? "" : "; ").append(tuning::describe(dimension));
    return text.empty() ? std::string("(nothing searched)") : text;
}

std::string objectivesText(const tuning::ExperimentSpec& spec)
{
    std::string text;
    for (std::size_t i = 1; i < spec.objectives.size(); ++i) // the first is metric and goal
        text.append(text.empty() ? "" : ", ")
            .append(spec.objectives[i].metric)
            .append(spec.objectives[i].maximize ? " (maximize)" : " (minimize)");
    return text.empty() ? std::string("(one)") : text;
}

std::string constraintsText(const tuning::ExperimentSpec& spec)
{
    std::string text;
    for (const tuning::Constraint& constraint : spec.constraints)
        text.append(text.empty() ? "" : ", ")
            .append(constraint.metric)
            .append(constraint.atLeast ? " >= " : " <= ")
            .append(QString::number(constraint.bound, 'g', 12).toStdString());
    return text.empty() ? std::string("(none)") : text;
}

std::string shortHash(const std::string& sha256)
{
    return sha256.substr(0, 12) + "...";
}

} // namespace

std::vector<Difference> differences(const tuning::ExperimentSpec& earlier,
                                    const std::optional<std::string>& earlierSha256, const tuning::ExperimentSpec& now,
                                    const std::optional<std::string>& nowSha256)
{
    std::vector<Difference> found;
    auto compare = [&](const char* what, std::string there, std::string here, bool dataOrObjective = true) {
        if (there != here)
            found.push_back({what, std::move(there), std::move(here), dataOrObjective});
    };
    compare("metric", earlier.metric, now.metric);
    compare("goal", earlier.maximize ? "maximize" : "minimize", now.maximize ? "maximize" : "minimize");
    // Several objectives and constraints: a front learnt under others measured something else.
    compare("objectives", objectivesText(earlier), objectivesText(now));
    compare("constraints", constraintsText(earlier), constraintsText(now));
    if (earlierSha256 && nowSha256)
        compare("dataset", "sha256 " + shortHash(*earlierSha256), "sha256 " + shortHash(*nowSha256));
    else
        compare("dataset", earlier.datasetPath, now.datasetPath);
    compare("target", earlier.target.empty() ? "(suggested)" : earlier.target,
            now.target.empty() ? "(suggested)" : now.target);
    compare("validation", validationText(earlier.validation), validationText(now.validation));
    compare("search space", searchSpaceText(earlier), searchSpaceText(now), false);
    return found;
}

std::string describe(const std::vector<Difference>& differences)
{
    std::string text;
    for (const Difference& difference : differences) {
        text.append(text.empty() ? "" : "; ")
            .append(difference.what)
            .append(": ")
            .append(difference.earlier)
            .append(" there, ")
            .append(difference.now)
            .append(" here");
    }
    return text;
}

std::optional<std::string> recordedSha256(const store::ProjectStore& project, std::optional<std::int64_t> id)
{
    if (!id)
        return std::nullopt;
    for (const store::DatasetRecord& record : project.datasets()) {
        if (record.id == *id)
            return record.sha256;
    }
    return std::nullopt;
}

void requireSameData(const store::ProjectStore& project, const store::ExperimentRecord& experiment,
                     const tuning::ExperimentSpec& spec)
{
    const std::optional<std::string> recorded = recordedSha256(project, experiment.datasetId);
    std::error_code error;
    if (!recorded || spec.datasetPath.empty() || !std::filesystem::is_regular_file(spec.datasetPath, error))
        return;
    const std::string now = data::sha256OfFile(spec.datasetPath);
    if (now != *recorded)
        throw std::invalid_argument("cannot resume '" + experiment.name + "': its data file " + spec.datasetPath
                                    + " changed since it ran (sha256 " + *recorded + " then, " + now
                                    + " now); run a new experiment on it instead");
}

} // namespace tunebench::jobs

#pragma once

#include <memory>
#include <stdexcept>
#include <string>

#include "algorithms/algorithm.h"
#include "algorithms/preprocessing.h"
#include "data/dataset.h"

namespace tunebench::algorithms {

/// A model file that cannot be read: not a model, a newer format, or damaged. what() says which.
class ModelFileError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

/// Everything a prediction needs: the algorithm and its parameters, the target's classes, the
/// preprocessing fitted on the training data, and the trained model. Saved as one JSON document
/// ({"format": "tunebench-model", "version": 1, ...}).
struct ModelFile
{
    static constexpr int kVersion = 1;

    std::string algorithm;
    Params params;
    std::string target;
    TargetEncoding encoding;
    Preprocessor preprocessor;
    std::shared_ptr<const Model> model;
};

/// Fits the preprocessing and the algorithm on every row of `dataset` with a target.
[[nodiscard]] ModelFile trainFinalModel(const data::Dataset& dataset, std::size_t targetColumn, data::Task task,
                                        const Algorithm& algorithm, const Params& params,
                                        const TrainingContext& context, const PreprocessOptions& preprocess = {});

void saveModelFile(const ModelFile& file, const std::string& path);
[[nodiscard]] ModelFile loadModelFile(const std::string& path);

/// Predictions for every row of a dataset with the model's schema (columns found by name; extra columns,
/// the target among them, are ignored). Throws std::invalid_argument naming a missing or mistyped column.
[[nodiscard]] Prediction predictDataset(ModelFile& file, const data::Dataset& dataset);
/// The dataset's columns that the model does not use, the target aside, in the dataset's order: the ones
/// predictDataset ignores.
[[nodiscard]] std::vector<std::string> unusedColumns(const ModelFile& file, const data::Dataset& dataset);

} // namespace tunebench::algorithms

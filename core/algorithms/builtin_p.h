#pragma once

// Internal: the factories of the built-in algorithms, gathered by the registry.

#include <memory>
#include <string>
#include <vector>

#include "algorithms/algorithm.h"

namespace tunebench::algorithms::builtin {

std::shared_ptr<const Algorithm> makeLinear();
std::shared_ptr<const Algorithm> makeLogistic();
std::shared_ptr<const Algorithm> makeKnn();
std::shared_ptr<const Algorithm> makeTree();
std::shared_ptr<const Algorithm> makeForest();
std::shared_ptr<const Algorithm> makeXgboost();
std::shared_ptr<const Algorithm> makeMlp();

/// Whether products with `features` are cheaper on a sparse copy: over a million cells, at most 5 % of
/// them non-zero. One-hot encoding of a column of thousands of levels makes such a matrix (50,000 rows of
/// a 5,000-level column: 0.02 % non-zero); a product then costs its non-zeros instead of rows x features.
[[nodiscard]] bool mostlyZero(const Eigen::MatrixXd& features);

/// The `class_weight` hyperparameter of the classifiers that weight their examples' losses (logistic, tree,
/// forest, xgboost): "none" or "balanced", plus "balanced_subsample" for a forest's bootstrap samples.
[[nodiscard]] ParamSpec classWeightParam(bool subsample = false);

/// Multiplies each example's weight by its class's balanced weight, total / (k x class total), totals taken
/// over the given weights and k the number of classes among them: scikit-learn's class_weight="balanced"
/// when every weight is 1, "balanced_subsample" on a bootstrap sample's counts. Each class then carries the
/// same total weight, so a rare class counts as much as a common one. Weights of 0 stay 0.
void balanceClasses(const Eigen::VectorXd& target, int classes, std::vector<double>& weights);

/// Every example's weight for a fit, balanced by class when a classifier's `class_weight` is "balanced";
/// empty when every weight is 1 (no class weights, or regression, which ignores them).
[[nodiscard]] std::vector<double> exampleWeights(const TrainingData& train, const Params& params);

} // namespace tunebench::algorithms::builtin

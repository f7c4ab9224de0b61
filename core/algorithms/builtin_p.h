#pragma once

// Internal: the factories of the built-in algorithms, gathered by the registry.

#include <memory>

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

} // namespace tunebench::algorithms::builtin

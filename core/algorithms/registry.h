#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "algorithms/algorithm.h"

namespace tunebench::algorithms {

/// Every built-in algorithm, in a stable order.
[[nodiscard]] const std::vector<std::shared_ptr<const Algorithm>>& allAlgorithms();
/// The algorithm with this id (logistic, linear, knn, tree, forest, xgboost, ...), or null.
[[nodiscard]] std::shared_ptr<const Algorithm> findAlgorithm(std::string_view id);

} // namespace tunebench::algorithms

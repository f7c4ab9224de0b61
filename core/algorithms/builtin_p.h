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

} // namespace tunebench::algorithms::builtin

#include "algorithms/registry.h"

#include "algorithms/builtin_p.h"

namespace tunebench::algorithms {

const std::vector<std::shared_ptr<const Algorithm>>& allAlgorithms()
{
    static const std::vector<std::shared_ptr<const Algorithm>> algorithms = {
        builtin::makeLogistic(), builtin::makeLinear(), builtin::makeMlp(),     builtin::makeKnn(),
        builtin::makeTree(),     builtin::makeForest(), builtin::makeXgboost(),
    };
    return algorithms;
}

std::shared_ptr<const Algorithm> findAlgorithm(std::string_view id)
{
    for (const auto& algorithm : allAlgorithms()) {
        if (algorithm->id() == id)
            return algorithm;
    }
    return nullptr;
}

} // namespace tunebench::algorithms

#include "algorithms/algorithm.h"

namespace tunebench::algorithms {

Eigen::VectorXd argmaxRows(const Eigen::MatrixXd& probabilities)
{
    Eigen::VectorXd classes(probabilities.rows());
    for (Eigen::Index i = 0; i < probabilities.rows(); ++i) {
        Eigen::Index best = 0;
        probabilities.row(i).maxCoeff(&best);
        classes[i] = static_cast<double>(best);
    }
    return classes;
}

} // namespace tunebench::algorithms

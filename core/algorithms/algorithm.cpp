#include "algorithms/algorithm.h"

#include <stdexcept>

#include <QJsonArray>

#include "algorithms/builtin_p.h"

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

QJsonObject matrixToJson(const Eigen::MatrixXd& matrix)
{
    QJsonArray data;
    for (Eigen::Index k = 0; k < matrix.size(); ++k)
        data.append(matrix.data()[k]);
    return {{QStringLiteral("rows"), static_cast<qint64>(matrix.rows())},
            {QStringLiteral("cols"), static_cast<qint64>(matrix.cols())},
            {QStringLiteral("data"), data}};
}

Eigen::MatrixXd matrixFromJson(const QJsonValue& json)
{
    const QJsonObject object = json.toObject();
    const qint64 rows = object.value(QStringLiteral("rows")).toInteger(-1);
    const qint64 cols = object.value(QStringLiteral("cols")).toInteger(-1);
    const QJsonArray data = object.value(QStringLiteral("data")).toArray();
    if (rows < 0 || cols < 0 || data.size() != rows * cols)
        throw std::invalid_argument("malformed matrix in the model");
    Eigen::MatrixXd matrix(rows, cols);
    for (qsizetype k = 0; k < data.size(); ++k) {
        if (!data.at(k).isDouble())
            throw std::invalid_argument("malformed matrix in the model");
        matrix.data()[k] = data.at(k).toDouble();
    }
    return matrix;
}

bool builtin::mostlyZero(const Eigen::MatrixXd& features)
{
    const Eigen::Index cells = features.size();
    if (cells < 1'000'000)
        return false;
    // Stops counting at the allowance: a dense matrix (the usual case, checked at every prediction) costs a
    // twentieth of a pass at most.
    const Eigen::Index allowance = cells / 20;
    Eigen::Index nonZeros = 0;
    for (Eigen::Index k = 0; k < cells && nonZeros <= allowance; ++k)
        nonZeros += features.data()[k] != 0.0 ? 1 : 0;
    return nonZeros <= allowance;
}

} // namespace tunebench::algorithms

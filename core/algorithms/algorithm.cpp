#include "algorithms/algorithm.h"

#include <algorithm>
#include <stdexcept>

#include <QDataStream>
#include <QFile>
#include <QJsonArray>
#include <QSaveFile>

#include "algorithms/builtin_p.h"

namespace tunebench::algorithms {

namespace {

constexpr quint32 kFitStatesMagic = 0x54424653; // "TBFS"
constexpr quint32 kFitStatesVersion = 1;

} // namespace

void FitStates::write(const std::string& path) const
{
    // Whole or not at all: a kill while writing leaves the previous file (the state at the previous rung).
    QSaveFile file(QString::fromStdString(path));
    if (!file.open(QIODevice::WriteOnly))
        throw std::runtime_error(path + ": " + file.errorString().toStdString());
    QDataStream out(&file);
    out.setVersion(QDataStream::Qt_6_4);
    const std::lock_guard lock(m_mutex);
    out << kFitStatesMagic << kFitStatesVersion << static_cast<quint32>(m_states.size());
    for (const auto& [key, state] : m_states)
        out << QByteArray::fromStdString(key) << state;
    if (out.status() != QDataStream::Ok || !file.commit())
        throw std::runtime_error(path + ": cannot write the paused fits (" + file.errorString().toStdString() + ")");
}

void FitStates::read(const std::string& path)
{
    QFile file(QString::fromStdString(path));
    if (!file.open(QIODevice::ReadOnly))
        throw std::runtime_error(path + ": " + file.errorString().toStdString());
    QDataStream in(&file);
    in.setVersion(QDataStream::Qt_6_4);
    quint32 magic = 0, version = 0, count = 0;
    in >> magic >> version >> count;
    if (magic != kFitStatesMagic || version != kFitStatesVersion)
        throw std::runtime_error(path + ": not a file of paused fits (or of a newer version)");
    std::map<std::string, QByteArray> states;
    for (quint32 i = 0; i < count && in.status() == QDataStream::Ok; ++i) {
        QByteArray key, state;
        in >> key >> state;
        states[key.toStdString()] = std::move(state);
    }
    if (in.status() != QDataStream::Ok)
        throw std::runtime_error(path + ": the file of paused fits is cut short");
    const std::lock_guard lock(m_mutex);
    m_states = std::move(states);
}

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

ParamSpec builtin::classWeightParam(bool subsample)
{
    std::vector<std::string> choices = {"none", "balanced"};
    std::string help = "Classification: none weights every example alike; balanced weights each class's examples "
                       "by rows / (classes x the class's rows), so that every class counts as much in the loss "
                       "however rare it is (scikit-learn's class_weight=\"balanced\")";
    if (subsample) {
        choices.push_back("balanced_subsample");
        help += "; balanced_subsample balances each tree's bootstrap sample instead of the whole training set";
    }
    return ParamSpec::categorical("class_weight", std::move(choices), "none", help + ".").forClassificationOnly();
}

void builtin::balanceClasses(const Eigen::VectorXd& target, int classes, std::vector<double>& weights)
{
    std::vector<double> classTotal(static_cast<std::size_t>(std::max(classes, 0)), 0.0);
    double total = 0.0;
    for (Eigen::Index i = 0; i < target.size(); ++i) {
        classTotal[static_cast<std::size_t>(target[i])] += weights[static_cast<std::size_t>(i)];
        total += weights[static_cast<std::size_t>(i)];
    }
    const auto present = static_cast<double>(
        std::count_if(classTotal.begin(), classTotal.end(), [](double weight) { return weight > 0.0; }));
    for (Eigen::Index i = 0; i < target.size(); ++i) {
        const double classWeight = classTotal[static_cast<std::size_t>(target[i])];
        if (classWeight > 0.0)
            weights[static_cast<std::size_t>(i)] *= total / (present * classWeight);
    }
}

std::vector<double> builtin::exampleWeights(const TrainingData& train, const Params& params)
{
    if (!train.isClassification() || asString(params, "class_weight") != "balanced")
        return {};
    std::vector<double> weights(static_cast<std::size_t>(train.rows()), 1.0);
    balanceClasses(train.target, train.classes, weights);
    return weights;
}

} // namespace tunebench::algorithms

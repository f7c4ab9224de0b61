#include "algorithms/modelfile.h"

#include <algorithm>
#include <numeric>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

#include "algorithms/paramsjson.h"
#include "algorithms/registry.h"

namespace tunebench::algorithms {

namespace {

QString qs(const std::string& text)
{
    return QString::fromStdString(text);
}

} // namespace

ModelFile trainFinalModel(const data::Dataset& dataset, std::size_t targetColumn, data::Task task,
                          const Algorithm& algorithm, const Params& params, const TrainingContext& context,
                          const PreprocessOptions& preprocess)
{
    ModelFile file;
    file.algorithm = algorithm.id();
    file.params = resolve(algorithm.params(), params, task);
    file.target = dataset.column(targetColumn).name;
    file.encoding = encodeTarget(dataset.column(targetColumn), task);
    std::vector<std::size_t> rows(dataset.rowCount());
    std::iota(rows.begin(), rows.end(), std::size_t{0});
    PreparedSplit split
        = prepareSplit(dataset, targetColumn, file.encoding, rows, {}, preprocess.forAlgorithm(algorithm));
    file.preprocessor = std::move(split.preprocessor);
    file.model = algorithm.fit(split.train, file.params, context);
    return file;
}

void saveModelFile(const ModelFile& file, const std::string& path)
{
    QJsonArray classes;
    for (const std::string& label : file.encoding.classes)
        classes.append(qs(label));
    const QJsonObject document{{QStringLiteral("format"), QStringLiteral("tunebench-model")},
                               {QStringLiteral("version"), ModelFile::kVersion},
                               {QStringLiteral("tunebench"), QStringLiteral(TUNEBENCH_VERSION)},
                               {QStringLiteral("algorithm"), qs(file.algorithm)},
                               {QStringLiteral("params"), toJson(file.params)},
                               {QStringLiteral("target"), qs(file.target)},
                               {QStringLiteral("task"), qs(std::string(data::toString(file.encoding.task)))},
                               {QStringLiteral("classes"), classes},
                               {QStringLiteral("preprocessor"), file.preprocessor.toJson()},
                               {QStringLiteral("model"), file.model->toJson()}};
    // QSaveFile writes a temporary file and renames it: a crash never leaves half a model behind.
    QSaveFile out(qs(path));
    if (!out.open(QIODevice::WriteOnly) || out.write(QJsonDocument(document).toJson(QJsonDocument::Compact)) < 0
        || !out.commit())
        throw ModelFileError("cannot write " + path + ": " + out.errorString().toStdString());
}

ModelFile loadModelFile(const std::string& path)
{
    QFile in(qs(path));
    if (!in.open(QIODevice::ReadOnly))
        throw ModelFileError("cannot read " + path + ": " + in.errorString().toStdString());
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(in.readAll(), &parseError);
    const QJsonObject json = document.object();
    if (parseError.error != QJsonParseError::NoError
        || json.value(QStringLiteral("format")).toString() != QLatin1String("tunebench-model"))
        throw ModelFileError(path + " is not a Tunebench model file");
    const int version = json.value(QStringLiteral("version")).toInt();
    if (version > ModelFile::kVersion)
        throw ModelFileError(path + " was written by a newer version of Tunebench (model format "
                             + std::to_string(version) + "; this version reads up to "
                             + std::to_string(ModelFile::kVersion) + ")");
    ModelFile file;
    file.algorithm = json.value(QStringLiteral("algorithm")).toString().toStdString();
    const auto algorithm = findAlgorithm(file.algorithm);
    if (!algorithm)
        throw ModelFileError(path + ": unknown algorithm '" + file.algorithm + "'");
    try {
        const QJsonObject params = json.value(QStringLiteral("params")).toObject();
        for (const ParamSpec& spec : algorithm->params()) {
            if (params.contains(qs(spec.name)))
                file.params[spec.name] = fromJson(spec, params.value(qs(spec.name)));
        }
        file.target = json.value(QStringLiteral("target")).toString().toStdString();
        const QString task = json.value(QStringLiteral("task")).toString();
        file.encoding.task = task == QLatin1String("binary") ? data::Task::Binary
            : task == QLatin1String("multiclass")            ? data::Task::Multiclass
                                                             : data::Task::Regression;
        for (const QJsonValue& label : json.value(QStringLiteral("classes")).toArray())
            file.encoding.classes.push_back(label.toString().toStdString());
        file.preprocessor = Preprocessor::fromJson(json.value(QStringLiteral("preprocessor")).toObject());
        file.model = algorithm->loadModel(json.value(QStringLiteral("model")).toObject());
    } catch (const std::invalid_argument& error) {
        throw ModelFileError(path + " is damaged: " + error.what());
    }
    return file;
}

Prediction predictDataset(ModelFile& file, const data::Dataset& dataset)
{
    file.preprocessor.bind(dataset);
    std::vector<std::size_t> rows(dataset.rowCount());
    std::iota(rows.begin(), rows.end(), std::size_t{0});
    const Eigen::MatrixXd features = file.preprocessor.transform(dataset, rows);
    Prediction prediction = file.model->predict(features);
    const auto classes = static_cast<Eigen::Index>(file.encoding.classes.size());
    if (file.encoding.task != data::Task::Regression && prediction.probabilities.cols() != classes)
        throw std::invalid_argument("the model's output does not match its classes");
    return prediction;
}

std::vector<std::string> unusedColumns(const ModelFile& file, const data::Dataset& dataset)
{
    const std::vector<std::string> used = file.preprocessor.featureColumns();
    std::vector<std::string> unused;
    for (const data::Column& column : dataset.columns()) {
        if (column.name != file.target && std::find(used.begin(), used.end(), column.name) == used.end())
            unused.push_back(column.name);
    }
    return unused;
}

} // namespace tunebench::algorithms

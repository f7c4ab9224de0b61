// Model files: every algorithm round-trips exactly; prediction binds columns by name and levels by text.

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include "algorithms/modelfile.h"
#include "algorithms/registry.h"
#include "data/reader.h"

using namespace tunebench;
using namespace tunebench::algorithms;

class TestModelFile : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTrip_data();
    void roundTrip();
    void bindsByNameNotPosition();
    void missingColumnIsAClearError();
    void refusesWhatIsNotAModel_data();
    void refusesWhatIsNotAModel();

private:
    QTemporaryDir m_dir;
};

void TestModelFile::roundTrip_data()
{
    QTest::addColumn<QString>("algorithm");
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("target");
    QTest::addColumn<bool>("codes"); // categorical columns as level codes (PreprocessOptions::categoryCodes)
    for (const auto& algorithm : allAlgorithms()) {
        const QString id = QString::fromStdString(algorithm->id());
        if (id == QLatin1String("linear"))
            QTest::newRow("linear, cpu") << id << "cpu.arff"
                                         << "class" << false;
        else
            QTest::newRow(qPrintable(id + QStringLiteral(", penguins"))) << id << "penguins.csv"
                                                                         << "species" << false;
    }
    QTest::newRow("forest regression, cpu") << "forest"
                                            << "cpu.arff"
                                            << "class" << false;
    QTest::newRow("mlp regression, cpu") << "mlp"
                                         << "cpu.arff"
                                         << "class" << false;
    QTest::newRow("xgboost regression, cpu") << "xgboost"
                                             << "cpu.arff"
                                             << "class" << false;
    QTest::newRow("forest, codes, penguins") << "forest"
                                             << "penguins.csv"
                                             << "species" << true;
    QTest::newRow("xgboost, codes, penguins") << "xgboost"
                                              << "penguins.csv"
                                              << "species" << true;
}

void TestModelFile::roundTrip()
{
    QFETCH(QString, algorithm);
    QFETCH(QString, file);
    QFETCH(QString, target);
    QFETCH(bool, codes);
    const data::Dataset dataset = data::readDataset(std::string(TUNEBENCH_TEST_DATA "/") + file.toStdString());
    const std::size_t targetColumn = *dataset.indexOf(target.toStdString());
    const auto chosen = findAlgorithm(algorithm.toStdString());
    Params params;
    if (algorithm == QLatin1String("forest"))
        params["trees"] = std::int64_t{10};
    if (algorithm == QLatin1String("mlp"))
        params["epochs"] = std::int64_t{20};
    PreprocessOptions preprocess;
    preprocess.categoryCodes = codes;
    ModelFile trained = trainFinalModel(dataset, targetColumn, data::detectTask(dataset.column(targetColumn)), *chosen,
                                        params, {}, preprocess);
    // penguins: island and sex one feature each with codes (7 in all), else a feature per level (10).
    if (file == QLatin1String("penguins.csv") && chosen->takesCategoryCodes())
        QCOMPARE(trained.preprocessor.featureCount(), codes ? std::size_t{7} : std::size_t{10});
    const std::string path = m_dir.filePath(algorithm + QStringLiteral(".tbmodel")).toStdString();
    saveModelFile(trained, path);
    ModelFile loaded = loadModelFile(path);
    QCOMPARE(QString::fromStdString(loaded.algorithm), algorithm);
    QCOMPARE(loaded.encoding.classes, trained.encoding.classes);
    QCOMPARE(loaded.params.size(), trained.params.size());
    const Prediction before = predictDataset(trained, dataset);
    const Prediction after = predictDataset(loaded, dataset);
    QCOMPARE(after.values, before.values);
    QCOMPARE(after.probabilities, before.probabilities);
}

void TestModelFile::bindsByNameNotPosition()
{
    // Training data, and data for prediction with its columns reordered, an extra column, no target and
    // the levels of "colour" first seen in another order (so their codes differ).
    const data::Dataset train = data::readDatasetFromMemory(
        "size,colour,label\n1,red,a\n2,blue,b\n3,red,a\n4,green,b\n5,blue,b\n6,red,a\n7,green,b\n8,red,a\n",
        "train.csv");
    const data::Dataset other
        = data::readDatasetFromMemory("note,colour,size\nx,green,4\ny,red,1\nz,blue,2\nw,purple,3\n", "other.csv");
    ModelFile model = trainFinalModel(train, 2, data::Task::Binary, *findAlgorithm("logistic"), {}, {});
    const Prediction p = predictDataset(model, other);
    // The same rows in the training file's layout give the same predictions.
    const data::Dataset same
        = data::readDatasetFromMemory("size,colour,label\n4,green,b\n1,red,a\n2,blue,b\n3,purple,a\n", "same.csv");
    const Prediction q = predictDataset(model, same);
    QCOMPARE(p.probabilities, q.probabilities);
    // A level never seen in training ("purple") is all zeros in the one-hot encoding, not an error.
    QVERIFY(p.probabilities.allFinite());
}

void TestModelFile::missingColumnIsAClearError()
{
    const data::Dataset train = data::readDataset(TUNEBENCH_TEST_DATA "/iris.csv");
    ModelFile model = trainFinalModel(train, 4, data::Task::Multiclass, *findAlgorithm("knn"), {}, {});
    const data::Dataset partial
        = data::readDatasetFromMemory("sepal length (cm),sepal width (cm),petal length (cm)\n5,3,1\n", "partial.csv");
    try {
        (void)predictDataset(model, partial);
        QFAIL("a missing column was accepted");
    } catch (const std::invalid_argument& error) {
        QCOMPARE(QString::fromUtf8(error.what()),
                 QStringLiteral("the data has no column \"petal width (cm)\", which the model needs"));
    }
    const data::Dataset mistyped = data::readDatasetFromMemory(
        "sepal length (cm),sepal width (cm),petal length (cm),petal width (cm)\n5,3,1,wide\n", "mistyped.csv");
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, (void)predictDataset(model, mistyped));
}

void TestModelFile::refusesWhatIsNotAModel_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("message");
    QTest::newRow("CSV") << QByteArray("a,b\n1,2\n") << "is not a Tunebench model file";
    QTest::newRow("other JSON") << QByteArray(R"({"format": "onnx"})") << "is not a Tunebench model file";
    QTest::newRow("newer") << QByteArray(R"({"format": "tunebench-model", "version": 7, "algorithm": "knn"})")
                           << "newer version of Tunebench (model format 7";
    QTest::newRow("unknown algorithm") << QByteArray(
        R"({"format": "tunebench-model", "version": 1, "algorithm": "svm"})")
                                       << "unknown algorithm 'svm'";
    QTest::newRow("damaged tree") << QByteArray(R"({"format": "tunebench-model", "version": 1, "algorithm": "tree",
        "preprocessor": {"features": []}, "model": {"classes": 2, "trees": [{"feature": [0], "threshold": [1],
        "left": [0], "right": [0], "value": [0], "values": [1, 0], "outputs": 2}]}})")
                                  << "is damaged: malformed tree";
}

void TestModelFile::refusesWhatIsNotAModel()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, message);
    const QString path = m_dir.filePath(QStringLiteral("bad.tbmodel"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(content);
    file.close();
    try {
        (void)loadModelFile(path.toStdString());
        QFAIL("the file was accepted");
    } catch (const ModelFileError& error) {
        QVERIFY2(QString::fromUtf8(error.what()).contains(message), error.what());
    }
}

QTEST_GUILESS_MAIN(TestModelFile)
#include "tst_modelfile.moc"

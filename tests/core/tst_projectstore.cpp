// The project file: schema, round trips, and files that must be refused without being modified.

#include <atomic>
#include <thread>

#include <sqlite3.h>

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include "jobs/ownership.h"
#include "store/datasetregistry.h"
#include "store/projectstore.h"
#include "teststates.h"

using namespace tunebench;
using namespace tunebench::store;

namespace {

QByteArray fileHash(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256);
}

/// Runs SQL on a file with a plain SQLite connection, as another program would.
void rawExec(const QString& path, const char* sql)
{
    sqlite3* db = nullptr;
    QCOMPARE(sqlite3_open(path.toUtf8().constData(), &db), SQLITE_OK);
    QCOMPARE(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
}

QString rawQuery(const QString& path, const char* sql)
{
    sqlite3* db = nullptr;
    sqlite3_open_v2(path.toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt* statement = nullptr;
    sqlite3_prepare_v2(db, sql, -1, &statement, nullptr);
    QString result;
    if (sqlite3_step(statement) == SQLITE_ROW)
        result = QString::fromUtf8(reinterpret_cast<const char*>(sqlite3_column_text(statement, 0)));
    sqlite3_finalize(statement);
    sqlite3_close(db);
    return result;
}

} // namespace

class TestProjectStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { QVERIFY(m_dir.isValid()); }
    void createsSchema();
    void roundTrips();
    void transactionRollsBack();
    void deletingAnExperimentCascades();
    void registersDatasetsOncePerContent();
    void keepsHowADatasetIsRead();
    void migratesAFormatOneProject();
    void migratesAFormatTwoProject();
    void refusesWithoutModifying_data();
    void refusesWithoutModifying();
    void readOnlyDoesNotCreate();
    void demoProject();
    void connectionsOpeningANewFileTogetherAllSucceed();

private:
    QString path(const char* name) const { return m_dir.filePath(QLatin1String(name)); }
    QTemporaryDir m_dir;
};

void TestProjectStore::createsSchema()
{
    const QString file = path("new.tbproj");
    {
        auto store = ProjectStore::open(file.toStdString());
        QCOMPARE(store->schemaVersion(), ProjectStore::kSchemaVersion);
        QCOMPARE(QString::fromStdString(store->artifactsDirectory()), path("new.artifacts"));
    }
    QCOMPARE(rawQuery(file, "PRAGMA journal_mode"), QStringLiteral("wal"));
    QCOMPARE(rawQuery(file, "PRAGMA application_id").toInt(), ProjectStore::kApplicationId);
    for (const char* table :
         {"datasets", "experiments", "trials", "trial_params", "metric_points", "artifacts", "events"}) {
        const QString sql = QStringLiteral("SELECT count(*) FROM sqlite_schema WHERE type='table' AND name='%1'")
                                .arg(QLatin1String(table));
        QCOMPARE(rawQuery(file, sql.toUtf8().constData()), QStringLiteral("1"));
    }
    // Reopening an up-to-date project changes nothing.
    auto again = ProjectStore::open(file.toStdString());
    QCOMPARE(again->schemaVersion(), ProjectStore::kSchemaVersion);
}

void TestProjectStore::roundTrips()
{
    const QString file = path("roundtrip.tbproj");
    std::int64_t experimentId = 0;
    std::int64_t trialId = 0;
    {
        auto store = ProjectStore::open(file.toStdString());
        DatasetRecord dataset{0, "iris.csv", "/data/iris.csv", "abc123", 2777, 150, 5, "{}", ""};
        const auto datasetId = store->addDataset(dataset);
        ExperimentRecord experiment;
        experiment.name = "iris-mlp";
        experiment.specJson = R"({"algorithm":"mlp"})";
        experiment.datasetId = datasetId;
        experimentId = store->createExperiment(experiment);
        QVERIFY_THROWS_EXCEPTION(StoreError, store->createExperiment(experiment)); // names are unique

        TrialRecord trial;
        trial.experimentId = experimentId;
        trial.number = 1;
        trial.algorithm = "mlp";
        trial.paramsJson = R"({"learning_rate":0.01,"activation":"relu","early":true})";
        trial.status = TrialState::Running;
        trial.startedAt = ProjectStore::nowUtc();
        trialId = store->addTrial(trial);
        store->addMetricPoints(trialId, {{"loss", 1, 0.9, 1.0}, {"loss", 2, 0.5, 2.0}, {"val_auc", 1, 0.8, 1.0}});
        trial.id = trialId;
        trial.status = TrialState::Finished;
        trial.objective = 0.97;
        trial.metricsJson = R"({"auc":{"mean":0.97,"std":0.01}})";
        trial.finishedAt = ProjectStore::nowUtc();
        store->updateTrial(trial);
        store->setExperimentStatus(experimentId, ExperimentState::Finished, "max_trials reached");
        store->addArtifact({0, experimentId, trialId, "model", "trial-1/model.tbm", "ff", 42, ""});
        store->logEvent({0, "", experimentId, trialId, "trial_finished", "trial 1 finished"});
    }
    auto store = ProjectStore::open(file.toStdString(), ProjectStore::Mode::ReadOnly);
    QCOMPARE(store->datasets().size(), std::size_t{1});
    QCOMPARE(store->datasets().front().rows, std::int64_t{150});
    const auto experiment = store->experimentByName("iris-mlp");
    QVERIFY(experiment);
    QCOMPARE(experiment->status, ExperimentState::Finished);
    QCOMPARE(experiment->stoppedBecause, std::string("max_trials reached"));
    QVERIFY(!experiment->finishedAt.empty());
    const auto trials = store->trials(experimentId);
    QCOMPARE(trials.size(), std::size_t{1});
    QCOMPARE(trials[0].status, TrialState::Finished);
    QCOMPARE(trials[0].objective.value(), 0.97);
    const auto loss = store->metricSeries(trialId, "loss");
    QCOMPARE(loss.size(), std::size_t{2});
    QCOMPARE(loss[1].value, 0.5);
    QCOMPARE(store->metricSeries(trialId).size(), std::size_t{3});
    QCOMPARE(store->artifacts(experimentId).size(), std::size_t{1});
    QCOMPARE(store->events(experimentId).front().kind, std::string("trial_finished"));
    QCOMPARE(rawQuery(file, "SELECT value_number FROM trial_params WHERE name='learning_rate'").toDouble(), 0.01);
    QCOMPARE(rawQuery(file, "SELECT value_text FROM trial_params WHERE name='activation'"), QStringLiteral("relu"));
    QCOMPARE(rawQuery(file, "SELECT value_number FROM trial_params WHERE name='early'").toDouble(), 1.0);
}

void TestProjectStore::transactionRollsBack()
{
    auto store = ProjectStore::open(path("tx.tbproj").toStdString());
    try {
        store->transaction([&] {
            store->logEvent({0, "", std::nullopt, std::nullopt, "note", "inside"});
            throw std::runtime_error("boom");
        });
        QFAIL("the exception did not propagate");
    } catch (const std::runtime_error&) { }
    QVERIFY(store->events().empty());
    store->transaction([&] { store->logEvent({0, "", std::nullopt, std::nullopt, "note", "kept"}); });
    QCOMPARE(store->events().size(), std::size_t{1});
}

void TestProjectStore::deletingAnExperimentCascades()
{
    const QString file = path("cascade.tbproj");
    {
        auto store = ProjectStore::open(file.toStdString());
        const auto experimentId
            = store->createExperiment({0, "e", "{}", std::nullopt, ExperimentState::Created, "", "", ""});
        const auto trialId = store->addTrial(
            {0, experimentId, 1, "linear", "{\"alpha\":1}", TrialState::Queued, {}, "", "", {}, "", ""});
        store->addMetricPoints(trialId, {{"loss", 1, 1.0, 0.0}});
    }
    // Foreign keys are enforced by the store's connections; a raw connection must turn them on itself.
    rawExec(file, "PRAGMA foreign_keys=ON; DELETE FROM experiments;");
    QCOMPARE(rawQuery(file, "SELECT count(*) FROM metric_points"), QStringLiteral("0"));
    QCOMPARE(rawQuery(file, "SELECT count(*) FROM trial_params"), QStringLiteral("0"));
}

void TestProjectStore::registersDatasetsOncePerContent()
{
    auto store = ProjectStore::open(path("datasets.tbproj").toStdString());
    const std::string iris = std::string(TUNEBENCH_TEST_DATA) + "/iris.csv";
    const auto first = registerDataset(*store, iris);
    QVERIFY(!first.alreadyPresent);
    QCOMPARE(first.record.sha256.size(), std::size_t{64});
    QCOMPARE(first.record.rows, std::int64_t{150});
    const QJsonObject schema = QJsonDocument::fromJson(QByteArray::fromStdString(first.record.schemaJson)).object();
    QCOMPARE(schema.value(QStringLiteral("task")).toString(), QStringLiteral("multiclass"));
    const auto second = registerDataset(*store, iris);
    QVERIFY(second.alreadyPresent);
    QCOMPARE(second.record.id, first.record.id);
    QCOMPARE(store->datasets().size(), std::size_t{1});
}

void TestProjectStore::keepsHowADatasetIsRead()
{
    // A header of years over decimals is sniffed as data (three columns column_1, column_2, column_3); the user
    // says it is a header.
    const QString csv = path("years.csv");
    {
        QFile file(csv);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("region,2019,2020\nnorth,1.5,2.5\nsouth,2.5,3.5\neast,0.5,1.0\nwest,4.0,4.5\n");
    }
    auto store = ProjectStore::open(path("reading.tbproj").toStdString());
    const auto sniffed = registerDataset(*store, csv.toStdString());
    QCOMPARE(sniffed.record.rows, std::int64_t{5});
    QCOMPARE(sniffed.record.readSettingsJson, std::string("{}"));
    QVERIFY(readSettingsOf(sniffed.record).isDefault());

    tunebench::data::ReadOptions options;
    options.header = tunebench::data::ReadOptions::Header::Present;
    const auto reread = rereadDataset(*store, sniffed.record, options);
    QCOMPARE(reread.record.id, sniffed.record.id);
    QCOMPARE(reread.record.rows, std::int64_t{4});
    const auto stored = store->datasets();
    QCOMPARE(stored.size(), std::size_t{1});
    QCOMPARE(stored[0].rows, std::int64_t{4});
    QCOMPARE(readSettingsOf(stored[0]).header, tunebench::data::ReadOptions::Header::Present);
    const QJsonObject schema = QJsonDocument::fromJson(QByteArray::fromStdString(stored[0].schemaJson)).object();
    QCOMPARE(
        schema.value(QStringLiteral("columns")).toArray().at(1).toObject().value(QStringLiteral("name")).toString(),
        QStringLiteral("2019"));

    // Dropping the same file again keeps how it is read; importing it with settings of its own takes them.
    const auto again = registerDataset(*store, csv.toStdString());
    QVERIFY(again.alreadyPresent);
    QCOMPARE(store->datasets()[0].readSettingsJson, stored[0].readSettingsJson);
    options.header = tunebench::data::ReadOptions::Header::Absent;
    (void)registerDataset(*store, csv.toStdString(), options);
    QCOMPARE(store->datasets()[0].readSettingsJson, std::string(R"({"header":false})"));
    QCOMPARE(store->datasets()[0].rows, std::int64_t{5});

    // Settings this version cannot use are named, not guessed at.
    DatasetRecord odd = store->datasets()[0];
    odd.readSettingsJson = R"({"delimiter":"comma"})";
    QVERIFY_THROWS_EXCEPTION(StoreError, (void)readSettingsOf(odd));
}

void TestProjectStore::migratesAFormatOneProject()
{
    // A project as format 1 wrote it: no read settings beside its datasets.
    const QString file = path("format1.tbproj");
    {
        auto store = ProjectStore::open(file.toStdString());
        (void)registerDataset(*store, std::string(TUNEBENCH_TEST_DATA) + "/iris.csv");
    }
    rawExec(file,
            "DROP TABLE run_requests; DROP TABLE run_owners; ALTER TABLE datasets DROP COLUMN read_settings;"
            " PRAGMA user_version = 1;");
    {
        // Read-only opens leave the file as it is and read every file as sniffed.
        const QByteArray before = fileHash(file);
        auto store = ProjectStore::open(file.toStdString(), ProjectStore::Mode::ReadOnly);
        QCOMPARE(store->schemaVersion(), 1);
        const auto datasets = store->datasets();
        QCOMPARE(datasets.size(), std::size_t{1});
        QCOMPARE(datasets[0].readSettingsJson, std::string("{}"));
        QCOMPARE(datasets[0].rows, std::int64_t{150});
        store.reset();
        QCOMPARE(fileHash(file), before);
    }
    auto store = ProjectStore::open(file.toStdString());
    QCOMPARE(store->schemaVersion(), ProjectStore::kSchemaVersion);
    const auto datasets = store->datasets();
    QCOMPARE(datasets.size(), std::size_t{1});
    QCOMPARE(datasets[0].readSettingsJson, std::string("{}"));
    QCOMPARE(datasets[0].name, std::string("iris.csv"));
}

void TestProjectStore::migratesAFormatTwoProject()
{
    // Format 2 recorded no owner of a run: one left running was interrupted, read-only or migrated.
    const QString file = path("format2.tbproj");
    {
        auto store = ProjectStore::open(file.toStdString());
        store->createExperiment({0, "left running", "{}", std::nullopt, ExperimentState::Running, {}, {}, {}});
    }
    rawExec(file, "DROP TABLE run_requests; DROP TABLE run_owners; PRAGMA user_version = 2;");
    {
        const QByteArray before = fileHash(file);
        auto store = ProjectStore::open(file.toStdString(), ProjectStore::Mode::ReadOnly);
        QCOMPARE(store->schemaVersion(), 2);
        const auto experiment = store->experimentByName("left running");
        QVERIFY(!store->runOwner(experiment->id).has_value());
        QVERIFY(store->runOwners().empty());
        QVERIFY(store->runRequests(experiment->id).empty());
        QVERIFY(jobs::isInterrupted(*store, *experiment));
        store.reset();
        QCOMPARE(fileHash(file), before);
    }
    auto store = ProjectStore::open(file.toStdString());
    QCOMPARE(store->schemaVersion(), ProjectStore::kSchemaVersion);
    const auto experiment = store->experimentByName("left running");
    QVERIFY(jobs::isInterrupted(*store, *experiment));
    jobs::askOwner(*store, experiment->id, jobs::RunRequestKind::Cancel);
    const auto requests = store->runRequests(experiment->id);
    QCOMPARE(requests.size(), std::size_t{1});
    QCOMPARE(requests[0].kind, std::string("cancel"));
    QVERIFY(QString::fromStdString(requests[0].requestedBy).contains(QLatin1String(", pid ")));
    store->removeRunRequests(experiment->id, requests[0].id);
    QVERIFY(store->runRequests(experiment->id).empty());
}

void TestProjectStore::refusesWithoutModifying_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("message");
    QTest::newRow("not a database") << "text"
                                    << "is not a Tunebench project (it is not an SQLite database)";
    QTest::newRow("another application's database") << "foreign"
                                                    << "another application";
    QTest::newRow("newer version") << "newer"
                                   << "written by a newer version of Tunebench (project format 99";
    QTest::newRow("corrupt pages") << "corrupt"
                                   << "corrupt";
}

void TestProjectStore::refusesWithoutModifying()
{
    QFETCH(QString, kind);
    QFETCH(QString, message);
    const QString file = path("refused.tbproj");
    QFile::remove(file);
    if (kind == QLatin1String("text")) {
        QFile text(file);
        QVERIFY(text.open(QIODevice::WriteOnly));
        text.write("id,value\n1,2\n");
    } else if (kind == QLatin1String("foreign")) {
        rawExec(file, "CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('x');");
    } else if (kind == QLatin1String("newer")) {
        {
            ProjectStore::open(file.toStdString());
        }
        rawExec(file, "PRAGMA user_version = 99;");
    } else {
        {
            auto store = ProjectStore::open(file.toStdString());
            for (int i = 0; i < 200; ++i)
                store->logEvent({0, "", std::nullopt, std::nullopt, "filler", std::string(500, 'x')});
        }
        rawExec(file, "PRAGMA wal_checkpoint(TRUNCATE);");
        QFile bytes(file);
        QVERIFY(bytes.open(QIODevice::ReadWrite));
        QVERIFY(bytes.size() > 8192);
        bytes.seek(4096); // garble every page after the first, b-tree headers included
        bytes.write(QByteArray(static_cast<int>(bytes.size() - 8192), '\x5a'));
    }
    QFile::remove(file + QStringLiteral("-wal"));
    QFile::remove(file + QStringLiteral("-shm"));
    const QByteArray before = fileHash(file);
    try {
        ProjectStore::open(file.toStdString());
        QFAIL("the file was accepted");
    } catch (const StoreError& error) {
        QVERIFY2(QString::fromUtf8(error.what()).contains(message), error.what());
        QVERIFY2(QString::fromUtf8(error.what()).contains(file), error.what());
    }
    QCOMPARE(fileHash(file), before);
    QVERIFY(!QFile::exists(file + QStringLiteral("-wal")));
}

void TestProjectStore::readOnlyDoesNotCreate()
{
    const QString file = path("absent.tbproj");
    QVERIFY_THROWS_EXCEPTION(StoreError, ProjectStore::open(file.toStdString(), ProjectStore::Mode::ReadOnly));
    QVERIFY(!QFile::exists(file));
}

void TestProjectStore::demoProject()
{
    const auto demo = createDemoProject(m_dir.filePath(QStringLiteral("demo")).toStdString());
    QCOMPARE(demo.datasets.size(), std::size_t{3});
    auto store = ProjectStore::open(demo.projectPath.string(), ProjectStore::Mode::ReadOnly);
    QCOMPARE(store->datasets().size(), std::size_t{3});
    // Creating it again refreshes the files but records nothing twice.
    (void)createDemoProject(m_dir.filePath(QStringLiteral("demo")).toStdString());
    QCOMPARE(store->datasets().size(), std::size_t{3});
}

void TestProjectStore::connectionsOpeningANewFileTogetherAllSucceed()
{
    // Two experiments started at once on a new project both create it: one migrates, the other waits and
    // finds the schema there (this failed with "table datasets already exists", and with "database is locked"
    // while another connection was closing, before).
    for (int round = 0; round < 10; ++round) {
        const std::string path = m_dir.filePath(QStringLiteral("race-%1.tbproj").arg(round)).toStdString();
        std::vector<std::thread> threads;
        std::atomic<int> opened{0};
        std::vector<std::string> errors(4);
        for (std::size_t i = 0; i < errors.size(); ++i) {
            threads.emplace_back([&, i] {
                try {
                    const auto project = ProjectStore::open(path);
                    if (project->schemaVersion() == ProjectStore::kSchemaVersion)
                        ++opened;
                } catch (const std::exception& error) {
                    errors[i] = error.what();
                }
            });
        }
        for (std::thread& thread : threads)
            thread.join();
        for (const std::string& error : errors)
            QVERIFY2(error.empty(), error.c_str());
        QCOMPARE(opened.load(), 4);
    }
}

QTEST_GUILESS_MAIN(TestProjectStore)
#include "tst_projectstore.moc"

#include "store/projectstore.h"

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include <sqlite3.h>

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>

#include "store/trust.h"

namespace tunebench::store {

namespace {

/// Migrations from version N to N+1, index N. Append only: never edit a released step.
constexpr std::array kMigrations = {
    // 0 -> 1: the first schema.
    R"sql(
CREATE TABLE datasets (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    row_count INTEGER NOT NULL,
    column_count INTEGER NOT NULL,
    schema_json TEXT NOT NULL,
    imported_at TEXT NOT NULL
);
CREATE INDEX datasets_sha256 ON datasets(sha256);

CREATE TABLE experiments (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    spec_json TEXT NOT NULL,
    dataset_id INTEGER REFERENCES datasets(id) ON DELETE SET NULL,
    status TEXT NOT NULL DEFAULT 'created',
    stopped_because TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    finished_at TEXT NOT NULL DEFAULT ''
);

CREATE TABLE trials (
    id INTEGER PRIMARY KEY,
    experiment_id INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    algorithm TEXT NOT NULL,
    params_json TEXT NOT NULL,
    status TEXT NOT NULL,
    objective REAL,
    metrics_json TEXT NOT NULL DEFAULT '{}',
    error TEXT NOT NULL DEFAULT '',
    stopped_at_step INTEGER,
    started_at TEXT NOT NULL DEFAULT '',
    finished_at TEXT NOT NULL DEFAULT '',
    UNIQUE (experiment_id, number)
);

CREATE TABLE trial_params (
    trial_id INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    value_text TEXT NOT NULL,
    value_number REAL,
    PRIMARY KEY (trial_id, name)
) WITHOUT ROWID;

CREATE TABLE metric_points (
    trial_id INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    step INTEGER NOT NULL,
    value REAL NOT NULL,
    wall_time REAL NOT NULL,
    PRIMARY KEY (trial_id, name, step)
) WITHOUT ROWID;

CREATE TABLE artifacts (
    id INTEGER PRIMARY KEY,
    experiment_id INTEGER REFERENCES experiments(id) ON DELETE CASCADE,
    trial_id INTEGER REFERENCES trials(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL DEFAULT '',
    size_bytes INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);

CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    experiment_id INTEGER REFERENCES experiments(id) ON DELETE CASCADE,
    trial_id INTEGER REFERENCES trials(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    message TEXT NOT NULL
);
)sql",
    // 1 -> 2: how a dataset's file is read where sniffing would guess (delimiter, header, rows to skip, ...).
    R"sql(
ALTER TABLE datasets ADD COLUMN read_settings TEXT NOT NULL DEFAULT '{}';
)sql",
    // 2 -> 3: who runs an experiment (a lease its process renews), and what other processes ask of that run.
    R"sql(
CREATE TABLE run_owners (
    experiment_id INTEGER PRIMARY KEY REFERENCES experiments(id) ON DELETE CASCADE,
    host TEXT NOT NULL,
    pid INTEGER NOT NULL,
    program TEXT NOT NULL,
    token TEXT NOT NULL,
    started_at TEXT NOT NULL,
    heartbeat REAL NOT NULL
);

CREATE TABLE run_requests (
    id INTEGER PRIMARY KEY,
    experiment_id INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    trial_number INTEGER,
    requested_at TEXT NOT NULL,
    requested_by TEXT NOT NULL
);
CREATE INDEX run_requests_experiment ON run_requests(experiment_id);
)sql",
};
static_assert(kMigrations.size() == ProjectStore::kSchemaVersion);

/// A prepared statement with typed binding and reading; finalised on destruction.
class Statement
{
public:
    Statement(sqlite3* db, const char* sql)
        : m_db(db)
    {
        if (sqlite3_prepare_v2(db, sql, -1, &m_statement, nullptr) != SQLITE_OK)
            throw StoreError(std::string("database error: ") + sqlite3_errmsg(db));
    }
    ~Statement() { sqlite3_finalize(m_statement); }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    Statement& bind(int index, const std::string& text)
    {
        check(sqlite3_bind_text(m_statement, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT));
        return *this;
    }
    Statement& bind(int index, std::int64_t value)
    {
        check(sqlite3_bind_int64(m_statement, index, value));
        return *this;
    }
    Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
    Statement& bind(int index, double value)
    {
        check(sqlite3_bind_double(m_statement, index, value));
        return *this;
    }
    template<typename T> Statement& bind(int index, const std::optional<T>& value)
    {
        if (value)
            return bind(index, *value);
        check(sqlite3_bind_null(m_statement, index));
        return *this;
    }

    /// Steps once; true while rows come.
    bool step()
    {
        const int status = sqlite3_step(m_statement);
        if (status == SQLITE_ROW)
            return true;
        if (status == SQLITE_DONE)
            return false;
        throw StoreError(describe(status));
    }
    void run()
    {
        while (step()) { }
        sqlite3_reset(m_statement);
    }

    [[nodiscard]] std::string text(int column) const
    {
        const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(m_statement, column));
        return data ? std::string(data, static_cast<std::size_t>(sqlite3_column_bytes(m_statement, column)))
                    : std::string();
    }
    [[nodiscard]] std::int64_t integer(int column) const { return sqlite3_column_int64(m_statement, column); }
    [[nodiscard]] double real(int column) const { return sqlite3_column_double(m_statement, column); }
    [[nodiscard]] bool isNull(int column) const { return sqlite3_column_type(m_statement, column) == SQLITE_NULL; }
    [[nodiscard]] std::optional<std::int64_t> optionalInteger(int column) const
    {
        return isNull(column) ? std::nullopt : std::optional<std::int64_t>(integer(column));
    }

private:
    void check(int status) const
    {
        if (status != SQLITE_OK)
            throw StoreError(describe(status));
    }
    [[nodiscard]] std::string describe(int status) const
    {
        if (status == SQLITE_FULL)
            return "the disk is full: the project file could not be written (nothing committed before was lost)";
        if (status == SQLITE_CORRUPT || status == SQLITE_NOTADB)
            return "the project file is corrupt: " + std::string(sqlite3_errmsg(m_db));
        if (status == SQLITE_READONLY)
            return "the project file is read-only";
        return std::string("database error: ") + sqlite3_errmsg(m_db);
    }

    sqlite3* m_db;
    sqlite3_stmt* m_statement = nullptr;
};

void closeQuietly(sqlite3* db)
{
    sqlite3_close_v2(db);
}

std::string quote(const std::string& path)
{
    return '"' + path + '"';
}

/// Checks an existing file with a read-only connection, so that a refused file is never touched.
void vetExistingFile(const std::string& path)
{
    std::ifstream file(path, std::ios::binary);
    if (!file)
        throw StoreError("cannot read " + quote(path));
    std::array<char, 16> header{};
    file.read(header.data(), header.size());
    if (file.gcount() == 0)
        return; // an empty file becomes a new project
    if (file.gcount() < 16 || std::string_view(header.data(), 16) != std::string_view("SQLite format 3\0", 16))
        throw StoreError(quote(path) + " is not a Tunebench project (it is not an SQLite database)");

    // Without a write-ahead log beside it, the file is opened as immutable: SQLite then creates no -wal or
    // -shm file and takes no lock, so a refused file is left exactly as it was. With a log (after a crash),
    // a plain read-only connection reads the committed transactions in it.
    const bool hasLog = std::filesystem::exists(path + "-wal");
    const std::string uri = QUrl::fromLocalFile(QString::fromStdString(path)).toString(QUrl::FullyEncoded).toStdString()
        + (hasLog ? "?mode=ro" : "?immutable=1");
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(uri.c_str(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nullptr) != SQLITE_OK) {
        const std::string reason = db ? sqlite3_errmsg(db) : "out of memory";
        closeQuietly(db);
        throw StoreError("cannot open " + quote(path) + ": " + reason);
    }
    // Another connection closing (checkpointing its log) holds the file for a moment: wait for it.
    sqlite3_busy_timeout(db, 10000);
    try {
        Statement check(db, "PRAGMA quick_check(1)");
        const std::string verdict = check.step() ? check.text(0) : std::string("no answer");
        if (verdict != "ok")
            throw StoreError(quote(path) + " is corrupt (" + verdict + "); it was not modified");
        Statement ids(db,
                      "SELECT (SELECT application_id FROM pragma_application_id),"
                      " (SELECT user_version FROM pragma_user_version),"
                      " (SELECT count(*) FROM sqlite_schema)");
        ids.step();
        const auto applicationId = ids.integer(0);
        const auto version = ids.integer(1);
        const auto objects = ids.integer(2);
        if (applicationId != ProjectStore::kApplicationId && !(applicationId == 0 && objects == 0))
            throw StoreError(quote(path) + " is an SQLite database of another application, not a Tunebench project");
        if (version > ProjectStore::kSchemaVersion)
            throw StoreError(quote(path) + " was written by a newer version of Tunebench (project format "
                             + std::to_string(version) + "; this version reads up to "
                             + std::to_string(ProjectStore::kSchemaVersion) + "); it was not modified");
    } catch (const StoreError& error) {
        closeQuietly(db);
        const std::string message = error.what();
        if (message.starts_with("the project file is corrupt") || message.starts_with("database error"))
            throw StoreError(quote(path) + " is corrupt or not a Tunebench project (" + message
                             + "); it was not modified");
        throw;
    }
    closeQuietly(db);
}

} // namespace

std::string ProjectStore::nowUtc()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs).toStdString();
}

std::unique_ptr<ProjectStore> ProjectStore::open(const std::string& path, Mode mode)
{
    // Opens in this process take turns: checking a file while another thread creates it could read it half
    // written. (Other processes are covered by SQLite's locks and the retry below.) Opening takes milliseconds.
    static std::mutex openMutex;
    const std::lock_guard lock(openMutex);
    const bool exists = std::filesystem::exists(path);
    if (!exists && mode == Mode::ReadOnly)
        throw StoreError("no project at " + quote(path));
    if (exists)
        vetExistingFile(path);

    sqlite3* db = nullptr;
    const int flags = mode == Mode::ReadOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    if (sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
        const std::string reason = db ? sqlite3_errmsg(db) : "out of memory";
        closeQuietly(db);
        throw StoreError("cannot open " + quote(path) + ": " + reason);
    }
    std::unique_ptr<ProjectStore> store(new ProjectStore(path, db, mode));
    store->exec("PRAGMA foreign_keys = ON");
    // Several writers may share a project (experiments run side by side, an import beside them): wait for
    // the write lock rather than fail a run, up to a minute.
    sqlite3_busy_timeout(db, 60000);
    if (mode == Mode::ReadWrite) {
        // Switching a new file to WAL takes an exclusive lock that SQLite may refuse at once (without waiting
        // in the busy handler) while another connection is creating the same file: retry for a while.
        for (int attempt = 0;; ++attempt) {
            try {
                store->exec("PRAGMA journal_mode = WAL");
                // In WAL mode NORMAL loses no committed transaction on a process crash, only on power loss.
                store->exec("PRAGMA synchronous = NORMAL");
                store->migrate();
                break;
            } catch (const StoreError&) {
                if (sqlite3_errcode(db) != SQLITE_BUSY || attempt >= 500)
                    throw;
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
            }
        }
        if (!exists) {
            // Made here, by this user: trusted to run its own external commands. A registry that cannot be
            // written only means being asked later.
            try {
                setTrusted(path, true);
            } catch (const std::runtime_error&) { }
        }
    }
    return store;
}

ProjectStore::ProjectStore(std::string path, sqlite3* db, Mode mode)
    : m_path(std::move(path))
    , m_db(db)
    , m_mode(mode)
{ }

ProjectStore::~ProjectStore()
{
    closeQuietly(m_db);
}

void ProjectStore::exec(const char* sql) const
{
    char* message = nullptr;
    if (sqlite3_exec(m_db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
        std::string text = message ? message : "unknown error";
        sqlite3_free(message);
        if (sqlite3_errcode(m_db) == SQLITE_FULL)
            throw StoreError(
                "the disk is full: the project file could not be written (nothing committed before was lost)");
        throw StoreError("database error in " + quote(m_path) + ": " + text);
    }
}

void ProjectStore::migrate()
{
    int version = schemaVersion();
    if (version == kSchemaVersion)
        return;
    transaction([&] {
        // Another connection (a second window, an import running beside a tuning run) may have created the
        // schema since we looked: under the write lock, look again.
        version = schemaVersion();
        for (; version < kSchemaVersion; ++version)
            exec(kMigrations[static_cast<std::size_t>(version)]);
        exec(("PRAGMA application_id = " + std::to_string(kApplicationId)).c_str());
        exec(("PRAGMA user_version = " + std::to_string(kSchemaVersion)).c_str());
    });
}

std::string ProjectStore::integrityCheck() const
{
    Statement check(m_db, "PRAGMA integrity_check");
    std::string result;
    while (check.step()) {
        if (!result.empty())
            result += '\n';
        result += check.text(0);
    }
    return result;
}

int ProjectStore::schemaVersion() const
{
    Statement statement(m_db, "PRAGMA user_version");
    return statement.step() ? static_cast<int>(statement.integer(0)) : 0;
}

std::string ProjectStore::artifactsDirectory() const
{
    std::filesystem::path project(m_path);
    return (project.parent_path() / (project.stem().string() + ".artifacts")).string();
}

void ProjectStore::transaction(const std::function<void()>& work)
{
    inTransaction("BEGIN IMMEDIATE", work); // the write lock from the start: no upgrade to fail half way
}

void ProjectStore::readTransaction(const std::function<void()>& work)
{
    inTransaction("BEGIN DEFERRED", work);
}

void ProjectStore::inTransaction(const char* begin, const std::function<void()>& work)
{
    exec(begin);
    try {
        work();
    } catch (...) {
        sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
    exec("COMMIT");
}

std::int64_t ProjectStore::addDataset(const DatasetRecord& dataset)
{
    Statement insert(m_db,
                     "INSERT INTO datasets (name, path, sha256, size_bytes, row_count, column_count,"
                     " schema_json, imported_at, read_settings) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insert.bind(1, dataset.name).bind(2, dataset.path).bind(3, dataset.sha256).bind(4, dataset.sizeBytes);
    insert.bind(5, dataset.rows).bind(6, dataset.columns).bind(7, dataset.schemaJson);
    insert.bind(8, dataset.importedAt.empty() ? nowUtc() : dataset.importedAt);
    insert.bind(9, dataset.readSettingsJson.empty() ? std::string("{}") : dataset.readSettingsJson);
    insert.run();
    return sqlite3_last_insert_rowid(m_db);
}

void ProjectStore::updateDatasetReading(const DatasetRecord& dataset)
{
    Statement update(m_db,
                     "UPDATE datasets SET read_settings = ?, row_count = ?, column_count = ?, schema_json = ?"
                     " WHERE id = ?");
    update.bind(1, dataset.readSettingsJson.empty() ? std::string("{}") : dataset.readSettingsJson);
    update.bind(2, dataset.rows).bind(3, dataset.columns).bind(4, dataset.schemaJson).bind(5, dataset.id);
    update.run();
    if (sqlite3_changes(m_db) != 1)
        throw StoreError("no dataset " + std::to_string(dataset.id) + " in " + quote(m_path));
}

namespace {

/// A project of format 1, opened read-only and so not migrated, has no read settings: it sniffed every file.
std::string datasetColumns(int schemaVersion)
{
    return std::string("SELECT id, name, path, sha256, size_bytes, row_count, column_count, schema_json, imported_at, ")
        + (schemaVersion >= 2 ? "read_settings" : "'{}'") + " FROM datasets";
}

DatasetRecord readDataset(const Statement& row)
{
    DatasetRecord record;
    record.id = row.integer(0);
    record.name = row.text(1);
    record.path = row.text(2);
    record.sha256 = row.text(3);
    record.sizeBytes = row.integer(4);
    record.rows = row.integer(5);
    record.columns = row.integer(6);
    record.schemaJson = row.text(7);
    record.importedAt = row.text(8);
    record.readSettingsJson = row.text(9);
    return record;
}

/// A state as the file names it; a name this version does not know makes the file unreadable, not guessed.
template<typename Parse> auto stateIn(const std::string& name, Parse parse, const std::string& what)
{
    if (auto state = parse(name))
        return *state;
    throw StoreError("the project file is damaged: " + what + " has the unknown status '" + name + "'");
}

constexpr const char* kExperimentColumns
    = "SELECT id, name, spec_json, dataset_id, status, stopped_because, created_at, finished_at FROM experiments";

ExperimentRecord readExperiment(const Statement& row)
{
    ExperimentRecord record;
    record.id = row.integer(0);
    record.name = row.text(1);
    record.specJson = row.text(2);
    record.datasetId = row.optionalInteger(3);
    record.status = stateIn(row.text(4), experimentStateFromString, "experiment " + record.name);
    record.stoppedBecause = row.text(5);
    record.createdAt = row.text(6);
    record.finishedAt = row.text(7);
    return record;
}

} // namespace

std::vector<DatasetRecord> ProjectStore::datasets() const
{
    Statement select(m_db, (datasetColumns(schemaVersion()) + " ORDER BY id").c_str());
    std::vector<DatasetRecord> result;
    while (select.step())
        result.push_back(readDataset(select));
    return result;
}

std::optional<DatasetRecord> ProjectStore::datasetBySha256(const std::string& sha256) const
{
    Statement select(m_db, (datasetColumns(schemaVersion()) + " WHERE sha256 = ? ORDER BY id LIMIT 1").c_str());
    select.bind(1, sha256);
    if (!select.step())
        return std::nullopt;
    return readDataset(select);
}

std::int64_t ProjectStore::createExperiment(const ExperimentRecord& experiment)
{
    Statement insert(m_db,
                     "INSERT INTO experiments (name, spec_json, dataset_id, status, created_at)"
                     " VALUES (?, ?, ?, ?, ?)");
    insert.bind(1, experiment.name).bind(2, experiment.specJson).bind(3, experiment.datasetId);
    insert.bind(4, std::string(stateName(experiment.status)));
    insert.bind(5, experiment.createdAt.empty() ? nowUtc() : experiment.createdAt);
    try {
        insert.run();
    } catch (const StoreError&) {
        if (experimentByName(experiment.name))
            throw StoreError("an experiment named \"" + experiment.name + "\" already exists in this project");
        throw;
    }
    return sqlite3_last_insert_rowid(m_db);
}

void ProjectStore::setExperimentStatus(std::int64_t experimentId, ExperimentState status,
                                       const std::string& stoppedBecause)
{
    const bool ended = status == ExperimentState::Finished || status == ExperimentState::Stopped
        || status == ExperimentState::Failed;
    Statement update(m_db, "UPDATE experiments SET status = ?, stopped_because = ?, finished_at = ? WHERE id = ?");
    update.bind(1, std::string(stateName(status)))
        .bind(2, stoppedBecause)
        .bind(3, ended ? nowUtc() : std::string())
        .bind(4, experimentId);
    update.run();
}

std::vector<ExperimentRecord> ProjectStore::experiments() const
{
    Statement select(m_db, (std::string(kExperimentColumns) + " ORDER BY id").c_str());
    std::vector<ExperimentRecord> result;
    while (select.step())
        result.push_back(readExperiment(select));
    return result;
}

std::optional<ExperimentRecord> ProjectStore::experimentByName(const std::string& name) const
{
    Statement select(m_db, (std::string(kExperimentColumns) + " WHERE name = ?").c_str());
    select.bind(1, name);
    if (!select.step())
        return std::nullopt;
    return readExperiment(select);
}

std::int64_t ProjectStore::addTrial(const TrialRecord& trial)
{
    Statement insert(m_db,
                     "INSERT INTO trials (experiment_id, number, algorithm, params_json, status, objective,"
                     " metrics_json, error, stopped_at_step, started_at, finished_at)"
                     " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insert.bind(1, trial.experimentId).bind(2, trial.number).bind(3, trial.algorithm).bind(4, trial.paramsJson);
    insert.bind(5, std::string(stateName(trial.status))).bind(6, trial.objective);
    insert.bind(7, trial.metricsJson.empty() ? std::string("{}") : trial.metricsJson).bind(8, trial.error);
    insert.bind(9, trial.stoppedAtStep).bind(10, trial.startedAt).bind(11, trial.finishedAt);
    insert.run();
    const std::int64_t trialId = sqlite3_last_insert_rowid(m_db);

    // One row per parameter as well, so that comparisons can query and sort by a parameter's value.
    const QJsonObject params = QJsonDocument::fromJson(QByteArray::fromStdString(trial.paramsJson)).object();
    Statement param(m_db, "INSERT INTO trial_params (trial_id, name, value_text, value_number) VALUES (?, ?, ?, ?)");
    for (auto it = params.begin(); it != params.end(); ++it) {
        const QJsonValue value = it.value();
        std::optional<double> number;
        std::string text;
        if (value.isDouble()) {
            number = value.toDouble();
            text = QString::number(value.toDouble(), 'g', 17).toStdString();
        } else if (value.isBool()) {
            number = value.toBool() ? 1.0 : 0.0;
            text = value.toBool() ? "true" : "false";
        } else if (value.isString()) {
            text = value.toString().toStdString();
        } else {
            text = QJsonDocument(value.isArray() ? QJsonDocument(value.toArray()) : QJsonDocument(value.toObject()))
                       .toJson(QJsonDocument::Compact)
                       .toStdString();
        }
        param.bind(1, trialId).bind(2, it.key().toStdString()).bind(3, text).bind(4, number);
        param.run();
    }
    return trialId;
}

void ProjectStore::updateTrial(const TrialRecord& trial)
{
    // The parameters too: a multi-fidelity trial's budget grows with each promotion.
    Statement update(m_db,
                     "UPDATE trials SET status = ?, objective = ?, metrics_json = ?, error = ?,"
                     " stopped_at_step = ?, started_at = ?, finished_at = ?, params_json = ? WHERE id = ?");
    update.bind(1, std::string(stateName(trial.status))).bind(2, trial.objective);
    update.bind(3, trial.metricsJson.empty() ? std::string("{}") : trial.metricsJson).bind(4, trial.error);
    update.bind(5, trial.stoppedAtStep).bind(6, trial.startedAt).bind(7, trial.finishedAt);
    update.bind(8, trial.paramsJson).bind(9, trial.id);
    update.run();
    if (sqlite3_changes(m_db) != 1)
        throw StoreError("no trial with id " + std::to_string(trial.id));
}

std::vector<TrialRecord> ProjectStore::trials(std::int64_t experimentId) const
{
    Statement select(m_db,
                     "SELECT id, experiment_id, number, algorithm, params_json, status, objective,"
                     " metrics_json, error, stopped_at_step, started_at, finished_at"
                     " FROM trials WHERE experiment_id = ? ORDER BY number");
    select.bind(1, experimentId);
    std::vector<TrialRecord> result;
    while (select.step()) {
        TrialRecord trial;
        trial.id = select.integer(0);
        trial.experimentId = select.integer(1);
        trial.number = static_cast<int>(select.integer(2));
        trial.algorithm = select.text(3);
        trial.paramsJson = select.text(4);
        trial.status
            = stateIn(select.text(5), trialStateFromString,
                      "trial " + std::to_string(trial.number) + " of experiment " + std::to_string(experimentId));
        if (!select.isNull(6))
            trial.objective = select.real(6);
        trial.metricsJson = select.text(7);
        trial.error = select.text(8);
        if (!select.isNull(9))
            trial.stoppedAtStep = static_cast<int>(select.integer(9));
        trial.startedAt = select.text(10);
        trial.finishedAt = select.text(11);
        result.push_back(std::move(trial));
    }
    return result;
}

void ProjectStore::addMetricPoints(std::int64_t trialId, const std::vector<MetricPoint>& points)
{
    Statement insert(m_db,
                     "INSERT OR REPLACE INTO metric_points (trial_id, name, step, value, wall_time)"
                     " VALUES (?, ?, ?, ?, ?)");
    for (const MetricPoint& point : points) {
        insert.bind(1, trialId).bind(2, point.name).bind(3, point.step).bind(4, point.value).bind(5, point.wallTime);
        insert.run();
    }
}

void ProjectStore::clearMetricPoints(std::int64_t trialId, std::optional<std::int64_t> afterStep)
{
    Statement remove(m_db,
                     afterStep ? "DELETE FROM metric_points WHERE trial_id = ? AND step > ?"
                               : "DELETE FROM metric_points WHERE trial_id = ?");
    remove.bind(1, trialId);
    if (afterStep)
        remove.bind(2, *afterStep);
    remove.run();
}

std::vector<MetricPoint> ProjectStore::metricSeries(std::int64_t trialId, const std::string& name) const
{
    Statement select(
        m_db,
        name.empty() ? "SELECT name, step, value, wall_time FROM metric_points WHERE trial_id = ? ORDER BY name, step"
                     : "SELECT name, step, value, wall_time FROM metric_points WHERE trial_id = ? AND name = ?"
                       " ORDER BY step");
    select.bind(1, trialId);
    if (!name.empty())
        select.bind(2, name);
    std::vector<MetricPoint> result;
    while (select.step())
        result.push_back({select.text(0), select.integer(1), select.real(2), select.real(3)});
    return result;
}

std::vector<MetricPoint> ProjectStore::metricSeriesAfter(std::int64_t trialId,
                                                         const std::map<std::string, std::int64_t>& lastSteps) const
{
    // Each known metric from its last step on, and every metric not known yet: ranges of the primary key.
    std::string sql = "SELECT name, step, value, wall_time FROM metric_points WHERE trial_id = ? AND (";
    std::string known;
    for (std::size_t i = 0; i < lastSteps.size(); ++i) {
        sql += "(name = ? AND step > ?) OR ";
        known += i == 0 ? "?" : ", ?";
    }
    sql += "name NOT IN (" + known + ")) ORDER BY name, step";
    Statement select(m_db, sql.c_str());
    int index = 1;
    select.bind(index++, trialId);
    for (const auto& [name, step] : lastSteps) {
        select.bind(index++, name);
        select.bind(index++, step);
    }
    for (const auto& entry : lastSteps)
        select.bind(index++, entry.first);
    std::vector<MetricPoint> result;
    while (select.step())
        result.push_back({select.text(0), select.integer(1), select.real(2), select.real(3)});
    return result;
}

std::int64_t ProjectStore::addArtifact(const ArtifactRecord& artifact)
{
    Statement insert(m_db,
                     "INSERT INTO artifacts (experiment_id, trial_id, kind, path, sha256, size_bytes, created_at)"
                     " VALUES (?, ?, ?, ?, ?, ?, ?)");
    insert.bind(1, artifact.experimentId).bind(2, artifact.trialId).bind(3, artifact.kind).bind(4, artifact.path);
    insert.bind(5, artifact.sha256).bind(6, artifact.sizeBytes);
    insert.bind(7, artifact.createdAt.empty() ? nowUtc() : artifact.createdAt);
    insert.run();
    return sqlite3_last_insert_rowid(m_db);
}

std::vector<ArtifactRecord> ProjectStore::artifacts(std::optional<std::int64_t> experimentId) const
{
    Statement select(m_db,
                     experimentId ? "SELECT id, experiment_id, trial_id, kind, path, sha256, size_bytes, created_at"
                                    " FROM artifacts WHERE experiment_id = ? ORDER BY id"
                                  : "SELECT id, experiment_id, trial_id, kind, path, sha256, size_bytes, created_at"
                                    " FROM artifacts ORDER BY id");
    if (experimentId)
        select.bind(1, *experimentId);
    std::vector<ArtifactRecord> result;
    while (select.step()) {
        result.push_back({select.integer(0), select.optionalInteger(1), select.optionalInteger(2), select.text(3),
                          select.text(4), select.text(5), select.integer(6), select.text(7)});
    }
    return result;
}

std::int64_t ProjectStore::logEvent(const EventRecord& event)
{
    Statement insert(m_db, "INSERT INTO events (at, experiment_id, trial_id, kind, message) VALUES (?, ?, ?, ?, ?)");
    insert.bind(1, event.at.empty() ? nowUtc() : event.at).bind(2, event.experimentId).bind(3, event.trialId);
    insert.bind(4, event.kind).bind(5, event.message);
    insert.run();
    return sqlite3_last_insert_rowid(m_db);
}

std::vector<EventRecord> ProjectStore::events(std::optional<std::int64_t> experimentId) const
{
    Statement select(m_db,
                     experimentId ? "SELECT id, at, experiment_id, trial_id, kind, message FROM events"
                                    " WHERE experiment_id = ? ORDER BY id"
                                  : "SELECT id, at, experiment_id, trial_id, kind, message FROM events ORDER BY id");
    if (experimentId)
        select.bind(1, *experimentId);
    std::vector<EventRecord> result;
    while (select.step()) {
        result.push_back({select.integer(0), select.text(1), select.optionalInteger(2), select.optionalInteger(3),
                          select.text(4), select.text(5)});
    }
    return result;
}

namespace {

constexpr const char* kOwnerColumns
    = "SELECT experiment_id, host, pid, program, token, started_at, heartbeat FROM run_owners";

RunOwner readOwner(const Statement& row)
{
    return {row.integer(0), row.text(1), row.integer(2), row.text(3), row.text(4), row.text(5), row.real(6)};
}

} // namespace

void ProjectStore::setRunOwner(const RunOwner& owner)
{
    Statement insert(m_db,
                     "INSERT OR REPLACE INTO run_owners (experiment_id, host, pid, program, token, started_at,"
                     " heartbeat) VALUES (?, ?, ?, ?, ?, ?, ?)");
    insert.bind(1, owner.experimentId).bind(2, owner.host).bind(3, owner.pid).bind(4, owner.program);
    insert.bind(5, owner.token).bind(6, owner.startedAt).bind(7, owner.heartbeat);
    insert.run();
}

std::optional<RunOwner> ProjectStore::runOwner(std::int64_t experimentId) const
{
    if (schemaVersion() < 3)
        return std::nullopt; // a format-2 project opened read-only: no run had an owner
    Statement select(m_db, (std::string(kOwnerColumns) + " WHERE experiment_id = ?").c_str());
    select.bind(1, experimentId);
    if (!select.step())
        return std::nullopt;
    return readOwner(select);
}

std::vector<RunOwner> ProjectStore::runOwners() const
{
    std::vector<RunOwner> result;
    if (schemaVersion() < 3)
        return result;
    Statement select(m_db, (std::string(kOwnerColumns) + " ORDER BY experiment_id").c_str());
    while (select.step())
        result.push_back(readOwner(select));
    return result;
}

bool ProjectStore::renewRunOwner(std::int64_t experimentId, const std::string& token, double heartbeat)
{
    Statement update(m_db, "UPDATE run_owners SET heartbeat = ? WHERE experiment_id = ? AND token = ?");
    update.bind(1, heartbeat).bind(2, experimentId).bind(3, token);
    update.run();
    return sqlite3_changes(m_db) == 1;
}

void ProjectStore::releaseRunOwner(std::int64_t experimentId, const std::string& token)
{
    Statement remove(m_db, "DELETE FROM run_owners WHERE experiment_id = ? AND token = ?");
    remove.bind(1, experimentId).bind(2, token);
    remove.run();
}

std::int64_t ProjectStore::addRunRequest(const RunRequest& request)
{
    Statement insert(m_db,
                     "INSERT INTO run_requests (experiment_id, kind, trial_number, requested_at, requested_by)"
                     " VALUES (?, ?, ?, ?, ?)");
    insert.bind(1, request.experimentId).bind(2, request.kind).bind(3, request.trialNumber);
    insert.bind(4, request.requestedAt.empty() ? nowUtc() : request.requestedAt).bind(5, request.requestedBy);
    insert.run();
    return sqlite3_last_insert_rowid(m_db);
}

std::vector<RunRequest> ProjectStore::runRequests(std::int64_t experimentId) const
{
    std::vector<RunRequest> result;
    if (schemaVersion() < 3)
        return result;
    Statement select(m_db,
                     "SELECT id, experiment_id, kind, trial_number, requested_at, requested_by FROM run_requests"
                     " WHERE experiment_id = ? ORDER BY id");
    select.bind(1, experimentId);
    while (select.step()) {
        RunRequest request{select.integer(0), select.integer(1), select.text(2),
                           std::nullopt,      select.text(4),    select.text(5)};
        if (!select.isNull(3))
            request.trialNumber = static_cast<int>(select.integer(3));
        result.push_back(std::move(request));
    }
    return result;
}

void ProjectStore::removeRunRequests(std::int64_t experimentId, std::int64_t upToId)
{
    Statement remove(m_db, "DELETE FROM run_requests WHERE experiment_id = ? AND id <= ?");
    remove.bind(1, experimentId).bind(2, upToId);
    remove.run();
}

std::int64_t ProjectStore::dataVersion() const
{
    Statement version(m_db, "PRAGMA data_version");
    return version.step() ? version.integer(0) : 0;
}

} // namespace tunebench::store

// The Slurm executor's parts that need no cluster: the batch script and sbatch's arguments, Slurm's job
// states and what they mean for a trial, the worker's event lines and the follower of their file, and the
// spec's "executor". The real cluster is tests/cluster/tst_slurmcluster.cpp.

#include <chrono>
#include <thread>

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include "algorithms/paramsjson.h"
#include "jobs/runsetup.h"
#include "jobs/slurm.h"
#include "jobs/tuner.h"
#include "jobs/workerprotocol.h"
#include "tuning/experimentspec.h"

using namespace tunebench;
using namespace tunebench::jobs;

namespace {

/// A stand-in sbatch/scontrol/scancel in `bin`, first on PATH while it lives. sbatch gives job N the N-th of
/// `states` (a COMPLETED job writes the worker's result into its folder); scontrol reports the state in
/// `bin/state-ID`, which a test may write itself.
class FakeCluster
{
public:
    FakeCluster(const QString& bin, const QString& states)
        : m_path(qgetenv("PATH"))
    {
        QDir().mkpath(bin);
        tool(bin, "sbatch",
             QStringLiteral(R"sh(cd "$(dirname "$0")"
n=$(( $(cat count 2>/dev/null || echo 0) + 1 )); echo $n > count
state=$(echo "%1" | cut -d' ' -f$n); echo "$state" > state-$n
for a in "$@"; do case "$a" in --chdir=*) folder=${a#--chdir=};; esac; done
if [ "$state" = COMPLETED ]; then
  echo '{"event":"point","step":1,"name":"loss","value":0.5}' >> "$folder/events.jsonl"
  echo '{"event":"result","objective":0.625,"metrics":{},"folds":{},"fit_seconds":0.1,"output":""}' >> "$folder/events.jsonl"
fi
echo "$n;cluster"
)sh")
                 .arg(states));
        tool(bin, "scontrol",
             QStringLiteral(R"sh(cd "$(dirname "$0")"; echo "JobId=$4 JobState=$(cat state-$4) ExitCode=0:0")sh"));
        tool(bin, "scancel", QStringLiteral("exit 0\n"));
        qputenv("PATH", bin.toUtf8() + ':' + m_path);
    }
    ~FakeCluster() { qputenv("PATH", m_path); }
    FakeCluster(const FakeCluster&) = delete;
    FakeCluster& operator=(const FakeCluster&) = delete;

    /// How many jobs sbatch was asked for.
    [[nodiscard]] static int submissions(const QString& bin)
    {
        QFile count(bin + QStringLiteral("/count"));
        return count.open(QIODevice::ReadOnly) ? count.readAll().trimmed().toInt() : 0;
    }

private:
    static void tool(const QString& bin, const char* name, const QString& body)
    {
        QFile file(bin + QLatin1Char('/') + QLatin1String(name));
        if (file.open(QIODevice::WriteOnly))
            file.write(QByteArray("#!/bin/sh\n") + body.toUtf8());
        file.close();
        file.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    }
    QByteArray m_path;
};

tuning::ExperimentSpec fakeSpec(const QString& work, int resubmit = 2)
{
    const QByteArray json = QStringLiteral(R"({"name": "fake", "dataset": "iris.arff", "algorithm": "knn",
        "ranges": {"k": {"type": "integer", "min": 1, "max": 9}}, "objective": {"metric": "accuracy"},
        "executor": {"type": "slurm", "work_dir": "%1", "time_minutes": 5, "resubmit_preempted": %2,
                     "poll_seconds": 0.05, "worker": "/nonexistent/tunebench-cli"}})")
                                .arg(work)
                                .arg(resubmit)
                                .toUtf8();
    return tuning::parseSpec(json, "fake.json", TUNEBENCH_TEST_DATA);
}

void writeText(const QString& path, const QByteArray& text)
{
    QFile file(path);
    if (file.open(QIODevice::WriteOnly))
        file.write(text);
}

} // namespace

class TestSlurm : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void jobStates_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("scontrol");
        QTest::addColumn<QString>("state");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<int>("signal");
        // As slurm-wlm 22.05 writes them (../shared/notes/slurm-single-node.md).
        QTest::newRow("scontrol completed")
            << "JobId=4 JobName=tb UserId=root(0) Priority=1 JobState=COMPLETED Reason=None Dependency=(null) "
               "Requeue=1 Restarts=0 BatchFlag=1 ExitCode=0:0 RunTime=00:00:01"
            << true << "COMPLETED" << 0 << 0;
        QTest::newRow("scontrol exit 3") << "JobId=5 JobState=FAILED Reason=NonZeroExitCode ExitCode=3:0" << true
                                         << "FAILED" << 3 << 0;
        QTest::newRow("scontrol killed by 9")
            << "JobId=6 JobState=FAILED Reason=NonZeroExitCode ExitCode=0:9" << true << "FAILED" << 0 << 9;
        QTest::newRow("scontrol cancelled")
            << "JobId=7 JobState=CANCELLED Reason=None ExitCode=0:15" << true << "CANCELLED" << 0 << 15;
        QTest::newRow("scontrol timeout")
            << "JobId=8 JobState=TIMEOUT Reason=TimeLimit ExitCode=0:15" << true << "TIMEOUT" << 0 << 15;
        QTest::newRow("scontrol running")
            << "JobId=9 JobState=RUNNING Reason=None ExitCode=0:0" << true << "RUNNING" << 0 << 0;
        QTest::newRow("sacct cancelled by") << "CANCELLED by 0|0:15\n" << false << "CANCELLED" << 0 << 15;
        QTest::newRow("sacct out of memory") << "OUT_OF_MEMORY|0:125\n" << false << "OUT_OF_MEMORY" << 0 << 125;
        QTest::newRow("sacct preempted") << "PREEMPTED|0:0\n" << false << "PREEMPTED" << 0 << 0;
    }
    void jobStates()
    {
        QFETCH(QString, text);
        QFETCH(bool, scontrol);
        QFETCH(QString, state);
        QFETCH(int, exitCode);
        QFETCH(int, signal);
        const auto parsed = scontrol ? slurm::parseScontrol(text.toStdString()) : slurm::parseSacct(text.toStdString());
        QVERIFY(parsed);
        QCOMPARE(QString::fromStdString(parsed->state), state);
        QCOMPARE(parsed->exitCode, exitCode);
        QCOMPARE(parsed->signal, signal);
        QCOMPARE(slurm::isFinal(parsed->state), state != QLatin1String("RUNNING"));
        QVERIFY(!slurm::parseScontrol("slurm_load_jobs error: Invalid job id specified"));
        QVERIFY(!slurm::parseSacct(""));
    }

    void failureReasons_data()
    {
        QTest::addColumn<QString>("state");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<int>("signal");
        QTest::addColumn<QString>("reason");
        QTest::newRow("timeout") << "TIMEOUT" << 0 << 15 << "the job reached its time limit (30 minutes)";
        QTest::newRow("memory") << "OUT_OF_MEMORY" << 0 << 125 << "the job ran out of memory (2048 MB)";
        QTest::newRow("node") << "NODE_FAIL" << 0 << 0 << "the node running the job failed";
        QTest::newRow("preempted") << "PREEMPTED" << 0 << 0 << "the job was preempted (and submitted again 2 times)";
        QTest::newRow("exit code") << "FAILED" << 3 << 0 << "the job failed (exit code 3)";
        QTest::newRow("signal") << "FAILED" << 0 << 9 << "the job was killed by signal 9";
        QTest::newRow("scancel") << "CANCELLED" << 0 << 15 << "the job was cancelled outside Tunebench (scancel)";
    }
    void failureReasons()
    {
        QFETCH(QString, state);
        QFETCH(int, exitCode);
        QFETCH(int, signal);
        QFETCH(QString, reason);
        tuning::SlurmSpec spec;
        spec.timeMinutes = 30;
        spec.memoryMb = 2048;
        QCOMPARE(QString::fromStdString(slurm::failureReason({state.toStdString(), exitCode, signal}, spec)), reason);
    }

    void batchScriptQuotesEveryPath()
    {
        // Paths with spaces and quotes reach the worker as single arguments: run the script with echo as the
        // worker, one argument per line.
        QTemporaryDir dir;
        tuning::SlurmSpec spec;
        spec.workDirectory = dir.filePath(QStringLiteral("work dir's")).toStdString();
        const slurm::TrialFiles files = slurm::trialFiles(spec, "iris knn/$(x)", 7, 2);
        QVERIFY(QString::fromStdString(files.directory).endsWith(QLatin1String("/iris_knn___x_/trial-7-attempt-2")));
        // A stand-in worker that prints its arguments, one per line.
        const QString worker = dir.filePath(QStringLiteral("my worker"));
        QFile workerFile(worker);
        QVERIFY(workerFile.open(QIODevice::WriteOnly));
        workerFile.write("#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done\n");
        workerFile.close();
        QVERIFY(workerFile.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
        const QString script = dir.filePath(QStringLiteral("job.sh"));
        QFile file(script);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(slurm::batchScript(worker.toStdString(), files, 7, 3).c_str());
        file.close();
        QProcess sh;
        sh.start(QStringLiteral("/bin/sh"), {script});
        QVERIFY(sh.waitForFinished(10000));
        QCOMPARE(sh.exitCode(), 0);
        const QStringList expected{QStringLiteral("run-trial"),
                                   QString::fromStdString(files.spec),
                                   QStringLiteral("--trial"),
                                   QStringLiteral("7"),
                                   QStringLiteral("--params"),
                                   QString::fromStdString(files.params),
                                   QStringLiteral("--out"),
                                   QString::fromStdString(files.events),
                                   QStringLiteral("--checkpoint-dir"),
                                   QString::fromStdString(files.checkpoint),
                                   QStringLiteral("--threads"),
                                   QStringLiteral("3")};
        QCOMPARE(QString::fromUtf8(sh.readAllStandardOutput()).split(QLatin1Char('\n'), Qt::SkipEmptyParts), expected);
        const std::string text = slurm::batchScript("/opt/tb/bin/tunebench-cli", files, 7, 3);
        QVERIFY(text.rfind("#!/bin/sh\n", 0) == 0);
        QVERIFY(text.find("--trial 7 --params ") != std::string::npos);
        QVERIFY(text.find("--threads 3\n") != std::string::npos);
        QCOMPARE(slurm::shellQuote("it's"), std::string("'it'\\''s'"));
    }

    void sbatchArgumentsFromTheSpec()
    {
        tuning::SlurmSpec spec;
        spec.workDirectory = "/shared/tb";
        spec.partition = "gpu";
        spec.timeMinutes = 15;
        spec.memoryMb = 4000;
        spec.sbatchArguments = {"--account=ml", "--qos=low"};
        const slurm::TrialFiles files = slurm::trialFiles(spec, "exp", 3, 1);
        const std::vector<std::string> arguments = slurm::sbatchArguments(spec, files, "tunebench-exp-3", 2);
        const std::vector<std::string> expected{"--parsable",
                                                "--job-name=tunebench-exp-3",
                                                "--output=/shared/tb/exp/trial-3-attempt-1/slurm.out",
                                                "--chdir=/shared/tb/exp/trial-3-attempt-1",
                                                "--cpus-per-task=2",
                                                "--time=15",
                                                "--mem=4000M",
                                                "--partition=gpu",
                                                "--account=ml",
                                                "--qos=low",
                                                "/shared/tb/exp/trial-3-attempt-1/job.sh"};
        QCOMPARE(arguments, expected);
        spec.cpus = 8;
        QCOMPARE(slurm::sbatchArguments(spec, files, "x", 2)[4], std::string("--cpus-per-task=8"));

        // A trial's needs in "resources" become its job's: GPUs by --gres, cores and memory unless the executor says.
        const tuning::ExperimentSpec needs = tuning::parseSpec(
            R"({"name": "gpu", "dataset": "iris.csv", "algorithm": "knn", "objective": {"metric": "accuracy"},
                "executor": {"type": "slurm", "work_dir": "/shared/tb", "memory_mb": 1000},
                "resources": {"trial": {"gpus": 2, "cpus": 4, "memory_mb": 16000}}})",
            "gpu.json", TUNEBENCH_TEST_DATA);
        QVERIFY(needs.slurm);
        const std::vector<std::string> gpuArguments = slurm::sbatchArguments(*needs.slurm, files, "x", 1);
        for (const char* expected : {"--cpus-per-task=4", "--mem=1000M", "--gres=gpu:2"})
            QVERIFY2(std::ranges::find(gpuArguments, std::string(expected)) != gpuArguments.end(), expected);
    }

    void eventsRoundTripAndAreFollowed()
    {
        TrialResult result;
        result.objective = 0.9712;
        result.fitSeconds = 1.5;
        result.metrics["accuracy"] = {0.9712, 0.012};
        result.foldMetrics["accuracy"] = {0.96, 0.98, 0.9736};
        result.output = "line one\nline \"two\"";
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("events.jsonl")).toStdString();
        WorkerFollower follower(path);
        QVERIFY(follower.poll().empty()); // no file yet
        QFile file(QString::fromStdString(path));
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Append));
        const std::string point = worker::toLine(worker::Point{3, "fold1/loss", 0.25});
        // Half a line: nothing yet.
        file.write(point.substr(0, 10).c_str());
        file.flush();
        QVERIFY(follower.poll().empty());
        file.write((point.substr(10) + "\nslurmstepd: a node's own noise\n").c_str());
        file.write((worker::toLine(worker::Finished{result}) + "\n").c_str());
        file.flush();
        const std::vector<worker::Event> events = follower.poll();
        QCOMPARE(events.size(), std::size_t(2));
        const auto* p = std::get_if<worker::Point>(&events[0]);
        QVERIFY(p && p->step == 3 && p->name == "fold1/loss" && p->value == 0.25);
        const auto* f = std::get_if<worker::Finished>(&events[1]);
        QVERIFY(f);
        QCOMPARE(f->result.objective, result.objective);
        QCOMPARE(f->result.fitSeconds, result.fitSeconds);
        QCOMPARE(f->result.metrics.at("accuracy").std, 0.012);
        QCOMPARE(f->result.foldMetrics.at("accuracy"), result.foldMetrics.at("accuracy"));
        QCOMPARE(f->result.output, result.output);
        QVERIFY(follower.poll().empty());
        const auto failed = worker::fromLine(worker::toLine(worker::Failed{"diverged", "out"}));
        QVERIFY(failed && std::get<worker::Failed>(*failed).reason == "diverged");
        QVERIFY(std::holds_alternative<worker::Cancelled>(*worker::fromLine(worker::toLine(worker::Cancelled{}))));
    }

    void jobsEndAsTheFakeClusterSays_data()
    {
        // A stand-in sbatch/scontrol/scancel on PATH play out a job's life; the runner must make of it what a
        // real cluster's would mean.
        QTest::addColumn<QString>("states"); ///< the end state of each submitted job, in turn
        QTest::addColumn<int>("resubmit");
        QTest::addColumn<int>("submissions");
        QTest::addColumn<QString>("error"); ///< empty: the trial's result arrives (objective 0.625)
        QTest::newRow("completes") << "COMPLETED" << 2 << 1 << "";
        QTest::newRow("preempted, then completes") << "PREEMPTED COMPLETED" << 2 << 2 << "";
        QTest::newRow("preempted too often")
            << "PREEMPTED PREEMPTED" << 1 << 2 << "the job was preempted (and submitted again 1 times)";
        QTest::newRow("time limit") << "TIMEOUT" << 2 << 1 << "the job reached its time limit (5 minutes)";
        QTest::newRow("out of memory") << "OUT_OF_MEMORY" << 2 << 1 << "the job ran out of memory";
        QTest::newRow("node failure") << "NODE_FAIL" << 2 << 1 << "the node running the job failed";
    }
    void jobsEndAsTheFakeClusterSays()
    {
        QFETCH(QString, states);
        QFETCH(int, resubmit);
        QFETCH(int, submissions);
        QFETCH(QString, error);
        QTemporaryDir dir;
        const QString bin = dir.filePath(QStringLiteral("bin"));
        const FakeCluster cluster(bin, states);
        const tuning::ExperimentSpec spec = fakeSpec(dir.filePath(QStringLiteral("work")), resubmit);
        const auto runner = jobs::makeTrialRunner(spec);
        std::vector<double> points;
        const algorithms::TrainingContext context(
            {}, [&](int, const std::string&, double value) { points.push_back(value); }, 1);
        const tuning::TrialConfig config = spec.configFor(spec.searchSpace().decode(std::vector<double>{0.5}));
        try {
            const TrialResult result = runner->run(config, 3, context);
            QVERIFY2(error.isEmpty(), "the trial succeeded");
            QCOMPARE(result.objective, 0.625);
            QCOMPARE(points, std::vector<double>{0.5}); // followed from the events file
        } catch (const TrialFailed& failure) {
            QVERIFY2(!error.isEmpty(), failure.what());
            QVERIFY2(QString::fromUtf8(failure.what()).contains(error), failure.what());
        }
        QCOMPARE(FakeCluster::submissions(bin), submissions);
        // Each attempt its own folder with the trial's files; the parameters only in params.json.
        const QString folder = dir.filePath(QStringLiteral("work/fake/trial-3-attempt-%1").arg(submissions));
        for (const char* file : {"spec.json", "params.json", "job.sh"})
            QVERIFY2(QFile::exists(folder + QLatin1Char('/') + QLatin1String(file)), file);
        QFile script(folder + QStringLiteral("/job.sh"));
        QVERIFY(script.open(QIODevice::ReadOnly));
        QVERIFY(!script.readAll().contains("\"k\""));
    }

    void aResumeFollowsTheJobsItsDeadOwnerSubmitted_data()
    {
        QTest::addColumn<bool>("resume");
        QTest::addColumn<bool>("sameParameters");
        QTest::addColumn<int>("submissions");
        QTest::newRow("resumed: followed, not submitted") << true << true << 0;
        QTest::newRow("a new experiment: submitted") << false << true << 1;
        QTest::newRow("other parameters: submitted") << true << false << 1;
    }
    void aResumeFollowsTheJobsItsDeadOwnerSubmitted()
    {
        QFETCH(bool, resume);
        QFETCH(bool, sameParameters);
        QFETCH(int, submissions);
        QTemporaryDir dir;
        const QString bin = dir.filePath(QStringLiteral("bin"));
        const FakeCluster cluster(bin, QStringLiteral("COMPLETED"));
        const tuning::ExperimentSpec spec = fakeSpec(dir.filePath(QStringLiteral("work")));
        const tuning::TrialConfig config = spec.configFor(spec.searchSpace().decode(std::vector<double>{0.5}));
        // What the process that died left: trial 3's folder, its files, the id of job 41, which runs on.
        const slurm::TrialFiles files = slurm::trialFiles(*spec.slurm, "fake", 3, 1);
        QVERIFY(QDir().mkpath(QString::fromStdString(files.directory)));
        writeText(QString::fromStdString(files.spec), QJsonDocument(spec.json).toJson(QJsonDocument::Compact));
        tuning::TrialConfig recorded = config;
        if (!sameParameters)
            recorded.params["k"] = std::get<std::int64_t>(config.params.at("k")) + 1;
        writeText(QString::fromStdString(files.params),
                  QJsonDocument(QJsonObject{{QStringLiteral("algorithm"), QString::fromStdString(recorded.algorithm)},
                                            {QStringLiteral("params"), algorithms::toJson(recorded.params)}})
                      .toJson(QJsonDocument::Compact));
        writeText(QString::fromStdString(files.job), "41");
        writeText(QString::fromStdString(files.events),
                  R"({"event":"point","step":1,"name":"loss","value":0.75})"
                  "\n");
        writeText(bin + QStringLiteral("/state-41"), "RUNNING\n");
        // The job finishes a moment later, on the cluster.
        std::thread cluster_([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(300));
            QFile events(QString::fromStdString(files.events));
            if (events.open(QIODevice::Append))
                events.write(R"({"event":"result","objective":0.875,"metrics":{},"folds":{},"fit_seconds":0.1,)"
                             R"("output":""})"
                             "\n");
            events.close();
            writeText(bin + QStringLiteral("/state-41"), "COMPLETED\n");
        });
        const auto runner = makeTrialRunner(spec, resume ? RunStart::Resume : RunStart::New);
        std::vector<double> points;
        const algorithms::TrainingContext context(
            {}, [&](int, const std::string&, double value) { points.push_back(value); }, 1);
        const TrialResult result = runner->run(config, 3, context);
        cluster_.join();
        QCOMPARE(FakeCluster::submissions(bin), submissions);
        if (submissions == 0) {
            QCOMPARE(result.objective, 0.875); // the job's own result
            QCOMPARE(points, std::vector<double>{0.75}); // its events, read from the start
        } else {
            QCOMPARE(result.objective, 0.625); // a job of its own
        }
    }

    void executorInTheSpec_data()
    {
        QTest::addColumn<QString>("executor");
        QTest::addColumn<QString>("error");
        QTest::newRow("slurm") << R"({"type": "slurm", "work_dir": "runs", "partition": "debug", "time_minutes": 5,
            "cpus": 2, "memory_mb": 1000, "sbatch_args": ["--qos=low"], "worker": "/opt/tb/tunebench-cli",
            "resubmit_preempted": 1, "poll_seconds": 0.5})"
                               << "";
        QTest::newRow("local") << R"({"type": "local"})"
                               << "";
        QTest::newRow("no folder") << R"({"type": "slurm"})"
                                   << "executor: a Slurm executor needs \"work_dir\"";
        QTest::newRow("unknown type") << R"({"type": "kubernetes"})"
                                      << "executor.type: 'kubernetes' is not local or slurm";
        QTest::newRow("unknown key") << R"({"type": "slurm", "work_dir": "x", "nodes": 4})"
                                     << "executor: unknown key 'nodes'";
    }
    void executorInTheSpec()
    {
        QFETCH(QString, executor);
        QFETCH(QString, error);
        const QByteArray json = QStringLiteral(R"({"name": "e", "dataset": "iris.arff", "algorithm": "knn",
            "objective": {"metric": "accuracy"}, "executor": %1})")
                                    .arg(executor)
                                    .toUtf8();
        try {
            const tuning::ExperimentSpec spec = tuning::parseSpec(json, "spec.json", "/data");
            QVERIFY2(error.isEmpty(), "accepted");
            if (executor.contains(QLatin1String("slurm"))) {
                QVERIFY(spec.slurm);
                QCOMPARE(spec.slurm->workDirectory, std::string("/data/runs"));
                QCOMPARE(spec.slurm->partition, std::string("debug"));
                QCOMPARE(spec.slurm->timeMinutes, 5);
                QCOMPARE(spec.slurm->cpus, 2);
                QCOMPARE(spec.slurm->memoryMb, 1000);
                QCOMPARE(spec.slurm->sbatchArguments, std::vector<std::string>{"--qos=low"});
                QCOMPARE(spec.slurm->resubmitPreempted, 1);
                QCOMPARE(spec.slurm->pollSeconds, 0.5);
                // Stored with its folder absolute: a resume elsewhere finds it.
                const tuning::ExperimentSpec again
                    = tuning::parseSpec(QJsonDocument(spec.json).toJson(), "stored", "/elsewhere");
                QCOMPARE(again.slurm->workDirectory, std::string("/data/runs"));
            } else {
                QVERIFY(!spec.slurm);
            }
        } catch (const tuning::SpecError& e) {
            QVERIFY2(!error.isEmpty(), e.what());
            QVERIFY2(QString::fromUtf8(e.what()).contains(error), e.what());
        }
    }
};

QTEST_GUILESS_MAIN(TestSlurm)
#include "tst_slurm.moc"

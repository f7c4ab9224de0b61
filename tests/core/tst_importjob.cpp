// The Qt adapter over the readers: real threads, real files, signals observed with QSignalSpy.

#include <fstream>

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThreadPool>

#include "jobs/importjob.h"

using tunebench::jobs::ImportJob;
using tunebench::jobs::ImportResult;

class TestImportJob : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void importsOnAWorkerThread();
    void reportsErrors();
    void cancels();
};

void TestImportJob::importsOnAWorkerThread()
{
    QThreadPool pool;
    ImportJob job(QStringLiteral(TUNEBENCH_TEST_DATA "/digits.csv.gz"), {});
    QSignalSpy finished(&job, &ImportJob::finished);
    QSignalSpy progress(&job, &ImportJob::progress);
    pool.start(&job);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
    const auto result = finished.at(0).at(0).value<ImportResult>();
    QVERIFY(result.dataset);
    QCOMPARE(result.dataset->rowCount(), std::size_t{1797});
    QVERIFY(result.error.isEmpty());
    QVERIFY(progress.count() >= 1);
    QCOMPARE(progress.last().at(0).toDouble(), 1.0);
}

void TestImportJob::reportsErrors()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("ragged.csv"));
    std::ofstream(path.toStdString()) << "a,b\n1,2\n3\n";
    QThreadPool pool;
    ImportJob job(path, {});
    QSignalSpy finished(&job, &ImportJob::finished);
    pool.start(&job);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 5000);
    const auto result = finished.at(0).at(0).value<ImportResult>();
    QVERIFY(!result.dataset);
    QCOMPARE(result.error, path + QStringLiteral(":3:2: expected 2 fields (as in the first row), found 1"));
}

void TestImportJob::cancels()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("large.csv"));
    {
        std::ofstream out(path.toStdString());
        out << "a,b,c\n";
        for (int i = 0; i < 600000; ++i)
            out << i << ',' << i * 0.25 << ",x" << (i % 13) << '\n';
    }
    QThreadPool pool;
    ImportJob job(path, {});
    QSignalSpy finished(&job, &ImportJob::finished);
    // Cancel as soon as the first progress report arrives: the job stops at its next chunk.
    connect(
        &job, &ImportJob::progress, &job, [&job] { job.cancel(); }, Qt::DirectConnection);
    pool.start(&job);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
    const auto result = finished.at(0).at(0).value<ImportResult>();
    QVERIFY(result.cancelled);
    QVERIFY(!result.dataset);
}

QTEST_GUILESS_MAIN(TestImportJob)
#include "tst_importjob.moc"

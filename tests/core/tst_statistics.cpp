// Statistical tests against published and hand-worked values.

#include <cmath>

#include <QTest>

#include "evaluation/statistics.h"

using namespace tunebench::evaluation;

class TestStatistics : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void friedmanDemsarExample();
    void friedmanTiesAndDirection();
    void correctedTTestAtTheFivePercentQuantile();
    void correctedTTestRejectsBadInput();
};

void TestStatistics::friedmanDemsarExample()
{
    // Demsar (2006), section 3.2.2: four algorithms on 14 datasets with average ranks 3.143, 2.000, 2.893 and
    // 1.964 give chi2_F = 9.28, F_F = 3.69 and, at alpha = 0.05, CD = 2.569 sqrt(4 * 5 / (6 * 14)) = 1.25.
    // These 14 rows of ranks (one with a tie) have exactly those average ranks; score = 10 - rank.
    const double ranks[14][4]
        = {{4, 1, 2.5, 2.5}, {3, 2, 4, 1}, {1, 4, 3, 2}, {4, 1, 3, 2}, {4, 3, 2, 1}, {1, 2, 4, 3}, {4, 2, 3, 1},
           {4, 1, 2, 3},     {2, 4, 3, 1}, {3, 1, 2, 4}, {4, 1, 3, 2}, {4, 1, 3, 2}, {3, 4, 2, 1}, {3, 1, 4, 2}};
    Eigen::MatrixXd scores(14, 4);
    for (int i = 0; i < 14; ++i)
        for (int j = 0; j < 4; ++j)
            scores(i, j) = 10.0 - ranks[i][j];
    const FriedmanTest test = friedmanTest(scores, true, 0.05);
    QVERIFY(std::abs(test.averageRanks[0] - 44.0 / 14) < 1e-12);
    QVERIFY(std::abs(test.averageRanks[1] - 2.0) < 1e-12);
    QVERIFY(std::abs(test.averageRanks[2] - 40.5 / 14) < 1e-12);
    QVERIFY(std::abs(test.averageRanks[3] - 27.5 / 14) < 1e-12);
    QVERIFY2(std::abs(test.chiSquare - 9.28) < 0.005, qPrintable(QString::number(test.chiSquare)));
    QVERIFY2(std::abs(test.imanDavenportF - 3.69) < 0.005, qPrintable(QString::number(test.imanDavenportF)));
    QVERIFY2(std::abs(test.criticalDifference - 1.25) < 0.005, qPrintable(QString::number(test.criticalDifference)));
    // chi2(3): 9.28 lies between the 0.025 (9.348) and 0.05 (7.815) critical values; F(3, 39): above the
    // 0.05 critical value 2.85 (Demsar) and below the 0.01 one (4.31).
    QVERIFY(test.pValue > 0.025 && test.pValue < 0.05);
    QVERIFY(test.imanDavenportPValue > 0.01 && test.imanDavenportPValue < 0.05);
    // At alpha = 0.10: q = 2.291.
    QVERIFY(std::abs(friedmanTest(scores, true, 0.10).criticalDifference - 2.291 * std::sqrt(20.0 / 84.0)) < 1e-12);
}

void TestStatistics::friedmanTiesAndDirection()
{
    // Error rates (lower is better): algorithm 0 always best, 1 and 2 always tied.
    Eigen::MatrixXd errors(3, 3);
    errors << 0.1, 0.2, 0.2, 0.05, 0.3, 0.3, 0.2, 0.4, 0.4;
    const FriedmanTest test = friedmanTest(errors, false);
    QCOMPARE(test.averageRanks, Eigen::Vector3d(1.0, 2.5, 2.5));
    // chi2 = 12 * 3 / (3 * 4) * (1 + 6.25 + 6.25 - 12) = 4.5
    QVERIFY(std::abs(test.chiSquare - 4.5) < 1e-12);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, (void)friedmanTest(errors, false, 0.01));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, (void)friedmanTest(Eigen::MatrixXd::Zero(1, 3), false));
}

void TestStatistics::correctedTTestAtTheFivePercentQuantile()
{
    // Differences c + e with e = +1, -1, ... over 10 folds: mean c, sample variance 10/9. With a test fraction
    // of 0.1 (n_test / n_train = 1/9) the corrected scale is sqrt((1/10 + 1/9) * 10/9). Choosing c so that
    // t equals 2.262157, Student's t 0.975 quantile with 9 degrees of freedom, must give p = 0.05.
    const double scale = std::sqrt((1.0 / 10.0 + 1.0 / 9.0) * 10.0 / 9.0);
    const double c = 2.262157 * scale;
    std::vector<double> a;
    std::vector<double> b;
    for (int j = 0; j < 10; ++j) {
        a.push_back(0.8 + c + (j % 2 == 0 ? 1.0 : -1.0));
        b.push_back(0.8);
    }
    const CorrectedTTest test = correctedResampledTTest(a, b, 0.1);
    QCOMPARE(test.degreesOfFreedom, 9);
    QVERIFY(std::abs(test.meanDifference - c) < 1e-12);
    QVERIFY(std::abs(test.t - 2.262157) < 1e-9);
    QVERIFY2(std::abs(test.pValue - 0.05) < 1e-5, qPrintable(QString::number(test.pValue, 'g', 10)));
    // The uncorrected test would have divided by sqrt(variance / 10): a larger t, a smaller p.
    QVERIFY(test.t < c / std::sqrt(10.0 / 9.0 / 10.0));
    // Swapping the algorithms flips the sign, not the p-value.
    const CorrectedTTest swapped = correctedResampledTTest(b, a, 0.1);
    QVERIFY(std::abs(swapped.t + test.t) < 1e-12);
    QVERIFY(std::abs(swapped.pValue - test.pValue) < 1e-12);
}

void TestStatistics::correctedTTestRejectsBadInput()
{
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, (void)correctedResampledTTest({1.0}, {1.0}, 0.1));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, (void)correctedResampledTTest({1.0, 2.0}, {1.0}, 0.1));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, (void)correctedResampledTTest({1.0, 2.0}, {1.0, 2.0}, 1.0));
    const CorrectedTTest same = correctedResampledTTest({0.9, 0.8}, {0.9, 0.8}, 0.2);
    QCOMPARE(same.pValue, 1.0);
}

QTEST_GUILESS_MAIN(TestStatistics)
#include "tst_statistics.moc"

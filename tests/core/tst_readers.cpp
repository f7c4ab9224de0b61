// Dataset readers on real files, on every CSV dialect we promise, and on malformed input.

#include <cmath>
#include <cstring>
#include <fstream>
#include <random>
#include <string>

#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include "data/columnbuilder.h"
#include "data/csvwriter.h"
#include "data/datasetinfo.h"
#include "data/reader.h"

using namespace tunebench::data;

namespace {

std::string dataPath(const char* name)
{
    return std::string(TUNEBENCH_TEST_DATA) + "/" + name;
}

Dataset readText(const std::string& text, const char* name = "test.csv", const ReadOptions& options = {},
                 ReadReport* report = nullptr)
{
    return readDatasetFromMemory(text, name, options, report);
}

/// Where two readings differ ("" when they do not): names, types, cells (NaN equal to NaN), levels.
std::string differences(const Dataset& a, const Dataset& b)
{
    if (a.columnCount() != b.columnCount() || a.rowCount() != b.rowCount())
        return "shape " + std::to_string(a.rowCount()) + "x" + std::to_string(a.columnCount()) + " against "
            + std::to_string(b.rowCount()) + "x" + std::to_string(b.columnCount());
    for (std::size_t c = 0; c < a.columnCount(); ++c) {
        const Column& x = a.column(c);
        const Column& y = b.column(c);
        const std::string where = "column " + x.name + ": ";
        if (x.name != y.name || x.type != y.type || x.possiblyCategorical != y.possiblyCategorical)
            return where + "name or type";
        if (x.levels != y.levels || x.codes != y.codes)
            return where + "levels or codes";
        for (std::size_t r = 0; r < x.values.size(); ++r) {
            if (x.values[r] != y.values[r] && !(std::isnan(x.values[r]) && std::isnan(y.values[r])))
                return where + "row " + std::to_string(r);
        }
    }
    return {};
}

/// Reads `text` as one pass and in blocks of `blockBytes` on two threads; both readings, or both errors.
struct TwoReadings
{
    std::string onePass;
    std::string blocks;
    Dataset first;
    Dataset second;
    ReadReport firstReport;
    ReadReport secondReport;
};

TwoReadings readBothWays(const std::string& text, std::size_t blockBytes, bool skipBadRows)
{
    TwoReadings result;
    ReadOptions one;
    one.threads = 1;
    one.skipBadRows = skipBadRows;
    ReadOptions blocks = one;
    blocks.threads = 2;
    blocks.blockBytes = blockBytes;
    try {
        result.first = readText(text, "t.csv", one, &result.firstReport);
    } catch (const ReadError& error) {
        result.onePass = error.what();
    }
    try {
        result.second = readText(text, "t.csv", blocks, &result.secondReport);
    } catch (const ReadError& error) {
        result.blocks = error.what();
    }
    return result;
}

/// One letter per column: n numeric, c categorical, b boolean, d date, t text.
QString typeLetters(const Dataset& dataset)
{
    QString letters;
    for (const Column& column : dataset.columns())
        letters += QLatin1Char(toString(column.type).front());
    return letters;
}

/// Enums compared by name, so that a failure prints words.
template<typename Enum> QString name(Enum value)
{
    const std::string_view text = toString(value);
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

std::size_t totalMissing(const Dataset& dataset)
{
    std::size_t missing = 0;
    for (const Column& column : dataset.columns())
        missing += column.missingCount();
    return missing;
}

} // namespace

class TestReaders : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void blocksOnThreadsReadAsOnePass_data();
    void blocksOnThreadsReadAsOnePass();
    void suggestedTargetSkipsTextAndBlankColumns();
    void writtenCsvReadsBackTheSame_data();
    void writtenCsvReadsBackTheSame();
    void realFiles_data();
    void realFiles();
    void realValues();
    void dialects_data();
    void dialects();
    void headerSniffing_data();
    void headerSniffing();
    void preambles_data();
    void preambles();
    void typeInference();
    void decimalComma_data();
    void decimalComma();
    void decimalCommaNumbers();
    void typeOverrides();
    void missingTokensAreConfigurable();
    void readSettingsInJsonAndWords_data();
    void readSettingsInJsonAndWords();
    void duplicateColumnNamesAreMadeUnique();
    void malformed_data();
    void malformed();
    void skipBadRows();
    void arffFeatures();
    void arffSparse();
    void libsvm();
    void gzipInMemoryAndTruncated();
    void recordsSpanningChunks();
    void hugeField();
    void fileLargerThanMemoryIsRefused_data();
    void fileLargerThanMemoryIsRefused();
    void progressAndCancel();
    void numbersAreCorrectlyRounded();
    void summaries();
    void targetAndTask_data();
    void targetAndTask();
};

void TestReaders::realFiles_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("columns");
    QTest::addColumn<int>("missing");
    QTest::addColumn<QString>("types");
    // Row, column and missing counts checked independently with pandas.read_csv and awk over the ARFF @data.
    QTest::newRow("breast_cancer.csv") << "breast_cancer.csv" << 569 << 31 << 0 << QString(31, QLatin1Char('n'));
    QTest::newRow("iris.csv") << "iris.csv" << 150 << 5 << 0 << "nnnnn";
    QTest::newRow("wine_data.csv") << "wine_data.csv" << 178 << 14 << 0 << QString(14, QLatin1Char('n'));
    QTest::newRow("digits.csv.gz") << "digits.csv.gz" << 1797 << 65 << 0 << QString(65, QLatin1Char('n'));
    QTest::newRow("penguins.csv") << "penguins.csv" << 344 << 8 << 19 << "ccnnnncn";
    QTest::newRow("iris.arff") << "iris.arff" << 150 << 5 << 0 << "nnnnc";
    QTest::newRow("diabetes.arff") << "diabetes.arff" << 768 << 9 << 0 << "nnnnnnnnc";
    QTest::newRow("ionosphere.arff") << "ionosphere.arff" << 351 << 35 << 0
                                     << QString(34, QLatin1Char('n')) + QStringLiteral("c");
    QTest::newRow("glass.arff") << "glass.arff" << 214 << 10 << 0 << "nnnnnnnnnc";
    QTest::newRow("breast-cancer.arff") << "breast-cancer.arff" << 286 << 10 << 9 << "cccccccccc";
    QTest::newRow("cpu.arff") << "cpu.arff" << 209 << 7 << 0 << "nnnnnnn";
    // As scikit-learn bundles them: a row of counts and class names above the data; columns aligned with blanks.
    QTest::newRow("sklearn_wine_data.csv")
        << "sklearn_wine_data.csv" << 178 << 14 << 0 << QString(14, QLatin1Char('n'));
    QTest::newRow("linnerud_exercise.csv") << "linnerud_exercise.csv" << 20 << 3 << 0 << "nnn";
}

void TestReaders::realFiles()
{
    QFETCH(QString, file);
    QFETCH(int, rows);
    QFETCH(int, columns);
    QFETCH(int, missing);
    QFETCH(QString, types);
    const Dataset dataset = readDataset(dataPath(file.toUtf8().constData()));
    QCOMPARE(dataset.rowCount(), static_cast<std::size_t>(rows));
    QCOMPARE(dataset.columnCount(), static_cast<std::size_t>(columns));
    QCOMPARE(totalMissing(dataset), static_cast<std::size_t>(missing));
    QCOMPARE(typeLetters(dataset), types);
}

void TestReaders::realValues()
{
    // Spot checks against the files' text.
    const Dataset penguins = readDataset(dataPath("penguins.csv"));
    QCOMPARE(penguins.column(0).textAt(0), std::string("Adelie"));
    QCOMPARE(penguins.column(2).values[0], 39.1);
    QVERIFY(std::isnan(penguins.column(2).values[3])); // "NA"
    QCOMPARE(penguins.column(6).missingCount(), std::size_t{11});
    QVERIFY(penguins.column(7).possiblyCategorical); // year: 2007, 2008, 2009

    const Dataset glass = readDataset(dataPath("glass.arff"));
    const Column& type = glass.column(9);
    QCOMPARE(type.name, std::string("Type"));
    QCOMPARE(type.levels.size(), std::size_t{7}); // declared, one of them never used
    QCOMPARE(summarize(type).distinct, std::size_t{6});
    QCOMPARE(summarize(type).levelCounts.front(), std::make_pair(std::string("build wind non-float"), std::size_t{76}));

    const Dataset breast = readDataset(dataPath("breast-cancer.arff"));
    QCOMPARE(breast.column(4).missingCount(), std::size_t{8}); // node-caps
    QCOMPARE(breast.column(7).missingCount(), std::size_t{1}); // breast-quad
}

void TestReaders::dialects_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("columns");
    QTest::addColumn<QString>("lastCell"); // text of the last column in the last row
    QTest::addColumn<char>("delimiter");

    QTest::newRow("comma") << QByteArray("a,b\n1,x\n2,y\n") << 2 << 2 << "y" << ',';
    QTest::newRow("tab") << QByteArray("a\tb\n1\tx\n2\ty\n") << 2 << 2 << "y" << '\t';
    QTest::newRow("semicolon with decimal commas") << QByteArray("a;b\n1,5;x\n2,5;y\n") << 2 << 2 << "y" << ';';
    QTest::newRow("pipe") << QByteArray("a|b|c\n1|2|3\n4|5|6\n") << 2 << 3 << "6" << '|';
    QTest::newRow("CRLF") << QByteArray("a,b\r\n1,x\r\n2,y\r\n") << 2 << 2 << "y" << ',';
    QTest::newRow("CR only") << QByteArray("a,b\r1,x\r2,y\r") << 2 << 2 << "y" << ',';
    QTest::newRow("no final newline") << QByteArray("a,b\n1,x\n2,y") << 2 << 2 << "y" << ',';
    QTest::newRow("UTF-8 BOM") << QByteArray("\xEF\xBB\xBF"
                                             "a,b\n1,x\n2,y\n")
                               << 2 << 2 << "y" << ',';
    QTest::newRow("quoted delimiter") << QByteArray("a,b\n1,\"x,1\"\n2,\"y,2\"\n") << 2 << 2 << "y,2" << ',';
    QTest::newRow("doubled quotes") << QByteArray("a,b\n1,\"say \"\"hi\"\"\"\n2,\"\"\"q\"\"\"\n") << 2 << 2 << "\"q\""
                                    << ',';
    QTest::newRow("newline inside quotes")
        << QByteArray("a,b\n1,\"two\nlines\"\n2,\"three\r\nlines\"\n") << 2 << 2 << "three\r\nlines" << ',';
    QTest::newRow("blank lines skipped") << QByteArray("a,b\n\n1,x\n\n2,y\n\n") << 2 << 2 << "y" << ',';
    QTest::newRow("UTF-8 text") << QByteArray("name,v\nZürich,1\n東京,2\n") << 2 << 2 << "2" << ',';
    QTest::newRow("spaces around quotes") << QByteArray("a,b\n1, \"x\" \n2, \"y\"\n") << 2 << 2 << "y" << ',';
    QTest::newRow("trailing empty field") << QByteArray("a,b\n1,\n2,y\n") << 2 << 2 << "y" << ',';
    QTest::newRow("single column") << QByteArray("value\n1\n2\n3\n") << 3 << 1 << "3" << ',';
    QTest::newRow("aligned with blanks") << QByteArray("a   b  c\n  1   2  x\n 30 4.5  y  \n\n") << 2 << 3 << "y"
                                         << kWhitespace;
    QTest::newRow("blanks and quoted text")
        << QByteArray("x y name\n1 2 \"big red\"\n3\t4 \"small\"\n") << 2 << 3 << "small" << kWhitespace;
    // UCI's auto-mpg.data: padded numbers, then a tab before the car's name.
    QTest::newRow("padded, a tab before the text")
        << QByteArray("mpg  cyl   hp\tname\n18.0   8   130.0\t\"chevrolet chevelle\"\n15.0   8   165.0\t\"buick "
                      "skylark\"\n")
        << 2 << 4 << "buick skylark" << kWhitespace;
    QTest::newRow("tab with two-word text stays tab")
        << QByteArray("name\tage\nJohn Smith\t42\nAnn Lee\t40\n") << 2 << 2 << "40" << '\t';
}

void TestReaders::dialects()
{
    QFETCH(QByteArray, text);
    QFETCH(int, rows);
    QFETCH(int, columns);
    QFETCH(QString, lastCell);
    QFETCH(char, delimiter);
    ReadReport report;
    const Dataset dataset = readText(text.toStdString(), "dialect.csv", {}, &report);
    QCOMPARE(dataset.rowCount(), static_cast<std::size_t>(rows));
    QCOMPARE(dataset.columnCount(), static_cast<std::size_t>(columns));
    QCOMPARE(QString::fromStdString(dataset.column(dataset.columnCount() - 1).textAt(dataset.rowCount() - 1)),
             lastCell);
    QCOMPARE(report.delimiter, delimiter);
    QVERIFY(report.hasHeader);
}

void TestReaders::headerSniffing_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("header");
    QTest::newRow("names over numbers") << QByteArray("x,y\n1,2\n3,4\n") << true;
    QTest::newRow("numbers only") << QByteArray("1,2\n3,4\n5,6\n") << false;
    QTest::newRow("names over text, distinct") << QByteArray("city,country\nParis,France\nRome,Italy\n") << true;
    QTest::newRow("text repeating its first row") << QByteArray("a,b\nc,d\na,b\n") << false;
    QTest::newRow("numeric first row") << QByteArray("5.1,3.5,setosa\n4.9,3.0,setosa\n") << false;
    QTest::newRow("numbers among the names") << QByteArray("id,name,2019\n1,Alice,5\n2,Bob,6\n") << true;
    QTest::newRow("a first row with a blank") << QByteArray("id,,2019\n1,Alice,5\n2,Bob,6\n") << false;
}

void TestReaders::preambles_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("skipRows"); // -1: sniffed
    QTest::addColumn<int>("preamble");
    QTest::addColumn<bool>("header");
    QTest::addColumn<QString>("firstName");
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("columns");

    const QByteArray table = "1.5,2,a\n2.5,3,b\n3.5,4,a\n4.5,5,b\n";
    QTest::newRow("none") << QByteArray("x,y,c\n" + table) << -1 << 0 << true << "x" << 4 << 3;
    QTest::newRow("a title above the header")
        << QByteArray("Sales report\nx,y,c\n" + table) << -1 << 1 << true << "x" << 4 << 3;
    QTest::newRow("notes and a blank line above the header")
        << QByteArray("# made by hand\n# 2024-05-01\n\nx,y,c\n" + table) << -1 << 2 << true << "x" << 4 << 3;
    // scikit-learn's wine_data.csv and breast_cancer.csv: rows, features and class names above the data.
    QTest::newRow("counts and class names above the data")
        << QByteArray("4,2,a,b\n" + table) << -1 << 1 << false << "column_1" << 4 << 3;
    // scikit-learn's boston_house_prices.csv: the counts row has the table's width, with blank cells.
    QTest::newRow("counts with blank cells above the header")
        << QByteArray("4,2,\nx,y,c\n" + table) << -1 << 1 << true << "x" << 4 << 3;
    QTest::newRow("given") << QByteArray("x,y,c\n" + table) << 1 << 1 << false << "column_1" << 4 << 3;
    QTest::newRow("given as none") << QByteArray("Sales,report\nx,y,c\n" + table) << 0 << 0 << true << "Sales" << 0
                                   << 0;
    // R's write.table: no name over the row names.
    QTest::newRow("row names") << QByteArray("\"x\" \"y\"\n\"r1\" 1 2\n\"r2\" 3 4\n\"r3\" 5 6\n") << -1 << 0 << true
                               << "row_name" << 3 << 3;
    QTest::newRow("ragged rows are no preamble")
        << QByteArray("a\nb,c\nd\ne,f\ng\nh,i\n") << -1 << 0 << false << "column_1" << 0 << 0;
}

void TestReaders::preambles()
{
    QFETCH(QByteArray, text);
    QFETCH(int, skipRows);
    QFETCH(int, preamble);
    QFETCH(bool, header);
    QFETCH(QString, firstName);
    QFETCH(int, rows);
    QFETCH(int, columns);
    ReadOptions options;
    if (skipRows >= 0)
        options.skipRows = static_cast<std::size_t>(skipRows);
    ReadReport report;
    if (rows == 0) { // not one table: the first row that breaks it is named
        QVERIFY_THROWS_EXCEPTION(ReadError, readText(text.toStdString(), "notes.csv", options, &report));
        return;
    }
    const Dataset dataset = readText(text.toStdString(), "notes.csv", options, &report);
    QCOMPARE(report.preambleRows, static_cast<std::size_t>(preamble));
    QCOMPARE(report.hasHeader, header);
    QCOMPARE(dataset.rowCount(), static_cast<std::size_t>(rows));
    QCOMPARE(dataset.columnCount(), static_cast<std::size_t>(columns));
    QCOMPARE(QString::fromStdString(dataset.column(0).name), firstName);
    QVERIFY(dataset.column(1).type == ColumnType::Numeric); // no text of the preamble among the numbers
}

void TestReaders::headerSniffing()
{
    QFETCH(QByteArray, text);
    QFETCH(bool, header);
    ReadReport report;
    const Dataset dataset = readText(text.toStdString(), "sniff.csv", {}, &report);
    QCOMPARE(report.hasHeader, header);
    if (!header)
        QCOMPARE(dataset.column(0).name, std::string("column_1"));
}

void TestReaders::typeInference()
{
    const std::string text = "num,int_codes,flag,when,stamp,city,comment\n"
                             "1.5,1,true,2024-01-31,2024-01-31T10:00:00Z,Paris,first remark\n"
                             "-2e3,2,False,2024-02-29,2024-02-29 23:59:59,Rome,second remark\n"
                             "NA,1,yes,,2024-03-01T00:00:00+01:00,Paris,third remark\n"
                             "+4,3,no,2023-12-01,2024-03-01 12:00,Oslo,fourth remark\n";
    ReadOptions options;
    options.maxCategoricalLevels = 3; // so that 4 distinct remarks in 4 rows are free text
    const Dataset dataset = readText(text, "types.csv", options);
    QCOMPARE(typeLetters(dataset), QStringLiteral("nnbddct"));
    QCOMPARE(dataset.column(0).values[1], -2000.0);
    QCOMPARE(dataset.column(0).values[3], 4.0);
    QVERIFY(dataset.column(1).possiblyCategorical);
    QVERIFY(!dataset.column(0).possiblyCategorical);
    QCOMPARE(dataset.column(2).values, (std::vector<double>{1, 0, 1, 0}));
    QCOMPARE(dataset.column(3).values[0], 1706659200.0); // 2024-01-31T00:00:00Z
    QVERIFY(std::isnan(dataset.column(3).values[2]));
    QCOMPARE(dataset.column(4).values[0], 1706695200.0);
    QCOMPARE(dataset.column(4).values[2], 1709247600.0); // midnight at +01:00 is 23:00 UTC the day before
    QCOMPARE(dataset.column(5).levels, (std::vector<std::string>{"Paris", "Rome", "Oslo"}));
}

void TestReaders::decimalComma_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<char>("given"); // ReadOptions::decimalMark
    QTest::addColumn<char>("found"); // ReadReport::decimalMark
    QTest::addColumn<QList<double>>("first"); // the first column, empty when it must not be numeric

    QTest::newRow("semicolons, decimal commas")
        << QByteArray("a;b\n1,5;x\n-2.000,25;y\n3;z\n") << '\0' << ',' << QList<double>{1.5, -2000.25, 3};
    QTest::newRow("tabs, decimal commas")
        << QByteArray("a\tb\n0,125\t1\n1e3\t2\n") << '\0' << ',' << QList<double>{0.125, 1000};
    QTest::newRow("semicolons, decimal points")
        << QByteArray("a;b\n1.5;x\n2.25;y\n") << '\0' << '.' << QList<double>{1.5, 2.25};
    QTest::newRow("semicolons, integers only") << QByteArray("a;b\n1;x\n2;y\n") << '\0' << '.' << QList<double>{1, 2};
    // Both styles in the first rows: no guess; "2,5" is then text and the column is not numeric.
    QTest::newRow("semicolons, both marks") << QByteArray("a;b\n1.5;x\n2,5;y\n") << '\0' << '.' << QList<double>{};
    // With a decimal comma, "1.5" is neither 1.5 nor 15: the column is not numeric rather than wrong.
    QTest::newRow("decimal comma given, a point below")
        << QByteArray("a;b\n1,5;x\n1.5;y\n") << ',' << ',' << QList<double>{};
    QTest::newRow("decimal comma given, grouped thousands")
        << QByteArray("a;b\n1.234,5;x\n12.345.678;y\n") << ',' << ',' << QList<double>{1234.5, 12345678};
    QTest::newRow("commas delimit: never a decimal comma")
        << QByteArray("a,b\n\"1,5\",x\n\"2,5\",y\n") << '\0' << '.' << QList<double>{};
}

void TestReaders::decimalComma()
{
    QFETCH(QByteArray, text);
    QFETCH(char, given);
    QFETCH(char, found);
    QFETCH(QList<double>, first);
    ReadOptions options;
    options.decimalMark = given;
    ReadReport report;
    const Dataset dataset = readText(text.toStdString(), "decimal.csv", options, &report);
    QCOMPARE(report.decimalMark, found);
    QVERIFY(report.hasHeader);
    const Column& column = dataset.column(0);
    if (first.isEmpty()) {
        QVERIFY(column.type != ColumnType::Numeric);
        return;
    }
    QVERIFY(column.type == ColumnType::Numeric);
    QCOMPARE(QList<double>(column.values.begin(), column.values.end()), first);
}

void TestReaders::decimalCommaNumbers()
{
    using tunebench::data::detail::parseNumber;
    QCOMPARE(parseNumber("1,5", ','), std::optional<double>(1.5));
    QCOMPARE(parseNumber(" -1.234.567,25 ", ','), std::optional<double>(-1234567.25));
    QCOMPARE(parseNumber("+12", ','), std::optional<double>(12));
    QCOMPARE(parseNumber(",5", ','), std::optional<double>(0.5));
    QCOMPARE(parseNumber("1,5e-3", ','), std::optional<double>(0.0015));
    QCOMPARE(parseNumber("1.234", ','), std::optional<double>(1234));
    for (const char* bad : {"1.5", "1,2,3", "1.23,4", "1234.567", ".123", "1.,5", "1,5.3", ",", "-", "1,5x", ""})
        QVERIFY2(!parseNumber(bad, ','), bad);
    QCOMPARE(parseNumber("1.5", '.'), std::optional<double>(1.5));
    QVERIFY(!parseNumber("1,5", '.'));
}

void TestReaders::typeOverrides()
{
    ReadOptions options;
    options.typeOverrides["code"] = ColumnType::Categorical;
    options.typeOverrides["n"] = ColumnType::Numeric;
    const Dataset dataset = readText("code,n\n007,1\n010,2\n", "override.csv", options);
    QCOMPARE(name(dataset.column(0).type), name(ColumnType::Categorical));
    QCOMPARE(dataset.column(0).levels, (std::vector<std::string>{"007", "010"})); // leading zeros kept

    try {
        (void)readText("code,n\n007,1\n010,oops\n", "override.csv", options);
        QFAIL("a forced numeric column accepted text");
    } catch (const ReadError& error) {
        QCOMPARE(error.line(), std::size_t{3});
        QCOMPARE(error.column(), std::size_t{5});
        QVERIFY(error.message().find("expected a number") != std::string::npos);
    }
}

void TestReaders::missingTokensAreConfigurable()
{
    const std::string text = "a,b\nNA,x\n-999,?\n1,null\n";
    const Dataset defaults = readText(text);
    QCOMPARE(defaults.column(0).missingCount(), std::size_t{1});
    QCOMPARE(defaults.column(1).missingCount(), std::size_t{2});

    ReadOptions options;
    options.missingTokens = {"-999"};
    const Dataset custom = readText(text, "custom.csv", options);
    QCOMPARE(name(custom.column(0).type), name(ColumnType::Categorical)); // "NA" is now a value
    QCOMPARE(custom.column(0).missingCount(), std::size_t{1});
    QCOMPARE(custom.column(1).missingCount(), std::size_t{0});
}

void TestReaders::duplicateColumnNamesAreMadeUnique()
{
    const Dataset dataset = readText("x,x,x.1,x\n1,2,3,4\n5,6,7,8\n");
    QCOMPARE(dataset.column(0).name, std::string("x"));
    QCOMPARE(dataset.column(1).name, std::string("x.2"));
    QCOMPARE(dataset.column(2).name, std::string("x.1"));
    QCOMPARE(dataset.column(3).name, std::string("x.3"));
}

void TestReaders::malformed_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("message");

    QTest::newRow("ragged row, too few") << QByteArray("a,b,c\n1,2,3\n4,5\n") << "bad.csv" << 3 << 4
                                         << "expected 3 fields (as in the first row), found 2";
    QTest::newRow("ragged row below a title")
        << QByteArray("Title\na,b,c\n" + QByteArray("1,2,3\n").repeated(10) + "1,2\n") << "bad.csv" << 13 << 4
        << "expected 3 fields (as in line 2, the table's first row), found 2";
    QTest::newRow("ragged row, too many")
        << QByteArray("a,b\n1,2\n3,4,5\n") << "bad.csv" << 3 << 5 << "expected 2 fields (as in the first row), found 3";
    QTest::newRow("one field, then three") << QByteArray("title only\nx,y,z\n") << "bad.csv" << 2 << 3
                                           << "expected 1 field (as in the first row), found 3";
    QTest::newRow("unterminated quote") << QByteArray("a,b\n1,2\n3,\"open\n4,5\n") << "bad.csv" << 3 << 3
                                        << "unterminated quoted field";
    QTest::newRow("text after closing quote") << QByteArray("a,b\n1,\"x\"y\n") << "bad.csv" << 2 << 6
                                              << "expected a delimiter or the end of the line after a closing quote";
    QTest::newRow("invalid UTF-8") << QByteArray("a,b\n1,ok\n2,caf\xE9\n") << "bad.csv" << 3 << 3 << "invalid UTF-8";
    QTest::newRow("UTF-16") << QByteArray("\xFF\xFE"
                                          "a\0,\0b\0",
                                          8)
                            << "bad.csv" << 1 << 1 << "UTF-16";
    QTest::newRow("empty") << QByteArray("") << "empty.csv" << 0 << 0 << "the file is empty";
    QTest::newRow("whitespace only") << QByteArray("\n\n  \n") << "empty.csv" << 0 << 0 << "the file is empty";
    QTest::newRow("arff undeclared nominal") << QByteArray("@relation r\n@attribute a numeric\n@attribute c {x,y}\n"
                                                           "@data\n1,x\n2,z\n")
                                             << "bad.arff" << 6 << 3 << "value \"z\" is not one of the declared";
    QTest::newRow("arff bad number") << QByteArray("@relation r\n@attribute a numeric\n@attribute c {x,y}\n"
                                                   "@data\n1,x\n% comment\nabc,y\n")
                                     << "bad.arff" << 7 << 1 << "expected a number, found \"abc\"";
    QTest::newRow("arff too few values") << QByteArray(
        "@relation r\n@attribute a numeric\n@attribute b numeric\n@data\n1\n")
                                         << "bad.arff" << 5 << 2 << "expected 2 values, found 1";
    QTest::newRow("arff unknown type") << QByteArray("@relation r\n@attribute a blob\n@data\n") << "bad.arff" << 2 << 14
                                       << "unknown attribute type 'blob'";
    QTest::newRow("arff no data") << QByteArray("@relation r\n@attribute a numeric\n") << "bad.arff" << 2 << 0
                                  << "no @data section";
    QTest::newRow("arff unterminated quote") << QByteArray("@relation r\n@attribute s string\n@data\n'abc\n")
                                             << "bad.arff" << 4 << 1 << "unterminated quoted value";
    QTest::newRow("libsvm bad pair") << QByteArray("1 1:0.5 2:0.25\n0 1:0.1 oops\n") << "bad.libsvm" << 2 << 9
                                     << "expected index:value";
    QTest::newRow("libsvm decreasing index")
        << QByteArray("1 3:1 2:1\n") << "bad.libsvm" << 1 << 7 << "feature indices must increase";
    QTest::newRow("libsvm too wide to hold densely") << QByteArray("+101 2:1 000000063122582:12\n") << "wide.libsvm"
                                                     << 0 << 0 << "too large to hold as a dense table";
    QTest::newRow("libsvm bad label") << QByteArray("pos 1:1\n") << "bad.libsvm" << 1 << 1
                                      << "expected a numeric label";
}

void TestReaders::malformed()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, name);
    QFETCH(int, line);
    QFETCH(int, column);
    QFETCH(QString, message);
    try {
        (void)readText(text.toStdString(), name.toUtf8().constData());
        QFAIL("malformed input was accepted");
    } catch (const ReadError& error) {
        QCOMPARE(QString::fromStdString(error.file()), name);
        QCOMPARE(error.line(), static_cast<std::size_t>(line));
        QCOMPARE(error.column(), static_cast<std::size_t>(column));
        QVERIFY2(QString::fromStdString(error.message()).contains(message), error.what());
        QVERIFY(QString::fromUtf8(error.what()).startsWith(name + QLatin1Char(':')));
    }
}

void TestReaders::skipBadRows()
{
    ReadOptions options;
    options.skipBadRows = true;
    options.typeOverrides["n"] = ColumnType::Numeric;
    ReadReport report;
    const Dataset dataset = readText("n,s\n1,a\n2\nx,b\n3,c\n4,d,e\n5,e\n", "skip.csv", options, &report);
    QCOMPARE(dataset.rowCount(), std::size_t{3});
    QCOMPARE(dataset.column(0).values, (std::vector<double>{1, 3, 5}));
    QCOMPARE(dataset.column(1).textAt(2), std::string("e"));
    QCOMPARE(report.skippedRows, std::size_t{3});
    QCOMPARE(report.skipped.size(), std::size_t{3});
    QVERIFY(QString::fromStdString(report.skipped[1]).startsWith(QLatin1String("line 4, column 1:")));
}

void TestReaders::arffFeatures()
{
    const std::string text = "% leading comment\n"
                             "@RELATION 'my relation'\n"
                             "@attribute 'petal length' real\n"
                             "@attribute \"kind\" {'type a', \"type b\", c}\n"
                             "@attribute note string\n"
                             "@attribute seen date \"yyyy-MM-dd HH:mm\"\n"
                             "@attribute count integer\n"
                             "\n@data\n"
                             "1.5,'type a','it\\'s fine',\"2024-05-01 10:30\",3\n"
                             "% a comment between rows\n"
                             "?, \"type b\" , 'say \\'hi\\'', ?, 4\n"
                             "2.5,c,plain,'2024-05-02 00:00',?\n";
    const Dataset dataset = readText(text, "features.arff");
    QCOMPARE(dataset.rowCount(), std::size_t{3});
    QCOMPARE(typeLetters(dataset), QStringLiteral("nctdn"));
    QCOMPARE(dataset.column(0).name, std::string("petal length"));
    QVERIFY(std::isnan(dataset.column(0).values[1]));
    QCOMPARE(dataset.column(1).levels, (std::vector<std::string>{"type a", "type b", "c"}));
    QCOMPARE(dataset.column(1).codes, (std::vector<std::int32_t>{0, 1, 2}));
    QCOMPARE(dataset.column(2).textAt(0), std::string("it's fine"));
    QCOMPARE(dataset.column(2).textAt(1), std::string("say 'hi'"));
    QCOMPARE(dataset.column(3).values[0], 1714559400.0);
    QVERIFY(std::isnan(dataset.column(3).values[1]));
    QVERIFY(std::isnan(dataset.column(4).values[2]));
}

void TestReaders::arffSparse()
{
    const std::string text = "@relation sparse\n@attribute a numeric\n@attribute b numeric\n@attribute c {x,y}\n"
                             "@data\n{0 1.5, 2 y}\n{1 -2}\n{}\n";
    const Dataset dataset = readText(text, "sparse.arff");
    QCOMPARE(dataset.rowCount(), std::size_t{3});
    QCOMPARE(dataset.column(0).values, (std::vector<double>{1.5, 0, 0}));
    QCOMPARE(dataset.column(1).values, (std::vector<double>{0, -2, 0}));
    QCOMPARE(dataset.column(2).codes, (std::vector<std::int32_t>{1, 0, 0})); // absent nominal: the first level
}

void TestReaders::libsvm()
{
    ReadReport report;
    const Dataset dataset = readText("# header comment\n+1 1:0.5 3:2 # trailing\n-1 qid:3 2:1.25\n\n1 3:-1e-3\n",
                                     "data.svm", {}, &report);
    QCOMPARE(name(report.format), name(FileFormat::LibSvm));
    QCOMPARE(dataset.rowCount(), std::size_t{3});
    QCOMPARE(dataset.columnCount(), std::size_t{4});
    QCOMPARE(dataset.column(0).name, std::string("f1"));
    QCOMPARE(dataset.column(0).values, (std::vector<double>{0.5, 0, 0}));
    QCOMPARE(dataset.column(1).values, (std::vector<double>{0, 1.25, 0}));
    QCOMPARE(dataset.column(2).values, (std::vector<double>{2, 0, -0.001}));
    QCOMPARE(dataset.column(3).name, std::string("label"));
    QCOMPARE(dataset.column(3).values, (std::vector<double>{1, -1, 1}));
    QCOMPARE(name(detectTask(dataset.column(3))), name(Task::Binary));
    // Content sniffing recognises LIBSVM without the extension.
    const Dataset sniffed = readText("1 1:1 2:2\n0 2:3\n", "noextension");
    QCOMPARE(sniffed.columnCount(), std::size_t{3});
}

void TestReaders::gzipInMemoryAndTruncated()
{
    std::ifstream file(dataPath("digits.csv.gz"), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    const Dataset dataset = readText(bytes, "digits.csv.gz");
    QCOMPARE(dataset.rowCount(), std::size_t{1797});
    try {
        (void)readText(bytes.substr(0, bytes.size() / 2), "digits.csv.gz");
        QFAIL("a truncated gzip file was accepted");
    } catch (const ReadError& error) {
        QVERIFY2(QString::fromUtf8(error.what()).contains(QLatin1String("truncated")), error.what());
    }
}

void TestReaders::recordsSpanningChunks()
{
    // Several MB, so records, quotes and CRLF pairs fall across the 1 MB chunk boundaries.
    std::string text = "id,label,value\r\n";
    constexpr int kRows = 60000;
    for (int i = 0; i < kRows; ++i) {
        text += std::to_string(i) + ",\"row " + std::to_string(i) + ",\nwith \"\"quotes\"\"\","
            + std::to_string(i * 0.5) + "\r\n";
    }
    QTemporaryDir dir;
    const std::string path = dir.filePath(QStringLiteral("big.csv")).toStdString();
    std::ofstream(path, std::ios::binary) << text;
    ReadOptions options;
    options.maxCategoricalLevels = 10;
    const Dataset dataset = readDataset(path, options);
    QCOMPARE(dataset.rowCount(), std::size_t{kRows});
    for (int i = 0; i < kRows; i += 997) {
        QCOMPARE(dataset.column(0).values[static_cast<std::size_t>(i)], double(i));
        QCOMPARE(dataset.column(1).textAt(static_cast<std::size_t>(i)),
                 "row " + std::to_string(i) + ",\nwith \"quotes\"");
        QCOMPARE(dataset.column(2).values[static_cast<std::size_t>(i)], i * 0.5);
    }
    QCOMPARE(name(dataset.column(1).type), name(ColumnType::Text));
}

void TestReaders::hugeField()
{
    // A 10 MB field is larger than the read window, which must grow to hold it.
    const std::string big(10 * 1024 * 1024, 'x');
    const Dataset dataset = readText("a,b\n1,\"" + big + "\"\n2,small\n", "huge.csv");
    QCOMPARE(dataset.rowCount(), std::size_t{2});
    QCOMPARE(dataset.column(1).textAt(0).size(), big.size());
}

void TestReaders::fileLargerThanMemoryIsRefused_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("size");
    QTest::newRow("csv") << "breast_cancer.csv"
                         << "120 kB";
    QTest::newRow("gzip, by the size in its trailer") << "digits.csv.gz"
                                                      << "265 kB";
}

void TestReaders::fileLargerThanMemoryIsRefused()
{
    // Memory as scarce as a file larger than it: a budget below the file's size (TUNEBENCH_MEMORY_LIMIT, which
    // lowers what the system reports) refuses it before parsing, with the sizes; a budget above it reads it.
    QFETCH(QString, file);
    QFETCH(QString, size);
    const std::string path = std::string(TUNEBENCH_TEST_DATA "/") + file.toStdString();
    qputenv("TUNEBENCH_MEMORY_LIMIT", "100k");
    try {
        (void)readDataset(path);
        qunsetenv("TUNEBENCH_MEMORY_LIMIT");
        QFAIL("a file larger than the memory was read");
    } catch (const ReadError& error) {
        qunsetenv("TUNEBENCH_MEMORY_LIMIT");
        const QString message = QString::fromUtf8(error.what());
        QVERIFY2(message.contains(
                     QStringLiteral("the file holds %1 of data and only 100 kB of memory is available").arg(size)),
                 qPrintable(message));
    }
    qputenv("TUNEBENCH_MEMORY_LIMIT", "2M");
    const Dataset dataset = readDataset(path);
    qunsetenv("TUNEBENCH_MEMORY_LIMIT");
    QVERIFY(dataset.rowCount() > 500);
}

void TestReaders::progressAndCancel()
{
    std::string text = "a,b\n";
    for (int i = 0; i < 400000; ++i)
        text += std::to_string(i) + "," + std::to_string(i % 7) + "\n";
    std::vector<double> fractions;
    ReadOptions options;
    options.progress = [&](double fraction) { fractions.push_back(fraction); };
    (void)readText(text, "progress.csv", options);
    QVERIFY(fractions.size() >= 3);
    QVERIFY(std::is_sorted(fractions.begin(), fractions.end()));
    QCOMPARE(fractions.back(), 1.0);

    ReadOptions cancelling;
    cancelling.progress = [&](double) { cancelling.cancel.cancel(); };
    QVERIFY_THROWS_EXCEPTION(tunebench::util::Cancelled, (void)readText(text, "cancel.csv", cancelling));
}

void TestReaders::numbersAreCorrectlyRounded()
{
    // Random decimals of every length, with and without exponents, against glibc's correctly rounded strtod:
    // the tokenizer's one-pass path, parseNumber's fast path and the from_chars fallback must all agree.
    std::mt19937_64 random(42);
    std::vector<std::string> cells;
    for (int i = 0; i < 20000; ++i) {
        std::string text = (random() % 3 == 0) ? "-" : "";
        const int integerDigits = static_cast<int>(random() % 12);
        const int fractionDigits = static_cast<int>(random() % 14);
        for (int d = 0; d < std::max(integerDigits, 1); ++d)
            text += static_cast<char>('0' + random() % 10);
        if (fractionDigits > 0) {
            text += '.';
            for (int d = 0; d < fractionDigits; ++d)
                text += static_cast<char>('0' + random() % 10);
        }
        if (random() % 4 == 0)
            text.append(1, 'e').append(std::to_string(static_cast<int>(random() % 80) - 40));
        cells.push_back(text);
    }
    cells.insert(cells.end(),
                 {"0.1", "9007199254740993", "12345678901234567890", "1e22", "1e23", "4.9e-324",
                  "1.7976931348623157e308", "0.30000000000000004", "-0", "+7"});
    std::string csv = "a,b\n";
    for (std::size_t i = 0; i + 1 < cells.size(); i += 2)
        csv += cells[i] + ',' + cells[i + 1] + '\n';
    ReadOptions options;
    options.header = ReadOptions::Header::Present;
    const Dataset dataset = readText(csv, "numbers.csv", options);
    QCOMPARE(name(dataset.column(0).type), name(ColumnType::Numeric));
    QCOMPARE(name(dataset.column(1).type), name(ColumnType::Numeric));
    for (std::size_t i = 0; i + 1 < cells.size(); ++i) {
        const double expected = std::strtod(cells[i].c_str(), nullptr);
        const double read = dataset.column(i % 2).values[i / 2];
        QVERIFY2(std::memcmp(&expected, &read, sizeof(double)) == 0, cells[i].c_str());
        // Quoted, the same text takes the builder's path instead of the tokenizer's.
        const auto parsed = tunebench::data::detail::parseNumber(cells[i]);
        QVERIFY2(parsed && std::memcmp(&expected, &*parsed, sizeof(double)) == 0, cells[i].c_str());
    }
}

void TestReaders::summaries()
{
    const Dataset dataset = readText("x,c\n1,a\n2,b\n3,a\nNA,\n4,a\n");
    const ColumnSummary x = summarize(dataset.column(0));
    QCOMPARE(x.count, std::size_t{4});
    QCOMPARE(x.missing, std::size_t{1});
    QCOMPARE(x.distinct, std::size_t{4});
    QCOMPARE(x.min, 1.0);
    QCOMPARE(x.max, 4.0);
    QCOMPARE(x.mean, 2.5);
    QVERIFY(std::abs(x.stddev - std::sqrt(5.0 / 3.0)) < 1e-12);
    const ColumnSummary c = summarize(dataset.column(1));
    QCOMPARE(c.missing, std::size_t{1});
    QCOMPARE(c.levelCounts.front(), std::make_pair(std::string("a"), std::size_t{3}));

    const QJsonObject info = describeDataset(dataset);
    QCOMPARE(info.value(QStringLiteral("rows")).toInteger(), 5);
    QCOMPARE(info.value(QStringLiteral("target")).toString(), QStringLiteral("c"));
}

void TestReaders::targetAndTask_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("task");
    QTest::newRow("breast_cancer.csv") << "breast_cancer.csv"
                                       << "target"
                                       << "binary";
    QTest::newRow("iris.csv") << "iris.csv"
                              << "target"
                              << "multiclass";
    QTest::newRow("digits.csv.gz") << "digits.csv.gz"
                                   << "target"
                                   << "multiclass";
    QTest::newRow("diabetes.arff") << "diabetes.arff"
                                   << "class"
                                   << "binary";
    QTest::newRow("glass.arff") << "glass.arff"
                                << "Type"
                                << "multiclass";
    QTest::newRow("penguins.csv, the first column") << "penguins.csv"
                                                    << "species"
                                                    << "multiclass";
    QTest::newRow("breast-cancer.arff") << "breast-cancer.arff"
                                        << "Class"
                                        << "binary";
    QTest::newRow("cpu.arff") << "cpu.arff"
                              << "class"
                              << "regression";
    QTest::newRow("titanic.arff.gz, named") << "titanic.arff.gz"
                                            << "survived"
                                            << "binary";
}

void TestReaders::targetAndTask()
{
    QFETCH(QString, file);
    QFETCH(QString, target);
    QFETCH(QString, task);
    const Dataset dataset = readDataset(dataPath(file.toUtf8().constData()));
    const auto index = suggestTarget(dataset);
    QVERIFY(index);
    QCOMPARE(QString::fromStdString(dataset.column(*index).name), target);
    QCOMPARE(QString::fromUtf8(toString(detectTask(dataset.column(*index))).data()), task);
}

void TestReaders::suggestedTargetSkipsTextAndBlankColumns()
{
    // Titanic without its "survived": the last column is text, the one before mostly blank.
    const Dataset titanic = withoutColumns(readDataset(dataPath("titanic.arff.gz")), {"survived"});
    QCOMPARE(titanic.column(*suggestTarget(titanic)).name, std::string("embarked"));
    // Nothing else to choose: the last column after all.
    ReadOptions options;
    options.typeOverrides = {{"a", ColumnType::Text}, {"b", ColumnType::Text}};
    const Dataset text = readDatasetFromMemory("a,b\nx,y\nz,w\n", "text.csv", options);
    QCOMPARE(*suggestTarget(text), std::size_t{1});
}

void TestReaders::writtenCsvReadsBackTheSame_data()
{
    QTest::addColumn<QString>("file");
    for (const char* file : {"penguins.csv", "glass.arff", "iris.arff", "cpu.arff", "breast_cancer.csv"})
        QTest::newRow(file) << QString::fromLatin1(file);
}

void TestReaders::writtenCsvReadsBackTheSame()
{
    QFETCH(QString, file);
    const Dataset original = readDataset(dataPath(file.toStdString().c_str()));
    QTemporaryDir dir;
    const std::string all = dir.filePath(QStringLiteral("all.csv")).toStdString();
    writeCsv(original, all);
    const Dataset copy = readDataset(all);
    QCOMPARE(copy.rowCount(), original.rowCount());
    QCOMPARE(copy.columnCount(), original.columnCount());
    for (std::size_t c = 0; c < original.columnCount(); ++c) {
        const Column& a = original.column(c);
        const Column& b = copy.column(c);
        QCOMPARE(b.name, a.name);
        for (std::size_t row = 0; row < original.rowCount(); ++row) {
            if (a.hasCodes()) {
                const std::string left = a.codes[row] < 0 ? "" : a.levels[static_cast<std::size_t>(a.codes[row])];
                const std::string right = b.hasCodes()
                    ? (b.codes[row] < 0 ? "" : b.levels[static_cast<std::size_t>(b.codes[row])])
                    : (std::isnan(b.values[row]) ? "" : formatNumber(b.values[row]));
                QCOMPARE(right, left);
            } else if (std::isnan(a.values[row])) {
                QVERIFY(b.hasCodes() ? b.codes[row] < 0 : std::isnan(b.values[row]));
            } else {
                QCOMPARE(b.values[row], a.values[row]); // exactly: numbers are written in their shortest exact form
            }
        }
    }
    // A subset of rows, in the order given.
    const std::string some = dir.filePath(QStringLiteral("some.csv")).toStdString();
    writeCsv(original, some, {5, 0, 3});
    const Dataset subset = readDataset(some);
    QCOMPARE(subset.rowCount(), std::size_t{3});
}

void TestReaders::blocksOnThreadsReadAsOnePass_data()
{
    QTest::addColumn<QString>("file"); // from tests/data, or "" for the text below
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("skipBadRows");
    QTest::addColumn<bool>("fails");
    QTest::newRow("breast_cancer.csv") << "breast_cancer.csv" << QByteArray() << false << false;
    QTest::newRow("penguins.csv: text, NA") << "penguins.csv" << QByteArray() << false << false;
    QTest::newRow("iris.csv") << "iris.csv" << QByteArray() << false << false;
    QTest::newRow("digits.csv.gz") << "digits.csv.gz" << QByteArray() << false << false;
    // Quoted fields holding line breaks and delimiters, across block boundaries; CRLF; blank lines.
    QByteArray quoted = "id,note,value\r\n";
    for (int i = 0; i < 300; ++i)
        quoted += QByteArray::number(i) + QByteArray(i % 7 == 0 ? ",\"two\r\nlines, and \"\"quotes\"\"\"," : ",plain,")
            + QByteArray::number(i * 0.25) + QByteArray(i % 50 == 0 ? "\r\n\r\n" : "\r\n");
    QTest::newRow("quoted line breaks") << QString() << quoted << false << false;
    // Columns of numbers that turn to text in later blocks (at rows 150, 155, 160, so that for every block size
    // one turns in the first block of two read side by side), then numbers written two ways ("1.50" is a level
    // of its own once the column is text).
    QByteArray turning = "a,b,c,d\n";
    for (int i = 0; i < 400; ++i) {
        turning += QByteArray::number(i);
        for (const int turn : {150, 155, 160})
            turning += "," + (i < turn ? QByteArray::number(i % 3) + ".50" : QByteArray(i == turn ? "x" : "1.50"));
        turning += "\n";
    }
    QTest::newRow("numbers turn to text") << QString() << turning << false << false;
    // Bad rows in later blocks: skipped with their lines, or the first one stops the read, as in one pass.
    QByteArray bad = "a,b,c\n";
    for (int i = 0; i < 400; ++i)
        bad += i % 97 == 5 ? QByteArray("1,2\n") : QByteArray::number(i) + ",2,3\n";
    QTest::newRow("bad rows skipped") << QString() << bad << true << false;
    QTest::newRow("bad row stops") << QString() << bad << false << true;
    QByteArray broken = "a,b\n";
    for (int i = 0; i < 300; ++i)
        broken += QByteArray::number(i) + ",2\n";
    broken += "7,\"never closed\n8,9\n";
    QTest::newRow("broken quote") << QString() << broken << false << true;
}

void TestReaders::blocksOnThreadsReadAsOnePass()
{
    // Large files are parsed in blocks on several threads (ReadOptions::threads, blockBytes). With blocks of a
    // few hundred bytes every file here crosses dozens of block boundaries; the table, the skipped rows and
    // the errors (file, line, column) must be those of reading it in one pass.
    QFETCH(QString, file);
    QFETCH(QByteArray, text);
    QFETCH(bool, skipBadRows);
    QFETCH(bool, fails);
    std::string bytes = text.toStdString();
    if (!file.isEmpty()) { // the real table, as our writer writes it (gzip undone)
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("copy.csv")).toStdString();
        writeCsv(readDataset(dataPath(file.toUtf8().constData())), path);
        std::ifstream in(path, std::ios::binary);
        bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    if (!file.isEmpty()) { // the file itself, gzip-compressed or not: decompressed in one stream, parsed in blocks
        ReadOptions one;
        one.threads = 1;
        ReadOptions blocks;
        blocks.threads = 2;
        blocks.blockBytes = 2000;
        const std::string path = dataPath(file.toUtf8().constData());
        const std::string difference = differences(readDataset(path, one), readDataset(path, blocks));
        QVERIFY2(difference.empty(), difference.c_str());
    }
    for (const std::size_t blockBytes : {std::size_t{64}, std::size_t{333}, std::size_t{4096}}) {
        const TwoReadings both = readBothWays(bytes, blockBytes, skipBadRows);
        QCOMPARE(both.blocks, both.onePass);
        QCOMPARE(!both.onePass.empty(), fails);
        if (fails)
            continue;
        QVERIFY2(both.first.rowCount() > 100, file.toUtf8().constData());
        const std::string difference = differences(both.first, both.second);
        QVERIFY2(difference.empty(), difference.c_str());
        QCOMPARE(both.secondReport.skipped, both.firstReport.skipped);
        QCOMPARE(both.secondReport.skippedRows, both.firstReport.skippedRows);
        QCOMPARE(both.secondReport.bytesRead, both.firstReport.bytesRead);
    }
}

QTEST_GUILESS_MAIN(TestReaders)
void TestReaders::readSettingsInJsonAndWords_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("words");
    QTest::newRow("nothing set") << QByteArray("{}") << "sniffed";
    QTest::newRow("aligned, no header") << QByteArray(R"({"delimiter":"whitespace","header":false})")
                                        << "delimiter whitespace, no header";
    QTest::newRow("european, notes above")
        << QByteArray(R"({"decimal":",","delimiter":";","header":true,"skip_rows":3})")
        << "delimiter ';', decimal comma, header, 3 rows above the table left out";
    QTest::newRow("tab, missing dashes") << QByteArray(R"({"delimiter":"tab","missing":["-","--"],"skip_rows":1})")
                                         << "delimiter tab, 1 row above the table left out, missing: -, --";
    QTest::newRow("no missing token") << QByteArray(R"({"missing":[]})") << "missing: empty cells only";
}

void TestReaders::readSettingsInJsonAndWords()
{
    // What a project and a spec keep reads back to the same settings, and a reading with them matches it.
    QFETCH(QByteArray, json);
    QFETCH(QString, words);
    const QJsonObject object = QJsonDocument::fromJson(json).object();
    const ReadSettings settings = readSettingsFromJson(object);
    QCOMPARE(toJson(settings), object);
    QCOMPARE(QString::fromStdString(describe(settings)), words);
    ReadOptions options;
    settings.applyTo(options);
    QVERIFY(ReadSettings::of(options) == settings);
}

#include "tst_readers.moc"

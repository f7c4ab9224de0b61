// Renders each main view with the demo project to PNG files, for the README and for people to look at.
// Writes to $TUNEBENCH_SCREENSHOT_DIR (docs/screenshots when run by hand), else to the build folder.

#include <QApplication>
#include <QDir>
#include <QPalette>
#include <QPushButton>
#include <QSignalSpy>
#include <QStyle>
#include <QStyleFactory>
#include <QTemporaryDir>
#include <QTest>

#include "mainwindow.h"
#include "welcomepage.h"

using tunebench::ui::MainWindow;

namespace {

QPalette darkPalette()
{
    QPalette palette;
    palette.setColor(QPalette::Window, QColor(45, 45, 48));
    palette.setColor(QPalette::WindowText, QColor(230, 230, 230));
    palette.setColor(QPalette::Base, QColor(30, 30, 32));
    palette.setColor(QPalette::AlternateBase, QColor(45, 45, 48));
    palette.setColor(QPalette::Text, QColor(230, 230, 230));
    palette.setColor(QPalette::Button, QColor(60, 60, 64));
    palette.setColor(QPalette::ButtonText, QColor(230, 230, 230));
    palette.setColor(QPalette::Highlight, QColor(42, 130, 218));
    palette.setColor(QPalette::HighlightedText, Qt::white);
    return palette;
}

} // namespace

class TestScreenshots : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void mainWindow_data();
    void mainWindow();

private:
    QDir m_out;
    QTemporaryDir m_work;
};

void TestScreenshots::initTestCase()
{
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    const QString dir
        = qEnvironmentVariable("TUNEBENCH_SCREENSHOT_DIR", QDir::currentPath() + QStringLiteral("/screenshots"));
    QVERIFY(QDir().mkpath(dir));
    m_out = QDir(dir);
}

void TestScreenshots::mainWindow_data()
{
    QTest::addColumn<bool>("dark");
    QTest::newRow("light") << false;
    QTest::newRow("dark") << true;
}

void TestScreenshots::mainWindow()
{
    QFETCH(bool, dark);
    QApplication::setPalette(dark ? darkPalette() : QApplication::style()->standardPalette());
    MainWindow window;
    window.resize(1100, 700);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QSignalSpy opened(&window, &MainWindow::projectOpened);
    window.openDemoProject(m_work.filePath(QStringLiteral("demo")));
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 20000);
    QTest::qWait(50); // let the layout settle
    const QString file
        = m_out.filePath(dark ? QStringLiteral("welcome-dark.png") : QStringLiteral("welcome-light.png"));
    QVERIFY(window.grab().save(file));
    QVERIFY(QFileInfo(file).size() > 10000);
}

QTEST_MAIN(TestScreenshots)
#include "tst_screenshots.moc"

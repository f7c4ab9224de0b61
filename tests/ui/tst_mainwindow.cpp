// The main window with real widgets, a real worker thread and a real project file.

#include <QApplication>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

#include "mainwindow.h"
#include "welcomepage.h"

using tunebench::ui::MainWindow;

namespace {

QStringList childTexts(const QTreeWidgetItem* item)
{
    QStringList texts;
    for (int i = 0; i < item->childCount(); ++i)
        texts << item->child(i)->text(0);
    return texts;
}

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("TunebenchTests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_mainwindow"));
    }
    void startsOnTheWelcomePage();
    void opensTheDemoProjectInTheBackground();
    void remembersRecentProjects();

private:
    QTemporaryDir m_dir;
};

void TestMainWindow::startsOnTheWelcomePage()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto* tabs = window.findChild<QTabWidget*>();
    QVERIFY(tabs);
    QCOMPARE(tabs->currentWidget(), window.welcomePage());
    QVERIFY(window.welcomePage()->openDemoButton()->isEnabled());
    QCOMPARE(window.explorer()->topLevelItem(0)->text(0), QStringLiteral("(no project open)"));
}

void TestMainWindow::opensTheDemoProjectInTheBackground()
{
    MainWindow window;
    window.show();
    QSignalSpy opened(&window, &MainWindow::projectOpened);
    window.openDemoProject(m_dir.filePath(QStringLiteral("demo")));
    // The work runs on a pool thread: the button is disabled until it is done, and the GUI stays live.
    QVERIFY(!window.welcomePage()->openDemoButton()->isEnabled());
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 20000);
    QVERIFY(window.welcomePage()->openDemoButton()->isEnabled());
    QCOMPARE(window.projectPath(), m_dir.filePath(QStringLiteral("demo/demo.tbproj")));
    const QTreeWidgetItem* root = window.explorer()->topLevelItem(0);
    QCOMPARE(root->text(0), QStringLiteral("demo.tbproj"));
    const QStringList datasets = childTexts(root->child(0));
    QCOMPARE(datasets.size(), 3);
    QVERIFY(datasets.contains(QStringLiteral("breast_cancer.csv  (569 × 31)")));
    QVERIFY(datasets.contains(QStringLiteral("penguins.csv  (344 × 8)")));
    QVERIFY(window.windowTitle().startsWith(QLatin1String("demo.tbproj")));
}

void TestMainWindow::remembersRecentProjects()
{
    const QString project = m_dir.filePath(QStringLiteral("recent.tbproj"));
    {
        MainWindow window;
        QVERIFY(window.openProject(project));
    }
    MainWindow window;
    auto* recent = window.welcomePage()->findChild<QListWidget*>(QStringLiteral("recentProjects"));
    QVERIFY(recent);
    QVERIFY(recent->count() >= 1);
    QCOMPARE(recent->item(0)->data(Qt::UserRole).toString(), project);
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"

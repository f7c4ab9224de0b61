#include "mainwindow.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QToolBar>
#include <QTreeWidget>
#include <QtConcurrent/QtConcurrentRun>

#include "store/datasetregistry.h"
#include "store/projectstore.h"
#include "welcomepage.h"

namespace tunebench::ui {

namespace {

constexpr int kMaxRecent = 8;
const QString kProjectFilter = QStringLiteral("Tunebench projects (*.tbproj)");

} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_tabs(new QTabWidget(this))
    , m_welcome(new WelcomePage(this))
    , m_explorer(new QTreeWidget(this))
    , m_statusProject(new QLabel(tr("No project open"), this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("Tunebench"));
    m_tabs->setDocumentMode(true);
    m_tabs->setTabsClosable(false);
    m_tabs->addTab(m_welcome, tr("Welcome"));
    setCentralWidget(m_tabs);

    m_explorer->setObjectName(QStringLiteral("projectExplorer"));
    m_explorer->setHeaderLabels({tr("Project")});
    m_explorer->header()->setStretchLastSection(true);
    auto* explorerDock = new QDockWidget(tr("Project"), this);
    explorerDock->setObjectName(QStringLiteral("projectDock"));
    explorerDock->setWidget(m_explorer);
    addDockWidget(Qt::LeftDockWidgetArea, explorerDock);

    statusBar()->addWidget(m_statusProject, 1);
    createActions();
    m_welcome->setRecentProjects(recentProjects());

    connect(m_welcome, &WelcomePage::openDemoRequested, this, [this] {
        openDemoProject(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/demo"));
    });
    connect(m_welcome, &WelcomePage::recentProjectChosen, this, &MainWindow::openProject);

    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    if (!settings.contains(QStringLiteral("window/geometry")))
        resize(1100, 700);
    refreshExplorer();
}

MainWindow::~MainWindow() = default;

void MainWindow::createActions()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* newProject = file->addAction(tr("&New Project..."), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("New Project"), QString(), kProjectFilter);
        if (!path.isEmpty())
            openProject(path.endsWith(QLatin1String(".tbproj")) ? path : path + QStringLiteral(".tbproj"));
    });
    newProject->setShortcut(QKeySequence::New);
    QAction* open = file->addAction(tr("&Open Project..."), this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open Project"), QString(), kProjectFilter);
        if (!path.isEmpty())
            openProject(path);
    });
    open->setShortcut(QKeySequence::Open);
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    connect(m_welcome, &WelcomePage::newProjectRequested, newProject, &QAction::trigger);
    connect(m_welcome, &WelcomePage::openProjectRequested, open, &QAction::trigger);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Tunebench"), this, [this] {
        QMessageBox::about(this, tr("About Tunebench"),
                           tr("<b>Tunebench %1</b><p>A desktop workbench for machine-learning experiments.</p>")
                               .arg(QStringLiteral(TUNEBENCH_VERSION)));
    });

    QToolBar* toolbar = addToolBar(tr("Main"));
    toolbar->setObjectName(QStringLiteral("mainToolbar"));
    toolbar->addAction(newProject);
    toolbar->addAction(open);
}

bool MainWindow::openProject(const QString& path)
{
    try {
        m_project = store::ProjectStore::open(path.toStdString());
    } catch (const std::exception& error) {
        QMessageBox::critical(this, tr("Cannot open project"), QString::fromStdString(error.what()));
        return false;
    }
    m_projectPath = QFileInfo(path).absoluteFilePath();
    setWindowTitle(tr("%1 — Tunebench").arg(QFileInfo(path).fileName()));
    m_statusProject->setText(m_projectPath);
    rememberRecent(m_projectPath);
    refreshExplorer();
    Q_EMIT projectOpened(m_projectPath);
    return true;
}

void MainWindow::openDemoProject(const QString& directory)
{
    m_welcome->openDemoButton()->setEnabled(false);
    statusBar()->showMessage(tr("Preparing the demo project..."));
    auto* watcher = new QFutureWatcher<QString>(this);
    connect(watcher, &QFutureWatcher<QString>::finished, this, [this, watcher] {
        watcher->deleteLater();
        m_welcome->openDemoButton()->setEnabled(true);
        statusBar()->clearMessage();
        const QString result = watcher->result();
        if (result.startsWith(QLatin1String("error:")))
            QMessageBox::critical(this, tr("Cannot create the demo project"), result.mid(6));
        else
            openProject(result);
    });
    // Reading and recording the demo datasets is file and database work: never on the GUI thread.
    watcher->setFuture(QtConcurrent::run([directory]() -> QString {
        try {
            const auto demo = store::createDemoProject(directory.toStdString());
            return QString::fromStdString(demo.projectPath.string());
        } catch (const std::exception& error) {
            return QStringLiteral("error:") + QString::fromStdString(error.what());
        }
    }));
}

void MainWindow::refreshExplorer()
{
    m_explorer->clear();
    if (!m_project) {
        new QTreeWidgetItem(m_explorer, {tr("(no project open)")});
        return;
    }
    auto* root = new QTreeWidgetItem(m_explorer, {QFileInfo(m_projectPath).fileName()});
    auto* datasets = new QTreeWidgetItem(root, {tr("Datasets")});
    for (const store::DatasetRecord& record : m_project->datasets()) {
        auto* item = new QTreeWidgetItem(
            datasets,
            {tr("%1  (%2 × %3)").arg(QString::fromStdString(record.name)).arg(record.rows).arg(record.columns)});
        item->setToolTip(0, QString::fromStdString(record.path + "\nSHA-256 " + record.sha256));
    }
    auto* experiments = new QTreeWidgetItem(root, {tr("Experiments")});
    for (const store::ExperimentRecord& record : m_project->experiments())
        new QTreeWidgetItem(experiments, {QString::fromStdString(record.name)});
    m_explorer->expandAll();
}

QStringList MainWindow::recentProjects() const
{
    return QSettings().value(QStringLiteral("recentProjects")).toStringList();
}

void MainWindow::rememberRecent(const QString& path)
{
    QStringList recent = recentProjects();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > kMaxRecent)
        recent.removeLast();
    QSettings().setValue(QStringLiteral("recentProjects"), recent);
    m_welcome->setRecentProjects(recent);
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    event->accept();
}

} // namespace tunebench::ui

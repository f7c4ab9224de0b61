#include "window/mainwindow.h"

#include <memory>
#include <set>

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDesktopServices>
#include <QDirIterator>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QScrollBar>
#include <QSet>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QToolBar>
#include <QTreeWidget>
#include <QTreeWidgetItemIterator>
#include <QUndoGroup>
#include <QUndoStack>
#include <QUrl>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include "common/progresscallback.h"
#include "common/text.h"
#include "common/workpool.h"
#include "dataset/datasetview.h"
#include "dataset/readsettingsdialog.h"
#include "editor/experimenteditor.h"
#include "evaluation/benchmarkview.h"
#include "evaluation/evaluationview.h"
#include "experiment/experimentrun.h"
#include "experiment/experimentview.h"
#include "experiment/trialview.h"
#include "jobs/analysis.h"
#include "jobs/ownership.h"
#include "report/report.h"
#include "report/reportexport.h"
#include "report/reportpreview.h"
#include "store/datasetregistry.h"
#include "store/projectstore.h"
#include "store/trust.h"
#include "util/isa.h"
#include "window/jobspanel.h"
#include "window/projectcontents.h"
#include "window/welcomepage.h"

namespace tunebench::ui {

namespace {

constexpr int kMaxRecent = 8;
const QString kProjectFilter = QStringLiteral("Tunebench projects (*.tbproj)");
const QString kDataFilter = QStringLiteral("Data files (*.csv *.tsv *.arff *.libsvm *.svm *.txt *.gz);;All files (*)");
const QString kSpecFilter = QStringLiteral("Experiment specs (*.json);;All files (*)");

enum ExplorerRole
{
    KindRole = Qt::UserRole + 1,
    IdRole,
    NameRole,
    NumberRole,
};

bool isDataFile(const QString& path)
{
    static const QStringList suffixes{QStringLiteral(".csv"),    QStringLiteral(".tsv"), QStringLiteral(".arff"),
                                      QStringLiteral(".libsvm"), QStringLiteral(".svm"), QStringLiteral(".txt")};
    QString name = path.toLower();
    if (name.endsWith(QLatin1String(".gz")))
        name.chop(3);
    return std::any_of(suffixes.begin(), suffixes.end(), [&](const QString& s) { return name.endsWith(s); });
}

/// Files to import from dropped or chosen paths: files as given, folders' data files (recursively).
QStringList expandDataPaths(const QStringList& paths)
{
    QStringList files;
    for (const QString& path : paths) {
        const QFileInfo info(path);
        if (info.isDir()) {
            QDirIterator it(path, QDir::Files, QDirIterator::Subdirectories);
            QStringList inside;
            while (it.hasNext()) {
                const QString file = it.next();
                if (isDataFile(file))
                    inside << file;
            }
            inside.sort();
            files << inside;
        } else if (info.isFile())
            files << info.absoluteFilePath();
    }
    return files;
}

struct ImportOutcome
{
    QString path;
    std::optional<store::DatasetRecord> record;
    bool alreadyPresent = false;
    bool cancelled = false;
    QString error;
};

struct DemoOutcome
{
    QString projectPath;
    QStringList specs;
    QString error;
};

} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_tabs(new QTabWidget(this))
    , m_welcome(new WelcomePage(this))
    , m_explorer(new QTreeWidget(this))
    , m_jobs(new JobsPanel(this))
    , m_infoBar(new QWidget(this))
    , m_infoText(new QLabel(m_infoBar))
    , m_infoResume(new QPushButton(tr("Resume"), m_infoBar))
    , m_statusProject(new QLabel(tr("No project open"), this))
    , m_statusRuns(new QLabel(this))
    , m_undoGroup(new QUndoGroup(this))
    , m_confirm([this](const QString& title, const QString& text) {
        return QMessageBox::question(this, title, text, QMessageBox::Yes | QMessageBox::No, QMessageBox::No)
            == QMessageBox::Yes;
    })
    , m_watch(new QTimer(this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("Tunebench"));
    setAcceptDrops(true);
    m_tabs->setObjectName(QStringLiteral("documents"));
    m_tabs->setDocumentMode(true);
    m_tabs->setTabsClosable(true);
    m_tabs->setMovable(true);
    m_tabs->addTab(m_welcome, tr("Welcome"));

    // The interrupted-experiment bar sits above the documents; hidden until needed.
    m_infoBar->setObjectName(QStringLiteral("infoBar"));
    m_infoBar->setAutoFillBackground(true);
    QPalette infoPalette = m_infoBar->palette();
    infoPalette.setColor(QPalette::Window, QColor(240, 190, 60, 90));
    m_infoBar->setPalette(infoPalette);
    m_infoResume->setObjectName(QStringLiteral("infoResume"));
    auto* dismiss = new QPushButton(tr("Dismiss"), m_infoBar);
    auto* infoLayout = new QHBoxLayout(m_infoBar);
    infoLayout->setContentsMargins(8, 4, 8, 4);
    infoLayout->addWidget(m_infoText, 1);
    infoLayout->addWidget(m_infoResume);
    infoLayout->addWidget(dismiss);
    m_infoBar->hide();
    connect(dismiss, &QPushButton::clicked, m_infoBar, &QWidget::hide);
    connect(m_infoResume, &QPushButton::clicked, this, [this] {
        m_infoBar->hide();
        for (const QString& name : interruptedExperiments())
            resumeExperiment(name);
        showInterrupted(); // what was not resumed (not trusted, say) stays on offer
    });
    auto* centre = new QWidget(this);
    auto* centreLayout = new QVBoxLayout(centre);
    centreLayout->setContentsMargins(0, 0, 0, 0);
    centreLayout->setSpacing(0);
    centreLayout->addWidget(m_infoBar);
    centreLayout->addWidget(m_tabs, 1);
    setCentralWidget(centre);

    m_explorer->setObjectName(QStringLiteral("projectExplorer"));
    m_explorer->setHeaderLabels({tr("Project")});
    m_explorer->header()->setStretchLastSection(true);
    m_explorer->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_explorer->setContextMenuPolicy(Qt::CustomContextMenu);
    auto* explorerDock = new QDockWidget(tr("Project"), this);
    explorerDock->setObjectName(QStringLiteral("projectDock"));
    explorerDock->setWidget(m_explorer);
    addDockWidget(Qt::LeftDockWidgetArea, explorerDock);
    auto* jobsDock = new QDockWidget(tr("Jobs"), this);
    jobsDock->setObjectName(QStringLiteral("jobsDock"));
    jobsDock->setWidget(m_jobs);
    addDockWidget(Qt::BottomDockWidgetArea, jobsDock);
    resizeDocks({jobsDock}, {150}, Qt::Vertical);
    resizeDocks({explorerDock}, {290}, Qt::Horizontal);

    statusBar()->addWidget(m_statusProject, 1);
    statusBar()->addPermanentWidget(m_statusRuns);
    createActions();
    m_welcome->setRecentProjects(recentProjects());

    connect(m_welcome, &WelcomePage::openDemoRequested, this, [this] {
        openDemoProject(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/demo"));
    });
    connect(m_welcome, &WelcomePage::recentProjectChosen, this, &MainWindow::openProject);
    connect(m_explorer, &QTreeWidget::itemActivated, this, &MainWindow::openExplorerItem);
    connect(m_explorer, &QWidget::customContextMenuRequested, this, [this](const QPoint& position) {
        QMenu menu(this);
        if (QTreeWidgetItem* item = m_explorer->itemAt(position))
            menu.addAction(tr("Open"), this, [this, item] { openExplorerItem(item); });
        menu.addAction(tr("Compare Selected"), this, [this] { compareExplorerSelection(); });
        menu.exec(m_explorer->viewport()->mapToGlobal(position));
    });
    connect(m_tabs, &QTabWidget::tabCloseRequested, this, [this](int index) {
        QWidget* widget = m_tabs->widget(index);
        if (widget == m_welcome) {
            m_tabs->removeTab(index);
            return;
        }
        m_tabs->removeTab(index);
        widget->deleteLater();
    });
    connect(m_tabs, &QTabWidget::currentChanged, this, [this] {
        if (ExperimentEditor* editor = currentEditor())
            m_undoGroup->setActiveStack(editor->undoStack());
        else
            m_undoGroup->setActiveStack(nullptr);
    });

    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    if (!settings.contains(QStringLiteral("window/geometry")))
        resize(1280, 800);
    refreshExplorer();
    updateRunStatus();
    m_watch->setInterval(250);
    connect(m_watch, &QTimer::timeout, this, &MainWindow::watchProject);
}

MainWindow::~MainWindow()
{
    // Runs still in flight are cancelled and joined by their destructors; the views go first.
    for (const QPointer<ExperimentRun>& run : m_runs)
        delete run.data();
}

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
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    updateRecentMenu();
    file->addAction(tr("Open &Demo Project"), m_welcome, &WelcomePage::openDemoRequested);
    file->addSeparator();
    QAction* import = file->addAction(tr("&Import Data..."), this, [this] {
        const QStringList paths = QFileDialog::getOpenFileNames(this, tr("Import Data"), QString(), kDataFilter);
        if (!paths.isEmpty())
            importFiles(paths);
    });
    import->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_I));
    QAction* report = file->addAction(tr("&Export Report..."), this, [this] {
        QString experiment;
        if (ExperimentView* view = currentExperimentView())
            experiment = view->experimentName();
        for (QTreeWidgetItem* item : m_explorer->selectedItems()) {
            if (experiment.isEmpty() && item->data(0, KindRole).toString() == QLatin1String("experiment"))
                experiment = item->data(0, NameRole).toString();
        }
        if (experiment.isEmpty()) {
            statusBar()->showMessage(
                tr("Open an experiment (or select one in the project explorer) to export its report."), 8000);
            return;
        }
        exportReport(experiment, {}); // the preview, which saves
    });
    report->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    connect(m_welcome, &WelcomePage::newProjectRequested, newProject, &QAction::trigger);
    connect(m_welcome, &WelcomePage::openProjectRequested, open, &QAction::trigger);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    QAction* undo = m_undoGroup->createUndoAction(this, tr("&Undo"));
    undo->setShortcut(QKeySequence::Undo);
    QAction* redo = m_undoGroup->createRedoAction(this, tr("&Redo"));
    redo->setShortcut(QKeySequence::Redo);
    edit->addAction(undo);
    edit->addAction(redo);

    QMenu* experiment = menuBar()->addMenu(tr("E&xperiment"));
    QAction* newExperimentAction = experiment->addAction(tr("&New Experiment"), this, [this] { newExperiment(); });
    newExperimentAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    auto loadSpec = [this](const QString& caption) {
        const QString path = QFileDialog::getOpenFileName(this, caption, QString(), kSpecFilter);
        if (path.isEmpty())
            return;
        ExperimentEditor* editor = newExperiment();
        if (!editor)
            return;
        QString error;
        if (!editor->loadFile(path, &error))
            QMessageBox::warning(this, caption, error);
    };
    experiment->addAction(tr("&Load Spec..."), this, [loadSpec] { loadSpec(tr("Load Experiment Spec")); });
    experiment->addAction(tr("Import &SageMaker Tuning Config..."), this,
                          [loadSpec] { loadSpec(tr("Import SageMaker HyperParameterTuningJobConfig")); });
    experiment->addAction(tr("&Save Spec As..."), this, [this] {
        ExperimentEditor* editor = currentEditor();
        if (!editor)
            return;
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Save Experiment Spec"), editor->nameEdit()->text() + QStringLiteral(".json"), kSpecFilter);
        QString error;
        if (!path.isEmpty() && !editor->saveFile(path, &error))
            QMessageBox::warning(this, tr("Save Experiment Spec"), error);
    });
    experiment->addSeparator();
    QAction* run = experiment->addAction(tr("&Run"), this, [this] {
        if (ExperimentEditor* editor = currentEditor(); editor && editor->parsedSpec())
            runExperiment(*editor->parsedSpec());
    });
    run->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    QAction* stop = experiment->addAction(tr("&Stop"), this, [this] {
        if (ExperimentView* view = currentExperimentView())
            view->stopRun();
    });
    stop->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Period));
    experiment->addAction(tr("&Cancel"), this, [this] {
        if (ExperimentView* view = currentExperimentView())
            view->cancelRun();
    });
    experiment->addSeparator();
    experiment->addAction(tr("Run &Benchmark..."), this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Run Benchmark"), QString(), kSpecFilter);
        QString error;
        if (!path.isEmpty() && !runBenchmark(path, &error))
            QMessageBox::warning(this, tr("Run Benchmark"), error);
    });
    QAction* compare = experiment->addAction(tr("C&ompare Selected"), this, [this] { compareExplorerSelection(); });
    compare->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    compare->setToolTip(tr("Compare the experiments and trials selected in the project explorer"));

    QMenu* view = menuBar()->addMenu(tr("&View"));
    for (QDockWidget* dock : findChildren<QDockWidget*>())
        view->addAction(dock->toggleViewAction());

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Tunebench"), this, [this] {
        QMessageBox::about(
            this, tr("About Tunebench"),
            tr("<b>Tunebench %1</b><p>A desktop workbench for machine-learning experiments.</p>"
               "<p>Engine compiled for %2.</p>")
                .arg(QStringLiteral(TUNEBENCH_VERSION), QString::fromLatin1(util::instructionSetLevel())));
    });

    QToolBar* toolbar = addToolBar(tr("Main"));
    toolbar->setObjectName(QStringLiteral("mainToolbar"));
    toolbar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    toolbar->addAction(newProject);
    toolbar->addAction(open);
    toolbar->addAction(import);
    toolbar->addSeparator();
    toolbar->addAction(newExperimentAction);
    toolbar->addAction(run);
    toolbar->addAction(stop);
}

bool MainWindow::openProject(const QString& path)
{
    try {
        m_project = store::ProjectStore::open(path.toStdString());
    } catch (const std::exception& error) {
        QMessageBox::critical(this, tr("Cannot open project"), QString::fromStdString(error.what()));
        return false;
    }
    // Documents of the previous project go.
    for (int i = m_tabs->count() - 1; i >= 0; --i) {
        QWidget* widget = m_tabs->widget(i);
        if (widget != m_welcome) {
            m_tabs->removeTab(i);
            widget->deleteLater();
        }
    }
    m_projectPath = QFileInfo(path).absoluteFilePath();
    setWindowTitle(tr("%1 — Tunebench").arg(QFileInfo(path).fileName()));
    m_statusProject->setText(m_projectPath);
    rememberRecent(m_projectPath);
    refreshExplorer();
    showInterrupted();
    m_dataVersion = m_project->dataVersion();
    m_watchTask.drop(); // a look at the previous project
    m_watchStore = std::make_shared<std::unique_ptr<store::ProjectStore>>();
    m_watch->start();
    Q_EMIT projectOpened(m_projectPath);
    return true;
}

void MainWindow::openDemoProject(const QString& directory)
{
    m_welcome->openDemoButton()->setEnabled(false);
    statusBar()->showMessage(tr("Preparing the demo project..."));
    auto* watcher = new QFutureWatcher<DemoOutcome>(this);
    connect(watcher, &QFutureWatcher<DemoOutcome>::finished, this, [this, watcher] {
        watcher->deleteLater();
        m_welcome->openDemoButton()->setEnabled(true);
        statusBar()->clearMessage();
        const DemoOutcome result = watcher->result();
        if (!result.error.isEmpty()) {
            QMessageBox::critical(this, tr("Cannot create the demo project"), result.error);
            return;
        }
        if (!openProject(result.projectPath))
            return;
        // With nothing run yet, the example experiment waits in an editor: one click on Run.
        if (m_project && m_project->experiments().empty() && !result.specs.isEmpty()) {
            if (ExperimentEditor* editor = newExperiment()) {
                QString error;
                if (!editor->loadFile(result.specs.constFirst(), &error))
                    statusBar()->showMessage(error, 10000);
            }
        }
    });
    // Reading and recording the demo datasets is file and database work: never on the GUI thread.
    watcher->setFuture(QtConcurrent::run(workPool(), [directory]() -> DemoOutcome {
        try {
            const auto demo = store::createDemoProject(directory.toStdString());
            DemoOutcome outcome;
            outcome.projectPath = QString::fromStdString(demo.projectPath.string());
            for (const auto& spec : demo.specs)
                outcome.specs << QString::fromStdString(spec.string());
            return outcome;
        } catch (const std::exception& error) {
            return {{}, {}, QString::fromStdString(error.what())};
        }
    }));
}

int MainWindow::importFiles(const QStringList& paths)
{
    if (m_projectPath.isEmpty()) {
        QMessageBox::information(this, tr("Import Data"),
                                 tr("Open or create a project first: imported datasets are recorded in it."));
        return 0;
    }
    const QStringList files = expandDataPaths(paths);
    if (files.isEmpty()) {
        statusBar()->showMessage(tr("No data files to import there (CSV, TSV, ARFF, LIBSVM)."), 8000);
        return 0;
    }
    for (const QString& path : files)
        importFile(path, {});
    return static_cast<int>(files.size());
}

void MainWindow::importFile(const QString& path, const data::ReadSettings& settings)
{
    Job* job = m_jobs->addJob(tr("Import %1").arg(QFileInfo(path).fileName()));
    job->setStatus(tr("reading"));
    job->setProgress(0, 100);
    util::CancelToken cancel;
    job->setControls([cancel] { cancel.cancel(); }, [cancel] { cancel.cancel(); });
    QPointer<Job> guard = job;
    data::ReadOptions options;
    settings.applyTo(options);
    options.cancel = cancel;
    options.progress = progressTo(
        job, [](Job& target, double fraction) { target.setProgress(static_cast<int>(fraction * 100), 100); });
    auto* watcher = new QFutureWatcher<ImportOutcome>(this);
    connect(watcher, &QFutureWatcher<ImportOutcome>::finished, this, [this, watcher, guard, settings] {
        watcher->deleteLater();
        const ImportOutcome outcome = watcher->result();
        if (guard) {
            guard->finish(outcome.cancelled    ? tr("cancelled")
                              : outcome.record ? (outcome.alreadyPresent ? tr("already in the project") : tr("done"))
                                               : tr("failed: %1").arg(outcome.error));
        }
        if (outcome.record) {
            refreshExplorer();
            refreshEditors();
            openDataset(outcome.record->id);
            Q_EMIT datasetImported(outcome.path);
        } else if (!outcome.cancelled) {
            statusBar()->showMessage(tr("Import failed: %1").arg(outcome.error), 15000);
            offerReadAs(outcome.path, outcome.error, settings);
            Q_EMIT importFailed(outcome.path, outcome.error);
        }
    });
    // Reading, hashing and recording happen on a pool thread, with the importer's own connection.
    watcher->setFuture(QtConcurrent::run(workPool(), [project = m_projectPath, path, options]() -> ImportOutcome {
        ImportOutcome outcome;
        outcome.path = path;
        try {
            const auto store = store::ProjectStore::open(project.toStdString());
            store::RegisteredDataset registered = store::registerDataset(*store, path.toStdString(), options);
            outcome.record = registered.record;
            outcome.alreadyPresent = registered.alreadyPresent;
        } catch (const util::Cancelled&) {
            outcome.cancelled = true;
        } catch (const std::exception& error) {
            outcome.error = QString::fromStdString(error.what());
        }
        return outcome;
    }));
}

void MainWindow::offerReadAs(const QString& path, const QString& error, const data::ReadSettings& settings)
{
    // Read settings help only text tables: an ARFF or LIBSVM file says its own layout.
    if (const data::FileFormat format = data::formatFromName(path.toStdString());
        format == data::FileFormat::Arff || format == data::FileFormat::LibSvm)
        return;
    auto* dialog = new ReadSettingsDialog(
        tr("<b>%1</b> could not be read:<br><tt>%2</tt><br>Say how it is laid out, and it is read again.")
            .arg(QFileInfo(path).fileName().toHtmlEscaped(), error.toHtmlEscaped()),
        settings, nullptr, this, path);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, path, dialog] {
        if (!m_projectPath.isEmpty())
            importFile(path, dialog->settings());
    });
    dialog->open();
}

QStringList MainWindow::experimentNames() const
{
    QStringList names;
    for (const store::ExperimentRecord& record : m_project->experiments())
        names << qs(record.name);
    return names;
}

void MainWindow::refreshEditors()
{
    if (!m_project)
        return;
    const QStringList names = experimentNames();
    const std::vector<store::DatasetRecord> datasets = m_project->datasets();
    for (int i = 0; i < m_tabs->count(); ++i) {
        if (auto* editor = qobject_cast<ExperimentEditor*>(m_tabs->widget(i)))
            editor->setProject(datasets, names);
    }
}

void MainWindow::addTab(QWidget* widget, const QString& title)
{
    const int index = m_tabs->addTab(widget, title);
    m_tabs->setTabToolTip(index, title);
    m_tabs->setCurrentIndex(index);
}

template<typename View, typename Match> View* MainWindow::findTab(Match match) const
{
    for (int i = 0; i < m_tabs->count(); ++i) {
        if (auto* view = qobject_cast<View*>(m_tabs->widget(i)); view && match(view))
            return view;
    }
    return nullptr;
}

ExperimentEditor* MainWindow::newExperiment()
{
    if (!m_project) {
        QMessageBox::information(this, tr("New Experiment"), tr("Open or create a project first."));
        return nullptr;
    }
    auto* editor = new ExperimentEditor;
    editor->setBaseFolder(QFileInfo(m_projectPath).absolutePath()); // a script's relative paths: the project's folder
    editor->setProjectFile(m_projectPath);
    editor->setProject(m_project->datasets(), experimentNames());
    m_undoGroup->addStack(editor->undoStack());
    connect(editor, &ExperimentEditor::runRequested, this,
            [this](const tuning::ExperimentSpec& spec) { runExperiment(spec); });
    addTab(editor, tr("New experiment"));
    m_undoGroup->setActiveStack(editor->undoStack());
    return editor;
}

DatasetView* MainWindow::openDataset(qint64 datasetId)
{
    if (auto* open = findTab<DatasetView>([&](DatasetView* v) { return v->record().id == datasetId; })) {
        m_tabs->setCurrentWidget(open);
        return open;
    }
    if (!m_project)
        return nullptr;
    for (const store::DatasetRecord& record : m_project->datasets()) {
        if (record.id != datasetId)
            continue;
        auto* view = new DatasetView(record, m_projectPath);
        connect(view, &DatasetView::readingChanged, this, [this] {
            refreshExplorer();
            refreshEditors();
        });
        connect(
            view, &DatasetView::newExperimentRequested, this,
            [this](const QString& path, const QString& target, const QStringList& ignored, const QJsonObject& types) {
                if (ExperimentEditor* editor = newExperiment())
                    editor->setDataset(path, target, ignored, types);
            });
        addTab(view, qs(record.name));
        return view;
    }
    return nullptr;
}

ExperimentView* MainWindow::openExperiment(const QString& name)
{
    if (auto* open = findTab<ExperimentView>([&](ExperimentView* v) { return v->experimentName() == name; })) {
        m_tabs->setCurrentWidget(open);
        return open;
    }
    if (m_projectPath.isEmpty())
        return nullptr;
    auto* view = new ExperimentView(m_projectPath, name);
    for (const QPointer<ExperimentRun>& run : m_runs) {
        if (run && run->isRunning() && run->name() == name)
            view->attach(run);
    }
    connect(view, &ExperimentView::trialActivated, this, [this, name](int number) { openTrial(name, number); });
    connect(view, &ExperimentView::resumeRequested, this, &MainWindow::resumeExperiment);
    connect(view, &ExperimentView::compareRequested, this, [this, name](const QList<int>& numbers) {
        std::vector<TrialRef> selection;
        for (int number : numbers)
            selection.push_back({name, number});
        if (selection.empty())
            selection.push_back({name, 0});
        openComparison(selection);
    });
    addTab(view, name);
    return view;
}

TrialView* MainWindow::openTrial(const QString& experiment, int number)
{
    if (auto* open = findTab<TrialView>(
            [&](TrialView* v) { return v->experimentName() == experiment && v->trialNumber() == number; })) {
        m_tabs->setCurrentWidget(open);
        open->reload();
        return open;
    }
    if (m_projectPath.isEmpty())
        return nullptr;
    auto* view = new TrialView(m_projectPath, experiment, number);
    connect(view, &TrialView::evaluateRequested, this, &MainWindow::openEvaluation);
    connect(view, &TrialView::exportModelRequested, this, &MainWindow::exportModel);
    addTab(view, tr("%1 · trial %2").arg(experiment).arg(number));
    return view;
}

EvaluationView* MainWindow::openEvaluation(const QString& experiment, int number)
{
    if (m_projectPath.isEmpty())
        return nullptr;
    auto* view = new EvaluationView(m_projectPath, experiment, number);
    addTab(view, tr("Evaluate %1 · trial %2").arg(experiment).arg(number));
    return view;
}

CompareView* MainWindow::openComparison(const std::vector<TrialRef>& selection)
{
    if (m_projectPath.isEmpty() || selection.empty())
        return nullptr;
    QStringList experiments;
    for (const TrialRef& ref : selection) {
        if (!experiments.contains(ref.experiment))
            experiments << ref.experiment;
    }
    auto* view = new CompareView(m_projectPath, selection);
    connect(view, &CompareView::trialActivated, this, &MainWindow::openTrial);
    const QString title = experiments.size() == 1 && selection.size() == 1 && selection.front().number == 0
        ? tr("Compare %1").arg(experiments.constFirst())
        : tr("Compare %n trial(s)", nullptr, static_cast<int>(selection.size()));
    addTab(view, title);
    return view;
}

void MainWindow::exportReport(const QString& experiment, const QString& path)
{
    if (m_projectPath.isEmpty())
        return;
    const bool preview = path.isEmpty();
    Job* job = m_jobs->addJob(preview ? tr("Report of %1").arg(experiment)
                                      : tr("Report %1").arg(QFileInfo(path).fileName()));
    job->setStatus(preview ? tr("evaluating the best trial") : tr("evaluating the best trial and writing"));
    job->setProgress(0, 0);
    util::CancelToken cancel;
    job->setControls([cancel] { cancel.cancel(); }, [cancel] { cancel.cancel(); });
    const QPointer<Job> guard = job;
    struct Outcome
    {
        std::string html;
        QString error;
    };
    auto* watcher = new QFutureWatcher<Outcome>(this);
    connect(watcher, &QFutureWatcher<Outcome>::finished, this, [this, watcher, guard, path, experiment, preview] {
        watcher->deleteLater();
        Outcome outcome = watcher->result();
        if (guard)
            guard->finish(outcome.error.isEmpty() ? (preview ? tr("ready") : tr("written")) : outcome.error);
        if (!outcome.error.isEmpty()) {
            statusBar()->showMessage(tr("Report failed: %1").arg(outcome.error), 15000);
            Q_EMIT reportExported(path, outcome.error);
            return;
        }
        if (preview) {
            auto* dialog = new ReportPreview(std::move(outcome.html), experiment, this);
            connect(dialog, &ReportPreview::saved, this, [this](const QString& saved, const QString& error) {
                statusBar()->showMessage(error.isEmpty() ? tr("Report written to %1").arg(saved)
                                                         : tr("Report failed: %1").arg(error),
                                         10000);
                Q_EMIT reportExported(saved, error);
            });
            dialog->show();
            Q_EMIT reportPreviewOpened(dialog);
            return;
        }
        statusBar()->showMessage(tr("Report written to %1").arg(path), 10000);
        if (m_openExports) // the system's viewer for HTML or PDF
            QDesktopServices::openUrl(QUrl::fromLocalFile(path));
        Q_EMIT reportExported(path, {});
    });
    watcher->setFuture(QtConcurrent::run(workPool(), [project = m_projectPath, experiment, path, cancel]() -> Outcome {
        try {
            const auto store = store::ProjectStore::open(project.toStdString(), store::ProjectStore::Mode::ReadOnly);
            report::ReportOptions options;
            options.cancel = cancel;
            Outcome outcome{report::experimentReportHtml(*store, experiment.toStdString(), options), {}};
            if (!path.isEmpty())
                outcome.error = writeReport(outcome.html, path);
            return outcome;
        } catch (const util::Cancelled&) {
            return {{}, tr("cancelled")};
        } catch (const std::exception& problem) {
            return {{}, QString::fromStdString(problem.what())};
        }
    }));
}

void MainWindow::exportModel(const QString& experiment, int number, const QString& path)
{
    if (m_projectPath.isEmpty())
        return;
    Job* job = m_jobs->addJob(tr("Model %1").arg(QFileInfo(path).fileName()));
    job->setStatus(tr("training trial %1 on the whole dataset").arg(number));
    job->setProgress(0, 0);
    util::CancelToken cancel;
    job->setControls([cancel] { cancel.cancel(); }, [cancel] { cancel.cancel(); });
    const QPointer<Job> guard = job;
    auto* watcher = new QFutureWatcher<QString>(this);
    connect(watcher, &QFutureWatcher<QString>::finished, this, [this, watcher, guard, path] {
        watcher->deleteLater();
        const QString error = watcher->result();
        if (guard)
            guard->finish(error.isEmpty() ? tr("saved") : error);
        statusBar()->showMessage(
            error.isEmpty() ? tr("Model saved to %1").arg(path) : tr("Model export failed: %1").arg(error), 10000);
        Q_EMIT modelExported(path, error);
    });
    watcher->setFuture(
        QtConcurrent::run(workPool(), [project = m_projectPath, experiment, number, path, cancel]() -> QString {
            try {
                const auto store
                    = store::ProjectStore::open(project.toStdString(), store::ProjectStore::Mode::ReadOnly);
                (void)jobs::exportTrialModel(*store, experiment.toStdString(), number, path.toStdString(), cancel);
                return {};
            } catch (const util::Cancelled&) {
                return tr("cancelled");
            } catch (const std::exception& problem) {
                return QString::fromStdString(problem.what());
            }
        }));
}

BenchmarkView* MainWindow::runBenchmark(const QString& specPath, QString* error)
{
    std::optional<jobs::BenchmarkSpec> spec;
    try {
        spec = jobs::parseBenchmarkSpecFile(specPath.toStdString());
    } catch (const std::exception& problem) {
        if (error)
            *error = QString::fromStdString(problem.what());
        return nullptr;
    }
    auto* view = new BenchmarkView(std::move(*spec));
    addTab(view, tr("Benchmark %1").arg(QString::fromStdString(view->spec().name)));
    Job* job = m_jobs->addJob(tr("Benchmark %1").arg(QString::fromStdString(view->spec().name)));
    job->setStatus(tr("running"));
    const QPointer<BenchmarkView> target = view;
    job->setControls(
        [target] {
            if (target)
                target->cancel();
        },
        [target] {
            if (target)
                target->cancel();
        });
    const QPointer<Job> guard = job;
    connect(view, &BenchmarkView::progressChanged, this, [guard](int done, int total, const QString& current) {
        if (guard) {
            guard->setProgress(done, total);
            guard->setStatus(current);
        }
    });
    connect(view, &BenchmarkView::finished, this, [guard](const QString& problem) {
        if (guard)
            guard->finish(problem.isEmpty() ? tr("done") : problem);
    });
    view->start();
    return view;
}

CompareView* MainWindow::compareExplorerSelection()
{
    std::vector<TrialRef> selection;
    for (QTreeWidgetItem* item : m_explorer->selectedItems()) {
        const QString kind = item->data(0, KindRole).toString();
        if (kind == QLatin1String("experiment"))
            selection.push_back({item->data(0, NameRole).toString(), 0});
        else if (kind == QLatin1String("trial"))
            selection.push_back({item->data(0, NameRole).toString(), item->data(0, NumberRole).toInt()});
    }
    if (selection.empty()) {
        statusBar()->showMessage(tr("Select experiments or trials in the project explorer to compare them."), 8000);
        return nullptr;
    }
    return openComparison(selection);
}

bool MainWindow::confirmCommands(const tuning::ExperimentSpec& spec)
{
    if (!spec.command || store::isTrusted(m_projectPath.toStdString()))
        return true;
    QStringList argv;
    for (const std::string& argument : spec.command->argv)
        argv.append(qs(argument));
    QMessageBox box(QMessageBox::Warning, tr("Run a command from this project?"),
                    tr("<p>The experiment <b>%1</b> runs an external program:</p><p><code>%2</code></p>"
                       "<p>This project was not made on this account. Programs run with your rights: run them "
                       "only from projects you trust.</p><p>Trust <b>%3</b> and run its commands?</p>")
                        .arg(qs(spec.name).toHtmlEscaped(), argv.join(QLatin1Char(' ')).toHtmlEscaped(),
                             QFileInfo(m_projectPath).fileName().toHtmlEscaped()),
                    QMessageBox::NoButton, this);
    box.setObjectName(QStringLiteral("trustPrompt"));
    QPushButton* trust = box.addButton(tr("Trust and Run"), QMessageBox::AcceptRole);
    box.setDefaultButton(box.addButton(QMessageBox::Cancel));
    box.setDetailedText(tr("Working directory: %1\nArguments, one per line:\n%2")
                            .arg(qs(spec.command->workingDirectory), argv.join(QLatin1Char('\n'))));
    box.exec();
    if (box.clickedButton() != trust) {
        statusBar()->showMessage(tr("%1 was not run: the project is not trusted.").arg(qs(spec.name)), 10000);
        return false;
    }
    try {
        store::setTrusted(m_projectPath.toStdString(), true);
    } catch (const std::exception& error) {
        statusBar()->showMessage(tr("Could not remember the trust: %1").arg(QString::fromUtf8(error.what())), 10000);
    }
    return true;
}

ExperimentRun* MainWindow::runExperiment(const tuning::ExperimentSpec& spec, bool resume)
{
    if (m_projectPath.isEmpty())
        return nullptr;
    const QString name = qs(spec.name);
    for (const QPointer<ExperimentRun>& existing : m_runs) {
        if (existing && existing->isRunning() && existing->name() == name) {
            statusBar()->showMessage(tr("%1 is already running.").arg(name), 8000);
            return nullptr;
        }
    }
    if (!confirmCommands(spec))
        return nullptr;
    auto* run = new ExperimentRun(spec, m_projectPath, resume, this);
    m_runs.append(run);
    // The editor that asked is done: the live view replaces it.
    if (ExperimentEditor* editor = currentEditor();
        editor && editor->parsedSpec() && editor->parsedSpec()->name == spec.name) {
        m_tabs->removeTab(m_tabs->indexOf(editor));
        editor->deleteLater();
    }
    ExperimentView* view = openExperiment(name);
    view->attach(run);
    m_tabs->setCurrentWidget(view);

    Job* job = m_jobs->addJob(resume ? tr("Resume %1").arg(name) : tr("Experiment %1").arg(name));
    job->setStatus(tr("starting"));
    job->setControls([run] { run->stop(); }, [run] { run->cancel(); }, [run](int number) { run->stopTrial(number); },
                     [run](int number) { run->restartTrial(number); });
    QPointer<Job> guard = job;
    connect(run, &ExperimentRun::started, this, [this] { refreshExplorer(); });
    connect(run, &ExperimentRun::updated, this, [guard](const jobs::TuningUpdate& update) {
        if (!guard)
            return;
        for (const jobs::Trial& trial : update.trials) {
            if (trial.state == TrialState::Running)
                guard->setChild(trial.number, tr("trial %1 · %2").arg(trial.number).arg(qs(trial.config.algorithm)),
                                tr("starting"));
            else
                guard->removeChild(trial.number);
        }
        // The latest point of each running trial says how far it got.
        std::map<int, const store::MetricPoint*> latest;
        for (const auto& [number, point] : update.points)
            latest[number] = &point;
        for (const auto& [number, point] : latest) {
            guard->setChild(number, tr("trial %1").arg(number),
                            tr("step %1 · %2 %3").arg(point->step).arg(qs(point->name)).arg(point->value, 0, 'g', 4));
        }
    });
    auto warningsShown = std::make_shared<std::size_t>(0);
    connect(
        run, &ExperimentRun::progressChanged, this, [this, guard, warningsShown](const jobs::TuningProgress& progress) {
            // A warning before the trials (memory close to the limit, a rare class) stays in the status bar a while;
            // the experiment's view keeps all of them.
            if (progress.warnings.size() > *warningsShown) {
                *warningsShown = progress.warnings.size();
                statusBar()->showMessage(tr("Warning: %1").arg(qs(progress.warnings.back())), 20000);
            }
            if (guard) {
                // A paused trial (asha, bohb) has its result at a rung: it counts as done until a promotion.
                const int done = progress.finished + progress.failed + progress.stopped + progress.paused;
                guard->setProgress(done, std::max(progress.maxTrials.value_or(progress.created), std::max(done, 1)));
                QString status = tr("%1 running, %2 done").arg(progress.running).arg(done);
                if (progress.paused > 0)
                    status += tr(" (%1 paused)").arg(progress.paused);
                if (progress.bestObjective)
                    status
                        += tr(", best %1 (trial %2)").arg(*progress.bestObjective, 0, 'f', 4).arg(progress.bestTrial);
                if (progress.gpus > 0) { // slot use: "GPUs 4/4: 0,1 trial 3; 2,3 trial 4"
                    QStringList held;
                    int used = 0;
                    for (const auto& [trial, gpus] : progress.gpusInUse) {
                        QStringList indices;
                        for (const int gpu : gpus)
                            indices << QString::number(gpu);
                        used += static_cast<int>(gpus.size());
                        held << tr("%1 trial %2").arg(indices.join(QLatin1Char(','))).arg(trial);
                    }
                    status += tr(" · GPUs %1/%2").arg(used).arg(progress.gpus)
                        + (held.isEmpty() ? QString() : QStringLiteral(": ") + held.join(QStringLiteral("; ")));
                }
                guard->setStatus(status);
            }
            updateRunStatus();
        });
    connect(run, &ExperimentRun::finished, this,
            [this, guard, name](const jobs::TuningSummary& summary, const QString& error) {
                if (guard)
                    guard->finish(error.isEmpty() ? tr("ended: %1").arg(qs(summary.stoppedBecause))
                                                  : tr("failed: %1").arg(error));
                if (!error.isEmpty())
                    statusBar()->showMessage(tr("%1 could not run: %2").arg(name, error), 15000);
                else if (!summary.modelPath.empty()) // a training job
                    statusBar()->showMessage(
                        tr("%1 trained; its model is in %2").arg(name, QDir::toNativeSeparators(qs(summary.modelPath))),
                        30000);
                refreshExplorer();
                updateRunStatus();
                Q_EMIT experimentFinished(name, error.isEmpty() ? qs(summary.stoppedBecause) : QStringLiteral("error"));
                if (m_quitWhenIdle && runs().isEmpty())
                    close();
            });
    run->start();
    updateRunStatus();
    return run;
}

ExperimentRun* MainWindow::resumeExperiment(const QString& name)
{
    if (!m_project)
        return nullptr;
    const auto record = m_project->experimentByName(name.toStdString());
    if (!record)
        return nullptr;
    try {
        const tuning::ExperimentSpec spec
            = tuning::parseSpec(QByteArray::fromStdString(record->specJson), record->name, "/");
        ExperimentRun* run = runExperiment(spec, true);
        if (run)
            m_infoBar->hide();
        return run;
    } catch (const std::exception& error) {
        QMessageBox::warning(this, tr("Cannot resume %1").arg(name), QString::fromStdString(error.what()));
        return nullptr;
    }
}

QStringList MainWindow::interruptedExperiments() const
{
    QStringList names;
    if (!m_project)
        return names;
    for (const store::ExperimentRecord& record : m_project->experiments()) {
        const QString name = qs(record.name);
        if (!isRunHere(name) && jobs::isInterrupted(*m_project, record))
            names << name;
    }
    return names;
}

QList<ExperimentRun*> MainWindow::runs() const
{
    QList<ExperimentRun*> result;
    for (const QPointer<ExperimentRun>& run : m_runs) {
        if (run && run->isRunning())
            result.append(run);
    }
    return result;
}

void MainWindow::watchProject()
{
    if (m_projectPath.isEmpty() || m_watchTask.isBusy())
        return;
    const bool secondTick = ++m_watchTicks % 4 == 0;
    // The explorer's contents are read at most once a second, and once a second anyway: an owner may die
    // without a word.
    const bool contentsDue
        = secondTick || !m_sinceExplorerRefresh.isValid() || m_sinceExplorerRefresh.elapsed() >= 1000;
    struct Watched
    {
        std::int64_t version = 0;
        std::optional<ProjectContents> contents;
        bool failed = false;
    };
    // No SQL on the GUI thread: with several processes writing, a read can wait for the file's locks.
    m_watchTask.run(
        [store = m_watchStore, path = m_projectPath.toStdString(), last = m_dataVersion, contentsDue, secondTick] {
            Watched watched;
            try {
                if (!*store)
                    *store = store::ProjectStore::open(path, store::ProjectStore::Mode::ReadOnly);
                watched.version = (*store)->dataVersion();
                if ((watched.version != last && contentsDue) || secondTick)
                    watched.contents = readProjectContents(**store);
            } catch (const std::exception&) {
                watched.failed = true; // busy or gone for a moment: the next tick looks again
            }
            return watched;
        },
        [this, secondTick](const Watched& watched) {
            if (watched.failed)
                return;
            const bool changed = watched.version != m_dataVersion;
            m_dataVersion = watched.version;
            for (ExperimentView* view : m_tabs->findChildren<ExperimentView*>()) {
                if (changed || (secondTick && view->isFollowing()))
                    view->follow();
            }
            if (changed) {
                m_explorerStale = true;
                for (CompareView* view : m_tabs->findChildren<CompareView*>())
                    view->follow();
            }
            if (watched.contents && (m_explorerStale || watched.contents->signature != m_explorerSignature))
                applyContents(*watched.contents);
        });
}

void MainWindow::showInterrupted()
{
    showInterrupted(interruptedExperiments());
}

void MainWindow::showInterrupted(const QStringList& names)
{
    m_interrupted = names;
    if (names.isEmpty()) {
        m_infoBar->hide();
        return;
    }
    m_infoText->setText(names.size() == 1
                            ? tr("Experiment <b>%1</b> was interrupted. Resume it to run its unfinished trials again.")
                                  .arg(names.constFirst().toHtmlEscaped())
                            : tr("%n experiments were interrupted: %1.", nullptr, static_cast<int>(names.size()))
                                  .arg(names.join(QStringLiteral(", ")).toHtmlEscaped()));
    m_infoResume->setText(names.size() == 1 ? tr("Resume") : tr("Resume All"));
    m_infoBar->show();
}

void MainWindow::updateRunStatus()
{
    int running = 0;
    int toGo = 0;
    const QList<ExperimentRun*> active = runs();
    for (ExperimentRun* run : active) {
        const jobs::TuningProgress& progress = run->progress();
        running += progress.running;
        if (progress.maxTrials)
            toGo += std::max(0, *progress.maxTrials - progress.created);
    }
    QString text = active.isEmpty() ? tr("No runs")
                                    : tr("%n trial(s) running", nullptr, running) + tr(" · %n queued", nullptr, toGo);
    // Runs of other processes this window follows.
    const auto followed = static_cast<int>(
        std::count_if(m_followedJobs.begin(), m_followedJobs.end(), [](const auto& entry) { return entry.second; }));
    if (followed > 0)
        text += tr(" · following %n run(s) of other processes", nullptr, followed);
    m_statusRuns->setText(text);
}

namespace {

/// What an explorer item stands for, to find it again after a refresh: "experiment/NAME", "trial/NAME/3" ...
QString explorerKey(const QTreeWidgetItem* item)
{
    return item->data(0, KindRole).toString() + QLatin1Char('/') + item->data(0, NameRole).toString() + QLatin1Char('/')
        + item->data(0, IdRole).toString() + QLatin1Char('/') + item->data(0, NumberRole).toString();
}

} // namespace

void MainWindow::refreshExplorer()
{
    if (!m_project) {
        m_explorer->clear();
        new QTreeWidgetItem(m_explorer, {tr("(no project open)")});
        return;
    }
    applyContents(readProjectContents(*m_project));
}

void MainWindow::applyContents(const ProjectContents& contents)
{
    m_sinceExplorerRefresh.start();
    m_explorerStale = false;
    m_explorerSignature = contents.signature;
    // Other processes' runs refresh it often: what the user opened, selected and scrolled to stays.
    QSet<QString> expanded;
    QSet<QString> selected;
    for (QTreeWidgetItemIterator it(m_explorer); *it; ++it) {
        if ((*it)->isExpanded())
            expanded.insert(explorerKey(*it));
        if ((*it)->isSelected())
            selected.insert(explorerKey(*it));
    }
    const QString current = m_explorer->currentItem() ? explorerKey(m_explorer->currentItem()) : QString();
    const int scroll = m_explorer->verticalScrollBar()->value();
    const bool restore = !expanded.isEmpty();
    fillExplorer(contents);
    for (QTreeWidgetItemIterator it(m_explorer); *it; ++it) {
        const QString key = explorerKey(*it);
        if (restore)
            (*it)->setExpanded(expanded.contains(key));
        if (selected.contains(key))
            (*it)->setSelected(true);
        if (!current.isEmpty() && key == current)
            m_explorer->setCurrentItem(*it, 0, QItemSelectionModel::NoUpdate);
    }
    m_explorer->verticalScrollBar()->setValue(scroll);

    // Runs of other processes in the jobs panel; those followed before that ended (or whose owner died) get
    // their last word.
    std::set<QString> followed;
    for (const ProjectContents::Experiment& experiment : contents.experiments) {
        if (experiment.owner && followInJobs(experiment))
            followed.insert(qs(experiment.record.name));
    }
    for (auto it = m_followedJobs.begin(); it != m_followedJobs.end();) {
        if (followed.contains(it->first)) {
            ++it;
            continue;
        }
        const auto found = std::find_if(contents.experiments.begin(), contents.experiments.end(),
                                        [&](const auto& e) { return qs(e.record.name) == it->first; });
        if (it->second) {
            if (found == contents.experiments.end())
                it->second->finish(tr("gone"), false);
            else if (found->isInterrupted())
                it->second->finish(tr("interrupted: its process is gone"), false);
            else
                it->second->finish(tr("ended: %1").arg(qs(found->record.stoppedBecause)));
        }
        it = m_followedJobs.erase(it);
    }

    QStringList interrupted;
    for (const ProjectContents::Experiment& experiment : contents.experiments) {
        if (experiment.isInterrupted() && !isRunHere(qs(experiment.record.name)))
            interrupted << qs(experiment.record.name);
    }
    if (interrupted != m_interrupted)
        showInterrupted(interrupted);
    updateRunStatus();
}

bool MainWindow::isRunHere(const QString& name) const
{
    return std::any_of(m_runs.begin(), m_runs.end(), [&](const QPointer<ExperimentRun>& run) {
        return run && run->isRunning() && run->name() == name;
    });
}

bool MainWindow::followInJobs(const ProjectContents::Experiment& experiment)
{
    const QString name = qs(experiment.record.name);
    if (isRunHere(name))
        return false;
    const store::RunOwner& owner = *experiment.owner;
    QPointer<Job>& job = m_followedJobs[name];
    if (!job) {
        job = m_jobs->addJob(tr("Experiment %1 (in %2, pid %3)").arg(name, qs(owner.program)).arg(owner.pid));
        const QString path = m_projectPath;
        const std::int64_t id = experiment.record.id;
        job->setControls([path, id] { askRunOwner(path, id, jobs::RunRequestKind::Stop); },
                         [path, id] { askRunOwner(path, id, jobs::RunRequestKind::Cancel); },
                         [path, id](int number) { askRunOwner(path, id, jobs::RunRequestKind::StopTrial, number); },
                         [path, id](int number) { askRunOwner(path, id, jobs::RunRequestKind::RestartTrial, number); });
    }
    int running = 0;
    for (const store::TrialRecord& trial : experiment.trials) {
        if (trial.status == TrialState::Running) {
            ++running;
            job->setChild(trial.number, tr("trial %1 · %2").arg(trial.number).arg(qs(trial.algorithm)), tr("running"));
        } else {
            job->removeChild(trial.number);
        }
    }
    job->setProgress(experiment.ended, std::max({experiment.budget, experiment.trialCount, 1}));
    job->setStatus(tr("%1 running, %2 done · in %3").arg(running).arg(experiment.ended).arg(qs(jobs::describe(owner))));
    return true;
}

void MainWindow::fillExplorer(const ProjectContents& contents)
{
    m_explorer->clear();
    auto* root = new QTreeWidgetItem(m_explorer, {QFileInfo(m_projectPath).fileName()});
    root->setData(0, KindRole, QStringLiteral("project"));
    root->setExpanded(true);
    if (!contents.error.isEmpty()) {
        new QTreeWidgetItem(root, {tr("Cannot read the project: %1").arg(contents.error)});
        return;
    }
    auto* datasets = new QTreeWidgetItem(root, {tr("Datasets")});
    datasets->setData(0, KindRole, QStringLiteral("datasets"));
    for (const store::DatasetRecord& record : contents.datasets) {
        auto* item = new QTreeWidgetItem(
            datasets, {tr("%1  (%2 × %3)").arg(qs(record.name)).arg(record.rows).arg(record.columns)});
        item->setToolTip(0, qs(record.path + "\nSHA-256 " + record.sha256));
        item->setData(0, KindRole, QStringLiteral("dataset"));
        item->setData(0, IdRole, static_cast<qint64>(record.id));
    }
    auto* experiments = new QTreeWidgetItem(root, {tr("Experiments")});
    experiments->setData(0, KindRole, QStringLiteral("experiments"));
    for (const ProjectContents::Experiment& experiment : contents.experiments) {
        const store::ExperimentRecord& record = experiment.record;
        const QString status = experiment.isInterrupted() ? tr("interrupted") : qs(record.status);
        auto* item = new QTreeWidgetItem(
            experiments, {tr("%1  (%2, %n trial(s))", nullptr, experiment.trialCount).arg(qs(record.name), status)});
        item->setData(0, KindRole, QStringLiteral("experiment"));
        item->setData(0, NameRole, qs(record.name));
        item->setToolTip(0,
                         experiment.owner ? tr("running in %1").arg(qs(jobs::describe(*experiment.owner)))
                             : record.stoppedBecause.empty()
                             ? status
                             : status + QStringLiteral(": ") + qs(record.stoppedBecause));
        for (const store::TrialRecord& trial : experiment.trials) {
            auto* child = new QTreeWidgetItem(
                item,
                {trial.objective
                     ? tr("trial %1 · %2 · %3").arg(trial.number).arg(qs(trial.status)).arg(*trial.objective, 0, 'f', 4)
                     : tr("trial %1 · %2").arg(trial.number).arg(qs(trial.status))});
            child->setData(0, KindRole, QStringLiteral("trial"));
            child->setData(0, NameRole, qs(record.name));
            child->setData(0, NumberRole, trial.number);
        }
    }
    datasets->setExpanded(true);
    experiments->setExpanded(true);
}

void MainWindow::openExplorerItem(QTreeWidgetItem* item)
{
    const QString kind = item->data(0, KindRole).toString();
    if (kind == QLatin1String("dataset"))
        openDataset(item->data(0, IdRole).toLongLong());
    else if (kind == QLatin1String("experiment"))
        openExperiment(item->data(0, NameRole).toString());
    else if (kind == QLatin1String("trial"))
        openTrial(item->data(0, NameRole).toString(), item->data(0, NumberRole).toInt());
}

ExperimentEditor* MainWindow::currentEditor() const
{
    return qobject_cast<ExperimentEditor*>(m_tabs->currentWidget());
}

ExperimentView* MainWindow::currentExperimentView() const
{
    return qobject_cast<ExperimentView*>(m_tabs->currentWidget());
}

QStringList MainWindow::recentProjects() const
{
    // A project moved or deleted since is not offered.
    QStringList recent = QSettings().value(QStringLiteral("recentProjects")).toStringList();
    recent.erase(
        std::remove_if(recent.begin(), recent.end(), [](const QString& path) { return !QFileInfo::exists(path); }),
        recent.end());
    return recent;
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
    updateRecentMenu();
}

void MainWindow::updateRecentMenu()
{
    if (!m_recentMenu)
        return;
    m_recentMenu->clear();
    const QStringList recent = recentProjects();
    for (const QString& path : recent)
        m_recentMenu->addAction(QFileInfo(path).fileName(), this, [this, path] { openProject(path); })
            ->setToolTip(path);
    m_recentMenu->setEnabled(!recent.isEmpty());
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    if (event->mimeData()->hasUrls()) {
        const QList<QUrl> urls = event->mimeData()->urls();
        if (std::any_of(urls.begin(), urls.end(), [](const QUrl& url) { return url.isLocalFile(); })) {
            event->acceptProposedAction();
            return;
        }
    }
    event->ignore();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    QStringList paths;
    QStringList projects;
    for (const QUrl& url : event->mimeData()->urls()) {
        if (!url.isLocalFile())
            continue;
        const QString path = url.toLocalFile();
        (path.endsWith(QLatin1String(".tbproj")) ? projects : paths) << path;
    }
    event->acceptProposedAction();
    if (!projects.isEmpty())
        openProject(projects.constFirst());
    if (!paths.isEmpty())
        importFiles(paths);
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    const QList<ExperimentRun*> active = runs();
    if (!active.isEmpty()) {
        if (!m_quitWhenIdle) {
            const bool quit = m_confirm(
                tr("Quit Tunebench"),
                tr("%n experiment(s) still running. Stop them and quit? Finished trials are saved; the ones in "
                   "flight are recorded as stopped, and the experiment can be resumed later.",
                   nullptr, static_cast<int>(active.size())));
            if (!quit) {
                event->ignore();
                return;
            }
            m_quitWhenIdle = true;
            statusBar()->showMessage(tr("Stopping the running experiments..."));
            for (ExperimentRun* run : active)
                run->cancel();
        }
        event->ignore(); // closes when the last run has ended
        return;
    }
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    event->accept();
}

} // namespace tunebench::ui

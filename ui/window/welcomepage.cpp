#include "window/welcomepage.h"

#include <QFileInfo>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace tunebench::ui {

WelcomePage::WelcomePage(QWidget* parent)
    : QWidget(parent)
    , m_newProject(new QPushButton(tr("New Project..."), this))
    , m_openProject(new QPushButton(tr("Open Project..."), this))
    , m_openDemo(new QPushButton(tr("Open Demo Project"), this))
    , m_recent(new QListWidget(this))
{
    setObjectName(QStringLiteral("welcomePage"));
    auto* title = new QLabel(tr("<h1>Tunebench</h1>"), this);
    auto* subtitle = new QLabel(tr("Train, tune and compare machine-learning models on your own data.\n"
                                   "Start a project, open one, or explore the demo project with bundled datasets."),
                                this);
    subtitle->setWordWrap(true);
    m_openDemo->setObjectName(QStringLiteral("openDemoButton"));
    m_newProject->setObjectName(QStringLiteral("newProjectButton"));
    m_openProject->setObjectName(QStringLiteral("openProjectButton"));
    m_recent->setObjectName(QStringLiteral("recentProjects"));

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_newProject);
    buttons->addWidget(m_openProject);
    buttons->addWidget(m_openDemo);
    buttons->addStretch();

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(32, 24, 32, 24);
    layout->addWidget(title);
    layout->addWidget(subtitle);
    layout->addSpacing(12);
    layout->addLayout(buttons);
    layout->addSpacing(12);
    layout->addWidget(new QLabel(tr("<b>Recent projects</b>"), this));
    layout->addWidget(m_recent, 1);

    connect(m_newProject, &QPushButton::clicked, this, &WelcomePage::newProjectRequested);
    connect(m_openProject, &QPushButton::clicked, this, &WelcomePage::openProjectRequested);
    connect(m_openDemo, &QPushButton::clicked, this, &WelcomePage::openDemoRequested);
    connect(m_recent, &QListWidget::itemActivated, this,
            [this](QListWidgetItem* item) { Q_EMIT recentProjectChosen(item->data(Qt::UserRole).toString()); });
}

void WelcomePage::setRecentProjects(const QStringList& paths)
{
    m_recent->clear();
    for (const QString& path : paths) {
        auto* item = new QListWidgetItem(QStringLiteral("%1 — %2").arg(QFileInfo(path).fileName(), path), m_recent);
        item->setData(Qt::UserRole, path);
        item->setToolTip(path);
    }
    if (paths.isEmpty())
        new QListWidgetItem(tr("(none yet)"), m_recent);
}

} // namespace tunebench::ui

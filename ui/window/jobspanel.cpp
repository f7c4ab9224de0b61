#include "window/jobspanel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QMenu>
#include <QProgressBar>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace tunebench::ui {

namespace {

constexpr int kKeptFinished = 10;
constexpr int kChildKeyRole = Qt::UserRole + 1;

} // namespace

Job::Job(QTreeWidgetItem* item, QProgressBar* bar, QObject* parent)
    : QObject(parent)
    , m_item(item)
    , m_bar(bar)
{ }

void Job::setProgress(int value, int maximum)
{
    m_bar->setRange(0, maximum);
    m_bar->setValue(value);
}

void Job::setStatus(const QString& status)
{
    m_item->setText(2, status);
    m_item->setToolTip(2, status);
}

void Job::setChild(int key, const QString& text, const QString& status)
{
    QTreeWidgetItem*& child = m_children[key];
    if (!child) {
        child = new QTreeWidgetItem(m_item);
        child->setData(0, kChildKeyRole, key);
        m_item->setExpanded(true);
    }
    child->setText(0, text);
    child->setText(2, status);
}

void Job::removeChild(int key)
{
    const auto found = m_children.find(key);
    if (found == m_children.end())
        return;
    delete found->second;
    m_children.erase(found);
}

int Job::childCount() const
{
    return static_cast<int>(m_children.size());
}

void Job::finish(const QString& status, bool complete)
{
    m_finished = true;
    for (auto& [key, child] : m_children)
        delete child;
    m_children.clear();
    setStatus(status);
    if (m_bar->maximum() == 0)
        m_bar->setRange(0, 1);
    if (complete)
        m_bar->setValue(m_bar->maximum());
    setControls({}, {});
}

void Job::setControls(std::function<void()> stop, std::function<void()> cancel, std::function<void(int)> stopChild,
                      std::function<void(int)> restartChild)
{
    onStop = std::move(stop);
    onCancel = std::move(cancel);
    onStopChild = std::move(stopChild);
    onRestartChild = std::move(restartChild);
    Q_EMIT controlsChanged();
}

QString Job::title() const
{
    return m_item->text(0);
}

JobsPanel::JobsPanel(QWidget* parent)
    : QWidget(parent)
    , m_tree(new QTreeWidget(this))
    , m_stop(new QPushButton(tr("Stop"), this))
    , m_cancel(new QPushButton(tr("Cancel"), this))
    , m_clear(new QPushButton(tr("Clear Finished"), this))
{
    setObjectName(QStringLiteral("jobsPanel"));
    m_tree->setObjectName(QStringLiteral("jobsTree"));
    m_tree->setHeaderLabels({tr("Job"), tr("Progress"), tr("Status")});
    m_tree->header()->setSectionResizeMode(0, QHeaderView::Interactive);
    m_tree->header()->resizeSection(0, 320);
    m_tree->header()->resizeSection(1, 220);
    m_tree->header()->setStretchLastSection(true);
    m_tree->setRootIsDecorated(true);
    m_tree->setContextMenuPolicy(Qt::CustomContextMenu);
    m_stop->setToolTip(tr("Finish what is in flight, start nothing new"));
    m_cancel->setToolTip(tr("Stop now"));
    auto* buttons = new QVBoxLayout;
    buttons->addWidget(m_stop);
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_clear);
    buttons->addStretch(1);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addWidget(m_tree, 1);
    layout->addLayout(buttons);

    connect(m_tree, &QTreeWidget::itemSelectionChanged, this, &JobsPanel::updateButtons);
    connect(m_stop, &QPushButton::clicked, this, [this] {
        int child = -1;
        if (Job* job = selectedJob(&child)) {
            if (child >= 0 && job->onStopChild)
                job->onStopChild(child);
            else if (child < 0 && job->onStop)
                job->onStop();
        }
        updateButtons();
    });
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        if (Job* job = selectedJob(); job && job->onCancel)
            job->onCancel();
        updateButtons();
    });
    connect(m_clear, &QPushButton::clicked, this, [this] {
        for (auto it = m_jobs.begin(); it != m_jobs.end();) {
            if (!it->second || it->second->isFinished()) {
                delete it->first;
                if (it->second)
                    it->second->deleteLater();
                it = m_jobs.erase(it);
            } else
                ++it;
        }
        updateButtons();
    });
    connect(m_tree, &QWidget::customContextMenuRequested, this, [this](const QPoint& position) {
        int child = -1;
        Job* job = selectedJob(&child);
        if (!job || child < 0)
            return;
        QMenu menu(this);
        QAction* stop = menu.addAction(tr("Stop Trial"), this, [job, child] {
            if (job->onStopChild)
                job->onStopChild(child);
        });
        stop->setEnabled(static_cast<bool>(job->onStopChild));
        QAction* restart = menu.addAction(tr("Restart Trial"), this, [job, child] {
            if (job->onRestartChild)
                job->onRestartChild(child);
        });
        restart->setEnabled(static_cast<bool>(job->onRestartChild));
        menu.exec(m_tree->viewport()->mapToGlobal(position));
    });
    updateButtons();
}

Job* JobsPanel::addJob(const QString& title)
{
    auto* item = new QTreeWidgetItem({title});
    m_tree->insertTopLevelItem(0, item);
    auto* bar = new QProgressBar(m_tree);
    bar->setRange(0, 0); // busy until told otherwise
    bar->setMaximumHeight(m_tree->fontMetrics().height() + 4);
    m_tree->setItemWidget(item, 1, bar);
    auto* job = new Job(item, bar, this);
    connect(job, &Job::controlsChanged, this, &JobsPanel::updateButtons);
    m_jobs[item] = job;
    m_tree->setCurrentItem(item);
    prune();
    updateButtons();
    return job;
}

QList<Job*> JobsPanel::jobs() const
{
    QList<Job*> result;
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i) {
        const auto found = m_jobs.find(m_tree->topLevelItem(i));
        if (found != m_jobs.end() && found->second)
            result.append(found->second);
    }
    return result;
}

void JobsPanel::prune()
{
    int finished = 0;
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i) {
        QTreeWidgetItem* item = m_tree->topLevelItem(i);
        const auto found = m_jobs.find(item);
        if (found == m_jobs.end() || !found->second || !found->second->isFinished())
            continue;
        if (++finished > kKeptFinished) {
            found->second->deleteLater();
            m_jobs.erase(found);
            delete item;
            --i;
        }
    }
}

Job* JobsPanel::selectedJob(int* childKey) const
{
    QTreeWidgetItem* item = m_tree->currentItem();
    if (childKey)
        *childKey = -1;
    if (!item)
        return nullptr;
    if (item->parent()) {
        if (childKey)
            *childKey = item->data(0, kChildKeyRole).toInt();
        item = item->parent();
    }
    const auto found = m_jobs.find(item);
    return found == m_jobs.end() ? nullptr : found->second.data();
}

void JobsPanel::updateButtons()
{
    int child = -1;
    Job* job = selectedJob(&child);
    m_stop->setEnabled(job && !job->isFinished()
                       && (child >= 0 ? static_cast<bool>(job->onStopChild) : static_cast<bool>(job->onStop)));
    m_stop->setText(child >= 0 ? tr("Stop Trial") : tr("Stop"));
    m_cancel->setEnabled(job && !job->isFinished() && child < 0 && static_cast<bool>(job->onCancel));
}

} // namespace tunebench::ui

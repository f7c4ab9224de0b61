#include "evaluation/benchmarkview.h"

#include <algorithm>
#include <numeric>

#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPainter>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include "common/text.h"
#include "common/workpool.h"
#include "report/exporting.h"

namespace tunebench::ui {

namespace {

/// What a background run hands back to the GUI thread.
struct BenchmarkOutcome
{
    std::optional<jobs::BenchmarkResult> result;
    QString error;
};

} // namespace

CriticalDifferenceDiagram::CriticalDifferenceDiagram(QWidget* parent)
    : QWidget(parent)
{ }

void CriticalDifferenceDiagram::setRanks(std::vector<QString> names, std::vector<double> ranks,
                                         double criticalDifference, double alpha)
{
    m_names = std::move(names);
    m_ranks = std::move(ranks);
    m_criticalDifference = criticalDifference;
    m_alpha = alpha;
    update();
}

void CriticalDifferenceDiagram::clear()
{
    m_names.clear();
    m_ranks.clear();
    update();
}

std::vector<std::vector<int>> CriticalDifferenceDiagram::cliques() const
{
    std::vector<int> order(m_ranks.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](int a, int b) {
        return m_ranks[static_cast<std::size_t>(a)] < m_ranks[static_cast<std::size_t>(b)];
    });
    std::vector<std::vector<int>> groups;
    int lastEnd = -1;
    for (std::size_t i = 0; i < order.size(); ++i) {
        std::size_t j = i;
        while (j + 1 < order.size()
               && m_ranks[static_cast<std::size_t>(order[j + 1])] - m_ranks[static_cast<std::size_t>(order[i])]
                   < m_criticalDifference)
            ++j;
        // A run of one is no group; a run inside the previous one adds nothing.
        if (j > i && static_cast<int>(j) > lastEnd) {
            groups.emplace_back(order.begin() + static_cast<std::ptrdiff_t>(i),
                                order.begin() + static_cast<std::ptrdiff_t>(j) + 1);
            lastEnd = static_cast<int>(j);
        }
    }
    return groups;
}

void CriticalDifferenceDiagram::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.fillRect(rect(), palette().base());
    const QColor text = palette().color(QPalette::Text);
    QFont titleFont = font();
    titleFont.setBold(true);
    painter.setFont(titleFont);
    painter.setPen(text);
    painter.drawText(QRectF(0, 4, width(), 20), Qt::AlignCenter,
                     m_names.empty()
                         ? tr("Critical difference diagram: needs the Friedman test")
                         : tr("Critical difference diagram (Nemenyi, alpha %1): average ranks").arg(m_alpha));
    painter.setFont(font());
    if (m_names.empty())
        return;
    const int k = static_cast<int>(m_names.size());
    // Room for the longest label on either side.
    double labelWidth = 60.0;
    for (std::size_t i = 0; i < m_names.size(); ++i)
        labelWidth = std::max(labelWidth,
                              painter.fontMetrics().horizontalAdvance(
                                  QStringLiteral("%1 (%2)").arg(m_names[i]).arg(m_ranks[i], 0, 'f', 2))
                                  + 16.0);
    labelWidth = std::min(labelWidth, width() / 3.0);
    const double left = labelWidth;
    const double right = width() - labelWidth;
    const double axisY = 70.0;
    auto xOf = [&](double rank) { return left + (rank - 1.0) / std::max(1, k - 1) * (right - left); };

    // The rank axis, 1 (best) on the left.
    painter.setPen(QPen(text, 1.2));
    painter.drawLine(QPointF(left, axisY), QPointF(right, axisY));
    for (int r = 1; r <= k; ++r) {
        painter.drawLine(QPointF(xOf(r), axisY - 6), QPointF(xOf(r), axisY));
        painter.drawText(QRectF(xOf(r) - 15, axisY - 24, 30, 16), Qt::AlignCenter, QString::number(r));
    }
    // The critical difference, as a bar starting at rank 1.
    const double cdY = 34.0;
    painter.drawLine(QPointF(xOf(1), cdY), QPointF(xOf(1.0 + m_criticalDifference), cdY));
    painter.drawLine(QPointF(xOf(1), cdY - 4), QPointF(xOf(1), cdY + 4));
    painter.drawLine(QPointF(xOf(1.0 + m_criticalDifference), cdY - 4),
                     QPointF(xOf(1.0 + m_criticalDifference), cdY + 4));
    painter.drawText(QRectF(xOf(1.0 + m_criticalDifference) + 6, cdY - 8, 120, 16), Qt::AlignLeft | Qt::AlignVCenter,
                     tr("CD = %1").arg(m_criticalDifference, 0, 'f', 2));

    // Algorithms: the better half labelled on the left, the rest on the right, each joined to its rank.
    std::vector<int> order(m_ranks.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](int a, int b) {
        return m_ranks[static_cast<std::size_t>(a)] < m_ranks[static_cast<std::size_t>(b)];
    });
    const double rowHeight = 20.0;
    const int half = (k + 1) / 2;
    const std::vector<std::vector<int>> groups = cliques();
    const double groupsTop = axisY + 10.0;
    const double labelsTop = groupsTop + 8.0 * static_cast<double>(groups.size()) + 14.0;
    for (int i = 0; i < k; ++i) {
        const int algorithm = order[static_cast<std::size_t>(i)];
        const double rank = m_ranks[static_cast<std::size_t>(algorithm)];
        const bool leftSide = i < half;
        const double y = labelsTop + rowHeight * (leftSide ? i : k - 1 - i);
        const double x = xOf(rank);
        const double end = leftSide ? left - 6 : right + 6;
        painter.setPen(QPen(text, 1.0));
        painter.drawLine(QPointF(x, axisY), QPointF(x, y));
        painter.drawLine(QPointF(x, y), QPointF(end, y));
        const QString label
            = QStringLiteral("%1 (%2)").arg(m_names[static_cast<std::size_t>(algorithm)]).arg(rank, 0, 'f', 2);
        const QRectF box
            = leftSide ? QRectF(0, y - 9, left - 8, 18) : QRectF(right + 8, y - 9, width() - right - 8, 18);
        painter.drawText(box, (leftSide ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter,
                         painter.fontMetrics().elidedText(label, Qt::ElideMiddle, static_cast<int>(box.width())));
    }
    // Groups with no significant difference inside: thick bars under the axis.
    painter.setPen(QPen(palette().color(QPalette::Highlight), 4.0, Qt::SolidLine, Qt::RoundCap));
    for (std::size_t g = 0; g < groups.size(); ++g) {
        const double y = groupsTop + 8.0 * static_cast<double>(g);
        const double from = xOf(m_ranks[static_cast<std::size_t>(groups[g].front())]) - 3;
        const double to = xOf(m_ranks[static_cast<std::size_t>(groups[g].back())]) + 3;
        painter.drawLine(QPointF(from, y), QPointF(to, y));
    }
}

BenchmarkView::BenchmarkView(jobs::BenchmarkSpec spec, QWidget* parent)
    : QWidget(parent)
    , m_spec(std::move(spec))
    , m_title(new QLabel(this))
    , m_status(new QLabel(this))
    , m_progress(new QProgressBar(this))
    , m_cancelButton(new QPushButton(tr("Cancel"), this))
    , m_table(new QTableView(this))
    , m_model(new QStandardItemModel(this))
    , m_summary(new QLabel(this))
    , m_diagram(new CriticalDifferenceDiagram(this))
{
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.3);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_title->setText(tr("Benchmark: %1").arg(qs(m_spec.name)));
    const evaluation::ValidationSpec& validation = m_spec.datasets.front().validation;
    m_status->setText(
        tr("%1 datasets x %2 algorithms · %3 · %4 · baseline %5")
            .arg(m_spec.datasets.size())
            .arg(m_spec.algorithms.size())
            .arg(validation.method == evaluation::ValidationSpec::Method::Holdout
                     ? tr("holdout %1").arg(validation.holdoutFraction)
                     : (validation.repeats > 1 ? tr("%1 x %2-fold CV").arg(validation.repeats).arg(validation.folds)
                                               : tr("%1-fold CV").arg(validation.folds)))
            .arg(tr("%1 (%2)").arg(qs(m_spec.metric),
                                   m_spec.higherIsBetter ? tr("higher is better") : tr("lower is better")))
            .arg(qs(m_spec.algorithmLabels[m_spec.baseline])));
    m_progress->setMaximumWidth(260);
    m_cancelButton->setObjectName(QStringLiteral("cancelBenchmark"));
    auto* header = new QHBoxLayout;
    header->addWidget(m_title);
    header->addSpacing(12);
    header->addWidget(m_status, 1);
    header->addWidget(m_progress);
    header->addWidget(m_cancelButton);

    m_table->setObjectName(QStringLiteral("benchmarkTable"));
    m_table->setModel(m_model);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    addTableExport(m_table);
    addImageExport(m_diagram);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* split = new QSplitter(Qt::Vertical, this);
    auto* top = new QWidget(split);
    auto* topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addWidget(m_table, 1);
    topLayout->addWidget(m_summary);
    split->addWidget(top);
    split->addWidget(m_diagram);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(header);
    layout->addWidget(split, 1);
    connect(m_cancelButton, &QPushButton::clicked, this, &BenchmarkView::cancel);
}

BenchmarkView::~BenchmarkView()
{
    // The run stops at its next cell; it holds its own copy of the spec.
    m_cancel.cancel();
}

void BenchmarkView::start()
{
    if (m_running)
        return;
    m_running = true;
    m_cancel = util::CancelToken();
    const int total = static_cast<int>(m_spec.datasets.size() * m_spec.algorithms.size());
    m_progress->setRange(0, total);
    m_progress->setValue(0);
    m_progress->setVisible(true);
    m_cancelButton->setVisible(true);
    const QPointer<BenchmarkView> guard = this;
    auto progress = [guard](int done, int total, const std::string& current) {
        QMetaObject::invokeMethod(
            guard.data(),
            [guard, done, total, current = qs(current)] {
                if (!guard)
                    return;
                guard->m_progress->setValue(done);
                Q_EMIT guard->progressChanged(done, total, current);
            },
            Qt::QueuedConnection);
    };
    auto* watcher = new QFutureWatcher<BenchmarkOutcome>(this);
    connect(watcher, &QFutureWatcher<BenchmarkOutcome>::finished, this, [this, watcher] {
        watcher->deleteLater();
        m_running = false;
        m_progress->setVisible(false);
        m_cancelButton->setVisible(false);
        const BenchmarkOutcome outcome = watcher->result();
        if (outcome.result)
            showResult(*outcome.result);
        else
            m_summary->setText(outcome.error == QLatin1String("cancelled")
                                   ? tr("Cancelled.")
                                   : tr("The benchmark failed: %1").arg(outcome.error));
        Q_EMIT finished(outcome.error);
    });
    watcher->setFuture(
        QtConcurrent::run(workPool(), [spec = m_spec, cancel = m_cancel, progress]() -> BenchmarkOutcome {
            BenchmarkOutcome outcome;
            try {
                outcome.result = jobs::runBenchmark(spec, cancel, progress);
            } catch (const util::Cancelled&) {
                outcome.error = QStringLiteral("cancelled");
            } catch (const std::exception& error) {
                outcome.error = qs(error.what());
            }
            return outcome;
        }));
}

void BenchmarkView::cancel()
{
    m_cancel.cancel();
}

void BenchmarkView::showResult(const jobs::BenchmarkResult& result)
{
    m_result = result;
    m_model->clear();
    QStringList columns;
    for (const std::string& label : m_spec.algorithmLabels)
        columns << qs(label);
    m_model->setHorizontalHeaderLabels(columns);
    QColor win(80, 170, 90, 80);
    QColor loss(210, 80, 70, 80);
    for (std::size_t d = 0; d < result.cells.size(); ++d) {
        QList<QStandardItem*> row;
        for (const jobs::BenchmarkCell& cell : result.cells[d]) {
            auto* item = new QStandardItem;
            if (!cell.error.empty()) {
                item->setText(tr("failed"));
                item->setToolTip(qs(cell.error));
            } else {
                QString text
                    = QStringLiteral("%1 ± %2").arg(cell.summary.mean, 0, 'f', 4).arg(cell.summary.std, 0, 'f', 4);
                if (cell.outcome == jobs::BenchmarkCell::Outcome::Win) {
                    text += QStringLiteral(" v");
                    item->setBackground(win);
                } else if (cell.outcome == jobs::BenchmarkCell::Outcome::Loss) {
                    text += QStringLiteral(" *");
                    item->setBackground(loss);
                }
                item->setText(text);
                if (cell.test)
                    item->setToolTip(tr("corrected t-test against the baseline: t = %1, p = %2")
                                         .arg(cell.test->t, 0, 'f', 3)
                                         .arg(cell.test->pValue, 0, 'g', 3));
            }
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            row << item;
        }
        m_model->appendRow(row);
        m_model->setVerticalHeaderItem(m_model->rowCount() - 1, new QStandardItem(qs(m_spec.datasetLabels[d])));
    }
    QList<QStandardItem*> record;
    for (std::size_t a = 0; a < m_spec.algorithms.size(); ++a) {
        const auto& r = result.versusBaseline[a];
        record << new QStandardItem(a == m_spec.baseline
                                        ? tr("baseline")
                                        : QStringLiteral("%1 / %2 / %3").arg(r.wins).arg(r.ties).arg(r.losses));
        record.back()->setTextAlignment(Qt::AlignCenter);
    }
    m_model->appendRow(record);
    m_model->setVerticalHeaderItem(m_model->rowCount() - 1, new QStandardItem(tr("wins / ties / losses")));
    if (result.friedman) {
        QList<QStandardItem*> ranks;
        for (Eigen::Index a = 0; a < result.friedman->averageRanks.size(); ++a) {
            ranks << new QStandardItem(QString::number(result.friedman->averageRanks(a), 'f', 2));
            ranks.back()->setTextAlignment(Qt::AlignCenter);
        }
        m_model->appendRow(ranks);
        m_model->setVerticalHeaderItem(m_model->rowCount() - 1, new QStandardItem(tr("average rank")));
        std::vector<QString> names;
        std::vector<double> values;
        for (std::size_t a = 0; a < m_spec.algorithms.size(); ++a) {
            names.push_back(qs(m_spec.algorithmLabels[a]));
            values.push_back(result.friedman->averageRanks(static_cast<Eigen::Index>(a)));
        }
        m_diagram->setRanks(std::move(names), std::move(values), result.friedman->criticalDifference,
                            result.friedmanAlpha);
    } else {
        m_diagram->clear();
    }
    QString summary = tr("Cells: mean ± standard deviation over the folds; v (green) significantly better than the "
                         "baseline, * (red) worse, by the corrected resampled t-test at alpha %1.")
                          .arg(m_spec.alpha);
    if (result.friedman)
        summary += QLatin1Char('\n')
            + tr("Friedman test: chi-square %1 (p = %2); Iman-Davenport F %3 (p = %4). Two algorithms whose "
                 "average ranks differ by more than %5 differ significantly (Nemenyi, alpha %6).")
                  .arg(result.friedman->chiSquare, 0, 'f', 3)
                  .arg(result.friedman->pValue, 0, 'g', 3)
                  .arg(result.friedman->imanDavenportF, 0, 'f', 3)
                  .arg(result.friedman->imanDavenportPValue, 0, 'g', 3)
                  .arg(result.friedman->criticalDifference, 0, 'f', 3)
                  .arg(result.friedmanAlpha);
    if (!result.friedmanNote.empty())
        summary += QLatin1Char('\n') + tr("Note: %1.").arg(qs(result.friedmanNote));
    m_summary->setText(summary);
}

} // namespace tunebench::ui

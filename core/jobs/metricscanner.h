#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <QRegularExpression>
#include <QString>

#include "tuning/experimentspec.h"

namespace tunebench::jobs {

/// Reads an external command's metrics from its output, a line at a time: every match of a metric's regular
/// expression is one value (its group named "value", else its first capture group, or the whole match without one);
/// a match that is not a number is passed over. A group named "step" gives the point's step (an epoch counter the
/// command prints: its curve then lands where it belongs when it continues from a checkpoint). The command runner
/// and the editor's regex tester read output with this one scanner.
class MetricScanner
{
public:
    explicit MetricScanner(const std::vector<tuning::MetricPattern>& metrics)
    {
        for (const tuning::MetricPattern& metric : metrics)
            m_patterns.emplace_back(QRegularExpression(QString::fromStdString(metric.regex)), metric.name);
    }

    /// Calls `found(name, value, step)` for each value `line` holds, metric by metric in the spec's order; `step` is
    /// the "step" group's whole number, or nothing.
    template<typename Found> void scanLine(const QString& line, Found&& found) const
    {
        for (const auto& [regex, name] : m_patterns) {
            if (!regex.isValid())
                continue;
            const QStringList groups = regex.namedCaptureGroups();
            const bool named = groups.contains(QStringLiteral("value"));
            const bool stepped = groups.contains(QStringLiteral("step"));
            auto matches = regex.globalMatch(line);
            while (matches.hasNext()) {
                const QRegularExpressionMatch match = matches.next();
                bool ok = false;
                const double value = (named ? match.captured(QStringLiteral("value"))
                                            : match.captured(regex.captureCount() > 0 ? 1 : 0))
                                         .toDouble(&ok);
                std::optional<int> step;
                if (stepped) {
                    bool whole = false;
                    const int number = match.captured(QStringLiteral("step")).toInt(&whole);
                    if (whole)
                        step = number;
                }
                if (ok)
                    found(name, value, step);
            }
        }
    }

private:
    std::vector<std::pair<QRegularExpression, std::string>> m_patterns;
};

} // namespace tunebench::jobs

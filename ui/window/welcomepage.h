#pragma once

#include <QWidget>

class QListWidget;
class QPushButton;

namespace tunebench::ui {

/// The first page: start a project, open one, or open the bundled demo; recent projects below.
class WelcomePage : public QWidget
{
    Q_OBJECT

public:
    explicit WelcomePage(QWidget* parent = nullptr);
    void setRecentProjects(const QStringList& paths);

    [[nodiscard]] QPushButton* newProjectButton() const { return m_newProject; }
    [[nodiscard]] QPushButton* openProjectButton() const { return m_openProject; }
    [[nodiscard]] QPushButton* openDemoButton() const { return m_openDemo; }

Q_SIGNALS:
    void newProjectRequested();
    void openProjectRequested();
    void openDemoRequested();
    void recentProjectChosen(const QString& path);

private:
    QPushButton* m_newProject;
    QPushButton* m_openProject;
    QPushButton* m_openDemo;
    QListWidget* m_recent;
};

} // namespace tunebench::ui

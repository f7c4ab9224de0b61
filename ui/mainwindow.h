#pragma once

#include <memory>

#include <QMainWindow>
#include <QStringList>

class QLabel;
class QTabWidget;
class QTreeWidget;

namespace tunebench::store {
class ProjectStore;
}

namespace tunebench::ui {

class WelcomePage;

/// The workbench window: project explorer on the left, tabbed documents in the centre.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    /// Opens (or creates) a project file; shows an error and returns false when it cannot.
    bool openProject(const QString& path);
    /// Writes the demo project under `directory` in the background, then opens it.
    void openDemoProject(const QString& directory);

    [[nodiscard]] QString projectPath() const { return m_projectPath; }
    [[nodiscard]] WelcomePage* welcomePage() const { return m_welcome; }
    [[nodiscard]] QTreeWidget* explorer() const { return m_explorer; }

Q_SIGNALS:
    /// Emitted on the GUI thread after a project was opened and the explorer filled.
    void projectOpened(const QString& path);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void createActions();
    void refreshExplorer();
    void rememberRecent(const QString& path);
    [[nodiscard]] QStringList recentProjects() const;

    QTabWidget* m_tabs;
    WelcomePage* m_welcome;
    QTreeWidget* m_explorer;
    QLabel* m_statusProject;
    QString m_projectPath;
    std::unique_ptr<store::ProjectStore> m_project;
};

} // namespace tunebench::ui

#pragma once

#include <string>

namespace tunebench::store {

/// Which projects this user trusts to run the external commands they hold.
///
/// A project file may hold experiments whose algorithm is an external command. One received from someone
/// else must run none of them until the user has seen them and said yes: the workbench asks before the
/// first run or resume of such an experiment, `tunebench-cli resume` refuses without `--trust`. The answer
/// is remembered per project (by its canonical path) in the user's configuration
/// ($XDG_CONFIG_HOME/tunebench/trusted-projects), never in the project file, which a sender controls.
/// Projects created on this account are trusted from the start. All functions are thread-safe and
/// process-safe (a lock file guards the registry).

/// Whether the project at `projectPath` is trusted here.
[[nodiscard]] bool isTrusted(const std::string& projectPath);
/// Remembers (or forgets) trust in the project at `projectPath`, which must exist. Throws
/// std::runtime_error when the registry cannot be written.
void setTrusted(const std::string& projectPath, bool trusted);
/// Where the registry lives.
[[nodiscard]] std::string trustRegistryPath();

} // namespace tunebench::store

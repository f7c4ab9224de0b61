#pragma once

namespace tunebench::util {

/// Makes the calling thread (and the processes it starts) yield to interactive work: on Linux its nice
/// value goes up by `increment` (trials run in the background; the desktop and the GUI thread stay
/// responsive however many trials are busy). Best effort: does nothing where it is not supported.
void lowerCurrentThreadPriority(int increment = 10) noexcept;

} // namespace tunebench::util

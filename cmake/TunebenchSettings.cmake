# One INTERFACE target carries the project-wide language level, warnings and Qt strictness macros.
# Every target of the project links it.
add_library(tunebench_settings INTERFACE)
target_compile_features(tunebench_settings INTERFACE cxx_std_20)
set(CMAKE_CXX_EXTENSIONS OFF)

target_compile_options(tunebench_settings INTERFACE
    -Wall -Wextra -Wpedantic -Wnon-virtual-dtor -Woverloaded-virtual)

option(TUNEBENCH_WERROR "Treat warnings as errors" OFF)
if(TUNEBENCH_WERROR)
    target_compile_options(tunebench_settings INTERFACE -Werror)
endif()

target_compile_definitions(tunebench_settings INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_NO_CAST_TO_ASCII
    QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
    QT_USE_QSTRINGBUILDER
    QT_NO_KEYWORDS
    TUNEBENCH_VERSION="${PROJECT_VERSION}")

# Code for the CPU that builds it (AVX2/AVX-512 in Eigen's kernels: the MLP and the linear algebra run
# several times faster). Right for a build made where it runs, as quickstart.sh does; packages built
# for other machines (issue #7) keep it OFF.
option(TUNEBENCH_NATIVE_ARCH "Compile for the building machine's CPU (-march=native)" OFF)
if(TUNEBENCH_NATIVE_ARCH)
    # GCC 12 reports false -Wmaybe-uninitialized inside its own AVX-512 intrinsics headers (used through
    # Eigen); the portable `dev` build keeps the warning, and -Werror, for our code.
    target_compile_options(tunebench_settings INTERFACE -march=native
        $<$<CXX_COMPILER_ID:GNU>:-Wno-maybe-uninitialized>)
endif()

# The package's build (preset `package`): programs for the x86-64 baseline, the engine a shared library built
# for the baseline and again for x86-64-v3 and -v4, of which the dynamic loader picks the best (core/CMakeLists.txt).
option(TUNEBENCH_DISPATCH "Build the engine for several instruction-set levels, chosen at start-up" OFF)
if(TUNEBENCH_DISPATCH AND TUNEBENCH_NATIVE_ARCH)
    message(FATAL_ERROR "TUNEBENCH_DISPATCH builds for every x86-64 CPU: turn TUNEBENCH_NATIVE_ARCH off")
endif()
if(TUNEBENCH_DISPATCH)
    # One memory layout for Eigen's objects in every build, whatever its instruction set: memory that the
    # AVX-512 engine allocates is freed by the baseline programs, and the other way round (left to Eigen, the
    # baseline aligns to 16 bytes with plain malloc, AVX-512 to 64 with its own, and the programs crash).
    target_compile_definitions(tunebench_settings INTERFACE EIGEN_MAX_ALIGN_BYTES=64)
    # Programs installed in bin/ and libexec/tunebench/ find the engine in lib/tunebench.
    set(CMAKE_INSTALL_RPATH "$ORIGIN/../${CMAKE_INSTALL_LIBDIR}/tunebench;$ORIGIN/../../${CMAKE_INSTALL_LIBDIR}/tunebench")
endif()

# Sanitizer builds (presets asan / tsan) set TUNEBENCH_SANITIZE to "address,undefined" or "thread".
set(TUNEBENCH_SANITIZE "" CACHE STRING "Comma-separated -fsanitize= list, empty for none")
if(TUNEBENCH_SANITIZE)
    target_compile_options(tunebench_settings INTERFACE
        -fsanitize=${TUNEBENCH_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
    target_link_options(tunebench_settings INTERFACE -fsanitize=${TUNEBENCH_SANITIZE})
endif()

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

# Sanitizer builds (presets asan / tsan) set TUNEBENCH_SANITIZE to "address,undefined" or "thread".
set(TUNEBENCH_SANITIZE "" CACHE STRING "Comma-separated -fsanitize= list, empty for none")
if(TUNEBENCH_SANITIZE)
    target_compile_options(tunebench_settings INTERFACE
        -fsanitize=${TUNEBENCH_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
    target_link_options(tunebench_settings INTERFACE -fsanitize=${TUNEBENCH_SANITIZE})
endif()

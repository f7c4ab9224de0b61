#!/usr/bin/env python3
"""Fails when a function in core/, ui/ or app/ is longer than the limit (150 lines by default), counted from the
first line of its signature (a constructor's initializer list included) to its closing brace.

The project's style (clang-format) puts a function's braces alone on their lines, at the indentation of its
signature, in .cpp files and in class bodies alike; a control statement's brace stays on its line. So a body
is a lone "{" under a signature (a line ending in ")", "const", "override", "noexcept", "final", or an
initializer-list entry) up to the next lone "}" at the same indentation.
Usage: check_function_size.py ROOT [LIMIT]
"""
import pathlib
import re
import sys

SIGNATURE_END = re.compile(r"(\)|\bconst|\boverride|\bnoexcept|\bfinal|\)\s*->\s*[\w:<>]+)\s*$")


def functions(path):
    """(first line, length, name) of each function body in the file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    for index, line in enumerate(lines):
        stripped = line.strip()
        if stripped != "{" or index == 0:
            continue
        indent = line[: len(line) - len(line.lstrip())]
        previous = lines[index - 1]
        if not (SIGNATURE_END.search(previous) or previous.lstrip().startswith((": ", ", "))):
            continue
        # The signature: back over its continuation lines and initializer list, to a line at this indentation.
        start = index - 1
        while start > 0 and not (lines[start].startswith(indent) and not lines[start].startswith(indent + " ")
                                 and not lines[start].lstrip().startswith((": ", ", "))):
            start -= 1
        end = index + 1
        while end < len(lines) and lines[end] != indent + "}" and not lines[end].startswith(indent + "};"):
            end += 1
        yield start + 1, end - start + 1, lines[start].strip()


def main():
    root = pathlib.Path(sys.argv[1])
    limit = int(sys.argv[2]) if len(sys.argv) > 2 else 150
    found = []
    for folder in ("core", "ui", "app"):
        for path in sorted((root / folder).rglob("*.cpp")) + sorted((root / folder).rglob("*.h")):
            for line, length, signature in functions(path):
                if length > limit:
                    found.append((length, f"{path.relative_to(root)}:{line}: {length} lines: {signature}"))
    for _, text in sorted(found, reverse=True):
        print(text)
    if found:
        print(f"{len(found)} functions over {limit} lines")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

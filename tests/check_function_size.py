#!/usr/bin/env python3
"""Fails when a function in core/, ui/ or app/ is longer than the limit (150 lines, body braces included).

The project's style (clang-format) puts a function's opening and closing braces alone at column 0, so a body is
the lines from a "{" line at column 0 to the next "}" line at column 0. Usage: check_function_size.py ROOT [LIMIT]
"""
import pathlib
import sys


def functions(path):
    """(first line, length, signature) of each function body in the file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = None
    for number, line in enumerate(lines, 1):
        if line == "{" and number > 1 and not lines[number - 2].startswith(("class ", "struct ", "enum ", "namespace")):
            start = number
        elif line.startswith("}") and start is not None and not line.startswith("} //"):
            signature = lines[start - 2].strip()
            yield start - 1, number - start + 1, signature
            start = None


def main():
    root = pathlib.Path(sys.argv[1])
    limit = int(sys.argv[2]) if len(sys.argv) > 2 else 150
    found = []
    for folder in ("core", "ui", "app"):
        for path in sorted((root / folder).rglob("*.cpp")):
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

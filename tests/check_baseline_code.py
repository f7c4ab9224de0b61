#!/usr/bin/env python3
"""Proves by disassembly that machine code holds no instruction beyond the x86-64 baseline (SSE2).

    check_baseline_code.py [--expect-beyond] FILE...

Every instruction of every FILE (objdump -d) is checked against what the baseline lacks: anything VEX- or
EVEX-encoded (AVX, AVX2, FMA, AVX-512: mnemonics starting with "v", or using ymm, zmm or mask registers),
SSE3, SSSE3, SSE4.1 and 4.2, POPCNT, LZCNT, BMI1 and BMI2 and MOVBE. Prints a count per file; exits 1
when a file holds any, naming the first few. With --expect-beyond it checks the opposite: each FILE (a build
of the engine for a higher level) must hold some, so that the check above is known to see them.
"""
import re
import subprocess
import sys

BEYOND_BASELINE = {
    # SSE3
    "addsubpd", "addsubps", "haddpd", "haddps", "hsubpd", "hsubps", "lddqu", "movddup", "movshdup", "movsldup",
    "fisttp", "fisttps", "fisttpl", "fisttpll", "monitor", "mwait",
    # SSSE3
    "pabsb", "pabsw", "pabsd", "palignr", "phaddw", "phaddd", "phaddsw", "phsubw", "phsubd", "phsubsw",
    "pmaddubsw", "pmulhrsw", "pshufb", "psignb", "psignw", "psignd",
    # SSE4.1
    "blendpd", "blendps", "blendvpd", "blendvps", "dppd", "dpps", "extractps", "insertps", "movntdqa", "mpsadbw",
    "packusdw", "pblendvb", "pblendw", "pcmpeqq", "pextrb", "pextrd", "pextrq", "phminposuw", "pinsrb", "pinsrd",
    "pinsrq", "pmaxsb", "pmaxsd", "pmaxud", "pmaxuw", "pminsb", "pminsd", "pminud", "pminuw", "pmovsxbw",
    "pmovsxbd", "pmovsxbq", "pmovsxwd", "pmovsxwq", "pmovsxdq", "pmovzxbw", "pmovzxbd", "pmovzxbq", "pmovzxwd",
    "pmovzxwq", "pmovzxdq", "pmuldq", "pmulld", "ptest", "roundpd", "roundps", "roundsd", "roundss",
    # SSE4.2, POPCNT, LZCNT
    "pcmpestri", "pcmpestrm", "pcmpistri", "pcmpistrm", "pcmpgtq", "crc32", "crc32b", "crc32w", "crc32l",
    "crc32q", "popcnt", "lzcnt",
    # (not tzcnt: its encoding is "rep bsf", which GCC emits for the baseline because a CPU without BMI runs it
    # as bsf, the same result for a non-zero operand; objdump prints it as tzcnt)
    # BMI1, BMI2, MOVBE
    "andn", "bextr", "blsi", "blsmsk", "blsr", "bzhi", "mulx", "pdep", "pext", "rorx", "sarx", "shlx", "shrx",
    "movbe",
}
# objdump's AT&T mnemonics may carry an operand-size suffix (popcntq, shlxl, crc32b).
SUFFIX = re.compile(r"^(.*?)(b|w|l|q)?$")
WIDE_REGISTER = re.compile(r"%(ymm|zmm)\d+|%k[0-7]\b")
LINE = re.compile(r"^\s*[0-9a-f]+:\s+(\S+)\s*(.*)$")


def beyond(mnemonic, operands):
    if WIDE_REGISTER.search(operands):
        return True
    if mnemonic.startswith("v") and mnemonic not in ("verr", "verw"):
        return True
    if mnemonic in BEYOND_BASELINE:
        return True
    stem = SUFFIX.match(mnemonic).group(1)
    return stem in BEYOND_BASELINE


def scan(path):
    disassembly = subprocess.run(["objdump", "-d", "--no-show-raw-insn", path], check=True, capture_output=True,
                                 text=True).stdout
    found = []
    total = 0
    function = "?"
    for line in disassembly.splitlines():
        if line.endswith(">:"):
            function = line.split("<", 1)[1][:-2]
            continue
        match = LINE.match(line)
        if not match:
            continue
        total += 1
        mnemonic, operands = match.group(1), match.group(2)
        if mnemonic.startswith(("rep", "lock", "notrack", "bnd", "data16", "cs", "ds")) and operands:
            mnemonic, _, operands = operands.partition(" ")
        if beyond(mnemonic, operands):
            found.append(f"{function}: {mnemonic} {operands}".strip())
    return total, found


def main(argv):
    expect_beyond = "--expect-beyond" in argv
    files = [a for a in argv if a != "--expect-beyond"]
    failed = False
    for path in files:
        total, found = scan(path)
        print(f"{path}: {total} instructions, {len(found)} beyond the x86-64 baseline")
        if expect_beyond and not found:
            print(f"  expected some: {path} should be a build for a higher level")
            failed = True
        if not expect_beyond and found:
            for example in found[:10]:
                print(f"  {example}")
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

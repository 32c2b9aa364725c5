"""`make bench` (python -m bench [NAME ...]): run the benchmarks and write their results into
docs/performance.md.

Each module bench/NAME.py (names starting with "_" are helpers) defines

    DESCRIPTION = "one line: what it measures"
    def run(*, quick: bool) -> str: ...

run() builds what it needs (its own databases, in temporary directories), prints each step and
how long it took as it goes, and returns the Markdown for its section of docs/performance.md.
The section replaces the text between `<!-- bench:NAME -->` and `<!-- /bench:NAME -->`, so
benchmarks run one at a time never overwrite each other's results. --quick runs at small sizes
to check that a benchmark works; its results are printed, not written.
"""

import argparse
import importlib
import pkgutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "docs" / "performance.md"
HEADER = """# Performance

Measured by `make bench` (every benchmark) or `make bench BENCH=NAME` (one of them) on the
project's reference machine (2 cores). Each section below is rewritten by its benchmark; the
command that reproduces it is given in the section.
"""


def available() -> list[str]:
    package = Path(__file__).resolve().parent
    return sorted(
        m.name for m in pkgutil.iter_modules([str(package)]) if not m.name.startswith("_")
    )


def write_section(name: str, markdown: str) -> None:
    start, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    text = REPORT.read_text() if REPORT.exists() else HEADER
    block = f"{start}\n{markdown.strip()}\n{end}"
    if start in text and end in text:
        before, rest = text.split(start, 1)
        _, after = rest.split(end, 1)
        text = before + block + after
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    REPORT.write_text(text)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="make bench", description=__doc__.split("\n")[0])
    parser.add_argument(
        "names", nargs="*", help=f"benchmarks to run (default: all of {available()})"
    )
    parser.add_argument("--quick", action="store_true", help="small sizes; print, don't write")
    args = parser.parse_args(argv)
    names = args.names or available()
    unknown = sorted(set(names) - set(available()))
    if unknown:
        parser.error(
            f"no such benchmark: {', '.join(unknown)} (there are: {', '.join(available())})"
        )
    sys.path.insert(0, str(ROOT))
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        print(f"== {name}: {module.DESCRIPTION}", flush=True)
        started = time.perf_counter()
        markdown = module.run(quick=args.quick)
        print(f"== {name} took {time.perf_counter() - started:.1f} s", flush=True)
        if args.quick:
            print(markdown)
        else:
            write_section(name, markdown)
            print(f"== {name}: results written to {REPORT.relative_to(ROOT)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

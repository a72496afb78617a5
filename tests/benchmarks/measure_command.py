"""Run one management command in this process and print its time and peak memory as JSON.

    python tests/benchmarks/measure_command.py involvement_report --from 2024-11 --to 2026-11 \\
        -o report.pdf

A child process of its own, so the peak resident memory is the command's alone (the benchmark
itself and the server are not counted)."""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command(*sys.argv[1:])
    seconds = time.perf_counter() - started
    # ru_maxrss is in kilobytes on Linux.
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": round(seconds, 2), "peak_mb": round(peak_mb, 1)}))


if __name__ == "__main__":
    main()

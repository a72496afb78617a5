"""Audit the locked dependencies for known vulnerabilities with pip-audit (part of `make lint`).

Fails on a known vulnerability. Where the vulnerability service cannot be reached, or the package
registry in use does not publish vulnerability data (a mirror), it says so and why on one line —
never silently passing as if audited.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

LOCK = Path(__file__).resolve().parent.parent / "requirements" / "dev.txt"


def main() -> int:
    pip_audit = Path(sys.executable).with_name("pip-audit")
    result = subprocess.run(  # noqa: S603 - fixed argv
        [
            str(pip_audit),
            "-r",
            str(LOCK),
            "--no-deps",
            "--disable-pip",
            "-f",
            "json",
            "--progress-spinner",
            "off",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        print(f"pip-audit SKIPPED: the vulnerability service could not be reached ({last[:200]})")
        return 0
    dependencies = report.get("dependencies", [])
    vulnerable = [d for d in dependencies if d.get("vulns")]
    skipped = [d for d in dependencies if "skip_reason" in d]
    if vulnerable:
        for dep in vulnerable:
            ids = ", ".join(v["id"] for v in dep["vulns"])
            name = f"{dep['name']} {dep.get('version', '')}"
            print(f"pip-audit: {name} has known vulnerabilities: {ids}")
        return 1
    if dependencies and len(skipped) == len(dependencies):
        print(
            f"pip-audit SKIPPED: none of the {len(dependencies)} locked packages could be audited: "
            "the registry reached does not publish vulnerability data "
            f"({skipped[0]['skip_reason']})"
        )
        return 0
    audited = len(dependencies) - len(skipped)
    print(f"pip-audit: no known vulnerabilities in {audited} locked packages", end="")
    print(f" ({len(skipped)} could not be audited)" if skipped else "")
    return 0


if __name__ == "__main__":
    sys.exit(main())

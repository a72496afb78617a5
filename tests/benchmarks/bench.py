"""``make bench``: Big I at a whole trust's size, on PostgreSQL, under gunicorn (issue 10).

One run, end to end:

1. creates the benchmark database (dropping an old one), migrates it and fills it with
   ``seed_scale`` (timed), rebuilds the derived project-month table (timed) and reads the trust's
   monthly series (timed, as ``involvement_series`` does);
2. times the two CSV imports at the scale dataset's size on a second, empty database;
3. starts gunicorn (2 workers) on 127.0.0.1, signs in one user per role and measures every key
   page with wrk: median and 95th percentile, and the ratio of each median to the minimal page's
   (the base layout with nothing in it) measured in the same run;
4. shows ``EXPLAIN ANALYZE`` of the heaviest query of each page;
5. writes the involvement PDF report in a child process (time and peak memory);
6. runs the load test: 20 PPLs logging memberships and approving claims for 60 s at once, then
   counts the rows in the database against the successful responses;
7. stops gunicorn, prints one table and writes it as JSON to ``$BENCH_JSON``.

Only the ratios are compared with the targets; the milliseconds depend on the machine.
``--reuse`` skips step 1 when the database is already filled (for a quicker second run).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import datetime
import html
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.client import HTTPConnection
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/bigi_bench"
PASSWORD = "big-i-demo"

# Targets: each page's median as a ratio to the minimal page's median in the same run.
PROJECT_PAGE_TARGET = 2.0
PAGE_TARGET = 3.0
REPORT_SECONDS_TARGET = 20.0
REPORT_MB_TARGET = 500.0
IMPORT_SECONDS_TARGET = 60.0
SEED_SECONDS_TARGET = 300.0


# --- the databases -------------------------------------------------------------------------------


def _server_and_name(url: str) -> tuple[str, str]:
    parsed = urllib.parse.urlparse(url)
    if parsed.scheme not in {"postgres", "postgresql"}:
        sys.exit("make bench needs PostgreSQL: BENCH_DATABASE_URL must be postgres://…")
    return parsed._replace(path="/postgres").geturl(), parsed.path.lstrip("/")


def recreate_database(url: str) -> None:
    import psycopg

    server, name = _server_and_name(url)
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        sys.exit(f"The benchmark database name {name!r} must be a plain lower-case name.")
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {name}")


def manage(env: dict, *args: str, quiet: bool = True) -> float:
    """Run one management command in a child process; return the seconds it took."""
    started = time.perf_counter()
    subprocess.run(  # noqa: S603 - fixed argv
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL if quiet else None,
    )
    return time.perf_counter() - started


def child_env(database_url: str, **extra: str) -> dict:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": database_url,
            "SECRET_KEY": env.get("SECRET_KEY") or "benchmark-only-not-secret",
            "DEBUG": "0",
            # gunicorn listens on plain HTTP on 127.0.0.1; production sits behind TLS.
            "SECURE_SSL_REDIRECT": "0",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            **extra,
        }
    )
    return env


# --- a small HTTP client: cookies, CSRF, sign-in -------------------------------------------------


class Browser:
    """One signed-in person: a keep-alive connection and its cookies. The session cookie is
    marked Secure (production runs behind TLS), so cookies are kept by hand, not by cookiejar."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.connection = HTTPConnection("127.0.0.1", port, timeout=60)

    def _request(self, method: str, path: str, body: str | None = None):
        headers = {"Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in range(2):
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except (ConnectionError, OSError):
                # gunicorn closed the keep-alive connection: open a new one, once.
                self.connection.close()
                self.connection = HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt:
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.getheader("Location", ""), text

    def get(self, path: str):
        return self._request("GET", path)

    def post(self, path: str, data: dict) -> tuple[int, str, str]:
        fields = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **data}
        return self._request("POST", path, urllib.parse.urlencode(fields, doseq=True))

    def sign_in(self, username: str, password: str) -> None:
        self.get("/accounts/login/")
        status, location, _ = self.post(
            "/accounts/login/", {"username": username, "password": password}
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"Could not sign in as {username} (HTTP {status}).")

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())


# --- gunicorn -----------------------------------------------------------------------------------


def start_gunicorn(env: dict, port: int, workers: int) -> subprocess.Popen:
    gunicorn = Path(PYTHON).with_name("gunicorn")
    process = subprocess.Popen(  # noqa: S603 - fixed argv
        [
            str(gunicorn),
            "config.wsgi",
            f"--workers={workers}",
            f"--bind=127.0.0.1:{port}",
            "--access-logfile=-" if os.environ.get("BENCH_ACCESS_LOG") else "--error-logfile=-",
            "--log-level=warning",
            "--timeout=120",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/accounts/login/", headers={"Host": "127.0.0.1"})
            if connection.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.3)
    stop(process)
    raise SystemExit("gunicorn did not start within 60 s.")


def stop(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(process.pid, signal.SIGKILL)


# --- the pages ----------------------------------------------------------------------------------


@dataclass
class Page:
    name: str
    role: str
    path: str
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    requests: int = 0
    bad_responses: int = 0
    ratio: float = 0.0
    heaviest: dict = field(default_factory=dict)


def key_pages(users: dict[str, str]) -> list[Page]:
    """Every page the issue names, with the objects a busy user of that role would open."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db.models import Count
    from django.urls import reverse

    from involvement import access
    from projects.models import Project

    ppl = get_user_model().objects.get(username=users["ppl"])
    directorate_ids = sorted(access.ppl_directorate_ids(ppl))
    directorate_id = directorate_ids[0]
    # The busiest project the PPL looks after: the most team members and little-i activities.
    busiest = (
        Project.objects.filter(directorate_id__in=directorate_ids)
        .annotate(size=Count("memberships", distinct=True) + Count("activities", distinct=True))
        .order_by("-size")
        .values_list("pk", flat=True)
        .first()
    )
    filtered = urllib.parse.urlencode({"directorate": directorate_id, "status": "active"})
    return [
        Page("minimal", "ppl", reverse("minimal")),
        Page("home_ppl", "ppl", reverse("involvement:ppl_home")),
        Page("home_su", "su", reverse("involvement:my_area")),
        Page("home_lead", "lead", reverse("projects:lead_home")),
        Page("home_chair", "chair", reverse("charts:chair_home")),
        Page("home_admin", "admin", reverse("charts:admin_home")),
        Page("project_list", "ppl", reverse("projects:list")),
        Page("project_list_filtered", "ppl", reverse("projects:list") + "?" + filtered),
        Page("project_page", "ppl", reverse("projects:detail", args=[busiest])),
        Page("pchart_trust", "chair", reverse("charts:pchart")),
        Page(
            "pchart_directorate",
            "chair",
            reverse("charts:pchart") + f"?scope=directorate-{directorate_id}",
        ),
        Page("small_multiples", "chair", reverse("charts:small_multiples")),
        Page("aims", "chair", reverse("charts:aims")),
        Page("people", "ppl", reverse("involvement:people_list")),
        Page("claims_queue", "ppl", reverse("involvement:payments_queue")),
        Page("story_search", "ppl", reverse("stories:library") + "?q=involvement+forum"),
    ]


WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format(
    '{"p50_ms": %.3f, "p95_ms": %.3f, "requests": %d, "bad": %d}\\n',
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout))
end
"""


def measure(page: Page, cookie: str, port: int, seconds: int, connections: int) -> None:
    script = Path(tempfile.gettempdir()) / "bigi-bench.lua"
    script.write_text(WRK_SCRIPT)
    url = f"http://127.0.0.1:{port}{page.path}"
    common = ["-H", f"Cookie: {cookie}", "-H", "Host: 127.0.0.1", "-s", str(script), url]
    # Warm-up: each worker's caches and connections, as a server that has been up a while.
    wrk = shutil.which("wrk")
    subprocess.run(  # noqa: S603 - fixed argv
        [wrk, "-t1", f"-c{connections}", "-d2s", *common], check=True, capture_output=True
    )
    result = subprocess.run(  # noqa: S603 - fixed argv
        [wrk, "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", *common],
        check=True,
        capture_output=True,
        text=True,
    )
    numbers = json.loads(result.stdout.strip().splitlines()[-1])
    page.p50_ms, page.p95_ms = numbers["p50_ms"], numbers["p95_ms"]
    page.requests, page.bad_responses = numbers["requests"], numbers["bad"]


def explain_heaviest(pages: list[Page], users: dict[str, str]) -> None:
    """Each page once in this process with Django's test client: its slowest query, explained."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    clients = {}
    for page in pages:
        if page.role not in clients:
            client = Client(SERVER_NAME="127.0.0.1")
            client.force_login(get_user_model().objects.get(username=users[page.role]))
            clients[page.role] = client
        with CaptureQueriesContext(connection) as queries:
            response = clients[page.role].get(page.path, secure=True)
        if response.status_code != 200:
            raise SystemExit(f"{page.name}: {page.path} answered {response.status_code}")
        timed = [
            q for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")
        ]
        if not timed:
            continue
        heaviest = max(timed, key=lambda q: float(q["time"]))
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + heaviest["sql"])
            plan = [row[0] for row in cursor.fetchall()]
        page.heaviest = {
            "queries": len(queries.captured_queries),
            "ms": round(float(heaviest["time"]) * 1000, 2),
            "sql": heaviest["sql"][:400],
            "plan": plan,
        }


# --- the report ---------------------------------------------------------------------------------


def time_report(env: dict) -> dict:
    today = datetime.date.today()
    start = f"{today.year - 2:04d}-{today.month:02d}"
    end = f"{today.year:04d}-{today.month:02d}"
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "report.pdf"
        result = subprocess.run(  # noqa: S603 - fixed argv
            [
                PYTHON,
                str(HERE / "measure_command.py"),
                "involvement_report",
                "--from",
                start,
                "--to",
                end,
                "-o",
                str(output),
            ],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        measured = json.loads(result.stdout.strip().splitlines()[-1])
        measured["bytes"] = output.stat().st_size
    measured["period"] = f"{start} to {end}"
    return measured


# --- the load test ------------------------------------------------------------------------------


OPTION = re.compile(r'<option value="([^"]+)"')
APPROVE = re.compile(r'action="(/payments/claims/(\d+)/approve/)"')


@dataclass
class LoadTally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    requests: int = 0
    errors: int = 0
    memberships_added: int = 0
    memberships_refused: int = 0
    approvals: dict = field(default_factory=dict)  # claim id → successful approvals seen
    approvals_refused: int = 0
    error_samples: list = field(default_factory=list)

    def count(self, status: int, what: str) -> None:
        with self.lock:
            self.requests += 1
            if status >= 500 or status == 0:
                self.errors += 1
                if len(self.error_samples) < 5:
                    self.error_samples.append(f"{status} {what}")


def _membership_form(body: str) -> dict:
    """The fields of the 'add to the team' form, filled: a person, a role, joined today."""
    select_person = re.search(r'<select[^>]*name="person"[^>]*>(.*?)</select>', body, re.S)
    people = OPTION.findall(select_person.group(1)) if select_person else []
    if not people:
        return {}
    today = datetime.date.today()
    return {
        "person": random.choice(people),  # noqa: S311 - not security
        "role": "Team member",
        "start_date_day": today.day,
        "start_date_month": today.month,
        "start_date_year": today.year,
    }


def simulated_ppl(
    port: int, username: str, projects: list[int], tally: LoadTally, until: float
) -> None:
    browser = Browser(port)
    browser.sign_in(username, PASSWORD)
    turn = 0
    while time.monotonic() < until:
        turn += 1
        if turn % 2:
            project = random.choice(projects)  # noqa: S311 - not security
            path = f"/projects/{project}/team/add/"
            status, _, body = browser.get(path)
            tally.count(status, path)
            data = _membership_form(body) if status == 200 else {}
            if not data:
                continue
            status, location, body = browser.post(path, data)
            tally.count(status, "POST " + path)
            with tally.lock:
                if status == 302:
                    tally.memberships_added += 1
                elif status == 200:
                    tally.memberships_refused += 1  # e.g. already on the team: a clear error
        else:
            status, _, body = browser.get("/payments/")
            tally.count(status, "/payments/")
            found = APPROVE.findall(body)
            if not found:
                continue
            # Several PPLs share a directorate, so they race for the same few claims.
            path, claim = random.choice(found[:3])  # noqa: S311 - not security
            status, location, _ = browser.post(path, {"next": "queue"})
            tally.count(status, "POST " + path)
            if status != 302:
                continue
            status, _, body = browser.get(location)
            tally.count(status, location)
            approved = re.search(r"Claim [^<]* approved\.", html.unescape(body))
            with tally.lock:
                if approved:
                    tally.approvals[claim] = tally.approvals.get(claim, 0) + 1
                else:
                    tally.approvals_refused += 1


def share_directorates(ppls: list) -> None:
    """Pair the PPLs: the second half also work in the first half's directorates, so two people
    race for the same waiting claims (the case that must give exactly one approval)."""
    from projects.models import Directorate

    half = len(ppls) // 2
    for first, second in zip(ppls[:half], ppls[half:], strict=False):
        for directorate in Directorate.objects.filter(staff=first):
            directorate.staff.add(second)


def load_test(port: int, users: list[str], seconds: int) -> dict:
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from involvement import access
    from involvement.models import TeamMembership
    from involvement.models_payments import Claim, ClaimStatus
    from projects.models import Project

    people = get_user_model().objects.filter(username__in=users)
    share_directorates(list(people.order_by("username")))
    work = []
    for user in people:
        ids = sorted(access.ppl_directorate_ids(user))
        projects = list(
            Project.objects.filter(directorate_id__in=ids, status="active").values_list(
                "pk", flat=True
            )[:50]
        )
        work.append((user.username, projects))
    memberships_before = TeamMembership.objects.count()
    approved_before = set(
        Claim.objects.filter(status=ClaimStatus.APPROVED).values_list("pk", flat=True)
    )
    tally = LoadTally()
    until = time.monotonic() + seconds
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(work)) as pool:
        futures = [
            pool.submit(simulated_ppl, port, username, projects, tally, until)
            for username, projects in work
            if projects
        ]
        for future in futures:
            future.result()
    memberships_after = TeamMembership.objects.count()
    newly_approved = (
        set(Claim.objects.filter(status=ClaimStatus.APPROVED).values_list("pk", flat=True))
        - approved_before
    )
    seen = {int(claim) for claim in tally.approvals}
    doubled_in_responses = sum(1 for n in tally.approvals.values() if n > 1)
    # Each approval is one history row with the status becoming approved: two would be a double.
    doubled_in_history = (
        Claim.history.filter(pk__in=seen, status=ClaimStatus.APPROVED)
        .values("pk")
        .annotate(n=django.db.models.Count("history_id"))
        .filter(n__gt=1)
        .count()
    )
    lost = abs((memberships_after - memberships_before) - tally.memberships_added) + len(
        seen ^ newly_approved
    )
    return {
        "simulated_ppls": len(futures),
        "seconds": seconds,
        "requests": tally.requests,
        "errors": tally.errors,
        "error_samples": tally.error_samples,
        "memberships_added": tally.memberships_added,
        "memberships_refused_with_a_message": tally.memberships_refused,
        "claims_approved": len(seen),
        "approvals_refused_with_a_message": tally.approvals_refused,
        "lost_writes": lost,
        "double_approvals": doubled_in_responses + doubled_in_history,
    }


# --- the run ------------------------------------------------------------------------------------


def timed_series(env: dict) -> dict:
    """The trust's monthly series from the derived table, as ``involvement_series`` reads it
    (``levels.involvement_series``, one aggregate), timed in this process: best of five."""
    from involvement import levels

    times, rows = [], []
    for _ in range(5):
        started = time.perf_counter()
        rows = levels.involvement_series()
        times.append(time.perf_counter() - started)
    return {"months": len(rows), "milliseconds": round(min(times) * 1000, 1)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reuse", action="store_true", help="keep the filled database")
    parser.add_argument("--projects", type=int, default=5000)
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--seconds", type=int, default=8, help="wrk time per page")
    parser.add_argument("--connections", type=int, default=2, help="wrk connections per page")
    parser.add_argument("--load-seconds", type=int, default=60)
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "8121")))
    parser.add_argument("--skip-imports", action="store_true")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="check the harness quickly: seed_demo instead of seed_scale, the demo's users",
    )
    options = parser.parse_args()

    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (make bench installs it: apt-get install wrk).")
    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
    cache_url = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/7")
    env = child_env(database_url, CACHE_URL=cache_url)
    os.environ.update(env)
    import django

    django.setup()  # this process reads the database too: EXPLAIN, and counting after the load
    setup: dict = {}

    if not options.reuse:
        dataset = "demo" if options.demo else "scale"
        print(f"Creating {_server_and_name(database_url)[1]} and loading the {dataset} dataset …")
        recreate_database(database_url)
        manage(env, "migrate", "--no-input", "-v0")
        if options.demo:
            manage(env, "seed_demo", f"--password={PASSWORD}")
        else:
            setup["seed_scale_seconds"] = round(
                manage(
                    env,
                    "seed_scale",
                    f"--projects={options.projects}",
                    f"--people={options.people}",
                    f"--years={options.years}",
                    f"--password={PASSWORD}",
                    quiet=False,
                ),
                1,
            )
    print("Rebuilding the derived project-month table …")
    setup["rebuild_levels_seconds"] = round(manage(env, "rebuild_levels"), 1)
    setup["involvement_series_trust"] = timed_series(env)
    if not options.skip_imports:
        print("Timing the imports on an empty database …")
        import_url = f"{database_url}_import"
        recreate_database(import_url)
        import_env = child_env(import_url)
        manage(import_env, "migrate", "--no-input", "-v0")
        result = subprocess.run(  # noqa: S603 - fixed argv
            [PYTHON, str(HERE / "import_csvs.py")],
            cwd=ROOT,
            env=import_env,
            check=True,
            capture_output=True,
            text=True,
        )
        setup["imports"] = json.loads(result.stdout.strip().splitlines()[-1])
    manage(env, "collectstatic", "--no-input", "-v0")
    import redis

    redis.Redis.from_url(cache_url).flushdb()  # every run starts with an empty cache

    prefix = "" if options.demo else "scale-"
    users = {role: prefix + role for role in ("admin", "lead", "su", "chair")}
    users["ppl"] = "ppl" if options.demo else "scale-ppl-01"
    load_users = demo_ppls() if options.demo else [f"scale-ppl-{n:02d}" for n in range(1, 21)]
    pages = key_pages(users)
    explain_heaviest(pages, users)

    print("Starting gunicorn (2 workers) and measuring the pages …")
    server = start_gunicorn(env, options.port, workers=2)
    try:
        cookies = {}
        for role, username in users.items():
            browser = Browser(options.port)
            browser.sign_in(username, PASSWORD)
            cookies[role] = browser.cookie_header()
        for page in pages:
            measure(page, cookies[page.role], options.port, options.seconds, options.connections)
            print(f"  {page.name:<22} p50 {page.p50_ms:7.2f} ms   p95 {page.p95_ms:7.2f} ms")
        print(f"Load test: {len(load_users)} PPLs logging memberships and approving claims …")
        load = load_test(options.port, load_users, options.load_seconds)
    finally:
        stop(server)
    print("Writing the involvement report …")
    report = time_report(env)

    minimal = pages[0].p50_ms
    for page in pages:
        page.ratio = round(page.p50_ms / minimal, 2) if minimal else 0.0
    results = {
        "machine": machine(),
        "setup": setup,
        "pages": {
            p.name: {
                "p50_ms": p.p50_ms,
                "p95_ms": p.p95_ms,
                "ratio": p.ratio,
                "requests": p.requests,
                "bad_responses": p.bad_responses,
                "as": p.role,
                "path": p.path,
                "heaviest_query": p.heaviest,
            }
            for p in pages
        },
        "report": report,
        "load": load,
    }
    results["targets_met"] = check_targets(results)
    Path(os.environ.get("BENCH_JSON", "bench-results.json")).write_text(
        json.dumps(results, indent=2) + "\n"
    )
    print_table(results)
    return 0 if all(results["targets_met"].values()) else 1


def demo_ppls() -> list[str]:
    from django.contrib.auth import get_user_model

    from involvement.access import Role

    users = get_user_model().objects.filter(groups__name=Role.PPL.value, is_active=True)
    return sorted(users.values_list("username", flat=True))


def machine() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kb / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return {"cpus": os.cpu_count(), "cpu": cpu, "memory": memory, "python": sys.version.split()[0]}


def check_targets(results: dict) -> dict:
    met = {}
    for name, page in results["pages"].items():
        if name == "minimal":
            continue
        limit = PROJECT_PAGE_TARGET if name == "project_page" else PAGE_TARGET
        met[f"{name} ≤ {limit:g}×"] = page["ratio"] <= limit and page["bad_responses"] == 0
    report = results["report"]
    met[f"report < {REPORT_SECONDS_TARGET:g} s"] = report["seconds"] < REPORT_SECONDS_TARGET
    met[f"report < {REPORT_MB_TARGET:g} MB"] = report["peak_mb"] < REPORT_MB_TARGET
    load = results["load"]
    met["load: no errors"] = load["errors"] == 0
    met["load: no lost writes"] = load["lost_writes"] == 0
    met["load: no double approvals"] = load["double_approvals"] == 0
    setup = results["setup"]
    if "seed_scale_seconds" in setup:
        met[f"seed_scale < {SEED_SECONDS_TARGET:g} s"] = (
            setup["seed_scale_seconds"] < SEED_SECONDS_TARGET
        )
    for kind, measured in setup.get("imports", {}).items():
        met[f"{kind} < {IMPORT_SECONDS_TARGET:g} s"] = measured["seconds"] < IMPORT_SECONDS_TARGET
    return met


def print_table(results: dict) -> None:
    m = results["machine"]
    print()
    print(f"Machine: {m['cpus']} CPUs ({m['cpu']}), {m['memory']}, Python {m['python']}")
    print()
    print(f"| {'page':<22} | {'as':<5} | {'p50 ms':>7} | {'p95 ms':>7} | {'ratio':>5} |")
    print(f"|{'-' * 24}|{'-' * 7}|{'-' * 9}|{'-' * 9}|{'-' * 7}|")
    for name, page in results["pages"].items():
        print(
            f"| {name:<22} | {page['as']:<5} | {page['p50_ms']:7.2f} | {page['p95_ms']:7.2f} "
            f"| {page['ratio']:5.2f} |"
        )
    print()
    report, load, setup = results["report"], results["load"], results["setup"]
    print(
        f"PDF report ({report['period']}): {report['seconds']:.1f} s, "
        f"peak {report['peak_mb']:.0f} MB"
    )
    print(
        f"Load ({load['simulated_ppls']} PPLs, {load['seconds']} s): {load['requests']} requests, "
        f"{load['errors']} errors, {load['memberships_added']} memberships added, "
        f"{load['claims_approved']} claims approved, {load['lost_writes']} lost writes, "
        f"{load['double_approvals']} double approvals"
    )
    for key, value in setup.items():
        print(f"{key}: {json.dumps(value)}")
    print()
    print("Heaviest query per page (EXPLAIN ANALYZE):")
    for name, page in results["pages"].items():
        heaviest = page["heaviest_query"]
        if not heaviest:
            continue
        print(f"- {name}: {heaviest['queries']} queries, heaviest {heaviest['ms']} ms")
        for line in heaviest["plan"][:12]:
            print(f"    {line}")
    print()
    for target, ok in results["targets_met"].items():
        print(f"{'met   ' if ok else 'MISSED'} {target}")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())

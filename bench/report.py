"""The Markdown report (bench/results/N<N>.md) and its JSON twin, which later runs compare against."""

import json
from pathlib import Path
from typing import Any

# p95 targets in milliseconds (issue 8); every other row has the default.
DEFAULT_TARGET_MS = 150
SLOW_TARGETS_MS = {"API metrics summary": 500, "Dashboard": 500}
MAX_QUERIES = 15
MIN_TICKETS_PER_SECOND = 100
MAX_SEED_SECONDS = 600


def target_for(name: str) -> int:
    return next((ms for prefix, ms in SLOW_TARGETS_MS.items() if name.startswith(prefix)), DEFAULT_TARGET_MS)


def _queries(row: dict[str, Any]) -> str:
    seen = row.get("queries_seen")
    if seen and len(seen) > 1:
        usual = max(seen, key=seen.get)
        others = ", ".join(f"{q} on {n}" for q, n in seen.items() if q != usual)
        return f"{usual} ({others} of {sum(seen.values())})"
    return "/".join(str(q) for q in row["queries"]) or "?"


def _ms(value: float | None) -> str:
    return "—" if value is None else (f"{value:.1f}" if value < 100 else f"{value:.0f}")


def _load(values: list[float] | None) -> str:
    return "unknown" if not values else ", ".join(f"{v:.2f}" for v in values)


def _verdict(row: dict[str, Any]) -> str:
    problems = []
    if row["p95_ms"] > target_for(row["name"]):
        problems.append("p95")
    if not row["queries"] or max(row["queries"]) > MAX_QUERIES:
        problems.append("queries")
    elif len(row["queries"]) > 1:
        # A count other than the usual one at most once per gunicorn worker (2) is that
        # worker's first use of a per-process cache; more often, the count really varies.
        seen = row.get("queries_seen") or {}
        if sum(seen.values()) - max(seen.values(), default=0) > 2 or not seen:
            problems.append("queries vary")
    if row["unexpected_statuses"]:
        problems.append(f"status {row['unexpected_statuses']}")
    return "yes" if not problems else "**no** (" + ", ".join(problems) + ")"


def query_counts_across_runs(results: Path) -> list[str]:
    """Queries per request for every N that has a JSON result, so growth with N shows at a glance."""
    runs = []
    for path in sorted(results.glob("N*.json")):
        if not path.stem[1:].isdigit():  # N<n>.json only, not a kept earlier run (N<n>_before.json)
            continue
        data = json.loads(path.read_text())
        runs.append((data["tickets"], {r["name"]: _queries(r) for r in data["rows"] if "queries" in r}))
    if len(runs) < 2:
        return []
    runs.sort(key=lambda run: run[0])
    names = list(dict.fromkeys(name for _, counts in runs for name in counts))
    lines = [
        "## Queries per request at each N",
        "",
        "| Row | " + " | ".join(f"N = {n:,}" for n, _ in runs) + " | same |",
        "|---|" + "---:|" * len(runs) + "---|",
    ]
    for name in names:
        cells = [counts.get(name, "—") for _, counts in runs]
        same = "yes" if len({c for c in cells if c != "—"}) == 1 else "**no**"
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {same} |")
    return [*lines, ""]


def write_report(result: dict[str, Any], results: Path) -> Path:
    results.mkdir(parents=True, exist_ok=True)
    n = result["tickets"]
    (results / f"N{n}.json").write_text(json.dumps(result, indent=2, default=str))
    m = result["machine"]
    lines = [
        f"# Benchmark at N = {n:,} tickets",
        "",
        f"- Date: {result['date']}",
        f"- Machine: {m['cores']} cores, {m['memory']} memory, {m['platform']}",
        f"- Versions: Python {m['python']}, Django {m['django']}, PostgreSQL {m['postgresql']}, "
        f"gunicorn {m['gunicorn']}, psycopg2 {m['psycopg2']}",
        f"- Server: {result['server']} on 127.0.0.1, DEBUG off, manifest static files, "
        "sessions in the database, cache in Redis, CONN_MAX_AGE 60",
        f"- Tickets in the database: {result['tickets_in_database']:,}",
        f"- Load average (1, 5, 15 min) before the timed rows: {_load(result.get('load_before'))}; "
        f"after the throughput run: {_load(result.get('load_after'))} (anything well above 0 is other work on the machine)",
    ]
    if "seed_seconds" in result:
        verdict = (
            ""
            if n < 1_000_000
            else (" (target ≤ 600 s: " + ("met" if result["seed_seconds"] <= MAX_SEED_SECONDS else "**missed**") + ")")
        )
        when = (
            f" (seeded by the run of {result['seed_date']}; this run used --no-seed)" if "seed_date" in result else ""
        )
        lines.append(
            f"- `seed_demo --tickets {n}`: {result['seed_seconds']:.0f} s{verdict}{when}; "
            f"then VACUUM ANALYZE {result['vacuum_seconds']:.0f} s"
        )
    lines += [
        "",
        "Each row: warm-up requests (at least 5, and until 6 in a row make the same number of queries: each",
        "gunicorn worker reads the district calendar and SLA targets once, on its first ticket), then the timed",
        "ones one after another. Queries per request come from the",
        "server's `X-Query-Count` header. Raw SQL is the row's main query (its slowest) run alone through psycopg2;",
        "app ÷ raw is the page's median over that query's median.",
        "",
        "| Row | Requests | Median ms | p95 ms | Target p95 ms | Queries/request | Main query raw ms | App ÷ raw | Met |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in result["rows"]:
        if "skipped" in row:
            lines.append(f"| {row['name']} | — | — | — | {target_for(row['name'])} | — | — | — | {row['skipped']} |")
            continue
        ratio = "—" if row.get("ratio") is None else f"{row['ratio']:.1f}"
        lines.append(
            f"| {row['name']} | {row['requests']} | {_ms(row['median_ms'])} | {_ms(row['p95_ms'])} | "
            f"{target_for(row['name'])} | {_queries(row)} | {_ms(row.get('raw_ms'))} | {ratio} | {_verdict(row)} |"
        )
    t = result["throughput"]
    met = t["per_second"] >= MIN_TICKETS_PER_SECOND and t["errors"] == 0
    lines += [
        "",
        f"**Throughput** (API ticket creation, {t['clients']} concurrent clients, {t['seconds']} s): "
        f"{t['created']} tickets, **{t['per_second']:.0f} per second**, {t['errors']} errors, "
        f"latency median {_ms(t['median_ms'])} ms, p95 {_ms(t['p95_ms'])} ms "
        f"(target ≥ {MIN_TICKETS_PER_SECOND}/s with 0 errors: {'met' if met else '**missed**'}).",
        "",
        *query_counts_across_runs(results),
        "## EXPLAIN ANALYZE of the slowest main queries",
        "",
    ]
    for item in result["explain"]:
        lines += [f"### {item['name']}", "", "```sql", item["sql"], "```", "", "```", item["plan"], "```", ""]
    path = results / f"N{n}.md"
    path.write_text("\n".join(lines))
    return path

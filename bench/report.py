#!/usr/bin/python3
"""Turns the raw results of bench/run.sh into the printed ratio table,
docs/benchmarks.md and docs/benchmarks.png.  Standard library only."""

import argparse
import os
import statistics
import subprocess
import sys

VARIANTS = ["booking", "plpgsql", "app", "floor"]
LABELS = {
    "booking": "booking (C)",
    "plpgsql": "PL/pgSQL",
    "app": "app-side",
    "floor": "floor",
}
SHAPES = [
    ("floor", "floor: INSERT; INSERT + UPDATE"),
    ("floor_oc", "floor with `ON CONFLICT DO NOTHING` (every unique and exclusion index an arbiter), as booking writes both INSERTs"),
    ("floor_named", "floor with `ON CONFLICT ON CONSTRAINT <exclusion constraint> DO NOTHING`"),
    ("floor_checks", "floor with ON CONFLICT as booking, plus booking's checks in the same statements: the conversation and booked-overlap reads in the propose, the row lock in the confirm"),
    ("booking", "booking (C)"),
]
WORKLOADS = [
    ("pairs8", "pairs, 8 clients"),
    ("pairs32", "pairs, 32 clients"),
    ("contention32", "contention, 32 clients, 4 consultants"),
    ("latency1", "pairs, 1 client"),
]


def read_tsv(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [line.rstrip("\n").split("\t") for line in f if line.strip()]


def read_text(path):
    if not os.path.exists(path):
        return ""
    with open(path) as f:
        return f.read().rstrip()


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def num(s):
    try:
        return float(s)
    except (TypeError, ValueError):
        return None


def fmt(v, digits=0):
    if v is None:
        return "-"
    return f"{v:,.{digits}f}"


def ratio(a, b):
    if a is None or not b:
        return None
    return a / b


def fmt_ratio(r):
    return "-" if r is None else f"{r:.2f}x"


class Results:
    def __init__(self, rows):
        # name sync variant round tps lat bookings secs p50p p99p p50c p99c calls cpu_ms
        self.runs = {}
        for r in rows:
            key = (r[0], r[1], r[2])
            calls = num(r[12]) if len(r) > 12 else None
            cpu = num(r[13]) if len(r) > 13 else None
            self.runs.setdefault(key, []).append(
                {
                    "tps": num(r[4]),
                    "lat": num(r[5]),
                    "bookings": num(r[6]),
                    "secs": num(r[7]),
                    "p50p": num(r[8]),
                    "p99p": num(r[9]),
                    "p50c": num(r[10]),
                    "p99c": num(r[11]),
                    # server CPU per call, in µs
                    "cpu": cpu * 1000 / calls if cpu is not None and calls else None,
                }
            )

    def med(self, name, sync, variant, field):
        runs = self.runs.get((name, sync, variant), [])
        if field == "bookings_per_s":
            return median([r["bookings"] / r["secs"] for r in runs if r["bookings"] is not None])
        return median([r[field] for r in runs])

    def all(self, name, sync, variant, field):
        return [r[field] for r in self.runs.get((name, sync, variant), [])]


def throughput_table(res):
    """Rows of (workload label, sync, unit, values per variant, ratios)."""
    rows = []
    for name, label in WORKLOADS:
        for sync in ("off", "on"):
            vals = {}
            for v in VARIANTS:
                tps = res.med(name, sync, v, "tps")
                if name == "contention32":
                    vals[v] = tps
                else:
                    vals[v] = None if tps is None else tps / 2
            unit = "calls/s" if name == "contention32" else "pairs/s"
            rows.append((name, label, sync, unit, vals))
    return rows


def markdown_table(header, rows):
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    for r in rows:
        out.append("| " + " | ".join(r) + " |")
    return "\n".join(out)


def plot(res, png, work):
    data = os.path.join(work, "plot.dat")
    with open(data, "w") as f:
        f.write("# workload " + " ".join(LABELS[v].replace(" ", "_") for v in VARIANTS) + "\n")
        for name, label, sync, unit, vals in throughput_table(res):
            short = {"pairs8": "pairs 8c", "pairs32": "pairs 32c",
                     "contention32": "contention 32c", "latency1": "pairs 1c"}[name]
            f.write(f'"{short}\\nsync {sync}\\n({unit})" '
                    + " ".join("0" if vals[v] is None else f"{vals[v]:.1f}" for v in VARIANTS) + "\n")
    script = f"""
set terminal pngcairo size 1200,600 font "sans,10"
set output "{png}"
set title "booking benchmark: median throughput per workload (higher is better)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set ylabel "pairs/s (contention: calls/s)"
set yrange [0:*]
set grid ytics
set key top right
set xtics font ",9"
set bmargin 6
plot "{data}" using 2:xtic(1) title "booking (C)", '' using 3 title "PL/pgSQL", '' using 4 title "app-side", '' using 5 title "floor"
"""
    try:
        subprocess.run(["gnuplot"], input=script, text=True, check=True)
    except (OSError, subprocess.CalledProcessError) as e:
        print(f"report: no plot: {e}", file=sys.stderr)


def pgss_rows(path):
    rows = []
    for r in read_tsv(path):
        if len(r) < 9:
            continue
        toplevel, calls, plans, exec_us, plan_us, hits, walrec, walbytes, query = r[:9]
        rows.append({
            "top": toplevel == "t",
            "calls": int(calls),
            "plans": int(plans),
            "exec_us": float(exec_us),
            "plan_us": float(plan_us),
            "hits": float(hits),
            "walrec": float(walrec),
            "walbytes": float(walbytes or 0),
            "query": query,
        })
    return rows


def statement_name(q):
    """The src/statements.c name of a statement pg_stat_statements saw."""
    if q.startswith("WITH hold AS") and "booking.consultations" in q:
        return "STMT_CONFIRM_HOLD"
    if q.startswith("INSERT INTO booking.pending_bookings") and "NOT EXISTS" in q:
        return "STMT_INSERT_HOLD_IF_FREE"
    if "booking_propose" in q:
        return "booking_propose() call"
    if "booking_confirm" in q:
        return "booking_confirm() call"
    if "WITH booked AS" in q:
        return "STMT_BOOK_HOLD"
    if "WITH consultation AS" in q:
        return "floor confirm (INSERT + UPDATE)"
    if q.startswith("INSERT INTO booking.pending_bookings") and "ON CONFLICT" in q:
        return "STMT_INSERT_HOLD"
    if q.startswith("INSERT INTO booking.pending_bookings"):
        return "floor propose (INSERT)"
    if "FOR UPDATE" in q:
        return "STMT_HOLD_FOR_UPDATE"
    if "FROM booking.consultations" in q:
        return "STMT_PROPOSE_SCAN_BOOKED"
    if "FROM booking.pending_bookings" in q and "conversation_id" in q:
        return "STMT_PROPOSE_SCAN_HOLDS"
    return q[:60]


def pgss_table(rows):
    out = []
    for r in rows:
        out.append([
            statement_name(r["query"]),
            "top" if r["top"] else "nested",
            f"{r['calls']:,}",
            f"{r['plans'] / r['calls']:.2f}",
            f"{r['exec_us']:.0f}",
            f"{r['plan_us']:.0f}",
            f"{r['hits']:.1f}",
            f"{r['walrec']:.1f}",
            f"{r['walbytes']:.0f}",
        ])
    return markdown_table(["statement", "level", "calls", "plans/call", "exec µs/call",
                           "plan µs/plan", "buffers hit/call", "WAL records/call",
                           "WAL bytes/call"], out)


def main():
    ap = argparse.ArgumentParser()
    for a in ["work", "secs", "rounds", "history-rows", "stale-holds", "load-seconds",
              "sweep-left", "nproc", "cpu", "mem", "pg", "date", "elapsed", "settings",
              "out", "png", "load-before", "load-after", "commit"]:
        ap.add_argument("--" + a, default="")
    args = ap.parse_args()
    work = args.work
    res = Results(read_tsv(os.path.join(work, "results.tsv")))
    table = throughput_table(res)

    # ---- the printed table
    lines = []
    head = f"{'workload':<48} {'sync':<4} " + " ".join(f"{LABELS[v]:>12}" for v in VARIANTS) \
        + f" {'vs PL/pgSQL':>11} {'vs app':>8} {'vs floor':>9}"
    lines.append(head)
    lines.append("-" * len(head))
    for name, label, sync, unit, vals in table:
        b = vals["booking"]
        lines.append(f"{label + ' (' + unit + ')':<48} {sync:<4} "
                     + " ".join(f"{fmt(vals[v]):>12}" for v in VARIANTS)
                     + f" {fmt_ratio(ratio(b, vals['plpgsql'])):>11} {fmt_ratio(ratio(b, vals['app'])):>8}"
                     + f" {fmt_ratio(ratio(b, vals['floor'])):>9}")
    lines.append("")
    lines.append(f"{'server CPU per pair, µs (contention: per call)':<48} {'sync':<4} "
                 + " ".join(f"{LABELS[v]:>12}" for v in VARIANTS)
                 + f" {'PL/pgSQL/bk':>11} {'app/bk':>8} {'floor/bk':>9}")
    for name, label, sync, unit, vals in table:
        per = 1 if name == "contention32" else 2
        cpu = {v: res.med(name, sync, v, "cpu") for v in VARIANTS}
        cpu = {v: (None if c is None else c * per) for v, c in cpu.items()}
        lines.append(f"{label:<48} {sync:<4} " + " ".join(f"{fmt(cpu[v]):>12}" for v in VARIANTS)
                     + f" {fmt_ratio(ratio(cpu['plpgsql'], cpu['booking'])):>11}"
                     + f" {fmt_ratio(ratio(cpu['app'], cpu['booking'])):>8}"
                     + f" {fmt_ratio(ratio(cpu['floor'], cpu['booking'])):>9}")
    lines.append("")
    lines.append(f"{'latency at 1 client, ms':<48} {'sync':<4} "
                 + " ".join(f"{LABELS[v]:>12}" for v in VARIANTS))
    for sync in ("off", "on"):
        for field, what in (("p50p", "propose p50"), ("p99p", "propose p99"),
                            ("p50c", "confirm p50"), ("p99c", "confirm p99")):
            lines.append(f"{what:<48} {sync:<4} "
                         + " ".join(f"{fmt(res.med('latency1', sync, v, field), 3):>12}"
                                    for v in VARIANTS))
    printed = "\n".join(lines)
    print(printed)

    # ---- targets
    pairs8 = {v: res.med("pairs8", "off", v, "tps") for v in VARIANTS}
    r_pl = ratio(pairs8["booking"], pairs8["plpgsql"])
    r_floor = ratio(pairs8["booking"], pairs8["floor"])
    lat_b = res.med("latency1", "off", "booking", "p50p")
    lat_f = res.med("latency1", "off", "floor", "p50p")
    r_lat = ratio(lat_b, lat_f)
    def per_round(name, sync, a, b, field="tps", invert=False):
        xs, ys = res.all(name, sync, a, field), res.all(name, sync, b, field)
        out = []
        for x, y in zip(xs, ys):
            q = ratio(y, x) if invert else ratio(x, y)
            out.append("-" if q is None else f"{q:.2f}")
        return ", ".join(out)

    cpu8 = {v: res.med("pairs8", "off", v, "cpu") for v in VARIANTS}
    c_pl = ratio(cpu8["plpgsql"], cpu8["booking"])
    c_floor = ratio(cpu8["floor"], cpu8["booking"])

    hist_all = read_tsv(os.path.join(work, "history.tsv"))

    def history_of(variant):
        rows = [r for r in hist_all if len(r) > 6 and r[6] == variant]
        tps = {db: median([num(r[2]) for r in rows if r[0] == db]) for db in ("empty", "history")}
        cpu = {db: median([num(r[5]) * 1000 / num(r[4]) * 2 for r in rows
                           if r[0] == db and num(r[4])]) for db in ("empty", "history")}
        rounds = ", ".join(f"{ratio(num(h[2]), num(e[2])):.2f}"
                           for e, h in zip([r for r in rows if r[0] == "empty"],
                                           [r for r in rows if r[0] == "history"]))
        return rows, tps["empty"], tps["history"], cpu["empty"], cpu["history"], rounds

    hist, h_empty, h_hist, hc_empty, hc_hist, h_rounds = history_of("booking")
    _, f_empty, f_hist, fc_empty, fc_hist, f_rounds = history_of("floor")
    r_hist = ratio(h_hist, h_empty)

    sweep = read_text(os.path.join(work, "sweep.txt")).split("\n")
    sweep_t0 = num(sweep[0]) if len(sweep) >= 3 else None
    sweep_n = sweep[1] if len(sweep) >= 3 else "?"
    sweep_t1 = num(sweep[2]) if len(sweep) >= 3 else None
    times = [float(x) for x in read_text(os.path.join(work, "sweep-times.txt")).split() if x]
    drop = during = outside = sweep_secs = None
    if times and sweep_t0 and sweep_t1:
        start, end = times[0] + 1.0, times[-1]
        sweep_secs = sweep_t1 - sweep_t0
        w_end = min(sweep_t1, end)
        n_during = sum(1 for t in times if sweep_t0 <= t <= w_end)
        n_out = sum(1 for t in times if start <= t < sweep_t0 or w_end < t <= end)
        t_out = (sweep_t0 - start) + max(0.0, end - w_end)
        if w_end > sweep_t0 and t_out > 0:
            during = n_during / (w_end - sweep_t0) / 2
            outside = n_out / t_out / 2
            drop = 1 - during / outside
    # the same workload, run just before without a sweep
    base_times = [float(x) for x in read_text(os.path.join(work, "nosweep-times.txt")).split() if x]
    baseline = drop_base = None
    if base_times and during is not None:
        b_start, b_end = base_times[0] + 1.0, base_times[-1]
        if b_end > b_start:
            baseline = sum(1 for t in base_times if b_start <= t <= b_end) / (b_end - b_start) / 2
            drop_base = 1 - during / baseline

    def verdict(ok):
        return "**met**" if ok else "**not met**"

    targets = [
        ("booking >= 2.0x PL/pgSQL (pairs, 8 clients, sync off)",
         f"{fmt_ratio(r_pl)} (by CPU {fmt_ratio(c_pl)}; rounds: "
         f"{per_round('pairs8', 'off', 'booking', 'plpgsql')})",
         verdict(r_pl is not None and r_pl >= 2.0)),
        ("booking >= 0.85x floor (pairs, 8 clients, sync off)",
         f"{fmt_ratio(r_floor)} (by CPU {fmt_ratio(c_floor)}; rounds: "
         f"{per_round('pairs8', 'off', 'booking', 'floor')})",
         verdict(r_floor is not None and r_floor >= 0.85)),
        ("propose p50 at 1 client <= 1.3x the floor's INSERT (sync off)",
         f"{fmt(lat_b, 3)} ms vs {fmt(lat_f, 3)} ms = {fmt_ratio(r_lat)} (rounds: "
         f"{per_round('latency1', 'off', 'booking', 'floor', 'p50p')})",
         verdict(r_lat is not None and r_lat <= 1.3)),
        (f"history ({int(num(args.history_rows) or 0):,} rows each) within 10 % of empty",
         fmt_ratio(r_hist), verdict(r_hist is not None and r_hist >= 0.9)),
        ("live throughput drop during the sweep under 20 % (vs the run without)",
         "-" if drop_base is None else f"{drop_base * 100:.0f} % (vs the rest of its run: "
         f"{drop * 100:.0f} %)", verdict(drop_base is not None and drop_base < 0.20)),
    ]
    print()
    for what, value, ok in targets:
        print(f"{what:<66} {ok.strip('*'):>9}  {value}")

    # ---- where the time goes
    pg_b = pgss_rows(os.path.join(work, "pgss-booking.tsv"))
    pg_f = pgss_rows(os.path.join(work, "pgss-floor.tsv"))

    def find(rows, name):
        for r in rows:
            if statement_name(r["query"]) == name:
                return r
        return None

    top_p, top_c = find(pg_b, "booking_propose() call"), find(pg_b, "booking_confirm() call")
    nested = [r for r in pg_b if not r["top"]]
    breakdown = []
    if top_p and top_c:
        pair = top_p["exec_us"] + top_c["exec_us"]
        fl_p, fl_c = find(pg_f, "floor propose (INSERT)"), find(pg_f, "floor confirm (INSERT + UPDATE)")
        for r in nested:
            cost = r["exec_us"] * r["calls"] / top_p["calls"] + r["plan_us"] * r["plans"] / top_p["calls"]
            breakdown.append((statement_name(r["query"]), cost, r))
        inside = sum(c for _, c, _ in breakdown)
        breakdown.append(("C code around the statements (parse, lock, SPI, jsonb)", pair - inside, None))
        floor_pair = (fl_p["exec_us"] + fl_c["exec_us"]) if fl_p and fl_c else None
    else:
        pair = floor_pair = None

    # ---- markdown
    md = []
    md.append("# Benchmarks")
    md.append("")
    md.append("`make bench` (as root; it runs `bench/run.sh`) builds and installs the extension, "
              "starts a throwaway cluster and measures, in the same run, four ways of doing the "
              "same propose + confirm on the same tables, indexes and constraints:")
    md.append("")
    md.append("1. **booking (C)**: `booking_propose` and `booking_confirm` of this extension;")
    md.append("2. **PL/pgSQL**: the same API in PL/pgSQL (`bench/plpgsql.sql`, schema `plbooking`), "
              "checked against the extension by `bench/check-plpgsql.sh` (same outcomes on a set of "
              "contract checks) before every benchmark;")
    md.append("3. **app-side**: what an application sends itself (`bench/pgbench/app.sql`): BEGIN, "
              "`pg_advisory_xact_lock`, the two overlap SELECTs, INSERT, COMMIT; then BEGIN, "
              "SELECT ... FOR UPDATE, INSERT of the consultation, UPDATE of the hold, COMMIT;")
    md.append("4. **floor** (`bench/pgbench/floor.sql`): one INSERT of the hold; then one statement "
              "that inserts the consultation and updates the hold. No lock, no checks.")
    md.append("")
    md.append("Each pgbench transaction is one call (a propose, or the confirm that follows it), "
              "so per-transaction logs give per-call latencies; a pair is two calls. All clients "
              "use prepared statements (`-M prepared`). The app-side flow and the floor get the "
              "start instant as a number, the two implementations of the API a text they parse, as "
              "the API takes it. Workloads:")
    md.append("")
    md.append("- **pairs**: propose + confirm over disjoint slots (each client books consecutive "
              "hours of its own consultant), 8, 32 and 1 client(s);")
    md.append("- **contention**: 32 clients over 4 consultants; each attempt picks a consultant at "
              "random and the client's next hour, so the clients on one consultant race for the "
              "same hours and most proposes collide (SLOT_HELD or SLOT_TAKEN);")
    md.append("- each with `synchronous_commit` off and on.")
    md.append("")
    md.append(f"Every run lasts {args.secs} s and starts after a `VACUUM ANALYZE` of the two tables; "
              f"the variants alternate (booking, PL/pgSQL, app-side, floor, booking, ...) for "
              f"{args.rounds} rounds per workload and the tables show medians. "
              "`BENCH_SECONDS`, `BENCH_ROUNDS`, `BENCH_HISTORY_ROWS` and `BENCH_STALE_HOLDS` "
              "scale the run.")
    md.append("")
    md.append("## This run")
    md.append("")
    md.append("On a machine shared with other work, throughput moves by a quarter or more from "
              "one run to the next (every run is in [benchmarks-runs.tsv](benchmarks-runs.tsv)); "
              "the alternation spreads that over all variants, and the targets table gives the "
              "ratio of each round's adjacent runs as well as the ratio of the medians.")
    md.append("")
    md.append(f"- date: {args.date}; `make bench` took {args.elapsed} s")
    md.append(f"- machine: {args.nproc} CPUs (`nproc`), {args.cpu}, {args.mem} memory")
    md.append(f"- load average before / after: {args.load_before} / {args.load_after}")
    md.append(f"- {args.pg}")
    md.append(f"- extension built from commit {args.commit}")
    md.append(f"- cluster settings: `{args.settings.strip().rstrip(';')}`; the rest are defaults")
    md.append("")
    md.append("![throughput per workload](benchmarks.png)")
    md.append("")
    md.append("## Throughput")
    md.append("")
    rows = []
    for name, label, sync, unit, vals in table:
        b = vals["booking"]
        lat = res.med(name, sync, "booking", "lat")
        rows.append([label, sync, unit] + [fmt(vals[v]) for v in VARIANTS]
                    + [fmt_ratio(ratio(b, vals["plpgsql"])), fmt_ratio(ratio(b, vals["app"])),
                       fmt_ratio(ratio(b, vals["floor"]))])
    md.append(markdown_table(["workload", "sync commit", "unit"] + [LABELS[v] for v in VARIANTS]
                             + ["booking / PL/pgSQL", "booking / app-side", "booking / floor"], rows))
    md.append("")
    md.append("Server CPU per pair (µs; contention: per call): the CPU time of all of the "
              "cluster's processes during the run (backends, WAL writer, autovacuum), from "
              "`/proc`, divided by the work done. Other work on the machine moves this much less "
              "than it moves throughput; the ratio columns give the other variant's CPU over "
              "booking's.")
    md.append("")
    rows = []
    for name, label, sync, unit, vals in table:
        per = 1 if name == "contention32" else 2
        cpu = {v: res.med(name, sync, v, "cpu") for v in VARIANTS}
        cpu = {v: (None if c is None else c * per) for v, c in cpu.items()}
        rows.append([label, sync] + [fmt(cpu[v]) for v in VARIANTS]
                    + [fmt_ratio(ratio(cpu["plpgsql"], cpu["booking"])),
                       fmt_ratio(ratio(cpu["app"], cpu["booking"])),
                       fmt_ratio(ratio(cpu["floor"], cpu["booking"]))])
    md.append(markdown_table(["workload", "sync commit"] + [LABELS[v] for v in VARIANTS]
                             + ["PL/pgSQL / booking", "app-side / booking", "floor / booking"], rows))
    md.append("")
    md.append("Mean latency per call (ms), from the same runs:")
    md.append("")
    rows = []
    for name, label, sync, unit, vals in table:
        rows.append([label, sync] + [fmt(res.med(name, sync, v, "lat"), 3) for v in VARIANTS])
    md.append(markdown_table(["workload", "sync commit"] + [LABELS[v] for v in VARIANTS], rows))
    md.append("")
    md.append("Contention, bookings made per second and share of proposes that collided:")
    md.append("")
    rows = []
    for sync in ("off", "on"):
        cells = []
        for v in VARIANTS:
            calls = res.med("contention32", sync, v, "tps")
            bps = res.med("contention32", sync, v, "bookings_per_s")
            if calls and bps is not None and calls - bps > 0:
                collided = 1 - bps / (calls - bps)
                cells.append(f"{bps:,.0f} /s, {collided * 100:.0f} % collided")
            else:
                cells.append("-")
        rows.append([sync] + cells)
    md.append(markdown_table(["sync commit"] + [LABELS[v] for v in VARIANTS], rows))
    md.append("")
    md.append("The floor checks nothing, so under contention it also inserts holds on hours that "
              "are already booked, and its confirm then books nothing: its bookings are not "
              "comparable, only its statement cost.")
    md.append("")
    md.append("## Latency at 1 client (ms per call)")
    md.append("")
    rows = []
    for sync in ("off", "on"):
        for field, what in (("p50p", "propose p50"), ("p99p", "propose p99"),
                            ("p50c", "confirm p50"), ("p99c", "confirm p99")):
            rows.append([what, sync] + [fmt(res.med("latency1", sync, v, field), 3) for v in VARIANTS])
    md.append(markdown_table(["call", "sync commit"] + [LABELS[v] for v in VARIANTS], rows))
    md.append("")
    md.append("The floor's propose is its single INSERT, its confirm the single INSERT + UPDATE.")
    md.append("")
    md.append("## Statement shapes")
    md.append("")
    md.append("Pairs, 8 clients, sync off, alternating in their own rounds: the floor's two "
              "statements rewritten the way the extension writes its own, one change at a time "
              "(`bench/pgbench/floor.sql`, modes 0 to 3), and booking alongside.")
    md.append("")
    rows = []
    f0 = res.med("shapes8", "off", "floor", "tps")
    bk = res.med("shapes8", "off", "booking", "tps")
    c0 = res.med("shapes8", "off", "floor", "cpu")
    for v, what in SHAPES:
        t = res.med("shapes8", "off", v, "tps")
        c = res.med("shapes8", "off", v, "cpu")
        rows.append([what, fmt(t and t / 2), fmt_ratio(ratio(t, f0)), fmt(c and c * 2),
                     fmt_ratio(ratio(c0, c))])
    md.append(markdown_table(["variant", "pairs/s", "vs floor", "server CPU µs per pair",
                              "vs floor, by CPU"], rows))
    md.append("")
    md.append("## Targets")
    md.append("")
    md.append(markdown_table(["target", "measured", ""], [list(t) for t in targets]))
    md.append("")
    md.append("## Scale")
    md.append("")
    md.append(f"**History.** {int(num(args.history_rows) or 0):,} resolved holds (confirmed, "
              f"expired, cancelled) and as many consultations (booked, some cancelled), all in the "
              f"past, spread over 1000 consultants that include the ones the workload books for "
              f"(about {int((num(args.history_rows) or 0) / 1000):,} past rows each), loaded by "
              f"`bench/load-history.sql` in two sessions in {args.load_seconds} s, then "
              f"`VACUUM ANALYZE`. Pairs, 8 clients, sync off, booking (C), alternating with an "
              f"empty database: median {fmt(h_empty and h_empty / 2)} pairs/s empty, "
              f"{fmt(h_hist and h_hist / 2)} pairs/s with history: {fmt_ratio(r_hist)}; "
              f"server CPU per pair {fmt(hc_empty)} µs empty, {fmt(hc_hist)} µs with history "
              f"({fmt_ratio(ratio(hc_hist, hc_empty))}). History over empty, round by round: "
              f"{h_rounds}. The floor, alternating in the same rounds on consultants of its own "
              f"with as long a past: {fmt(f_empty and f_empty / 2)} pairs/s empty, "
              f"{fmt(f_hist and f_hist / 2)} pairs/s with history: "
              f"{fmt_ratio(ratio(f_hist, f_empty))}; server CPU per pair {fmt(fc_empty)} µs "
              f"empty, {fmt(fc_hist)} µs with history ({fmt_ratio(ratio(fc_hist, fc_empty))}); "
              f"round by round: {f_rounds}.")
    md.append("")
    if drop is not None:
        md.append(f"**Sweep.** {int(num(args.stale_holds) or 0):,} stale holds (`awaiting_confirm`, "
                  f"expired an hour ago, on consultants the workload does not use) in the history "
                  f"database; `CALL booking_sweep_holds()` (a commit per batch of 1,000) ran while "
                  f"the pair workload (8 clients, sync off) was running, and expired {sweep_n} holds "
                  f"in {sweep_secs:.2f} s ({args.sweep_left} stale holds left). Live throughput "
                  f"during the sweep: {during:,.0f} pairs/s, against "
                  f"{'-' if baseline is None else f'{baseline:,.0f}'} pairs/s in a run of the same "
                  f"workload without a sweep just before (a drop of "
                  f"{'-' if drop_base is None else f'{drop_base * 100:.0f}'} %), and "
                  f"{outside:,.0f} pairs/s in the rest of the same run (a drop of "
                  f"{drop * 100:.0f} %). The machine has {args.nproc} CPUs, and the "
                  f"sweep's backend takes one of them for as long as it runs.")
    else:
        md.append("**Sweep.** No measurement (see the run's output).")
    md.append("")
    md.append("## Where the time goes")
    md.append("")
    md.append("A separate pair of runs (8 clients, pairs, sync off) with "
              "`pg_stat_statements.track = all` and `track_planning = on`, so that the statements "
              "the C functions run through SPI are counted too. Times are wall-clock per call with "
              "8 clients on the machine's CPUs, so they include waiting for a CPU; their "
              "proportions are what matters.")
    md.append("")
    md.append("booking (C):")
    md.append("")
    md.append(pgss_table(pg_b))
    md.append("")
    md.append("floor:")
    md.append("")
    md.append(pgss_table(pg_f))
    md.append("")
    if breakdown:
        md.append(f"Per pair, booking spends {pair:.0f} µs in its two calls, the floor "
                  f"{fmt(floor_pair)} µs in its two statements. The booking pair, by statement "
                  "(nested executions per propose, planning included):")
        md.append("")
        rows = [[name, f"{cost:.0f}", f"{cost / pair * 100:.0f} %"] for name, cost, _ in breakdown]
        md.append(markdown_table(["part", "µs per pair", "share"], rows))
        md.append("")
    children = read_text(os.path.join(work, "perf-children.txt"))
    ex_b = read_text(os.path.join(work, "explain-bench.txt"))
    ex_h = read_text(os.path.join(work, "explain-history.txt"))
    shape = {v: res.med("shapes8", "off", v, "cpu") for v, _ in SHAPES}
    shape_t = {v: res.med("shapes8", "off", v, "tps") for v, _ in SHAPES}

    def extra(v, table):
        r = ratio(table.get(v), table.get("floor"))
        return "n/a" if r is None else f"{abs(r - 1) * 100:.0f} %"

    scan_holds = find(pg_b, "STMT_PROPOSE_SCAN_HOLDS")
    for_update = find(pg_b, "STMT_HOLD_FOR_UPDATE")
    vals = {
        "spi_pct": perf_pct(children, "SPI_execute_plan") or "n/a",
        "check_pct": perf_pct(children, "ExecCheckIndexConstraints") or "n/a",
        "gist_pct": perf_pct(children, "gistdoinsert") or "n/a",
        "shape_checks_cpu": fmt(shape["floor_checks"] and shape["floor_checks"] * 2),
        "shape_booking_cpu": fmt(shape["booking"] and shape["booking"] * 2),
        "shape_oc_cpu": extra("floor_oc", shape),
        "shape_oc_tps": extra("floor_oc", shape_t),
        "shape_named_cpu": extra("floor_named", shape),
        "shape_checks_ratio": fmt_ratio(ratio(shape["floor"], shape["floor_checks"])),
        "gist_buffers": explain_buffers(ex_b, "== STMT_PROPOSE_SCAN_BOOKED") or "n/a",
        "btree_buffers": explain_buffers(ex_b, "== alternative") or "n/a",
        "hist_gist_buffers": explain_buffers(ex_h, "== STMT_PROPOSE_SCAN_BOOKED") or "n/a",
        "hist_btree_buffers": explain_buffers(ex_h, "== alternative") or "n/a",
        "insert_plans": " and ".join(
            f"{x['plans'] / x['calls']:.2f}" for x in
            (find(pg_b, "STMT_INSERT_HOLD_IF_FREE"), find(pg_b, "STMT_CONFIRM_HOLD")) if x) or "n/a",
        "scan_holds_plans": "n/a" if not scan_holds else f"{scan_holds['plans'] / scan_holds['calls']:.2f}",
        "for_update_us": "n/a" if not for_update else f"{for_update['exec_us']:.0f}",
        "r_pl": fmt_ratio(r_pl),
        "c_pl": fmt_ratio(c_pl),
        "history_rows": f"{int(num(args.history_rows) or 0):,}",
        "r_hist": fmt_ratio(r_hist),
        "c_hist": fmt_ratio(ratio(hc_hist, hc_empty)),
        "r_hist_floor": fmt_ratio(ratio(f_hist, f_empty)),
        "c_hist_floor": fmt_ratio(ratio(fc_hist, fc_empty)),
        "stale": f"{int(num(args.stale_holds) or 0):,}",
        "nproc": args.nproc,
        "drop": "n/a" if drop is None else f"{drop * 100:.0f} %",
    }
    md.append(ANALYSIS.format(**vals))
    md.append("")
    perf = read_text(os.path.join(work, "perf.txt"))
    if perf:
        md.append("### perf")
        md.append("")
        md.append("`perf record -e cpu-clock -g` of the 8 backends during a booking pair run "
                  "(hardware counters are not available in this VM; the PostgreSQL binary has no "
                  "debug symbols, so static functions show as addresses). Self time by shared "
                  "object:")
        md.append("")
        md.append("```")
        md.append(read_text(os.path.join(work, "perf-dso.txt")))
        md.append("```")
        md.append("")
        md.append("Top symbols (self):")
        md.append("")
        md.append("```")
        md.append(perf)
        md.append("```")
        md.append("")
        children = read_text(os.path.join(work, "perf-children.txt"))
        if children:
            md.append("Inclusive time of selected functions (children included):")
            md.append("")
            md.append("```")
            md.append(children)
            md.append("```")
            md.append("")
    md.append("### EXPLAIN of the kept statements")
    md.append("")
    md.append("`bench/explain.sql` runs the statements of `src/statements.c` with their generic "
              "plans and parameters of the last booking run's consultant, right after the run "
              "(before any vacuum), then rolls back:")
    md.append("")
    md.append("```")
    md.append(read_text(os.path.join(work, "explain-bench.txt")))
    md.append("```")
    md.append("")
    md.append("The same in the history database, for a consultant with a long past:")
    md.append("")
    md.append("```")
    md.append(read_text(os.path.join(work, "explain-history.txt")))
    md.append("```")
    md.append("")

    raw = os.path.join(os.path.dirname(args.out), "benchmarks-runs.tsv")
    with open(raw, "w") as f:
        f.write("workload\tsync_commit\tvariant\tround\tcalls_per_s\tlatency_ms\tbookings"
                "\tseconds\tpropose_p50_ms\tpropose_p99_ms\tconfirm_p50_ms\tconfirm_p99_ms"
                "\tcalls\tserver_cpu_ms\n")
        for r in read_tsv(os.path.join(work, "results.tsv")):
            f.write("\t".join(r) + "\n")
        for r in hist_all:
            f.write("\t".join(["history-" + r[0], "off", r[6], r[1], r[2], r[3], "-", args.secs,
                                "-", "-", "-", "-"] + r[4:6]) + "\n")
    md.append(f"Every run's numbers: [benchmarks-runs.tsv](benchmarks-runs.tsv).")
    md.append("")
    with open(args.out, "w") as f:
        f.write("\n".join(md) + "\n")
    plot(res, os.path.abspath(args.png), work)
    print(f"\nreport: wrote {args.out} and {args.png}")


def perf_pct(text, symbol):
    for line in text.splitlines():
        parts = line.split()
        if parts and parts[-1] == symbol or (len(parts) > 3 and parts[3] == symbol):
            return parts[0]
    return None


def explain_buffers(text, header):
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith(header):
            for l2 in lines[i + 1:]:
                if l2.startswith("=="):
                    break
                if "Buffers: shared hit=" in l2:
                    return l2.split("shared hit=")[1].split()[0]
    return None


ANALYSIS = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "analysis.md")).read().rstrip() \
    if os.path.exists(os.path.join(os.path.dirname(os.path.abspath(__file__)), "analysis.md")) else ""

if __name__ == "__main__":
    main()

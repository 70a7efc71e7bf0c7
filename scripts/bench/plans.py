#!/usr/bin/env python3
"""Every SQL statement the workers ran, its query plan read over a database holding a million
requests: a statement that scans a table grown with history, or that takes over 25 ms run
against it (a walk its plan reads as a search: the wrong index, the loops the wrong way round,
every match sorted), is named with its plan. Used by `make bench` (scripts/bench/run.mjs).

    plans.py DATABASE STATEMENTS.json... > report.json

SQLite plans without the values (no ANALYZE statistics are kept), so the plan read here is the
one the worker gets. Each statement is run inside a transaction rolled back, so the database read
is left as it was (the bench's own, deleted after).
"""
import json
import re
import sqlite3
import sys
import time

# A table counts as grown with history when it holds more rows than this in the database read,
# or when it is one of these (they grow with requests, messages, sessions and their history).
LARGE = 20_000
HISTORY = {"requests", "request_events", "request_bodies", "request_versions", "request_facts", "request_links",
           "stats_dirty", "stats_facts", "outbox", "delivery_attempts", "attachments", "audit_log", "rate_limits",
           "tracking_otps", "sign_in_tokens", "staff_sessions", "staff_notices", "ussd_sessions", "batch_guard"}


KEYWORDS = {"WHERE", "ON", "JOIN", "LEFT", "INNER", "CROSS", "GROUP", "ORDER", "LIMIT", "SET", "USING", "INDEXED",
            "NOT", "UNION", "AND", "OR", "WINDOW", "HAVING", "VALUES", "SELECT", "RETURNING", "NATURAL", "OUTER"}


def aliases(sql):
    """Each name a plan may use for a table of the statement: the table's own, and its alias."""
    names = {}
    for table, alias in re.findall(r"(?:FROM|JOIN|UPDATE|INTO)\s+\"?(\w+)\"?(?:\s+(?:AS\s+)?(\w+))?", sql, re.I):
        names[table] = table
        if alias and alias.upper() not in KEYWORDS:
            names[alias] = table
    return names


# Statements that read every matching row by design, each with why: reported apart, so that a
# new walk stands out. Left as they are until their users need more (BENCHMARKS.md, «Daily jobs at
# a million requests»).
KNOWN = [
    (r"r\.message LIKE \?1", "staff search by words of the message, names or address: a LIKE '%…%' no "
     "index serves (an FTS5 trigram index would)"),
    (r"SELECT count\(\*\) AS open, coalesce\(sum\(r\.due_at", "the supervisor's dashboard counts the open "
     "requests of its bodies now: the open backlog, not history"),
]

# A statement that takes longer than this over the database read, its parameters NULL, is named.
SLOW_MS = 25.0


# A parameter that is a LIMIT (or OFFSET) is bound to a slice's size, never to the other values.
LIMIT = 100


def timed(db, sql, params):
    limits = {int(n) for n in re.findall(r"(?:LIMIT|OFFSET)\s+\?(\d+)", sql, re.I)}
    """Milliseconds to run `sql` (the better of two tries), inside a transaction rolled back, with
    the slowest of three values for every parameter."""
    worst = 0.0
    # Each value makes other rows match: none (NULL), all before it (a far future), none before.
    for value in (None, 9_000_000_000_000, 0):
        best = float("inf")
        for _ in range(2):
            db.execute("BEGIN")
            start = time.perf_counter()
            try:
                db.execute(sql, [LIMIT if i in limits else value for i in range(1, params + 1)]).fetchall()
            except sqlite3.Error:
                pass  # a constraint or a trigger's RAISE: the time until then still counts
            best = min(best, (time.perf_counter() - start) * 1000)
            db.execute("ROLLBACK")
        worst = max(worst, best)
    return worst


def main():
    # Statements run in transactions that are rolled back: the database is left as it was.
    db = sqlite3.connect(sys.argv[1], isolation_level=None)
    sizes = {}
    for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"):
        sizes[name] = db.execute(f'SELECT count(*) FROM (SELECT 1 FROM "{name}" LIMIT {LARGE + 1})').fetchone()[0]
    large = {t for t, n in sizes.items() if n > LARGE or t in HISTORY}
    texts = set()
    for path in sys.argv[2:]:
        with open(path, encoding="utf-8") as f:
            texts.update(json.load(f))
    flagged, known, unreadable = [], [], []
    for sql in sorted(texts):
        numbered = [int(n) for n in re.findall(r"\?(\d+)", sql)]
        params = max(numbered) if numbered else sql.count("?")
        try:
            plan = [row[3] for row in db.execute("EXPLAIN QUERY PLAN " + sql, [None] * params)]
        except sqlite3.Error as e:
            unreadable.append({"sql": sql, "error": str(e)})
            continue
        names = aliases(sql)
        walks = []
        for step in plan:
            m = re.match(r"SCAN (\w+)", step)
            table = names.get(m.group(1), m.group(1)) if m else None
            # The first rows of a table in its key's order, unfiltered, stop at the limit.
            bounded = re.search(rf"FROM\s+{table}\s+ORDER BY\s+\w+\s+LIMIT", sql) or re.search(
                rf"WHERE 1 ORDER BY {m.group(1)}\.id( DESC)? LIMIT", sql) if m else None
            if table in large and "VIRTUAL TABLE" not in step and not bounded:
                walks.append(f"{step} ({table})")
        # Run as written, every parameter NULL, and rolled back: a statement that walks many
        # rows before it finds none shows in its time even where its plan reads as a search.
        ms = timed(db, sql, params)
        if walks or ms > SLOW_MS:
            entry = {"sql": " ".join(sql.split()), "walks": walks, "ms": round(ms, 1), "plan": plan}
            why = next((reason for pattern, reason in KNOWN if re.search(pattern, sql)), None)
            if why:
                known.append({**entry, "why": why})
            else:
                flagged.append(entry)
    json.dump({"statements": len(texts), "large_tables": sorted(large), "flagged": flagged, "known": known,
               "unreadable": unreadable},
              sys.stdout, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()

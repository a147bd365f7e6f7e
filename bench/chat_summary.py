#!/usr/bin/env python3
"""Side-by-side table of a bench/run_chat.sh run: chat_summary.py OUT_DIR "10 100 1000" [LABEL].

Reads OUT_DIR/<measurement>-<peer>.json (parley-bench --json) and prints one row per figure with
Socket.IO, Parley and their ratio (Parley / Socket.IO; for latency and memory, lower is better).
A missing report (peer not run, or failed) shows as '-'. LABEL names the Parley column (default
Parley; "floor" when bench-chat-floor stood in for it)."""
import json
import os
import sys

out, sizes = sys.argv[1], sys.argv[2].split()
peer_label = sys.argv[3] if len(sys.argv) > 3 else "Parley"


def report(name, peer):
    path = os.path.join(out, f"{name}-{peer}.json")
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def fmt(v, unit=""):
    if v is None:
        return "-"
    if isinstance(v, float) and v < 100:
        return f"{v:.2f}{unit}"
    return f"{v:,.0f}{unit}".replace(",", " ")


rows = []


def row(label, name, pick, unit=""):
    s, p = report(name, "socketio"), report(name, "parley")
    sv = pick(s) if s else None
    pv = pick(p) if p else None
    ratio = f"{pv / sv:.2f}" if sv and pv is not None else "-"
    rows.append((label, fmt(sv, unit), fmt(pv, unit), ratio))


def missing(r):
    return max(r["expected_deliveries"] - r["deliveries"], 0)


for m in sizes:
    name = f"fanout{m}"
    r = report(name, "socketio") or report(name, "parley")
    offered = f" (offered {r['rate'] * int(m):,.0f}/s)".replace(",", " ") if r else ""
    row(f"fanout, rooms of {m}: deliveries/s{offered}", name, lambda r: r["throughput_per_s"])
    row(f"fanout, rooms of {m}: delivery p99", name, lambda r: r["delivery_ms"]["p99"], " ms")
    row(f"fanout, rooms of {m}: deliveries missing at the cut", name, missing)
row("sends at the fixed rate: acks/s", "sends-rate", lambda r: r["throughput_per_s"])
row("sends at the fixed rate: ack p99", "sends-rate", lambda r: r["ack_ms"]["p99"], " ms")
row("sends, closed loop: acks/s", "sends-max", lambda r: r["throughput_per_s"])
row("sends, closed loop: ack p99", "sends-max", lambda r: r["ack_ms"]["p99"], " ms")
row("idle: connections held", "idle", lambda r: r["open_at_end"])
row("idle: server RSS growth per connection", "idle",
    lambda r: r["rss_per_connection_bytes"] if r["rss_per_connection_bytes"] >= 0 else None, " B")
row("GET /v1/rooms/{id}/messages (50): req/s", "history", lambda r: r["throughput_per_s"])

width = max(len(r[0]) for r in rows)
ratio_label = peer_label + "/Socket.IO"
print(f"\n{'measurement':<{width}}  {'Socket.IO':>14}  {peer_label:>14}  {ratio_label:>16}")
for label, s, p, ratio in rows:
    print(f"{label:<{width}}  {s:>14}  {p:>14}  {ratio:>16}")
print("\nclient CPU (cores) and errors per report:")
for name in sorted(os.listdir(out)):
    if name.endswith(".json"):
        r = report(name[:-5].rsplit("-", 1)[0], name[:-5].rsplit("-", 1)[1])
        if r:
            extra = f"  first error: {r['first_error']}" if r.get("first_error") else ""
            print(f"  {name[:-5]:<22} cpu {r.get('client_cpu_cores', 0):.2f}  errors {r.get('errors', 0)}"
                  f"  failed {r.get('failed', 0)}{extra}")

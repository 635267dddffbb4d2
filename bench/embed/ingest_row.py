"""One line of JSON for one `indexer add` run of bench/embed/run.sh: its mode, wall time and
the report's figures (documents, pages, and the vectors computed)."""
import json
import sys

mode, t0, t1, report = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
s = json.load(open(report))["summary"]
v = s.get("vectors") or {}
print(json.dumps({
    "mode": mode, "seconds": t1 - t0, "documents": s["added"] + s["updated"],
    "pages": s["pages"], "embedded": v.get("documents", 0), "vectors": v.get("vectors", 0),
    "tokens": v.get("tokens", 0), "embed_seconds": v.get("seconds", 0.0),
}))

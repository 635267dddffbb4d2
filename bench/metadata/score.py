#!/usr/bin/env python3
"""Metadata benchmark: our inferred title, first author, year and type against a hand-made ground
truth, beside two baselines (poppler's `pdfinfo` fields and the first non-empty line of
`pdftotext -l 1`).

Comparison rules (README.md in this folder):
- title: NFKC, case folded, every character that is not a letter, digit or combining mark is a
  separator, runs of separators are one space. Right when it equals the label or one of its
  `title_alt`. Documents labelled with no title (`null`: a figure, a scan, a test page) are left
  out of the title figures.
- first author: the first name of the list, same normalisation; a document labelled with no author
  is right only when no author is given.
- year: equal to `year` or one of `year_alt`; `null` is right only when no year is given.
- type: the DocType name, exactly.
"""

import argparse
import concurrent.futures as cf
import datetime
import json
import os
import re
import subprocess
import sys
import unicodedata
from collections import defaultdict

GROUPS_BY_KIND = [
    ("theses (thesis, master, doctoral)", {"thesis", "master", "doctoral"}),
    ("reports", {"report"}),
    ("theses + reports", {"thesis", "master", "doctoral", "report"}),
    ("articles", {"article"}),
    ("books and manuals", {"book"}),
    ("slides", {"slides"}),
    ("other", {"other"}),
]


# Vietnamese writes the tone of an open `oa`, `oe`, `uy` on either vowel (`hoá` = `hóa`); the
# index stores one placement, the label keeps the printed one: both are put on the first vowel.
TONE_MOVE = re.compile(r"(?<![qQ])([oOuU])([aAeEyY])([\u0300\u0301\u0303\u0309\u0323])(?![^\W\d_])")


def norm(text):
    if text is None:
        return ""
    text = unicodedata.normalize("NFD", text)
    text = TONE_MOVE.sub(lambda m: m.group(1) + m.group(3) + m.group(2), text)
    text = unicodedata.normalize("NFKC", text).casefold()
    out = []
    for c in text:
        cat = unicodedata.category(c)
        out.append(c if cat[0] in "LNM" else " ")
    return " ".join("".join(out).split())


def resolve(path, shared, project):
    for base in (shared, project):
        if base:
            full = os.path.join(base, path)
            if os.path.exists(full):
                return full
    return None


def run(cmd, timeout=300):
    try:
        p = subprocess.run(cmd, capture_output=True, timeout=timeout)
        return p.returncode, p.stdout.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        return -1, ""


def split_people(raw):
    if not raw:
        return []
    parts = re.split(r";|,|\band\b|&", raw)
    return [p.strip() for p in parts if p.strip()]


def ours(indexer, full):
    code, out = run([indexer, "extract", "--json", full])
    if code != 0:
        return {"error": f"exit {code}"}
    try:
        doc = json.loads(out)
    except json.JSONDecodeError:
        return {"error": "bad json"}
    m = doc.get("metadata", {})
    return {
        "title": m.get("title"),
        "authors": m.get("authors") or [],
        "year": m.get("year"),
        "type": m.get("doc_type"),
        "language": m.get("language"),
    }


def pdfinfo(full):
    code, out = run(["pdfinfo", "-isodates", full])
    fields = {}
    for line in out.splitlines():
        k, _, v = line.partition(":")
        fields[k.strip()] = v.strip()
    year = None
    m = re.match(r"(\d{4})", fields.get("CreationDate", ""))
    if m:
        year = int(m.group(1))
    return {
        "title": fields.get("Title") or None,
        "authors": split_people(fields.get("Author")),
        "year": year,
    }


def first_line(full):
    code, out = run(["pdftotext", "-l", "1", "-enc", "UTF-8", full, "-"])
    for line in out.splitlines():
        if line.strip():
            return {"title": line.strip()}
    return {"title": None}


def title_ok(truth, pred):
    want = [truth["title"]] + truth.get("title_alt", [])
    got = norm(pred)
    return bool(got) and any(got == norm(w) for w in want)


def author_ok(truth, authors):
    if not truth["authors"]:
        return not authors
    return bool(authors) and norm(authors[0]) == norm(truth["authors"][0])


def year_ok(truth, year):
    if truth["year"] is None:
        return year is None
    return year in [truth["year"]] + truth.get("year_alt", [])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--truth", required=True)
    ap.add_argument("--shared", default="")
    ap.add_argument("--project", default="")
    ap.add_argument("--indexer", required=True)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--work", required=True)
    ap.add_argument("--results", default="")
    ap.add_argument("--commit", default="")
    args = ap.parse_args()

    truth = [json.loads(l) for l in open(args.truth, encoding="utf-8") if l.strip()]
    todo, missing = [], []
    for t in truth:
        full = resolve(t["path"], args.shared, args.project)
        (todo if full else missing).append((t, full))

    def one(item):
        t, full = item
        return t, ours(args.indexer, full), pdfinfo(full), first_line(full)

    rows = []
    with cf.ThreadPoolExecutor(max_workers=args.jobs) as ex:
        for i, r in enumerate(ex.map(one, todo), 1):
            rows.append(r)
            if i % 25 == 0:
                print(f"  {i}/{len(todo)}", file=sys.stderr)

    os.makedirs(args.work, exist_ok=True)
    with open(os.path.join(args.work, "predictions.jsonl"), "w", encoding="utf-8") as f:
        for t, o, pi, fl in rows:
            f.write(json.dumps({"path": t["path"], "ours": o, "pdfinfo": pi,
                                "pdftotext_line1": fl["title"]}, ensure_ascii=False) + "\n")

    # Per document: which field each system got right (None: not scored).
    scored = []
    for t, o, pi, fl in rows:
        has_title = t["title"] is not None
        scored.append((t, {
            "title": {
                "ours": title_ok(t, o.get("title")) if has_title else None,
                "pdfinfo": title_ok(t, pi["title"]) if has_title else None,
                "pdftotext": title_ok(t, fl["title"]) if has_title else None,
            },
            "first author": {
                "ours": author_ok(t, o.get("authors", [])),
                "pdfinfo": author_ok(t, pi["authors"]),
            },
            "year": {"ours": year_ok(t, o.get("year")), "pdfinfo": year_ok(t, pi["year"])},
            "type": {"ours": o.get("type") == t["type"], "majority (book)": t["type"] == "book"},
        }))

    def pct(items, field, system):
        vals = [s[field][system] for _, s in items if s[field].get(system) is not None]
        if not vals:
            return "–", 0
        return f"{100.0 * sum(vals) / len(vals):.1f}", len(vals)

    groups = [("all", lambda t: True)]
    for lang in sorted({t["language"] for t, _ in scored}):
        groups.append((f"language {lang}", lambda t, lang=lang: t["language"] == lang))
    for name, kinds in GROUPS_BY_KIND:
        groups.append((name, lambda t, kinds=kinds: t["type"] in kinds))
    for name, kinds in GROUPS_BY_KIND:
        for lang in ("vi", "en"):
            groups.append((f"{name}, {lang}",
                           lambda t, kinds=kinds, lang=lang: t["type"] in kinds and t["language"] == lang))

    lines = []
    lines.append("| documents | n | title ours | title pdfinfo | title pdftotext l.1 "
                 "| 1st author ours | 1st author pdfinfo | year ours | year pdfinfo "
                 "| type ours | type majority |")
    lines.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, pred in groups:
        items = [x for x in scored if pred(x[0])]
        if not items:
            continue
        cells = []
        for field, system in [("title", "ours"), ("title", "pdfinfo"), ("title", "pdftotext"),
                              ("first author", "ours"), ("first author", "pdfinfo"),
                              ("year", "ours"), ("year", "pdfinfo"),
                              ("type", "ours"), ("type", "majority (book)")]:
            cells.append(pct(items, field, system)[0])
        lines.append(f"| {name} | {len(items)} | " + " | ".join(cells) + " |")
    table = "\n".join(lines)

    misses = []
    for (t, s), (_, o, _, _) in zip(scored, rows):
        wrong = [f for f in ("title", "first author", "year", "type") if s[f]["ours"] is False]
        if wrong:
            misses.append({"path": t["path"], "wrong": wrong,
                           "truth": {k: t.get(k) for k in ("title", "authors", "year", "type")},
                           "ours": o})
    with open(os.path.join(args.work, "misses.jsonl"), "w", encoding="utf-8") as f:
        for m in misses:
            f.write(json.dumps(m, ensure_ascii=False) + "\n")

    print(table)
    if missing:
        print(f"\n{len(missing)} labelled files not found (no ../shared?): scored without them.")
    print(f"\npredictions and misses: {args.work}/predictions.jsonl, {args.work}/misses.jsonl")

    if args.results:
        when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        with open(args.results, "w", encoding="utf-8") as f:
            f.write("# Metadata benchmark results\n\n")
            f.write(f"`bench/metadata/run.sh` at {args.commit or 'the working tree'}, {when}: "
                    f"{len(rows)} labelled PDFs ({len(missing)} not found). Percent right per "
                    "field; the comparison rules are in README.md. Baselines: poppler's "
                    "`pdfinfo` Title, Author (first name) and CreationDate year; the first "
                    "non-empty line of `pdftotext -l 1` as a title; for type, always answering "
                    "the most common type of the truth (book).\n\n")
            f.write(table + "\n")


if __name__ == "__main__":
    main()

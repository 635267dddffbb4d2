#!/usr/bin/env python3
"""Compare our extraction with pdftotext's (word-multiset F1) and with LaTeX sources (recall).

Called by run.sh; prints a report. Inputs are directories of `<path with / as __>.txt` files.
"""
import argparse
import collections
import os
import re
import statistics
import unicodedata

VNTEX_SOURCES = {
    "corpus/vi/texlive-lang-other/latex__amsldoc-vn__amsldoc-vi.pdf": ("amsldoc-vn", ["amsldoc-vi.tex"]),
    "corpus/vi/texlive-lang-other/latex__lshort-vietnamese__lshort-vi.pdf": ("lshort-vietnamese", None),
    "corpus/vi/texlive-lang-other/latex__ntheorem-vn__ntheorem-doc-vn.pdf": ("ntheorem-vn", None),
    "corpus/vi/texlive-lang-other/latex__ntheorem-vn__test.pdf": ("ntheorem-vn", ["test.tex"]),
}
EXCLUDE = {"lshort-print-vi.tex", "amsldoc-print-vi.tex"}
VI_LETTERS = set("àáâãèéêìíòóôõùúýăđĩũơưÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝĂĐĨŨƠƯ")


def read(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return unicodedata.normalize("NFC", f.read())
    except FileNotFoundError:
        return None


def f1(a, b):
    ca, cb = collections.Counter(a), collections.Counter(b)
    if not ca and not cb:
        return 1.0
    inter = sum((ca & cb).values())
    return 2 * inter / (sum(ca.values()) + sum(cb.values()))


def latex_words(text):
    text = re.sub(r"(?<!\\)%.*", " ", text)
    text = re.sub(r"\\begin\{(verbatim|lstlisting)\}.*?\\end\{\1\}", " ", text, flags=re.S)
    text = re.sub(r"\\[a-zA-Z@]+\*?", " ", text)
    text = re.sub(r"\\.", " ", text)
    return words(text)


def words(text):
    return [w.lower() for w in re.findall(r"\w+", text) if not w.isdigit()]


def recall(src, got):
    cs, cg = collections.Counter(src), collections.Counter(got)
    return sum((cs & cg).values()) / max(1, sum(cs.values()))


def garbage(tokens):
    """Tokens with Latin-1 symbols that legacy fonts leave behind (TCVN3 read as cp1252)."""
    bad = 0
    for t in tokens:
        if any(0xA0 <= ord(c) <= 0xFF and c not in VI_LETTERS and not c.isalpha() for c in t) or \
           any(c in "¦§¹³µ¸¶·Þ®¬ª«©" for c in t):
            bad += 1
    return bad


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", required=True)
    ap.add_argument("--ours", required=True)
    ap.add_argument("--ref", required=True)
    ap.add_argument("--pdftotext-seconds", type=float)
    ap.add_argument("--ours-seconds", type=float)
    ap.add_argument("--errors")
    ap.add_argument("--show", type=int, default=12)
    ap.add_argument("--scores-out", help="write per-file F1 (TSV: f1, language, path)")
    ap.add_argument("--baseline", help="per-file F1 of an earlier run (a --scores-out file)")
    args = ap.parse_args()

    rows = []
    with open(os.path.join(args.shared, "MANIFEST.tsv"), encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        for line in f:
            r = dict(zip(header, line.rstrip("\n").split("\t")))
            if r.get("path", "").startswith("corpus/") and r["path"].endswith(".pdf"):
                rows.append(r)

    per_lang = collections.defaultdict(list)
    vi_garbage = []
    for r in rows:
        name = r["path"].replace("/", "__") + ".txt"
        ours = read(os.path.join(args.ours, name)) or ""
        ref = read(os.path.join(args.ref, name)) or ""
        if r["pdftotext_readable"] == "yes":
            score = f1(ours.split(), ref.split())
            per_lang[r["language"]].append((score, r["path"], len(ref.split())))
        if r["language"] == "vi":
            g_ours, g_ref = garbage(ours.split()), garbage(ref.split())
            if g_ours != g_ref:
                vi_garbage.append((r["path"], g_ours, g_ref))

    print("=== word F1 against pdftotext (pdftotext_readable=yes) ===")
    allscores = []
    for lang in sorted(per_lang):
        s = sorted(per_lang[lang])
        vals = [x[0] for x in s]
        allscores += vals
        print(f"{lang}: {len(vals)} files, median F1 {statistics.median(vals):.4f}, "
              f"mean {statistics.mean(vals):.4f}, share >= 0.95: {sum(v >= 0.95 for v in vals) / len(vals):.1%} "
              f"({sum(v >= 0.95 for v in vals)}/{len(vals)})")
        for score, path, n in s[: args.show]:
            if score < 0.98:
                print(f"    {score:.4f}  {path}  ({n} ref words)")
    if allscores:
        print(f"all: {len(allscores)} files, median F1 {statistics.median(allscores):.4f}, "
              f"share >= 0.95: {sum(v >= 0.95 for v in allscores) / len(allscores):.1%} "
              f"({sum(v >= 0.95 for v in allscores)}/{len(allscores)})")

    scores = {path: (score, lang) for lang, s in per_lang.items() for score, path, _ in s}
    if args.scores_out:
        with open(args.scores_out, "w", encoding="utf-8") as f:
            for path in sorted(scores):
                f.write(f"{scores[path][0]:.4f}\t{scores[path][1]}\t{path}\n")
    if args.baseline and os.path.exists(args.baseline):
        before = {}
        with open(args.baseline, encoding="utf-8") as f:
            for line in f:
                score, _, path = line.rstrip("\n").split("\t")
                before[path] = float(score)
        deltas = sorted((scores[p][0] - before[p], p) for p in scores if p in before)
        print(f"\n=== against the baseline {args.baseline} (changes above 0.001) ===")
        for title, rows in (("worse", [d for d in deltas if d[0] < -0.001]),
                            ("better", [d for d in reversed(deltas) if d[0] > 0.001])):
            print(f"  {title}: {len(rows)} files")
            for d, path in rows[: args.show]:
                print(f"    {d:+.4f}  {before[path]:.4f} -> {scores[path][0]:.4f}  {path}")

    print("\n=== VnTeX PDFs: recall of LaTeX source words ===")
    src_root = os.path.join(args.shared, "vi_text", "texlive-vi-sources")
    for pdf, (d, files) in VNTEX_SOURCES.items():
        folder = os.path.join(src_root, d)
        if not os.path.isdir(folder):
            continue
        names = files or sorted(n for n in os.listdir(folder) if n.endswith(".tex") and n not in EXCLUDE
                                and not (d == "ntheorem-vn" and n == "test.tex"))
        src = []
        for n in names:
            src += latex_words(read(os.path.join(folder, n)) or "")
        name = pdf.replace("/", "__") + ".txt"
        r_ours = recall(src, words(read(os.path.join(args.ours, name)) or ""))
        r_ref = recall(src, words(read(os.path.join(args.ref, name)) or ""))
        verdict = "better" if r_ours > r_ref + 0.002 else "worse" if r_ours < r_ref - 0.002 else "same"
        print(f"  ours {r_ours:.4f}  pdftotext {r_ref:.4f}  {verdict:6}  {pdf}")

    print("\n=== Vietnamese files: tokens with legacy-font garbage (ours vs pdftotext) ===")
    for path, g_ours, g_ref in sorted(vi_garbage):
        verdict = "better" if g_ours < g_ref else "worse"
        print(f"  ours {g_ours:5d}  pdftotext {g_ref:5d}  {verdict:6}  {path}")
    if not vi_garbage:
        print("  no difference")

    if args.errors and os.path.exists(args.errors):
        with open(args.errors, encoding="utf-8", errors="replace") as f:
            log = f.read().strip()
        if log:
            print("\n=== extractor log ===")
            print(log[-3000:])

    if args.pdftotext_seconds and args.ours_seconds:
        print("\n=== speed (whole corpus) ===")
        print(f"  pdftotext: {args.pdftotext_seconds:.2f} s   ours: {args.ours_seconds:.2f} s   "
              f"ratio ours/pdftotext: {args.ours_seconds / args.pdftotext_seconds:.3f}")


main()

#!/usr/bin/python3
"""Word F1 of OCR text against the pages' text layer, exact and with diacritics folded.

Words are runs of letters and digits, lower-cased, NFKC (so the text layer's mathematical
italic letters, ligatures and full-width forms compare as the plain letters OCR gives); a page's words are a bag (order is not
scored, so reading-order differences between tools do not count). F1 is micro-averaged over the
pages of a set: matched words over all pages against the words of all pages.

Usage: score.py REF_DIR OURS_JSON BASELINE_DIR
  REF_DIR       <n>.txt per page (the text layer)
  OURS_JSON     `indexer extract --json` of the set's image-only PDF (pages in order)
  BASELINE_DIR  <n>.txt per page from plain tesseract
Prints: ours_exact ours_folded base_exact base_folded pages
"""
import collections
import json
import os
import re
import sys
import unicodedata


def words(text, folded):
    text = unicodedata.normalize("NFKC", text).lower()
    if folded:
        text = "".join(c for c in unicodedata.normalize("NFD", text)
                       if unicodedata.category(c) != "Mn").replace("đ", "d")
    return collections.Counter(re.findall(r"\w+", text))


def f1(pairs, folded):
    hit = ref_n = hyp_n = 0
    for ref, hyp in pairs:
        r, h = words(ref, folded), words(hyp, folded)
        hit += sum((r & h).values())
        ref_n += sum(r.values())
        hyp_n += sum(h.values())
    if hit == 0:
        return 0.0
    p, rc = hit / hyp_n, hit / ref_n
    return 2 * p * rc / (p + rc)


def main():
    ref_dir, ours_json, base_dir = sys.argv[1:4]
    names = sorted(f[:-4] for f in os.listdir(ref_dir) if f.endswith(".txt"))
    refs = [open(os.path.join(ref_dir, n + ".txt"), encoding="utf-8").read() for n in names]
    with open(ours_json, encoding="utf-8") as f:
        ours = [p["text"] for p in json.load(f)["pages"]]
    if len(ours) != len(refs):
        sys.exit(f"{ours_json}: {len(ours)} pages, expected {len(refs)}")
    base = []
    for n in names:
        p = os.path.join(base_dir, n + ".txt")
        base.append(open(p, encoding="utf-8").read() if os.path.exists(p) else "")
    o, b = list(zip(refs, ours)), list(zip(refs, base))
    print(f"{f1(o, False):.4f} {f1(o, True):.4f} {f1(b, False):.4f} {f1(b, True):.4f} {len(refs)}")


if __name__ == "__main__":
    main()

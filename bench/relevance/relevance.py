#!/usr/bin/env python3
"""Relevance benchmark: the real indexer and /api/search against published figures and a plain BM25.

Subcommands (run.sh drives them):
  d2l SHARED OUT              across languages (issue 17): OUT/D2L (records of d2l-vi and
                              d2l-en `##` sections, both languages), OUT/D2L-vi-en and
                              D2L-en-vi (queries: a section's heading in one language, gold its
                              twin in the other, sent with lang= the target language)
  bm25lang RECDIR SETDIR      plain BM25 (k1 1.2, b 0.75, \\w+) over RECDIR's records in each
                              query's `lang` only
  d2ltable OUT                the "Across languages (d2l)" table from OUT/runs/
  prepare SHARED OUT          records.jsonl + queries.jsonl per set under OUT/sets/<set>/, and the
                              known-item sets (bench/relevance/known-items/*.jsonl) under
                              OUT/sets/Known-*; record ids carry their set's prefix, so every set
                              can share one index
  pdftext SHARED OUT          pdftotext of every PDF of SHARED/corpus into OUT/pdftext/ (the plain
                              baseline's view of the PDFs), cached
  search ADDR SETDIR [--strip] [--out F]
                              every question through /api/search, metrics as JSON on stdout
  bm25 SETDIR [--strip]       plain BM25 (k1 1.5, b 0.75, lower-cased \\w+ tokens) on one set alone
  bm25lib OUT LIBRARY SET...  plain BM25 (k1 1.2, b 0.75, \\w+) over a whole library (LIBRARY:
                              mixed = every set's records + the PDFs as pdftotext reads them;
                              corpus = the PDFs only), each SET's questions against all of it,
                              plain and with everything folded; JSON {set: {run: metrics}}
  table OUT                   the per-set results table (markdown) from OUT/results.json
  mixedtable OUT              the mixed-library and known-item tables from OUT/mixed.json

Metrics follow the ViRE toolkit (vi_retrieval_eval): for a query with gold set G and ranking r,
P@1 = [r1 in G], R@10 = |top10 & G| / |G|, MRR@10 = 1/rank of the first gold doc in the top 10,
nDCG@10 with graded gains (binary for the ViRE sets: one gold context per question) and
log2(rank + 1) discounts, ideal DCG from the gold grades. All are averaged over questions and
shown in percent.
"""

import csv
import http.client
import json
import math
import os
import re
import sys
import unicodedata
import urllib.parse
from collections import Counter, defaultdict

# Published figures quoted by issue 6 (ViRE report, EACL 2026: MRR@10 in percent; BEIR nDCG@10).
PUBLISHED = {
    "ViMedAQA_v2": {"bm25": 71.36, "hybrid": 88.82},
    "ALQAC": {"bm25": 92.20, "hybrid": 96.66},
    "ViRHE4QA_v2": {"bm25": 76.05, "hybrid": 79.94},
    "ViRe4MRC_v2": {"bm25": 10.25, "hybrid": 18.21},
    "NFCorpus": {"bm25_ndcg": 32.5},
}
VIRE_SETS = ["ViMedAQA_v2", "ALQAC", "ViRHE4QA_v2", "ViRe4MRC_v2"]
# Known-item sets: written by reading the PDFs of ../shared/corpus (bench/relevance/known-items/).
KNOWN_SETS = ["Known-vi", "Known-en"]
KNOWN_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "known-items")
# The API refuses longer queries (search-server MAX_QUERY_CHARS); a user would cut theirs too.
MAX_QUERY_CHARS = 1000


def strip_diacritics(s):
    """What a user typing without accents sends: marks removed, đ -> d."""
    s = s.replace("đ", "d").replace("Đ", "D")
    nfd = unicodedata.normalize("NFD", s)
    return unicodedata.normalize("NFC", "".join(c for c in nfd if not unicodedata.combining(c)))


def dedup_key(text):
    return " ".join(unicodedata.normalize("NFKC", text).split())


def cut(q):
    q = " ".join(q.split())
    if len(q) <= MAX_QUERY_CHARS:
        return q
    return q[:MAX_QUERY_CHARS].rsplit(" ", 1)[0]


def slug(name):
    """A set's collection name and id prefix: record ids must be unique across one index."""
    return name.lower().replace("_", "-")


def write_set(out, name, docs, queries):
    d = os.path.join(out, name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "records.jsonl"), "w", encoding="utf-8") as f:
        for doc in docs:
            f.write(json.dumps(doc, ensure_ascii=False) + "\n")
    with open(os.path.join(d, "queries.jsonl"), "w", encoding="utf-8") as f:
        for q in queries:
            f.write(json.dumps(q, ensure_ascii=False) + "\n")
    print(f"{name}: {len(docs)} documents, {len(queries)} queries", file=sys.stderr)


def prepare_vire(shared, out, name):
    path = os.path.join(shared, "ir/vire-vi", name + ".csv")
    csv.field_size_limit(1 << 30)
    ids = {}
    docs = []
    queries = []
    with open(path, encoding="utf-8-sig", newline="") as f:
        for i, row in enumerate(csv.DictReader(f)):
            ctx = (row.get("context") or "").strip()
            question = (row.get("question") or "").strip()
            if not ctx or not question:
                continue
            key = dedup_key(ctx)
            if key not in ids:
                ids[key] = f"{slug(name)}-c{len(ids) + 1}"
                docs.append({"id": ids[key], "text": ctx})
            queries.append({"qid": f"q{i + 1}", "q": question, "gold": {ids[key]: 1}})
    write_set(out, name, docs, queries)


def prepare_nfcorpus(shared, out):
    base = os.path.join(shared, "ir/nfcorpus-test")
    docs = []
    with open(os.path.join(base, "test.docs"), encoding="utf-8") as f:
        for line in f:
            did, _, text = line.rstrip("\n").partition("\t")
            if did and text.strip():
                docs.append({"id": f"nfcorpus-{did}", "text": text, "language": "en"})
    gold = defaultdict(dict)
    with open(os.path.join(base, "test.2-1-0.qrel"), encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 4 and int(parts[3]) > 0:
                gold[parts[0]][f"nfcorpus-{parts[2]}"] = int(parts[3])
    queries = []
    with open(os.path.join(base, "test.all.queries"), encoding="utf-8") as f:
        for line in f:
            qid, _, text = line.rstrip("\n").partition("\t")
            if qid in gold:
                queries.append({"qid": qid, "q": text, "gold": gold[qid]})
    write_set(out, "NFCorpus", docs, queries)


def smart_records(path):
    """Records of a SMART-format file (.I id, then .T/.A/.B/.W fields)."""
    rec, field = None, None
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.startswith(".I "):
                if rec:
                    yield rec
                rec, field = {"id": line[3:].strip()}, None
            elif re.match(r"^\.[A-Z]\s*$", line):
                field = line[1]
                rec.setdefault(field, "")
            elif rec is not None and field:
                rec[field] += line
    if rec:
        yield rec


def prepare_cranfield(shared, out):
    base = os.path.join(shared, "ir/cranfield")
    docs = []
    for r in smart_records(os.path.join(base, "cran.all.1400")):
        title = " ".join(r.get("T", "").split())
        text = " ".join(r.get("W", "").split())
        if not text and not title:
            continue
        doc = {"id": f"cranfield-{r['id']}", "text": text or title, "language": "en"}
        if title:
            doc["title"] = title
        authors = " ".join(r.get("A", "").split())
        if authors:
            doc["authors"] = authors
        docs.append(doc)
    # Judgements number the queries 1..225 in file order (the .I numbers of cran.qry skip).
    # Codes: 1 complete answer ... 4 minimum interest; gain = 5 - code. The -1 rows (one per
    # query) are not judgements and are dropped, as most Cranfield tools do.
    gold = defaultdict(dict)
    with open(os.path.join(base, "cranqrel"), encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 3 and 1 <= int(parts[2]) <= 4:
                gold[int(parts[0])][f"cranfield-{parts[1]}"] = 5 - int(parts[2])
    queries = []
    for n, r in enumerate(smart_records(os.path.join(base, "cran.qry")), start=1):
        if gold.get(n):
            queries.append({"qid": f"Q{n}", "q": " ".join(r.get("W", "").split()), "gold": gold[n]})
    write_set(out, "Cranfield", docs, queries)


def prepare_known(shared, out):
    """Known-item queries: gold is the target PDFs' file names (what a hit's `file_name` says)."""
    for name in KNOWN_SETS:
        path = os.path.join(KNOWN_DIR, name.split("-", 1)[1] + ".jsonl")
        queries = []
        if not os.path.exists(path):
            print(f"warning: {path} not found; {name} is skipped", file=sys.stderr)
            continue
        with open(path, encoding="utf-8") as f:
            for line in f:
                if not line.strip():
                    continue
                k = json.loads(line)
                for t in k["targets"]:
                    if not os.path.exists(os.path.join(shared, t)):
                        sys.exit(f"{path}: {k['qid']}: target {t} not found in {shared}")
                gold = {os.path.basename(t): 1 for t in k["targets"]}
                queries.append({"qid": k["qid"], "q": k["q"], "kind": k["kind"], "gold": gold})
        write_set(out, name, [], queries)


# ------------------------------------------------------------------ across languages (d2l)
# Dive into Deep Learning in Vietnamese (d2l-vi) and, for half its chapters, the English original
# (d2l-en-origin/<chapter>/<name>_origin.md beside d2l-vi/<chapter>/<name>.md). Both files of a
# pair have the same headings in the same order (checked), so their sections align one to one.
D2L_GENERIC = {"summary", "exercises", "discussions", "tóm tắt", "bài tập", "thảo luận"}
D2L_MIN_WORDS = 30
D2L_MIN_VI_SHARE = 0.3
VI_LETTER = re.compile("[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]")


def d2l_heading(line):
    """A Markdown heading as a reader sees it: no #, no d2l's (** **) or [ ] marks."""
    h = line.lstrip("#").strip()
    h = re.sub(r"\*+", "", h)
    h = re.sub(r"\[(.*?)\]\(.*?\)", r"\1", h)
    h = h.replace("[", "").replace("]", "").strip()
    if h.startswith("(") and h.endswith(")"):
        h = h[1:-1]
    return " ".join(unicodedata.normalize("NFC", h).split())


def d2l_sections(path):
    """The `##` sections of a d2l Markdown file: the text before the first `##` (under the `#`
    title) is section 0. Each is (heading, paragraphs): prose only (no code, display maths,
    tables, figures or directives such as :label:; inline :numref:/:cite: roles dropped), with
    the headings of its `###` subsections kept as lines of text."""
    text = open(path, encoding="utf-8").read()
    text = re.sub(r"```.*?```", "\n\n", text, flags=re.S)
    text = re.sub(r"\$\$.*?\$\$", "\n\n", text, flags=re.S)
    secs = []
    for block in re.split(r"\n\s*\n", text):
        prose = []
        for line in block.splitlines():
            s = line.strip()
            m = re.match(r"^(#{1,6})\s", s)
            if m:
                if prose and secs:
                    secs[-1][1].append(" ".join(prose))
                prose = []
                if len(m.group(1)) <= 2 or not secs:
                    secs.append((d2l_heading(s), []))
                else:
                    secs[-1][1].append(d2l_heading(s))
            elif s and not s.startswith((":", "|", "!", "<", "$$")):
                prose.append(s)
        if prose and secs:
            secs[-1][1].append(" ".join(prose))
    out = []
    for heading, paras in secs:
        paras = [re.sub(r":(numref|cite|eqref|ref|label):`[^`]*`", " ", p).replace("**", "")
                 for p in paras]
        paras = [" ".join(unicodedata.normalize("NFC", p).split()) for p in paras]
        out.append((heading, [p for p in paras if p]))
    return out


def vi_share(text):
    words = WORD.findall(text.lower())
    return sum(1 for w in words if VI_LETTER.search(w)) / max(1, len(words))


def prepare_d2l(shared, out):
    """Across languages: every `##` section of d2l-vi and of the English originals as a record
    (its text without its heading; language set), and two query sets: the Vietnamese heading of
    an aligned section must find the English section (D2L-vi-en, sent with lang=en), and the
    English heading the Vietnamese one (D2L-en-vi, lang=vi). A section is kept when its heading
    is not Summary/Exercises/Discussions and its text has at least 30 words; a pair is queried
    when both sides are kept, the texts differ and at least 30% of the Vietnamese words carry
    Vietnamese letters (untranslated passages are left out)."""
    en_root = os.path.join(shared, "vi_text", "d2l-en-origin")
    vi_root = os.path.join(shared, "vi_text", "d2l-vi")

    def rid(lang, chapter, name, i):
        return f"d2l-{lang}.{chapter.removeprefix('chapter_')}.{name}.{i}"

    def kept(heading, paras):
        return heading.lower() not in D2L_GENERIC and len(" ".join(paras).split()) >= D2L_MIN_WORDS

    docs, vi_en, en_vi = [], [], []
    for chapter in sorted(os.listdir(vi_root)):
        if not os.path.isdir(os.path.join(vi_root, chapter)):
            continue
        for f in sorted(os.listdir(os.path.join(vi_root, chapter))):
            if not f.endswith(".md"):
                continue
            name = f[: -len(".md")]
            vi = d2l_sections(os.path.join(vi_root, chapter, f))
            en_path = os.path.join(en_root, chapter, name + "_origin.md")
            en = d2l_sections(en_path) if os.path.exists(en_path) else []
            if en and len(en) != len(vi):
                print(f"warning: {chapter}/{name}: sections differ, English left out", file=sys.stderr)
                en = []
            for lang, secs in (("vi", vi), ("en", en)):
                for i, (heading, paras) in enumerate(secs):
                    if kept(heading, paras):
                        docs.append({"id": rid(lang, chapter, name, i), "text": "\n\n".join(paras),
                                     "language": lang})
            for i, ((he, pe), (hv, pv)) in enumerate(zip(en, vi)):
                te, tv = " ".join(pe), " ".join(pv)
                if not (kept(he, pe) and kept(hv, pv)) or te == tv or vi_share(tv) < D2L_MIN_VI_SHARE:
                    continue
                qid = f"{chapter.removeprefix('chapter_')}.{name}.{i}"
                vi_en.append({"qid": qid, "q": hv, "lang": "en", "gold": {rid("en", chapter, name, i): 1}})
                en_vi.append({"qid": qid, "q": he, "lang": "vi", "gold": {rid("vi", chapter, name, i): 1}})
    write_set(out, "D2L", docs, [])
    write_set(out, "D2L-vi-en", [], vi_en)
    write_set(out, "D2L-en-vi", [], en_vi)


def bm25lang(recdir, setdir):
    """Plain BM25 (k1 1.2, b 0.75, \\w+) over the records in the query's language only."""
    by_lang = defaultdict(list)
    with open(os.path.join(recdir, "records.jsonl"), encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            by_lang[r.get("language")].append((r["id"], r.get("title", "") + " " + r["text"]))
    index = {lang: Bm25(docs, 1.2, 0.75) for lang, docs in by_lang.items()}
    queries = load_queries(setdir, False)
    return metrics([index[q["lang"]].rank(q["q"]) for q in queries], queries)


def d2ltable(out):
    """The "Across languages (d2l)" table from OUT/runs/<set>.{ours,bm25}.json."""
    lines = [
        "### Across languages (d2l)",
        "",
        "Heading of a d2l section in one language, gold its twin in the other; one index of both",
        "languages, each query sent with lang= the target language. MRR@10 (%).",
        "",
        "| queries | n | plain BM25 (target language only) | ours, lexical | **ours, with the model** | target |",
        "|---|---|---|---|---|---|",
    ]
    for name, label, target in (("D2L-vi-en", "Vietnamese heading → English section", 40),
                                ("D2L-en-vi", "English heading → Vietnamese section", 45)):
        runs = os.path.join(out, "runs")
        ours = json.load(open(os.path.join(runs, name + ".ours.json"), encoding="utf-8"))
        base = json.load(open(os.path.join(runs, name + ".bm25.json"), encoding="utf-8"))
        model_path = os.path.join(runs, name + ".model.json")
        model = (json.load(open(model_path, encoding="utf-8"))
                 if os.path.exists(model_path) else None)
        best = model["MRR@10"] if model else ours["MRR@10"]
        mark = " ✓" if best >= target else " ✗"
        shown = f"**{fmt(model['MRR@10'])}**" if model else "– (no model)"
        lines.append(f"| {label} | {ours['queries']} | {fmt(base['MRR@10'])} | "
                     f"{fmt(ours['MRR@10'])} | {shown} | {target}{mark} |")
    print("\n".join(lines))


def prepare(shared, out):
    for name in VIRE_SETS:
        prepare_vire(shared, out, name)
    prepare_nfcorpus(shared, out)
    prepare_cranfield(shared, out)
    prepare_known(shared, out)


def pdftext(shared, out):
    """Every PDF of SHARED/corpus as pdftotext reads it (one file per PDF, by file name)."""
    import subprocess

    dst = os.path.join(out, "pdftext")
    os.makedirs(dst, exist_ok=True)
    for root, _, files in os.walk(os.path.join(shared, "corpus")):
        for name in sorted(files):
            if not name.endswith(".pdf"):
                continue
            txt = os.path.join(dst, name + ".txt")
            if not os.path.exists(txt):
                r = subprocess.run(["pdftotext", "-q", os.path.join(root, name), txt])
                if r.returncode != 0 or not os.path.exists(txt):
                    open(txt, "w").close()


def load_queries(setdir, strip):
    qs = []
    with open(os.path.join(setdir, "queries.jsonl"), encoding="utf-8") as f:
        for line in f:
            q = json.loads(line)
            if strip:
                q["q"] = strip_diacritics(q["q"])
            qs.append(q)
    return qs


def metrics(rankings, queries):
    n = len(queries)
    p1 = r10 = mrr = ndcg = 0.0
    for q, ranked in zip(queries, rankings):
        gold = q["gold"]
        top = ranked[:10]
        if top and top[0] in gold:
            p1 += 1
        r10 += sum(1 for d in top if d in gold) / len(gold)
        for i, d in enumerate(top):
            if d in gold:
                mrr += 1 / (i + 1)
                break
        dcg = sum(gold.get(d, 0) / math.log2(i + 2) for i, d in enumerate(top))
        ideal = sorted(gold.values(), reverse=True)[:10]
        idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
        ndcg += dcg / idcg if idcg else 0
    return {
        "queries": n,
        "P@1": 100 * p1 / n,
        "R@10": 100 * r10 / n,
        "MRR@10": 100 * mrr / n,
        "nDCG@10": 100 * ndcg / n,
    }


def search(addr, setdir, strip, out_path=None):
    queries = load_queries(setdir, strip)
    host, port = addr.rsplit(":", 1)
    conn = http.client.HTTPConnection(host, int(port), timeout=60)
    rankings = []
    took = []
    errors = 0
    for q in queries:
        params = {"q": cut(q["q"]), "limit": 10}
        if q.get("lang"):
            params["lang"] = q["lang"]
        path = "/api/search?" + urllib.parse.urlencode(params)
        conn.request("GET", path)
        resp = conn.getresponse()
        body = resp.read()
        if resp.status != 200:
            errors += 1
            print(f"error {resp.status} for {q['qid']}: {body[:200]!r}", file=sys.stderr)
            rankings.append([])
            continue
        data = json.loads(body)
        took.append(data.get("took_ms", 0))
        # Known items are named by their PDF's file name; records by their id.
        rankings.append([h.get("file_name") or h["id"] for h in data["hits"]])
    m = metrics(rankings, queries)
    m["errors"] = errors
    took.sort()
    m["took_ms_p50"] = took[len(took) // 2] if took else None
    if out_path:
        with open(out_path, "w", encoding="utf-8") as f:
            for q, r in zip(queries, rankings):
                f.write(json.dumps({"qid": q["qid"], "q": q["q"], "gold": q["gold"], "ranked": r},
                                   ensure_ascii=False) + "\n")
    return m


WORD = re.compile(r"\w+", re.UNICODE)


class Bm25:
    """Okapi BM25 over lower-cased \\w+ tokens (NFC; optionally folded), no other analysis."""

    def __init__(self, docs, k1, b, folded=False):
        self.folded = folded
        self.ids = []
        counts = []
        for did, text in docs:
            self.ids.append(did)
            counts.append(Counter(self.tokens(text)))
        n = len(counts)
        avgdl = sum(sum(c.values()) for c in counts) / n
        df = Counter()
        self.postings = defaultdict(list)
        for i, c in enumerate(counts):
            norm = k1 * (1 - b + b * sum(c.values()) / avgdl)
            for t, tf in c.items():
                df[t] += 1
                self.postings[t].append((i, tf * (k1 + 1) / (tf + norm)))
        self.idf = {t: math.log(1 + (n - d + 0.5) / (d + 0.5)) for t, d in df.items()}

    def tokens(self, text):
        text = unicodedata.normalize("NFC", text.lower())
        if self.folded:
            text = strip_diacritics(text)
        return WORD.findall(text)

    def rank(self, query, k=10):
        scores = defaultdict(float)
        for t in self.tokens(query):
            for i, w in self.postings.get(t, ()):
                scores[i] += self.idf[t] * w
        best = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:k]
        return [self.ids[i] for i, _ in best]


def set_records(setdir):
    with open(os.path.join(setdir, "records.jsonl"), encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            yield r["id"], r.get("title", "") + " " + r["text"]


def bm25lib(out, library, sets):
    """Plain BM25 over a whole library, each set's questions against all of it."""
    docs = []
    if library == "mixed":
        for name in os.listdir(os.path.join(out, "sets")):
            docs += set_records(os.path.join(out, "sets", name))
    dst = os.path.join(out, "pdftext")
    for name in sorted(os.listdir(dst)):
        with open(os.path.join(dst, name), encoding="utf-8", errors="replace") as f:
            docs.append((name[: -len(".txt")], f.read()))
    res = {}
    for folded in (False, True):
        index = Bm25(docs, 1.2, 0.75, folded)
        for name in sets:
            setdir = os.path.join(out, "sets", name)
            runs = [("bm25", False)]
            if name in VIRE_SETS or name == "Known-vi":
                runs.append(("bm25_strip", True))
            for run, strip in runs:
                queries = load_queries(setdir, strip)
                m = metrics([index.rank(q["q"]) for q in queries], queries)
                res.setdefault(name, {})[run + ("_folded" if folded else "")] = m
    return res


def bm25(setdir, strip, k1=1.5, b=0.75):
    """The plain baseline of the per-set runs: one set alone, no folding."""
    index = Bm25(list(set_records(setdir)), k1, b)
    queries = load_queries(setdir, strip)
    return metrics([index.rank(q["q"]) for q in queries], queries)


def fmt(v):
    return "–" if v is None else f"{v:.2f}"


def table(out):
    with open(os.path.join(out, "results.json"), encoding="utf-8") as f:
        res = json.load(f)
    lines = [
        "| set | metric | published BM25 | best published hybrid | plain BM25 (same run) | **ours** "
        "| plain BM25, no diacritics | **ours, no diacritics** | loss (pts) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, r in res.items():
        pub = PUBLISHED.get(name, {})
        if name in VIRE_SETS:
            metric, key = "MRR@10", "MRR@10"
            pb, ph = pub.get("bm25"), pub.get("hybrid")
        else:
            metric, key = "nDCG@10", "nDCG@10"
            pb, ph = pub.get("bm25_ndcg"), None
        ours = r["ours"][key]
        row = [name, metric, fmt(pb), fmt(ph), fmt(r["bm25"][key]), f"**{ours:.2f}**"]
        if "ours_strip" in r:
            s = r["ours_strip"][key]
            row += [fmt(r["bm25_strip"][key]), f"**{s:.2f}**", f"{ours - s:.2f}"]
        else:
            row += ["", "", ""]
        lines.append("| " + " | ".join(row) + " |")
    lines.append("")
    lines.append("| set | run | queries | P@1 | R@10 | MRR@10 | nDCG@10 | API errors | took p50 (ms) |")
    lines.append("|---|---|---|---|---|---|---|---|---|")
    for name, r in res.items():
        for run in ("ours", "ours_strip", "bm25", "bm25_strip"):
            if run not in r:
                continue
            m = r[run]
            lines.append(
                f"| {name} | {run} | {m['queries']} | {m['P@1']:.2f} | {m['R@10']:.2f} | "
                f"{m['MRR@10']:.2f} | {m['nDCG@10']:.2f} | {m.get('errors', '')} | "
                f"{fmt(m.get('took_ms_p50'))} |"
            )
    print("\n".join(lines))


# The targets on the mixed library (MRR@10 for ViRE and known items, nDCG@10 otherwise).
TARGETS = {
    "ViMedAQA_v2": 84, "ALQAC": 95, "ViRHE4QA_v2": 80, "ViRe4MRC_v2": 16, "NFCorpus": 32.5,
    "Known-vi": 97, "Known-vi, no diacritics": 93, "Known-en": 98.5,
}


def key_metric(name):
    return "MRR@10" if name in VIRE_SETS or name in KNOWN_SETS else "nDCG@10"


def mixedtable(out):
    with open(os.path.join(out, "mixed.json"), encoding="utf-8") as f:
        res = json.load(f)
    per_set = {}
    if os.path.exists(os.path.join(out, "results.json")):
        with open(os.path.join(out, "results.json"), encoding="utf-8") as f:
            per_set = json.load(f)
    mixed = res.get("mixed", {})
    lines = [
        "### One mixed library",
        "",
        "| set | metric | **ours** | ours, no diacritics | loss (pts) | plain BM25 | "
        "plain BM25, no diacritics | plain BM25 folded, no diacritics | ours, one set per index | target |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name in VIRE_SETS + ["NFCorpus", "Cranfield"]:
        if name not in mixed:
            continue
        r, k = mixed[name], key_metric(name)
        get = lambda run: r[run][k] if run in r else None
        ours, strip = get("ours"), get("ours_strip")
        one = per_set.get(name, {}).get("ours", {}).get(k)
        target = TARGETS.get(name)
        if name == "Cranfield" and one is not None:
            target = round(one - 1, 2)
        lines.append("| " + " | ".join([
            name, k, f"**{fmt(ours)}**", fmt(strip),
            fmt(ours - strip) if strip is not None else "",
            fmt(get("bm25")), fmt(get("bm25_strip")), fmt(get("bm25_strip_folded")), fmt(one),
            "" if target is None else f"{target}" + (" ✓" if ours >= target else " ✗"),
        ]) + " |")
    lines += [
        "",
        "### Known items (MRR@10, %)",
        "",
        "| queries | n | **ours, corpus only** | plain BM25 | plain BM25 folded | "
        "**ours, mixed library** | plain BM25 | plain BM25 folded | target |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, run, label in [
        ("Known-vi", "", "Known-vi"),
        ("Known-vi", "_strip", "Known-vi, no diacritics"),
        ("Known-en", "", "Known-en"),
    ]:
        row = [label]
        n = None
        for lib in ("corpus", "mixed"):
            r = res.get(lib, {}).get(name)
            if not r:
                row += ["", "", ""]
                continue
            n = r["ours" + run]["queries"]
            row += [
                f"**{fmt(r['ours' + run]['MRR@10'])}**",
                fmt(r.get("bm25" + run, {}).get("MRR@10")),
                fmt(r.get("bm25" + run + "_folded", {}).get("MRR@10")),
            ]
        row.insert(1, str(n))
        target = TARGETS[label]
        ok = all(
            res.get(lib, {}).get(name, {}).get("ours" + run, {}).get("MRR@10", -1) >= target
            for lib in ("corpus", "mixed")
        )
        row.append(f"{target}" + (" ✓" if ok else " ✗"))
        lines.append("| " + " | ".join(row) + " |")
    lines += [
        "",
        "| library | set | run | queries | P@1 | R@10 | MRR@10 | nDCG@10 | API errors | took p50 (ms) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for lib, sets in res.items():
        for name, r in sets.items():
            for run, m in r.items():
                lines.append(
                    f"| {lib} | {name} | {run} | {m['queries']} | {m['P@1']:.2f} | {m['R@10']:.2f} | "
                    f"{m['MRR@10']:.2f} | {m['nDCG@10']:.2f} | {m.get('errors', '')} | "
                    f"{fmt(m.get('took_ms_p50'))} |"
                )
    print("\n".join(lines))


def main(argv):
    cmd = argv[1] if len(argv) > 1 else ""
    strip = "--strip" in argv
    if cmd == "prepare":
        prepare(argv[2], argv[3])
    elif cmd == "d2l":
        prepare_d2l(argv[2], argv[3])
    elif cmd == "d2ltable":
        d2ltable(argv[2])
    elif cmd == "bm25lang":
        print(json.dumps(bm25lang(argv[2], argv[3])))
    elif cmd == "pdftext":
        pdftext(argv[2], argv[3])
    elif cmd == "search":
        out = argv[argv.index("--out") + 1] if "--out" in argv else None
        print(json.dumps(search(argv[2], argv[3], strip, out)))
    elif cmd == "bm25":
        print(json.dumps(bm25(argv[2], strip)))
    elif cmd == "bm25lib":
        print(json.dumps(bm25lib(argv[2], argv[3], argv[4:])))
    elif cmd == "table":
        table(argv[2])
    elif cmd == "mixedtable":
        mixedtable(argv[2])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)

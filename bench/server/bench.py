#!/usr/bin/env python3
"""Helpers of bench/server/run.sh (standard library only).

  records OUT_DIR SHARED        ViRE contexts -> one JSONL per set (deduplicated contexts)
  queries SHARED OUT            1,000 mixed search queries -> OUT.paths (URL paths) and OUT.txt
  latency ADDR PATHS OUT_JSON   runs every path once (keep-alive), p50/p99 of the server's took_ms
                                and of the client-observed time
  export ADDR RECORDS_DIR OUT   the texts the server indexed (PDF pages via the API, records
                                from their JSONL) as CSV for PostgreSQL's COPY
  pgsql QUERIES OUT             the PostgreSQL side: queries table and the pgbench script
  pglog LOG... OUT_JSON         p50/p99 from pgbench --log files
  report RESULTS_JSON           prints RESULTS.md
"""
import csv
import http.client
import json
import os
import random
import re
import statistics
import sys
import time
import unicodedata
import urllib.parse

csv.field_size_limit(10**9)
SETS = ["ViMedAQA_v2", "ALQAC", "ViRHE4QA_v2", "ViRe4MRC_v2", "EduCoQA"]


def fold(s):
    s = s.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))


def records(out_dir, shared):
    os.makedirs(out_dir, exist_ok=True)
    total = 0
    for name in SETS:
        path = os.path.join(shared, "ir/vire-vi", name + ".csv")
        if not os.path.exists(path):
            continue
        seen = set()
        coll = "vire-" + name.lower().replace("_", "-")
        with open(path, encoding="utf-8-sig") as f, open(
            os.path.join(out_dir, coll + ".jsonl"), "w", encoding="utf-8"
        ) as out:
            for row in csv.DictReader(f):
                ctx = (row.get("context") or "").strip()
                if not ctx or ctx in seen:
                    continue
                seen.add(ctx)
                words = ctx.split()
                title = " ".join(words[:14]) + ("…" if len(words) > 14 else "")
                rec = {
                    "id": f"{coll}.c{len(seen)}",  # ids are unique across the whole index
                    "title": title,
                    "doc_type": "article",
                    "language": "vi",
                    "text": ctx,
                }
                out.write(json.dumps(rec, ensure_ascii=False) + "\n")
        total += len(seen)
        print(f"{coll}: {len(seen)} contexts", file=sys.stderr)
    print(total)


WORD = re.compile(r"\w+", re.UNICODE)


# ---------------------------------------------------------------------------------------------
# Scale mode: N catalogue records built from real sentences of ../shared.

# Real name parts (the commonest Vietnamese family, middle and given names; common English ones):
# names are the one thing the data has too few of, and a catalogue record without authors is rare.
VI_FAMILY = ("Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Trương "
             "Lâm Mai Tạ Cao Hà Chu").split()
VI_MIDDLE = "Văn Thị Minh Hữu Đức Thanh Ngọc Quang Thu Hoài Xuân Kim Công Bảo Gia Phương".split()
VI_GIVEN = ("An Anh Bình Châu Chi Cường Dũng Duy Giang Hà Hải Hạnh Hiếu Hoa Hùng Hương Khánh Khoa "
            "Lan Linh Long Mai Minh Nam Nga Ngọc Nhung Phong Phúc Quân Quỳnh Sơn Tâm Thảo Thắng "
            "Trang Trung Tuấn Tùng Uyên Vân Việt Vy Yến").split()
EN_GIVEN = ("James Mary John Patricia Robert Jennifer Michael Linda David Elizabeth William Susan "
            "Richard Sarah Thomas Karen Daniel Nancy Mark Laura Paul Anna Peter Emma").split()
EN_FAMILY = ("Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Moore Martin "
             "Clark Lewis Walker Hall Young King Wright Scott Green Baker Adams Nelson Hill").split()
INSTITUTIONS = {
    "vi": ["Trường Đại học Bách khoa Hà Nội", "Trường Đại học Khoa học Tự nhiên, ĐHQG-HCM",
           "Trường Đại học Công nghệ, ĐHQG Hà Nội", "Trường Đại học Cần Thơ", "Trường Đại học Y Hà Nội",
           "Trường Đại học Luật Hà Nội", "Trường Đại học Sư phạm Hà Nội", "Trường Đại học Đà Nẵng",
           "Học viện Công nghệ Bưu chính Viễn thông", "Viện Toán học"],
    "en": ["Hanoi University of Science and Technology", "Vietnam National University, Hanoi",
           "Can Tho University", "University of Danang", "Institute of Mathematics, VAST"],
}
# doc_type with the weights of a university library's catalogue (articles and theses first).
DOC_TYPES = [("article", 35), ("thesis", 20), ("master", 20), ("report", 10), ("book", 10),
             ("doctoral", 5)]
# Function words are not keywords.
STOP = {
    "vi": set(("của và là có được các những một trong cho với không này đó để khi thì từ theo tại "
               "về người như đã sẽ cũng nếu hoặc bằng do vì nên nhưng rằng mà ra vào lên trên "
               "dưới sau trước đến chúng ta tôi bạn họ nó").split()),
    "en": set(("the of and a an to in is are was were be been for on with by as at from that this "
               "these those it its or not we our you your can will which into than then there "
               "their they has have had such also may more most all any each some using used use "
               "num").split()),
}
SENT_END = re.compile(r"(?<=[.!?])\s+")
MARKUP = re.compile(r"[$`\\|{}<>=\[\]#_~^]|:[a-z]+:|https?:|\.\.\.")


def sentences_of(text):
    """Simple splitting: a sentence ends at . ! or ? followed by white space and a capital or a
    digit ("v.v. giá", "e.g. the": no capital after the stop, so the sentence goes on)."""
    out = []
    for piece in SENT_END.split(" ".join(text.split())):
        if out and not (piece[:1].isupper() or piece[:1].isdigit()):
            out[-1] += " " + piece
        else:
            out.append(piece)
    return out


def keep(s, lo=5, hi=60):
    """A sentence fit for a record: real prose, no Markdown or LaTeX markup, sensible length."""
    n = len(s.split())
    return lo <= n <= hi and not MARKUP.search(s) and sum(c.isalpha() for c in s) > len(s) / 2


def markdown_paragraphs(path):
    """Prose paragraphs of a d2l Markdown file: no code, headings, labels, figures, tables, maths."""
    paras, cur, code = [], [], False
    for line in open(path, encoding="utf-8"):
        t = line.strip()
        if t.startswith("```"):
            code = not code
            continue
        if code or t.startswith(("#", ":", "!", "|", "$$", "```", "<", ">")) or not t:
            if cur:
                paras.append(" ".join(cur))
                cur = []
            continue
        cur.append(t.replace("*", ""))  # emphasis marks only; the words stay
    if cur:
        paras.append(" ".join(cur))
    return paras


def sentence_pools(shared):
    """Real sentences by language and source, each source's in its file order (sorted walk)."""
    pools = {"vi": {}, "en": {}}
    seen = set()
    vire = []
    for name in SETS:
        path = os.path.join(shared, "ir/vire-vi", name + ".csv")
        if not os.path.exists(path):
            continue
        with open(path, encoding="utf-8-sig") as f:
            for row in csv.DictReader(f):
                ctx = (row.get("context") or "").strip()
                if ctx and ctx not in seen:
                    seen.add(ctx)
                    vire += sentences_of(ctx)
    pools["vi"]["vire"] = vire

    def markdown_tree(root, suffix):
        sents = []
        for d, dirs, files in os.walk(root):
            dirs.sort()
            for fn in sorted(files):
                if fn.endswith(suffix):
                    for p in markdown_paragraphs(os.path.join(d, fn)):
                        sents += sentences_of(p)
        return sents

    pools["vi"]["d2l-vi"] = markdown_tree(os.path.join(shared, "vi_text/d2l-vi"), ".md")
    pools["en"]["d2l-en"] = markdown_tree(os.path.join(shared, "vi_text/d2l-en-origin"), "_origin.md")
    # Cranfield: lower-case abstracts whose sentences end with " ."
    cran = open(os.path.join(shared, "ir/cranfield/cran.all.1400"), encoding="latin-1").read()
    sents = []
    for doc in cran.split("\n.I ")[1:]:
        w = doc.split("\n.W\n", 1)
        if len(w) == 2:
            sents += [s.strip() + " ." for s in re.split(r"\s\.(?:\s|$)", " ".join(w[1].split()))]
    pools["en"]["cranfield"] = sents
    # NFCorpus is distributed lower-cased without punctuation: its "sentences" are consecutive
    # runs of 8-25 words (real text in its real order, cut at fixed places).
    cut = random.Random(7)
    sents = []
    for line in open(os.path.join(shared, "ir/nfcorpus-test/test.docs"), encoding="utf-8"):
        words = line.split("\t", 1)[-1].split()
        i = 0
        while i < len(words):
            n = cut.randint(8, 25)
            sents.append(" ".join(words[i:i + n]))
            i += n
    pools["en"]["nfcorpus"] = sents
    for lang in pools:
        for src, sents in pools[lang].items():
            # List items ("- Khối u bướu vùng vú.") keep their words, not the dash.
            pools[lang][src] = [s for s in (x.lstrip("-–•+* ") for x in sents) if keep(s)]
    return pools


# Where a record's sentences come from: each source a share of its language, so that the
# unpunctuated NFCorpus runs do not outnumber the English prose.
SOURCES = {"vi": [("vire", 50), ("d2l-vi", 50)],
           "en": [("cranfield", 40), ("d2l-en", 30), ("nfcorpus", 30)]}


def scale_records(n, out_dir, shared, seed="20261128"):
    """N catalogue records (fixed seed) spread over scale-vi-1..4 and scale-en-1..2 as JSONL."""
    n = int(n)
    rnd = random.Random(int(seed))
    pools = sentence_pools(shared)
    for lang, srcs in pools.items():
        for src, sents in srcs.items():
            print(f"{lang} {src}: {len(sents)} sentences", file=sys.stderr)
    # Vietnamese keywords are words of a real word list (two syllables taken at random from a
    # sentence often straddle two words).
    vi_words = set()
    wl = os.path.join(shared, "vi_seg/underthesea/Viet74K_wordlist.txt")
    if os.path.exists(wl):
        vi_words = {l.strip().lower() for l in open(wl, encoding="utf-8") if " " in l.strip()}
    colls = {"vi": [f"scale-vi-{i}" for i in range(1, 5)], "en": ["scale-en-1", "scale-en-2"]}
    os.makedirs(out_dir, exist_ok=True)
    files = {c: open(os.path.join(out_dir, c + ".jsonl"), "w", encoding="utf-8")
             for cs in colls.values() for c in cs}
    types = [t for t, w in DOC_TYPES for _ in range(w)]
    sources = {lang: [src for src, w in ws for _ in range(w)] for lang, ws in SOURCES.items()}

    def name(lang):
        if lang == "vi":
            mid = rnd.choice(VI_MIDDLE) + " " if rnd.random() < 0.9 else ""
            return f"{rnd.choice(VI_FAMILY)} {mid}{rnd.choice(VI_GIVEN)}"
        return f"{rnd.choice(EN_GIVEN)} {rnd.choice(EN_FAMILY)}"

    counts = {"with_text": 0, "sentences": 0, "words": 0, "vi": 0, "en": 0}
    for i in range(n):
        # A Vietnamese library: seven records in ten are Vietnamese.
        lang = "vi" if rnd.random() < 0.7 else "en"
        sents = pools[lang][rnd.choice(sources[lang])]
        # A record is a run of consecutive sentences of one source, so that its title, abstract
        # and text are about one subject, as a real record's are.
        start = rnd.randrange(len(sents))

        def run(at, k):
            return [sents[(at + j) % len(sents)] for j in range(k)]

        first = sents[start].split()
        # The title: a short sentence whole, or the first words of a longer one.
        if len(first) <= 14:
            title = " ".join(first).rstrip(" .")
        else:
            title = " ".join(first[:rnd.randint(6, 12)]).rstrip(",;:")
        abstract = run(start + 1, rnd.randint(2, 6))
        coll = colls[lang][i % len(colls[lang])]
        # Authors mostly share the record's language (Vietnamese authors write in English too).
        alang = lang if rnd.random() < 0.8 else "vi"
        rec = {
            "id": f"{coll}.{i:06d}",
            "title": title,
            "authors": [name(alang) for _ in range(rnd.choice([1, 1, 2, 2, 3]))],
            "year": rnd.randint(1990, 2025),
            "doc_type": rnd.choice(types),
            "language": lang,
            "abstract": " ".join(abstract),
        }
        words = [w for s in abstract for w in s.split()]
        kws, want = [], rnd.randint(0, 5)
        for _ in range(8 * want):  # most random picks are not keywords: try a few times
            if len(kws) == want:
                break
            # A real word group of the abstract: one Vietnamese word of two syllables, or one or
            # two English words, none a function word, number or punctuation.
            k = 2 if lang == "vi" else rnd.choice([1, 2])
            j = rnd.randrange(max(1, len(words) - k + 1))
            group = [w.strip(".,;:()\"'“”").lower() for w in words[j:j + k]]
            kw = " ".join(group)
            if (len(group) == k and all(g.isalpha() and g not in STOP[lang] for g in group)
                    and (lang == "en" or not vi_words or kw in vi_words) and kw not in kws):
                kws.append(kw)
        if kws:
            rec["keywords"] = kws
        if rnd.random() < 0.5:
            rec["institution"] = rnd.choice(INSTITUTIONS[alang])
        body = []
        # Four records in ten carry a full text of mixed length, the others are catalogue only.
        if rnd.random() < 0.4:
            body = run(start + 1 + len(abstract), rnd.randint(5, 40))
            rec["text"] = " ".join(body)
            counts["with_text"] += 1
        counts[lang] += 1
        counts["sentences"] += 1 + len(abstract) + len(body)
        counts["words"] += len(first) + len(words) + sum(len(s.split()) for s in body)
        files[coll].write(json.dumps(rec, ensure_ascii=False) + "\n")
    for f in files.values():
        f.close()
    print(f"{n} records, {counts['with_text']} with a text, {counts['sentences']} sentences, "
          f"{counts['words']} words", file=sys.stderr)
    print(json.dumps({"records": n, **counts}))


def queries(shared, out):
    rnd = random.Random(42)
    questions = []
    for name in SETS:
        path = os.path.join(shared, "ir/vire-vi", name + ".csv")
        if os.path.exists(path):
            with open(path, encoding="utf-8-sig") as f:
                questions += [r["question"] for r in csv.DictReader(f) if r.get("question")]
    english = (
        "regression model data analysis package function matrix estimation time series "
        "distribution latex document font table figure bibliography journal sample test"
    ).split()
    facets = ["", "", "", "&lang=vi", "&collection=vi", "&collection=en", "&doc_type=article",
              "&year_from=2010&year_to=2024", "&sort=newest"]
    qs = []
    while len(qs) < 1000:
        kind = len(qs) % 6
        if kind == 5:
            q = " ".join(rnd.sample(english, rnd.choice([1, 2])))
        else:
            words = WORD.findall(rnd.choice(questions))
            if len(words) < 3:
                continue
            n = {0: 1, 1: 2, 2: 3, 3: 2, 4: 4}[kind]
            start = rnd.randrange(0, max(1, len(words) - n))
            q = " ".join(words[start:start + n])
            if kind == 3:
                q = f'"{q}"'  # phrase
            if kind in (1, 4) or rnd.random() < 0.3:
                q = fold(q)  # typed without diacritics
        q = q.lower() if rnd.random() < 0.5 else q
        path = "/api/search?q=" + urllib.parse.quote(q) + "&limit=10" + rnd.choice(facets)
        qs.append((q, path))
    with open(out + ".paths", "w", encoding="utf-8") as f:
        for _, p in qs:
            f.write(p + "\n")
    with open(out + ".txt", "w", encoding="utf-8") as f:
        for q, _ in qs:
            f.write(q.replace('"', "") + "\n")


def pct(values, p):
    v = sorted(values)
    if not v:
        return 0.0
    k = min(len(v) - 1, max(0, int(round(p / 100 * (len(v) - 1)))))
    return v[k]


def latency(addr, paths_file, out_json):
    host, port = addr.split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    paths = [l.strip() for l in open(paths_file, encoding="utf-8") if l.strip()]
    # Warm-up pass (page cache, folded-page cache): steady-state figures are what users see.
    for p in paths[:200]:
        conn.request("GET", p)
        conn.getresponse().read()
    took, wall, hits, errors = [], [], 0, 0
    # Every query's figures (for the scale report's slowest queries): index, took_ms, client ms,
    # total matches, whether the any-word fallback ran, the path.
    per_query = open(out_json + ".queries.tsv", "w", encoding="utf-8")
    for i, p in enumerate(paths):
        t0 = time.perf_counter()
        conn.request("GET", p)
        r = conn.getresponse()
        body = r.read()
        wall.append((time.perf_counter() - t0) * 1000)
        if r.status != 200:
            errors += 1
            per_query.write(f"{i}\t\t{wall[-1]:.2f}\t\t\t{p}\n")
            continue
        v = json.loads(body)
        took.append(v["took_ms"])
        hits += 1 if v["hits"] else 0
        # The note "no document has every word" (Vietnamese unless the request says hl=en).
        relaxed = int(any("some of them" in n or "một số từ" in n for n in v.get("notes", [])))
        per_query.write(f"{i}\t{v['took_ms']}\t{wall[-1]:.2f}\t{v['total']}\t{relaxed}\t{p}\n")
    per_query.close()
    res = {
        "queries": len(paths),
        "errors": errors,
        "with_hits": hits,
        "server_p50_ms": pct(took, 50),
        "server_p99_ms": pct(took, 99),
        "server_max_ms": max(took) if took else 0,
        "client_p50_ms": pct(wall, 50),
        "client_p99_ms": pct(wall, 99),
        "mean_ms": statistics.mean(took) if took else 0,
    }
    json.dump(res, open(out_json, "w"), indent=1)
    print(json.dumps(res))


def export(addr, records_dir, out):
    """Texts for PostgreSQL: what the server indexed, read back through its API."""
    host, port = addr.split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=60)

    def get(path):
        conn.request("GET", path)
        r = conn.getresponse()
        body = r.read()
        return json.loads(body) if r.status == 200 else None

    n = 0
    with open(out, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        for coll in ("en", "vi"):
            offset = 0
            while offset < 10000:
                v = get(f"/api/search?collection={coll}&limit=100&offset={offset}")
                if not v or not v["hits"]:
                    break
                for h in v["hits"]:
                    doc_id = urllib.parse.quote(h["id"], safe=":~")
                    d = get(f"/api/documents/{doc_id}")
                    pages = []
                    for i in range(1, d["page_count"] + 1):
                        p = get(f"/api/documents/{doc_id}/pages/{i}")
                        pages.append(p["text"] if p else "")
                    # psql's \copy ends the data at a line holding only "\." even inside
                    # a quoted CSV field; the texts of LaTeX manuals have such lines.
                    body = "\n".join(pages).replace("\\.", "\\ .")
                    w.writerow([d["id"], coll, d["title"].replace("\\.", "\\ ."), d["lang"],
                                d["doc_type"], d["year"] or "", body])
                    n += 1
                offset += 100
        for name in sorted(os.listdir(records_dir)):
            coll = name[: -len(".jsonl")]
            for line in open(os.path.join(records_dir, name), encoding="utf-8"):
                r = json.loads(line)
                # Every field the server searches (the ViRE records have only a title and a
                # text; the scale mode's have authors, institution, keywords and an abstract).
                parts = list(r.get("authors", [])) + [r.get("institution", "")]
                parts += list(r.get("keywords", [])) + [r.get("abstract", ""), r.get("text", "")]
                body = "\n".join(x for x in parts if x)
                w.writerow([f"{coll}:{r['id']}", coll, r["title"], r.get("language", "vi"),
                            r.get("doc_type", "article"), r.get("year", ""),
                            body.replace("\\.", "\\ .")])
                n += 1
    print(n)


PGBENCH_SQL = r"""\set i random(1, {n})
WITH q AS (SELECT plainto_tsquery('simple', unaccent(q)) AS tq FROM queries WHERE id = :i),
m AS (SELECT d.id, d.collection, d.lang, d.title, d.body, ts_rank(d.tsv, q.tq) AS r
      FROM docs d, q WHERE d.tsv @@ q.tq),
top AS (SELECT * FROM m ORDER BY r DESC LIMIT 10)
SELECT (SELECT count(*) FROM m) AS total,
  (SELECT json_agg(x) FROM (SELECT collection, count(*) FROM m GROUP BY collection) x) AS f_collection,
  (SELECT json_agg(x) FROM (SELECT lang, count(*) FROM m GROUP BY lang) x) AS f_lang,
  (SELECT json_agg(json_build_object('id', id, 'title', title,
     'snippet', ts_headline('simple', left(body, 200000), (SELECT tq FROM q)))) FROM top) AS hits;
"""


def pgsql(queries_txt, out_sql):
    qs = [l.rstrip("\n") for l in open(queries_txt, encoding="utf-8")]
    with open(out_sql + ".queries.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        for i, q in enumerate(qs, 1):
            w.writerow([i, q])
    with open(out_sql, "w", encoding="utf-8") as f:
        f.write(PGBENCH_SQL.replace("{n}", str(len(qs))))


def pglog(args):
    *logs, out_json = args
    lat = []
    for path in logs:
        for line in open(path):
            parts = line.split()
            if len(parts) >= 3:
                lat.append(int(parts[2]) / 1000.0)  # microseconds -> ms
    res = {"transactions": len(lat), "p50_ms": pct(lat, 50), "p99_ms": pct(lat, 99),
           "mean_ms": statistics.mean(lat) if lat else 0}
    json.dump(res, open(out_json, "w"), indent=1)
    print(json.dumps(res))


def report(results_json):
    r = json.load(open(results_json))
    lat, pg = r["latency"], r["pg_latency"]
    ratio2 = r["wrk"]["2"] / max(r["pgbench"]["2"], 1e-9)
    ratio16 = r["wrk"]["16"] / max(r["pgbench"]["16"], 1e-9)
    ok_p99 = "met" if lat["server_p99_ms"] < 20 else "NOT met"
    ok_tp = "met" if min(ratio2, ratio16) >= 5 else "NOT met"
    print(f"""# Search server benchmark

Produced by `bench/server/run.sh` on {r['date']} ({r['machine']}). Loopback only.

## Data

- all of `shared/corpus` ({r['pdf_docs']} PDFs, {r['pdf_pages']} pages, collections `en`, `vi`) and
  {r['records']} deduplicated contexts of `shared/ir/vire-vi` as catalogue records
  (collections `vire-*`): {r['documents']} documents in all.
- 1,000 mixed queries (`target/bench-server/queries.paths`): one to four words taken from ViRE
  questions, a third of them typed without diacritics, a sixth as `"phrases"`, a sixth English
  words; a random filter on about half (collection, lang, doc_type, year range) or `sort=newest`.
  Every request asks for a top-10 page with facets, snippets and matched pages.

## Latency (one client, keep-alive, after a 200-query warm-up)

| | p50 | p99 | max |
|---|---|---|---|
| search-server, server-side (`took_ms`) | {lat['server_p50_ms']:.2f} ms | {lat['server_p99_ms']:.2f} ms | {lat['server_max_ms']:.2f} ms |
| search-server, client-observed HTTP | {lat['client_p50_ms']:.2f} ms | {lat['client_p99_ms']:.2f} ms | |
| PostgreSQL {r['pg_version']} FTS, one query (pgbench, 1 client) | {pg['p50_ms']:.2f} ms | {pg['p99_ms']:.2f} ms | |

{lat['with_hits']} of {lat['queries']} queries had hits; {lat['errors']} errors.
Target p99 < 20 ms for a top-10 page with facets and snippets: **{ok_p99}**.

## Throughput ({r['duration']} s each)

| connections | search-server over HTTP (wrk) | PostgreSQL (pgbench, no HTTP) | ratio |
|---|---|---|---|
| 2 | {r['wrk']['2']:.0f} req/s | {r['pgbench']['2']:.0f} queries/s | {ratio2:.1f}× |
| 16 | {r['wrk']['16']:.0f} req/s | {r['pgbench']['16']:.0f} queries/s | {ratio16:.1f}× |

Target at least 5× PostgreSQL: **{ok_tp}**.

## The PostgreSQL baseline

Measured as **query latency and throughput with pgbench over a Unix socket** (no HTTP layer, which
favours PostgreSQL): a private cluster started with `pg_ctl` in a temp dir, one row per document
with the same texts the server indexed (PDF page texts read back through the API, records from
their JSONL), `tsvector` = `to_tsvector('simple', unaccent(title || body))` (first 500,000
characters: the tsvector size limit), a GIN index; each query does what one API call does:
`plainto_tsquery('simple', unaccent(q))` (quotes dropped: no phrase semantics), total count,
collection and language facets, top 10 by `ts_rank` with `ts_headline` snippets.

## Notes

- PostgreSQL's time goes mostly to `ts_headline` over whole document texts and to `ts_rank`
  reading (de-TOASTing) whole tsvectors: the natural one-row-per-document design. The server
  cuts snippets from the best matching page only and keeps recently hit documents (with their
  folded pages) in a bounded in-memory cache, which the 200-query warm-up fills.
- The machine has 2 cores shared by wrk (or pgbench) and the server, so 16 connections do not
  add throughput over 2; other builds may have been running at the same time.

Machine: {r['machine']}. Raw figures: `target/bench-server/results.json`.
""")


# The shape of query i of `queries` (it appends kind len(qs) % 6, so query i is of kind i % 6).
SHAPES = ["1 word", "2 words, no diacritics", "3 words", '2-word "phrase"',
          "4 words, no diacritics", "1–2 English words"]


def filter_of(path):
    """The filter part of a query path, as `queries` drew it ("" when none)."""
    rest = path.split("&limit=10", 1)[-1]
    return rest.lstrip("&") or "none"


def report_scale(results_json, queries_tsv):
    r = json.load(open(results_json))
    lat, pg, sc = r["latency"], r["pg_latency"], r["scale"]
    ratio2 = r["wrk"]["2"] / max(r["pgbench"]["2"], 1e-9)
    ratio16 = r["wrk"]["16"] / max(r["pgbench"]["16"], 1e-9)
    ok_p99 = "met" if lat["server_p99_ms"] < 30 else "not met"
    cols = {c["name"]: c for c in r["collections"]}
    scale_cols = sorted(c for c in cols if c.startswith("scale-"))
    pages = sum(c["pages"] for c in cols.values())
    mb = lambda kb: f"{int(kb) / 1024:.0f} MB"
    ing = r["ingest"]
    pdf = [e for e in ing if e["name"].startswith("pdf-")]
    rec = [e for e in ing if not e["name"].startswith("pdf-")]
    added = r["ingest_added"]
    rows = []
    for e in ing:
        a = added[e["name"]]
        what = f"PDFs `{e['name'][4:]}`" if e["name"].startswith("pdf-") else f"records `{e['name']}`"
        rows.append(f"| {what} | {a['added']} | {a['failed']} | {a['pages']} | "
                    f"{float(e['wall_s']):.1f} s | {float(e['cpu_s']):.1f} s ({e['cpu_percent']} %) | "
                    f"{mb(e['rss_kb'])} |")
    for label, group in (("PDFs, both runs", pdf), ("records, all runs", rec)):
        rows.append(f"| **{label}** | {sum(added[e['name']]['added'] for e in group)} | "
                    f"{sum(added[e['name']]['failed'] for e in group)} | "
                    f"{sum(added[e['name']]['pages'] for e in group)} | "
                    f"**{sum(float(e['wall_s']) for e in group):.1f} s** | "
                    f"{sum(float(e['cpu_s']) for e in group):.1f} s | "
                    f"**{mb(max(int(e['rss_kb']) for e in group))}** (max) |")
    rec_s = sum(float(e["wall_s"]) for e in rec)
    rec_cpu = sum(float(e["cpu_s"]) for e in rec)

    # Per query: index, took_ms, client ms, total, relaxed, path.
    q = []
    for line in open(queries_tsv, encoding="utf-8"):
        i, took, wall, total, relaxed, path = line.rstrip("\n").split("\t")
        if took:
            q.append({"i": int(i), "took": float(took), "total": int(total),
                      "relaxed": relaxed == "1", "path": path,
                      "q": urllib.parse.unquote(path.split("q=", 1)[1].split("&", 1)[0])})
    docs = r["documents"]

    def table(head, key, names):
        out = [f"| {head} | queries | median matches | p50 | p99 | max |", "|---|---|---|---|---|---|"]
        for name in names:
            g = [x for x in q if key(x) == name]
            if not g:
                continue
            t = [x["took"] for x in g]
            m = statistics.median(x["total"] for x in g)
            out.append(f"| {name} | {len(g)} | {m:.0f} ({100 * m / docs:.0f} %) | "
                       f"{pct(t, 50):.2f} ms | {pct(t, 99):.2f} ms | {max(t):.2f} ms |")
        return "\n".join(out)

    by_shape = table("shape", lambda x: SHAPES[x["i"] % 6], SHAPES)
    filters = []
    for x in q:
        if filter_of(x["path"]) not in filters:
            filters.append(filter_of(x["path"]))
    by_filter = table("filter", lambda x: filter_of(x["path"]), sorted(filters, key=lambda f: f != "none"))
    big = [x["took"] for x in q if x["total"] > docs / 2]
    small = [x["took"] for x in q if x["total"] <= docs / 2]
    slow = sorted(q, key=lambda x: -x["took"])[:15]
    slow_rows = "\n".join(
        f"| {x['took']:.2f} ms | {x['total']} ({100 * x['total'] / docs:.0f} %) | "
        f"{'yes' if x['relaxed'] else ''} | {SHAPES[x['i'] % 6]} | `{x['q']}` | "
        f"{filter_of(x['path'])} |" for x in slow)
    phases = "\n".join(f"| {name} | {int(sec)} s | {load} |" for name, sec, load in r["phases"])
    total_run = sum(int(sec) for _, sec, _ in r["phases"])
    built_here = any(p[0] == "ingest" for p in r["phases"])
    build = ", ".join(f"{name} {sec} s" for name, sec, _ in r["build_phases"])
    build_load = " / ".join(f"{load} at the end of {name}" for name, _, load in r["build_phases"])
    load_at = {name: load for name, _, load in r["phases"]}
    slow30 = [x for x in q if x["took"] >= 30]
    slow_why = (f"{len(slow30)} queries took 30 ms or more: "
                f"{sum(x['i'] % 6 == 3 for x in slow30)} phrases, "
                f"{sum(x['i'] % 6 in (1, 2, 4) for x in slow30)} of 2–4 words, "
                f"{sum(x['relaxed'] for x in slow30)} had no document with every word, "
                f"{sum(filter_of(x['path']) not in ('none', 'sort=newest') for x in slow30)} had a "
                f"filter (the facet of a filtered field is counted by a second search without that "
                f"filter).")
    run_note = ("the index was built in this run" if built_here
                else f"the index was reused (built {r['built']}: {build})")
    print(f"""# Search server benchmark at scale

Produced by `SCALE={sc['records']} bench/server/run.sh` on {r['date']} at commit {r['commit']}
({r['machine']}). Loopback only. The index was built {r['built']}; later runs with the
same `SCALE` reuse it (`REINDEX=1` rebuilds it).

## Data

- all of `shared/corpus`: {r['pdf_docs']} PDFs, {r['pdf_pages']} pages (collections `en`, `vi`);
- **{sc['records']} generated catalogue records** ({sc['vi']} Vietnamese in
  {', '.join(f'`{c}`' for c in scale_cols if '-vi-' in c)}; {sc['en']} English in
  {', '.join(f'`{c}`' for c in scale_cols if '-en-' in c)}), `bench.py scale-records`, fixed seed:
  each a run of consecutive real sentences of `../shared` (Vietnamese: the ViRE contexts of
  `ir/vire-vi` and `vi_text/d2l-vi`; English: `ir/cranfield`, `vi_text/d2l-en-origin`, and
  `ir/nfcorpus-test` cut into 8–25-word runs since it has no punctuation). Title: the first
  sentence, or its first 6–12 words when longer than 14; abstract 2–6 sentences; 0–5 keywords
  (Vietnamese ones from the Viet74K word list); 1–3 authors from common name parts; year
  1990–2025; doc_type article/thesis/master/report/book/doctoral (35/20/20/10/10/5 %);
  an institution for half; **{sc['with_text']} ({100 * sc['with_text'] / sc['records']:.0f} %) with a full text** of 5–40
  sentences (one page). {sc['words']:,} words in all.
- **{docs} documents, {pages} pages in the index.**
- the default mode's 1,000 mixed queries (`bench.py queries`): one to four words taken from ViRE
  questions, a third typed without diacritics, a sixth as `"phrases"`, a sixth English words; a
  random filter on about half or `sort=newest`; a top-10 page with facets, snippets and pages.

## Ingest (`indexer add`, `/usr/bin/time -v`, one run per collection)

| input | added | failed | pages | wall | CPU (user+sys, share) | peak RSS |
|---|---|---|---|---|---|---|
{chr(10).join(rows)}

Records ingest: **{rec_s:.0f} s** ({sc['records'] / max(rec_s, 1e-9):.0f} records/s), peak RSS **{mb(max(int(e['rss_kb']) for e in rec))}**;
{rec_cpu:.0f} s of CPU (load average {build_load}).

## Latency (one client, keep-alive, after a 200-query warm-up)

| | p50 | p99 | max |
|---|---|---|---|
| search-server, server-side (`took_ms`) | {lat['server_p50_ms']:.2f} ms | {lat['server_p99_ms']:.2f} ms | {lat['server_max_ms']:.2f} ms |
| search-server, client-observed HTTP | {lat['client_p50_ms']:.2f} ms | {lat['client_p99_ms']:.2f} ms | |
| PostgreSQL {r['pg_version']} FTS, one query (pgbench, 1 client) | {pg['p50_ms']:.2f} ms | {pg['p99_ms']:.2f} ms | |

{lat['with_hits']} of {lat['queries']} queries had hits; {lat['errors']} errors. Server memory after the latency
run: RSS **{mb(r['server_rss']['rss_kb'])}** (high-water mark {mb(r['server_rss']['hwm_kb'])}). Load average at the end of the
latency run: {load_at.get('latency', '?')}.

**p99 server-side < 30 ms: {ok_p99}** ({lat['server_p99_ms']:.2f} ms).

## Throughput ({r['duration']} s each)

| connections | search-server over HTTP (wrk) | PostgreSQL (pgbench, no HTTP) | ratio |
|---|---|---|---|
| 2 | {r['wrk']['2']:.0f} req/s | {r['pgbench']['2']:.1f} queries/s | {ratio2:.1f}× |
| 16 | {r['wrk']['16']:.0f} req/s | {r['pgbench']['16']:.1f} queries/s | {ratio16:.1f}× |

## Where the time goes (server-side `took_ms` of the latency run)

{len(big)} of {len(q)} queries match more than half of the library: p50 {pct(big, 50):.2f} ms,
p99 {pct(big, 99):.2f} ms; the other {len(small)}: p50 {pct(small, 50):.2f} ms, p99 {pct(small, 99):.2f} ms.
{slow_why}

By shape (a third of the 1-, 3-word and phrase queries are typed without diacritics too):

{by_shape}

By filter:

{by_filter}

The {len(slow)} slowest (matches: total of the response; partial: no document has every
word, the response's note says so):

| took | matches | partial | shape | query | filter |
|---|---|---|---|---|---|
{slow_rows}

## The PostgreSQL baseline

As in `RESULTS.md`: pgbench over a Unix socket (no HTTP layer), a private cluster, one row per
document with the same texts the server indexed (PDF pages read back through the API; a record's
title, and as body its authors, institution, keywords, abstract and text),
`to_tsvector('simple', unaccent(title || body))`, a GIN index; each query does what one API call
does: `plainto_tsquery` (quotes dropped), total count, collection and language facets, top 10 by
`ts_rank` with `ts_headline` snippets.

## Run time

| phase | wall | load average (1 min) at its end |
|---|---|---|
{phases}

This run: {total_run} s ({total_run / 60:.0f} min); {run_note}.
The machine has 2 cores shared by the load generator and the server, and with other builds.

Raw figures: `target/bench-server-scale-{sc['records']}/results.json`; every query's figures:
`latency.json.queries.tsv` beside it.
""")


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    {"records": lambda: records(*args), "queries": lambda: queries(*args),
     "scale-records": lambda: scale_records(*args),
     "latency": lambda: latency(*args), "export": lambda: export(*args),
     "pgsql": lambda: pgsql(*args), "pglog": lambda: pglog(args),
     "report": lambda: report(*args), "report-scale": lambda: report_scale(*args)}[cmd]()

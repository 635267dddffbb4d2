"""A third-party OAI-PMH 2.0 provider for testing our harvester: pyoai's own server (PyPI pyoai 2.5,
oaipmh.server.BatchingServer), served over HTTP on 127.0.0.1 by Python's ThreadingHTTPServer.

The OAI-PMH side of the answers (envelope, verbs, argument checks, resumption tokens, most error
codes) is pyoai's; this script supplies the records (a backend in pyoai's IBatchingOAI style), the
HTTP layer and some faults. Records are built deterministically from real text in ../shared:
Vietnamese records from the d2l-vi textbook (vi_text/d2l-vi, CC BY-SA 4.0: titles are its section
headings and short sentences, descriptions 2-4 consecutive sentences, subjects the chapter and
section names), English records from the Cranfield collection (ir/cranfield/cran.all.1400: real
titles, authors, abstracts, years and journal references of aeronautics papers). Creator names of
the Vietnamese records are combined from lists of common Vietnamese name parts. All text is NFC.

Usage (run with target/py-venv/bin/python):
  oai_provider.py [--port P] [--records N] [--batch-size B] [--deleted K] [--sets S] [--seed X]
                  [--days D] [--start DATE] [--state FILE] [--fail-503 EVERY]
                  [--retry-after SECS] [--malformed-once PAGE] [--shared DIR] [--verbose]
  oai_provider.py ... --dump FILE     write the records (with --state applied) and exit

  --port P            port on 127.0.0.1, 0 (default) = any free one. When listening, prints exactly
                      one line "PORT <n>" to stdout (flushed), then serves until killed (SIGTERM,
                      SIGKILL, SIGINT). Base URL: http://127.0.0.1:<n>/oai ("/" answers too).
                      GET (query string) and POST (application/x-www-form-urlencoded body).
  --records N         records 1 .. N (default 100), identifiers oai:test.example:rec-000001 ...
                      Record i is the same whatever N is, so a bigger N only adds records.
  --batch-size B      records (ListRecords/ListIdentifiers) or sets per page (default 100).
  --deleted K         K records (chosen from the seed) are deleted: header status="deleted", no
                      metadata; Identify says deletedRecord=persistent (default 0).
  --sets S            sets set-a, set-b, ... (set-z, set-aa, ...); each record in exactly one
                      (default 3). S=0: no set hierarchy (ListSets and set=... give noSetHierarchy).
  --seed X            integer seed for texts, datestamps, sets and deletions (default 1).
  --days D, --start DATE  datestamps (granularity YYYY-MM-DDThh:mm:ssZ) are spread at random
                      seconds over D days (default 10) from DATE (YYYY-MM-DD or
                      YYYY-MM-DDThh:mm:ssZ, default 2024-05-01T00:00:00Z), so several
                      records share a day and from/until selection matters.
  --state FILE        a repository that changes: FILE is re-read whenever its mtime/size/inode
                      changes (checked on every request; no restart needed). Format below.
  --fail-503 EVERY    the EVERY-th, 2*EVERY-th, ... OAI request (GET or POST; /dump not counted)
                      is answered HTTP 503 with header "Retry-After: SECS" and a short text/plain
                      body; the request is not executed. Other requests are unaffected.
  --retry-after SECS  the Retry-After value of those 503s (default 1).
  --malformed-once PAGE  the PAGE-th ListRecords request that reaches the provider (1-based; 503s
                      are not counted, first requests and resumptions are) is answered HTTP 200 with
                      the first half of the correct XML (truncated mid-document: not well-formed).
                      Only once: every later request, including a retry of the same one, is fine.
  --dump FILE         write every record, in identifier order, as JSON lines, then exit (no server):
                        {"identifier": "oai:test.example:rec-000001",
                         "datestamp": "2024-05-03T10:11:12Z", "deleted": false, "sets": ["set-b"],
                         "metadata": {"title": [...], "creator": [...], ... all 15 DC elements as
                                      lists, [] when absent}}
                      metadata is null for deleted records. The same keys as the records that
                      tests/py/pyoai_client.py harvest prints, so a harvest compares one to one.
                      GET /dump on a running provider answers the same lines for its current state.
  --shared DIR        the shared data folder (default: ../shared beside the repository).
  --verbose           log every request to stderr.

State file (JSON; a missing file means no changes; write it atomically: temp file + rename).
Either one event object or {"events": [event, ...]} applied in order (the file holds the whole
history; append an event for each new step):
  {"now": "2026-02-01T10:00:00Z",   datestamp of every change in this event (UTC,
                                    YYYY-MM-DDThh:mm:ssZ); default: the state file's mtime,
                                    whole seconds
   "changed": ["oai:test.example:rec-000003", 17],   records (full identifier or number) that get a
                                    new title (the k-th event gives the k-th replacement title) and
                                    datestamp "now"; a deleted record that is changed comes back
   "deleted": [5],                  records that become deleted (status="deleted"), datestamp "now";
                                    deleted wins over changed in the same event
   "added": 3}                      the next 3 records (N+1, N+2, ...: built like the first N, so
                                    text, set, language as record N+j would have) appear with
                                    datestamp "now"
A state file that is not valid (bad JSON, unknown key, unknown record) makes every OAI request
answer HTTP 500 with the reason as text/plain, until it is fixed. Lists stay in identifier order,
and pyoai's resumption tokens carry a plain cursor, so a change between two pages of a harvest
shifts the pages of a from/until-selected list, like on many real repositories (a cursor past the
end gives badResumptionToken).

pyoai 2.5.0's server cannot resume on Python >= 3.8 as shipped (it calls cgi.parse_qs, which is
gone): this script aliases that to urllib.parse.parse_qs, what cgi.parse_qs always was; nothing else
of pyoai is changed. What pyoai's server does (tested here):
- resumptionToken elements carry no completeListSize, cursor or expirationDate attributes; the last
  page has no resumptionToken element at all (not an empty one);
- the token is the URL-quoted urlencoded arguments plus the cursor, e.g.
  "metadataPrefix%3Doai_dc%26cursor%3D100%26batch_size%3D101": it holds '%', so a harvester must
  percent-encode it when sending it back (sent raw it works too: pyoai unquotes once more);
- errors carry the OAI codes, all with HTTP 200. From pyoai itself: badVerb, badArgument (unknown,
  missing or exclusive-violating arguments, bad datestamps, from/until of different granularity),
  badResumptionToken (undecodable token), noRecordsMatch (empty first page), cannotDisseminateFormat
  (ListRecords/GetRecord). pyoai leaves these to the backend, which gives them here:
  cannotDisseminateFormat for ListIdentifiers too, idDoesNotExist (GetRecord, ListMetadataFormats),
  noSetHierarchy, badResumptionToken for a cursor past the end or unknown keys in the token. The
  HTTP layer adds badArgument for repeated arguments (pyoai gets a dict);
- the request element of an error response has no attributes; oai_dc's xsi:schemaLocation names the
  dc namespace instead of the oai_dc one (pyoai's oai_dc_writer);
- from and until take YYYY-MM-DD and YYYY-MM-DDThh:mm:ssZ, both inclusive (a day until means its
  23:59:59).
The only metadata format is oai_dc.
"""
import argparse
import datetime
import glob
import json
import os
import random
import re
import sys
import threading
import traceback
import unicodedata
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
import urllib.parse
from urllib.parse import parse_qs

import oaipmh.server
from oaipmh import common, error
from oaipmh.metadata import MetadataRegistry
from oaipmh.server import BatchingServer, oai_dc_writer

# pyoai 2.5.0 (the last release) decodes resumption tokens with cgi.parse_qs, which Python 3.8
# removed: as shipped, its server answers every resumptionToken request with an AttributeError.
# cgi.parse_qs was an alias of urllib.parse.parse_qs (same arguments), so give it that back.
if not hasattr(oaipmh.server.cgi, "parse_qs"):
    oaipmh.server.cgi = type("cgi", (), {"parse_qs": staticmethod(urllib.parse.parse_qs)})

DC_FIELDS = ["title", "creator", "subject", "description", "publisher", "contributor", "date",
             "type", "format", "identifier", "source", "language", "relation", "coverage", "rights"]
ID_PREFIX = "oai:test.example:rec-"
OAI_DC = ("oai_dc", "http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
          "http://www.openarchives.org/OAI/2.0/oai_dc/")
DS_FMT = "%Y-%m-%dT%H:%M:%SZ"


def nfc(s):
    return unicodedata.normalize("NFC", s)


def ds(dt):
    return dt.strftime(DS_FMT)


def parse_ds(text):
    return datetime.datetime.strptime(text, DS_FMT)


def ident(num):
    return "%s%06d" % (ID_PREFIX, num)


# ---------------------------------------------------------------------------------------------
# Text pools from ../shared
# ---------------------------------------------------------------------------------------------

ROLE = re.compile(r":\w+:`[^`]*`")            # :numref:`x`, :cite:`x`, :label:`x` ...
EMPH = re.compile(r"\*{1,2}\s*([^*]+?)\s*\*{1,2}")
BAD = re.compile(r"[$`\[\]{}\\_*|<>#@=^~]|https?:|\.\.|\(\s*\)")
VI_LETTER = re.compile(r"[À-ỹĐđ]")


def clean_inline(s):
    s = s.replace("[**", "").replace("**]", "")
    s = ROLE.sub("", s)
    s = EMPH.sub(r"\1", s)
    s = re.sub(r"\s+", " ", s).strip()
    s = re.sub(r"\s+([,.;:?!)])", r"\1", s)
    return s


def split_sentences(p):
    out, start = [], 0
    for m in re.finditer(r"[.?!][\"”)]?\s+", p):
        nxt = p[m.end():m.end() + 1]
        if nxt and nxt.isupper():
            out.append(p[start:m.end()].strip())
            start = m.end()
    out.append(p[start:].strip())
    return [s for s in out if s]


def good_sentence(s, vi):
    if BAD.search(s) or not s.endswith(".") or s.count("(") != s.count(")"):
        return False
    if s.count("“") != s.count("”") or s.count('"') % 2:
        return False
    n = len(s.split())
    if n < 5 or len(s) > 400:
        return False
    return bool(VI_LETTER.search(s)) if vi else True


def parse_markdown(path):
    """(h1, [headings], [paragraphs]) of one d2l markdown file, code and math left out."""
    h1, heads, paras, buf = None, [], [], []
    code = math = False

    def flush():
        if buf:
            paras.append(clean_inline(" ".join(buf)))
            buf.clear()

    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = nfc(raw.rstrip("\n"))
            s = line.strip()
            if s.startswith("```"):
                code = not code
                flush()
                continue
            if code:
                continue
            if s.startswith("$$"):
                if not (len(s) > 4 and s.endswith("$$")):
                    math = not math
                flush()
                continue
            if math:
                continue
            if not s or line.startswith("    "):
                flush()
                continue
            m = re.match(r"(#+)\s+(.*)", s)
            if m:
                flush()
                text = clean_inline(m.group(2))
                if len(m.group(1)) == 1 and h1 is None:
                    h1 = text
                else:
                    heads.append(text)
                continue
            if s[0] in "!:|<>[" or s.startswith(("- ", "* ", "+ ")) or re.match(r"\d+\.\s", s):
                flush()
                continue
            buf.append(s)
    flush()
    return h1, heads, paras


class Pools:
    """Real text to build records from, in a fixed order."""

    def __init__(self, shared):
        shared = Path(shared)
        d2l = shared / "vi_text" / "d2l-vi"
        cran = shared / "ir" / "cranfield" / "cran.all.1400"
        if not d2l.is_dir() or not cran.is_file():
            sys.exit("oai_provider: shared data not found under %s (need vi_text/d2l-vi and "
                     "ir/cranfield/cran.all.1400); use --shared" % shared)
        self.vi_titles, self.vi_paras = self._d2l(d2l)
        self.en_docs = self._cranfield(cran)
        self.en_titles = [d["title"] for d in self.en_docs]

    @staticmethod
    def _d2l(root):
        chapters = {}
        files = sorted(glob.glob(str(root / "*" / "*.md")))
        parsed = {}
        for f in files:
            parsed[f] = parse_markdown(f)
            if os.path.basename(f) == "index.md":
                chapters[os.path.dirname(f)] = parsed[f][0]
        head_count = {}
        for f in files:
            for h in parsed[f][1]:
                head_count[h] = head_count.get(h, 0) + 1
        titles, seen, paras = [], set(), []
        for f in files:
            h1, heads, ps = parsed[f]
            subjects = []
            for s in (chapters.get(os.path.dirname(f)), h1):
                if s and not BAD.search(s) and s not in subjects:
                    subjects.append(s)
            for h in ([h1] if h1 else []) + heads:
                if (h and head_count.get(h, 0) <= 1 and len(h.split()) >= 3 and not BAD.search(h)
                        and VI_LETTER.search(h) and h not in seen):
                    seen.add(h)
                    titles.append(h)
            for p in ps:
                sents = [s for s in split_sentences(p) if good_sentence(s, True)]
                for s in sents:
                    if 6 <= len(s.split()) <= 16 and ":" not in s:
                        t = s[:-1]
                        if t not in seen:
                            seen.add(t)
                            titles.append(t)
                if len(sents) >= 2:
                    paras.append((sents, subjects))
        return titles, paras

    @staticmethod
    def _cranfield(path):
        docs, cur, field = [], None, None
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                line = line.rstrip("\n")
                if line.startswith(".I "):
                    cur = {"T": [], "A": [], "B": [], "W": []}
                    docs.append(cur)
                    field = None
                elif line in (".T", ".A", ".B", ".W"):
                    field = line[1]
                elif cur is not None and field:
                    cur[field].append(line.strip())
        out = []
        for d in docs:
            title = en_text(" ".join(d["T"]))
            authors = parse_authors(" ".join(d["A"]))
            abstract = " ".join(d["W"]).strip()
            raw_title = " ".join(" ".join(d["T"]).split())
            body = " ".join(abstract.split())
            if body.startswith(raw_title):
                body = body[len(raw_title):]
            body = en_text(body)
            if not title or not authors or len(body.split()) < 20 or BAD.search(title):
                continue
            bib = " ".join(d["B"]).strip()
            year = re.search(r"\b(19[2-7]\d)\b", bib)
            source = None
            if bib.startswith("j."):
                source = en_text(bib).rstrip(".")
            out.append({"title": title.rstrip("."), "creators": authors, "abstract": body,
                        "year": year.group(1) if year else None, "source": source})
        return out


def en_text(s):
    """Cranfield text is lower case with spaces before punctuation: make it read normally."""
    s = " ".join(s.split())
    s = re.sub(r"\s+([,.;:?!)])", r"\1", s)
    s = re.sub(r"\.(\s*\.)+", ".", s)
    s = re.sub(r"\(\s+", "(", s)
    out, cap = [], True
    for i, ch in enumerate(s):
        if cap and ch.isalpha():
            out.append(ch.upper())
            cap = False
        else:
            out.append(ch)
        if ch in ".?!" and (i + 1 == len(s) or s[i + 1] == " "):
            cap = True
    return nfc("".join(out)).strip()


def parse_authors(s):
    """Cranfield authors ("van driest,e.r. and mccauley,w.d.", "m. b. glauert") as "Last, F. M."."""
    names = []
    for part in re.split(r"\s+and\s+|(?<=\.),?\s+(?=[a-z' -]+,)", " ".join(s.split())):
        part = part.strip(" ,")
        if not part:
            continue
        if "," in part:
            last, first = part.split(",", 1)
        else:
            bits = part.split(" ")
            if len(bits) == 1:
                names.append(nfc(part.strip(".").title()))
                continue
            first, last = " ".join(bits[:-1]), bits[-1]
        given = " ".join(t.upper() + "." if len(t) == 1 else t.title()
                         for t in re.findall(r"[a-z'-]+", first))
        name = nfc(("%s, %s" % (last.strip().title(), given)).strip(" ,"))
        if len(name.split()) <= 5:
            names.append(name)
    return names


SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi",
            "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trương"]
MIDDLE = ["Văn", "Hữu", "Đức", "Minh", "Quang", "Thành", "Công", "Xuân", "Thị", "Ngọc", "Thu",
          "Thanh", "Phương", "Kim", "Hồng", "Anh", "Bảo", "Gia"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa", "Hùng",
         "Hương", "Khánh", "Lan", "Linh", "Long", "Mai", "Minh", "Nam", "Nga", "Ngọc", "Phúc",
         "Phương", "Quân", "Quỳnh", "Sơn", "Tâm", "Thảo", "Thắng", "Trang", "Trung", "Tuấn",
         "Việt", "Yến", "Đạt", "Huy", "Khoa", "Nhung", "Oanh", "Thủy"]
SET_NAMES = ["Khoa Công nghệ Thông tin", "Khoa Toán – Cơ – Tin học", "Khoa Vật lý",
             "Khoa Kỹ thuật Hàng không", "Khoa Ngữ văn", "Khoa Kinh tế", "Khoa Luật",
             "Khoa Y Dược"]
EN_SUBJECTS = ["boundary layer", "heat transfer", "shock wave", "supersonic", "hypersonic",
               "subsonic", "transonic", "turbulence", "laminar flow", "buckling", "flutter",
               "wing", "slipstream", "stagnation point", "skin friction", "viscous flow",
               "compressible flow", "incompressible flow", "pressure distribution", "cylinder",
               "cone", "plate", "nozzle", "jet", "vibration", "creep", "panel", "shell"]


def vi_name(rng):
    return "%s %s %s" % (rng.choice(SURNAMES), rng.choice(MIDDLE), rng.choice(GIVEN))


def set_spec(k):
    s, k = "", k + 1
    while k:
        k, r = divmod(k - 1, 26)
        s = chr(ord("a") + r) + s
    return "set-" + s


def spread(i, n, salt):
    """Index i (1-based) to 0..n-1: consecutive records get distinct, scattered pool entries."""
    for step in (7919, 7927, 7933, 7937, 104729, 1299709):
        if n % step and _gcd(step, n) == 1:
            break
    return (i * step + salt) % n


def _gcd(a, b):
    while b:
        a, b = b, a % b
    return a


# ---------------------------------------------------------------------------------------------
# Records
# ---------------------------------------------------------------------------------------------

class Generator:
    def __init__(self, pools, seed, nsets, start, days):
        self.p = pools
        self.seed = seed
        self.nsets = nsets
        self.start = start
        self.span = max(1, int(days * 86400))

    def record(self, num):
        """Record number num as a dict: identifier, datestamp (datetime), deleted, sets, metadata,
        and the pool position of its title (for replacement titles)."""
        rng = random.Random("%d/%d" % (self.seed, num))
        md = {k: [] for k in DC_FIELDS}
        lang = "en" if rng.random() < 0.3 else "vi"
        if lang == "en":
            ti = spread(num, len(self.p.en_docs), self.seed)
            d = self.p.en_docs[ti]
            md["title"] = [d["title"]]
            md["creator"] = list(d["creators"])
            md["description"] = [d["abstract"]]
            text = (d["title"] + " " + d["abstract"]).lower()
            subj = [s for s in EN_SUBJECTS if s in text][:3]
            md["subject"] = ["Aeronautics"] + [s.capitalize() for s in subj]
            md["date"] = [d["year"] or str(1948 + rng.randrange(15))]
            md["type"] = ["Article" if d["source"] else "Technical Report"]
            if d["source"]:
                md["source"] = [d["source"]]
        else:
            ti = spread(num, len(self.p.vi_titles), self.seed)
            md["title"] = [self.p.vi_titles[ti]]
            sents, subjects = self.p.vi_paras[spread(num, len(self.p.vi_paras), 7 * self.seed + 3)]
            k = min(len(sents), 2 + rng.randrange(3))
            md["description"] = [" ".join(sents[:k])]
            md["subject"] = list(subjects)
            md["creator"] = [vi_name(rng) for _ in range(1 + rng.randrange(3))]
            md["date"] = [str(2008 + rng.randrange(18))]
            md["type"] = [rng.choice(["Thesis", "Thesis", "Article"])]
            if md["type"][0] == "Thesis":
                md["contributor"] = [vi_name(rng)]
        md["language"] = [lang]
        md["format"] = ["application/pdf"]
        md["identifier"] = ["http://test.example/handle/11111/%d" % num]
        if md["type"][0] == "Article":
            md["identifier"].append("https://doi.org/10.5555/test.%06d" % num)
        for k in md:
            md[k] = [nfc(v) for v in md[k]]
        stamp = self.start + datetime.timedelta(seconds=rng.randrange(self.span))
        sets = [set_spec(rng.randrange(self.nsets))] if self.nsets else []
        return {"num": num, "identifier": ident(num), "datestamp": stamp, "deleted": False,
                "sets": sets, "metadata": md, "lang": lang, "title_index": ti}

    def new_title(self, rec, k):
        pool = self.p.en_titles if rec["lang"] == "en" else self.p.vi_titles
        j = (rec["title_index"] + k * 104729 + 1) % len(pool)
        if pool[j] == rec["metadata"]["title"][0]:
            j = (j + 1) % len(pool)
        return pool[j]


class StateError(Exception):
    pass


def load_events(path):
    """The state file's events as [(now, changed, deleted, added)], or [] when there is none."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return []
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        raise StateError("state file %s: %s" % (path, e))
    if not isinstance(doc, dict):
        raise StateError("state file %s: not a JSON object" % path)
    events = doc["events"] if "events" in doc else [doc]
    if set(doc) - {"events"} and "events" in doc:
        raise StateError("state file: 'events' goes alone, found %s" % sorted(doc))
    if not isinstance(events, list):
        raise StateError("state file: 'events' must be a list")
    mtime = datetime.datetime.fromtimestamp(int(st.st_mtime), datetime.timezone.utc)
    mtime = mtime.replace(tzinfo=None)
    out = []
    for n, ev in enumerate(events, 1):
        if not isinstance(ev, dict):
            raise StateError("state event %d: not an object" % n)
        unknown = set(ev) - {"now", "changed", "deleted", "added"}
        if unknown:
            raise StateError("state event %d: unknown keys %s" % (n, sorted(unknown)))
        now = mtime
        if "now" in ev:
            try:
                now = parse_ds(ev["now"])
            except (TypeError, ValueError):
                raise StateError("state event %d: now %r is not YYYY-MM-DDThh:mm:ssZ"
                                 % (n, ev["now"]))
        lists = []
        for key in ("changed", "deleted"):
            ids = ev.get(key, [])
            if not isinstance(ids, list):
                raise StateError("state event %d: %s must be a list" % (n, key))
            nums = []
            for x in ids:
                if isinstance(x, int) and not isinstance(x, bool) and x > 0:
                    nums.append(x)
                elif isinstance(x, str) and re.fullmatch(re.escape(ID_PREFIX) + r"\d{6,}", x):
                    nums.append(int(x[len(ID_PREFIX):]))
                else:
                    raise StateError("state event %d: %s: %r is not a record" % (n, key, x))
            lists.append(nums)
        added = ev.get("added", 0)
        if not isinstance(added, int) or isinstance(added, bool) or added < 0:
            raise StateError("state event %d: added must be a count" % n)
        out.append((now, lists[0], lists[1], added))
    return out


class View:
    """One state of the repository: records in identifier order and what pyoai needs."""

    def __init__(self, records, base_url, nsets):
        self.records = records
        self.by_id = {r["identifier"]: r for r in records}
        self.items = []
        for r in records:
            header = common.Header(None, r["identifier"], r["datestamp"], r["sets"], r["deleted"])
            meta = None if r["deleted"] else common.Metadata(None, r["metadata"])
            self.items.append((header, meta, None))
        self.item_by_id = {r["identifier"]: it for r, it in zip(records, self.items)}
        earliest = min((r["datestamp"] for r in records), default=datetime.datetime(2000, 1, 1))
        self.identify = common.Identify(
            repositoryName="Kho Lưu Trữ Thử Nghiệm (pyoai test provider)",
            baseURL=base_url,
            protocolVersion="2.0",
            adminEmails=["admin@test.example"],
            earliestDatestamp=earliest,
            deletedRecord="persistent",
            granularity="YYYY-MM-DDThh:mm:ssZ",
            compression=["identity"])
        self.identify.add_description(
            '<oai-identifier xmlns="http://www.openarchives.org/OAI/2.0/oai-identifier" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            'xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/oai-identifier '
            'http://www.openarchives.org/OAI/2.0/oai-identifier.xsd">'
            "<scheme>oai</scheme><repositoryIdentifier>test.example</repositoryIdentifier>"
            "<delimiter>:</delimiter><sampleIdentifier>%s</sampleIdentifier></oai-identifier>"
            % ident(1))
        self.sets = [(set_spec(k), SET_NAMES[k] if k < len(SET_NAMES) else
                      "Bộ sưu tập %s" % set_spec(k)[4:].upper(), None) for k in range(nsets)]


class Repository:
    def __init__(self, gen, nrecords, ndeleted, state_path, base_url=""):
        self.gen = gen
        self.n = nrecords
        self.state_path = state_path
        self.base_url = base_url
        self.base = [gen.record(i) for i in range(1, nrecords + 1)]
        rng = random.Random("%d/deleted" % gen.seed)
        for num in rng.sample(range(1, nrecords + 1), min(ndeleted, nrecords)):
            self._delete(self.base[num - 1])
        self.lock = threading.Lock()
        self.key = object()
        self.view_ = None
        self.error = None

    @staticmethod
    def _delete(rec):
        rec["deleted"] = True
        rec["metadata"] = None

    def _state_key(self):
        if not self.state_path:
            return None
        try:
            st = os.stat(self.state_path)
            return (st.st_mtime_ns, st.st_size, st.st_ino)
        except FileNotFoundError:
            return "missing"

    def _build(self):
        events = load_events(self.state_path) if self.state_path else []
        recs = {r["num"]: r for r in self.base}
        total = self.n
        for k, (now, changed, deleted, added) in enumerate(events, 1):
            for _ in range(added):
                total += 1
                r = self.gen.record(total)
                r["datestamp"] = now
                recs[total] = r
            for num in changed + deleted:
                if num not in recs:
                    raise StateError("state event %d: no record %s (there are %d)"
                                     % (k, ident(num), total))
            for num in changed:
                if num in deleted:
                    continue
                old = recs[num]
                fresh = self.gen.record(num)
                md = dict(fresh["metadata"])
                md["title"] = [self.gen.new_title(fresh, k)]
                r = dict(old, metadata=md, deleted=False, datestamp=now)
                recs[num] = r
            for num in deleted:
                r = dict(recs[num], deleted=True, metadata=None, datestamp=now)
                recs[num] = r
        return View([recs[k] for k in sorted(recs)], self.base_url, self.gen.nsets)

    def view(self):
        with self.lock:
            key = self._state_key()
            if key != self.key or self.view_ is None:
                try:
                    self.view_ = self._build()
                    self.error = None
                except StateError as e:
                    self.error = str(e)
                    print("oai_provider: %s" % e, file=sys.stderr, flush=True)
                self.key = key
            if self.error:
                raise StateError(self.error)
            return self.view_


# ---------------------------------------------------------------------------------------------
# pyoai backend (IBatchingOAI)
# ---------------------------------------------------------------------------------------------

class Backend:
    def __init__(self, repo):
        self.repo = repo

    @staticmethod
    def _no_extra(extra):
        if extra:
            raise error.BadResumptionTokenError(
                "Unexpected arguments in resumption token: %s" % ", ".join(sorted(extra)))

    @staticmethod
    def _prefix(metadataPrefix):
        if metadataPrefix is None:
            raise error.BadResumptionTokenError("Resumption token has no metadataPrefix.")
        if metadataPrefix != "oai_dc":
            raise error.CannotDisseminateFormatError(
                "Unknown metadata format: %s" % metadataPrefix)

    def identify(self):
        return self.repo.view().identify

    def listMetadataFormats(self, identifier=None, **extra):
        self._no_extra(extra)
        if identifier is not None and identifier not in self.repo.view().by_id:
            raise error.IdDoesNotExistError("Id does not exist: %s" % identifier)
        return [OAI_DC]

    def listSets(self, cursor=0, batch_size=10, **extra):
        self._no_extra(extra)
        view = self.repo.view()
        if not view.sets:
            raise error.NoSetHierarchyError("This repository does not support sets.")
        if cursor < 0 or (cursor and cursor >= len(view.sets)):
            raise error.BadResumptionTokenError("Cursor out of range: %d" % cursor)
        return view.sets[cursor:cursor + batch_size]

    def getRecord(self, metadataPrefix=None, identifier=None, **extra):
        self._no_extra(extra)
        self._prefix(metadataPrefix)
        item = self.repo.view().item_by_id.get(identifier)
        if item is None:
            raise error.IdDoesNotExistError("Id does not exist: %s" % identifier)
        return item

    def _select(self, metadataPrefix, set, from_, until, cursor, batch_size, extra):
        self._no_extra(extra)
        self._prefix(metadataPrefix)
        view = self.repo.view()
        if set is not None and not view.sets:
            raise error.NoSetHierarchyError("This repository does not support sets.")
        items = view.items
        if set is not None or from_ is not None or until is not None:
            items = [it for it in items
                     if (set is None or set in it[0].setSpec())
                     and (from_ is None or it[0].datestamp() >= from_)
                     and (until is None or it[0].datestamp() <= until)]
        if cursor < 0 or (cursor and cursor >= len(items)):
            raise error.BadResumptionTokenError("Cursor out of range: %d" % cursor)
        return items[cursor:cursor + batch_size]

    def listRecords(self, metadataPrefix=None, set=None, from_=None, until=None, cursor=0,
                    batch_size=10, **extra):
        return self._select(metadataPrefix, set, from_, until, cursor, batch_size, extra)

    def listIdentifiers(self, metadataPrefix=None, set=None, from_=None, until=None, cursor=0,
                        batch_size=10, **extra):
        return [it[0] for it in
                self._select(metadataPrefix, set, from_, until, cursor, batch_size, extra)]


# ---------------------------------------------------------------------------------------------
# HTTP
# ---------------------------------------------------------------------------------------------

def dump_lines(view):
    out = []
    for r in view.records:
        out.append(json.dumps({
            "identifier": r["identifier"],
            "datestamp": ds(r["datestamp"]),
            "deleted": r["deleted"],
            "sets": r["sets"],
            "metadata": None if r["deleted"] else {k: r["metadata"][k] for k in DC_FIELDS},
        }, ensure_ascii=False))
    return "".join(line + "\n" for line in out)


class App:
    def __init__(self, args, repo):
        self.args = args
        self.repo = repo
        registry = MetadataRegistry()
        registry.registerWriter("oai_dc", oai_dc_writer)
        self.server = BatchingServer(Backend(repo), metadata_registry=registry,
                                     resumption_batch_size=args.batch_size)
        self.lock = threading.Lock()
        self.requests = 0
        self.list_records = 0
        self.malformed_done = False

    def next_request(self):
        with self.lock:
            self.requests += 1
            return self.requests

    def next_list_records(self):
        with self.lock:
            self.list_records += 1
            if (self.args.malformed_once and not self.malformed_done
                    and self.list_records == self.args.malformed_once):
                self.malformed_done = True
                return True
            return False

    def error_xml(self, exc):
        return self.server.handleException({}, (type(exc), exc, None))


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive
    disable_nagle_algorithm = True  # headers, body: two writes; no 40 ms delayed-ACK stalls
    server_version = "pyoai-test-provider/2.5.0"
    app = None  # set in main

    def log_message(self, fmt, *args):
        if self.app.args.verbose:
            sys.stderr.write("oai_provider: %s\n" % (fmt % args))

    def send(self, code, body, ctype, headers=()):
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        path, _, query = self.path.partition("?")
        self.oai(path, query)

    def do_POST(self):
        path = self.path.partition("?")[0]
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace")
        self.oai(path, body)

    def oai(self, path, query):
        app = self.app
        if path == "/dump" and self.command == "GET":
            try:
                self.send(200, dump_lines(app.repo.view()), "application/x-ndjson; charset=utf-8")
            except StateError as e:
                self.send(500, str(e) + "\n", "text/plain; charset=utf-8")
            return
        if path not in ("/", "/oai"):
            self.send(404, "not found: use /oai\n", "text/plain; charset=utf-8")
            return
        n = app.next_request()
        if app.args.fail_503 and n % app.args.fail_503 == 0:
            self.send(503, "Service Unavailable (simulated: request %d)\n" % n,
                      "text/plain; charset=utf-8",
                      [("Retry-After", str(app.args.retry_after))])
            return
        try:
            app.repo.view()
        except StateError as e:
            self.send(500, str(e) + "\n", "text/plain; charset=utf-8")
            return
        args = parse_qs(query, keep_blank_values=True)
        kw = {k: v[0] for k, v in args.items()}
        malformed = kw.get("verb") == "ListRecords" and app.next_list_records()
        repeated = sorted(k for k, v in args.items() if len(v) > 1)
        try:
            if repeated:
                body = app.error_xml(error.BadArgumentError(
                    "Repeated argument: %s" % ", ".join(repeated)))
            else:
                body = app.server.handleRequest(kw)
        except Exception as e:  # pyoai re-raises what is not an OAI error
            if "resumptionToken" in kw and isinstance(e, (error.DatestampError, ValueError,
                                                          TypeError)):
                body = app.error_xml(error.BadResumptionTokenError(
                    "Unusable resumption token: %s" % kw["resumptionToken"]))
            else:
                traceback.print_exc()
                self.send(500, "internal error: %s\n" % e, "text/plain; charset=utf-8")
                return
        if malformed:
            body = body[:len(body) // 2]
        self.send(200, body, "text/xml; charset=utf-8")


def main():
    here = Path(__file__).resolve()
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--records", type=int, default=100)
    ap.add_argument("--batch-size", type=int, default=100)
    ap.add_argument("--deleted", type=int, default=0)
    ap.add_argument("--sets", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--days", type=float, default=10)
    ap.add_argument("--start", default="2024-05-01T00:00:00Z")
    ap.add_argument("--state")
    ap.add_argument("--fail-503", type=int, default=0)
    ap.add_argument("--retry-after", default="1")
    ap.add_argument("--malformed-once", type=int, default=0)
    ap.add_argument("--dump")
    ap.add_argument("--shared", default=str(here.parents[2].parent / "shared"))
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    if args.records < 0 or args.batch_size < 1 or args.deleted < 0 or args.sets < 0:
        ap.error("--records, --deleted, --sets must be >= 0 and --batch-size >= 1")
    start = args.start if "T" in args.start else args.start + "T00:00:00Z"
    try:
        start = parse_ds(start)
    except ValueError:
        ap.error("--start: YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ")
    state = os.path.abspath(args.state) if args.state else None

    gen = Generator(Pools(args.shared), args.seed, args.sets, start, args.days)
    if args.dump:
        repo = Repository(gen, args.records, args.deleted, state)
        try:
            text = dump_lines(repo.view())
        except StateError as e:
            sys.exit("oai_provider: %s" % e)
        with open(args.dump, "w", encoding="utf-8") as f:
            f.write(text)
        return

    httpd = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    httpd.daemon_threads = True
    port = httpd.server_address[1]
    repo = Repository(gen, args.records, args.deleted, state, "http://127.0.0.1:%d/oai" % port)
    Handler.app = App(args, repo)
    try:
        repo.view()
    except StateError:
        pass  # reported on stderr, and as HTTP 500 until the file is fixed
    print("PORT %d" % port, flush=True)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()

#!/usr/bin/env bash
# Recorded OAI-PMH responses of real repositories, for the harvester's tests, fetched at test time
# from package registries (nothing third-party is committed):
#   pyoai 2.5.0 sdist (PyPI; BSD-3-Clause, Infrae): src/oaipmh/tests/fake1, fake2 = DSpace at
#     Erasmus University Rotterdam (http://dspace.ubib.eur.nl/oai/, 2003-2004): Identify, ListSets,
#     ListMetadataFormats, ListIdentifiers, GetRecord, ListRecords (81 records, 2 deleted);
#     fake3-5 = its Identify of http://ep.eur.nl/oai/request broken on purpose (bogus element,
#     undefined entity, bad earliestDatestamp). fake1/00006.xml is left out: an oai_dc fragment
#     for pyoai's unofficial GetMetadata verb, not an OAI-PMH response.
#   libhttp-oai-perl 4.12-1 (Debian bookworm; BSD-3-Clause, University of Southampton):
#     /usr/share/doc/libhttp-oai-perl/examples: Citebase (EPrints-based, arXiv records) Identify
#     and GetRecord, the same GetRecord with invalid UTF-8 bytes (badbytes.xml), a METS GetRecord of
#     DSpace at MIT through the Celestial cache. repository.xml is left out (an OAI static
#     repository file, not a response).
#   invenio-oaiharvester 0.1.1 sdist (PyPI; GPL-2.0): tests/data: arXiv (http://export.arxiv.org/oai2)
#     GetRecord in oai_dc and in arXiv's own format, 2015.
# Writes target/oai-recorded/<source>/... (each with its licence file) and
# target/oai-recorded/INDEX.tsv: one line per response with path (relative to target/oai-recorded),
# verb, metadataPrefix, repository (baseURL), records (header count), resumption_token
# (yes/empty/no), deleted (headers with status="deleted"), well_formed (yes / no: reason),
# request (the arguments as the response echoes them), source, note.
# Idempotent: downloads are kept in target/oai-recorded/downloads and skipped when present; a
# complete, verified tree is left as it is. Every extracted file is checked against a SHA-256
# pinned here, and any failure stops the script with a non-zero status.
# Usage: tests/py/fetch_recorded.sh [OUT_DIR]   (default: target/oai-recorded of this repository)
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
out="${1:-$root/target/oai-recorded}"
dl="$out/downloads"

die() { echo "fetch_recorded: $*" >&2; exit 1; }

# path (relative to $out) and SHA-256 of every response kept.
pins="\
1448df5a0cdb8126b56fbeca9584e3bc07e824d44c191bd44701452247a8af45  pyoai-2.5.0/fake1/00000.xml
4318bc45a7eb75dd9384f5acbeea46e0c7a780710cef144c39b3bbba6fb6d900  pyoai-2.5.0/fake1/00001.xml
041fbc196dcb0518cfb32d03853c1472c320a473ab9117ab160166e1cb3e0e75  pyoai-2.5.0/fake1/00002.xml
0d701c82e36cbd64300e7ca15550b8ad9b95a02087b4548ebdec00bf75f7a7db  pyoai-2.5.0/fake1/00003.xml
2c6d924504e08ba627eaf6dfc03c8cbdd3970c86368e6a231562040e359ca59b  pyoai-2.5.0/fake1/00004.xml
83a0a03153b9a7117cdf35ee46a26dec05e8875533281eb3b7b45cd2bc04b064  pyoai-2.5.0/fake1/00005.xml
f277a8f3f68343ee9e5a0a96b1d61c334aa50e7e415ab56fe0a26657896ab3c0  pyoai-2.5.0/fake2/00000.xml
db6a70ba064ebd539ff02147fb98416788beb93c581eefd633440845d24d7d95  pyoai-2.5.0/fake2/00001.xml
927a504a805a85ad14ad046645a6cfce458ce679eeed118099e39cd6d040c2da  pyoai-2.5.0/fake2/00002.xml
b1a4a6e2686eec8da9e0f3b3415d8b0d1026e2a82327685ccb98fa89a85e1974  pyoai-2.5.0/fake3/00001.xml
25f61e198b186359e0a9b5bc37f9b30623cac7dc8e7423410ac218ec73f6d5ab  pyoai-2.5.0/fake4/00001.xml
25fdb5b92a16872e58581e190bb90c2b6cde359485baeffcf19626bfa6efb875  pyoai-2.5.0/fake5/00001.xml
9bff29d92d7770d787d826796e4dac156addde0abb195c9c30c4de460319aa76  libhttp-oai-perl-4.12/identify.xml
03b9fc02b386ef4d6613134251b5b9b9f2ce2fc828eb9e40c97c244ec99db029  libhttp-oai-perl-4.12/getrecord.xml
5d5b757ca85b6ebc84d9d66bef12e8f49658208de19814d3c1bd4f76e84dcdbf  libhttp-oai-perl-4.12/badbytes.xml
349ee72644e6ebf9720b5cac19223a4d73d35b8f66e9d9bbd7ec1d200b49094d  libhttp-oai-perl-4.12/mets.xml
1580dc8c23ecd1bf90e8bdfaaf2cfe2d9c202b6e53ab22795caf2ebdd0bc099c  invenio-oaiharvester-0.1.1/sample_oai_dc_response.xml
144b59eccc883fa6357395305deb1845e11d9b3f66a071c7e5f2b9ced04a67c9  invenio-oaiharvester-0.1.1/sample_arxiv_response.xml
"

verified() {
  [ -f "$out/INDEX.tsv" ] || return 1
  (cd "$out" && printf '%s' "$pins" | sha256sum --check --quiet --strict >/dev/null 2>&1)
}

if verified; then
  echo "fetch_recorded: $out is complete"
  exit 0
fi

mkdir -p "$dl"

if [ -x "$root/target/py-venv/bin/pip" ]; then
  pip=("$root/target/py-venv/bin/pip")
else
  pip=(python3 -m pip)
fi

sdist() { # NAME VERSION FILE SHA256
  local file="$dl/$3"
  if [ ! -f "$file" ]; then
    echo "fetch_recorded: downloading $1==$2 (sdist, PyPI)"
    "${pip[@]}" download --quiet --disable-pip-version-check --no-deps --no-binary :all: \
      -d "$dl" "$1==$2" || die "pip download $1==$2 failed"
    [ -f "$file" ] || die "pip download $1==$2 did not give $3"
  fi
  if ! echo "$4  $file" | sha256sum --check --quiet --strict; then
    rm -f "$file"
    die "$file: unexpected SHA-256 (removed; the next run downloads it again)"
  fi
}

sdist pyoai 2.5.0 pyoai-2.5.0.tar.gz \
  029521e1f6a819511feb4299a6181b5c312e8a71f7cddc4547e27001e7552be0
sdist invenio-oaiharvester 0.1.1 invenio-oaiharvester-0.1.1.tar.gz \
  405d8a777c498294e83f0fc3fad43b1ca2b23ae81d64b2096b5b02cde4b5e426

deb=$(ls "$dl"/libhttp-oai-perl_*_all.deb 2>/dev/null | head -n 1 || true)
if [ -z "$deb" ]; then
  echo "fetch_recorded: downloading libhttp-oai-perl (Debian)"
  # apt-get download needs the package lists: fill them once if this machine has none yet.
  if ! (cd "$dl" && apt-get download libhttp-oai-perl >/dev/null 2>&1); then
    if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq || die "apt-get update failed"
    (cd "$dl" && apt-get download libhttp-oai-perl) || die "apt-get download libhttp-oai-perl failed"
  fi
  deb=$(ls "$dl"/libhttp-oai-perl_*_all.deb 2>/dev/null | head -n 1 || true)
  [ -n "$deb" ] || die "apt-get download gave no libhttp-oai-perl_*_all.deb"
fi
# The Debian version may move on; the examples are pinned by their own SHA-256 below.

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
new="$tmp/new"
mkdir -p "$new"

tar -xzf "$dl/pyoai-2.5.0.tar.gz" -C "$tmp" pyoai-2.5.0/src/oaipmh/tests pyoai-2.5.0/LICENSE.txt \
  || die "pyoai sdist: extraction failed"
for d in fake1 fake2 fake3 fake4 fake5; do
  mkdir -p "$new/pyoai-2.5.0/$d"
  cp "$tmp/pyoai-2.5.0/src/oaipmh/tests/$d/"*.xml "$tmp/pyoai-2.5.0/src/oaipmh/tests/$d/mapping.txt" \
    "$new/pyoai-2.5.0/$d/"
done
rm -f "$new/pyoai-2.5.0/fake1/00006.xml"
cp "$tmp/pyoai-2.5.0/LICENSE.txt" "$new/pyoai-2.5.0/LICENSE.txt"

dpkg-deb -x "$deb" "$tmp/deb" || die "$deb: dpkg-deb -x failed"
ex="$tmp/deb/usr/share/doc/libhttp-oai-perl/examples"
mkdir -p "$new/libhttp-oai-perl-4.12"
for f in identify.xml getrecord.xml badbytes.xml mets.xml; do
  cp "$ex/$f" "$new/libhttp-oai-perl-4.12/" || die "$deb: no examples/$f"
done
cp "$tmp/deb/usr/share/doc/libhttp-oai-perl/copyright" "$new/libhttp-oai-perl-4.12/copyright"

tar -xzf "$dl/invenio-oaiharvester-0.1.1.tar.gz" -C "$tmp" \
  invenio-oaiharvester-0.1.1/tests/data invenio-oaiharvester-0.1.1/LICENSE \
  || die "invenio-oaiharvester sdist: extraction failed"
mkdir -p "$new/invenio-oaiharvester-0.1.1"
cp "$tmp/invenio-oaiharvester-0.1.1/tests/data/"sample_*.xml "$tmp/invenio-oaiharvester-0.1.1/LICENSE" \
  "$new/invenio-oaiharvester-0.1.1/"

(cd "$new" && printf '%s' "$pins" | sha256sum --check --quiet --strict) \
  || die "extracted responses differ from the pinned SHA-256s"

python3 - "$new" <<'PY' || die "writing INDEX.tsv failed"
import os, re, sys
import xml.etree.ElementTree as ET

base = sys.argv[1]
OAI = "{http://www.openarchives.org/OAI/2.0/}"
VERBS = ("Identify", "ListSets", "ListMetadataFormats", "ListIdentifiers", "ListRecords", "GetRecord")
SOURCES = {
    "pyoai-2.5.0": "PyPI pyoai 2.5.0 sdist, src/oaipmh/tests (BSD-3-Clause)",
    "libhttp-oai-perl-4.12": "Debian libhttp-oai-perl, /usr/share/doc/libhttp-oai-perl/examples (BSD-3-Clause)",
    "invenio-oaiharvester-0.1.1": "PyPI invenio-oaiharvester 0.1.1 sdist, tests/data (GPL-2.0)",
}
NOTES = {
    "pyoai-2.5.0/fake1/00003.xml": "DSpace; hierarchical setSpecs (1:2)",
    "pyoai-2.5.0/fake2/00000.xml": "deleted record; setSpec repeated",
    "pyoai-2.5.0/fake2/00002.xml": "DSpace; 2 deleted records; dc:language en_US/other",
    "pyoai-2.5.0/fake3/00001.xml": "broken on purpose: stray <bogus> element, tags mismatch",
    "pyoai-2.5.0/fake4/00001.xml": "broken on purpose: undefined entity &bogus;",
    "pyoai-2.5.0/fake5/00001.xml": "broken on purpose: earliestDatestamp aaaa-bb-cc",
    "libhttp-oai-perl-4.12/identify.xml": "Citebase; day granularity; xml-stylesheet PI",
    "libhttp-oai-perl-4.12/getrecord.xml": "request@verb holds all arguments joined by ';'",
    "libhttp-oai-perl-4.12/badbytes.xml": "getrecord.xml with invalid UTF-8 bytes in dc:description",
    "libhttp-oai-perl-4.12/mets.xml": "DSpace at MIT via Celestial; METS/MODS metadata",
    "invenio-oaiharvester-0.1.1/sample_arxiv_response.xml": "arXiv format (not oai_dc); day granularity",
    "invenio-oaiharvester-0.1.1/sample_oai_dc_response.xml": "day-granularity datestamp",
}


def attrs(text):
    m = re.search(r"<request\b([^>]*)>([^<]*)</request>", text)
    if not m:
        return {}, ""
    return dict(re.findall(r"""(\w+)=["']([^"']*)["']""", m.group(1))), m.group(2).strip()


def describe(path):
    raw = open(path, "rb").read()
    text = raw.decode("utf-8", "replace")
    try:
        root = ET.fromstring(raw)
        well = "yes"
    except ET.ParseError as e:
        root, well = None, "no: %s" % e
    if root is not None:
        req = root.find(OAI + "request")
        args = dict(req.attrib) if req is not None else {}
        url = (req.text or "").strip() if req is not None else ""
        headers = root.iter(OAI + "header")
        heads = list(headers)
        nrec = len(heads)
        deleted = sum(1 for h in heads if h.get("status") == "deleted")
        tok = root.find(".//" + OAI + "resumptionToken")
        token = "no" if tok is None else ("yes" if (tok.text or "").strip() else "empty")
        body = [c.tag[len(OAI):] for c in root if c.tag.startswith(OAI)
                and c.tag[len(OAI):] in VERBS]
        if not url:
            b = root.find(".//" + OAI + "baseURL")
            url = b.text.strip() if b is not None and b.text else ""
    else:
        args, url = attrs(text)
        nrec = len(re.findall(r"<header[\s>]", text))
        deleted = len(re.findall(r"<header[^>]*status=[\"']deleted", text))
        token = "no" if "<resumptionToken" not in text else (
            "empty" if re.search(r"<resumptionToken[^>]*/>|<resumptionToken[^>]*>\s*</", text) else "yes")
        body = [v for v in VERBS if "<%s>" % v in text]
    # Citebase puts every argument into verb: verb='GetRecord;identifier=...;metadataPrefix=oai_dc'
    if ";" in args.get("verb", ""):
        first, *rest = args["verb"].split(";")
        args = dict(args, verb=first, **dict(p.split("=", 1) for p in rest if "=" in p))
    verb = args.get("verb") or (body[0] if body else "-")
    prefix = args.get("metadataPrefix", "-")
    request = "&".join("%s=%s" % (k, args[k]) for k in sorted(args))
    return verb, prefix, url or "-", nrec, token, deleted, well, request


rows = []
for dirpath, _, files in os.walk(base):
    for f in files:
        if f.endswith(".xml"):
            rel = os.path.relpath(os.path.join(dirpath, f), base)
            rows.append((rel,) + describe(os.path.join(dirpath, f)))
rows.sort()
with open(os.path.join(base, "INDEX.tsv"), "w", encoding="utf-8") as out:
    out.write("path\tverb\tmetadataPrefix\trepository\trecords\tresumption_token\tdeleted\t"
              "well_formed\trequest\tsource\tnote\n")
    for r in rows:
        src = SOURCES[r[0].split("/")[0]]
        cells = [str(c).replace("\t", " ").replace("\n", " ") for c in r]
        out.write("\t".join(cells + [src, NOTES.get(r[0], "-")]) + "\n")
PY

# Swap the new tree in, keeping the downloads.
for d in pyoai-2.5.0 libhttp-oai-perl-4.12 invenio-oaiharvester-0.1.1; do
  rm -rf "${out:?}/$d"
  mv "$new/$d" "$out/$d"
done
mv "$new/INDEX.tsv" "$out/INDEX.tsv"
verified || die "$out: verification after writing failed"
echo "fetch_recorded: wrote $(($(wc -l <"$out/INDEX.tsv") - 1)) responses and $out/INDEX.tsv"

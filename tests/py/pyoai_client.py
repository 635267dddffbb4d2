"""A real OAI-PMH harvester (pyoai, from PyPI) against our /oai, for tests/tests/e2e/oai.rs.

Usage: pyoai_client.py BASE_URL COMMAND [ARGS...]; prints one JSON object.
  harvest PREFIX [SET] [FROM] [UNTIL]   every record of a list, pages followed by pyoai itself
  identify                              the Identify answer as pyoai reads it
  sets                                  ListSets
  formats [IDENTIFIER]                  ListMetadataFormats
  get IDENTIFIER PREFIX                 GetRecord
  error VERB [NAME=VALUE...]            the pyoai error class a request raises ("" if none)
  resume VERB TOKEN                     the identifiers of a list from TOKEN on, through
                                        pyoai's transport (its list methods take no token)
"""
import datetime
import json
import sys

from oaipmh import error
from oaipmh.client import Client
from oaipmh.metadata import MetadataRegistry, oai_dc_reader, MetadataReader


ETDMS = MetadataReader(
    fields={
        "title": ("textList", "etd:thesis/etd:title/text()"),
        "creator": ("textList", "etd:thesis/etd:creator/text()"),
        "contributor": ("textList", "etd:thesis/etd:contributor/text()"),
        "level": ("textList", "etd:thesis/etd:degree/etd:level/text()"),
        "grantor": ("textList", "etd:thesis/etd:degree/etd:grantor/text()"),
    },
    namespaces={"etd": "http://www.ndltd.org/standards/metadata/etdms/1.1/"},
)


def client(base):
    registry = MetadataRegistry()
    registry.registerReader("oai_dc", oai_dc_reader)
    registry.registerReader("oai_etdms", ETDMS)
    return Client(base, registry)


def date(text):
    if not text:
        return None
    if len(text) == 10:
        return datetime.datetime.strptime(text, "%Y-%m-%d")
    return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ")


def header(h):
    return {
        "identifier": h.identifier(),
        "datestamp": h.datestamp().strftime("%Y-%m-%dT%H:%M:%SZ"),
        "sets": h.setSpec(),
        "deleted": h.isDeleted(),
    }


def main():
    base, command, args = sys.argv[1], sys.argv[2], sys.argv[3:]
    c = client(base)
    if command == "harvest":
        prefix = args[0]
        kw = {"metadataPrefix": prefix}
        if len(args) > 1 and args[1]:
            kw["set"] = args[1]
        if len(args) > 2 and args[2]:
            kw["from_"] = date(args[2])
        if len(args) > 3 and args[3]:
            kw["until"] = date(args[3])
        out = []
        try:
            for h, md, _about in c.listRecords(**kw):
                rec = header(h)
                rec["metadata"] = md.getMap() if md is not None else None
                out.append(rec)
        except error.NoRecordsMatchError:
            pass
        print(json.dumps({"records": out}, ensure_ascii=False))
    elif command == "identify":
        i = c.identify()
        print(json.dumps({
            "repositoryName": i.repositoryName(),
            "baseURL": i.baseURL(),
            "protocolVersion": i.protocolVersion(),
            "adminEmails": i.adminEmails(),
            "earliestDatestamp": i.earliestDatestamp().strftime("%Y-%m-%dT%H:%M:%SZ"),
            "deletedRecord": i.deletedRecord(),
            "granularity": i.granularity(),
        }, ensure_ascii=False))
    elif command == "sets":
        print(json.dumps({"sets": [list(s[:2]) for s in c.listSets()]}, ensure_ascii=False))
    elif command == "formats":
        kw = {"identifier": args[0]} if args else {}
        print(json.dumps({"formats": [f[0] for f in c.listMetadataFormats(**kw)]}))
    elif command == "get":
        h, md, _about = c.getRecord(identifier=args[0], metadataPrefix=args[1])
        rec = header(h)
        rec["metadata"] = md.getMap() if md is not None else None
        print(json.dumps(rec, ensure_ascii=False))
    elif command == "error":
        kw = dict(a.split("=", 1) for a in args[1:])
        try:
            c.makeRequestErrorHandling(verb=args[0], **kw)
            name = ""
        except error.ErrorBase as e:
            name = type(e).__name__
        print(json.dumps({"error": name}))
    elif command == "resume":
        from lxml import etree
        ns = {"o": "http://www.openarchives.org/OAI/2.0/"}
        verb, token, ids = args[0], args[1], []
        while token:
            raw = c.makeRequest(verb=verb, resumptionToken=token)
            tree = etree.XML(raw if isinstance(raw, bytes) else raw.encode("utf-8"))
            ids.extend(tree.xpath("//o:header/o:identifier/text()", namespaces=ns))
            found = tree.xpath("//o:resumptionToken/text()", namespaces=ns)
            token = found[0] if found else ""
        print(json.dumps({"identifiers": ids}))
    else:
        sys.exit("unknown command " + command)


if __name__ == "__main__":
    main()

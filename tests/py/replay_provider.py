"""Replays recorded OAI-PMH responses of a real repository over HTTP on 127.0.0.1, for the
harvester's tests: each verb is answered with the response recorded for it, whatever the other
arguments (so a harvester sees exactly what that repository once sent).

Usage: replay_provider.py VERB=FILE [VERB=FILE...]
  e.g. replay_provider.py Identify=target/oai-recorded/pyoai-2.5.0/fake1/00001.xml \
           ListRecords=target/oai-recorded/pyoai-2.5.0/fake2/00002.xml
Prints "PORT <n>" when listening; serves until killed. An unrecorded verb gets the protocol's
badVerb error; requests are logged to stderr.
"""
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

BAD_VERB = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>2004-01-01T00:00:00Z'
    '</responseDate><request>http://replay/oai</request>'
    '<error code="badVerb">not recorded</error></OAI-PMH>'
).encode()


def main():
    answers = {}
    for arg in sys.argv[1:]:
        verb, _, path = arg.partition("=")
        with open(path, "rb") as f:
            answers[verb] = f.read()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            verb = parse_qs(urlparse(self.path).query).get("verb", [""])[0]
            body = answers.get(verb, BAD_VERB)
            self.send_response(200)
            self.send_header("Content-Type", "text/xml; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, fmt, *args):
            sys.stderr.write("replay: " + fmt % args + "\n")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print("PORT %d" % server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()

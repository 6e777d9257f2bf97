"""Reads a status page with real parsers and prints what it says as one JSON object, for StatusPages (a test helper).

Usage: python3 read_status.py FORMAT < page. FORMAT is json, xml, html or openmetrics. The summary: the pool's name,
its accepted conn, each process row's pid and request URI, and the counts the children report (COUNTED; null where
the page lacks one). OpenMetrics goes through prometheus_client's OpenMetrics parser, which rejects anything that is
not valid OpenMetrics text 1.0; there each count must be a counter family whose sample carries the _total suffix.
"""
import json
import sys
import xml.dom.minidom
from html.parser import HTMLParser

# The pool's fields that the children count (the status channel's counts line), and their metric families.
COUNTED = {
    "shed requests": "jspawn_fcgi_shed_requests",
    "log failures": "jspawn_fcgi_log_failures",
    "budget refusals": "jspawn_fcgi_budget_refusals",
    "overload refusals": "jspawn_fcgi_overload_refusals",
}


def number(text):
    return None if text is None or text == "" else int(text)


def from_json(text):
    page = json.loads(text)
    rows = page.get("processes", [])
    counted = {name: page.get(name) for name in COUNTED}
    return page["pool"], page["accepted conn"], [(r["pid"], r["request URI"]) for r in rows], counted


def from_xml(text):
    status = xml.dom.minidom.parseString(text).documentElement

    def child(node, name):
        found = [n for n in node.childNodes if n.nodeType == n.ELEMENT_NODE and n.tagName == name]
        return found[0].firstChild.data if found and found[0].firstChild else ""

    rows = [(int(child(p, "pid")), child(p, "request-uri")) for p in status.getElementsByTagName("process")]
    counted = {name: number(child(status, name.replace(" ", "-"))) for name in COUNTED}
    return child(status, "pool"), int(child(status, "accepted-conn")), rows, counted


class Tables(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tables, self.cell = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("th", "td"):
            self.cell = ""

    def handle_endtag(self, tag):
        if tag in ("th", "td"):
            self.tables[-1][-1].append(self.cell)
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def from_html(text):
    parser = Tables()
    parser.feed(text)
    pool = dict(parser.tables[0])
    rows = []
    if len(parser.tables) > 1:
        header = parser.tables[1][0]
        for row in parser.tables[1][1:]:
            fields = dict(zip(header, row))
            rows.append((int(fields["pid"]), fields["request URI"]))
    counted = {name: number(pool.get(name)) for name in COUNTED}
    return pool["pool"], int(pool["accepted conn"]), rows, counted


def from_openmetrics(text):
    from prometheus_client.openmetrics.parser import text_string_to_metric_families
    pool, accepted, rows = None, None, []
    counted = dict.fromkeys(COUNTED)
    families = {name: field for field, name in COUNTED.items()}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == "jspawn_fcgi_accepted_connections_total":
                pool, accepted = sample.labels["pool"], int(sample.value)
            if sample.name == "jspawn_fcgi_process_info":
                rows.append((int(sample.labels["pid"]), sample.labels["request_uri"]))
            if family.name in families and family.type == "counter" and sample.name == family.name + "_total":
                counted[families[family.name]] = int(sample.value)
    return pool, accepted, rows, counted


READERS = {"json": from_json, "xml": from_xml, "html": from_html, "openmetrics": from_openmetrics}

if __name__ == "__main__":
    pool, accepted, rows, counted = READERS[sys.argv[1]](sys.stdin.read())
    print(json.dumps({"pool": pool, "accepted": accepted, "rows": [[pid, uri] for pid, uri in rows],
                      "counted": counted}))

"""``make security``: sqlmap and wapiti against the demo desk, served on 127.0.0.1 only.

A fresh data directory gets the demo desk (``protectdesk migrate``, ``protectdesk demo``);
``protectdesk serve`` answers on a free loopback port; the driver signs in as the demo
caseworker and keeps the session's cookies (``pd_session``, ``pd_key``, ``csrftoken``). Then:

1. **Forms.** The signed-in pages are crawled (links on the same origin only, a few pages of
   each URL shape, every ``<form>`` read), and the public pages are added: the sign-in form and
   the demo desk's form under ``/report/<desk>/`` (the report, the follow-up and the answer).
2. **API.** ``/api/v1/openapi.json``, when it answers 200, gives every operation; its absence
   is said in the summary, not treated as a failure.
3. **sqlmap** (Debian's) runs in batch mode against every form and operation with the session
   cookies, re-reading the form's token before each request (``--csrf-token``/``--csrf-url``).
4. **wapiti** (Debian's, 3.0.x) crawls and attacks the site with the same cookies (a JSON
   cookie file) and the modules that stay on the target.
5. The server's own log is read afterwards: hostile input that made it answer 500 is a
   finding too, whatever the scanners concluded.

What keeps the scanners safe and local: no form or URL that signs out, revokes sessions,
removes, deletes, rotates keys or re-asks the password (``EXCLUDED``) is given to either;
every target is checked to be on ``http://127.0.0.1:<port>/``; wapiti runs with its domain
scope, no bug reports, its endpoint pointed at the loopback and without the modules that call
wapiti3.ovh or download lists (ssrf, xxe, nikto, wapp) or guess passwords (brute_login_form,
buster). The exit status is 1 on any finding, 2 when the run itself could not be made.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from protectdesk.benchmarks.load import _free_port, _wait_until_up

CASEWORKER = "caseworker@demo.example"
COORDINATOR = "coordinator@demo.example"
DEMO_PASSWORD = "protect-demo-2026"  # noqa: S105 - the documented, public demo password
#: Paths the scanners never get: they would end the session or destroy what the scan needs.
EXCLUDED = re.compile(
    r"logout|/revoke|sessions|remove|delete|destroy|/rotate|/unlock|/active/|/role/|"
    r"two-factor|recovery-codes|/password/|/static/|\.(png|pdf|csv|xlsx|docx|zip|json)$|/files/"
)
#: wapiti modules that stay on the target (see the module docstring for those left out).
#: Also left out, as false positives on this target (tests/test_headers.py and
#: tests/test_csrf.py hold what they check): http_headers and cookieflags (HSTS and Secure
#: cookies are set only when served over HTTPS, and X-XSS-Protection is obsolete), csrf
#: (3.0.4 reported forms whose token Django does check: a changed token gets 403, by hand).
WAPITI_MODULES = (
    "sql,blindsql,xss,permanentxss,exec,file,crlf,redirect,methods,htaccess,shellshock,csp"
)
#: Whatever a scanner would fetch from elsewhere (wapiti's module lists) goes to a closed
#: loopback port: only the target, on 127.0.0.1, is reached directly.
NOWHERE = {
    "http_proxy": "http://127.0.0.1:9",
    "https_proxy": "http://127.0.0.1:9",
    "HTTP_PROXY": "http://127.0.0.1:9",
    "HTTPS_PROXY": "http://127.0.0.1:9",
    "no_proxy": "127.0.0.1",
    "NO_PROXY": "127.0.0.1",
}
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
TOKEN_NAMES = ("csrfmiddlewaretoken", "form_token", "token")


class Refused(RuntimeError):
    """The run cannot be made (a tool missing, the server down, signing in refused)."""


@dataclass
class Form:
    page: str  # where the form is shown (sqlmap reads its token there)
    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)
    token: str = ""  # the anti-forgery field's name, if any
    body: str = ""  # a JSON body (API operations)
    bearer: str = ""  # the API token the operation is called with

    @property
    def shape(self) -> tuple[str, str, tuple[str, ...]]:
        return (self.method, _shape(self.action), tuple(sorted(self.fields)))


@dataclass
class Summary:
    pages: int = 0
    forms: list[Form] = field(default_factory=list)
    api: str = "not served"
    untested: list[str] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


def _shape(url: str) -> str:
    path = urllib.parse.urlsplit(url).path
    return re.sub(r"/\d+(?=/|$)", "/{n}", _UUID.sub("{id}", path))


class _Page(HTMLParser):
    """The links and forms of one page, with each field's shown or first value."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[dict[str, Any]] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self.forms.append(
                {"action": a.get("action", ""), "method": a.get("method", "get"), "fields": {}}
            )
        elif tag == "option" and self._select and self.forms:
            fields = self.forms[-1]["fields"]
            if self._select not in fields or "selected" in a:
                fields[self._select] = a.get("value", "")
        elif not self.forms or "name" not in a or "disabled" in a:
            return
        elif tag == "input":
            kind = a.get("type", "text").lower()
            fields = self.forms[-1]["fields"]
            if kind == "file" or (kind in ("submit", "image", "button") and not a.get("value")):
                return
            if kind in ("checkbox", "radio") and a["name"] in fields and "checked" not in a:
                return
            value = a.get("value", "")
            if kind != "hidden" and not value:
                value = "on" if kind == "checkbox" else "x"  # an empty text gives sqlmap nothing
            fields[a["name"]] = value
        elif tag == "select":
            self._select = a["name"]
        elif tag == "textarea":
            self._textarea = a["name"]
            self.forms[-1]["fields"][a["name"]] = "x"

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea and self.forms and data.strip():
            self.forms[-1]["fields"][self._textarea] = data.strip()


class Session:
    """A cookie jar on one loopback origin; refuses any URL elsewhere."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def local(self, url: str) -> str:
        absolute = urllib.parse.urljoin(self.base, url)
        if not absolute.startswith(self.base + "/"):
            raise Refused(f"not on the loopback target: {absolute}")
        return absolute

    def get(self, url: str) -> tuple[int, str, str]:
        try:
            with self.opener.open(self.local(url), timeout=60) as response:
                return response.status, response.geturl(), response.read().decode(errors="replace")
        except urllib.error.HTTPError as error:
            return error.code, url, error.read().decode(errors="replace")

    def post(self, url: str, data: dict[str, str]) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data).encode()
        request = urllib.request.Request(self.local(url), data=body, method="POST")  # noqa: S310 - local() allows only the loopback origin
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.geturl(), response.read().decode(errors="replace")
        except urllib.error.HTTPError as error:
            return error.code, url, error.read().decode(errors="replace")

    def cookies(self) -> dict[str, str]:
        return {c.name: c.value or "" for c in self.jar}


def forms_of(page_url: str, html: str) -> tuple[list[str], list[Form]]:
    parser = _Page()
    parser.feed(html)
    found = []
    for raw in parser.forms:
        action = urllib.parse.urljoin(page_url, raw["action"] or page_url)
        fields = raw["fields"]
        token = next((name for name in TOKEN_NAMES if name in fields), "")
        found.append(Form(page_url, action, raw["method"].lower(), fields, token))
    return parser.links, found


def crawl(session: Session, starts: list[str], limit: int, per_shape: int = 2) -> Summary:
    """Breadth first over same-origin links, at most ``per_shape`` pages of each URL shape."""
    summary = Summary()
    queue, seen, shapes = list(starts), set(starts), dict[str, int]()
    forms: dict[tuple[str, str, tuple[str, ...]], Form] = {}
    while queue and summary.pages < limit:
        url = queue.pop(0)
        status, final, html = session.get(url)
        summary.pages += 1
        if status == 500:
            summary.findings.append(f"crawl: {url} answered 500")
        if status != 200 or "<html" not in html[:500].lower():
            continue
        links, page_forms = forms_of(final, html)
        for form in page_forms:
            if not EXCLUDED.search(form.action) and form.action.startswith(session.base + "/"):
                forms.setdefault(form.shape, form)
        for href in links:
            absolute = urllib.parse.urljoin(final, href).split("#")[0]
            if not absolute.startswith(session.base + "/") or EXCLUDED.search(absolute):
                continue
            shape = _shape(absolute)
            if absolute in seen or shapes.get(shape, 0) >= per_shape:
                continue
            seen.add(absolute)
            shapes[shape] = shapes.get(shape, 0) + 1
            queue.append(absolute)
    summary.forms = list(forms.values())
    return summary


def api_token(session: Session, scope: str, password: str) -> str:
    """A token made through My account → API tokens, as the signed-in user of ``session``."""
    _status, _final, html = session.get("/account/api-tokens/")
    fields = next(
        (
            f.fields
            for f in forms_of(session.base + "/account/api-tokens/", html)[1]
            if "scope" in f.fields
        ),
        None,
    )
    if fields is None:
        raise Refused("the API token form was not found")
    fields = {**fields, "label": "security scan", "scope": scope, "days": "7", "password": password}
    _status, _final, html = session.post("/account/api-tokens/", fields)
    found = re.search(r'<code class="secret">(pd1_[A-Za-z0-9_-]+)</code>', html)
    if found is None:
        raise Refused(f"no {scope} token was made")
    return found[1]


def _api_get(base: str, path: str, token: str) -> Any:
    request = urllib.request.Request(base + path, headers={"Authorization": f"Bearer {token}"})  # noqa: S310 - the loopback server
    with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 - the loopback server
        return json.loads(answer.read())


def api_operations(session: Session, tokens: dict[str, str]) -> tuple[str, list[Form]]:
    """Every operation of the OpenAPI schema, with real ids of the demo desk and example
    bodies, each called with the token whose scope reaches it; ("not served", []) without."""
    status, _final, text = session.get("/api/v1/openapi.json")
    if status != 200:
        return f"not served (/api/v1/openapi.json answered {status})", []
    try:
        schema = json.loads(text)
    except ValueError:
        return "not served (/api/v1/openapi.json is not JSON)", []
    case = _api_get(session.base, "/api/v1/cases/?page_size=1", tokens["write"])["items"][0]["id"]
    incidents = _api_get(
        session.base, f"/api/v1/cases/{case}/incidents/?page_size=1", tokens["write"]
    )
    values = {
        "case_id": case,
        "incident_id": incidents["items"][0]["id"] if incidents["items"] else case,
        "name": "sectors",
        "slug": "incidents-by-type",
    }
    operations = []
    for path, item in schema.get("paths", {}).items():
        for method, operation in item.items():
            if method not in ("get", "post", "put", "patch") or EXCLUDED.search(path):
                continue
            # Path parameters become sqlmap's custom injection marks, after a real value.
            url = re.sub(r"\{([^}]+)\}", lambda m: f"{values.get(str(m[1]), '1')}*", path)
            # Query parameters start from their documented default (format=json, scope=own):
            # a value the operation refuses before it reads anything would test nothing.
            query = {
                p["name"]: str(p.get("schema", {}).get("default", "1"))
                for p in operation.get("parameters", [])
                if isinstance(p, dict) and p.get("in") == "query"
            }
            body = ""
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" in content:
                body = json.dumps(_example(content["application/json"].get("schema", {}), schema))
            scope = "statistics" if "statistics" in operation.get("tags", ()) else "write"
            operations.append(
                Form("/api/v1/openapi.json", url, method, query, "", body, tokens[scope])
            )
    return f"{len(operations)} operations", operations


def _example(node: dict[str, Any], schema: dict[str, Any], depth: int = 0) -> Any:
    if depth > 6:
        return "x"
    if "$ref" in node:
        target: Any = schema
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target.get(part, {})
        return _example(target, schema, depth + 1)
    for combined in ("anyOf", "oneOf", "allOf"):
        if node.get(combined):
            return _example(node[combined][0], schema, depth + 1)
    kind = node.get("type", "string")
    if "example" in node:
        return node["example"]
    if node.get("enum"):
        return node["enum"][0]
    if kind == "object":
        properties = node.get("properties", {})
        return {k: _example(v, schema, depth + 1) for k, v in properties.items()}
    if kind == "array":
        return [_example(node.get("items", {}), schema, depth + 1)]
    return {"integer": 1, "number": 1, "boolean": True}.get(kind, "x")


def _cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def sqlmap_command(form: Form, base: str, cookies: dict[str, str], out: Path) -> list[str]:
    url = urllib.parse.urljoin(base, form.action)
    command = ["sqlmap", "--batch", "--disable-coloring", "--flush-session", "--level=1"]
    command += ["--risk=1", "--dbms=SQLite", "--technique=BEU", "--timeout=30", "--retries=1"]
    command += [f"--output-dir={out}", "--answers=want to follow=N", "--skip-waf", "--keep-alive"]
    if form.bearer:
        command.append(
            f"--headers=Authorization: Bearer {form.bearer}\nContent-Type: application/json"
        )
    elif form.page.startswith(base) and "/report/" not in form.action:
        command.append(f"--cookie={_cookie_header(cookies)}")
    if form.token:
        command += [f"--csrf-token={form.token}", f"--csrf-url={form.page}"]
        command.append(f"--skip={form.token}")
    data = urllib.parse.urlencode(form.fields)
    if form.body:
        command += [f"--data={form.body}", f"--method={form.method.upper()}"]
        if not form.bearer:
            command.append("--headers=Content-Type: application/json")
        url += ("?" + data) if data else ""
    elif form.method == "post":
        command += [f"--data={data or 'x=1'}"]
    else:
        url = url.split("?")[0] + "?" + (data or "q=1")
    command.append(f"--url={url}")
    return command


def run_sqlmap(
    forms: list[Form], base: str, cookies: dict[str, str], out: Path, untested: list[str]
) -> list[str]:
    """sqlmap against each form, two at a time (the machine has two cores); a form sqlmap
    could not test (say, a 404 for a record the scan itself closed) goes to ``untested``."""
    running: list[subprocess.Popen[str]] = []
    logs = []
    for number, form in enumerate(forms):
        while len(running) >= 2:
            time.sleep(0.5)
            running = [p for p in running if p.poll() is None]
        command = sqlmap_command(form, base, cookies, out / f"sqlmap-{number}")
        log = out / f"sqlmap-{number}.log"
        logs.append((form, log))
        with log.open("w") as handle:
            handle.write(f"{form.method.upper()} {form.action}\n")
            handle.flush()
            running.append(
                subprocess.Popen(  # noqa: S603 - sqlmap with arguments built here
                    command,
                    stdout=handle,
                    stderr=subprocess.STDOUT,
                    text=True,
                    env={**os.environ, **NOWHERE},
                )
            )
    for process in running:
        process.wait()
    findings = []
    for form, log in logs:
        text = log.read_text(errors="replace")
        target = f"{form.method.upper()} {form.action}"
        if "testing for SQL injection on" not in text:
            untested.append(f"{target} (see {log})")
            if set(form.fields) - {form.token} or form.body:
                # Something to inject and nothing tested: a hole in the scan, not a pass.
                findings.append(f"sqlmap could not test {target} (see {log})")
        if "identified the following injection point" in text or "is vulnerable" in text:
            findings.append(f"sqlmap: injection at {target} (see {log})")
        if "Internal Server Error" in text:
            findings.append(f"sqlmap: {target} answered 500 (see {log})")
    return findings


def run_wapiti(base: str, cookies: dict[str, str], out: Path, seconds: int) -> list[str]:
    """wapiti over the site with the session; each vulnerability or anomaly is a finding."""
    host = urllib.parse.urlsplit(base).hostname or "127.0.0.1"
    jar: dict[str, dict[str, dict[str, Any]]] = {host: {"/": {}}}
    for name, value in cookies.items():
        jar[host]["/"][name] = {
            "value": value,
            "expires": None,
            "secure": False,
            "port": None,
            "version": 0,
        }
    cookie_file = out / "cookies.json"
    cookie_file.write_text(json.dumps(jar), encoding="utf-8")
    report = out / "wapiti.json"
    command = ["/usr/bin/python3", "-c", _WAPITI, "-u", base + "/", "--scope", "domain"]
    command += ["-c", str(cookie_file)]
    command += ["-m", WAPITI_MODULES, "--no-bugreport", "--endpoint", base + "/"]
    command += ["--flush-session", "-f", "json", "-o", str(report), "-v", "1"]
    command += ["--store-session", str(out / "session"), "--store-config", str(out / "config")]
    command += ["--max-scan-time", str(seconds), "--max-attack-time", str(seconds // 8)]
    command += ["-d", "4", "--max-files-per-dir", "6", "-t", "30"]
    for pattern in ("*logout*", "*revoke*", "*sessions*", "*remove*", "*delete*", "*rotate*"):
        command += ["-x", base + "/" + pattern]
    for pattern in ("*unlock*", "*/active/*", "*/role/*", "*two-factor*", "*/password/*"):
        command += ["-x", base + "/" + pattern]
    command += ["-x", base + "/*recovery-codes*", "-x", base + "/static/*"]
    with (out / "wapiti.log").open("w") as log:
        subprocess.run(  # noqa: S603 - wapiti with arguments built here
            command,
            stdout=log,
            stderr=subprocess.STDOUT,
            check=False,
            env={**os.environ, **NOWHERE},
        )
    if not report.exists():
        return [f"wapiti: no report (see {out / 'wapiti.log'})"]
    data = json.loads(report.read_text(encoding="utf-8"))
    findings = []
    for section in ("vulnerabilities", "anomalies"):
        for kind, items in data.get(section, {}).items():
            for item in items:
                where = (
                    f"{item.get('method', '')} {item.get('path', '')} {item.get('parameter', '')}"
                )
                findings.append(f"wapiti: {kind}: {where.strip()} ({item.get('info', '')})")
    return findings


#: Debian's wapiti 3.0.4 compiles each ``-x`` pattern as ``...\\Z(?ms)``, which Python 3.11
#: refuses (global flags must come first): wapiti is run with that one function fixed.
_WAPITI = """
import re, sys
from importlib.metadata import distribution
import wapitiCore.net.crawler as crawler
def wildcard_translate(pattern):
    return re.compile("(?ms)" + "".join(".*" if c == "*" else re.escape(c) for c in pattern) + r"\\Z")
crawler.wildcard_translate = wildcard_translate
main = next(e for e in distribution("wapiti3").entry_points if e.name == "wapiti").load()
sys.argv[0] = "wapiti"
sys.exit(main())
"""


def server_errors(log: Path) -> list[str]:
    text = log.read_text(errors="replace") if log.exists() else ""
    return [f"server: {line.strip()[:200]}" for line in text.splitlines() if "Traceback" in line]


def sign_in(session: Session, login: str, password: str) -> None:
    status, _final, html = session.get("/login/")
    _links, forms = forms_of(session.base + "/login/", html)
    fields = dict(forms[0].fields) if forms else {}
    fields.update({"login": login, "password": password})
    status, final, _html = session.post("/login/", fields)
    if status != 200 or final.rstrip("/").endswith("/login") or "pd_key" not in session.cookies():
        raise Refused(f"signing in as {login} failed ({status}, ended on {final})")


def public_forms(session: Session, env: dict[str, str]) -> list[Form]:
    """The sign-in form (with a name no account has) and the demo desk's public forms."""
    anonymous = Session(session.base)
    found = []
    _status, _final, html = anonymous.get("/login/")
    for form in forms_of(session.base + "/login/", html)[1]:
        if "password" in form.fields:
            form.fields["login"] = "nobody@scan.invalid"  # the caseworker's throttle stays 0
            found.append(form)
    desk = subprocess.run(  # noqa: S603 - our own command, fixed arguments
        [sys.executable, "-m", "protectdesk.cli", "shell", "-c", _DESK_ID],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found_id = _UUID.search(desk)
    if found_id is None:
        raise Refused(f"the demo desk has no public form: {desk!r}")
    desk = found_id[0]
    for page in (f"/report/{desk}/", f"/report/{desk}/follow/"):
        _status, final, html = anonymous.get(page)
        found.extend(forms_of(final, html)[1])
    return [form for form in found if not EXCLUDED.search(form.action)]


_DESK_ID = (
    "from protectdesk.intake.models import IntakeDoor; print(IntakeDoor.objects.get().desk_id)"
)


def scan(
    data_dir: Path,
    *,
    pages: int,
    wapiti_seconds: int,
    skip_wapiti: bool,
    only: str = "",
    skip_sqlmap: bool = False,
) -> Summary:
    for tool in ("sqlmap",) + (() if skip_wapiti else ("wapiti",)):
        if shutil.which(tool) is None:
            raise Refused(f"{tool} is not installed (scripts/security.sh installs it)")
    if data_dir.exists():
        shutil.rmtree(data_dir)
    data_dir.mkdir(parents=True)
    out = data_dir / "scan"
    out.mkdir()
    env = {
        **os.environ,
        "PROTECTDESK_DATA_DIR": str(data_dir),
        "PROTECTDESK_DEBUG": "0",
        # sqlmap sends thousands of requests a minute with one token: the limit is not tested here.
        "PROTECTDESK_API_CALLS_PER_MINUTE": "1000000",
    }
    started = time.monotonic()
    protectdesk = [sys.executable, "-m", "protectdesk.cli"]
    for step in (["migrate", "--noinput"], ["demo"]):
        subprocess.run(  # noqa: S603 - our own command, fixed arguments
            [*protectdesk, *step], env=env, check=True, stdout=subprocess.DEVNULL
        )
    timings = {"demo desk": time.monotonic() - started}
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server_log = out / "server.log"
    server = subprocess.Popen(  # noqa: S603 - our own command, fixed arguments
        [*protectdesk, "serve", "--no-worker", f"--bind=127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=server_log.open("wb"),
        start_new_session=True,
    )
    try:
        _wait_until_up(f"{base}/login/", server, timeout_s=120)
        session = Session(base)
        sign_in(session, CASEWORKER, DEMO_PASSWORD)
        mark = time.monotonic()
        summary = crawl(session, ["/"], pages)
        coordinator = Session(base)
        sign_in(coordinator, COORDINATOR, DEMO_PASSWORD)
        tokens = {
            "write": api_token(session, "write", DEMO_PASSWORD),
            "statistics": api_token(coordinator, "statistics", DEMO_PASSWORD),
        }
        summary.api, operations = api_operations(session, tokens)
        summary.forms += public_forms(session, env) + operations
        timings["crawl"] = time.monotonic() - mark
        cookies = session.cookies()
        mark = time.monotonic()
        if only:
            summary.forms = [f for f in summary.forms if re.search(only, f.action)]
        if not skip_sqlmap:
            summary.findings += run_sqlmap(summary.forms, base, cookies, out, summary.untested)
        timings["sqlmap"] = time.monotonic() - mark
        if not skip_wapiti:
            mark = time.monotonic()
            summary.findings += run_wapiti(base, cookies, out, wapiti_seconds)
            timings["wapiti"] = time.monotonic() - mark
        if session.get("/")[1].rstrip("/").endswith("/login"):
            summary.findings.append("the session was signed out during the scan")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
    summary.findings += server_errors(server_log)
    summary.findings += server_errors(data_dir / "logs" / "protectdesk.log")
    timings["total"] = time.monotonic() - started
    summary.timings = timings
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=Path("var/security"))
    parser.add_argument("--pages", type=int, default=150, help="pages crawled at most")
    parser.add_argument("--wapiti-seconds", type=int, default=600)
    parser.add_argument("--no-wapiti", action="store_true")
    parser.add_argument("--no-sqlmap", action="store_true")
    parser.add_argument("--only", default="", help="sqlmap only the forms whose URL matches")
    args = parser.parse_args(argv)
    try:
        summary = scan(
            args.data_dir.resolve(),
            pages=args.pages,
            wapiti_seconds=args.wapiti_seconds,
            skip_wapiti=args.no_wapiti,
            only=args.only,
            skip_sqlmap=args.no_sqlmap,
        )
    except (Refused, subprocess.CalledProcessError, RuntimeError) as error:
        print(f"make security could not run: {error}", file=sys.stderr)
        return 2
    methods = {m: sum(f.method == m for f in summary.forms) for m in ("get", "post")}
    print(f"pages crawled: {summary.pages}")
    print(f"forms and operations scanned: {len(summary.forms)} ({methods})")
    for form in summary.forms:
        print(f"  {form.method.upper():5} {_shape(form.action)}  {sorted(form.fields)}")
    print(f"API: {summary.api}")
    print("time: " + ", ".join(f"{k} {v:.0f} s" for k, v in summary.timings.items()))
    print(f"not tested by sqlmap: {len(summary.untested)}")
    for line in summary.untested:
        print(f"  {line}")
    print(f"findings: {len(summary.findings)}")
    for finding in summary.findings:
        print(f"  {finding}")
    return 1 if summary.findings else 0


if __name__ == "__main__":
    sys.exit(main())

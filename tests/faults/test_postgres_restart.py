"""PostgreSQL restarted under load, on a server of the test's own (both CI passes run it).

``protectdesk serve`` (gunicorn, one process, four threads) runs against a private PostgreSQL
(:mod:`tests.faults.private_postgres`); three signed-in clients post incidents over HTTP without
pause while the database is restarted twice: ``pg_ctl restart -m fast`` (backends told to
stop) in the middle of the load, then a crash (``stop -m immediate``: every backend killed,
WAL recovery at start) during which the test itself asks for a page and posts an incident.
The app is never restarted. Then:

* every incident the app acknowledged (a redirect to its page) is stored and decrypts to what
  was sent; nothing stored that was not sent, and each stored incident is whole (its audit
  entry is there, ``audit verify`` passes);
* every other answer was the 503 page saying the database is not answering, with
  ``Retry-After``: no 500, no traceback, no dropped connection;
* after each restart every client's posts are acknowledged again.
"""

from __future__ import annotations

import json
import re
import subprocess
import threading
import time
import uuid
from dataclasses import dataclass, field

import pytest
import requests

from tests.cli import PROTECTDESK, CommandLine
from tests.faults.private_postgres import PrivatePostgres, _free_port

PASSWORD = "a long coordinator passphrase"
LOGIN = "coord@desk.example"
OUTAGE = "database is not answering"
WRITERS = 3

OPEN_CASE = """
from protectdesk.accounts.models import User
from protectdesk.cases import actions
from protectdesk.crypto import userkeys
from protectdesk.records.keyring import Keyring
user = User.objects.get(login="{login}")
ring = Keyring(user, userkeys.open_private_key(bytes(user.sealed_private_key), "{password}", str(user.id)))
case = actions.open_case(actor=user, keyring=ring, profile=actions.DefenderProfile(
    kind="individual", country="GT", subdivision="GT-16", name="Rosa Restart Defender"))
print("CASE", case.id)
"""

STORED = """
import json
from protectdesk.accounts.models import User
from protectdesk.audit.models import AuditEntry
from protectdesk.crypto import userkeys
from protectdesk.incidents.models import Incident
from protectdesk.records.keyring import Keyring
user = User.objects.get(login="{login}")
ring = Keyring(user, userkeys.open_private_key(bytes(user.sealed_private_key), "{password}", str(user.id)))
titles = {{str(i.id): ring.opened(i).title for i in Incident.objects.all()}}
audited = sorted(AuditEntry.objects.filter(action="incident.created").values_list("object_id", flat=True))
print("STORED" + json.dumps({{"titles": titles, "audited": audited}}))
"""


def _csrf(page: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert found, page[:500]
    return found.group(1)


def _incident(title: str, token: str) -> dict[str, object]:
    return {
        "csrfmiddlewaretoken": token,
        "title": title,
        "when": "2026-10-12",
        "country": "GT",
        "subdivision": "GT-16",
        "types": ["intimidation"],
        "nature": "physical",
        "narrative": f"What happened, for {title}.",
        "authority_response": "not_reported",
        "perpetrators-TOTAL_FORMS": "0",
        "perpetrators-INITIAL_FORMS": "0",
        "sources-TOTAL_FORMS": "0",
        "sources-INITIAL_FORMS": "0",
    }


@dataclass
class Outcome:
    title: str
    status: int
    at: float
    incident: str = ""  # the id the redirect named, when acknowledged
    body: str = ""
    retry_after: str = ""


@dataclass
class Client:
    base: str
    case: str
    session: requests.Session = field(default_factory=requests.Session)
    token: str = ""

    def sign_in(self) -> None:
        page = self.session.get(f"{self.base}/login/", timeout=30)
        signed = self.session.post(
            f"{self.base}/login/",
            {"csrfmiddlewaretoken": _csrf(page.text), "login": LOGIN, "password": PASSWORD},
            allow_redirects=False,
            timeout=30,
        )
        assert signed.status_code == 302 and signed.headers["Location"] == "/", signed.text[:500]
        form = self.session.get(f"{self.base}/cases/{self.case}/incidents/new/", timeout=30)
        assert form.status_code == 200
        self.token = _csrf(form.text)

    def post(self, title: str) -> Outcome:
        response = self.session.post(
            f"{self.base}/cases/{self.case}/incidents/new/",
            _incident(title, self.token),
            allow_redirects=False,
            timeout=60,
        )
        outcome = Outcome(title, response.status_code, time.monotonic())
        if response.status_code == 302:
            found = re.search(r"/incidents/([0-9a-f-]{36})/$", response.headers["Location"])
            outcome.incident = found.group(1) if found else ""
        else:
            outcome.body = response.text
            outcome.retry_after = response.headers.get("Retry-After", "")
        return outcome


@pytest.fixture
def private_postgres():
    server = PrivatePostgres()
    try:
        yield server
    finally:
        server.close()


def _serve(cli: CommandLine, port: int, log) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [*PROTECTDESK, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads",
         "4", "--no-worker"],
        env=cli.env(), stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip


def _wait_until_serving(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, "protectdesk serve exited"
        try:
            if requests.get(f"{base}/login/", timeout=5).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    raise AssertionError("protectdesk serve did not start")


def test_postgresql_restarted_under_load_loses_nothing(private_postgres, tmp_path):
    pg = private_postgres
    cli = CommandLine(tmp_path / "data", pg.create_database("desk"))
    cli.data_dir.mkdir()
    cli.run("migrate", "--noinput")
    (tmp_path / "pw").write_text(PASSWORD + "\n")
    cli.run("init", "--desk-name", "Desk", "--country", "GT", "--email", LOGIN,
            "--password-file", str(tmp_path / "pw"), "--no-staff-2fa")  # fmt: skip
    made = cli.run("shell", "-c", OPEN_CASE.format(login=LOGIN, password=PASSWORD)).stdout
    case = made.split("CASE ", 1)[1].split()[0]
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    with open(tmp_path / "serve.log", "wb") as log:
        server = _serve(cli, port, log)
    try:
        _wait_until_serving(base, server)
        outcomes, errors = _drive_load_through_two_restarts(pg, base, case)
        # The app, never restarted, serves normally.
        after = Client(base, case)
        after.sign_in()
        page = after.session.get(f"{base}/cases/{case}/", timeout=30)
        assert page.status_code == 200 and "Rosa Restart Defender" in page.text
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert not errors, errors
    serve_log = (tmp_path / "serve.log").read_text(errors="replace")

    # Every answer was an acknowledgement or the outage page.
    acknowledged = {o.incident: o.title for o in outcomes if o.status == 302}
    refused = [o for o in outcomes if o.status != 302]
    assert all(acknowledged) and len(acknowledged) == sum(o.status == 302 for o in outcomes)
    for outcome in refused:
        assert outcome.status == 503, (outcome.status, outcome.body[:2000], serve_log[-3000:])
        assert OUTAGE in outcome.body and "Traceback" not in outcome.body
        assert outcome.retry_after == "30"
    assert refused, "the outage was never met"

    # Nothing acknowledged is lost; nothing stored is half-written or unknown.
    stored = json.loads(
        cli.run("shell", "-c", STORED.format(login=LOGIN, password=PASSWORD)).stdout.split(
            "STORED", 1
        )[1]
    )
    titles = stored["titles"]
    for incident, title in acknowledged.items():
        assert titles.get(incident) == title, f"acknowledged incident {title!r} lost"
    sent = {o.title for o in outcomes}
    assert set(titles.values()) <= sent
    assert len(set(titles.values())) == len(titles), "an incident stored twice"
    assert sorted(titles) == stored["audited"], "an incident without its audit entry"
    assert cli.run("audit", "verify").returncode == 0


def _drive_load_through_two_restarts(
    pg: PrivatePostgres, base: str, case: str
) -> tuple[list[Outcome], list[str]]:
    outcomes: list[Outcome] = []
    errors: list[str] = []
    stop = threading.Event()
    tag = uuid.uuid4().hex[:8]

    # Signed in one after the other: parallel sign-ins of one account are the throttle's
    # business (it counts each attempt before checking the password), not this test's.
    clients = [Client(base, case) for _ in range(WRITERS + 1)]
    for client in clients:
        client.sign_in()
    *loaders, probe = clients

    def write(number: int) -> None:
        client = loaders[number]
        try:
            sent = 0
            while not stop.is_set():
                outcomes.append(client.post(f"Restart {tag} {number}-{sent}"))
                sent += 1
        except Exception as error:  # reported by the test
            errors.append(f"writer {number}: {error!r}")

    def acknowledged_since(moment: float) -> set[str]:
        return {
            o.title.split()[-1].split("-")[0]
            for o in outcomes
            if o.status == 302 and o.at > moment and "probe" not in o.title
        }

    def every_writer_acknowledged_since(moment: float) -> None:
        deadline = time.monotonic() + 30
        while len(acknowledged_since(moment)) < WRITERS and not errors:
            assert time.monotonic() < deadline, "the app did not serve again after the restart"
            time.sleep(0.1)

    writers = [threading.Thread(target=write, args=(n,), daemon=True) for n in range(WRITERS)]
    for thread in writers:
        thread.start()
    try:
        every_writer_acknowledged_since(0)
        pg.restart("fast")
        every_writer_acknowledged_since(time.monotonic())
        pg.stop("immediate")
        page = probe.session.get(f"{base}/cases/{case}/", timeout=30)
        during = [
            Outcome("probe page", page.status_code, time.monotonic(), body=page.text,
                    retry_after=page.headers.get("Retry-After", "")),
            probe.post(f"Restart {tag} probe-0"),
        ]  # fmt: skip
        assert [o.status for o in during] == [503, 503], [o.body[:1000] for o in during]
        outcomes.extend(during)
        pg.start()
        every_writer_acknowledged_since(time.monotonic())
    finally:
        stop.set()
        for thread in writers:
            thread.join(timeout=60)
    return outcomes, errors

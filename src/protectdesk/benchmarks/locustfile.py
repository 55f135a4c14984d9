"""The simulated caseworkers of the load run (run by locust in a process of its own).

Each simulated user signs in through the real login form with one of the generated
caseworker accounts (each account used once), then works as a caseworker does: the desk's
incident list, their cases, an incident, a risk analysis, the plan, a keyword search, with a
think time between pages. Links are taken from the pages themselves, so the users only ever
open what their own pages show them.

Set by :mod:`protectdesk.benchmarks.load` through the environment: ``PD_LOAD_LOGINS`` (a file,
one login per line), ``PD_LOAD_PASSWORD_FILE`` (a file only the owner can read),
``PD_LOAD_THINK`` (``low,high`` seconds) and ``PD_LOAD_OUT`` (where each request's name,
time and outcome are written, one JSON object per line).

Imported only by locust: it patches the standard library for gevent on import.
"""

from __future__ import annotations

import json
import os
import random
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from locust import HttpUser, between, events, task

_LOGINS: Iterator[str] = iter(
    Path(os.environ["PD_LOAD_LOGINS"]).read_text(encoding="utf-8").split()
)
_PASSWORD = Path(os.environ["PD_LOAD_PASSWORD_FILE"]).read_text(encoding="utf-8").splitlines()[0]
_LOW, _HIGH = (float(v) for v in os.environ.get("PD_LOAD_THINK", "5,10").split(","))
_OUT = open(os.environ["PD_LOAD_OUT"], "a", encoding="utf-8")  # noqa: SIM115 - for the run

_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
#: What a caseworker's pages link to, by kind: (name, pattern of the path).
_KINDS = [
    ("case page", re.compile(rf'href="(/cases/{_UUID}/)"')),
    ("incident page", re.compile(rf'href="(/cases/{_UUID}/incidents/{_UUID}/)"')),
    ("risk analysis page", re.compile(rf'href="(/cases/{_UUID}/risk/{_UUID}/)"')),
    ("plan page", re.compile(rf'href="(/cases/{_UUID}/plan/)"')),
]
_WORDS = ["vehículo", "amenaza", "threat", "police", "menace", "ameaça", "camioneta", "land"]


@events.request.add_listener  # type: ignore[untyped-decorator]
def _record(request_type: str, name: str, response_time: float, exception: Any, **_kw: Any) -> None:
    row = {
        "name": name,
        "ms": response_time,
        "error": repr(exception) if exception else "",
        "at": time.time(),  # when it ended
    }
    _OUT.write(json.dumps(row) + "\n")
    _OUT.flush()


class Caseworker(HttpUser):
    wait_time = between(_LOW, _HIGH)

    def on_start(self) -> None:
        self.seen: dict[str, set[str]] = {name: set() for name, _ in _KINDS}
        login = next(_LOGINS)
        page = self.client.get("/login/", name="login form")
        token = _TOKEN.search(page.text)
        with self.client.post(
            "/login/",
            {
                "login": login,
                "password": _PASSWORD,
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            headers={"Referer": f"{self.host}/login/"},
            name="sign in",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302 or "pd_key" not in self.client.cookies:
                response.failure(f"signing in failed ({response.status_code})")
        self._get("/", "home")
        self._get("/incidents/", "incident list")

    def _get(self, path: str, name: str) -> None:
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
                return
            self._learn(response.text)

    def _learn(self, html: str) -> None:
        for name, pattern in _KINDS:
            self.seen[name].update(pattern.findall(html))

    def _visit(self, kind: str) -> None:
        if self.seen[kind]:
            self._get(random.choice(sorted(self.seen[kind])), kind)  # noqa: S311 - not a secret
        else:
            self._get("/incidents/", "incident list")

    @task(3)
    def incident_list(self) -> None:
        page = random.randint(1, 5)  # noqa: S311 - not a secret
        self._get(f"/incidents/?page={page}", "incident list")

    @task(3)
    def case_page(self) -> None:
        self._visit("case page")

    @task(3)
    def incident_page(self) -> None:
        self._visit("incident page")

    @task(1)
    def risk_analysis_page(self) -> None:
        self._visit("risk analysis page")

    @task(1)
    def plan_page(self) -> None:
        self._visit("plan page")

    @task(1)
    def keyword_search(self) -> None:
        page = self.client.get("/search/", name="search form")
        token = _TOKEN.search(page.text)
        with self.client.post(
            "/search/",
            {
                "query": random.choice(_WORDS),  # noqa: S311 - not a secret
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            headers={"Referer": f"{self.host}/search/"},
            name="keyword search",
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
            else:
                self._learn(response.text)

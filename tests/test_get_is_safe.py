"""GET never changes state: only the session and record_access() audit rows may move."""

import pytest
from django.urls import reverse

from tests.dbstate import snapshot
from tests.routes import MATRIX, PERSONAS
from tests.test_authorization_matrix import _client_for


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_get_route_writes(desks, persona):
    client = _client_for(desks, persona)
    for name, route in sorted(MATRIX.items()):
        if route.method != "GET":
            continue
        url = reverse(name, kwargs=route.kwargs(desks))
        before = snapshot()
        client.get(url)
        after = snapshot()
        changed = [table for table in before if before[table] != after.get(table)]
        assert not changed, f"GET {name} as {persona} changed {changed}"

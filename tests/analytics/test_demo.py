"""The demo desk's analyst sees something in every view: k = 5 does not blank the demo."""

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from protectdesk import demo
from protectdesk.accounts.models import User
from protectdesk.analytics import queries
from protectdesk.analytics.catalogue import VIEWS
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_desk(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        demo.create_demo()
        yield
        transaction.set_rollback(True)


def test_every_view_of_the_demo_shows_numbers(demo_desk):
    analyst = User.objects.get(login=demo.ANALYST)
    assert not analyst.case_memberships.exists()
    scope = queries.own_scope(analyst)
    shown = {}
    for view in VIEWS.values():
        published = queries.publish(view, scope, {})
        shown[view.slug] = (
            published.release.counted,
            published.release.released,
            [t.total for t in published.tables],
        )
    print(shown)
    for slug, (counted, released, totals) in shown.items():
        assert released > 0, (slug, counted)
        assert all(total == released for total in totals), slug
    client = Client()
    sign_in(client, demo.ANALYST, demo.DEMO_PASSWORD)
    page = client.get(reverse("analytics:view", args=["incidents-by-type"]))
    assert page.status_code == 200 and "<table" in page.content.decode()

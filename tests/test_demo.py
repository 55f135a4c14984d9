"""The demo desk: fictional, encrypted through the real path, usable as the README promises.

The demo is made once for this module (it writes a few hundred incidents) inside a
transaction that is rolled back at the end; each test runs in a savepoint within it.
"""

import random
import re
from collections import Counter
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from protectdesk import demo, demo_generated, vocabularies
from protectdesk.accounts.models import User
from protectdesk.attachments.models import Attachment
from protectdesk.cases.models import Defender
from protectdesk.demo_texts import fill
from protectdesk.incidents.models import Incident, IncidentPerpetrator
from protectdesk.plans.models import Measure, PlanVersion
from protectdesk.records.models import CaseMember
from protectdesk.risk.models import CaseRisk
from protectdesk.search import queries
from protectdesk.threats import actions as threat_actions
from protectdesk.threats.models import Escalation, ThreatAssessment
from tests.conftest import keyring_of, sign_in

pytestmark = pytest.mark.django_db

STAFF = (demo.COORDINATOR, demo.CASEWORKER, demo.CASEWORKER2)

#: Words only one of the four languages uses often: how the tests tell a text's language.
KNOWN_WORDS = {
    "es": {"el", "los", "las", "del", "al", "y", "una", "su", "sus", "nadie", "varias", "varios"}
    | {"hasta", "cuando", "dijeron", "quedaron", "entraron", "recibió", "quien"}
    | {"amenaza", "muerte", "mensaje", "donde", "llamadas", "hombres"},
    "pt": {"o", "os", "do", "dos", "da", "das", "uma", "não", "na", "ao", "foi", "com", "pelo"}
    | {"pela", "ninguém", "várias", "vários", "até", "quando", "disseram", "quem"}
    | {"ameaça", "morte", "mensagem", "onde", "ligações", "homens"},
    "fr": {"le", "les", "des", "du", "une", "est", "été", "ont", "dans", "et", "au", "pas"}
    | {"personne", "plusieurs", "depuis", "quand", "ils", "pendant", "pour", "fois"}
    | {"menace", "mort", "où", "appels", "hommes"},
    "en": {"the", "and", "was", "were", "their", "of", "to", "with", "at", "for", "over", "an"}
    | {"nobody", "several", "since", "they", "when", "into", "during"}
    | {"threat", "death", "where", "calls", "men"},
}
LANGUAGE_OF = {"CO": "es", "MX": "es", "BR": "pt", "CD": "fr", "SN": "fr", "HT": "fr"} | {
    "KE": "en",
    "PH": "en",
    "TH": "en",
}


def language_of(text: str) -> str:
    """The language whose known words the text uses most ("?" if none or a tie)."""
    words = re.findall(r"\w+", text.lower())
    scores = Counter({lang: sum(w in known for w in words) for lang, known in KNOWN_WORDS.items()})
    (best, top), (_second, runner_up) = scores.most_common(2)
    return best if top > runner_up else "?"


@pytest.fixture(scope="module")
def demo_desk(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        demo.create_demo()
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def keyrings(demo_desk, django_db_blocker):
    with django_db_blocker.unblock():
        return {
            login: keyring_of(User.objects.get(login=login), demo.DEMO_PASSWORD) for login in STAFF
        }


def opened_incidents(keyrings):
    """Every incident with its decrypted texts, read by the first staff member who can."""
    for incident in Incident.objects.select_related("case"):
        keyring = next(k for k in keyrings.values() if k.can_open(incident.case_id))
        yield incident, keyring.opened(incident)


def test_every_demo_account_signs_in_with_the_documented_password(demo_desk):
    for account in demo.ACCOUNTS:
        sign_in(Client(), account.login, demo.DEMO_PASSWORD)


def test_the_demo_spans_countries_kinds_and_two_years(demo_desk):
    defenders = list(Defender.objects.all())
    kinds = Counter(d.kind for d in defenders)
    assert {"individual", "organisation", "network", "community"} == set(kinds)
    assert min(kinds.values()) >= 2, kinds
    assert len({d.country for d in defenders}) >= 3
    assert 20 <= len(defenders) <= 26
    incidents = list(Incident.objects.all())
    assert len(incidents) >= 300
    months = sorted(i.month for i in incidents if i.month)
    first, last = (date.fromisoformat(m + "-01") for m in (months[0], months[-1]))
    assert (last.year - first.year) * 12 + last.month - first.month >= 18
    precisions = Counter(i.date_precision for i in incidents)
    assert precisions["month"] >= 10 and precisions["year"] >= 5, precisions
    assert len({code for i in incidents for code in i.types}) >= 15
    assert len({i.authority_response for i in incidents}) >= 5
    assert IncidentPerpetrator.objects.count() >= 50
    for subdivision, country in {(i.subdivision, i.country) for i in incidents if i.subdivision}:
        assert vocabularies.is_subdivision_of(subdivision, country), subdivision


def test_generated_texts_are_in_the_language_of_the_defenders_country(demo_desk, keyrings):
    languages = Counter()
    for incident, opened in opened_incidents(keyrings):
        language = language_of(f"{opened.title} {opened.narrative} {opened.consequences}")
        expected = LANGUAGE_OF.get(incident.country)
        if expected:  # Guatemala's hand-written cases are in Spanish and English
            assert language == expected, (incident.country, str(opened.narrative))
        languages[language] += 1
    assert min(languages[language] for language in KNOWN_WORDS) >= 30, languages


def test_slots_are_filled_and_articles_contracted(demo_desk, keyrings):
    for _incident, opened in opened_incidents(keyrings):
        for name in ("title", "narrative", "place", "consequences", "reaction", "analysis"):
            value = str(getattr(opened, name))
            assert "{" not in value and "}" not in value, value
            assert not re.search(r"\b(de el|a el|de a|em o|em a|de le|à le)\b", value), value
    assert fill("pt", "perto de {place}", {"place": "a sede"}) == "perto da sede"
    assert fill("fr", "à {place} de {subject}", {"place": "le marché", "subject": "Espérance"}) == (
        "au marché d'Espérance"
    )


def test_caseworkers_find_incidents_in_each_language_of_their_cases(demo_desk, keyrings):
    for login, language, query in [
        (demo.CASEWORKER, "es", "camioneta blanca"),  # the hand-written Río Verde case
        (demo.CASEWORKER, "en", "followed newsroom"),  # the hand-written journalist
        (demo.CASEWORKER, "fr", "comité quartier"),
        (demo.CASEWORKER, "pt", "coletivo"),
        (demo.CASEWORKER2, "pt", "quilombola"),
        (demo.CASEWORKER2, "en", "tribal council"),
    ]:
        keyring = keyrings[login]
        mine = set(CaseMember.objects.filter(user=keyring.user).values_list("case_id", flat=True))
        results = queries.search(keyring, query)
        assert results.total >= 1, (login, query)
        assert {hit.case.id for hit in results.hits} <= mine
        countries = set(
            Defender.objects.filter(case_id__in={h.case.id for h in results.hits}).values_list(
                "country", flat=True
            )
        )
        assert countries == {"GT"} or language in {LANGUAGE_OF.get(c) for c in countries}


def test_need_to_know_holds_between_the_demo_staff(demo_desk, keyrings):
    members = {
        login: set(
            CaseMember.objects.filter(user__login=login, kind="staff").values_list(
                "case_id", flat=True
            )
        )
        for login in (*STAFF, "admin@demo.example")
    }
    assert not members["admin@demo.example"]
    one, two = members[demo.CASEWORKER], members[demo.CASEWORKER2]
    assert len(one - two) >= 5 and len(two - one) >= 5
    assert 3 <= len(members[demo.COORDINATOR]) < len(one | two)
    caseworker2 = keyrings[demo.CASEWORKER2]
    assert not any(caseworker2.can_open(case_id) for case_id in one - two)
    assert queries.search(caseworker2, "camioneta blanca").total == 0  # not their case
    assert not any(keyrings[demo.CASEWORKER].can_open(case_id) for case_id in two - one)


def test_the_demo_shows_escalating_flagged_cases_and_assessments_in_two_languages(
    demo_desk, keyrings
):
    threat_actions.refresh_all_flags()  # as `protectdesk serve` does when it starts
    flagged = {
        row.case.reference: [flag["code"] for flag in row.flags]
        for row in Escalation.objects.exclude(flags=[]).select_related("case")
    }
    rosa = next(
        a.case for a in ThreatAssessment.objects.filter(steps_done=5).select_related("case")
    )
    # Stored at month precision; which months the dates fall in depends on the day the demo
    # is made, but these hold on any day (the incidents are 75, 40, 12 and 5 days old).
    assert {"more_often", "repeated_perpetrator", "likely_threat"} <= set(flagged[rosa.reference])
    caseworker = keyrings[demo.CASEWORKER]
    titles = {caseworker.opened(a).title: a.steps_done for a in ThreatAssessment.objects.all()}
    assert titles["Amenaza de muerte a Rosa por hablar con la prensa"] == 5  # Spanish, all steps
    assert titles["“We know where she lives”: smear campaign turning to threats"] == 3  # English

    # The generated escalating case: a threat two months ago, an attempt on her life 3 days ago,
    # the same armed group behind the last three months — in two different months on any day.
    yolanda = next(
        d.case
        for d in Defender.objects.filter(kind="individual", country="CO").select_related("case")
    )
    assert {"repeated_perpetrator", "threat_then_physical"} <= set(flagged[yolanda.reference])
    worst = Escalation.objects.order_by("-gravity").first()
    assert worst is not None and worst.case_id == yolanda.id

    client = Client()
    sign_in(client, demo.COORDINATOR, demo.DEMO_PASSWORD)
    page = client.get("/flagged/").content.decode()
    assert rosa.reference in page and "Rosa Caal" not in page  # the coordinator is no member
    assert yolanda.reference in page and "Yolanda" not in page
    # The caseworker, a member, sees the threat followed by the attack (exact dates).
    worker = Client()
    sign_in(worker, demo.CASEWORKER, demo.DEMO_PASSWORD)
    case_page = worker.get(f"/cases/{rosa.id}/").content.decode()
    assert "From words to acts" in case_page and "Agresión en el camino" in case_page
    case_page = worker.get(f"/cases/{yolanda.id}/").content.decode()
    assert "From words to acts" in case_page and "Disparos contra la vivienda" in case_page


def test_generated_cases_have_plans_risk_bands_and_attachments(demo_desk, keyrings):
    planned = [p for p in demo_generated.DEFENDERS if p.plan is not None]
    assert len(planned) >= 4
    with_plan = set(PlanVersion.objects.values_list("case_id", flat=True))
    banded = set(CaseRisk.objects.values_list("case_id", flat=True))
    names = {}
    for defender in Defender.objects.all():
        keyring = next(k for k in keyrings.values() if k.can_open(defender.case_id))
        names[str(keyring.opened(defender).name)] = defender.case_id
    for person in planned:
        case_id = names[str(person.profile.name)]
        assert case_id in with_plan, person.profile.name
        assert Measure.objects.filter(case_id=case_id).count() >= 3
        assert (case_id in banded) == person.risk, person.profile.name
    files = Attachment.objects.filter(record_type="incidents.incident")
    assert files.count() >= sum(p.attachments for p in demo_generated.DEFENDERS) >= 5


def test_the_demo_is_idempotent(demo_desk):
    incidents = Incident.objects.count()
    out = StringIO()
    call_command("demo", "--if-empty", stdout=out)
    assert "already exists" in out.getvalue()
    assert Incident.objects.count() == incidents
    assert demo.demo_exists()


def test_each_generated_log_is_the_same_on_every_run():
    for index, person in enumerate(demo_generated.DEFENDERS):
        first = demo_generated.schedule(person, random.Random(f"protectdesk-demo-{index}"))  # noqa: S311 - seeded
        again = demo_generated.schedule(person, random.Random(f"protectdesk-demo-{index}"))  # noqa: S311 - seeded
        assert first == again and len(first) == person.incidents
        if person.tension == "calm":
            assert not {c for p in first for c in p.types} & demo_generated.THREAT_OR_HARM
            named = [p.actor for p in first if p.actor is not None]
            assert len(named) == len(set(named))  # no actor named twice: no repeated-actor flag


def test_every_template_exists_in_every_language_and_names_known_codes():
    types = {term.code for term in vocabularies.load("incident_types").terms}
    used = {code for mix in demo_generated.MIXES.values() for code in mix}
    used |= {code for _days, code in demo_generated.ESCALATION}
    assert used <= types
    for language, texts in demo_generated.TEXTS.items():
        assert used <= set(texts.variants), language
        assert set(texts.authority) <= {
            t.code for t in vocabularies.load("authority_responses").terms
        }
        for person in demo_generated.DEFENDERS:
            if person.language == language and person.plan is not None:
                assert person.plan < len(texts.plans)
    for person in demo_generated.DEFENDERS:
        assert vocabularies.is_subdivision_of(person.profile.subdivision, person.profile.country)
        assert all(
            vocabularies.is_subdivision_of(r, person.profile.country) for r in person.regions
        )
        for variant in (
            v for vs in demo_generated.TEXTS[person.language].variants.values() for v in vs
        ):
            assert person.places[variant.where], (person.profile.name, variant.where)


def test_the_demo_runs_two_workshops_with_results_and_coaching(demo_desk, keyrings):
    from protectdesk.training import queries as training_queries
    from protectdesk.training.models import CoachingSession, Workshop

    workshops = list(Workshop.objects.all())
    assert len(workshops) == 2
    assert all(w.case.kind == "workshop" for w in workshops)
    trainer = User.objects.get(login=demo.TRAINER)
    keyring = keyring_of(trainer, demo.DEMO_PASSWORD)
    for workshop in workshops:
        found = training_queries.results(keyring, trainer, workshop)
        assert found is not None and found.result.participants >= 5
        assert found.result.improved >= 4 and found.result.mean_change > 0
    # The linked defender: her name for the caseworker (a member of her case), not the trainer.
    rio_verde = next(w for w in workshops if w.subdivision == "GT-16")
    by_trainer = {r.name for r in training_queries.participant_rows(keyring, rio_verde)}
    by_caseworker = {
        r.name for r in training_queries.participant_rows(keyrings[demo.CASEWORKER], rio_verde)
    }
    assert not any("Rosa Caal" in name for name in by_trainer)
    assert any("Rosa Caal" in name for name in by_caseworker)
    # One coaching action became a measure of Rosa's plan; two follow-ups are due soon.
    assert CoachingSession.objects.count() == 3
    caseworker = keyrings[demo.CASEWORKER]
    rosa = next(
        d.case_id
        for d in Defender.objects.all()
        if caseworker.can_open(d.case_id) and caseworker.text(d, "name") == "Rosa Caal (fictional)"
    )
    measures = [caseworker.text(m, "description") for m in Measure.objects.filter(case_id=rosa)]
    assert "Agree a second alert signal with the community radio for nights." in measures
    client = Client()
    sign_in(client, demo.TRAINER, demo.DEMO_PASSWORD)
    home = client.get("/").content.decode()
    assert "Coaching follow-ups due" in home and "Marta Choc" in home and "Lucía Ajú" in home
    # Never on the case lists or the coordinator's counts.
    coordinator = Client()
    sign_in(coordinator, demo.COORDINATOR, demo.DEMO_PASSWORD)
    cases_page = coordinator.get("/cases/").content.decode()
    assert all(w.case.reference not in cases_page for w in workshops)
    training_page = coordinator.get("/training/").content.decode()
    assert all(w.case.reference in training_page for w in workshops)
    assert "Marta Choc" not in training_page  # the coordinator is no trainer of either


def test_the_demo_has_a_partner_directory_and_referrals(demo_desk, keyrings):
    from protectdesk.partners import queries as partner_queries
    from protectdesk.partners.actions import directory_of

    coordinator = User.objects.get(login=demo.COORDINATOR)
    directory = directory_of(coordinator.desk_id)
    assert directory is not None
    for login in (demo.COORDINATOR, demo.CASEWORKER, demo.CASEWORKER2):
        rows = partner_queries.partner_rows(keyrings[login], directory)
        assert len(rows) == 3 and all("(fictional)" in row.name for row in rows)
    caseworker = keyrings[demo.CASEWORKER]
    rosa = next(
        d.case
        for d in Defender.objects.select_related("case")
        if caseworker.can_open(d.case_id) and caseworker.text(d, "name") == "Rosa Caal (fictional)"
    )
    referrals = partner_queries.referral_rows(caseworker, rosa)
    assert {r.service for r in referrals} == {"Legal aid", "Psychosocial support"}
    measures = [caseworker.text(m, "description") for m in Measure.objects.filter(case=rosa)]
    assert "Referral: Legal aid" in measures


def test_the_demo_observatory_compares_two_countries(demo_desk):
    from protectdesk.advocacy import queries as observatory

    coordinator = User.objects.get(login=demo.COORDINATOR)
    assert {row.country for row in observatory.countries(coordinator)} == {"GT", "HN"}
    result = observatory.compare(coordinator, ["GT", "HN"])
    assert [n for _name, n in result.counted] == [2, 1]
    assert all(value != "—" for _name, value in result.overall)


def test_the_demo_takes_a_communication_through_its_life_and_a_video_waits_for_consent(
    demo_desk, keyrings
):
    from protectdesk.advocacy import dossier, videos
    from protectdesk.advocacy.models import Communication, Video
    from protectdesk.records import registry

    caseworker = keyrings[demo.CASEWORKER]
    appeal, waiting = sorted(Communication.objects.all(), key=lambda c: c.status == "draft")
    assert appeal.status == "answered" and appeal.has_consent and appeal.due_on
    assert len(caseworker.open_value(appeal, "follow_ups")) == 2
    built = dossier.assemble(caseworker, appeal)
    dossier.check_exportable(appeal, built)  # exportable as it stands
    assert len(built.violations) == 3 and built.perpetrators
    assert [v.on for v in built.violations] == sorted(v.on for v in built.violations)
    with pytest.raises(dossier.DossierRefused):  # the second one has no consent yet
        dossier.check_exportable(waiting, dossier.assemble(caseworker, waiting))
    clip = Video.objects.get()
    consents = sorted(p.consent for p in clip.people.all())
    assert consents == ["", "blurred_voice", "identified", "refused"]
    assert len(videos.blockers(clip)) == 1  # the young man not asked yet
    user = User.objects.get(login=demo.CASEWORKER)
    reminders = registry.reminders_for(user, date.today())
    assert any("communication" in r.text for r in reminders)

"""Library full-text search: inflected words in each language, on whichever database runs the
suite (CI runs it on SQLite and on PostgreSQL), and who sees what."""

from __future__ import annotations

import pytest

from protectdesk.library import actions, fulltext, queries
from protectdesk.library.models import Resource, Status, Version
from protectdesk.records.actions import EditConflict

TEXTS = {
    "en": ("Facing threats", "How defenders assess the threats they receive."),
    "es": ("Frente a las amenazas", "Cómo las defensoras evalúan las amenazas que reciben."),
    "fr": ("Face aux menaces", "Comment les défenseures évaluent les menaces reçues."),
    "pt": ("Diante das ameaças", "Como as defensoras avaliam as ameaças que recebem."),
}
#: A different inflection of a word of each text: found only through stemming.
INFLECTED = {"en": "threat", "es": "amenaza", "fr": "menace", "pt": "ameaça"}


def _resource(actor, slug="facing-threats", languages=("en", "es", "fr", "pt")) -> Resource:
    """A draft guide with a version in each of ``languages`` (TEXTS)."""
    return actions.create_with_versions(
        author=actor,
        data=actions.ResourceData(
            slug=slug,
            kind="guide",
            audience="defenders",
            topics=("threat_assessment",),
            licence="cc-by-4.0",
        ),
        versions=[
            (actions.VersionData(code, TEXTS[code][0], body=TEXTS[code][1]), None)
            for code in languages
        ],
    )


def _publish(actor, resource: Resource) -> Resource:
    resource.refresh_from_db()
    return actions.set_published(
        actor=actor, resource=resource, published=True, expected_version=resource.row_version
    )


@pytest.mark.parametrize("language", ["en", "es", "fr", "pt"])
def test_an_inflected_word_finds_the_version_in_its_language(desks, language):
    resource = _publish(desks.coordinator, _resource(desks.caseworker))
    word = INFLECTED[language]
    assert word.casefold() not in TEXTS[language][1].casefold().split(), "not the same word"

    found = queries.search(None, word, [language])
    assert [(f.version.resource_id, f.version.language) for f in found] == [(resource.id, language)]


def test_every_word_must_be_there_and_the_title_ranks_first(desks):
    _publish(desks.coordinator, _resource(desks.caseworker))
    other = actions.create_resource(
        actor=desks.caseworker,
        data=actions.ResourceData(
            slug="receiving",
            kind="tool",
            audience="defenders",
            topics=("incidents",),
            licence="cc0-1.0",
        ),
    )
    actions.save_version(
        actor=desks.caseworker,
        resource=other,
        data=actions.VersionData("en", "Receiving calls", body="A note on threats."),
        expected_version=None,
    )
    _publish(desks.coordinator, other)
    ranked = [f.version.title for f in queries.search(None, "threats", ["en"])]
    assert ranked == ["Facing threats", "Receiving calls"]
    assert [f.version.title for f in queries.search(None, "threats assessing", ["en"])] == [
        "Facing threats"
    ]
    assert queries.search(None, "threats elephants", ["en"]) == []


def test_drafts_are_for_the_staff_of_their_desk(desks):
    _resource(desks.caseworker)  # a draft
    assert queries.search(None, "threat", ["en"]) == []
    assert queries.search(desks.defender, "threat", ["en"]) == []
    assert queries.search(desks.outsider, "threat", ["en"]) == []
    assert len(queries.search(desks.caseworker2, "threat", ["en"])) == 1


def test_saving_again_replaces_the_entry_and_deleting_removes_it(desks):
    resource = _publish(desks.coordinator, _resource(desks.caseworker, languages=("en",)))
    version = Version.objects.get(resource=resource, language="en")
    actions.save_version(
        actor=desks.coordinator,  # published: a coordinator's to change
        resource=resource,
        data=actions.VersionData("en", "Walking home", body="Routes and companions."),
        expected_version=version.row_version,
    )
    assert queries.search(None, "threat", ["en"]) == []
    assert [f.version.title for f in queries.search(None, "companion", ["en"])] == ["Walking home"]
    actions.delete_version(
        actor=desks.coordinator,
        version=Version.objects.get(pk=version.pk),
        expected_version=version.row_version + 1,
    )
    assert fulltext.search("companion", ["en"]) == []
    resource.refresh_from_db()
    assert resource.status == Status.DRAFT, "a resource with no version is not published"


def test_a_stale_form_saves_nothing(desks):
    resource = _resource(desks.caseworker, languages=("en",))
    version = Version.objects.get(resource=resource, language="en")
    with pytest.raises(EditConflict):
        actions.save_version(
            actor=desks.caseworker,
            resource=resource,
            data=actions.VersionData("en", "Lost edit", body="elephants"),
            expected_version=version.row_version - 1,
        )
    with pytest.raises(EditConflict):  # the language was added meanwhile by someone else
        actions.save_version(
            actor=desks.caseworker2,
            resource=resource,
            data=actions.VersionData("en", "Lost edit", body="elephants"),
            expected_version=None,
        )
    assert Version.objects.get(pk=version.pk).title == "Facing threats"
    assert fulltext.search("elephants", ["en"]) == []


@pytest.mark.parametrize(
    ("query", "code"), [("threat " * 1000, "too_long"), ("¿?!… — ;;", "no_words"), ("", "no_words")]
)
def test_queries_that_cannot_be_searched_say_why(query, code):
    with pytest.raises(fulltext.BadQuery) as refused:
        fulltext.search(query, ["en"])
    assert refused.value.code == code


def test_publishing_is_for_coordinators_and_needs_a_version(desks):
    empty = actions.create_resource(
        actor=desks.caseworker,
        data=actions.ResourceData(
            slug="empty",
            kind="report",
            audience="networks",
            topics=("gender",),
            licence="cc-by-sa-4.0",
        ),
    )
    with pytest.raises(PermissionError):
        actions.set_published(
            actor=desks.caseworker, resource=empty, published=True, expected_version=1
        )
    with pytest.raises(actions.LibraryRefused) as refused:
        actions.set_published(
            actor=desks.coordinator, resource=empty, published=True, expected_version=1
        )
    assert refused.value.code == "no_version"
    assert Resource.objects.get(pk=empty.pk).status == Status.DRAFT


def test_a_taken_address_and_an_unknown_topic_are_refused(desks):
    _resource(desks.caseworker, languages=())
    for slug, topics, code in (
        ("facing-threats", ("threat_assessment",), "slug_taken"),
        ("Not A Slug", ("threat_assessment",), "slug"),
        ("new-one", ("astrology",), "topics"),
    ):
        with pytest.raises(actions.LibraryRefused) as refused:
            actions.create_resource(
                actor=desks.caseworker2,
                data=actions.ResourceData(
                    slug=slug,
                    kind="guide",
                    audience="defenders",
                    topics=topics,
                    licence="cc-by-4.0",
                ),
            )
        assert refused.value.code == code
    assert Resource.objects.count() == 1

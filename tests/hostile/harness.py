"""What hostile input is, and what a clean answer to it is: shared by the form fuzzing here
and meant for the JSON API's bodies too (``hostile_json``, ``assert_clean_answer``).

A *clean* answer to hostile input is a page or redirect the product chose: 200, a redirect,
a 400 that is the shared error pattern (a ``<title>`` starting "Error:" and the error summary
with ``role="alert"``), 403/404 for a forged reference, 409 for an edit conflict, 413 for a
body too large. Never a 500, never an exception out of the view (Django's test client raises
it), and never one of our markup markers back unescaped (an injection into the page).
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

#: A tag no page of ours contains; seen back unescaped, it is an injection into the page.
MARKER = "<hx-probe>"
CLEAN_STATUSES = {200, 301, 302, 303, 400, 403, 404, 409, 413}

_PAYLOADS = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "' OR '1'='1",
    "1; DROP TABLE incident; --",
    '" onmouseover="alert(1)',
    MARKER,
    f"</textarea>{MARKER}",
    "{{ 7|add:7 }}{% debug %}",
    "%(name)s %s {0}",
    "../../../../etc/passwd",
    "javascript:alert(1)",
    "//evil.example/",
    "\u202e\u200b\ufeff",
    "9" * 400,
    "-1",
    "0",
    "1e309",
    "NaN",
    "2026-02-30",
    "0000-00-00",
    "9999-12-31",
    "31/02/2026",
    "13/2026",
    "２０２６-０１-０１",  # fullwidth digits match \d
    "٢٠٢٦",  # Arabic-Indic digits
    "00000000-0000-0000-0000-000000000000",
    "x" * 70_000,
]

#: Any text a browser could send: every code point but lone surrogates (not encodable).
text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=80)
hostile_text = st.one_of(st.sampled_from(_PAYLOADS), text, text.map(lambda t: MARKER + t))


def hostile_value() -> st.SearchStrategy[Any]:
    """One form value: a string, or several for the same name."""
    return st.one_of(hostile_text, st.lists(hostile_text, min_size=2, max_size=3))


_KEEP, _DROP = object(), object()


@st.composite
def hostile_payload(draw: Any, base: dict[str, Any]) -> dict[str, Any]:
    """``base`` (a valid or nearly valid payload) with each field kept, dropped or replaced by
    hostile values, and sometimes a field the form does not know."""
    out: dict[str, Any] = {}
    for name, value in base.items():
        choice = draw(st.sampled_from([_KEEP, _DROP, None, None]))
        if choice is _KEEP:
            out[name] = value
        elif choice is None:
            out[name] = draw(hostile_value())
    if draw(st.booleans()):
        out[draw(st.sampled_from(["x", "row_version", "__proto__", "csrfmiddlewaretoken"]))] = draw(
            hostile_text
        )
    return out


def hostile_json() -> st.SearchStrategy[Any]:
    """Any JSON document, with the hostile strings as its leaves (for API bodies)."""
    leaves = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**70), max_value=2**70),
        st.floats(allow_nan=False),
        hostile_text,
    )
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4), st.dictionaries(hostile_text, inner, max_size=4)
        ),
        max_leaves=12,
    )


def assert_clean_answer(response: Any, context: str = "") -> None:
    """The response is one the product chose (module docstring); ``context`` names the call."""
    status = response.status_code
    assert status in CLEAN_STATUSES, (context, status)
    if getattr(response, "streaming", False):
        return
    body = response.content.decode(errors="replace")
    assert MARKER not in body, f"{context}: {MARKER} came back unescaped"
    if status == 400 and response.get("Content-Type", "").startswith("text/html"):
        from tests.test_form_errors import Page

        page = Page(body)
        assert page.title.startswith("Error:"), (context, page.title)
        assert page.summary is not None and page.summary.attrs.get("role") == "alert", context

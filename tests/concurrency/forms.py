"""What a browser would send back from a page's form: every field as the page filled it.

The two-editors scenarios open the real edit form and submit it with one field changed, so
whatever the form carries (the row version, hidden fields, formsets) travels exactly as it
would from a browser, and a form that forgets to carry something is caught.
"""

from __future__ import annotations

from html.parser import HTMLParser


class _Form(HTMLParser):
    """The fields of the first ``<form method="post">`` holding a ``row_version`` field."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[list[tuple[str, str]]] = []
        self._fields: list[tuple[str, str]] | None = None
        self._textarea: str | None = None
        self._text = ""
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self._fields = []
        if self._fields is None or ((name := a.get("name")) is None and tag != "option"):
            return
        if tag == "input":
            kind = a.get("type", "text")
            if kind in {"submit", "button", "file"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in a:
                return
            self._fields.append((name or "", a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "textarea":
            self._textarea, self._text = name, ""
        elif tag == "select":
            self._select, self._options = name, []
        elif tag == "option" and self._select is not None:
            self._options.append((a.get("value", ""), "selected" in a))

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if self._fields is None:
            return
        if tag == "textarea" and self._textarea is not None:
            # A browser drops the one newline that may follow <textarea>.
            text = self._text[1:] if self._text.startswith("\n") else self._text
            self._fields.append((self._textarea, text))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            chosen = [value for value, selected in self._options if selected]
            if not chosen and self._options:
                chosen = [self._options[0][0]]  # a single select sends its first option
            self._fields.extend((self._select, value) for value in chosen)
            self._select = None
        elif tag == "form":
            self.forms.append(self._fields)
            self._fields = None


def edit_form(html: str) -> dict[str, str | list[str]]:
    """The edit form's fields (the one carrying ``row_version``), as the test client posts them:
    a name given several times (checkboxes, a multiple select) maps to a list."""
    parser = _Form()
    parser.feed(html)
    parser.close()
    found = [f for f in parser.forms if any(name == "row_version" for name, _v in f)]
    assert found, "no form with a row_version on the page"
    data: dict[str, str | list[str]] = {}
    for name, value in found[0]:
        if name in data:
            existing = data[name]
            data[name] = [*existing, value] if isinstance(existing, list) else [existing, value]
        else:
            data[name] = value
    return data

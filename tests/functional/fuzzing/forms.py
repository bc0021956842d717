"""Read a page's ``<form>`` elements as a browser would submit them, and tell what kind each field is."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser

from tests.functional.fuzzing.values import GOOD_VALUES


@dataclass
class Form:
    page: str
    action: str
    method: str
    #: (name, value) pairs in the order a browser submits them (what the page filled in).
    pairs: list[tuple[str, str]] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    #: What the markup says each field is: date, choice, select, text, or input (any other <input>).
    markup: dict[str, str] = field(default_factory=dict)
    #: Good answers for this route that win over the page's (a real e-mail address, a current code ...).
    good: dict[str, str] = field(default_factory=dict)

    def baseline(self, name: str) -> str:
        """The value sent when the field is left alone: the page's, or a good answer where it has none."""
        if name in self.good:
            return self.good[name]
        value = next((v for n, v in self.pairs if n == name), "")
        return GOOD_VALUES.get(name, value) if value in ("", None) else value

    def kind(self, name: str) -> str:
        """Tell what kind of value the field takes (from its markup, else from its good value)."""
        markup = self.markup.get(name, "input")
        if markup != "input":
            return markup
        value = str(self.baseline(name))
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) or name in ("since", "until"):
            return "date"
        if re.fullmatch(r"-?\d+(\.\d+)?", value) or name == "page" or name.endswith(("Amount", "Income")):
            return "number"
        return "text"


class _FormParser(HTMLParser):
    """Collect each <form>'s action, method and fields as a browser would submit them."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: tuple[str, list[tuple[str, bool]]] | None = None
        self._option: tuple[str | None, bool] | None = None
        self._option_text = ""
        self._textarea: str | None = None
        self._textarea_text = ""
        self._formactions: list[str] = []

    def _add_name(self, name: str, markup: str) -> None:
        if self._form is not None and name and name not in self._form.names:
            self._form.names.append(name)
            self._form.markup[name] = markup

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self._form = Form(page=self.page, action=a.get("action") or self.page,
                              method=(a.get("method") or "get").upper())
            self.forms.append(self._form)
        if self._form is None:
            return
        name = a.get("name", "")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            self._add_name(name, {"date": "date", "checkbox": "choice", "radio": "choice"}.get(kind, "input"))
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._form.pairs.append((name, a.get("value", "on")))
            elif kind not in ("submit", "button", "reset", "image", "file"):
                self._form.pairs.append((name, a.get("value", "")))
        elif tag == "select" and name:
            self._add_name(name, "select")
            self._select = (name, [])
        elif tag == "option" and self._select is not None:
            self._option = (a.get("value"), "selected" in a)
            self._option_text = ""
        elif tag == "textarea" and name:
            self._add_name(name, "text")
            self._textarea, self._textarea_text = name, ""
        elif tag == "button" and name:
            self._add_name(name, "choice")
        if tag in ("button", "input") and a.get("formaction"):  # a submit button sending the form elsewhere
            self._formactions.append(a["formaction"])

    def handle_data(self, data: str) -> None:
        if self._option is not None:
            self._option_text += data
        if self._textarea is not None:
            self._textarea_text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "option" and self._option is not None and self._select is not None:
            value, selected = self._option
            self._select[1].append((self._option_text.strip() if value is None else value, selected))
            self._option = None
        elif tag == "select" and self._select is not None and self._form is not None:
            name, options = self._select
            chosen = [v for v, sel in options if sel] or [v for v, _ in options if v][:1] or [""]
            self._form.pairs.append((name, chosen[0]))
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            self._form.pairs.append((self._textarea, self._textarea_text))
            self._textarea = None
        elif tag == "form":
            if self._form is not None:
                for action in self._formactions:  # the same fields, sent to each button's address
                    self.forms.append(replace(self._form, action=action, pairs=list(self._form.pairs),
                                              names=list(self._form.names), markup=dict(self._form.markup)))
            self._form, self._formactions = None, []


def read_forms(page: str, html: str) -> list[Form]:
    parser = _FormParser(page)
    parser.feed(html)
    return parser.forms

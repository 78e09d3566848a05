"""The page's language: ?lang=zh|en (then kept in a cookie), the cookie, or the
environment's (scheduler.i18n.choose_language)."""

from __future__ import annotations

import contextlib
from http.cookies import SimpleCookie
from urllib.parse import parse_qs

from scheduler.i18n import LANGUAGES, catalogue, choose_language

LANG_COOKIE = "lang"


def language(request_or_scope) -> tuple[str, bool]:
    """The language and whether it was chosen by this request's ?lang=."""
    scope = getattr(request_or_scope, "scope", request_or_scope)
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    asked = query.get("lang", [None])[0]
    if asked in LANGUAGES:
        return asked, True
    cookie = SimpleCookie()
    for key, value in scope.get("headers", []):
        if key == b"cookie":
            with contextlib.suppress(Exception):
                cookie.load(value.decode("latin-1"))
    if LANG_COOKIE in cookie and cookie[LANG_COOKIE].value in LANGUAGES:
        return cookie[LANG_COOKIE].value, False
    return choose_language(None), False


def label(t, text: str) -> str:
    """Data such as a phase or a status translated when the catalogue has it, without
    counting it as missing (it comes from outside the page)."""
    return catalogue(t.lang).get(text, text) if t.lang != "en" else text

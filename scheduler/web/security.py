"""Safe by default: a token on every request when one is set (the server refuses to
listen beyond loopback without one), the Host header checked against DNS rebinding when
it listens on loopback only, forms only from the page's own origin, and request bodies
limited in size (413)."""

from __future__ import annotations

import hmac
from http.cookies import SimpleCookie
from urllib.parse import parse_qs, urlsplit

from starlette.responses import PlainTextResponse

from scheduler.web.config import Settings, is_loopback

TOKEN_COOKIE = "scheduler_token"
TOKEN_HEADER = "x-scheduler-token"


class BodyTooLarge(Exception):
    """A request body above the limit (answered 413 by the app's handler)."""


def _headers(scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}


class Guard:
    """ASGI middleware in front of every route."""

    def __init__(self, app, settings: Settings, refuse_page=None):
        self.app = app
        self.settings = settings
        self.refuse_page = refuse_page
        """refuse_page(scope, status, message) -> a Response (the page in the visitor's
        language); plain text without it."""

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = _headers(scope)
        problem = self.refusal(scope, headers)
        if problem is not None:
            status, message = problem
            response = (self.refuse_page(scope, status, message) if self.refuse_page
                        else PlainTextResponse(message, status_code=status))
            return await response(scope, receive, send)
        set_cookie = self._query_token(scope) is not None
        limit = self.settings.max_upload_bytes
        declared = headers.get("content-length", "")
        too_large = declared.isdigit() and int(declared) > limit
        seen = 0

        async def limited_receive():
            nonlocal seen
            if too_large:
                raise BodyTooLarge()
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge()
            return message

        async def send_with_cookie(message):
            if set_cookie and message["type"] == "http.response.start":
                cookie = (f"{TOKEN_COOKIE}={self.settings.token}; Path=/; HttpOnly; "
                          "SameSite=Strict")
                message = dict(message)
                message["headers"] = [*message.get("headers", []),
                                      (b"set-cookie", cookie.encode("latin-1"))]
            await send(message)

        await self.app(scope, limited_receive, send_with_cookie)

    def _query_token(self, scope) -> str | None:
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        given = query.get("token", [None])[0]
        if given and self.settings.token and hmac.compare_digest(given, self.settings.token):
            return given
        return None

    def refusal(self, scope, headers: dict[str, str]) -> tuple[int, str] | None:
        host = headers.get("host", "")
        hostname = urlsplit(f"//{host}").hostname or ""
        token = self.settings.token
        if token:
            if not self._has_token(scope, headers):
                return 401, "This page needs the server's token."
        elif not is_loopback(hostname):
            return 421, "This server answers on its loopback address only."
        origin = headers.get("origin")
        if scope["method"] not in ("GET", "HEAD") and origin and origin != "null":
            if urlsplit(origin).netloc != host:
                return 403, "A form from another site was refused."
        return None

    def _has_token(self, scope, headers: dict[str, str]) -> bool:
        token = self.settings.token or ""
        candidates = [headers.get(TOKEN_HEADER, "")]
        auth = headers.get("authorization", "")
        if auth.lower().startswith("bearer "):
            candidates.append(auth[7:].strip())
        cookie = SimpleCookie()
        try:
            cookie.load(headers.get("cookie", ""))
        except Exception:  # noqa: BLE001 - a malformed cookie header is no token
            pass
        if TOKEN_COOKIE in cookie:
            candidates.append(cookie[TOKEN_COOKIE].value)
        candidates.append(self._query_token(scope) or "")
        return any(c and hmac.compare_digest(c, token) for c in candidates)

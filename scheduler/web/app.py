"""The Starlette application: routes, templates, static files, the guard in front and
the run queue started and stopped with the server."""

from __future__ import annotations

import contextlib
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import HTMLResponse, RedirectResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from scheduler.i18n import LANGUAGES, translator
from scheduler.web import pages
from scheduler.web.lang import LANG_COOKIE, label, language
from scheduler.web.config import Settings
from scheduler.web.runner import Runner
from scheduler.web.security import BodyTooLarge, Guard
from scheduler.web.store import RunStore

HERE = Path(__file__).parent
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'self'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
class Renderer:
    def __init__(self):
        self.env = Environment(loader=FileSystemLoader(HERE / "templates"),
                               autoescape=select_autoescape(["html"]))
        self.missing: dict[str, set[str]] = {lang: set() for lang in LANGUAGES}
        """Strings a page asked for that the language's catalogue lacks (tests read it)."""

    def page(self, request_or_scope, name: str, status: int = 200, **context) -> HTMLResponse:
        lang, chosen = language(request_or_scope)
        t = translator(lang)
        scope = getattr(request_or_scope, "scope", request_or_scope)
        html = self.env.get_template(name).render(
            t=t, lang=lang, languages=LANGUAGES, label=lambda s: label(t, s),
            megabytes=lambda n: f"{t.number(n / 1e6, 0 if n >= 1e7 else 2 if n < 1e6 else 1)} MB",
            path=scope.get("path", "/"), **context)
        self.missing[lang] |= t.missing
        response = HTMLResponse(html, status_code=status, headers=PAGE_HEADERS)
        if chosen:
            response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="strict")
        return response


def create_app(settings: Settings) -> Starlette:
    store = RunStore(settings.runs_dir)
    runner = Runner(settings, store)
    renderer = Renderer()

    @contextlib.asynccontextmanager
    async def lifespan(app):
        runner.start()
        try:
            yield
        finally:
            app.state.stopping = True
            runner.stop()

    def refuse_page(scope, status: int, message: str):
        return renderer.page(scope, "message.html", status=status, title=message,
                             message=None)

    async def too_large(request, exc):
        return renderer.page(request, "message.html", status=413,
                             title="The upload is too large.",
                             message=None, limit=settings.max_upload_bytes)

    async def not_found(request, exc):
        code = getattr(exc, "status_code", 404)
        title = {404: "Not found.", 405: "Method not allowed."}.get(code, "Not found.")
        return renderer.page(request, "message.html", status=code, title=title, message=None)

    routes = [
        Route("/", lambda request: RedirectResponse("/scenarios", status_code=303)),
        Route("/scenarios", pages.scenario_list),
        Route("/upload", pages.upload, methods=["POST"]),
        Route("/scenarios/{path:path}", pages.scenario_page, methods=["GET", "POST"]),
        Route("/forecast", pages.forecast_page, methods=["GET"]),
        Route("/forecast", pages.start_forecast, methods=["POST"]),
        Route("/runs", pages.run_list, methods=["GET"]),
        Route("/runs", pages.start_run, methods=["POST"]),
        Route("/runs/{run_id}", pages.run_page),
        Route("/runs/{run_id}/events", pages.run_events),
        Route("/runs/{run_id}/cancel", pages.cancel_run, methods=["POST"]),
        Route("/runs/{run_id}/calendars.zip", pages.calendars_zip),
        Route("/runs/{run_id}/files/{path:path}", pages.run_file),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app = Starlette(
        routes=routes, lifespan=lifespan,
        middleware=[Middleware(Guard, settings=settings, refuse_page=refuse_page)],
        exception_handlers={BodyTooLarge: too_large, 404: not_found, 405: not_found},
    )
    app.state.settings = settings
    app.state.store = store
    app.state.runner = runner
    app.state.renderer = renderer
    app.state.stopping = False
    return app

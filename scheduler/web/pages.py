"""The route handlers: scenarios, runs and their files. Each page is rendered on the
server in the visitor's language; errors from the core become a message on the page."""

from __future__ import annotations

import asyncio
import json
import re

from starlette.concurrency import run_in_threadpool
from starlette.responses import FileResponse, RedirectResponse, Response, StreamingResponse

from scheduler.errors import SchedulerError
from scheduler.i18n import translator
from scheduler.models.forecast import METHODS
from scheduler.web import forecasts as fc
from scheduler.web import results, runner as runs
from scheduler.web import scenarios as sc
from scheduler.web.lang import label, language
from scheduler.web.paths import PathRefused, inside
from scheduler.web.store import FINISHED, KINDS, RUN_ID

EVENT_SECONDS = 0.5
STATUS_LABELS = {"queued": "queued", "running": "running", "done": "done", "failed": "failed",
                 "cancelled": "cancelled", "interrupted": "interrupted"}


def _state(request):
    return request.app.state


def _page(request, name: str, status: int = 200, **context):
    return _state(request).renderer.page(request, name, status=status, **context)


def _message(request, status: int, title: str, message: str | None = None,
             prose: bool = False):
    """A page with a title and a detail: data (a path, a name) as it is, or a sentence
    (`prose`) in the page's language."""
    return _page(request, "message.html", status=status, title=title, message=message,
                 prose=prose)


def _refused(request, exc: Exception):
    return _message(request, 400, "That path is not allowed.", str(exc), prose=True)


# ---------------------------------------------------------------- scenarios


async def scenario_list(request, upload_error: str | None = None, status: int = 200):
    root = _state(request).settings.scenarios_dir
    entries = await run_in_threadpool(sc.list_scenarios, root)
    return _page(request, "scenarios.html", status=status, entries=entries,
                 upload_error=upload_error, limit=_state(request).settings.max_upload_bytes)


async def upload(request):
    form = await request.form(max_files=20, max_fields=20)
    files = []
    for item in form.getlist("files"):
        if hasattr(item, "read"):
            content = await item.read()
            if item.filename:
                files.append((item.filename, content))
    try:
        rel = await run_in_threadpool(sc.save_upload, _state(request).settings.scenarios_dir,
                                      files)
    except sc.UploadRefused as exc:
        return await scenario_list(request, upload_error=str(exc), status=400)
    return RedirectResponse(f"/scenarios/{rel}?uploaded=1", status_code=303)


async def scenario_page(request):
    root = _state(request).settings.scenarios_dir
    rel = request.path_params["path"]
    try:
        path = inside(root, rel)
    except PathRefused as exc:
        return _refused(request, exc)
    if not path.is_file() or not path.suffix.lower() in (".yaml", ".yml"):
        return _message(request, 404, "No such scenario.", rel)
    try:
        loaded = await run_in_threadpool(sc.load, root, rel)
    except PathRefused as exc:
        return _refused(request, exc)
    except SchedulerError as exc:
        return _page(request, "scenario.html", status=422, rel=rel, figures=None,
                     load_errors=sc.messages(exc, root), fields=[], values={}, outcome=None,
                     kinds=KINDS)
    fields = sc.fields_of(loaded)
    outcome = None
    status = 200
    if request.method == "POST":
        form = dict(await request.form())
        outcome = await run_in_threadpool(sc.save_form, root, rel, form)
        if outcome.saved:
            return RedirectResponse(f"/scenarios/{outcome.saved}?saved=1", status_code=303)
        status = 422
        values = outcome.values
        save_as = form.get("save_as", "")
    else:
        values = sc.current_values(loaded, fields)
        save_as = f"{path.stem}-edited.yaml"
    return _page(request, "scenario.html", status=status, rel=rel, figures=sc.key_figures(loaded),
                 load_errors=[], fields=fields, values=values, outcome=outcome, kinds=KINDS,
                 save_as=save_as, saved="saved" in request.query_params,
                 uploaded="uploaded" in request.query_params,
                 time_limit=loaded.scenario.solver.time_limit_seconds)


# ---------------------------------------------------------------- runs


async def run_list(request):
    return _page(request, "runs.html", runs=_state(request).store.all(),
                 status_labels=STATUS_LABELS)


async def start_run(request):
    form = await request.form()
    root = _state(request).settings.scenarios_dir
    rel = str(form.get("scenario", ""))
    kind = str(form.get("kind", "solve"))
    try:
        path = inside(root, rel)
    except PathRefused as exc:
        return _refused(request, exc)
    if kind not in KINDS or not path.is_file():
        return _message(request, 400, "No such scenario or kind of run.", f"{kind} {rel}")
    try:
        sc.check_references(root, path)
    except PathRefused as exc:
        return _refused(request, exc)
    options: dict = {"lang": language(request)[0]}
    text = str(form.get("time_limit", "")).strip()
    if text:
        try:
            seconds = float(text)
            if not 0.1 <= seconds <= 86_400:
                raise ValueError
        except ValueError:
            return _message(request, 400, "The time limit must be a number of seconds "
                            "from 0.1 to 86400.", text)
        options["time_limit"] = seconds
    options["allow_understaffing"] = form.get("allow_understaffing") in ("on", "true", "1")
    options["variants"] = form.get("variants") in ("on", "true", "1")
    run = await run_in_threadpool(_state(request).runner.submit, kind, rel, options)
    return RedirectResponse(f"/runs/{run.id}", status_code=303)


async def forecast_page(request, error: str | None = None, status: int = 200,
                        values: dict | None = None):
    """The form of a forecast: a history uploaded or one kept before, the first day, the
    days, the method and the planning quantile."""
    root = _state(request).settings.scenarios_dir
    histories = await run_in_threadpool(fc.list_histories, root)
    return _page(request, "forecast.html", status=status, histories=histories, error=error,
                 values=values or {"days": 28, "method": "auto", "quantile": 0.5},
                 methods=("auto",) + METHODS, limit=_state(request).settings.max_upload_bytes)


async def start_forecast(request):
    form = await request.form(max_files=2, max_fields=20)
    root = _state(request).settings.scenarios_dir
    values = {k: str(form.get(k, "")) for k in ("start", "days", "method", "quantile",
                                                  "history")}
    try:
        opts = fc.options(form)
        upload = form.get("file")
        content = await upload.read() if hasattr(upload, "read") else b""
        if content or (hasattr(upload, "filename") and upload.filename):
            rel = await run_in_threadpool(fc.save_history, root, upload.filename, content)
        else:
            rel = values["history"]
            if rel not in await run_in_threadpool(fc.list_histories, root):
                raise fc.ForecastRefused("choose a history: upload one or pick one kept before")
    except fc.ForecastRefused as exc:
        return await forecast_page(request, error=str(exc), status=400, values=values)
    opts["lang"] = language(request)[0]
    run = await run_in_threadpool(_state(request).runner.submit, "forecast", rel, opts)
    return RedirectResponse(f"/runs/{run.id}", status_code=303)


def _run_or_none(request):
    run_id = request.path_params["run_id"]
    if not re.fullmatch(RUN_ID, run_id):
        return None
    return _state(request).store.get(run_id)


async def run_page(request):
    run = _run_or_none(request)
    if run is None:
        return _message(request, 404, "No such run.")
    store = _state(request).store
    folder = store.folder(run.id)
    out = folder / runs.OUT_DIR
    part = request.query_params.get("part", "")
    parts = results.parts(out)
    if part not in parts:
        part = parts[0] if parts else ""
    shown = out / part if part else out
    try:
        page = int(request.query_params.get("page", "1"))
    except ValueError:
        page = 1
    summary = results.summary(shown) if run.finished_ok else None
    roster = results.table_page(shown / "shifts.csv", page) if summary else None
    staffing = results.table_page(out / "staffing.csv", page) if run.kind == "staffing" else None
    if run.kind == "forecast" and run.finished_ok:  # the volumes planned to, per slot
        staffing = results.table_page(out / "forecast.csv", page)
    comparison_path = results.comparison(out) if run.kind == "compare" else None
    comparison = (results.table_page(comparison_path, 1, 500, strip=str(out) + "/")
                  if comparison_path else None)
    reports = runs.progress(folder)
    return _page(request, "run.html", run=run, status_labels=STATUS_LABELS, reports=reports,
                 last=runs.latest(reports), summary=summary,
                 kpis=results.kpis(summary) if summary else [], roster=roster,
                 staffing=staffing, comparison=comparison, parts=parts, part=part,
                 downloads=results.downloads(shown) if run.finished_ok else [],
                 calendars=results.calendars(shown) if run.finished_ok else 0,
                 part_query=f"?part={part}" if part else "",
                 file_prefix=f"/runs/{run.id}/files/" + (f"{part}/" if part else ""))


async def run_events(request):
    """Server-sent events: the run's status and latest progress every half second until
    it ends (event `end`)."""
    run = _run_or_none(request)
    if run is None:
        return _message(request, 404, "No such run.")
    state = _state(request)
    t = translator(language(request)[0])

    async def stream():
        sent = None
        while not state.stopping:
            current = state.store.get(run.id)
            reports = runs.progress(state.store.folder(run.id))
            last = runs.latest(reports) or {}
            data = {"status": current.status,
                    "status_label": t(STATUS_LABELS[current.status]),
                    "phase": label(t, last.get("phase") or ""),
                    "headcount": last.get("headcount"),
                    "bound": last.get("headcount_bound"),
                    "elapsed": round(last.get("elapsed") or 0.0, 1) if last else None,
                    "reports": len(reports),
                    "message": t.message(current.message) if current.message else None}
            text = json.dumps(data, ensure_ascii=False)
            if text != sent:
                yield f"event: progress\ndata: {text}\n\n"
                sent = text
            if current.status in FINISHED:
                yield f"event: end\ndata: {text}\n\n"
                return
            if await request.is_disconnected():
                return
            await asyncio.sleep(EVENT_SECONDS)

    return StreamingResponse(stream(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


async def cancel_run(request):
    run = _run_or_none(request)
    if run is None:
        return _message(request, 404, "No such run.")
    await run_in_threadpool(_state(request).runner.cancel, run.id)
    return RedirectResponse(f"/runs/{run.id}", status_code=303)


async def run_file(request):
    run = _run_or_none(request)
    if run is None:
        return _message(request, 404, "No such run.")
    out = _state(request).store.folder(run.id) / runs.OUT_DIR
    try:
        path = inside(out, request.path_params["path"])
    except PathRefused as exc:
        return _refused(request, exc)
    if not path.is_file():
        return _message(request, 404, "No such file.")
    inline = path.suffix in (".html", ".json", ".csv", ".yaml")
    headers = {"X-Content-Type-Options": "nosniff"}
    if path.suffix == ".html":  # its scripts run, but in an origin of their own
        headers["Content-Security-Policy"] = "sandbox allow-scripts allow-popups"
    return FileResponse(path, filename=None if inline else path.name, headers=headers,
                        content_disposition_type="inline" if inline else "attachment")


async def calendars_zip(request):
    run = _run_or_none(request)
    if run is None:
        return _message(request, 404, "No such run.")
    out = _state(request).store.folder(run.id) / runs.OUT_DIR
    part = request.query_params.get("part", "")
    try:
        folder = inside(out, part) if part else out
    except PathRefused as exc:
        return _refused(request, exc)
    if not results.calendars(folder):
        return _message(request, 404, "No such file.")
    data = await run_in_threadpool(results.calendars_zip, folder)
    return Response(data, media_type="application/zip",
                    headers={"Content-Disposition": 'attachment; filename="calendars.zip"'})

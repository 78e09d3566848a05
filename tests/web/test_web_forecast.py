"""Forecasts from the web page: a history uploaded (checked by the forecast's own reader,
nothing kept when it is bad), the form's choices checked, the forecast run as a child
process and its volume file shown and offered for download; histories kept for later."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

pytest.importorskip("starlette")
pytest.importorskip("httpx")

from scheduler.forecast.history import write_history  # noqa: E402
from scheduler.scenario.volumes import read_forecast_csv  # noqa: E402
from scheduler.web import create_app  # noqa: E402
from tests.web.webcases import client, settings, wait_for_end  # noqa: E402

START = dt.datetime(2026, 3, 2)  # a Monday


def history_text(days: int = 28) -> str:
    rng = np.random.default_rng(1)
    hour = np.tile(np.arange(24), days)
    lam = np.where(hour < 7, 0.0, 20 + 10 * np.sin(hour / 24 * np.pi))
    return write_history(None, START, 60, {"voice": rng.poisson(lam),
                                           "chat": rng.poisson(2 * lam)})


FORM = {"start": "2026-03-30", "days": "7", "method": "weekly_median", "quantile": "0.8"}


def test_an_uploaded_history_is_forecast_in_a_child_process(tmp_path):
    s = settings(tmp_path)
    app = create_app(s)
    with client(app) as c:
        assert c.get("/forecast").status_code == 200
        r = c.post("/forecast", data=FORM,
                   files={"file": ("calls.csv", history_text().encode(), "text/csv")})
        assert r.status_code == 303, r.text
        run_id = r.headers["location"].rsplit("/", 1)[1]
        run = wait_for_end(app.state.store, run_id)
        assert run.status == "done", run.message
        volume = s.runs_dir / run_id / "out" / "forecast.csv"
        voice = read_forecast_csv(volume, "voice", dt.datetime(2026, 3, 30), 60, 7 * 24, "x")
        assert voice[:7].sum() == 0 and voice[10] > 0  # closed at night, as the history
        page = c.get(f"/runs/{run_id}").text
        assert "forecast_intervals.csv" in page and f"{7 * 24} rows" in page
        assert c.get(f"/runs/{run_id}/files/forecast.csv").status_code == 200
        # the chart of the history's last weeks against the forecast, shown on the page
        assert 'id="forecast-page"' in page and 'src="/runs/%s/files/forecast.html"' % run_id \
            in page
        chart = c.get(f"/runs/{run_id}/files/forecast.html")
        assert chart.status_code == 200 and "vegaEmbed" in chart.text
        # the history is kept and offered for the next forecast
        assert (s.scenarios_dir / "histories" / "calls.csv").is_file()
        assert 'value="histories/calls.csv"' in c.get("/forecast").text
        again = c.post("/forecast", data={**FORM, "history": "histories/calls.csv"})
        assert again.status_code == 303
        assert wait_for_end(app.state.store, again.headers["location"].rsplit("/", 1)[1]
                            ).status == "done"


@pytest.mark.parametrize("form, upload, needle", [
    ({**FORM, "days": "0"}, True, "whole number from 1 to 366"),
    ({**FORM, "start": "30/03/2026"}, True, "is not a date"),
    ({**FORM, "quantile": "1.5"}, True, "from 0.01 to 0.99"),
    ({**FORM, "method": "magic"}, True, "unknown method"),
    (FORM, False, "choose a history"),
    ({**FORM, "history": "../etc/passwd"}, False, "choose a history"),
])
def test_bad_choices_are_refused_on_the_page(tmp_path, form, upload, needle):
    s = settings(tmp_path)
    app = create_app(s)
    with client(app) as c:
        files = {"file": ("calls.csv", history_text().encode(), "text/csv")} if upload \
            else None
        r = c.post("/forecast", data=form, files=files)
        assert r.status_code == 400 and needle in r.text
        assert app.state.store.all() == []


def test_a_bad_choice_is_refused_in_chinese_on_the_chinese_page(tmp_path):
    app = create_app(settings(tmp_path))
    with client(app) as c:
        r = c.post("/forecast?lang=zh", data={**FORM, "days": "0"},
                   files={"file": ("calls.csv", history_text().encode(), "text/csv")})
        assert r.status_code == 400 and "预测天数必须是 1 到 366 之间的整数" in r.text
        r = c.post("/forecast?lang=zh", data={**FORM, "start": "30/03/2026"},
                   files={"file": ("calls.csv", history_text().encode(), "text/csv")})
        assert r.status_code == 400 and "不是日期（YYYY-MM-DD）" in r.text and "30/03/2026" in r.text


def test_a_bad_history_is_refused_with_its_line_and_nothing_is_kept(tmp_path):
    s = settings(tmp_path)
    app = create_app(s)
    lines = history_text().splitlines()
    lines[5] = lines[5].rsplit(",", 1)[0] + ",-3"  # a negative count on line 6
    with client(app) as c:
        r = c.post("/forecast", data=FORM,
                   files={"file": ("calls.csv", ("\n".join(lines) + "\n").encode(), "text/csv")})
        assert r.status_code == 400 and "calls.csv:6" in r.text
        assert not (s.scenarios_dir / "histories").exists() or \
            not any((s.scenarios_dir / "histories").iterdir())
        bad_name = c.post("/forecast", data=FORM,
                          files={"file": ("../calls.csv", b"start,voice\n", "text/csv")})
        assert bad_name.status_code == 400
        assert app.state.store.all() == []

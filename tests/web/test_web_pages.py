"""The web page's routes with Starlette's test client: scenarios listed and opened, the
edit form checked with the CLI's messages, saving, uploads, paths refused, both languages
complete."""

from __future__ import annotations

import pytest
import yaml

pytest.importorskip("starlette")
pytest.importorskip("httpx")

from scheduler.web import create_app  # noqa: E402
from tests.web.webcases import SMALL, client, settings  # noqa: E402


@pytest.fixture
def web(tmp_path):
    s = settings(tmp_path)
    app = create_app(s)
    return app, client(app), s


def test_scenarios_are_listed_with_their_description(web):
    app, c, _ = web
    r = c.get("/scenarios")
    assert r.status_code == 200
    assert "web_small" in r.text and "A small day for the web page tests" in r.text
    assert r.headers["content-security-policy"].startswith("default-src 'self'")
    assert c.get("/").headers["location"] == "/scenarios"


def test_a_scenario_shows_its_key_figures(web):
    _, c, _ = web
    r = c.get(f"/scenarios/{SMALL}")
    assert r.status_code == 200
    assert 'id="peak">4<' in r.text  # the demand file's peak
    for text in ("day-8h", "part-4h", "min_rest_hours", "rest-11h", "1 day<"):
        assert text in r.text


def test_a_bad_value_is_named_with_the_cli_message_and_nothing_is_saved(web):
    _, c, s = web
    before = sorted(p.name for p in s.scenarios_dir.iterdir())
    r = c.post(f"/scenarios/{SMALL}", data={"rules.min_rest_hours": "100", "solver.workers": "0",
                                             "save_as": "changed.yaml"})
    assert r.status_code == 422
    # the same lines as `scheduler solve --set rules.min_rest_hours=100`
    assert "--set rules.min_rest_hours=100: Input should be less than or equal to 72" in r.text
    assert "--set solver.workers=0: Input should be greater than or equal to 1" in r.text
    assert 'value="100"' in r.text  # the form keeps what was typed
    assert sorted(p.name for p in s.scenarios_dir.iterdir()) == before


def test_a_valid_change_is_saved_as_a_new_file_and_the_original_is_kept(web):
    _, c, s = web
    original = (s.scenarios_dir / SMALL).read_text()
    r = c.post(f"/scenarios/{SMALL}", data={"rules.min_rest_hours": "11", "demand.floor": "2",
                                             "save_as": "changed.yaml"})
    assert r.status_code == 303 and r.headers["location"] == "/scenarios/changed.yaml?saved=1"
    data = yaml.safe_load((s.scenarios_dir / "changed.yaml").read_text())
    assert data["rules"]["min_rest_hours"] == 11 and data["demand"]["floor"] == 2
    assert data["name"] == "changed" and data["demand"]["file"] == "web_small_demand.csv"
    assert (s.scenarios_dir / SMALL).read_text() == original
    assert c.get("/scenarios/changed.yaml?saved=1").status_code == 200
    # the name is taken now: refused, nothing overwritten
    r = c.post(f"/scenarios/{SMALL}", data={"rules.min_rest_hours": "10",
                                             "save_as": "changed.yaml"})
    assert r.status_code == 422 and "exists already" in r.text
    assert yaml.safe_load((s.scenarios_dir / "changed.yaml").read_text())["rules"][
        "min_rest_hours"] == 11
    r = c.post(f"/scenarios/{SMALL}", data={"rules.min_rest_hours": "10",
                                             "save_as": "../outside.yaml"})
    assert r.status_code == 422 and "not a plain file name" in r.text
    assert not (s.scenarios_dir.parent / "outside.yaml").exists()


@pytest.mark.parametrize("url", [
    "/scenarios/..%2F..%2Fetc%2Fpasswd",
    "/scenarios/%2e%2e/%2e%2e/etc/passwd",
    "/scenarios/sub/..%2F..%2Fsecret.yaml",
    "/scenarios/%2Fetc%2Fpasswd",
    "/scenarios/.hidden.yaml",
])
def test_paths_out_of_the_folder_are_refused(web, url):
    _, c, s = web
    (s.scenarios_dir.parent / "secret.yaml").write_text("name: secret\n")
    r = c.get(url)
    assert r.status_code == 400, url
    assert "secret" not in r.text.split("</header>")[1].replace("secret.yaml", "")


def test_a_symlink_out_of_the_folder_is_refused(web, tmp_path):
    _, c, s = web
    outside = tmp_path / "outside.yaml"
    outside.write_text((s.scenarios_dir / SMALL).read_text())
    (s.scenarios_dir / "link.yaml").symlink_to(outside)
    assert c.get("/scenarios/link.yaml").status_code == 400
    r = c.post("/runs", data={"scenario": "link.yaml", "kind": "solve"})
    assert r.status_code == 400
    r = c.post("/runs", data={"scenario": "../outside.yaml", "kind": "solve"})
    assert r.status_code == 400


def test_a_scenario_naming_a_file_outside_the_folder_is_refused(web, tmp_path):
    _, c, s = web
    (tmp_path / "secret.csv").write_text("start,required\n")
    text = (s.scenarios_dir / SMALL).read_text()
    (s.scenarios_dir / "peek.yaml").write_text(
        text.replace("web_small_demand.csv", "../secret.csv"))
    (s.scenarios_dir / "base_out.yaml").write_text("extends: /etc/hosts\nname: x\n")
    assert "outside the scenarios folder" in c.get("/scenarios/peek.yaml").text
    assert c.get("/scenarios/peek.yaml").status_code == 400
    assert c.get("/scenarios/base_out.yaml").status_code == 400
    assert c.post("/runs", data={"scenario": "peek.yaml", "kind": "solve"}).status_code == 400
    r = c.post("/upload", files=[("files", ("peek2.yaml", text.replace(
        "web_small_demand.csv", "/etc/passwd").encode(), "text/yaml"))])
    assert r.status_code == 400 and "outside the scenarios folder" in r.text
    # inside the folder, a scenario extending another is fine
    (s.scenarios_dir / "sub").mkdir()
    (s.scenarios_dir / "sub" / "more.yaml").write_text(
        f"extends: ../{SMALL}\nname: more\nvariants: {{}}\n")
    assert c.get("/scenarios/sub/more.yaml").status_code == 200


def test_an_upload_with_its_demand_file_is_checked_and_kept(web):
    _, c, s = web
    text = (s.scenarios_dir / SMALL).read_text().replace("web_small", "uploaded")
    demand = (s.scenarios_dir / "web_small_demand.csv").read_bytes()
    r = c.post("/upload", files=[("files", ("uploaded.yaml", text.encode(), "text/yaml")),
                                 ("files", ("uploaded_demand.csv", demand, "text/csv"))])
    assert r.status_code == 303, r.text
    assert r.headers["location"] == "/scenarios/uploaded/uploaded.yaml?uploaded=1"
    assert c.get("/scenarios/uploaded/uploaded.yaml").status_code == 200
    assert "uploaded/uploaded.yaml" in c.get("/scenarios").text


def test_a_bad_upload_gives_a_message_and_keeps_nothing(web):
    _, c, s = web
    before = sorted(p.name for p in s.scenarios_dir.iterdir())
    text = (s.scenarios_dir / SMALL).read_text().replace("min_rest_hours: 12",
                                                         "min_rest_hours: 99")
    r = c.post("/upload", files=[("files", ("broken.yaml", text.encode(), "text/yaml"))])
    assert r.status_code == 400
    assert "rules.min_rest_hours: Input should be less than or equal to 72" in r.text
    # its demand file was not uploaded with it, nor a name with a folder
    r = c.post("/upload", files=[("files", ("../evil.yaml", b"name: x\n", "text/yaml"))])
    assert r.status_code == 400
    r = c.post("/upload", files=[("files", ("bad.yaml", b"name: [unclosed\n", "text/yaml"))])
    assert r.status_code == 400 and "YAML" in r.text
    r = c.post("/upload", files=[("files", ("obj.yaml", b"!!python/object:os.system {}\n",
                                            "text/yaml"))])
    assert r.status_code == 400  # loaded safely: a python tag is an error, not a call
    assert sorted(p.name for p in s.scenarios_dir.iterdir()) == before
    assert c.get("/scenarios").status_code == 200


def test_an_oversized_upload_is_refused_with_413_and_the_server_goes_on(tmp_path):
    s = settings(tmp_path, max_upload_bytes=20_000)
    c = client(create_app(s))
    r = c.post("/upload", files=[("files", ("big.yaml", b"#" * 50_000, "text/yaml"))])
    assert r.status_code == 413
    assert "too large" in r.text
    assert not any(p.name.startswith("big") for p in s.scenarios_dir.iterdir())
    assert c.get("/scenarios").status_code == 200


def test_both_languages_are_complete_on_every_page(web):
    app, c, s = web
    c.post(f"/scenarios/{SMALL}", data={"rules.min_rest_hours": "100", "save_as": "x.yaml"})
    for lang in ("zh", "en"):
        c.cookies.clear()
        r = c.get(f"/scenarios?lang={lang}")
        assert r.cookies.get("lang") == lang
        for url in ("/scenarios", f"/scenarios/{SMALL}", "/runs", "/runs/20260101-000000-abcdef",
                    "/scenarios/..%2Fx.yaml"):
            c.get(url)
        c.post(f"/scenarios/{SMALL}", data={"rules.min_rest_hours": "100", "save_as": "x.yaml"})
    assert app.state.renderer.missing["zh"] == set()
    c.cookies.clear()
    zh = c.get("/scenarios?lang=zh").text
    assert "上传场景" in zh and 'lang="zh-CN"' in zh
    assert "场景" in c.get(f"/scenarios/{SMALL}").text  # the cookie keeps the choice

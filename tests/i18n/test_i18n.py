"""The translator: language choice, catalogue look-up with its misses, locale forms."""

from __future__ import annotations

import datetime as dt
import string

import pytest

from scheduler.i18n import LANGUAGES, catalogue, choose_language, normalise, translator


@pytest.mark.parametrize("tag, lang", [
    ("zh_CN.UTF-8", "zh"), ("zh-Hans", "zh"), ("ZH", "zh"), ("en_GB.utf8", "en"),
    ("en-US", "en"), ("C", None), ("POSIX", None), ("", None), ("fr_FR.UTF-8", None),
])
def test_locale_tags_name_a_language_or_none(tag, lang):
    assert normalise(tag) == lang


def test_explicit_choice_beats_scenario_and_environment():
    env = {"LANG": "zh_CN.UTF-8"}
    assert choose_language("en", "zh-CN", env) == "en"
    assert choose_language(None, "zh-CN", {"LANG": "en_US"}) == "zh"
    assert choose_language(None, None, env) == "zh"
    assert choose_language(None, None, {"SCHEDULER_LANG": "en", "LANG": "zh_CN"}) == "en"


def test_environment_naming_another_language_gives_english():
    # LC_ALL set to French ends the search: LANG is not consulted behind it
    assert choose_language(None, None, {"LC_ALL": "fr_FR.UTF-8", "LANG": "zh_CN"}) == "en"
    assert choose_language(None, None, {}) == "en"


def test_unknown_explicit_language_is_an_error():
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        choose_language("fr")


def test_missing_strings_fall_back_to_english_and_are_remembered():
    t = translator("zh")
    assert t("Language") == "语言"
    assert t("no such string {n}", n=3) == "no such string 3"
    assert t.missing == {"no such string {n}"}
    en = translator("en")
    assert en("anything {n}", n=1) == "anything 1" and not en.missing


def test_every_catalogue_entry_keeps_the_placeholders_of_its_english_text():
    fields = lambda s: {f for _, f, _, _ in string.Formatter().parse(s) if f}  # noqa: E731
    for lang in LANGUAGES:
        for english, text in catalogue(lang).items():
            assert fields(english) == fields(text), (lang, english)


def test_numbers_and_dates_in_the_locale_form():
    zh, en = translator("zh"), translator("en")
    day = dt.date(2026, 11, 11)
    assert en.number(12345.678, 1) == "12,345.7" and zh.number(12345.678, 1) == "12,345.7"
    assert en.percent(0.1234) == "12.3%" and zh.percent(0.1234) == "12.3%"
    assert zh.date(day) == "2026年11月11日" and en.date(day) == "Nov 11, 2026"
    assert zh.weekday(day) == "周三" and en.weekday(day) == "Wed"
    assert zh.time(dt.time(0, 30)) == "00:30"

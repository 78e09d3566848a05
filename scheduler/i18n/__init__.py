"""Languages of what people read: a translator per language and the locale's number and
date forms.

Strings are written in English in the code and looked up, as they are, in the language's
catalogue (`zh.yaml`: English text -> Chinese text). English needs no catalogue. A
string missing from a catalogue falls back to English and is remembered in
`Translator.missing`, so a test can render an output in Chinese and show that nothing
was left untranslated.

Which language: `--lang` when given, else the scenario's `locale`, else the environment
(`SCHEDULER_LANG`, then `LC_ALL`, `LC_MESSAGES`, `LANG`), else English.

This module sits at the bottom of the package (beside `errors`): the report, the CLI
and the web page use it; it imports nothing of the package.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

import yaml
from babel.dates import format_date, format_datetime, format_time
from babel.numbers import format_decimal, format_percent

from scheduler.i18n.messages import MessageTranslator

LANGUAGES: dict[str, str] = {"en": "English", "zh": "简体中文"}
DEFAULT_LANGUAGE = "en"
ENV_VARIABLES = ("SCHEDULER_LANG", "LC_ALL", "LC_MESSAGES", "LANG")
# Babel's locale for each language: numbers and dates in that locale's form.
BABEL_LOCALE = {"en": "en_US", "zh": "zh_Hans_CN"}
CATALOGUE_DIR = Path(__file__).parent


def normalise(tag: str | None) -> str | None:
    """The language of a locale tag ('zh_CN.UTF-8', 'zh-Hans', 'en-GB', 'zh') or None when
    it names none of ours ('C', 'POSIX', '', 'fr_FR')."""
    if not tag:
        return None
    base = tag.replace("-", "_").split(".")[0].split("@")[0].split("_")[0].lower()
    return base if base in LANGUAGES else None


def choose_language(explicit: str | None = None, scenario_locale: str | None = None,
                    environ: Mapping[str, str] | None = None) -> str:
    """The language to use: the explicit choice, the scenario's locale, the environment,
    English. An explicit choice that names no language of ours is an error (ValueError)."""
    if explicit:
        lang = normalise(explicit)
        if lang is None:
            raise ValueError(f"unknown language {explicit!r}; choose one of "
                             f"{', '.join(LANGUAGES)}")
        return lang
    lang = normalise(scenario_locale)
    if lang:
        return lang
    env = os.environ if environ is None else environ
    for name in ENV_VARIABLES:
        lang = normalise(env.get(name))
        if lang:
            return lang
        if env.get(name):   # a set variable naming another language ends the search
            break
    return DEFAULT_LANGUAGE


@lru_cache(maxsize=None)
def catalogue(lang: str) -> dict[str, str]:
    """The language's catalogue (English text -> translation); empty for English."""
    path = CATALOGUE_DIR / f"{lang}.yaml"
    if lang == DEFAULT_LANGUAGE or not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {str(k): str(v) for k, v in data.items()}


class Translator:
    """Translate English strings into one language and write numbers and dates in its form.

    `t("{n} agents", n=5)` looks the English template up, then fills it in, so the
    catalogue holds templates, not filled-in strings.
    """

    def __init__(self, lang: str = DEFAULT_LANGUAGE):
        if lang not in LANGUAGES:
            raise ValueError(f"unknown language {lang!r}")
        self.lang = lang
        self.locale = BABEL_LOCALE[lang]
        self._table = catalogue(lang)
        self.missing: set[str] = set()
        self._messages: MessageTranslator | None = None

    def __call__(self, text: str, /, **values: object) -> str:
        if self.lang != DEFAULT_LANGUAGE:
            found = self._table.get(text)
            if found is None:
                self.missing.add(text)
            else:
                text = found
        return text.format(**values) if values else text

    def message(self, text: str) -> str:
        """A finished message of the core (raised in English) in the language; see
        `scheduler.i18n.messages`. What no template matches stays English and is added
        to `missing`."""
        if self.lang == DEFAULT_LANGUAGE:
            return text
        if self._messages is None:
            self._messages = MessageTranslator(self.lang, self._table, self.missing)
        return self._messages(text)

    def day_runs(self, days: list) -> str:
        """Days (dates or ISO strings) as runs: '11-12 November, 14 November' /
        '11月11-12日、11月14日'."""
        dates = sorted({d if isinstance(d, dt.date) else dt.date.fromisoformat(str(d))
                        for d in days})
        runs: list[list[dt.date]] = []
        for d in dates:
            if runs and (d - runs[-1][-1]).days == 1:
                runs[-1].append(d)
            else:
                runs.append([d])
        out = []
        for run in runs:
            a, b = run[0], run[-1]
            if self.lang == "zh":
                out.append(f"{a.month}月{a.day}日" if a == b else
                           f"{a.month}月{a.day}-{b.day}日" if a.month == b.month else
                           f"{a.month}月{a.day}日-{b.month}月{b.day}日")
            else:
                out.append(f"{a.day} {a:%B}" if a == b else
                           f"{a.day}-{b.day} {b:%B}" if a.month == b.month else
                           f"{a.day} {a:%B}-{b.day} {b:%B}")
        return ("、" if self.lang == "zh" else ", ").join(out)

    def phrase(self, text: str, values: Mapping[str, object] | None = None) -> str:
        """One phrase of a sentence the engine composed (text: an English template;
        values: its fields; a field whose name ends in `_days` holds dates, written as
        runs in the language)."""
        filled = {k: self.day_runs(v) if k.endswith("_days") else v
                  for k, v in (values or {}).items()}
        return self(text, **filled)

    def sentence(self, phrases) -> str:
        """Phrases (objects or mappings with `text` and `values`, or (text, values)
        pairs) joined into one sentence."""
        parts = [self.phrase(*p) if isinstance(p, tuple)
                 else self.phrase(p["text"], p.get("values")) if isinstance(p, Mapping)
                 else self.phrase(p.text, p.values) for p in phrases]
        return ("；" if self.lang == "zh" else "; ").join(parts)

    def number(self, value: float, digits: int = 0) -> str:
        """A number with the locale's grouping and `digits` decimals."""
        pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
        return format_decimal(value, format=pattern, locale=self.locale)

    def percent(self, share: float, digits: int = 1) -> str:
        """A share (0.125) as a percentage ('12.5%')."""
        pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "") + "%"
        return format_percent(share, format=pattern, locale=self.locale)

    def date(self, day: dt.date, style: str = "medium") -> str:
        """A date in the locale's form ('Nov 11, 2026' / '2026年11月11日')."""
        return format_date(day, format=style, locale=self.locale)

    def weekday(self, day: dt.date) -> str:
        """The abbreviated weekday ('Wed' / '周三')."""
        return format_date(day, format="EEE", locale=self.locale)

    def time(self, moment: dt.time | dt.datetime) -> str:
        """A time of day as HH:MM (24-hour in both languages)."""
        return format_time(moment, format="HH:mm", locale=self.locale)

    def datetime(self, moment: dt.datetime) -> str:
        """A date and time in the locale's short form."""
        return format_datetime(moment, format="short", locale=self.locale)


def translator(lang: str = DEFAULT_LANGUAGE) -> Translator:
    """A fresh translator (its `missing` set starts empty)."""
    return Translator(lang)

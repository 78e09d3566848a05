"""Messages of the core (a bad key, a rule that conflicts, a checker violation) in the
reader's language.

The core raises its messages in English, as f-strings, where it finds the problem; the
edge (the CLI, the web page) translates the finished text. A message catalogue
(`zh_messages.yaml`) maps each English template to its translation. A template is the
message's f-string with every replacement field written as the expression's source
(`f"start {row[0]!r} is outside {span}"` -> `"start {row[0]} is outside {span}"`;
conversions and format specs dropped, literal braces doubled), so a test can read the
templates out of the source and show every one is in the catalogue.

Translating a finished message: the template whose literal text matches the whole
message gives the translation, with each field's text moved into its place (a field's
text is itself translated when it is a message of the catalogue, as a clause of a
composed message is). A message that no template matches whole is split at the
separators that compose messages ('; or ', '; ', '. ', ': ', ', ') and translated part by
part; a part that is data (a file and line, a key path, an option, a name) stays as it
is. What still matches nothing stays English and is remembered as missing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

CATALOGUE_DIR = Path(__file__).parent
_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")
# How the parts of a composed message are joined, and the joint in each language.
SEPARATORS: tuple[tuple[str, dict[str, str]], ...] = (
    ("\n", {"zh": "\n"}),
    ("; or ", {"zh": "；或"}),
    ("; ", {"zh": "；"}),
    (". ", {"zh": "。"}),
    (": ", {"zh": "："}),
    (", ", {"zh": "，"}),
)


def fields(template: str) -> list[str]:
    """The replacement fields of a template, in order ('{{' and '}}' are literal braces)."""
    return [m.group(1) for m in _TOKEN.finditer(template) if m.group(1) is not None]


@dataclass(frozen=True)
class _Entry:
    english: str
    translation: str
    pattern: re.Pattern
    names: tuple[str, ...]
    literal: int          # how much literal text: more literal text matches first


def _compile(english: str, translation: str) -> _Entry:
    parts, names, pos, literal = [], [], 0, 0
    for m in _TOKEN.finditer(english):
        text = english[pos:m.start()]
        parts.append(re.escape(text))
        literal += len(text)
        if m.group(1) is None:
            parts.append(re.escape(m.group(0)[0]))
            literal += 1
        else:
            parts.append("(.*?)")
            names.append(m.group(1))
        pos = m.end()
    tail = english[pos:]
    parts.append(re.escape(tail))
    literal += len(tail)
    return _Entry(english, translation, re.compile("".join(parts), re.S), tuple(names),
                  literal)


@lru_cache(maxsize=None)
def message_catalogue(lang: str) -> tuple[_Entry, ...]:
    """The language's message templates, most literal text first; empty for English or
    a language without a message catalogue."""
    path = CATALOGUE_DIR / f"{lang}_messages.yaml"
    if not path.exists():
        return ()
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    entries = [_compile(str(k), str(v)) for k, v in data.items()]
    # a template without a word of its own ('{where}: {exc}') would match any text: such
    # messages are composed, and their parts are translated where they are split
    entries = [e for e in entries if has_words(e.english)]
    return tuple(sorted(entries, key=lambda e: -e.literal))


def has_words(template: str) -> bool:
    """Whether a template has literal text beyond its fields and punctuation."""
    return any(c.isalpha() for c in _TOKEN.sub("", template))


def _fill(template: str, values: dict[str, str]) -> str:
    def one(m: re.Match) -> str:
        if m.group(1) is None:
            return m.group(0)[0]
        return values.get(m.group(1), m.group(0))
    return _TOKEN.sub(one, template)


def is_data(text: str) -> bool:
    """Whether a part of a message is data rather than prose: one token (a file and line,
    a key path, a name, a number), or tokens each holding a sign no word has
    ('--set rules.min_rest_hours=100')."""
    tokens = text.split()
    return len(tokens) <= 1 or all(not t.isalpha() for t in tokens)


class MessageTranslator:
    """Translates finished English messages into one language; `missing` holds the
    messages (or their parts) no template matched."""

    def __init__(self, lang: str, words: dict[str, str] | None = None,
                 missing: set[str] | None = None):
        self.lang = lang
        self._entries = message_catalogue(lang)
        self._exact = {e.english: e for e in self._entries if not e.names}
        self._words = words or {}     # the language's UI catalogue: a field's single word
        self.missing: set[str] = set() if missing is None else missing

    def __call__(self, message: str) -> str:
        if not self._entries or not message:
            return message
        found = self._whole(message) or self._split(message, 0)
        if found is None:
            self.missing.add(message)
            return message
        return found

    def _whole(self, text: str) -> str | None:
        exact = self._exact.get(text)
        if exact is not None:
            return exact.translation
        for entry in self._entries:
            if not entry.names:
                continue
            m = entry.pattern.fullmatch(text)
            if m is None:
                continue
            values = {}
            for name, value in zip(entry.names, m.groups()):
                values.setdefault(name, self._value(value))
            return _fill(entry.translation, values)
        return None

    def _value(self, value: str) -> str:
        """A field's text: translated when it is a message (or composed of messages),
        else as it is (a name, a number, a date)."""
        if value in self._words:
            return self._words[value]
        if len(value) < 3 or not re.search(r"[a-z]{2}", value):
            return value
        return self._whole(value) or self._split(value, 0) or value

    def _split(self, text: str, start: int) -> str | None:
        for i in range(start, len(SEPARATORS)):
            sep, joints = SEPARATORS[i]
            if sep not in text:
                continue
            parts = text.split(sep)
            out = []
            for part in parts:
                found = self._whole(part) if part else ""
                if found is None:
                    found = self._split(part, i + 1)
                if found is None and is_data(part):
                    found = part      # a name, a path, a number: data, not prose
                if found is None:
                    break
                out.append(found)
            else:
                return joints.get(self.lang, sep).join(out)
        return None

"""The field types every record shares, so a bad value is refused on the way in whatever typed it.

- ``RecordDate``: a calendar date from 1900 to 2100 (a stored or imported record never holds 9999).
- ``UtcStamp``: an instant stored as an ISO-8601 UTC string, also within those years.
- Text: no control characters anywhere (``check_text``, applied to every field of every model by
  ``domain.base.DomainModel``); one line unless the field is marked ``LONG`` (newlines and tabs allowed).
- Choices (a stage, a status, a channel): a ``Literal`` type, checked by pydantic, with ``one_of``
  to say what the choices are when a value is not one of them.
- ``PersonName``: a name someone typed for a person (or their job title). Besides the text rules it
  refuses invisible characters and single words that mix alphabets (a Cyrillic 'а' in 'Sam'), so one
  name cannot pass for another; ``name_key`` is what two names are compared by.
- Rules about time ('not in the future', 'not before the meeting') read the team clock's today from
  the pydantic validation context (``context_today``); reading a stored record has no context and
  skips them, since the record was checked against the clock when it was written.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta
from functools import lru_cache
from typing import Annotated, Any, get_args

from pydantic import AfterValidator, ValidationError, ValidationInfo, ValidatorFunctionWrapHandler, WrapValidator

from .dates import check_date_range, parse_utc, to_local


class Multiline:
    """Marks a text field (or a field of texts) where newlines and tabs belong: notes, summaries."""

    def __repr__(self) -> str:
        return "LONG"


LONG = Multiline()

# C0 controls, DEL and C1 controls (ESC starts terminal codes, BEL rings, NUL truncates in C tools),
# and the Unicode line and paragraph separators, which break a line as a newline does.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_LINE_BREAKS = "\n\t"
# Characters that draw nothing but are not 'format' characters (category Cf), so they need naming:
# the combining grapheme joiner, Hangul and Khmer fillers, the braille blank and variation selectors.
_INVISIBLE = re.compile("[\u034f\u115f\u1160\u17b4\u17b5\u2800\u3164\uffa0\ufe00-\ufe0f\U000e0100-\U000e01ef]")
# Chinese, Japanese and Korean names mix these scripts in one word as a matter of course.
_EAST_ASIAN = {"CJK", "HIRAGANA", "KATAKANA", "HANGUL", "IDEOGRAPHIC", "BOPOMOFO"}
_WORD_BREAKS = re.compile(r"[\s\-\u2010\u2011\u2013]+")


def _char_name(ch: str) -> str:
    return f"U+{ord(ch):04X}" + (f" {unicodedata.name(ch)}" if unicodedata.name(ch, "") else "")


def check_text(value: Any, multiline: bool = False) -> Any:
    """``value`` (a string, or a list or dict of them, however nested) with no control characters;
    in long text, newlines and tabs are allowed and Windows line endings become plain newlines."""
    if isinstance(value, str):
        if multiline and "\r" in value:
            value = value.replace("\r\n", "\n").replace("\r", "\n")
        for ch in _CONTROL.findall(value):
            if multiline and ch in _LINE_BREAKS:
                continue
            if ch in _LINE_BREAKS or ch in "\r\u2028\u2029":
                raise ValueError("must be on one line (it has a line break or tab in it)")
            raise ValueError(f"has an invisible control character ({_char_name(ch)}) in it; type it again without it")
        return value
    if isinstance(value, dict):
        tidy = {check_text(k): check_text(v, multiline) for k, v in value.items()}
        return value if all(tidy[k] is v for k, v in value.items()) else tidy
    if isinstance(value, (list, tuple)):
        items = [check_text(v, multiline) for v in value]
        return value if all(a is b for a, b in zip(items, value, strict=True)) else type(value)(items)
    return value


@lru_cache(maxsize=4096)  # pure, and names and job titles repeat (an import checks the same title 20,000 times)
def check_name(value: str) -> str:
    """A person's name (or job title) as typed: visible characters only, one alphabet per word.

    Kept as typed except that it is put in Unicode's composed form and runs of spaces become one,
    so 'José' typed two ways is stored one way. Accents, apostrophes, hyphens and names wholly in
    another script (Дмитрий, 王芳, محمد) are all fine."""
    check_text(value)
    if value.isascii():  # plain ASCII has no invisible characters and only one alphabet: nothing to look up
        value = " ".join(value.split())
        if value and not any(ch.isalpha() for ch in value):
            raise ValueError("needs letters, not only numbers or signs")
        return value
    for ch in value:
        if unicodedata.category(ch) == "Cf" or _INVISIBLE.match(ch):
            raise ValueError(
                f"has an invisible character ({_char_name(ch)}) in it, which could make it look like "
                "someone else's name; type it again without it"
            )
    value = " ".join(unicodedata.normalize("NFC", value).split())
    if value and not any(ch.isalpha() for ch in value):
        raise ValueError("needs letters, not only numbers or signs")
    for word in _WORD_BREAKS.split(value):
        scripts = _scripts(word)
        if len(scripts) > 1:
            raise ValueError(
                f"'{word}' mixes {' and '.join(scripts)} letters in one word, so it could pass for "
                "another name; type it again in one alphabet"
            )
    return value


def _scripts(word: str) -> list[str]:
    """The alphabets a word's letters come from, in order of first use ('Latin', 'Cyrillic'...)."""
    found: list[str] = []
    for ch in unicodedata.normalize("NFKC", word):  # full-width 'Ｓ' is a Latin S
        if not unicodedata.category(ch).startswith("L"):
            continue  # accents, apostrophes, digits belong to no alphabet of their own
        first = unicodedata.name(ch, "").split(" ", 1)[0]
        if first in ("", "MODIFIER"):
            continue
        script = "Chinese, Japanese or Korean" if first in _EAST_ASIAN else first.capitalize()
        if script not in found:
            found.append(script)
    return found


def name_key(name: str) -> str:
    """What two names are compared by: 'ＳＡＭ  patel' and 'Sam Patel' are the same person's name."""
    return " ".join(unicodedata.normalize("NFKC", name or "").casefold().split())


def _in_range(day: date) -> date:
    return check_date_range(day)


def _utc_stamp(text: str) -> str:
    try:
        moment = parse_utc(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a date and time") from None
    if moment.utcoffset() != timedelta(0):
        raise ValueError(f"{text!r} is not a UTC time")
    check_date_range(moment.date())
    return text


RecordDate = Annotated[date, AfterValidator(_in_range)]
UtcStamp = Annotated[str, AfterValidator(_utc_stamp)]


def _person_name(value: str, info: ValidationInfo) -> str:
    return value if reading_stored(info) else check_name(value)


PersonName = Annotated[str, AfterValidator(_person_name)]
LongText = Annotated[str, LONG]


def one_of(choices: object, refusal: str) -> WrapValidator:
    """For a field typed as the ``Literal`` ``choices`` (or it or ''): pydantic checks the value, and
    one outside them is refused in the team's words (``refusal``, formatted with the ``value`` given
    and the ``choices`` listed) rather than pydantic's 'Input should be ...'. In a model that strips
    the whitespace around text, a choice is stripped too (a CSV cell's ' phone ' is 'phone')."""
    listed = ", ".join(get_args(choices))

    def check(value: Any, handler: ValidatorFunctionWrapHandler, info: ValidationInfo) -> Any:
        if isinstance(value, str) and info.config and info.config.get("str_strip_whitespace"):
            value = value.strip()
        try:
            return handler(value)
        except ValidationError:
            raise ValueError(refusal.format(value=value, choices=listed)) from None

    return WrapValidator(check)


def reading_stored(info: ValidationInfo) -> bool:
    """Is a stored record being read back (the repository says so in the validation context)?

    The rules about what may be typed (no control characters, no look-alike names) are for entry:
    a value already on record, from an older version or edited outside the app, is still shown,
    made safe by the output layer, rather than hiding the record. Ranges still apply on reading:
    a date in year 9999 would break the rules that compute with it."""
    return bool((info.context or {}).get("stored"))


# -- rules about time -------------------------------------------------------------------------------
def context_today(info: ValidationInfo) -> date | None:
    """The team clock's today when a write is being checked; None when a stored record is read."""
    return (info.context or {}).get("today")


def refuse_future(day: date | None, today: date | None, label: str) -> None:
    """An event (a receipt, a meeting, a check) cannot have happened after today."""
    if day is not None and today is not None and day > today:
        raise ValueError(f"{label}: {day:%d/%m/%Y} is in the future; events are recorded once they happen")


def refuse_before(day: date | None, earlier: date | None, label: str, what: str) -> None:
    """``day`` cannot come before ``earlier`` (what it follows, described as ``what``)."""
    if day is not None and earlier is not None and day < earlier:
        raise ValueError(f"{label}: {day:%d/%m/%Y} is before {what} ({earlier:%d/%m/%Y})")


def moment_day(stamp: str, tz: str) -> date:
    """The team's calendar day of a stored UTC stamp."""
    return to_local(parse_utc(stamp), tz).date()

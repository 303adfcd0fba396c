"""The Content-Disposition header of every download, built in one place.

A file name can carry data (a person's reference, a year from the address). Written
into the header as it is, a quote or a semicolon would end the value early and a line
break would start a header of its own. So the header always holds a plain ASCII name
in `filename="…"`, made only of letters, digits, dot, hyphen and underscore; when the
real name has other characters, it follows percent-encoded in `filename*` (RFC 6266
with RFC 5987), which browsers prefer and which cannot break the header either.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

FALLBACK_NAME = "fil"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_NOT_PLAIN = re.compile(r"[^A-Za-z0-9._-]+")
# Norwegian letters without an ASCII decomposition, written as Norwegians do in ASCII.
_NORWEGIAN = str.maketrans({"æ": "ae", "Æ": "Ae", "ø": "o", "Ø": "O", "å": "a", "Å": "A"})


def _readable(filename: str) -> str:
    """The name without control characters or folder separators."""
    return _CONTROL.sub("", filename).replace("/", "_").replace("\\", "_").strip()


def ascii_filename(filename: str) -> str:
    """A name of letters, digits, dot, hyphen and underscore only; é becomes e, ø o."""
    decomposed = unicodedata.normalize("NFKD", _readable(filename).translate(_NORWEGIAN))
    ascii_only = decomposed.encode("ascii", "ignore").decode("ascii")
    # No leading dot either: the saved file should not be hidden.
    return _NOT_PLAIN.sub("_", ascii_only).lstrip(".") or FALLBACK_NAME


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """The header value: `attachment` (or `inline`) with a name that is always safe."""
    kind = "inline" if inline else "attachment"
    readable = _readable(filename)
    plain = ascii_filename(readable)
    value = f'{kind}; filename="{plain}"'
    if readable and plain != readable:
        value += f"; filename*=UTF-8''{quote(readable, safe='')}"
    return value

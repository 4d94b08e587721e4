"""Bytes to text: UTF-8 (BOM or not), UTF-16/32 with a BOM, else the legacy encoding detected."""

from __future__ import annotations

import codecs
import re

from ringkas.errors import InputError

# A share of control characters above this in decoded text means it was not text to begin with.
MAX_CONTROL_SHARE = 0.02
# C0 control characters but tab, newline, form feed and carriage return (a regex: 20 times faster
# than a loop over the characters, which cost each document 0.1 ms)
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f]")
_WESTERN = ("cp1252", "latin_1", "iso8859_15")

# Byte-order marks of the UTF encodings whose text holds NUL bytes (Notepad's "Unicode"),
# longest first: the UTF-32 LE mark begins with the UTF-16 LE one.
_UTF_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
             (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def decode_bytes(data: bytes) -> tuple[str, tuple[str, ...]]:
    """Decode ``data`` as UTF-8 (BOM or not), UTF-16/32 with a BOM, else as charset-normalizer detects."""
    for bom, encoding in _UTF_BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                break
            if looks_binary(text):
                break
            return text, (f"input decoded as {encoding} (byte-order mark), not UTF-8",)
    if b"\x00" in data[:8192]:
        raise InputError("binary", "input looks binary (NUL bytes), not text")
    try:
        return data.decode("utf-8-sig"), ()
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # only legacy-encoded input pays for the import

    results = from_bytes(data)
    best = results.best()
    if best is None:
        raise InputError("undecodable", "input is not text in any encoding that could be detected")
    # Short texts are ambiguous between single-byte code pages (charset-normalizer ranks cp1250
    # first for "Café déjà"); Indonesian is Latin script and its legacy files are Windows-1252 or
    # Latin-1, so a Western code page that decodes as cleanly wins, and where it decodes to the
    # same text it is the name reported.
    for match in results:
        if match.encoding in _WESTERN and match.chaos <= best.chaos + 0.01:
            best = match
            break
    text = str(best)
    if looks_binary(text):
        raise InputError("binary", "input looks binary (control characters), not text")
    western = [e for e in (best.encoding, *best.could_be_from_charset) if e in _WESTERN]
    return text, (f"input decoded as {western[0] if western else best.encoding}, not UTF-8",)


def looks_binary(text: str) -> bool:
    """Whether the start of ``text`` holds more control characters than any real text does."""
    sample = text[:8192]
    if not sample:
        return False
    return len(_CONTROL.findall(sample)) / len(sample) > MAX_CONTROL_SHARE

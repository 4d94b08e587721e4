"""Bytes to text: UTF-8 (BOM or not), UTF-16/32 with a BOM, UTF-16 without one; else Windows-1252
(and so Latin-1) when it decodes cleanly, the legacy encodings of Indonesian files; else the
encoding charset-normalizer detects."""

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
# The mess ratio (charset-normalizer's measure of how unlike text a decoding reads) at which
# cp1252 is no longer taken without asking charset-normalizer: its own default threshold.
_MAX_WESTERN_MESS = 0.2
# UTF-16 without a byte-order mark: at least this share of the high bytes (one side of each pair)
# are NUL, and at most this share of the low ones.
_UTF16_NUL_SHARE = 0.6
_UTF16_STRAY_SHARE = 0.02

# Byte-order marks of the UTF encodings whose text holds NUL bytes (Notepad's "Unicode"),
# longest first: the UTF-32 LE mark begins with the UTF-16 LE one.
_UTF_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
             (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def decode_bytes(data: bytes) -> tuple[str, tuple[str, ...]]:
    """Decode ``data`` as UTF-8 (BOM or not), UTF-16 (BOM or not) or UTF-32 with a BOM, cp1252 when it
    decodes cleanly, else as charset-normalizer detects; the warnings say which, when not UTF-8."""
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
        utf16 = _utf16_without_bom(data)
        if utf16 is None:
            raise InputError("binary", "input looks binary (NUL bytes), not text")
        return utf16
    try:
        return data.decode("utf-8-sig"), ()
    except UnicodeDecodeError:
        pass
    clean = _western(data)
    if clean is not None:
        return clean
    from charset_normalizer import from_bytes  # only input in neither UTF-8 nor cp1252 pays for the import

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


def _utf16_without_bom(data: bytes) -> tuple[str, tuple[str, ...]] | None:
    """UTF-16 text without a byte-order mark (what some Windows editors save), told by its NUL bytes:
    Latin-script text in UTF-16 has a NUL in nearly every other byte, always on the same side."""
    sample = data[:8192]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    for encoding, nuls, other in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if nuls >= _UTF16_NUL_SHARE * half and other <= _UTF16_STRAY_SHARE * half:
            try:
                text = data[: len(data) - len(data) % 2].decode(encoding)
            except UnicodeDecodeError:  # an unpaired surrogate: not UTF-16 after all
                return None
            if looks_binary(text):
                return None
            return text, (f"input decoded as {encoding} (no byte-order mark), not UTF-8",)
    return None


def _western(data: bytes) -> tuple[str, tuple[str, ...]] | None:
    """``data`` as Windows-1252 (of which Latin-1 text is a part), when it decodes cleanly: no byte
    it leaves undefined, no control characters, and text charset-normalizer's mess detector passes."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:  # 0x81, 0x8D, 0x8F, 0x90 or 0x9D: not Windows-1252
        return None
    if looks_binary(text):
        return None
    from charset_normalizer.md import mess_ratio  # only legacy-encoded input pays for the import

    # Cyrillic, Greek or CJK bytes read as cp1252 are runs of accented letters and symbols, which
    # the mess detector scores at 1 or more; Indonesian with a few accented names scores 0.
    if mess_ratio(text, _MAX_WESTERN_MESS) >= _MAX_WESTERN_MESS:
        return None
    return text, ("input decoded as cp1252, not UTF-8",)


def looks_binary(text: str) -> bool:
    """Whether the start of ``text`` holds more control characters than any real text does."""
    sample = text[:8192]
    if not sample:
        return False
    return len(_CONTROL.findall(sample)) / len(sample) > MAX_CONTROL_SHARE

"""Bytes to text, with a clear reason when the bytes are not text.

Order of decisions (:func:`decode_text`):

1. empty input: ``empty file``;
2. a byte-order mark decides (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE);
3. UTF-16 without a BOM, recognised by its NUL bytes in every other position with
   printable text between them;
4. known binary signatures (PDF, images, archives, office documents, executables) and
   NUL bytes: ``binary content (...), not text``;
5. valid UTF-8 is UTF-8 (ASCII included);
6. otherwise charset-normalizer's best guess, except that Windows-1252 wins when it
   decodes the bytes with no more "mess" than the guess: on short Western-European
   texts charset-normalizer often picks cp1250 or even cp1006, turning ``naïve`` into
   ``naďve``, while cp1252 is by far the most common legacy encoding of news text;
7. nothing decodes: ``could not detect the text encoding``.
"""

from __future__ import annotations

import codecs

from ..errors import IngestError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_MAGIC = (
    (b"%PDF-", "PDF document"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"RIFF", "RIFF media (WebP/WAV/AVI)"),
    (b"PK\x03\x04", "ZIP archive or office document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "legacy MS Office document"),
    (b"\x7fELF", "ELF executable"),
    (b"MZ", "Windows executable"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"\x28\xb5\x2f\xfd", "zstd archive"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"PAR1", "Parquet file"),
    (b"ID3", "MP3 audio"),
    (b"OggS", "Ogg media"),
    (b"\x00\x00\x00", "binary data"),
)


def bom_encoding(data: bytes) -> str | None:
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return enc
    return None


def binary_kind(data: bytes) -> str | None:
    """A description when ``data`` is binary (and has no text BOM), else None."""
    if bom_encoding(data):
        return None
    head = data[:16]
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            # "MZ"/"RIFF"/"ID3" are also plausible starts of text; require a NUL too.
            if magic in (b"MZ", b"RIFF", b"ID3", b"BZh") and b"\x00" not in data[:4096]:
                continue
            return kind
    if b"\x00" in data[:65536]:
        return "NUL bytes"
    return None


def _bomless_utf16(data: bytes) -> str | None:
    head = data[:4096]
    if len(head) < 4 or len(data) % 2:
        return None
    even_nul = head[0::2].count(0) / len(head[0::2])
    odd_nul = head[1::2].count(0) / len(head[1::2])
    if odd_nul >= 0.9 and even_nul < 0.1:
        enc = "utf-16-le"
    elif even_nul >= 0.9 and odd_nul < 0.1:
        enc = "utf-16-be"
    else:
        return None
    try:
        text = data.decode(enc)
    except UnicodeDecodeError:
        return None
    printable = sum(1 for c in text[:2048] if c.isprintable() or c.isspace())
    return text if printable >= 0.95 * len(text[:2048]) else None


def _mess(text: str) -> float:
    from charset_normalizer.md import mess_ratio

    return mess_ratio(text)


def decode_text(data: bytes, source: str) -> str:
    """Decode ``data`` to text or raise :class:`IngestError` naming the problem."""
    if not data:
        raise IngestError(source, "empty file")
    enc = bom_encoding(data)
    if enc:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError as exc:
            raise IngestError(source, f"invalid {enc.upper()} after its byte-order mark "
                                      f"(at byte {exc.start})") from None
        text = text.removeprefix("\ufeff")
    elif (utf16 := _bomless_utf16(data)) is not None:
        text = utf16
    else:
        kind = binary_kind(data)
        if kind:
            raise IngestError(source, f"binary content ({kind}), not text")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = _decode_legacy(data, source)
    if not text.strip():
        raise IngestError(source, "empty file (only whitespace)")
    return text


def _decode_legacy(data: bytes, source: str) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    guess = str(best) if best is not None else None
    try:
        cp1252 = data.decode("cp1252")
    except UnicodeDecodeError:
        cp1252 = None
    if cp1252 is not None and (guess is None or _mess(cp1252) <= _mess(guess)):
        return cp1252
    if guess is None:
        raise IngestError(source, "could not detect the text encoding (not UTF-8, not Windows-1252)")
    return guess


__all__ = ["binary_kind", "bom_encoding", "decode_text"]

"""Decoding and normalisation of input text: the text kg keeps, and its offsets.

Every offset kg produces later (``kg.extract.model.Span``) refers to the string
returned by :func:`clean`. Cleaning therefore only does what a reader would not
notice: line endings, HTML markup, Unicode NFC, exotic spaces and invisible
control characters. Typographic apostrophes and quotes (’ « ») are kept as they
are, so that anchors and quotes match what the reader sees.
"""
from __future__ import annotations

import logging
import re
import unicodedata

from charset_normalizer import from_bytes
from selectolax.lexbor import LexborHTMLParser, LexborNode

__all__ = ["MAX_CHARS", "InputError", "check_text", "clean", "decode", "looks_french", "lower_keep_offsets",
           "scrub_surrogates"]

log = logging.getLogger(__name__)

MAX_CHARS = 100_000
"""Longest text (in characters, after cleaning) that kg accepts as one document.

About 15,000 words, ten times a long news report. Building one document grows
faster than its length (parsing, then reasoning over and validating one graph):
100,000 characters took 2.7 min and 750 MB peak (the model included) on the
2-CPU dev box, so this bounds the memory of a build. Longer texts are refused,
not cut, and the message says to split them. (spaCy refuses over 1,000,000.)
"""

_BOM_UTF8 = b"\xef\xbb\xbf"
_BOMS_UTF16 = {b"\xff\xfe": "utf-16-le", b"\xfe\xff": "utf-16-be"}
_FALLBACK_ENCODINGS = ["cp1252", "latin_1"]
_MAX_CHAOS = 0.15  # charset-normalizer's "mess" ratio above which we refuse to guess
_SAMPLE = 65_536  # characters inspected by the binary and language heuristics
_MAX_UNPRINTABLE = 0.10


class InputError(ValueError):
    """An input the user must fix; the CLI prints its message on one line and exits with 2."""


def decode(data: bytes) -> str:
    """Decode raw bytes to text: UTF-8 (BOM stripped), else cp1252/latin-1 when charset-normalizer is sure.

    UTF-16 with a byte-order mark is accepted too. Binary data (NUL bytes, or
    mostly non-printable characters) and undetectable encodings raise
    :class:`InputError`.
    """
    for bom, encoding in _BOMS_UTF16.items():
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(encoding)
            except UnicodeDecodeError as err:
                raise InputError(f"input has a UTF-16 byte-order mark but is not valid UTF-16 ({err.reason})") from None
            _refuse_binary(text)
            return text
    if b"\x00" in data:
        raise InputError("input looks like binary data (it contains NUL bytes), not text")
    if data.startswith(_BOM_UTF8):
        data = data[len(_BOM_UTF8):]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        best = from_bytes(data, cp_isolation=_FALLBACK_ENCODINGS).best()
        if best is None or best.chaos > _MAX_CHAOS:
            raise InputError("input is not valid UTF-8 and its encoding could not be detected reliably; "
                             "convert it to UTF-8") from None
        log.info("input is not UTF-8; decoded as %s", best.encoding)
        text = str(best)
    _refuse_binary(text)
    return text


def _refuse_binary(text: str) -> None:
    """Raise InputError when most of ``text`` is non-printable (a binary file decoded by chance)."""
    sample = text[:_SAMPLE]
    if not sample:
        return
    unprintable = sum(1 for ch in sample if ch not in "\n\r\t\f" and unicodedata.category(ch) in ("Cc", "Co", "Cn"))
    if unprintable / len(sample) > _MAX_UNPRINTABLE:
        raise InputError("input looks like binary data (mostly non-printable characters), not text")


# --- cleaning -----------------------------------------------------------------------------------

_LOOKS_HTML = re.compile(
    r"<(?:!doctype\s+html|html|head|body|p|div|br|article|section|span|h[1-6]|ul|ol|li|table|script|style|a\s)"
    r"[^<>]*>", re.IGNORECASE)
_DROP_SELECTORS = ", ".join([
    "script", "style", "noscript", "template", "iframe", "svg", "nav", "footer", "aside", "form", "button",
    "head", "[hidden]", '[aria-hidden="true"]', '[role="navigation"]', '[role="banner"]', '[role="dialog"]',
    *(f'[{attr}*="{word}"]' for attr in ("id", "class")
      for word in ("cookie", "consent", "gdpr", "rgpd", "newsletter", "share", "social", "advert", "banner")),
])
_BLOCK_TAGS = frozenset({
    "address", "article", "blockquote", "caption", "dd", "details", "dialog", "div", "dl", "dt", "fieldset",
    "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "ol", "p", "pre",
    "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "title", "tr", "ul", "body", "html",
})
_HTML_SPACES = re.compile(r"[ \t\n\f\r]+")
_SPACES_AROUND_NL = re.compile(r" *\n *")
_MANY_NL = re.compile(r"\n{3,}")
_MANY_SPACES = re.compile(r" {2,}")
_SURROGATE = re.compile("[\ud800-\udfff]")  # lone surrogates (a JSON "\\ud800") cannot be encoded

# Spaces that look like a plain space to a reader (nbsp, narrow nbsp, thin, figure, em/en spaces...).
_SPACE_CHARS = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
# Invisible format characters: soft hyphen, zero-width, bidi marks/embeddings, word joiner, BOM.
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\ufeff"
_TRANSLATE: dict[int, str | None] = {
    **{code: None for code in [*range(0x00, 0x20), *range(0x7f, 0xa0)] if chr(code) not in "\n\t"},
    **{ord(ch): "\n" for ch in "\f\v\u2028\u2029\x85"},
    **{ord(ch): " " for ch in _SPACE_CHARS},
    **{ord(ch): None for ch in _INVISIBLE},
}


def clean(text: str) -> str:
    """Return the text kg keeps: LF line ends, HTML stripped, NFC, plain spaces, no control characters.

    A lone surrogate (from a JSON ``\\ud800`` escape) becomes U+FFFD, one character for one.

    HTML (detected by :func:`looks_like_html`) loses scripts, styles, navigation,
    footers and cookie/consent banners; block elements become paragraph breaks.
    Leading and trailing whitespace is removed. Apostrophes and quotes are kept.
    """
    text = scrub_surrogates(text.replace("\r\n", "\n").replace("\r", "\n"))
    if looks_like_html(text):
        text = _strip_html(text)
    text = text.translate(_TRANSLATE)  # before NFC: removing a zero-width space may join a combining accent
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text.strip()


def scrub_surrogates(text: str) -> str:
    """``text`` with each lone surrogate (a JSON ``\\ud800`` escape) replaced by U+FFFD: encodable, same length."""
    return _SURROGATE.sub("\ufffd", text)


def looks_like_html(text: str) -> bool:
    """True when ``text`` contains an HTML tag kg knows (``<p>``, ``<div>``, ``<br>``, ``<html>``...)."""
    return _LOOKS_HTML.search(text, 0, _SAMPLE) is not None


def _strip_html(markup: str) -> str:
    """Visible text of an HTML page, with a blank line between blocks and a newline per ``<br>``."""
    tree = LexborHTMLParser(markup)
    for unwanted in tree.css(_DROP_SELECTORS):
        unwanted.decompose()
    root = tree.body or tree.root
    if root is None:
        return ""
    parts: list[str] = []
    # Iterative walk (deeply nested pages must not hit the recursion limit); None marks a block end.
    stack: list[LexborNode | None] = [root]
    while stack:
        node = stack.pop()
        if node is None:
            parts.append("\n\n")
            continue
        if node.is_text_node:
            parts.append(_HTML_SPACES.sub(" ", node.text_content or ""))
            continue
        tag = node.tag
        if tag == "br":
            parts.append("\n")
            continue
        if tag in _BLOCK_TAGS:
            parts.append("\n\n")
            stack.append(None)
        stack.extend(reversed(list(node.iter(include_text=True))))
    text = _MANY_SPACES.sub(" ", "".join(parts))
    text = _SPACES_AROUND_NL.sub("\n", text)
    return _MANY_NL.sub("\n\n", text).strip()


def lower_keep_offsets(text: str) -> str:
    """``text`` in lower case, character for character, so offsets into it are offsets into ``text``.

    Matching case-sensitive patterns on this is about twice as fast as ``re.IGNORECASE``.
    The rare characters whose lower case is longer (İ) are left as they are.
    """
    lowered = text.lower()
    if len(lowered) == len(text):  # lower() never shortens, so equal length means aligned
        return lowered
    return "".join(low if len(low := ch.lower()) == 1 else ch for ch in text)


# --- checks -------------------------------------------------------------------------------------

def check_text(text: str) -> None:
    """Raise :class:`InputError` when ``text`` is empty, blank, or longer than :data:`MAX_CHARS`."""
    if not text.strip():
        raise InputError("input is empty (no text left after decoding and cleaning)")
    if len(text) > MAX_CHARS:
        raise InputError(f"input is too long: {len(text):,} characters; the limit is {MAX_CHARS:,} "
                         "(split it into several documents)")


_WORD = re.compile(r"[^\W\d_]+")
_FRENCH = frozenset(
    "le la les de des du et en un une est au aux que qui dans pour par sur ont il elle ne pas ce cette "
    "se sont avec plus ou leur été selon mais son sa ses lors après contre à l d qu".split())
_ENGLISH = frozenset(
    "the of and to in is was were that for on with by from at as are have has this which it said after".split())
_MIN_WORDS = 8
_MIN_FRENCH_RATIO = 0.12


def looks_french(text: str) -> bool:
    """Heuristic: True when French stop words are frequent enough (and outnumber English ones).

    Used only for a warning. Texts shorter than eight words are given the benefit of the doubt.
    """
    words = [w.lower() for w in _WORD.findall(text, 0, _SAMPLE)]
    if len(words) < _MIN_WORDS:
        return True
    french = sum(1 for w in words if w in _FRENCH)
    english = sum(1 for w in words if w in _ENGLISH)
    return french / len(words) >= _MIN_FRENCH_RATIO and french > english

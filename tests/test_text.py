"""kg.text: decoding, cleaning and input checks (sentences written for these tests)."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.text import MAX_CHARS, InputError, check_text, clean, decode, looks_french

SENTENCE = "Des hommes armés ont attaqué le poste de Tessit à l’aube, a indiqué l’état-major."


@pytest.mark.parametrize(("data", "expected"), [
    (SENTENCE.encode("utf-8"), SENTENCE),
    (b"\xef\xbb\xbf" + SENTENCE.encode("utf-8"), SENTENCE),
    (SENTENCE.encode("cp1252"), SENTENCE),
    ("Le préfet de Ménaka a confirmé l’enlèvement de trois élus.".encode("cp1252"),
     "Le préfet de Ménaka a confirmé l’enlèvement de trois élus."),
    (b"\xff\xfe" + SENTENCE.encode("utf-16-le"), SENTENCE),
    (b"\xfe\xff" + SENTENCE.encode("utf-16-be"), SENTENCE),
    (b"", ""),
], ids=["utf8", "utf8-bom", "cp1252", "cp1252-accents", "utf16le-bom", "utf16be-bom", "empty"])
def test_decode(data: bytes, expected: str) -> None:
    assert decode(data) == expected


@pytest.mark.parametrize(("data", "message"), [
    (b"PK\x03\x04\x00\x00\x08\x00binary", "input looks like binary data (it contains NUL bytes), not text"),
    (bytes(range(1, 9)) * 20, "input looks like binary data (mostly non-printable characters), not text"),
    (b"abc \x81\x8d\x8f\x90\x9d",
     "input is not valid UTF-8 and its encoding could not be detected reliably; convert it to UTF-8"),
    ("Привет, это русский текст о погоде.".encode("cp1251"),
     "input is not valid UTF-8 and its encoding could not be detected reliably; convert it to UTF-8"),
    (b"\xff\xfe\x00\xd8", "input has a UTF-16 byte-order mark but is not valid UTF-16 (unexpected end of data)"),
], ids=["nul-bytes", "control-bytes", "undefined-cp1252", "cyrillic-cp1251", "broken-utf16"])
def test_decode_refuses(data: bytes, message: str) -> None:
    with pytest.raises(InputError) as err:
        decode(data)
    assert str(err.value) == message
    assert "\n" not in str(err.value)


def test_input_error_is_value_error() -> None:
    assert issubclass(InputError, ValueError)


HTML_PAGE = """<!DOCTYPE html>
<html><head><title>Titre du site</title><style>p { color: red }</style></head>
<body>
<nav><a href="/">Accueil</a> | <a href="/monde">Monde</a></nav>
<div id="cookie-consent">Ce site utilise des cookies. <button>Accepter</button></div>
<article>
  <h1>Embuscade   meurtrière près de Djibo</h1>
  <p>Au moins <b>douze</b>&nbsp;soldats ont été tués,
  selon l’armée.</p>
  <p>Première ligne<br>seconde ligne</p>
</article>
<script>window.tracker = 1;</script>
<footer>© Journal du Sahel</footer>
</body></html>"""


@pytest.mark.parametrize(("raw", "expected"), [
    ("Ligne un\r\nLigne deux\rLigne trois", "Ligne un\nLigne deux\nLigne trois"),
    ("Bilan\u00a0: 5 morts\u202f; 3 blessés\u2009!", "Bilan : 5 morts ; 3 blessés !"),
    ("Ke\u0301nieba", "Kénieba"),  # decomposed accent -> NFC
    ("Ke\u200b\u0301nieba", "Kénieba"),  # a zero-width space between letter and accent
    ("tu\u00e9s\x07 et\x00 bless\u00e9s\u00ad", "tués et blessés"),
    ("colonne\tvaleur\n", "colonne\tvaleur"),
    ("« L’armée a riposté », a-t-il dit.", "« L’armée a riposté », a-t-il dit."),
    ("  \n Texte entouré de blancs. \n ", "Texte entouré de blancs."),
    ("Le score est 3 < 5 et 7 > 2.", "Le score est 3 < 5 et 7 > 2."),  # not HTML
    (HTML_PAGE, "Embuscade meurtrière près de Djibo\n\nAu moins douze soldats ont été tués, selon l’armée."
                "\n\nPremière ligne\nseconde ligne"),
    ("<p>Un paragraphe.</p><p>Un autre &amp; un dernier.</p>", "Un paragraphe.\n\nUn autre & un dernier."),
], ids=["line-ends", "spaces", "nfc", "nfc-after-zwsp", "controls", "tab-kept", "quotes-kept", "strip",
        "angle-brackets", "html-page", "html-fragment"])
def test_clean(raw: str, expected: str) -> None:
    assert clean(raw) == expected


_PLAIN = st.text(st.characters(blacklist_characters="<&", blacklist_categories=("Cs",)), max_size=200)


@given(_PLAIN)
def test_clean_is_idempotent(raw: str) -> None:
    once = clean(raw)
    assert clean(once) == once


@given(_PLAIN)
def test_clean_leaves_no_control_characters(raw: str) -> None:
    out = clean(raw)
    assert "\r" not in out and "\u00a0" not in out
    assert all(ch in "\n\t" or not (ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0) for ch in out)


@pytest.mark.parametrize(("text", "message"), [
    ("", "input is empty (no text left after decoding and cleaning)"),
    (" \n\t ", "input is empty (no text left after decoding and cleaning)"),
    ("a" * (MAX_CHARS + 1),
     f"input is too long: {MAX_CHARS + 1:,} characters; the limit is {MAX_CHARS:,} (split it into several documents)"),
], ids=["empty", "blank", "too-long"])
def test_check_text_refuses(text: str, message: str) -> None:
    with pytest.raises(InputError) as err:
        check_text(text)
    assert str(err.value) == message


@pytest.mark.parametrize("text", [SENTENCE, "a" * MAX_CHARS])
def test_check_text_accepts(text: str) -> None:
    check_text(text)


@pytest.mark.parametrize(("text", "expected"), [
    (SENTENCE, True),
    ("Selon une source locale, les assaillants sont arrivés à moto et ont incendié le marché du village.", True),
    ("Gunmen attacked the army post at dawn and killed several soldiers, the ministry said on Monday.", False),
    ("Wannan rahoto ya bayyana cewa mutane da dama sun rasa rayukansu a harin da aka kai jiya.", False),
    ("Djibo, 12 juillet.", True),  # too short to judge
], ids=["french", "french-2", "english", "hausa", "short"])
def test_looks_french(text: str, expected: bool) -> None:
    assert looks_french(text) is expected

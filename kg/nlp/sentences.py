"""Sentence boundaries for news text, set before the parser so that it respects them.

``fr_core_news_sm``'s parser merges a headline with the next paragraph, splits
after an elided article ("lors d’ | une attaque") and after a subject ("L’armée
malienne | a déclaré"). This component decides every boundary itself: a
sentence starts after a line break, or after ``. ! ? …`` followed by a capital
or an opening quote, except after a title abbreviation ("Col.", "M.").
"""
from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

_ELIDED = re.compile(r"^(?:[ldjmnstc]|qu|jusqu|lorsqu|puisqu|quoiqu)['’]$", re.IGNORECASE)
_ABBREVIATIONS = {"col.", "gén.", "lt.", "cdt.", "m.", "mm.", "mme.", "dr.", "st.", "ste.", "cap.", "sgt.", "p.", "av."}
_END = {".", "!", "?", "…"}


class SentenceBounds:
    """Preset sentence starts from layout and punctuation (keyword-free spaCy component)."""

    def __call__(self, doc: Doc) -> Doc:
        for i, token in enumerate(doc):
            if i == 0:
                token.is_sent_start = True
                continue
            prev = doc[i - 1]
            if token.is_space:
                token.is_sent_start = False
            elif "\n" in prev.text or "\n" in prev.whitespace_:
                token.is_sent_start = True
            elif prev.text in _END and (token.text[:1].isupper() or token.text[:1] in "«“\"") \
                    and not (i >= 2 and doc[i - 2].lower_ + "." in _ABBREVIATIONS):
                token.is_sent_start = True
            elif prev.lower_ in _ABBREVIATIONS or _ELIDED.match(prev.text):
                token.is_sent_start = False
            else:
                token.is_sent_start = False
        return doc


@Language.factory("kg_sentence_bounds", assigns=["token.is_sent_start"], requires=[])
def make_sentence_bounds(nlp: Language, name: str) -> SentenceBounds:
    """Factory registered with spaCy so the pipeline can check its order."""
    return SentenceBounds()

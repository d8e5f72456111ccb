"""The only place kg mints IRIs: deterministic, from stable keys, always valid.

Keys come from the gazetteer or from normalised names, so the same actor named
in two documents reaches the same IRI. Whatever a key holds (quotes, ``>``,
spaces, emoji, right-to-left script, control characters), the IRI is valid:
keys are slugged to ``[a-z0-9-]`` and, when slugging loses information, a short
hash of the original key is appended so that distinct keys stay distinct.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata

from rdflib import URIRef

DEFAULT_BASE = "https://w3id.org/sahel-kg/id/"

_NON_SLUG = re.compile(r"[^a-z0-9]+")
_RESERVED = {"inferred", "meta"}


def slug(text: str, *, max_len: int = 60) -> str:
    """ASCII slug of any text; a hash suffix keeps lossy slugs distinct."""
    folded = unicodedata.normalize("NFKD", text.replace("’", "'"))
    folded = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    s = _NON_SLUG.sub("-", folded).strip("-")[:max_len].strip("-")
    if s and s == text:
        return s
    digest = hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{s}-{digest}" if s else f"x-{digest}"


class IriMinter:
    """Mints every data IRI of kg under one base IRI (a setting)."""

    def __init__(self, base: str = DEFAULT_BASE) -> None:
        if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://[^\s<>\"{}|\\^`]*[/#]$", base):
            raise ValueError(f"base IRI must be absolute and end with / or #: {base!r}")
        self.base = base

    def _iri(self, *parts: str) -> URIRef:
        return URIRef(self.base + "/".join(parts))

    def doc_part(self, doc_id: str) -> str:
        """Path segment of a document id (kept readable when it is already a slug)."""
        if doc_id in _RESERVED:  # a document called "inferred" must not name the reasoner's graph
            return f"{doc_id}-{hashlib.sha1(doc_id.encode()).hexdigest()[:8]}"
        return doc_id if re.fullmatch(r"[A-Za-z0-9._-]{1,120}", doc_id) and doc_id not in (".", "..") else slug(doc_id)

    def document(self, doc_id: str) -> URIRef:
        return self._iri("doc", self.doc_part(doc_id))

    def mention(self, doc_id: str, start: int, end: int) -> URIRef:
        """RFC 5147 style fragment of the document's text."""
        return URIRef(f"{self.document(doc_id)}#char={start},{end}")

    def graph(self, doc_id: str) -> URIRef:
        return self._iri("graph", self.doc_part(doc_id))

    def inferred_graph(self, doc_id: str | None = None) -> URIRef:
        return self._iri("graph", self.doc_part(doc_id), "inferred") if doc_id else self._iri("graph", "inferred")

    def event(self, doc_id: str, event_id: str) -> URIRef:
        return self._iri("event", self.doc_part(doc_id), slug(event_id))

    def incident(self, place_key: str, day: str, family: str) -> URIRef:
        """An event every report of the same incident reaches: same place, same day, same kind of violence."""
        return self._iri("event", slug(place_key), day, family)

    def figure(self, doc_id: str, n: int) -> URIRef:
        return self._iri("figure", self.doc_part(doc_id), str(n))

    def claim(self, doc_id: str, n: int) -> URIRef:
        return self._iri("claim", self.doc_part(doc_id), str(n))

    def statement(self, doc_id: str, n: int) -> URIRef:
        return self._iri("statement", self.doc_part(doc_id), str(n))

    def actor(self, key: str) -> URIRef:
        return self._iri("actor", slug(key))

    def place(self, key: str) -> URIRef:
        return self._iri("place", slug(key))

    def geometry(self, key: str) -> URIRef:
        return self._iri("place", slug(key), "geometry")

    def person(self, key: str) -> URIRef:
        return self._iri("person", slug(key))

    def post(self, person_key: str, org_key: str | None) -> URIRef:
        return self._iri("post", slug(person_key), slug(org_key or "unknown"))

    def role(self, label: str) -> URIRef:
        return self._iri("role", slug(label))

    def dataset(self, name: str) -> URIRef:
        """A data source kg ships (the gazetteer)."""
        return self._iri("dataset", slug(name))

    def source_label(self, label: str) -> URIRef:
        return self._iri("source", slug(label))

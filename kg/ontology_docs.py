"""The ontology as a product: one Turtle file, the JSON-LD context and a readable HTML page.

``kg ontology`` merges the Turtle files of ``ontology/`` (OWL classes and
properties, SKOS event types and codes) into ``kg-ontology.ttl``, copies the
published JSON-LD context, and writes ``index.html``: title, version IRI,
licence, then every class, property and concept of kg's namespaces with its
French and English labels and comments, super-classes and -properties,
domain and range. The page is generated here with rdflib and ``html.escape``
(pyLODE would add a dependency with its own rdflib pin for one page); it
needs no network and is byte-for-byte stable.
"""
from __future__ import annotations

import html
import json
import logging
from collections.abc import Sequence
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.compare import to_canonical_graph
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS
from rdflib.term import Node

from kg.export import jsonld_context, serialize, write_atomic
from kg.rdf.namespaces import KG, PREFIXES
from kg.resources import ontology_files

log = logging.getLogger(__name__)

ONTOLOGY_SPACE = str(KG).rstrip("#")
"""Every term whose IRI starts with this belongs to kg (``kg:``, ``kgt:``, ``kgc:``)."""
_SECTIONS = [
    ("classes", "Classes", [OWL.Class, RDFS.Class]),
    ("object-properties", "Object properties", [OWL.ObjectProperty]),
    ("datatype-properties", "Datatype properties", [OWL.DatatypeProperty]),
    ("annotation-properties", "Annotation properties", [OWL.AnnotationProperty]),
    ("concept-schemes", "Concept schemes", [SKOS.ConceptScheme]),
    ("concepts", "Concepts", [SKOS.Concept]),
]
_CHARACTERISTICS = [OWL.TransitiveProperty, OWL.SymmetricProperty, OWL.FunctionalProperty,
                    OWL.InverseFunctionalProperty, OWL.AsymmetricProperty, OWL.IrreflexiveProperty]
_FIELDS = [
    ("super-classes", RDFS.subClassOf), ("equivalent classes", OWL.equivalentClass),
    ("disjoint with", OWL.disjointWith), ("super-properties", RDFS.subPropertyOf),
    ("inverse of", OWL.inverseOf), ("domain", RDFS.domain), ("range", RDFS.range),
    ("in scheme", SKOS.inScheme), ("broader", SKOS.broader), ("exact match", SKOS.exactMatch),
    ("close match", SKOS.closeMatch), ("related match", SKOS.relatedMatch),
]


def load_ontology(files: Sequence[Path] | None = None) -> tuple[Graph, dict[str, str]]:
    """Merged graph of the ontology files and the prefixes to write it with (kg's first)."""
    merged = Graph(bind_namespaces="none")
    prefixes = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
    extra: dict[str, str] = {}
    for path in files if files is not None else ontology_files():
        part = Graph(bind_namespaces="none").parse(path, format="turtle")
        merged += part
        for prefix, ns in part.namespaces():
            if prefix and prefix not in prefixes and str(ns) not in prefixes.values():
                extra.setdefault(prefix, str(ns))
    if any(isinstance(node, BNode) for triple in merged for node in triple):
        merged = to_canonical_graph(merged)  # stable blank-node labels (owl:unionOf lists), stable bytes
    return merged, {**prefixes, **dict(sorted(extra.items()))}


def write_ontology(out_dir: Path, *, files: Sequence[Path] | None = None) -> list[Path]:
    """Write ``kg-ontology.ttl``, ``context.jsonld`` and ``index.html`` in ``out_dir``; paths written."""
    graph, prefixes = load_ontology(files)
    if not len(graph):
        raise ValueError("the ontology is empty: no Turtle file in ontology/")
    out_dir = Path(out_dir)
    context = (json.dumps(jsonld_context(), indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    paths = [
        write_atomic(out_dir / "kg-ontology.ttl", serialize(graph, "turtle", prefixes=prefixes)),
        write_atomic(out_dir / "context.jsonld", context),
        write_atomic(out_dir / "index.html", render_html(graph, prefixes).encode("utf-8")),
    ]
    log.info("wrote the ontology (%d triples) to %s", len(graph), out_dir)
    return paths


# --- the page -----------------------------------------------------------------------

class _Page:
    """Renders terms of one ontology graph as escaped HTML."""

    def __init__(self, graph: Graph, prefixes: dict[str, str]) -> None:
        self.graph = graph
        self.prefixes = sorted(prefixes.items(), key=lambda item: -len(item[1]))
        self.local = {s for s in graph.subjects() if isinstance(s, URIRef) and str(s).startswith(ONTOLOGY_SPACE)}

    def curie(self, iri: URIRef) -> str:
        for prefix, ns in self.prefixes:
            if str(iri).startswith(ns) and len(str(iri)) > len(ns):
                return f"{prefix}:{str(iri)[len(ns):]}"
        return str(iri)

    def anchor(self, iri: URIRef) -> str:
        return self.curie(iri).replace(":", "-")

    def link(self, node: Node) -> str:
        if isinstance(node, URIRef):
            href = f"#{self.anchor(node)}" if node in self.local else str(node)
            return f'<a href="{html.escape(href)}"><code>{html.escape(self.curie(node))}</code></a>'
        if isinstance(node, BNode):
            for keyword, word in ((OWL.unionOf, " or "), (OWL.intersectionOf, " and ")):
                members = self.graph.value(node, keyword)
                if members is not None:
                    return "(" + word.join(self.link(m) for m in Collection(self.graph, members)) + ")"
            return "<em>(anonymous class)</em>"
        return html.escape(str(node))

    def texts(self, subject: Node, *predicates: URIRef) -> list[str]:
        """``text (lang)`` items, French first, then English, then the rest."""
        order = {"fr": 0, "en": 1}
        found = [o for p in predicates for o in self.graph.objects(subject, p) if isinstance(o, Literal)]
        found.sort(key=lambda lit: (order.get(lit.language or "", 2), lit.language or "", str(lit)))
        return [f"{html.escape(str(lit))}" + (f' <span class="lang">{lit.language}</span>' if lit.language else "")
                for lit in found]

    def term(self, iri: URIRef) -> str:
        rows = [f'<section class="term" id="{html.escape(self.anchor(iri))}">',
                f"<h3><code>{html.escape(self.curie(iri))}</code></h3>",
                f'<p class="iri">{html.escape(str(iri))}</p>']
        labels = self.texts(iri, RDFS.label, SKOS.prefLabel)
        if labels:
            rows.append(f'<p class="labels">{" · ".join(labels)}</p>')
        rows += [f"<p>{text}</p>" for text in self.texts(iri, RDFS.comment, SKOS.definition)]
        facts = []
        kinds = [self.link(t) for t in sorted(self.graph.objects(iri, RDF.type)) if t in _CHARACTERISTICS]
        if kinds:
            facts.append(f"<dt>characteristics</dt><dd>{', '.join(kinds)}</dd>")
        for name, predicate in _FIELDS:
            values = sorted(self.graph.objects(iri, predicate), key=lambda n: (isinstance(n, BNode), str(n)))
            if values:
                facts.append(f"<dt>{name}</dt><dd>{', '.join(self.link(v) for v in values)}</dd>")
        if facts:
            rows.append("<dl>" + "".join(facts) + "</dl>")
        return "\n".join(rows + ["</section>"])


def _ontology_node(graph: Graph) -> URIRef | None:
    nodes = sorted(s for s in graph.subjects(RDF.type, OWL.Ontology) if isinstance(s, URIRef))
    with_version = [n for n in nodes if graph.value(n, OWL.versionIRI) is not None]
    return (with_version or nodes or [None])[0]


def render_html(graph: Graph, prefixes: dict[str, str]) -> str:
    """The human-readable page of the ontology (deterministic)."""
    page = _Page(graph, prefixes)
    node = _ontology_node(graph)
    about = {"titles": [], "descriptions": [], "facts": []}
    if node is not None:
        about["titles"] = page.texts(node, DCTERMS.title)
        about["descriptions"] = page.texts(node, DCTERMS.description)
        for name, value in (("ontology IRI", node), ("version IRI", graph.value(node, OWL.versionIRI)),
                            ("version", graph.value(node, OWL.versionInfo)),
                            ("licence", graph.value(node, DCTERMS.license))):
            if value is not None:
                text = html.escape(str(value))
                about["facts"].append(f"<dt>{name}</dt><dd>"
                                      + (f'<a href="{text}">{text}</a>' if isinstance(value, URIRef) else text)
                                      + "</dd>")
    english = [t for t in graph.objects(node, DCTERMS.title) if getattr(t, "language", None) == "en"] if node else []
    heading = html.escape(str(min(english)) if english else "kg ontology")
    about["facts"].append('<dt>files</dt><dd><a href="kg-ontology.ttl">kg-ontology.ttl</a> (Turtle) · '
                          '<a href="context.jsonld">context.jsonld</a> (JSON-LD context)</dd>')
    body = [f"<h1>{heading}</h1>", *(f'<p class="title">{t}</p>' for t in about["titles"]),
            *(f"<p>{d}</p>" for d in about["descriptions"]), "<dl>" + "".join(about["facts"]) + "</dl>",
            "<h2>Prefixes</h2><table>" + "".join(f"<tr><td><code>{html.escape(p)}:</code></td>"
                                                 f"<td>{html.escape(ns)}</td></tr>" for p, ns in prefixes.items())
            + "</table>"]
    toc, sections, listed = [], [], set()
    for anchor, title, types in _SECTIONS:
        terms = sorted({s for t in types for s in graph.subjects(RDF.type, t)} & page.local - listed)
        if not terms:
            continue
        listed |= set(terms)
        toc.append(f'<li><a href="#{anchor}">{title}</a> ({len(terms)})<br>'
                   + " ".join(page.link(t) for t in terms) + "</li>")
        sections.append(f'<h2 id="{anchor}">{title}</h2>\n' + "\n".join(page.term(t) for t in terms))
    body += ["<h2>Contents</h2><ul class=\"toc\">" + "".join(toc) + "</ul>", *sections]
    return _PAGE.format(title=heading, body="\n".join(body))


_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>body{{font:15px/1.5 sans-serif;max-width:60em;margin:2em auto;padding:0 1em;color:#222}}
code{{font-size:90%}}a{{color:#05a;text-decoration:none}}.iri{{color:#777;font-size:85%;margin:0}}
.term{{border-top:1px solid #ddd;padding:.3em 0}}.lang{{color:#888;font-size:80%}}
dt{{font-weight:bold;float:left;clear:left;width:10em}}dd{{margin-left:11em}}.toc li{{margin-bottom:.6em}}
td{{padding:0 1em 0 0}}</style></head>
<body>
{body}
</body></html>
"""

"""RDF side of kg: namespaces, IRI minting, extraction-to-graph mapping."""

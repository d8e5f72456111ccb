"""kg: event-centric RDF knowledge graphs from French conflict news (Sahel)."""

__version__ = "0.1.0"

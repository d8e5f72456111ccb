"""The spaCy side of kg: pipeline loading and the gazetteer entity ruler."""

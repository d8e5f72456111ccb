"""Extraction stages: from a spaCy Doc to plain dataclasses (kg.extract.model)."""

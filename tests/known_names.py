"""Stand-in for entity linking in rule tests: every occurrence of a few known names becomes a Mention."""
from __future__ import annotations

import re

from kg.extract.model import Mention


def mentions_of(text: str, names: dict[str, tuple[str, str] | str]) -> list[Mention]:
    """Mentions of ``names`` (name -> (kind, key), or key for an actor), longest first, never overlapping."""
    found: list[Mention] = []
    for name in sorted(names, key=len, reverse=True):
        kind, key = names[name] if isinstance(names[name], tuple) else ("actor", names[name])
        for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text):
            if not any(x.start < m.end() and m.start() < x.end for x in found):
                found.append(Mention(m.start(), m.end(), kind, key))
    return sorted(found)

"""What one search may cost: a few distinct words, and no word found almost everywhere.

A long query of the commonest words made the index score most of its documents many
times over (seconds per search). Here a query is cut to ``SEARCH_MAX_TERMS`` distinct
tokens, and words found in more than ``SEARCH_COMMON_SHARE`` of the documents are left
out while rarer ones remain; when every word is that common, only the
``COMMON_KEEP`` rarest are searched. The backends add a time limit of their own.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

#: Words in fewer documents than this are never "common", whatever their share: on a small
#: site every word is in a large share of the documents.
COMMON_FLOOR = 1000
#: When every word is common, this many of the rarest are searched.
COMMON_KEEP = 2


@dataclass(frozen=True)
class Plan:
    """The tokens searched, and why some the reader typed are not among them."""

    tokens: list[str]
    #: More distinct words than SEARCH_MAX_TERMS were typed: the first ones were kept.
    cut: bool = False
    #: Words found in most documents were left out.
    common: bool = False


def distinct(tokens: list[str], most: int) -> tuple[list[str], bool]:
    """The first ``most`` distinct tokens, in the order typed, and whether any were left."""
    unique = list(dict.fromkeys(tokens))
    return unique[:most], len(unique) > most


def common_threshold(total: int, share: float) -> int:
    """Words in more documents than this (of ``total``) are common."""
    return max(int(share * total), COMMON_FLOOR)


def plan(backend, tokens: list[str]) -> Plan:
    """The tokens to search for ``tokens`` on ``backend`` (see the module's text)."""
    config = current_app.config
    kept, cut = distinct(tokens, int(config["SEARCH_MAX_TERMS"]))
    if len(kept) < 2:
        return Plan(kept, cut)
    total = backend.size()
    threshold = common_threshold(total, float(config["SEARCH_COMMON_SHARE"]))
    # Counting stops past the threshold: how common a common word is does not matter...
    counted = backend.frequencies(kept, threshold + 1)
    rare = [token for token in kept if counted.get(token, 0) <= threshold]
    if len(rare) == len(kept):
        return Plan(kept, cut)
    if rare:
        return Plan(rare, cut, common=True)
    if len(kept) <= COMMON_KEEP:
        return Plan(kept, cut)
    # ...unless every word is common: then the rarest are kept (counts are reused a while).
    exact = backend.frequencies(kept, total + 1)
    rarest = set(sorted(kept, key=lambda token: exact.get(token, 0))[:COMMON_KEEP])
    return Plan([token for token in kept if token in rarest], cut, common=True)

"""Syndicated copies on the review page: each record links to the first record of its group and
lists its copies; ``group_views`` puts every group together (``ringkas render --group``).

The links come from the records' own ``duplicate_of`` and ``duplicate_similarity`` (set by
ringkas.run.duplicates); a value of the wrong type, or an id that no record on the page has, is
shown as plain text, never as a broken link.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def _similarity(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 100 else None


def link_duplicates(views: list[dict], records: Sequence[Any]) -> None:
    """Give every view ``duplicate_of`` ({id, anchor, heading, similarity} or None) and ``copies``."""
    first_by_id: dict[str, dict] = {}
    for view in views:
        if view["id"] is not None:
            first_by_id.setdefault(view["id"], view)
        view["copies"] = []
        view["duplicate_of"] = None
    for view, record in zip(views, records, strict=True):
        of = record.get("duplicate_of") if isinstance(record, dict) else None
        if not isinstance(of, str) or not of:
            continue
        target = first_by_id.get(of)
        if target is view:  # an exact copy shares its first record's id: link to the first one
            target = next((v for v in views if v["id"] == of), None)
        view["duplicate_of"] = {
            "id": of,
            "anchor": target["anchor"] if target is not None and target is not view else None,
            "number": target["number"] if target is not None and target is not view else None,
            "heading": target["heading"] if target is not None and target is not view else None,
            "similarity": _similarity(record.get("duplicate_similarity")),
        }
        if target is not None and target is not view:
            target["copies"].append({"anchor": view["anchor"], "number": view["number"], "heading": view["heading"],
                                     "source": view["source"],
                                     "similarity": view["duplicate_of"]["similarity"]})


def group_views(views: list[dict]) -> list[dict]:
    """The views with each group's copies right after its first record (records keep their numbers)."""
    placed: set[int] = set()
    by_anchor = {view["anchor"]: view for view in views}
    out: list[dict] = []
    for view in views:
        if id(view) in placed or (view["duplicate_of"] and view["duplicate_of"]["anchor"]):
            continue
        out.append(view)
        placed.add(id(view))
        for copy in view["copies"]:
            member = by_anchor[copy["anchor"]]
            if id(member) not in placed:
                out.append(member)
                placed.add(id(member))
    out.extend(view for view in views if id(view) not in placed)
    return out

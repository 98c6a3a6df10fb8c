"""A small valid definition for tests that need one to change or to upload."""
import copy


def _text(en: str) -> dict:
    return {"zh-Hans": f"{en}（中）", "en": en}


def minimal_definition(**changes) -> dict:
    """A three-item 0–2 scale, total 0–6, bands 0–2 low / 3–6 high, item 3 critical."""
    options = [{"value": value, "label": _text(f"option {value}")} for value in (0, 1, 2)]
    definition = {
        "schema": 1, "id": "mood3", "version": "1.0.0",
        "title": _text("Three-item mood check"), "measures": _text("Mood"), "respondents": ["student"],
        "age_range": {"min": 12, "max": None}, "timeframe": _text("Past week"), "instructions": _text("Answer each item."),
        "wording_status": "official", "wording_note": _text("Licensed wording."),
        "option_sets": {"frequency": options},
        "items": [{"id": f"m_{n}", "text": _text(f"item {n}"), "options": "frequency"} for n in (1, 2, 3)],
        "scores": [{
            "id": "total", "kind": "total", "label": _text("Total"), "items": "all", "method": "sum", "range": [0, 6],
            "missing": {"policy": "prorate", "max_missing": 1, "source": "manual", "basis": "published"},
            "bands": {"source": "manual", "basis": "published", "ranges": [
                {"id": "low", "label": _text("Low"), "min": 0, "max": 2},
                {"id": "high", "label": _text("High"), "min": 3, "max": 6},
            ]},
        }],
        "primary_score": "total",
        "flags": [{"id": "critical_item_3", "items": ["m_3"], "values": [1, 2], "if_missing": "ask",
                   "rule": _text("Item 3 above 0"), "action": _text("Talk today"), "source": "manual", "basis": "published"}],
        "validity": {"min_seconds_per_item": 2, "straight_lining": False, "source": "manual", "basis": "project_policy"},
        "sources": {"manual": "Test manual, 2026."},
        "licence": {"status": "permission_required", "summary": _text("Licensed to the test bureau."), "source": "manual", "basis": "published"},
        "chinese_validation": [],
    }
    definition.update(changes)
    return copy.deepcopy(definition)

"""Texts the engine writes into results: answer errors and the wording of derived flags."""

ASK_RULE = {
    "en": "Unanswered or unreadable, and never assumed harmless. Rule of the item:",
    "zh-Hans": "未作答或答案无法识别，不能默认为无风险。该条目的规则：",
}
ASK_ACTION = {
    "en": "Ask the respondent this question directly and in private the same day. If the answer is positive:",
    "zh-Hans": "当天私下直接询问该题。如回答为阳性：",
}
REFUSAL_NOTE = "unanswered or unreadable: counted as a positive answer, as the instrument's rule treats a refusal"


def count_message(definition, got: int, shortest: int) -> str:
    count = len(definition.items)
    if shortest == count:
        expected = f"{count} answers"
        optional = ""
    else:
        expected = f"{shortest} to {count} answers"
        optional = ("; the last item is optional and may be left off" if count - shortest == 1
                    else f"; the last {count - shortest} items are optional and may be left off")
    return (f"expected {expected} for {definition.id} (one per item in item order, an empty field for a "
            f"missing item{optional}), got {got}")


def value_message(item, value) -> str:
    allowed = ", ".join(str(option) for option in item.values)
    return f"item {item.id} (answer {item.index + 1}): {value!r} is not an answer value; allowed: {allowed}"

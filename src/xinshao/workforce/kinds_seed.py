"""The certificate kinds a city starts with (the mental health education certificates C, B and A),
written by migration 0002 and by `kinds_seed()` for the demo and tests. C证 is required of psych
teachers and class teachers (the bureau's certification rate counts them), B证 of psych teachers."""

# name, level, validity in years, required of
KINDS = (
    ("心理健康教育C证", 1, 5, "psych_and_class"),
    ("心理健康教育B证", 2, 5, "psych"),
    ("心理健康教育A证", 3, 5, "none"),
)


def kinds_seed(kind_model, targets_model):
    """The kinds (by name, kept as they are when present) and the targets row counting C证."""
    kinds = [kind_model.objects.get_or_create(name=name, defaults={
        "level": level, "validity_years": years, "required_of": required_of})[0]
        for name, level, years, required_of in KINDS]
    targets = targets_model.objects.get_or_create(pk=1)[0]
    if targets.certification_kind_id is None:
        targets.certification_kind = kinds[0]
        targets.save(update_fields=["certification_kind"])
    return kinds

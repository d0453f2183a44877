from django.core.management.base import CommandError


def refuse_values_one_in_any_case(model, field):
    """Stop a migration that makes `field` unique in any letter case while two records hold one
    value in two cases, naming each pair: which record keeps it is the office's choice. Until
    SQLite folded every letter (base.py), its unique index on LOWER(email) let
    zoe@LYCÉE.example and zoe@lycée.example both in."""
    first_of = {}
    clashes = []
    for pk, value in model.objects.order_by("pk").values_list("pk", field):
        first = first_of.setdefault(value.lower(), (pk, value))
        if first[0] != pk:
            clashes.append(f"{first[1]} (id {first[0]}) and {value} (id {pk})")
    if clashes:
        raise CommandError(
            f"Each {field} of a {model._meta.verbose_name} must be unique in any letter case, and these are not: "
            f"{'; '.join(clashes)}. Change all but one of each, then run migrate again."
        )

import unicodedata

from django.core.management.base import CommandError

from project.folding import fold_case


def email_key(email):
    """What makes two emails one: the same address once composed alike (NFKC), in any case."""
    return fold_case(unicodedata.normalize("NFKC", email))


def store_emails_composed_and_unique_in_any_case(model):
    """Before an email index folds case as Unicode does and emails are stored composed (NFKC):
    stop while two records hold one address in two forms, naming each pair (which record keeps
    it is the office's choice), then store each email composed. Until then SQLite's index on
    LOWER(email) let zoe@LYCÉE.example beside zoe@lycée.example, and both databases let an
    address typed with a combining accent beside the same address composed."""
    first_of = {}
    clashes = []
    emails = list(model.objects.order_by("pk").values_list("pk", "email"))
    for pk, email in emails:
        first = first_of.setdefault(email_key(email), (pk, email))
        if first[0] != pk:
            clashes.append(f"{first[1]} (id {first[0]}) and {email} (id {pk})")
    if clashes:
        raise CommandError(
            f"Each email of a {model._meta.verbose_name} must be unique in any letter case, and these are not: "
            f"{'; '.join(clashes)}. Change all but one of each, then run migrate again."
        )
    for pk, email in emails:
        if (composed := unicodedata.normalize("NFKC", email)) != email:
            model.objects.filter(pk=pk).update(email=composed)

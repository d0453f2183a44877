"""Lists ordered by named sorts, on the pages and in the API alike.

A sort's name (`last_name`, `-enrolled_on`, ...) stands for the columns it
orders by, tie-breakers included, so that every page of a list is stable. Each
list's sorts are defined once, beside its filter (apps/students/filters.py).
"""


def order_columns(sorts, names, default):
    """The `order_by()` columns for sort `names` (most significant first): the leading
    column of each in turn, then every column of the last one (its tie-breakers).

    Names `sorts` does not know are left out; with none left, the `default` sort's.
    """
    known = [name for name in names if name in sorts]
    if not known:
        return sorts[default]
    return (*(sorts[name][0] for name in known[:-1]), *sorts[known[-1]])

"""`sort` on every API list, with the values of the list's own sorts (project/sorting.py)."""

from rest_framework.filters import BaseFilterBackend

from project.sorting import order_columns


class SortFilter(BaseFilterBackend):
    """Orders a list by its `sort` parameter: one of the view's `sorts`, ordered exactly as the
    web list orders it; a value the list does not know gives its `default_sort`.

    `ordering` is the parameter's older name, kept for the clients written before `sort`:
    it takes the same values, also several of them separated by commas (ordered by each
    in turn). When both are sent, `sort` wins.
    """

    parameter = "sort"
    alias = "ordering"

    def filter_queryset(self, request, queryset, view):
        sorts = getattr(view, "sorts", None)
        if sorts is None:
            return queryset
        return queryset.order_by(*order_columns(sorts, self.names(request), view.default_sort))

    def names(self, request):
        if self.parameter in request.query_params:
            return [request.query_params[self.parameter]]
        return [name.strip() for name in request.query_params.get(self.alias, "").split(",")]

    def get_schema_operation_parameters(self, view):
        sorts = getattr(view, "sorts", None)
        if sorts is None:
            return []
        return [
            {
                "name": self.parameter,
                "required": False,
                "in": "query",
                "description": f"The order of the list (`{view.default_sort}` unless given): a field, `-` first "
                "for the reverse; ties are broken the same way every time. Any other value gives the default.",
                "schema": {"type": "string", "enum": list(sorts)},
            },
            {
                "name": self.alias,
                "required": False,
                "in": "query",
                "deprecated": True,
                "description": f"The older name of `{self.parameter}`: the same values, also several of them "
                "separated by commas, ordered by each in turn.",
                "schema": {"type": "string"},
            },
        ]

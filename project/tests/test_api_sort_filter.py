"""The API's `sort` on a list that has no sorts of its own (every list of the site has some)."""

from django.test import SimpleTestCase

from project.api.filters import SortFilter


class AListWithoutSorts:
    """An API view that declares no `sorts`."""


class TestTheSortFilterOnAListWithoutSorts(SimpleTestCase):
    def test_leaves_the_order_alone_and_documents_no_parameter(self):
        records = ["b", "a"]
        self.assertIs(SortFilter().filter_queryset(None, records, AListWithoutSorts()), records)
        self.assertEqual(SortFilter().get_schema_operation_parameters(AListWithoutSorts()), [])

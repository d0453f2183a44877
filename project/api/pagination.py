from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    """Every API list: `page`, and `page_size` up to 100 (REST_FRAMEWORK["PAGE_SIZE"], i.e.
    settings.RECORDS_PER_PAGE, without it)."""

    page_size_query_param = "page_size"
    max_page_size = 100

"""The pagination convention every list endpoint uses (``@paginate(MedofficePagination)``).

The API work fills this in: ``?limit=`` (default 50, max 200) and ``?offset=``, answering
``{"items": [...], "count": N, "limit": L, "offset": O}``.
"""

from ninja.pagination import LimitOffsetPagination


class MedofficePagination(LimitOffsetPagination):
    pass

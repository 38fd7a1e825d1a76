"""Pages of a long list: which rows one page shows, and how many pages there are.

Organiser lists at the scale of the largest contest (22,000 candidates, 6,520 jurors) are read one page at a
time (LIMIT/OFFSET over an index), never whole: a page's cost and size must not grow with the edition.
A page number past the end is clamped to the last page (a list that shrank since the link was made still
answers), and the count comes from an aggregate, so « Page 2 sur 440 » is exact.
"""

from __future__ import annotations

import msgspec

PER_PAGE = 50
"""Rows per page of the organisers' lists: a screenful or two, a few tens of kilobytes of HTML."""

MAX_PAGE = 1_000_000
"""The largest page number a link may ask for (the query parameter's bound; larger is clamped anyway)."""


class Paging(msgspec.Struct, frozen=True, kw_only=True):
    """One page of `total` rows: its number (from 1), the page count (at least 1) and the rows' window."""

    page: int
    pages: int
    total: int
    per_page: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    @property
    def limit(self) -> int:
        return self.per_page

    @property
    def previous(self) -> int | None:
        return self.page - 1 if self.page > 1 else None

    @property
    def next(self) -> int | None:
        return self.page + 1 if self.page < self.pages else None

    @property
    def first_row(self) -> int:
        """The 1-based number of the page's first row (0 on an empty list)."""
        return min(self.offset + 1, self.total)

    @property
    def last_row(self) -> int:
        return min(self.offset + self.per_page, self.total)


def page_of(*, total: int, page: int = 1, per_page: int = PER_PAGE) -> Paging:
    """The page `page` of `total` rows, clamped between the first and the last page."""
    if per_page < 1:
        raise ValueError("per_page must be at least 1")
    pages = max(1, -(-total // per_page))
    return Paging(page=min(max(page, 1), pages), pages=pages, total=total, per_page=per_page)

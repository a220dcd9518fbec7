"""Where the user has been: back and forward through opened companies, and the recent lookups.

Plain Python (no Qt), so the rules — a new visit drops the forward part, going back and forth is not a
new visit, the recent list holds each company once — are tested without a window.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

MAX_VISITS = 200
MAX_RECENT = 12


@dataclass(frozen=True)
class Visit:
    entity_id: str
    name: str


class History:
    """A browser-style visit list with a cursor, and a most-recent-first list of distinct companies."""

    def __init__(self, recent: Iterable[Visit] = (), max_recent: int = MAX_RECENT) -> None:
        self._visits: list[Visit] = []
        self._at = -1
        self.max_recent = max_recent
        self._recent: list[Visit] = list(recent)[:max_recent]

    @property
    def current(self) -> Visit | None:
        return self._visits[self._at] if self._at >= 0 else None

    @property
    def can_go_back(self) -> bool:
        return self._at > 0

    @property
    def can_go_forward(self) -> bool:
        return 0 <= self._at < len(self._visits) - 1

    @property
    def recent(self) -> tuple[Visit, ...]:
        return tuple(self._recent)

    def visit(self, entity_id: str, name: str) -> bool:
        """Record that `entity_id` is now shown; False when it already was the current visit."""
        item = Visit(entity_id, name)
        self._recent = [item, *(v for v in self._recent if v.entity_id != entity_id)][: self.max_recent]
        current = self.current
        if current is not None and current.entity_id == entity_id:
            self._visits[self._at] = item  # the name may have changed with the data
            return False
        del self._visits[self._at + 1:]
        self._visits.append(item)
        if len(self._visits) > MAX_VISITS:
            del self._visits[0]
        self._at = len(self._visits) - 1
        return True

    def back(self) -> Visit | None:
        if not self.can_go_back:
            return None
        self._at -= 1
        return self._visits[self._at]

    def forward(self) -> Visit | None:
        if not self.can_go_forward:
            return None
        self._at += 1
        return self._visits[self._at]

    def forget(self) -> None:
        """Another database is open: its companies are not these; keep nothing."""
        self._visits, self._at, self._recent = [], -1, []

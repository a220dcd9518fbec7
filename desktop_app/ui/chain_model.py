"""The ownership chain as a tree: the entity at the root, each owner under what it owns."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt

from desktop_app.domain.explanation import ChainNode, ChainOwner
from desktop_app.ui import labels
from desktop_app.ui.status_look import look, status_icon

Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()

STATUS_ROLE = Qt.ItemDataRole.UserRole + 1
ENTITY_ID_ROLE = Qt.ItemDataRole.UserRole + 2

COLUMNS = ("Owner", "Share", "Country", "Status", "Source")
MAX_ROWS = 2000  # a tree this large is unreadable anyway; the graph and the sources still show everything


@dataclass(eq=False)
class TreeItem:
    node: ChainNode
    via: tuple[ChainOwner, ...]  # how this owner holds its parent (ownership, voting, control); empty at the root
    parent: TreeItem | None
    row: int
    repeated: bool = False  # already shown higher up this branch (a cross-holding)
    children: list[TreeItem] = field(default_factory=list)


def build_tree(chain: tuple[ChainNode, ...], root_id: str, max_rows: int = MAX_ROWS) -> tuple[TreeItem | None, bool]:
    """Items breadth first, so a cap cuts the deepest owners; returns (root, truncated)."""
    nodes = {n.entity_id: n for n in chain}
    if root_id not in nodes:
        return None, False
    root = TreeItem(nodes[root_id], (), None, 0)
    queue: list[tuple[TreeItem, frozenset[str]]] = [(root, frozenset({root_id}))]
    count, truncated, i = 1, False, 0
    while i < len(queue):
        item, on_path = queue[i]
        i += 1
        if item.repeated:
            continue
        holdings: dict[str, list[ChainOwner]] = {}  # one row per owner, with all it holds
        for owner in item.node.owners:
            holdings.setdefault(owner.entity_id, []).append(owner)
        for owner_id, via in holdings.items():
            owner_node = nodes.get(owner_id)
            if owner_node is None:
                continue
            if count >= max_rows:
                truncated = True
                break
            child = TreeItem(owner_node, tuple(via), item, len(item.children), repeated=owner_id in on_path)
            item.children.append(child)
            count += 1
            queue.append((child, on_path | {owner_id}))
    return root, truncated


class ChainTreeModel(QAbstractItemModel):
    """Read-only tree over an explanation's chain; columns: owner, share, country, status."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._root: TreeItem | None = None
        self.truncated = False
        self.source_titles: Mapping[str, str] = {}
        self.source_labels: Mapping[str, str] = {}

    def set_chain(self, chain: tuple[ChainNode, ...], root_id: str,
                  source_titles: Mapping[str, str] | None = None,
                  source_labels: Mapping[str, str] | None = None) -> None:
        """`source_titles` names each source key in full (tooltips); `source_labels` briefly (the Source column)."""
        self.beginResetModel()
        self._root, self.truncated = build_tree(chain, root_id)
        self.source_titles = dict(source_titles or {})
        self.source_labels = dict(source_labels or source_titles or {})
        self.endResetModel()

    def clear(self) -> None:
        self.beginResetModel()
        self._root, self.truncated = None, False
        self.endResetModel()

    def item(self, index: Index) -> TreeItem | None:
        if not index.isValid():
            return None
        item = index.internalPointer()
        return item if isinstance(item, TreeItem) else None

    def index(self, row: int, column: int, parent: Index = ROOT) -> QModelIndex:
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, self._root) if self._root is not None and row == 0 else QModelIndex()
        owner = self.item(parent)
        if owner is None or row >= len(owner.children):
            return QModelIndex()
        return self.createIndex(row, column, owner.children[row])

    def parent(self, index: Index = ROOT) -> QModelIndex:  # type: ignore[override]
        item = self.item(index)
        if item is None or item.parent is None:
            return QModelIndex()
        return self.createIndex(item.parent.row, 0, item.parent)

    def rowCount(self, parent: Index = ROOT) -> int:
        if not parent.isValid():
            return 1 if self._root is not None else 0
        if parent.column() != 0:
            return 0
        item = self.item(parent)
        return len(item.children) if item is not None else 0

    def columnCount(self, parent: Index = ROOT) -> int:
        return len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(COLUMNS):
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item = self.item(index)
        if item is None:
            return None
        node, col = item.node, index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return f"{node.name} (shown above: cross-holding)" if item.repeated else node.name
            if col == 1:
                return ", ".join(labels.edge(v) for v in item.via) if item.via else "—"
            if col == 2:
                return labels.place(node.kind, node.hq_country or node.incorporation_country)
            if col == 3:
                if node.kind == "person" and node.status == "eligible":
                    return "owner (person)"
                share = labels.share_range(node.restricted_min, node.restricted_max)
                return f"{look(node.status).word} ({share})"
            if col == 4:
                return self.source_text(item)
        if role == Qt.ItemDataRole.DecorationRole and col == 3 and not (
                node.kind == "person" and node.status == "eligible"):
            return status_icon(node.status)
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.describe(item, self.source_titles)
        if role == STATUS_ROLE:
            return node.status
        if role == ENTITY_ID_ROLE:
            return node.entity_id
        return None

    def source_text(self, item: TreeItem) -> str:
        """Where the row's share comes from (the company itself at the root)."""
        keys = [v.source_id for v in item.via] if item.via else [item.node.source_id]
        names = [self.source_labels.get(k, k) for k in dict.fromkeys(k for k in keys if k)]
        return "; ".join(names) if names else "—"

    @staticmethod
    def describe(item: TreeItem, source_titles: Mapping[str, str] | None = None) -> str:
        node = item.node
        held = ""
        if item.via and item.parent is not None:
            held = f" Holds {', '.join(labels.edge(v) for v in item.via)} of {item.parent.node.name}."
            held += "".join(f" Note: {v.note}." for v in item.via if v.note)
            titles = source_titles or {}
            for source in dict.fromkeys(titles.get(v.source_id or "") for v in item.via):
                if source:
                    held += f" Source: {source}."
        return (f"{node.name}, {labels.country(node.hq_country or node.incorporation_country)}: "
                f"{look(node.status).word}, restricted share "
                f"{labels.share_range(node.restricted_min, node.restricted_max)}.{held}")

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

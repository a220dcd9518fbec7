"""The ownership chain drawn: a box per entity, arrows from owner to owned labelled with the share.

Ultimate owners are at the top, the customer at the bottom. Restricted and review entities carry their
status icon and word and a thick coloured border. Ctrl+wheel, + and - zoom; 0 fits; dragging pans.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from PySide6.QtCore import QEvent, QLineF, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QPolygonF,
    QResizeEvent,
    QShowEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsScene,
    QGraphicsView,
    QStyleOptionGraphicsItem,
    QWidget,
)

from desktop_app.domain.explanation import ChainNode, ChainOwner
from desktop_app.ui import labels
from desktop_app.ui.status_look import PERSON_LOOK, chip_colors, icon, look, status_icon

MIN_ZOOM, MAX_ZOOM, ZOOM_STEP = 0.15, 4.0, 1.2
FIT_MIN_ZOOM = 0.75  # fitting never shrinks text below legibility; the rest is a drag away


STATUS_RANK = {"restricted": 0, "review": 1}


def centre_out(items: list[str]) -> list[str]:
    """[a, b, c, d, e] → [d, b, a, c, e]: the first item in the middle, the rest alternately beside it."""
    left: list[str] = []
    right: list[str] = []
    for i, item in enumerate(items):
        (right if i % 2 == 0 else left).append(item)
    return left[::-1] + right


def layered_layout(chain: tuple[ChainNode, ...], root_id: str, box_w: float, box_h: float) -> dict[str, QPointF]:
    """Centres for each entity: one row per depth, owners grouped above what they own.

    Among the owners of one entity, restricted and review owners and the largest stakes sit in the middle,
    right above it, so a widely held company opens with what decides its status in view.
    """
    if not chain:
        return {}
    depth = {n.entity_id: n.depth for n in chain}
    status = {n.entity_id: n.status for n in chain}
    top = max(depth.values())
    owned_by: dict[str, list[str]] = {}
    stake: dict[str, float] = {}
    for n in chain:
        for o in n.owners:
            if o.entity_id in depth:
                owned_by.setdefault(o.entity_id, []).append(n.entity_id)
                share = o.share_max if o.share_max is not None else (o.share_min or 0.0)
                stake[o.entity_id] = max(stake.get(o.entity_id, 0.0), share)
    rows: dict[int, list[str]] = {}
    for n in chain:
        rows.setdefault(n.depth, []).append(n.entity_id)
    hgap, vgap = box_w * 0.2, box_h * 0.75  # room for the share label on each arrow, no more
    x: dict[str, float] = {root_id: 0.0} if root_id in depth else {}
    pos: dict[str, QPointF] = {}
    for d in range(0, top + 1):
        ids = rows.get(d, [])
        order = {eid: i for i, eid in enumerate(ids)}

        def anchor(eid: str) -> float:
            below = [x[o] for o in owned_by.get(eid, []) if o in x]
            return sum(below) / len(below) if below else 0.0

        def weight(eid: str, order: dict[str, int] = order) -> tuple[int, float, int]:
            return STATUS_RANK.get(status[eid], 2), -stake.get(eid, 0.0), order[eid]

        groups: dict[float, list[str]] = {}
        for eid in sorted(ids, key=weight):
            groups.setdefault(round(anchor(eid), 3), []).append(eid)
        ids = [eid for key in sorted(groups) for eid in centre_out(groups[key])]
        step = box_w + hgap
        centre = sum(anchor(e) for e in ids) / len(ids) if ids else 0.0
        for i, eid in enumerate(ids):
            x[eid] = centre + (i - (len(ids) - 1) / 2) * step
            pos[eid] = QPointF(x[eid], (top - d) * (box_h + vgap))
    return pos


NAME_LINES = 2
BOX_LINES = NAME_LINES + 2  # the name, the country, the status


def name_lines(name: str, fm: QFontMetrics, width: int, lines: int = NAME_LINES) -> list[str]:
    """The name wrapped at spaces into at most `lines` lines, the last one elided if it still does not fit."""
    words = name.split()
    out: list[str] = []
    while words and len(out) < lines - 1:
        line = words.pop(0)
        while words and fm.horizontalAdvance(f"{line} {words[0]}") <= width:
            line = f"{line} {words.pop(0)}"
        if fm.horizontalAdvance(line) > width:
            words.insert(0, line)  # one long word: leave it to the elided last line
            break
        out.append(line)
    if words:
        out.append(fm.elidedText(" ".join(words), Qt.TextElideMode.ElideRight, width))
    return out


class EntityBox(QGraphicsItem):
    """One entity: name (up to two lines), country, status icon and word with its restricted share."""

    def __init__(self, node: ChainNode, is_target: bool, font: QFont, palette: QPalette, width: float) -> None:
        super().__init__()
        self.node = node
        self.is_target = is_target
        self.font = QFont(font)
        self.palette = palette
        fm = QFontMetrics(self.font)
        self.pad = fm.height() * 0.5
        self.rect = QRectF(-width / 2, 0, width, (fm.height() + fm.leading()) * BOX_LINES + self.pad * 1.6)
        self.rect.moveTop(-self.rect.height() / 2)
        share = labels.share_range(node.restricted_min, node.restricted_max)
        where = labels.place(node.kind, node.hq_country or node.incorporation_country)
        self.setToolTip(f"{node.name}\n{where}\n{look(node.status).word} — restricted share {share}"
                        + ("\n(the company you searched for)" if is_target else "\nDouble-click to open it"))
        self.setAcceptHoverEvents(True)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, not is_target)

    def boundingRect(self) -> QRectF:
        return self.rect.adjusted(-4, -4, 4, 4)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        node = self.node
        lk = look(node.status)
        fg, bg = chip_colors(node.status, self.palette)
        marked = node.status in ("restricted", "review")
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        base = self.palette.color(QPalette.ColorRole.Base)
        painter.setBrush(bg if marked else base)
        border = QColor(lk.accent) if marked else self.palette.color(QPalette.ColorRole.Mid)
        painter.setPen(QPen(border, 3.0 if marked else 1.2))
        painter.drawRoundedRect(self.rect, 6, 6)
        if self.is_target or self.isSelected():
            painter.setBrush(Qt.BrushStyle.NoBrush)
            style = Qt.PenStyle.DashLine if self.is_target else Qt.PenStyle.SolidLine
            painter.setPen(QPen(self.palette.color(QPalette.ColorRole.Highlight), 2.0, style))
            painter.drawRoundedRect(self.rect.adjusted(-4, -4, 4, 4), 9, 9)

        fm = QFontMetrics(self.font)
        inner = self.rect.adjusted(self.pad, self.pad * 0.8, -self.pad, -self.pad * 0.8)
        line_h = fm.height() + fm.leading()
        text = self.palette.color(QPalette.ColorRole.Text) if not marked else fg
        bold = QFont(self.font)
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(text)
        names = name_lines(node.name, QFontMetrics(bold), int(inner.width()))
        for i, line in enumerate(names):
            painter.drawText(QRectF(inner.left(), inner.top() + i * line_h, inner.width(), line_h),
                             Qt.AlignmentFlag.AlignLeft, line)
        painter.setFont(self.font)
        where = fm.elidedText(labels.place(node.kind, node.hq_country or node.incorporation_country),
                              Qt.TextElideMode.ElideRight, int(inner.width()))
        top = inner.top() + len(names) * line_h
        painter.drawText(QRectF(inner.left(), top, inner.width(), line_h), Qt.AlignmentFlag.AlignLeft, where)
        side = fm.height()
        icon_rect = QRectF(inner.left(), top + line_h, side, side)
        person = node.kind == "person"
        (icon(PERSON_LOOK.icon_name) if person else status_icon(node.status)).paint(painter, icon_rect.toRect())
        painter.setFont(bold)
        share = "owner" if person else labels.share_range(node.restricted_min, node.restricted_max)
        if person:
            lk = PERSON_LOOK
        status_rect = QRectF(icon_rect.right() + side * 0.35, top + line_h, inner.width() - side, line_h)
        painter.drawText(status_rect,
                         Qt.AlignmentFlag.AlignLeft, f"{lk.word}  {share}")


def _clip_to_box(centre: QPointF, toward: QPointF, half_w: float, half_h: float) -> QPointF:
    """Where the line from `centre` toward `toward` leaves a box of the given half sizes."""
    dx, dy = toward.x() - centre.x(), toward.y() - centre.y()
    if dx == 0 and dy == 0:
        return centre
    scale = min(half_w / abs(dx) if dx else math.inf, half_h / abs(dy) if dy else math.inf)
    return QPointF(centre.x() + dx * scale, centre.y() + dy * scale)


class OwnershipGraphView(QGraphicsView):
    """Read-only drawing of an explanation's chain, rebuilt when the palette changes."""

    zoomChanged = Signal(float)
    entityActivated = Signal(str, str)  # entity id, name: a box double-clicked, or selected and Enter pressed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Ownership graph")
        self._chain: tuple[ChainNode, ...] = ()
        self._root_id = ""
        self.boxes: dict[str, EntityBox] = {}
        self.edge_labels: list[str] = []
        self._sources: dict[str, str] = {}
        self._needs_fit = False
        self._user_zoomed = False

    # --- content -------------------------------------------------------------------------------------

    def set_chain(self, chain: tuple[ChainNode, ...], root_id: str,
                  source_titles: Mapping[str, str] | None = None) -> None:
        """Draw `chain`; `source_titles` names each source key for the arrows' tooltips."""
        self._chain, self._root_id = chain, root_id
        self._sources = dict(source_titles or {})
        self._rebuild()
        self._needs_fit = True
        if self.isVisible():
            self.fit()

    def clear(self) -> None:
        self.set_chain((), "")

    def _rebuild(self) -> None:
        scene = self.scene()
        scene.clear()
        self.boxes, self.edge_labels = {}, []
        if not self._chain:
            return
        font = self.font()
        fm = QFontMetrics(font)
        box_w = fm.averageCharWidth() * 36
        box_h = (fm.height() + fm.leading()) * BOX_LINES + fm.height()
        centres = layered_layout(self._chain, self._root_id, box_w, box_h)
        # The application's palette: after a theme switch the view's own may not have followed yet.
        palette = QApplication.palette(self)
        for node in self._chain:
            if node.entity_id not in centres:
                continue
            box = EntityBox(node, node.entity_id == self._root_id, font, palette, box_w)
            box.setPos(centres[node.entity_id])
            box.setZValue(1)
            scene.addItem(box)
            self.boxes[node.entity_id] = box
        # One arrow per owner and owned, labelled with every relationship between them ("20–22%, controls").
        edges: dict[tuple[str, str], list[ChainOwner]] = {}
        for node in self._chain:
            for owner in node.owners:
                if owner.entity_id in self.boxes and node.entity_id in self.boxes:
                    edges.setdefault((owner.entity_id, node.entity_id), []).append(owner)
        for (owner_id, owned_id), vias in edges.items():
            self._add_edge(self.boxes[owner_id], self.boxes[owned_id], vias, font, palette)
        scene.setSceneRect(scene.itemsBoundingRect().adjusted(-16, -16, 16, 16))
        summary = "; ".join(f"{o_label} held by {self._name(o.entity_id)} in {n.name}"
                            for n in self._chain for o in n.owners for o_label in [labels.edge(o)])
        self.setAccessibleDescription(f"{len(self.boxes)} entities. {summary}"[:2000])

    def _name(self, entity_id: str) -> str:
        box = self.boxes.get(entity_id)
        return box.node.name if box else entity_id

    def _add_edge(self, owner: EntityBox, owned: EntityBox, vias: list[ChainOwner], font: QFont,
                  palette: QPalette) -> None:
        scene = self.scene()
        a, b = owner.pos(), owned.pos()
        start = _clip_to_box(a, b, owner.rect.width() / 2 + 2, owner.rect.height() / 2 + 2)
        end = _clip_to_box(b, a, owned.rect.width() / 2 + 6, owned.rect.height() / 2 + 6)
        restricted_owner = owner.node.status == "restricted"
        colour = QColor(look(owner.node.status).accent) if owner.node.status != "eligible" \
            else palette.color(QPalette.ColorRole.Text)
        pen = QPen(colour, 2.4 if restricted_owner else 1.6)
        if all(via.kind == "control" for via in vias):
            pen.setStyle(Qt.PenStyle.DashLine)
        path = QPainterPath(start)
        path.lineTo(end)
        line = QGraphicsPathItem(path)
        line.setPen(pen)
        scene.addItem(line)
        # arrowhead at the owned end
        angle = math.atan2(end.y() - start.y(), end.x() - start.x())
        size = QFontMetrics(font).height() * 0.6
        p1 = end - QPointF(math.cos(angle - 0.45) * size, math.sin(angle - 0.45) * size)
        p2 = end - QPointF(math.cos(angle + 0.45) * size, math.sin(angle + 0.45) * size)
        head = scene.addPolygon(QPolygonF([end, p1, p2]), QPen(colour, 1), QBrush(colour))
        head.setZValue(0.5)
        text = ", ".join(labels.edge(via) for via in vias)
        self.edge_labels.append(text)
        bold = QFont(font)
        bold.setBold(True)
        fm = QFontMetrics(bold)
        # Near the owner, where edges into a widely held company are still apart from each other.
        mid = QLineF(start, end).pointAt(0.35)
        w, h = fm.horizontalAdvance(text) + fm.height() * 0.6, fm.height() * 1.2
        bg = scene.addRect(QRectF(mid.x() - w / 2, mid.y() - h / 2, w, h), QPen(colour, 1),
                           QBrush(palette.color(QPalette.ColorRole.Base)))
        bg.setZValue(2)
        label = scene.addSimpleText(text, bold)
        label.setBrush(palette.color(QPalette.ColorRole.Text))
        label.setPos(mid.x() - fm.horizontalAdvance(text) / 2, mid.y() - fm.height() / 2)
        label.setZValue(3)
        tip = f"{owner.node.name} holds {text} of {owned.node.name}"
        tip += "".join(f" ({via.note})" for via in vias if via.note)
        for source in dict.fromkeys(self._sources.get(via.source_id or "") for via in vias):
            if source:
                tip += f"\nSource: {source}"
        for item in (line, bg, label):
            item.setToolTip(tip)

    # --- zoom and pan -------------------------------------------------------------------------------

    @property
    def zoom(self) -> float:
        return self.transform().m11()

    def set_zoom(self, factor: float) -> None:
        factor = max(MIN_ZOOM, min(MAX_ZOOM, factor))
        current = self.zoom
        if current > 0 and abs(factor - current) > 1e-6:
            self.scale(factor / current, factor / current)
            self.zoomChanged.emit(self.zoom)

    def zoom_in(self) -> None:
        self._user_zoomed = True
        self.set_zoom(self.zoom * ZOOM_STEP)

    def zoom_out(self) -> None:
        self._user_zoomed = True
        self.set_zoom(self.zoom / ZOOM_STEP)

    def fit(self) -> None:
        """Whole graph in view where it stays legible, never enlarged beyond its natural size."""
        self._needs_fit = False
        self._user_zoomed = False
        self.resetTransform()
        rect = self.scene().sceneRect()
        if rect.isEmpty():
            return
        view = self.viewport().rect()
        factor = min(1.0, view.width() / rect.width(), view.height() / rect.height())
        self.set_zoom(max(FIT_MIN_ZOOM, factor))
        target = self.boxes.get(self._root_id)
        # A graph too large to fit legibly opens on the customer, at the bottom, with its owners above.
        if factor < FIT_MIN_ZOOM and target is not None:
            bottom = target.sceneBoundingRect().bottom() + 16
            self.centerOn(target.pos().x(), bottom - self.viewport().height() / (2 * self.zoom))
        else:
            self.centerOn(rect.center())
        self.zoomChanged.emit(self.zoom)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = event.angleDelta().y() / 120
            if steps:
                self._user_zoomed = True
                self.set_zoom(self.zoom * ZOOM_STEP ** steps)
            event.accept()
            return
        super().wheelEvent(event)

    def box_at(self, pos: QPointF) -> EntityBox | None:
        """The entity box under a viewport position (its label or arrow do not count)."""
        for item in self.items(pos.toPoint()):
            if isinstance(item, EntityBox):
                return item
        return None

    def activate(self, entity_id: str) -> None:
        box = self.boxes.get(entity_id)
        if box is not None:
            self.entityActivated.emit(box.node.entity_id, box.node.name)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        box = self.box_at(event.position())
        if box is not None and event.button() == Qt.MouseButton.LeftButton:
            event.accept()
            self.activate(box.node.entity_id)
            return
        super().mouseDoubleClickEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        selected = [i for i in self.scene().selectedItems() if isinstance(i, EntityBox)]
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and selected:
            self.activate(selected[0].node.entity_id)
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_in()
        elif key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self.zoom_out()
        elif key == Qt.Key.Key_0:
            self.fit()
        else:
            super().keyPressEvent(event)

    def restyle(self) -> None:
        """Draw again with the current palette, keeping the zoom."""
        if self._chain:
            zoom = self.zoom
            self._rebuild()
            self.set_zoom(zoom)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange):
            self.restyle()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._chain and not self._user_zoomed:
            self.fit()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._needs_fit:
            self.fit()

"""A decision record as a PDF: banner, query and reference, rationale, the ownership graph as the window
draws it, policy clauses, sources with their dates, dataset versions and the record's hashes.

The graph is the window's own OwnershipGraphView scene, painted as vectors into the PDF, on a light
palette whatever the window's theme. Everything comes from the record itself, not from today's data,
so the PDF shows what was decided then.
"""

from __future__ import annotations

import html
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QPageLayout,
    QPageSize,
    QPainter,
    QPalette,
    QPdfWriter,
    QTextDocument,
)
from PySide6.QtWidgets import QApplication

from desktop_app.domain.explanation import ChainNode, ChainOwner
from desktop_app.ui import labels
from desktop_app.ui.ownership_graph import OwnershipGraphView
from desktop_app.ui.status_look import look

if TYPE_CHECKING:
    from desktop_app.services.decision_records import DecisionRecord

RESOLUTION = 300  # dots per inch of the PDF's coordinate system
GRAPH_LEGIBLE = 0.6  # the smallest scale of the window's drawing at which the graph's text is still read


def _light_palette() -> QPalette:
    palette = QPalette(QColor("#f4f4f4"))
    for role, colour in ((QPalette.ColorRole.Base, "#ffffff"), (QPalette.ColorRole.Window, "#ffffff"),
                         (QPalette.ColorRole.Text, "#111111"), (QPalette.ColorRole.WindowText, "#111111"),
                         (QPalette.ColorRole.Mid, "#8a8a8a"), (QPalette.ColorRole.Highlight, "#2a6fdb")):
        palette.setColor(role, QColor(colour))
    return palette


def chain_from_json(chain: list[dict[str, Any]]) -> tuple[ChainNode, ...]:
    """The recorded chain as the graph draws it."""
    nodes = []
    for n in chain:
        share = n.get("restricted_share") or {}
        owners = tuple(ChainOwner(str(o.get("entity_id")), str(o.get("kind", "ownership")), o.get("share_min"),
                                  o.get("share_max"), o.get("source"), o.get("note"))
                       for o in n.get("owners", []))
        nodes.append(ChainNode(str(n.get("entity_id")), str(n.get("name", "")), str(n.get("kind") or "company"),
                               n.get("hq_country"), n.get("incorporation_country"), n.get("status", "review"),
                               float(share.get("min", 0.0)), float(share.get("max", 100.0)), owners, None,
                               int(n.get("depth", 0))))
    return tuple(nodes)


def _esc(value: Any) -> str:
    return html.escape("" if value is None else str(value))


def _top_html(rec: DecisionRecord) -> str:
    d = rec.determination
    who = f"{_esc(rec.user) or 'unknown user'}, {_esc(rec.at.replace('T', ' ').replace('Z', ' UTC'))}"
    meta = [("Query", _esc(rec.query) or "— (opened without a search)"), ("Recorded", who)]
    if rec.customer_ref:
        meta.insert(0, ("Customer reference", _esc(rec.customer_ref)))
    if rec.entity_id:
        meta.append(("Entity", f"{_esc(rec.entity_name)} <span style='color:#555'>[{_esc(rec.entity_id)}]</span>"))
    if rec.note:
        meta.append(("Note", _esc(rec.note).replace("\n", "<br>")))
    rows = "".join(f"<tr><td style='color:#555; padding-right:12px'>{k}</td><td>{v}</td></tr>" for k, v in meta)
    if d is None:
        banner = ("<table width='100%' cellpadding='10' style='background:#eceef1; border:2px solid #7b8494'>"
                  "<tr><td><span style='font-size:20pt; font-weight:bold'>NOT ON FILE — NO STATUS</span><br>"
                  "Not on file is not eligible: establish the company's ownership before selling.</td></tr></table>")
        alts = rec.check.get("alternatives") or []
        body = ""
        if alts:
            items = "".join(f"<li>{_esc(a.get('name'))} ({_esc(a.get('status'))}, score {_esc(a.get('score'))})</li>"
                            for a in alts)
            body = f"<h3>Possible matches, to check</h3><ul>{items}</ul>"
    else:
        status = str(d.get("status", ""))
        lk = look(status)
        share = d.get("restricted_share") or {}
        share_text = labels.share_range(float(share.get("min", 0.0)), float(share.get("max", 0.0)))
        banner = (f"<table width='100%' cellpadding='10' style='background:{lk.light_bg}; "
                  f"border:2px solid {lk.accent}'><tr><td style='color:{lk.light_fg}'>"
                  f"<span style='font-size:22pt; font-weight:bold'>{_esc(lk.word)}</span>"
                  f"&nbsp;&nbsp;<span style='font-size:13pt; font-weight:bold'>restricted share {share_text}</span>"
                  f"<br>{_esc(lk.meaning)}</td></tr></table>")
        steps = d.get("steps") or []
        if steps:
            body = "<h3>Why</h3><ol>" + "".join(f"<li>{_esc(s)}</li>" for s in steps) + "</ol>"
        else:
            body = f"<h3>Why</h3><p>{_esc(d.get('rationale'))}</p>"
        body += "".join(f"<p><i>{_esc(n)}</i></p>" for n in d.get("notes") or [])
    title = (f"<p style='font-size:9pt; color:#555'>Clearance — decision record {rec.seq}</p>"
             f"<h1 style='margin-top:0'>{_esc(rec.entity_name or rec.query)}</h1>")
    return f"{title}{banner}<table cellpadding='2' style='margin-top:8px'>{rows}</table>{body}"


def _rest_html(rec: DecisionRecord) -> str:
    d = rec.determination or {}
    parts = []
    rules = d.get("rules") or []
    if rules:
        parts.append("<h3>Policy clauses applied</h3><ul>" + "".join(
            f"<li>{_esc(r.get('clause') or r.get('title'))}</li>" for r in rules) + "</ul>")
    sources = d.get("sources") or []
    if sources:
        parts.append("<h3>Sources</h3><ol>" + "".join(
            f"<li>{_esc(s.get('title'))} — {_esc(s.get('publisher'))}, <b>{_esc(s.get('as_of') or 'undated')}</b>"
            f"<br><span style='color:#555; font-size:8pt'>{_esc(s.get('url'))}</span></li>" for s in sources)
            + "</ol>")
    datasets = rec.content.get("datasets") or []
    ds = "".join(f"<li>{_esc(x.get('id'))} {_esc(x.get('version'))}, as of {_esc(x.get('as_of'))}"
                 f"<br><span style='font-size:8pt'>content SHA-256 {_esc(x.get('sha256'))}</span></li>"
                 for x in datasets) or "<li>none</li>"
    as_of = d.get("as_of")
    parts.append(
        f"<h3>Data and policy</h3><ul>{ds}<li>Policy {_esc(rec.content.get('policy_id'))} "
        f"{_esc(rec.content.get('policy_version'))}<br><span style='font-size:8pt'>SHA-256 "
        f"{_esc(rec.content.get('policy_sha256'))}</span></li>"
        + (f"<li>Ownership as of {_esc(as_of)}</li>" if as_of else "") + "</ul>")
    parts.append(
        "<h3>Record</h3><p style='font-size:8pt'>"
        f"Decision record {rec.seq}, written by Clearance {_esc(rec.content.get('app_version'))}.<br>"
        f"Previous record's SHA-256: <tt>{_esc(rec.prev_sha256)}</tt><br>"
        f"This record's SHA-256: <tt><b>{_esc(rec.sha256)}</b></tt><br>"
        "`clearance audit verify` checks that no record of the chain has been changed since it was written.</p>")
    return "".join(parts)


def _document(text: str, writer: QPdfWriter, width: float) -> QTextDocument:
    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(writer)
    font = QFont(QGuiApplication.font())
    font.setPointSizeF(10.0)
    doc.setDefaultFont(font)
    doc.setDocumentMargin(0)
    doc.setHtml(text)
    doc.setTextWidth(width)
    return doc


def _line_tops(doc: QTextDocument) -> list[float]:
    """The top of every laid-out line, in document coordinates: where a page may end."""
    layout = doc.documentLayout()
    tops: list[float] = []
    block = doc.begin()
    while block.isValid():
        lines = block.layout()
        if lines is not None:
            block_top = layout.blockBoundingRect(block).top()
            tops.extend(block_top + lines.lineAt(i).y() for i in range(lines.lineCount()))
        block = block.next()
    return sorted(tops)


def _print_paginated(doc: QTextDocument, painter: QPainter, writer: QPdfWriter, page: QSizeF, top: float) -> None:
    """Lay `doc` out from `top` on the current page, then on as many new pages as it needs, breaking
    between lines rather than through them."""
    height = doc.size().height()
    tops = _line_tops(doc)
    offset, space = 0.0, page.height() - top
    while offset < height - 1:
        cut = offset + space
        if cut < height:
            fits = [t for t in tops if offset < t <= cut]
            cut = fits[-1] if fits else cut
        painter.save()
        painter.translate(0, top - offset)
        doc.drawContents(painter, QRectF(0, offset, page.width(), cut - offset))
        painter.restore()
        offset = cut
        if offset < height - 1:
            writer.newPage()
            top, space = 0.0, page.height()


def write_record_pdf(rec: DecisionRecord, path: Path) -> None:
    """Write the record as an A4 PDF to `path`."""
    app = QApplication.instance()
    own_app = None
    if app is None:
        own_app = QApplication([])  # the command line, offscreen
    try:
        _write(rec, path)
    finally:
        if own_app is not None:
            own_app.processEvents()


def _write(rec: DecisionRecord, path: Path) -> None:
    writer = QPdfWriter(str(path))
    writer.setResolution(RESOLUTION)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(16, 16, 16, 16), QPageLayout.Unit.Millimeter))
    writer.setTitle(f"Clearance decision record {rec.seq} — {rec.entity_name or rec.query}")
    writer.setCreator("Clearance")
    page = _page_size(writer)
    painter = QPainter()
    if not painter.begin(writer):
        raise OSError(f"{path}: cannot write the PDF")
    try:
        top_doc = _document(_top_html(rec), writer, page.width())
        top_doc.drawContents(painter, QRectF(0, 0, page.width(), page.height()))
        y = top_doc.size().height() + RESOLUTION * 0.1
        d = rec.determination
        if d is not None and d.get("chain"):
            y = _draw_graph(rec, d, painter, writer, page, y)
        rest = _document(_rest_html(rec), writer, page.width())
        if page.height() - y < RESOLUTION * 0.8:
            writer.newPage()
            y = 0.0
        _print_paginated(rest, painter, writer, page, y)
    finally:
        painter.end()


def _page_size(writer: QPdfWriter) -> QSizeF:
    rect = writer.pageLayout().paintRectPixels(RESOLUTION)
    return QSizeF(rect.width(), rect.height())


def _new_page(writer: QPdfWriter, orientation: QPageLayout.Orientation) -> QSizeF:
    if writer.pageLayout().orientation() != orientation:
        writer.setPageOrientation(orientation)  # takes effect from the next page
    writer.newPage()
    return _page_size(writer)


def _cuts(left: float, right: float, width: float, spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Split [left, right] into parts at most `width` wide, cutting between boxes (spans) wherever one fits."""
    parts = []
    while right - left > width + 1e-6:
        limit = left + width
        # the last gap between boxes before the limit: a cut there leaves every box whole
        gaps = [a for a, _ in spans if left < a <= limit and not any(s < a - 1 < e for s, e in spans)]
        cut = max(gaps) - 1 if gaps and max(gaps) - 1 > left + width * 0.3 else limit
        parts.append((left, cut))
        left = cut
    parts.append((left, right))
    return parts


def _trimmed(part: QRectF, view: OwnershipGraphView) -> QRectF:
    """A vertical slice of the graph without the empty space above and below its boxes (arrows that
    leave the slice are cut a little below its lowest box)."""
    rects = [b.sceneBoundingRect() for b in view.boxes.values()]
    inside = [r for r in rects if r.right() > part.left() and r.left() < part.right()]
    if not inside:
        return part
    margin = max(r.height() for r in inside) * 0.8
    top = max(part.top(), min(r.top() for r in inside) - 8)
    bottom = min(part.bottom(), max(r.bottom() for r in inside) + margin)
    return QRectF(part.left(), top, part.width(), bottom - top)


def _draw_graph(rec: DecisionRecord, d: dict[str, Any], painter: QPainter, writer: QPdfWriter, page: QSizeF,
                y: float) -> float:
    """The ownership graph below `y` if it fits there legibly; else on pages of its own (landscape for a
    wide graph), split into parts when even a whole page would shrink its text below legibility.
    Returns where the graph ends on the last page it uses; the caller continues in portrait."""
    view = OwnershipGraphView()
    view.setPalette(_light_palette())
    # A size in pixels is a size in scene units: the graph's text then scales with the drawing, whereas
    # points would be measured again at the PDF's resolution and overflow the boxes.
    font = QFont(QGuiApplication.font())
    font.setPixelSize(13)
    view.setFont(font)
    titles = {s.get("id"): f"{s.get('title')} — {s.get('publisher')}, {s.get('as_of') or 'undated'}"
              for s in d.get("sources") or []}
    view.set_chain(chain_from_json(d["chain"]), rec.entity_id or "", titles)
    scene = view.scene()
    source = scene.itemsBoundingRect().adjusted(-8, -8, 8, 8)
    if source.isEmpty():
        return y
    caption = ("Arrows point from owner to owned and carry the share held; each box shows that entity's status "
               "and restricted share, as recorded.")
    # Scene units are screen pixels (96 per inch): never larger than on the screen, never below legibility.
    natural = RESOLUTION / 96.0
    legible = natural * GRAPH_LEGIBLE
    heading = _document(f"<h3>Ownership graph</h3><p style='font-size:8pt; color:#555'>{caption}</p>", writer,
                        page.width())
    room = page.height() - y - heading.size().height()
    scale = min(natural, page.width() / source.width(), room / source.height())
    if scale < legible:
        wide = source.width() > source.height()
        orientation = QPageLayout.Orientation.Landscape if wide else QPageLayout.Orientation.Portrait
        page = _new_page(writer, orientation)
        y = 0.0
        room = page.height() - heading.size().height()
        scale = max(legible, min(natural, page.width() / source.width(), room / source.height()))
    spans = sorted((b.sceneBoundingRect().left(), b.sceneBoundingRect().right()) for b in view.boxes.values())
    columns = _cuts(source.left(), source.right(), page.width() / scale, spans)
    rows = max(1, math.ceil(source.height() * scale / room - 1e-6))
    tile_h = source.height() / rows
    parts = len(columns) * rows
    tiles = [(left, right, r) for r in range(rows) for left, right in columns]
    title = "Ownership graph" + (f" in {parts} parts, left to right" if parts > 1 else "")
    head = _document(f"<h3>{title}</h3><p style='font-size:8pt; color:#555'>{caption}</p>", writer, page.width())
    painter.save()
    painter.translate(0, y)
    head.drawContents(painter, QRectF(0, 0, page.width(), head.size().height()))
    painter.restore()
    y += head.size().height()
    gap = RESOLUTION * 0.15
    for n, (left, right, r) in enumerate(tiles, start=1):
        part = QRectF(left, source.top() + r * tile_h, right - left, tile_h)
        if rows == 1 and parts > 1:
            part = _trimmed(part, view)
        label = _document(f"<p style='font-size:8pt; color:#555'>Part {n} of {parts}</p>", writer, page.width()) \
            if parts > 1 else None
        needed = part.height() * scale + (label.size().height() if label else 0.0)
        if y + needed > page.height() + 1:
            page = _new_page(writer, writer.pageLayout().orientation())
            y = 0.0
        if label is not None:
            painter.save()
            painter.translate(0, y)
            label.drawContents(painter, QRectF(0, 0, page.width(), label.size().height()))
            painter.restore()
            y += label.size().height()
        target = QRectF(0, y, part.width() * scale, part.height() * scale)
        if parts == 1:
            target.moveLeft((page.width() - target.width()) / 2)
        painter.save()
        painter.setClipRect(target)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        scene.render(painter, target, part, Qt.AspectRatioMode.KeepAspectRatio)
        painter.restore()
        if parts > 1 and n < parts:
            painter.save()
            painter.setPen(QColor("#bbbbbb"))
            painter.drawLine(0, int(target.bottom() + gap / 2), int(page.width()), int(target.bottom() + gap / 2))
            painter.restore()
        y += target.height() + gap
    view.deleteLater()
    if writer.pageLayout().orientation() != QPageLayout.Orientation.Portrait:
        _new_page(writer, QPageLayout.Orientation.Portrait)
        return 0.0
    return y

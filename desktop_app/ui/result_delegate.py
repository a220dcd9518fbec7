"""Draws one search result: a status chip (icon and word), the name, the country and what matched."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from desktop_app.ui.results_model import (
    COUNTRY_ROLE,
    KIND_ROLE,
    MATCHED_ROLE,
    POSSIBLE_ROLE,
    POSSIBLE_TEXT,
    SHARE_PHRASE_ROLE,
    STATUS_ROLE,
)
from desktop_app.ui.status_look import (
    LOOKS,
    PERSON_LOOK,
    UNKNOWN_LOOK,
    StatusLook,
    chip_colors,
    icon,
    look,
    status_icon,
)

# A possible match is never coloured as a match: a neutral chip; its status is said in words below.
POSSIBLE_LOOK = replace(UNKNOWN_LOOK, word="CHECK", meaning=POSSIBLE_TEXT)

Index = QModelIndex | QPersistentModelIndex


def chip_font(base: QFont) -> QFont:
    font = QFont(base)
    font.setBold(True)
    font.setPointSizeF(max(6.0, base.pointSizeF() * 0.85))
    return font


def chip_size(base: QFont) -> QSize:
    """Wide enough for the longest status word, so names line up in a column."""
    fm = QFontMetrics(chip_font(base))
    icon = fm.height()
    word = max(fm.horizontalAdvance(lk.word) for lk in LOOKS.values())
    pad = fm.height() // 2
    return QSize(pad + icon + pad // 2 + word + pad, fm.height() + pad)


def paint_chip(painter: QPainter, rect: QRect, status: str, base: QFont, palette: QPalette,
               chip_look: StatusLook | None = None) -> None:
    """A rounded chip: status icon and word on the status colour (`chip_look` for a person, who has no status)."""
    lk = chip_look or look(status)
    fg, bg = chip_colors("" if chip_look is not None else status, palette)
    font = chip_font(base)
    fm = QFontMetrics(font)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(fg)
    painter.setBrush(bg)
    radius = rect.height() / 2.5
    painter.drawRoundedRect(QRectF(rect).adjusted(0.5, 0.5, -0.5, -0.5), radius, radius)
    pad = fm.height() // 2
    side = fm.height()
    icon_rect = QRect(rect.left() + pad, rect.center().y() - side // 2 + 1, side, side)
    (icon(lk.icon_name) if chip_look is not None else status_icon(status)).paint(painter, icon_rect)
    painter.setFont(font)
    left = icon_rect.right() + pad // 2 + 1
    text_rect = QRect(left, rect.top(), rect.right() - icon_rect.right() - pad, rect.height())
    painter.drawText(text_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, lk.word)
    painter.restore()


class ResultDelegate(QStyledItemDelegate):
    """Two lines per result; sizes follow the font, so the list scales with the screen."""

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        fm = QFontMetrics(option.font)
        pad = fm.height() // 2
        height = max(chip_size(option.font).height(), 2 * fm.height() + fm.leading()) + 2 * pad
        return QSize(chip_size(option.font).width() + 20 * fm.averageCharWidth(), height)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        rect: QRect = opt.rect
        font: QFont = opt.font
        palette: QPalette = opt.palette
        style = opt.widget.style() if opt.widget else QApplication.style()
        # The style draws the row background, selection and focus, as for any other item.
        opt.text = ""
        opt.icon = status_icon("")
        opt.features &= ~QStyleOptionViewItem.ViewItemFeature.HasDecoration
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)

        status = index.data(STATUS_ROLE) or ""
        fm = QFontMetrics(font)
        pad = fm.height() // 2
        chip = chip_size(font)
        chip_rect = QRect(rect.left() + pad, rect.top() + pad, chip.width(), chip.height())
        person = index.data(KIND_ROLE) == "person"
        possible = bool(index.data(POSSIBLE_ROLE))
        chip_look = PERSON_LOOK if person else POSSIBLE_LOOK if possible else None
        paint_chip(painter, chip_rect, status, font, palette, chip_look)

        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        active = bool(opt.state & QStyle.StateFlag.State_Active)
        group = QPalette.ColorGroup.Active if active else QPalette.ColorGroup.Inactive
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        left = chip_rect.right() + pad
        width = rect.right() - left - pad
        painter.save()
        secondary = palette.color(group, text_role if selected else QPalette.ColorRole.PlaceholderText)
        share = index.data(SHARE_PHRASE_ROLE) or ""
        share_width = fm.horizontalAdvance(share)
        name_font = QFont(font)
        name_font.setBold(True)
        name_width = QFontMetrics(name_font).horizontalAdvance(index.data(Qt.ItemDataRole.DisplayRole) or "")
        # The name comes first: the share is drawn only where the whole name still fits beside it.
        if share and width - share_width - pad >= min(name_width, width // 2):
            painter.setPen(secondary)
            painter.drawText(QRect(rect.right() - pad - share_width, rect.top() + pad, share_width, fm.height() + 2),
                             Qt.AlignmentFlag.AlignRight, share)
            width -= share_width + pad
        painter.setFont(name_font)
        painter.setPen(palette.color(group, text_role))
        name = QFontMetrics(name_font).elidedText(index.data(Qt.ItemDataRole.DisplayRole) or "",
                                                  Qt.TextElideMode.ElideRight, width)
        painter.drawText(QRect(left, rect.top() + pad, width, fm.height() + 2), Qt.AlignmentFlag.AlignLeft, name)
        painter.setFont(font)
        painter.setPen(secondary)
        width = rect.right() - left - pad
        detail = f"{index.data(COUNTRY_ROLE)}  ·  {index.data(MATCHED_ROLE)}"
        if possible:
            # the list's heading says it in full; the row keeps room for the status, country and name
            detail = f"possible match  ·  {look(status).word.lower()}  ·  {detail}"
        detail = fm.elidedText(detail, Qt.TextElideMode.ElideRight, width)
        painter.drawText(QRect(left, rect.top() + pad + fm.height() + fm.leading(), width, fm.height() + 2),
                         Qt.AlignmentFlag.AlignLeft, detail)
        painter.restore()

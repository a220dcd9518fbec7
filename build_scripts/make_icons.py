"""Render the application icon into the formats the installers need.

    python build_scripts/make_icons.py OUT_DIR

Source: the app icon SVG from resources/ (CLEARANCE_ICON_SVG overrides the choice); without one, a
plain emblem is drawn so that a build never ships without an icon. Writes into OUT_DIR:

    clearance.svg            the source, when there is one (for the Linux hicolor theme)
    clearance-<N>.png        N = 16 … 1024
    clearance.png            256 px (Linux desktop entry, PyInstaller on Linux)
    clearance.ico            Windows: PNG-compressed entries 16 … 256
    clearance.icns           macOS: PNG entries 16 … 1024

Rendering uses Qt (QtSvg) offscreen, so no other image tool is needed.
"""

from __future__ import annotations

import os
import shutil
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZES = (16, 24, 32, 48, 64, 128, 256, 512, 1024)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# ICNS element types that take PNG data, by pixel size (1x and 2x variants share the pixels).
ICNS_TYPES = (
    (b"icp4", 16), (b"icp5", 32), (b"icp6", 64), (b"ic07", 128), (b"ic08", 256), (b"ic09", 512),
    (b"ic10", 1024), (b"ic11", 32), (b"ic12", 64), (b"ic13", 256), (b"ic14", 512),
)
PREFERRED_NAMES = (
    "clearance.svg", "app.svg", "app-icon.svg", "app_icon.svg", "application.svg", "icon.svg", "logo.svg",
)


def find_svg(resources: Path) -> Path | None:
    override = os.environ.get("CLEARANCE_ICON_SVG")
    if override:
        return Path(override)
    if not resources.is_dir():
        return None
    svgs = sorted(resources.rglob("*.svg"))
    for name in PREFERRED_NAMES:
        for svg in svgs:
            if svg.name.lower() == name:
                return svg
    for svg in svgs:
        stem = svg.stem.lower()
        if "clearance" in stem or "app" in stem.split("-") or "logo" in stem:
            return svg
    return None


def render_pngs(svg: Path | None) -> dict[int, bytes]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
    from PySide6.QtGui import QBrush, QColor, QGuiApplication, QImage, QPainter, QPainterPath, QPen
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    renderer = QSvgRenderer(str(svg)) if svg else None
    if renderer is not None and not renderer.isValid():
        raise SystemExit(f"make_icons: {svg} is not a valid SVG")

    def emblem(p: QPainter, n: int) -> None:
        # A rounded square with a check mark: recognisable at 16 px.
        margin = n * 0.06
        box = QRectF(margin, margin, n - 2 * margin, n - 2 * margin)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QBrush(QColor("#1f4e79")))
        p.drawRoundedRect(box, n * 0.18, n * 0.18)
        path = QPainterPath(QPointF(n * 0.27, n * 0.52))
        path.lineTo(QPointF(n * 0.44, n * 0.69))
        path.lineTo(QPointF(n * 0.74, n * 0.34))
        pen = QPen(QColor("white"), max(1.5, n * 0.1))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        p.setPen(pen)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPath(path)

    out: dict[int, bytes] = {}
    for n in SIZES:
        image = QImage(n, n, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        if renderer is not None:
            renderer.setAspectRatioMode(Qt.AspectRatioMode.KeepAspectRatio)
            renderer.render(painter, QRectF(0, 0, n, n))
        else:
            emblem(painter, n)
        painter.end()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        if not image.save(buffer, "PNG"):
            raise SystemExit(f"make_icons: could not encode the {n} px PNG")
        buffer.close()
        out[n] = bytes(data.data())
    del app
    return out


def ico(pngs: dict[int, bytes]) -> bytes:
    header = struct.pack("<HHH", 0, 1, len(ICO_SIZES))
    offset = len(header) + 16 * len(ICO_SIZES)
    entries, blobs = b"", b""
    for n in ICO_SIZES:
        blob = pngs[n]
        side = 0 if n >= 256 else n  # 0 stands for 256
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(blob), offset + len(blobs))
        blobs += blob
    return header + entries + blobs


def icns(pngs: dict[int, bytes]) -> bytes:
    body = b"".join(kind + struct.pack(">I", 8 + len(pngs[n])) + pngs[n] for kind, n in ICNS_TYPES)
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    svg = find_svg(ROOT / "resources")
    pngs = render_pngs(svg)
    for n, blob in pngs.items():
        (out / f"clearance-{n}.png").write_bytes(blob)
    (out / "clearance.png").write_bytes(pngs[256])
    (out / "clearance.ico").write_bytes(ico(pngs))
    (out / "clearance.icns").write_bytes(icns(pngs))
    if svg is not None:
        shutil.copyfile(svg, out / "clearance.svg")
    else:
        (out / "clearance.svg").unlink(missing_ok=True)
    print(f"make_icons: {'from ' + str(svg) if svg else 'built-in emblem (no app icon SVG in resources/)'} → {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

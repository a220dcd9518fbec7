"""Screenshots of lead-list screening and decision records, each window at its default size.

Run under Xvfb after take_screenshots.py, on the same database:
    xvfb-run -a -s "-screen 0 1600x1000x24" python docs/screenshots/take_record_screenshots.py --db /tmp/shots.db
The PDF's first page is rendered with pdftoppm (poppler-utils) when it is installed.
"""

from __future__ import annotations

import argparse
import csv
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from take_screenshots import OUT, settle, wait_for

from desktop_app.ui.app import make_application
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.record_pdf import write_record_pdf

LEADS = [("Company", "Website", "Country"), ("TikTok Pte. Ltd.", "", "SG"), ("Tencent", "tencent.com", ""),
         ("Bytedance", "", "DE"), ("Zyx Nordic Foods AB", "", "SE"), ("Mercedes-Benz Group", "", ""),
         ("Volkswagen AG", "", ""), ("Acme Unknown GmbH", "", "DE"), ("Huawei Technologies", "", ""),
         ("Spotify", "spotify.com", ""), ("=HYPERLINK(\"http://x\")", "", "")]


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--db", required=True)
    args = p.parse_args()
    app = make_application([])
    window = MainWindow(db=args.db, seed=False, settings=None)
    window.set_theme("light")
    window.show()
    wait_for(window.ready, window.start)
    work = Path(tempfile.mkdtemp())

    def save(widget: object, name: str) -> None:
        settle(app)
        widget.grab().save(str(OUT / f"{name}.png"))  # type: ignore[attr-defined]
        print(OUT / f"{name}.png")

    leads = work / "leads.csv"
    with leads.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(LEADS)
    screening = window.screening.show()
    screening.open_path(leads)
    while screening.picker is None or not screening.picker.isVisible():
        settle(app, 50)
    save(screening.picker, "11-screen-a-list-columns")
    wait_for(screening.finished, screening.picker.accept)
    save(screening, "12-screen-a-list-results")
    screening.close()

    wait_for(window.reportShown, lambda: window.open_entity("reference:tiktok-pte-ltd"))
    dialog = window.records.open_dialog()
    assert dialog is not None
    dialog.customer_ref.setText("CRM-1001")
    dialog.note.setPlainText("Renewal asked by the reseller; compliance informed.")
    wait_for(dialog.recorded, dialog.submit)
    save(dialog, "13-record-decision")
    dialog.close()
    records = window.records.show_records()
    wait_for(records.loaded, records.refresh)
    wait_for(records.verified, records.verify)
    save(records, "14-decision-records")
    if dialog.record is not None and shutil.which("pdftoppm"):
        pdf = work / "record.pdf"
        write_record_pdf(dialog.record, pdf)
        subprocess.run(["pdftoppm", "-r", "70", "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                        str(OUT / "15-record-pdf")], check=True)
        print(OUT / "15-record-pdf.png")
    records.close()
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Entry point of the frozen executables.

Both executables of the bundle run this script: `clearance-gui` (windowed) opens the window,
`clearance` (console) is the command line, which opens the window too when given no command.
The name the program was started by decides, so a link named clearance-gui works as well.
"""

import sys
from pathlib import Path


def _run() -> int:
    from desktop_app.cli import gui_main, main

    started_as = Path(sys.argv[0] if sys.argv and sys.argv[0] else sys.executable).stem.lower()
    if started_as.endswith("-gui"):
        return gui_main(sys.argv[1:])
    return main(sys.argv[1:])


if __name__ == "__main__":
    import multiprocessing

    multiprocessing.freeze_support()  # a list screened by worker processes starts them from this executable
    sys.exit(_run())

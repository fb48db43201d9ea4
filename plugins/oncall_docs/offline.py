"""[I/O] The laptop copy: a site built for file:// packed as one dated zip.

`make offline` builds the site with Material's offline plugin (no directory URLs, the search
index inlined as a script) and calls `pack`. The zip holds one folder of the same name, so
unzipping it never scatters files, and an older copy beside it keeps its own folder.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from datetime import date
from pathlib import Path

from oncall_docs.errors import OncallDocsError

NAME_PREFIX = "oncall-handbook-"


def copy_name(day: date) -> str:
    """`oncall-handbook-YYYY-MM-DD`: the zip's name and the folder inside it."""
    return f"{NAME_PREFIX}{day.isoformat()}"


def pack(site_dir: Path, out_dir: Path, day: date) -> Path:
    """Zip `site_dir` as `<out_dir>/oncall-handbook-<day>.zip`, written atomically.

    Raises OncallDocsError when `site_dir` is not a built site (no index.html), so a failed
    build never turns into a zip that looks good.
    """
    if not (site_dir / "index.html").is_file():
        raise OncallDocsError(f"{site_dir}: not a built site (no index.html); build it first")
    name = copy_name(day)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{name}.zip"
    fd, tmp = tempfile.mkstemp(dir=out_dir, prefix=f".{name}.", suffix=".zip.tmp")
    try:
        with os.fdopen(fd, "wb") as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(site_dir.rglob("*")):
                if path.is_file():
                    zf.write(path, f"{name}/{path.relative_to(site_dir).as_posix()}")
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target

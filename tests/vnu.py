"""The Nu HTML Checker (vnu-jar from the npm registry), run on Java, for the tests only."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from tests.npm import package_file

VERSION = "26.9.27"
INTEGRITY = (
    "sha512-TkQd5DFfOaWC9ebtvozTsrH2Vaod3jYg+vrOeREzIXxBexLz9"
    "+rS2DNtjn7+RPUiZhgli0SghgBX6RJRNea0KA=="
)


def html_errors(files: list[Path]) -> list[str]:
    """Every error the checker finds in these HTML files, as 'file:line: message'."""
    jar = package_file("vnu-jar", VERSION, INTEGRITY, "package/build/dist/vnu.jar", ".jar")
    java = shutil.which("java")
    assert java, "the Nu HTML Checker needs Java"
    done = subprocess.run(
        [java, "-jar", str(jar), "--format", "json", "--errors-only", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(done.stderr or done.stdout)["messages"]
    return [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine', '?')}: {m['message']}"
        for m in messages
        if m.get("type") in ("error", "non-document-error")
    ]

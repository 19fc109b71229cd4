"""One file from a package on the npm registry, checked against the registry's integrity
string and cached in .cache/, for tools the tests run (never the site)."""

from __future__ import annotations

import base64
import hashlib
import io
import tarfile
import urllib.request
from pathlib import Path

from app.config import ROOT


def package_file(name: str, version: str, integrity: str, member: str, suffix: str) -> Path:
    """The cached path of `member` from `name@version`, downloaded on first use."""
    cache = ROOT / ".cache" / f"{name}-{version}{suffix}"
    if not cache.exists():
        tarball_url = f"https://registry.npmjs.org/{name}/-/{name}-{version}.tgz"
        with urllib.request.urlopen(tarball_url, timeout=120) as response:
            tarball = response.read()
        digest = "sha512-" + base64.b64encode(hashlib.sha512(tarball).digest()).decode()
        if digest != integrity:
            raise RuntimeError(f"{tarball_url} does not match the registry's integrity {integrity}")
        with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
            extracted = archive.extractfile(member)
            assert extracted is not None, member
            content = extracted.read()
        cache.parent.mkdir(parents=True, exist_ok=True)
        partial = cache.with_suffix(".partial")
        partial.write_bytes(content)
        partial.replace(cache)  # a killed download never leaves half a file behind
    return cache

"""Issue 17: the API and its OpenAPI document agree, as checked by a tool no one here
wrote. schemathesis generates requests from the document, valid and invalid, sends them
to a real server and checks every answer: status, body against the schema, and that
what the document forbids is refused."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.serving import BIN, gunicorn_site


def test_schemathesis_finds_no_difference_between_the_document_and_the_api(
    tmp_path: Path,
) -> None:
    with gunicorn_site(f"sqlite:///{tmp_path / 'xanh.db'}", tmp_path / "index") as base:
        done = subprocess.run(
            [
                str(BIN / "schemathesis"),
                "--config-file",
                str(Path(__file__).with_name("schemathesis.toml")),
                "run",
                f"{base}/api/v1/openapi.json",
                "--checks",
                "all",
                "--max-examples",
                "40",
                "--seed",
                "17",
                "--report-dir",
                str(tmp_path / "report"),
            ],
            cwd=tmp_path,  # its own files (the example database) stay out of the repository
            capture_output=True,
            text=True,
            timeout=600,
        )
    assert done.returncode == 0, done.stdout[-9000:] + done.stderr[-2000:]
    assert "No issues found" in done.stdout, done.stdout[-2000:]

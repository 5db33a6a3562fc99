"""`make test` checks the system packages the tests need before anything else."""

import os
import subprocess
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "system-packages"
NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]


def run(*, packages: str | None = None, as_nobody: bool = False) -> subprocess.CompletedProcess:
    env = {**os.environ, **({"SYSTEM_PACKAGES": packages} if packages else {})}
    # As root the script would install; a missing package is checked as an ordinary user.
    prefix = NOBODY if as_nobody and os.geteuid() == 0 else []
    return subprocess.run([*prefix, str(SCRIPT)], env=env, capture_output=True, text=True,
                          timeout=60, check=False)


def test_with_every_package_present_the_check_passes_silently():
    result = run()
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_a_missing_package_without_root_stops_with_the_exact_command_to_run():
    result = run(packages="gettext no-such-package-for-keuzehulp", as_nobody=True)
    assert result.returncode == 1
    assert "not installed: no-such-package-for-keuzehulp" in result.stderr
    assert ("sudo sh -c 'apt-get update && apt-get install -y --no-install-recommends "
            "no-such-package-for-keuzehulp'") in result.stderr

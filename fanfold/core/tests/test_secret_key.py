"""Without SECRET_KEY in the environment, the archive makes one key, once, under its data
directory: processes starting together on a new archive (server workers) all read that one
key, whole, and it is readable by its owner only."""

import os
import subprocess
import sys

from django.conf import settings

READ_KEY = "import fanfold.settings as s; print(s.SECRET_KEY)"


def test_processes_starting_together_share_one_whole_key(tmp_path):
    env = {**os.environ, "FANFOLD_DATA_DIR": str(tmp_path)}
    env.pop("SECRET_KEY", None)
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", READ_KEY],
            env=env,
            cwd=settings.BASE_DIR,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(6)
    ]
    keys = set()
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err[-2000:]
        keys.add(out.strip())
    (key,) = keys
    assert len(key) >= 50
    assert (tmp_path / "secret_key").read_text().strip() == key
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    assert [path.name for path in tmp_path.iterdir()] == ["secret_key"]  # no leftovers
    # A restart reads the same key.
    again = subprocess.run(
        [sys.executable, "-c", READ_KEY], env=env, cwd=settings.BASE_DIR,
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert again.stdout.strip() == key

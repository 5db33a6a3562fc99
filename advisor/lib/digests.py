"""Content digests of files on disk, for the keys of cached PDFs."""

import hashlib
from functools import lru_cache
from pathlib import Path


def file_digest(path: str | Path | None) -> str:
    """SHA-256 of a file's bytes, or "" when there is no such file.

    Hashed once per version of the file (keyed on its modification time and size), so a
    download that only checks whether its cached PDF is current does not reread the file.
    """
    if not path:
        return ""
    try:
        stat = Path(path).stat()
    except (OSError, ValueError):
        return ""
    return _digest(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=32)
def _digest(path: str, mtime_ns: int, size: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()

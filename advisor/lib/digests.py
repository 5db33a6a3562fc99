"""Content digests of files on disk, for the keys of cached PDFs and pages."""

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


@lru_cache(maxsize=8)
def source_digest(*folders: Path) -> str:
    """SHA-256 of the Python source below these folders, worked out once per process: for
    caches that outlive a deploy and hold what that code made (addresses from the URLconf,
    texts from a table), so that new code never serves HTML the old code cached."""
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(Path(folder).rglob("*.py")):
            digest.update(f"{path.relative_to(folder)}={file_digest(path)}\n".encode())
    return digest.hexdigest()

"""The source digest that keys cached pages: a deploy with other code makes new keys."""

from advisor.lib.digests import source_digest


def test_the_source_digest_changes_with_any_python_file_below_its_folders(tmp_path):
    package = tmp_path / "app"
    (package / "sub").mkdir(parents=True)
    (package / "urls.py").write_text('PATH = "vragen/"\n')
    (package / "sub" / "views.py").write_text("X = 1\n")
    (package / "notes.txt").write_text("not code")
    before = source_digest(package)

    (package / "notes.txt").write_text("still not code, longer")
    assert source_digest(package) == before

    (package / "sub" / "views.py").write_text("X = 2, 3\n")
    source_digest.cache_clear()  # a new process, as after a deploy
    changed = source_digest(package)
    assert changed != before

    (package / "sub" / "views.py").rename(package / "views.py")
    source_digest.cache_clear()
    assert source_digest(package) != changed  # a moved file is other code

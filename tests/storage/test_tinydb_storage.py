"""SafeJSONStorage as a drop-in for TinyDB's JSONStorage: its arguments, its errors, and its write
check, on real files. (TinyDB's own suite is run against it by .ci/tinydb_compat.py.)"""

from __future__ import annotations

import json
import os
import re
import stat

import pytest
from tinydb import TinyDB, where
from tinydb.middlewares import CachingMiddleware

from supervisor_tui.storage import (
    MissingFileError,
    NotJSONError,
    ReadOnlyError,
    ReadOnlyFileError,
    SafeJSONStorage,
    SafeTinyDB,
    StaleWriteError,
    Store,
    UnusableFileError,
    WriteFailedError,
)
from supervisor_tui.storage.files import Folder
from supervisor_tui.storage.jsonfile import LockedFile

from .conftest import spawn


def _db(path, **kwargs) -> TinyDB:
    return TinyDB(str(path), storage=SafeJSONStorage, **kwargs)


def _names(folder) -> list[str]:
    return sorted(os.listdir(folder))


# -- the write check: refuse what would lose another writer's change, and only that ---------------------
def test_sequential_sessions_reopen_insert_and_drop_tables(tmp_path):
    """TinyDB's test_unique_ids: a new session's first write (drop_tables writes without reading) is
    not refused for the file having been written by an earlier, closed session."""
    path = tmp_path / "db.json"
    for _ in range(2):
        with _db(path) as db:
            db.insert({"x": 1})
    with _db(path) as db:
        assert [d.doc_id for d in db.all()] == [1, 2]
    with _db(path) as db:
        db.drop_tables()
        db.insert_multiple({"x": i} for i in range(5))
        db.remove(where("x") == 2)
        assert sorted(d.doc_id for d in db.all()) == [1, 2, 4, 5]


WRITE_ONE = r"""
import sys
from tinydb import TinyDB
from supervisor_tui.storage import SafeJSONStorage
with TinyDB(sys.argv[1], storage=SafeJSONStorage) as db:
    db.insert({"by": "the other process"})
"""


def test_a_write_over_another_processs_change_is_still_refused(tmp_path):
    path = tmp_path / "db.json"
    with _db(path) as db:
        db.insert({"by": "me"})
    storage = SafeJSONStorage(str(path))
    data = storage.read()
    proc = spawn(WRITE_ONE, path)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    theirs = path.read_bytes()
    data["_default"]["2"] = {"by": "me, again"}
    with pytest.raises(StaleWriteError, match="changed on disk since it was read"):
        storage.write(data)
    assert path.read_bytes() == theirs  # their change kept
    storage.read()
    storage.write(data)  # read again: now it is based on what is there
    assert json.loads(path.read_bytes())["_default"]["2"] == {"by": "me, again"}


def test_a_write_after_the_same_bytes_were_put_back_is_not_refused(tmp_path):
    """Touched, or rewritten identically by another writer (a new inode, a new time): nothing to lose."""
    path = tmp_path / "db.json"
    with _db(path) as db:
        db.insert({"n": 1})
    storage = SafeJSONStorage(str(path))
    data = storage.read()
    copy = tmp_path / "copy"
    copy.write_bytes(path.read_bytes())
    os.replace(copy, path)
    os.utime(path, ns=(1, 1))
    data["_default"]["2"] = {"n": 2}
    storage.write(data)
    assert json.loads(path.read_bytes())["_default"] == {"1": {"n": 1}, "2": {"n": 2}}


def test_a_write_after_an_empty_file_appeared_where_there_was_none_is_not_refused(tmp_path):
    path = tmp_path / "db.json"
    path.write_bytes(b"")
    storage = SafeJSONStorage(str(path))
    path.unlink()
    assert storage.read() is None  # read: no file
    path.write_bytes(b"")  # another session opened it meanwhile, creating it empty
    storage.write({"_default": {"1": {"n": 1}}})
    assert json.loads(path.read_bytes()) == {"_default": {"1": {"n": 1}}}


def test_a_write_over_a_file_emptied_or_removed_since_it_was_read_is_not_refused(tmp_path):
    path = tmp_path / "db.json"
    with _db(path) as db:
        db.insert({"n": 1})
    storage = SafeJSONStorage(str(path))
    data = storage.read()
    path.unlink()
    storage.write(data)  # nothing on disk to lose: written as it was
    assert json.loads(path.read_bytes()) == data
    data = storage.read()
    path.write_bytes(b"")
    storage.write(data)
    assert json.loads(path.read_bytes()) == data


def test_a_storage_that_never_read_writes_what_it_is_given(tmp_path):
    path = tmp_path / "db.json"
    with _db(path) as db:
        db.insert({"n": 1})
    SafeJSONStorage(str(path)).write({"_default": {}})  # TinyDB's drop_tables: replace it all
    assert json.loads(path.read_bytes()) == {"_default": {}}


def test_a_new_records_first_save_may_replace_an_empty_file_that_appeared_meanwhile(tmp_path):
    """Opening creates an empty file without the lock; a Store writing the record's first version
    under the lock must not take that for another writer's save."""
    path = tmp_path / "team.json"
    file = LockedFile(path)
    with file.lock():
        _, read_as = file.read_bytes()
        assert read_as is None
        SafeJSONStorage(str(path))  # another session opens the path now: an empty file appears
        file.replace_with('{"_default": {}}', read_as, check=True)
    assert path.read_bytes() == b'{"_default": {}}'
    with file.lock():
        _, read_as = file.read_bytes()
        path.write_text('{"_default": {"1": {}}}')  # a real save by someone else
        with pytest.raises(WriteFailedError, match="replaced by another writer"):
            file.replace_with('{"_default": {}}', read_as, check=True)
    assert path.read_text() == '{"_default": {"1": {}}}'


def test_a_store_opens_the_empty_file_a_storage_created(tmp_path):
    path = tmp_path / "team.json"
    SafeJSONStorage(str(path))
    store = Store(str(path))
    store.create("notes", "N", {"n": 1})
    assert [n["n"] for n in Store(str(path)).records("notes")] == [1]


# -- opening: the file and its folder ----------------------------------------------------------------
def test_opening_creates_an_empty_private_file_and_no_lock_file(tmp_path):
    path = tmp_path / "db.json"
    old = os.umask(0o022)
    try:
        storage = SafeJSONStorage(str(path))
    finally:
        os.umask(old)
    assert path.read_bytes() == b""
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640  # as a save would make it: never world-readable
    assert _names(tmp_path) == ["db.json"]  # nothing else left by an open that wrote nothing
    assert storage.read() is None


def test_a_missing_folder_is_a_file_not_found_error_and_nothing_is_created(tmp_path):
    path = tmp_path / "nowhere" / "db.json"
    with pytest.raises(FileNotFoundError, match="does not exist") as caught:
        TinyDB(str(path), storage=SafeJSONStorage)
    assert isinstance(caught.value, UnusableFileError)  # also ours, with the same message as ever
    with pytest.raises(UnusableFileError, match=r"The folder .*nowhere does not exist\."):
        Store(str(path))
    assert _names(tmp_path) == []


@pytest.mark.parametrize("umask, mode", [(0o022, 0o750), (0o077, 0o700), (0o000, 0o770)])
def test_create_dirs_makes_the_folders_never_open_to_the_world(tmp_path, umask, mode):
    path = tmp_path / "a" / "b" / "db.json"
    old = os.umask(umask)
    try:
        with _db(path, create_dirs=True) as db:
            db.insert({"n": 1})
    finally:
        os.umask(old)
    for folder in (tmp_path / "a", tmp_path / "a" / "b"):
        assert stat.S_IMODE(os.stat(folder).st_mode) == mode, folder
    assert _db(path).all() == [{"n": 1}]
    SafeJSONStorage(str(path), create_dirs=True)  # the folders exist now: nothing to do


def test_create_dirs_in_a_setgid_team_folder_makes_team_folders(tmp_path):
    group = 100  # 'users', as the shared-folder tests use
    os.chown(tmp_path, -1, group)
    os.chmod(tmp_path, 0o2770)
    old = os.umask(0o077)
    try:
        SafeJSONStorage(str(tmp_path / "rota" / "2026" / "db.json"), create_dirs=True)
    finally:
        os.umask(old)
    for folder in (tmp_path / "rota", tmp_path / "rota" / "2026"):
        st = os.stat(folder)
        assert (stat.S_IMODE(st.st_mode), st.st_gid) == (0o2770, group), folder
    st = os.stat(tmp_path / "rota" / "2026" / "db.json")
    assert (stat.S_IMODE(st.st_mode), st.st_gid) == (0o660, group)


def test_create_dirs_never_creates_folders_where_a_link_points(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    (tmp_path / "team").symlink_to(elsewhere)  # dangling: 'elsewhere' does not exist
    with pytest.raises(UnusableFileError, match="never created through a link"):
        SafeJSONStorage(str(tmp_path / "team" / "rota" / "db.json"), create_dirs=True)
    assert not elsewhere.exists()


def test_create_dirs_follows_a_link_to_a_real_folder(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "team").symlink_to(real)
    SafeJSONStorage(str(tmp_path / "team" / "rota" / "db.json"), create_dirs=True)
    assert (real / "rota" / "db.json").is_file()


def test_opening_never_creates_the_file_through_a_link_planted_under_its_name(tmp_path):
    target = tmp_path / "target"
    folder = Folder(tmp_path)
    (tmp_path / "db.json").symlink_to(target)
    assert folder.create_empty("db.json") is False
    assert not target.exists() and (tmp_path / "db.json").is_symlink()


# -- access modes ----------------------------------------------------------------------------------
def test_read_only_mode_on_a_missing_file_is_a_file_not_found_error(tmp_path):
    path = tmp_path / "db.json"
    with pytest.raises(FileNotFoundError, match="only to read") as caught:
        TinyDB(str(path), storage=SafeJSONStorage, access_mode="r")
    assert isinstance(caught.value, MissingFileError)
    with pytest.raises(FileNotFoundError):  # create_dirs does not create anything for a reader either
        SafeJSONStorage(str(tmp_path / "new" / "db.json"), access_mode="r", create_dirs=True)
    assert _names(tmp_path) == []


@pytest.mark.parametrize("mode", ["r", "rb"])
def test_read_only_mode_reads_and_refuses_every_write(tmp_path, mode):
    path = tmp_path / "db.json"
    with _db(path) as db:
        db.insert({"a": 1})
    (tmp_path / "db.json.lock").unlink()
    before = path.read_bytes()
    db = _db(path, access_mode=mode)
    assert db.get(where("a") == 1) == {"a": 1}
    with pytest.raises(IOError, match="only to read") as caught:
        db.insert({"c": 1})
    assert isinstance(caught.value, ReadOnlyFileError) and isinstance(caught.value, ReadOnlyError)
    with pytest.raises(PermissionError):
        db.drop_tables()
    safe = SafeTinyDB(str(path), access_mode=mode)
    with pytest.raises(PermissionError):
        safe.table("t").insert({"c": 1})  # the locked write is refused before it takes the lock
    assert path.read_bytes() == before
    assert _names(tmp_path) == ["db.json"]  # no lock file: a reader never takes the lock


@pytest.mark.parametrize("mode", ["w", "a", "w+", "a+", "x"])
def test_modes_that_write_in_place_are_refused(tmp_path, mode):
    path = tmp_path / "db.json"
    with _db(path) as db:
        db.insert({"a": 1})
    before = path.read_bytes()
    with pytest.raises(ValueError, match=f"access_mode '{re.escape(mode)}' is refused"):
        SafeJSONStorage(str(path), access_mode=mode)
    with pytest.raises(ValueError):
        SafeJSONStorage(str(tmp_path / "new.json"), access_mode=mode)
    assert path.read_bytes() == before and not (tmp_path / "new.json").exists()


# -- json.dumps options and encodings ------------------------------------------------------------------
def test_json_dumps_options_shape_the_file(tmp_path):
    path = tmp_path / "db.json"
    with _db(path, sort_keys=True, indent=4, separators=(",", ": ")) as db:
        db.insert({"b": 1, "a": "é"})
    assert path.read_text(encoding="utf-8") == (
        '{\n    "_default": {\n        "1": {\n            "a": "é",\n            "b": 1\n        }\n    }\n}'
    )


def test_by_default_text_is_written_as_utf8_not_escaped(tmp_path):
    path = tmp_path / "db.json"
    with _db(path) as db:
        db.insert({"name": "Zoë"})
    assert "Zoë" in path.read_text(encoding="utf-8")


def test_an_option_json_dumps_does_not_take_is_refused_on_opening(tmp_path):
    with pytest.raises(TypeError, match="json.dumps.*colour"):
        SafeJSONStorage(str(tmp_path / "db.json"), colour="blue")
    assert _names(tmp_path) == []


def test_an_encoding_is_used_to_write_and_to_read(tmp_path):
    path = tmp_path / "db.json"
    japanese = {"Test": "こんにちは世界"}
    SafeJSONStorage(str(path), encoding="utf-16").write(japanese)
    assert path.read_bytes()[:2] in (b"\xff\xfe", b"\xfe\xff")  # a BOM: really UTF-16
    assert SafeJSONStorage(str(path), encoding="utf-16").read() == japanese
    SafeJSONStorage(str(path), encoding="cp936").write(japanese)  # not Unicode: escaped, so it fits
    assert SafeJSONStorage(str(path), encoding="cp936").read() == japanese
    with pytest.raises(json.JSONDecodeError) as caught:
        SafeJSONStorage(str(path), encoding="cp037").read()
    assert isinstance(caught.value, NotJSONError) and "not been changed" in str(caught.value)


def test_text_an_encoding_cannot_hold_is_refused_and_nothing_changes(tmp_path):
    path = tmp_path / "db.json"
    storage = SafeJSONStorage(str(path), encoding="latin-1", ensure_ascii=False)
    storage.write({"_default": {"1": {"name": "Zoë"}}})
    before = path.read_bytes()
    assert before == '{"_default": {"1": {"name": "Zoë"}}}'.encode("latin-1")
    with pytest.raises(WriteFailedError, match="cannot hold"):
        storage.write({"_default": {"1": {"name": "こんにちは"}}})
    assert path.read_bytes() == before
    assert _names(tmp_path) == ["db.json", "db.json.lock"]  # the temp file is gone


def test_an_unknown_encoding_is_refused_on_opening(tmp_path):
    with pytest.raises(LookupError):
        SafeJSONStorage(str(tmp_path / "db.json"), encoding="no-such-encoding")


def test_damaged_json_is_a_json_decode_error_that_keeps_no_text(tmp_path):
    path = tmp_path / "db.json"
    path.write_text('{"_default": {"1": {"secret": "x"')
    with pytest.raises(json.JSONDecodeError) as caught:
        SafeJSONStorage(str(path)).read()
    error = caught.value
    assert isinstance(error, UnusableFileError) and "truncated or damaged" in str(error)
    assert error.doc == "" and error.lineno == 1  # where it stopped, but not the record's text


# -- what the storage reads ------------------------------------------------------------------------------
def test_the_storage_returns_any_json_object_it_was_given(tmp_path):
    """As TinyDB's storages do: the tables' shape is TinyDB's business (TinyDB's test_json)."""
    doc = {"none": [None, None], "int": 42, "dict": {"hp": 13}}
    storage = SafeJSONStorage(str(tmp_path / "db.json"))
    storage.write(doc)
    assert storage.read() == doc


def test_safe_tinydb_still_refuses_a_file_that_is_not_all_tables(tmp_path):
    path = tmp_path / "db.json"
    path.write_text('{"_default": {}, "notes": [1, 2]}')
    with pytest.raises(UnusableFileError, match="not a TinyDB file of tables"):
        SafeTinyDB(str(path)).all()


def test_json_that_is_not_an_object_is_refused(tmp_path):
    path = tmp_path / "db.json"
    path.write_text("[1, 2, 3]")
    with pytest.raises(UnusableFileError, match="not a TinyDB file"):
        SafeJSONStorage(str(path)).read()


# -- what the expected failures in .ci/tinydb_compat.py say holds ---------------------------------------
def test_caching_middleware_flushes_on_close_and_reads_back(tmp_path):
    """TinyDB's test_caching_json_write, but for the check of JSONStorage's private _handle."""
    path = tmp_path / "db.json"
    with TinyDB(str(path), storage=CachingMiddleware(SafeJSONStorage)) as db:
        db.insert({"key": "value"})
    assert os.stat(path).st_size != 0
    with TinyDB(str(path), storage=CachingMiddleware(SafeJSONStorage)) as db:
        assert db.all() == [{"key": "value"}]


def test_a_tables_repr_names_our_storage(tmp_path):
    """TinyDB's test_table_repr, with our class's name where it expects JSONStorage's."""
    table = _db(tmp_path / "db.json").table("table4")
    assert re.match(
        r"<Table name=\'table4\', total=0, "
        r"storage=<supervisor_tui\.storage\.jsonfile\.SafeJSONStorage object at [a-zA-Z0-9]+>>",
        repr(table),
    )

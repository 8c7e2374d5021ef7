"""The cache files' trust rules: only a regular file of this user that nobody else may write is
read, a write is whole or absent, and a pickle may name only what its cache lists."""

from __future__ import annotations

import io
import pickle
from pathlib import Path
from types import MappingProxyType
from typing import IO

import pytest

from bot.cache_files import (
    MAPPING_PROXY,
    Recall,
    keep_only,
    own_file,
    own_file_bytes,
    pickle_into,
    pickled,
    unpickled,
    write_atomically,
)

from .support.pickles import MakesFolder


def test_a_private_file_is_read_and_others_are_not(tmp_path: Path) -> None:
    path = tmp_path / "slot"
    write_atomically(path, b"data")
    assert path.stat().st_mode & 0o077 == 0
    assert own_file_bytes(path) == b"data"
    path.chmod(0o620)
    assert own_file_bytes(path) is None
    path.chmod(0o600)
    link = tmp_path / "link"
    link.symlink_to(path)
    assert own_file_bytes(link) is None
    assert own_file_bytes(tmp_path) is None  # a folder
    assert own_file_bytes(tmp_path / "missing") is None


def test_a_failed_write_leaves_the_old_file_and_no_other(tmp_path: Path) -> None:
    path = tmp_path / "slot"
    write_atomically(path, b"old")

    def half(file: IO[bytes]) -> None:
        file.write(b"half of it")
        raise pickle.PicklingError("cannot store this")

    with pytest.raises(pickle.PicklingError):
        write_atomically(path, half)
    assert [p.name for p in tmp_path.iterdir()] == ["slot"]
    assert own_file_bytes(path) == b"old"


def test_a_writer_writes_into_the_file(tmp_path: Path) -> None:
    path = tmp_path / "slot"
    write_atomically(path, lambda file: pickle_into(file, {"a": MappingProxyType({"b": 1})}))
    with own_file(path) as file:
        assert file is not None
        assert unpickled(file, MAPPING_PROXY) == {"a": MappingProxyType({"b": 1})}


def test_a_pickle_naming_what_is_not_listed_is_refused_unrun(tmp_path: Path) -> None:
    target = tmp_path / "made"
    with pytest.raises(pickle.UnpicklingError):
        unpickled(io.BytesIO(pickled([MakesFolder(target)])), MAPPING_PROXY)
    assert not target.exists()


def test_shared_objects_are_the_readers_own() -> None:
    mine = ["first", "second"]
    theirs = ["first", "".join(["sec", "ond"])]
    data = io.BytesIO()
    pickle_into(data, ("x", mine[1]), lambda value: 1 if value is mine[1] else None)
    data.seek(0)
    got = unpickled(data, {}, theirs)
    assert got == ("x", "second") and got[1] is theirs[1]
    data.seek(0)
    with pytest.raises(IndexError):
        unpickled(data, {}, theirs[:1])


def test_keep_only_deletes_other_cache_files_and_leaves_the_rest(tmp_path: Path) -> None:
    kept, other, stray = (tmp_path / n for n in ("a.pickle", "b.pickle", "c.tmp"))
    for path in (kept, other, stray, tmp_path / "notes.txt"):
        path.write_bytes(b"x")
    (tmp_path / "index").mkdir()
    keep_only(tmp_path, {kept})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.pickle", "index", "notes.txt"]
    keep_only(tmp_path / "missing", set())  # no folder: nothing to do, no error


def test_recall_keeps_what_a_load_made_or_used_for_the_next_one() -> None:
    recall: Recall[str, int] = Recall()
    recall.put("a", 1)
    recall.put("b", 2)
    assert recall.get("a") == 1 and recall.get("c") is None
    recall.turn()  # the first load ended: both are the last
    assert recall.get("b") == 2  # the second load uses b only
    recall.put("c", 3)
    recall.turn()
    assert recall.get("a") is None  # not used by the second load: let go
    assert (recall.get("b"), recall.get("c")) == (2, 3)

"""Cache files that only this user can have written, and pickles that may name only listed
classes: what bot.knowledge_cache and bot.index_cache both rely on before they unpickle; and what
both recall of the last load in memory, so that a ``/reload`` does not unpickle it again.

Unpickling runs code, so a cache file is read only when it is a regular file (not a link) owned
by this user that nobody else may write, and its pickle is refused as soon as it names anything
its cache did not list. A file is written to a temporary file beside it and renamed over it: a
reader sees the old file or the new one, never half of one, even when two processes load at once.
"""

from __future__ import annotations

import copyreg
import io
import os
import pickle
import stat
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import IO, Any, Generic, TypeVar

Allowed = Mapping[str, frozenset[str]]  # module → the names a pickle may take from it
SUFFIX = ".pickle"  # of every cache file; write_atomically's temporary files end in ".tmp"
K = TypeVar("K")
V = TypeVar("V")


def mapping_proxy(items: dict[Any, Any]) -> MappingProxyType[Any, Any]:
    """The records' read-only mappings, made again from a pickle (pickle cannot name the
    mapping proxy type itself)."""
    return MappingProxyType(items)


def _reduce_mapping_proxy(proxy: MappingProxyType[Any, Any]) -> tuple[Any, ...]:
    # The dict it shows, copied whole: a fifth of the time of dict(proxy), 50,000 of them at
    # 10,000 entries.
    return mapping_proxy, (proxy.copy(),)


# Where a pickle of read-only mappings names mapping_proxy: a cache lists it as allowed.
MAPPING_PROXY: Allowed = {__name__: frozenset({"mapping_proxy"})}


def pickled(value: object) -> bytes:
    """``value`` pickled, its read-only mappings (MappingProxyType) included."""
    buffer = io.BytesIO()
    pickle_into(buffer, value)
    return buffer.getvalue()


def pickle_into(
    file: IO[bytes], value: object, shared: Callable[[object], int | None] | None = None
) -> None:
    """Pickle ``value`` into ``file``, its read-only mappings (MappingProxyType) included;
    ``shared`` numbers the objects stored as a reference to what the reader has already (see
    :func:`unpickled`), None for the others."""
    pickler = pickle.Pickler(file, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = {**copyreg.dispatch_table, MappingProxyType: _reduce_mapping_proxy}
    if shared is not None:
        pickler.persistent_id = shared  # type: ignore[method-assign]
    pickler.dump(value)


class _Unpickler(pickle.Unpickler):
    def __init__(self, file: IO[bytes], allowed: Allowed, shared: Sequence[object]) -> None:
        super().__init__(file)
        self._allowed = allowed
        # The object numbered pid among those the reader has already; a number out of range
        # raises IndexError (a miss). The sequence's own method, not one written here: a Python
        # call for each of the 700,000 references at 10,000 entries took 0.15 s more.
        self.persistent_load = shared.__getitem__  # type: ignore[method-assign]

    def find_class(self, module: str, name: str) -> Any:
        """Only the classes a cached result is made of: a pickle naming anything else (a
        function that runs a command, say) is refused before it is called."""
        if name not in self._allowed.get(module, ()):
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed in the cache")
        return super().find_class(module, name)


def unpickled(file: IO[bytes], allowed: Allowed, shared: Sequence[object] = ()) -> Any:
    """The value pickled in ``file``, which may name only what ``allowed`` lists; an object
    pickled as shared number i is ``shared[i]``. Raises whatever a corrupt pickle raises: the
    caller takes any exception as a miss."""
    return _Unpickler(file, allowed, shared).load()


@contextmanager
def own_file(path: Path) -> Iterator[IO[bytes] | None]:
    """``path`` open for reading if it is a regular file this user owns and nobody else may
    write; else None."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        yield None
        return
    status = os.fstat(descriptor)
    trusted = stat.S_ISREG(status.st_mode) and not status.st_mode & 0o022
    if hasattr(os, "geteuid") and status.st_uid != os.geteuid():
        trusted = False
    if not trusted:  # not opened as a file: a folder opens, but cannot be read
        os.close(descriptor)
        yield None
        return
    with open(descriptor, "rb") as file:
        yield file


def own_file_bytes(path: Path) -> bytes | None:
    """The bytes of a regular file this user owns and nobody else may write; else None."""
    with own_file(path) as file:
        return file.read() if file is not None else None


def write_atomically(path: Path, data: bytes | Callable[[IO[bytes]], object]) -> None:
    """Write ``data`` (or what it writes into the file it is given) to a temporary file beside
    ``path``, readable by this user only, then rename that over ``path``. A failure, such as an
    object pickle cannot store, leaves no file behind and is raised."""
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with open(descriptor, "wb") as file:
            if callable(data):
                data(file)
            else:
                file.write(data)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def keep_only(folder: Path, kept: set[Path]) -> None:
    """Delete the cache files (and left-over temporary files) in ``folder`` other than ``kept``;
    folders inside it are left alone. An unreadable folder is left as it is."""
    try:
        for path in folder.iterdir():
            if path.suffix in (SUFFIX, ".tmp") and path not in kept:
                path.unlink(missing_ok=True)
    except OSError:
        return


@dataclass(frozen=True)
class Recall(Generic[K, V]):
    """What the last load made, by key, and what this one has made so far, in memory: a cache
    kept between loads by whoever reloads takes from here what it would otherwise unpickle, and a
    load that ends (:meth:`turn`) lets go of what it did not use. Values are trusted as they are:
    a key says everything its value was made of, and nobody but this process wrote them."""

    last: dict[K, V] = field(default_factory=dict)
    now: dict[K, V] = field(default_factory=dict)

    def get(self, key: K) -> V | None:
        """The value of ``key``, made now or by the last load (then kept for the next)."""
        value = self.now.get(key)
        if value is None and (value := self.last.get(key)) is not None:
            self.now[key] = value
        return value

    def put(self, key: K, value: V) -> None:
        """Keep ``value`` for the next load."""
        self.now[key] = value

    def turn(self) -> None:
        """The load ended: what it made or used becomes the last; the rest is let go."""
        self.last.clear()
        self.last.update(self.now)
        self.now.clear()

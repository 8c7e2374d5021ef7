"""A pickle that runs code, which the caches' restricted unpicklers must refuse without running,
and the damage any cache file must survive as a miss."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

# A cache file emptied, cut short, with its end zeroed or garbage in front: read as a miss.
DAMAGES: tuple[Callable[[bytes], bytes], ...] = (
    lambda data: b"",
    lambda data: data[: len(data) // 2],
    lambda data: data[:-40] + b"\x00" * 40,
    lambda data: b"garbage" + data,
)


class MakesFolder:
    """Unpickling this makes a folder: a cache must never run what a pickle names."""

    def __init__(self, target: Path) -> None:
        self.target = target

    def __reduce__(self) -> tuple[Any, ...]:
        return os.mkdir, (str(self.target),)

"""A pickle that runs code: what the caches' restricted unpicklers must refuse without running."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any


class MakesFolder:
    """Unpickling this makes a folder: a cache must never run what a pickle names."""

    def __init__(self, target: Path) -> None:
        self.target = target

    def __reduce__(self) -> tuple[Any, ...]:
        return os.mkdir, (str(self.target),)

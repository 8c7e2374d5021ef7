"""The per-file cache of checked entries: a hit gives the same knowledge base and problems as
reading the files, a changed file is read again, and a cache that cannot be trusted or written
is passed over without breaking loading."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bot.knowledge import LoadResult, load_knowledge
from bot.knowledge_cache import CheckedFile, KnowledgeCache
from bot.yaml_source import shown_path

from .support.pickles import DAMAGES, MakesFolder

SHIPPED_KB = Path(__file__).resolve().parent.parent / "knowledge"
FIXTURE_KB = Path(__file__).parent / "fixtures" / "kb"

ENTRY = """\
category: {category}
entries:
  - id: palace
    questions:
      zh: [沈阳故宫在哪里]
      en: [Where is the Mukden Palace?]
    answer:
      zh: 在沈河区。
      en: In Shenhe district.
    source: test
    updated: 2026-01-10
  - id: visa-rules
    questions:
      en: [Do I need a visa?, Where is the Mukden Palace?]
    answer:
      en: Ask the embassy.
    source: test
    updated: 2026-01-10
"""


def same(left: LoadResult, right: LoadResult) -> None:
    """Equal in everything loading gives, the normal forms' order and the entries' files too."""
    assert left.problems == right.problems
    assert [str(p) for p in left.problems] == [str(p) for p in right.problems]
    assert left.knowledge == right.knowledge
    if left.knowledge is not None and right.knowledge is not None:
        assert list(left.knowledge.normal.items()) == list(right.knowledge.normal.items())
        assert [(e.file, e.line) for e in left.knowledge.entries] == [
            (e.file, e.line) for e in right.knowledge.entries
        ]


def base(directory: Path, category: str = "tourism") -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "sights.yaml").write_text(ENTRY.format(category=category), encoding="utf-8")
    return directory


def slots(cache: Path) -> list[Path]:
    return sorted(cache.glob("*.pickle"))


@pytest.mark.parametrize("knowledge", [SHIPPED_KB, FIXTURE_KB])
@pytest.mark.parametrize("libyaml", [True, False])
def test_a_warm_cache_loads_what_the_files_say(
    tmp_path: Path, knowledge: Path, libyaml: bool
) -> None:
    plain = load_knowledge(knowledge, libyaml=libyaml)
    cold = load_knowledge(knowledge, libyaml=libyaml, cache_dir=tmp_path)
    assert slots(tmp_path)
    warm = load_knowledge(knowledge, libyaml=libyaml, cache_dir=tmp_path)
    same(plain, cold)
    same(plain, warm)


def test_problems_come_back_with_a_hit_and_dated_checks_run_on_every_load(tmp_path: Path) -> None:
    knowledge, cache = base(tmp_path / "kb"), tmp_path / "cache"
    early, late = date(2026, 2, 1), date(2027, 2, 1)
    cold = load_knowledge(knowledge, today=early, cache_dir=cache)
    assert any("also a question of" in str(p) for p in cold.problems)
    assert not any("visa-rules" in str(p) and "updated" in str(p) for p in cold.problems)
    later = load_knowledge(knowledge, today=late, cache_dir=cache)
    same(load_knowledge(knowledge, today=late), later)
    assert any("also a question of" in str(p) for p in later.problems)
    assert len(later.problems) > len(cold.problems)  # visa-rules is now stale


def test_an_error_in_a_cached_file_is_reported_again(tmp_path: Path) -> None:
    knowledge, cache = base(tmp_path / "kb", category="no-such-category"), tmp_path / "cache"
    cold = load_knowledge(knowledge, cache_dir=cache)
    assert cold.knowledge is None and cold.errors
    same(cold, load_knowledge(knowledge, cache_dir=cache))
    same(cold, load_knowledge(knowledge))


def test_a_changed_file_is_read_again(tmp_path: Path) -> None:
    knowledge, cache = base(tmp_path / "kb"), tmp_path / "cache"
    load_knowledge(knowledge, cache_dir=cache)
    path = knowledge / "sights.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Ask the", "Call the"), "utf-8")
    warm = load_knowledge(knowledge, cache_dir=cache)
    same(load_knowledge(knowledge), warm)
    assert warm.knowledge is not None
    assert warm.knowledge.by_id["visa-rules"].answer["en"] == "Call the embassy."
    assert len(slots(cache)) == 1  # the file's slot is written over, not added to


def test_the_cached_result_is_what_a_hit_gives(tmp_path: Path) -> None:
    """The hit path is real: a well-formed result in the slot is used as it is."""
    knowledge, cache = base(tmp_path / "kb"), tmp_path / "cache"
    path = knowledge / "sights.yaml"
    planted = load_knowledge(base(tmp_path / "other", category="culture"))
    assert planted.knowledge is not None
    entries = planted.knowledge.entries
    checked = CheckedFile(entries, (), planted.knowledge.normal)
    KnowledgeCache(cache).put(shown_path(path), path.read_bytes(), True, checked)
    loaded = load_knowledge(knowledge, cache_dir=cache)
    assert loaded.knowledge is not None
    assert loaded.knowledge.entries[0].category == "culture"


def plant(tmp_path: Path, checked: Any) -> tuple[Path, Path]:
    """A base and a cache whose one slot holds ``checked`` under the right key."""
    knowledge, cache = base(tmp_path / "kb"), tmp_path / "cache"
    path = knowledge / "sights.yaml"
    KnowledgeCache(cache).put(shown_path(path), path.read_bytes(), True, checked)
    return knowledge, cache


def test_a_pickle_naming_other_code_is_refused_unrun(tmp_path: Path) -> None:
    target = tmp_path / "made-by-the-pickle"
    knowledge, cache = plant(tmp_path, CheckedFile((MakesFolder(target),), ()))  # type: ignore[arg-type]
    same(load_knowledge(knowledge), load_knowledge(knowledge, cache_dir=cache))
    assert not target.exists()


def test_a_slot_of_the_wrong_shape_is_a_miss(tmp_path: Path) -> None:
    knowledge, cache = plant(tmp_path, ("not", "a", "checked", "file"))
    same(load_knowledge(knowledge), load_knowledge(knowledge, cache_dir=cache))


def test_a_file_others_may_write_is_not_trusted(tmp_path: Path) -> None:
    knowledge, cache = base(tmp_path / "kb"), tmp_path / "cache"
    planted = load_knowledge(base(tmp_path / "other", category="culture"))
    assert planted.knowledge is not None
    checked = CheckedFile(planted.knowledge.entries, (), planted.knowledge.normal)
    path = knowledge / "sights.yaml"
    KnowledgeCache(cache).put(shown_path(path), path.read_bytes(), True, checked)
    (slot,) = slots(cache)
    slot.chmod(0o666)
    same(load_knowledge(knowledge), load_knowledge(knowledge, cache_dir=cache))


@pytest.mark.parametrize(
    "damage",
    [
        *DAMAGES,
        lambda data: data.replace(b"palace", b"pa\xfface"),
    ],
)
def test_a_damaged_cache_file_is_ignored(tmp_path: Path, damage: Any) -> None:
    knowledge, cache = base(tmp_path / "kb"), tmp_path / "cache"
    load_knowledge(knowledge, cache_dir=cache)
    (slot,) = slots(cache)
    slot.write_bytes(damage(slot.read_bytes()))
    same(load_knowledge(knowledge), load_knowledge(knowledge, cache_dir=cache))


def test_a_cache_that_cannot_be_written_does_not_break_loading(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    knowledge = base(tmp_path / "kb")
    same(load_knowledge(knowledge), load_knowledge(knowledge, cache_dir=blocker / "cache"))
    same(load_knowledge(knowledge), load_knowledge(knowledge, cache_dir=blocker))


def test_the_parsers_do_not_share_a_slot(tmp_path: Path) -> None:
    knowledge, cache = base(tmp_path / "kb"), tmp_path / "cache"
    load_knowledge(knowledge, cache_dir=cache)
    (libyaml,) = slots(cache)
    load_knowledge(knowledge, libyaml=False, cache_dir=cache)
    (pure_python,) = slots(cache)
    assert pure_python != libyaml


def test_cache_files_are_private(tmp_path: Path) -> None:
    knowledge, cache = base(tmp_path / "kb"), tmp_path / "cache"
    load_knowledge(knowledge, cache_dir=cache)
    (slot,) = slots(cache)
    assert slot.stat().st_mode & 0o077 == 0
    assert cache.stat().st_mode & 0o077 == 0
    assert not list(cache.glob("*.tmp"))


def test_only_files_of_entries_are_cached(tmp_path: Path) -> None:
    knowledge, cache = base(tmp_path / "kb"), tmp_path / "cache"
    (knowledge / "_meta.yaml").write_text(
        textwrap.dedent("""\
            languages: [zh, en]
            """),
        encoding="utf-8",
    )
    warm = load_knowledge(knowledge, cache_dir=cache)
    assert len(slots(cache)) == 1
    same(load_knowledge(knowledge), warm)
    same(load_knowledge(knowledge), load_knowledge(knowledge, cache_dir=cache))


def test_a_result_pickle_cannot_store_is_not_cached(tmp_path: Path) -> None:
    unpicklable = CheckedFile((lambda: None,), ())  # type: ignore[arg-type]
    KnowledgeCache(tmp_path).put("a.yaml", b"entries: []", True, unpicklable)
    assert not slots(tmp_path)


def test_the_cache_keeps_only_the_files_of_the_last_load(tmp_path: Path) -> None:
    knowledge, cache = base(tmp_path / "kb"), tmp_path / "cache"
    load_knowledge(knowledge, cache_dir=cache)
    (before,) = slots(cache)
    (knowledge / "sights.yaml").rename(knowledge / "places-to-see.yaml")
    (cache / "left-by-a-crash.tmp").write_bytes(b"half")
    (cache / "notes.txt").write_text("not ours to delete", encoding="utf-8")
    same(load_knowledge(knowledge), load_knowledge(knowledge, cache_dir=cache))
    (after,) = slots(cache)
    assert after != before
    assert sorted(p.name for p in cache.iterdir()) == sorted([after.name, "notes.txt"])


def test_a_kept_cache_recalls_the_last_load_without_reading_its_files(tmp_path: Path) -> None:
    """A reload through the cache the bot keeps unpickles nothing it already holds: with the
    cache files gone, an unchanged file comes back as the very same entries, and an edited one
    is read again."""
    knowledge, folder = base(tmp_path / "kb"), tmp_path / "cache"
    (knowledge / "more.yaml").write_text(
        ENTRY.format(category="culture").replace("palace", "hall").replace("visa-rules", "tea"),
        encoding="utf-8",
    )
    kept = KnowledgeCache(folder)
    first = load_knowledge(knowledge, cache=kept)
    for path in slots(folder):
        path.unlink()
    sights = knowledge / "sights.yaml"
    sights.write_text(sights.read_text("utf-8").replace("Ask the", "Call the"), "utf-8")
    again = load_knowledge(knowledge, cache=kept)
    same(load_knowledge(knowledge), again)
    assert first.knowledge is not None and again.knowledge is not None
    assert again.knowledge.by_id["hall"] is first.knowledge.by_id["hall"]  # recalled
    assert again.knowledge.by_id["visa-rules"].answer["en"] == "Call the embassy."
    assert len(slots(folder)) == 1  # only the edited file was read and written again
    # A cache made afresh on the same folder recalls nothing: the unchanged file is read again.
    fresh = load_knowledge(knowledge, cache=KnowledgeCache(folder))
    assert fresh.knowledge is not None
    assert fresh.knowledge.by_id["hall"] is not first.knowledge.by_id["hall"]
    assert fresh.knowledge.by_id["hall"] == first.knowledge.by_id["hall"]

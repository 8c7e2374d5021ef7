"""The cached index: an unchanged knowledge base gets its index from the cache and answers exactly
as a freshly built one, any change to what the index is made of (or to the code) is a miss, and
a cache file that cannot be trusted or written is passed over without breaking indexing."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from bot import index_cache
from bot.cache_files import pickle_into
from bot.confidence import MODEL
from bot.index_cache import IndexCache, index_key
from bot.knowledge import KnowledgeBase, load_knowledge, load_knowledge_or_raise
from bot.matching import BuiltIndex, Matcher

from .support.pickles import MakesFolder

SHIPPED_KB = Path(__file__).resolve().parent.parent / "knowledge"
FIXTURE_KB = Path(__file__).parent / "fixtures" / "kb"

# Asked of the shipped base: each language, typos, places, lexicon paraphrases, nonsense.
QUESTIONS = (
    "沈阳故宫门票多少钱",
    "故宫咋去",
    "北陵公园好玩吗",
    "瀋陽の冬は寒いですか",
    "タクシーの乗り方",
    "how do i get from the airport to the city",
    "mukdem palace opening hours",
    "any english speaking dentist?",
    "Shanghai metro card",
    "local specialties",
    "what is it",
    "harbin ice festival tickets",
    "xyzzy",
    "",
)


def slot(cache: Path) -> Path:
    return cache / index_cache.FOLDER / "index.pickle"


def results(matcher: Matcher) -> list[Any]:
    """Everything a matcher says of the questions: rankings, outcomes, evidence, names."""
    return [
        (matcher.match(q), matcher.named_in(q), matcher.names_other_place(q)) for q in QUESTIONS
    ]


def hit(knowledge: KnowledgeBase, cache: Path) -> BuiltIndex | None:
    return IndexCache.beside(cache).get(knowledge)


@pytest.fixture(scope="module")
def shipped() -> KnowledgeBase:
    return load_knowledge_or_raise(SHIPPED_KB)


def test_an_unchanged_base_gets_its_index_from_the_cache(
    shipped: KnowledgeBase, tmp_path: Path
) -> None:
    cache = IndexCache.beside(tmp_path)
    assert hit(shipped, tmp_path) is None
    first = cache.matcher(shipped)
    assert slot(tmp_path).is_file()
    cached = hit(shipped, tmp_path)
    assert cached is not None and cached is not first.built
    assert len(cached.entries) == len(shipped.entries)


def test_the_cached_index_answers_exactly_as_a_fresh_one(
    shipped: KnowledgeBase, tmp_path: Path
) -> None:
    cache = IndexCache.beside(tmp_path)
    cache.matcher(shipped)
    cached = cache.matcher(shipped)
    assert cached.built is not None and hit(shipped, tmp_path) is not None
    phrasings = [text for entry in shipped.entries[::7] for text in entry.phrasings[:2]]
    fresh = Matcher.build(shipped)
    assert results(cached) == results(fresh)
    assert [cached.match(text) for text in phrasings] == [fresh.match(text) for text in phrasings]


def test_a_cached_index_holds_the_knowledge_bases_own_texts(tmp_path: Path) -> None:
    IndexCache.beside(tmp_path).matcher(load_knowledge_or_raise(SHIPPED_KB))
    again = load_knowledge_or_raise(SHIPPED_KB)  # the same texts, other str objects
    built = hit(again, tmp_path)
    assert built is not None
    for indexed, entry in zip(built.entries, again.entries, strict=True):
        assert all(a is b for a, b in zip(indexed.answers, entry.answer.values(), strict=True))
        assert all(text in entry.phrasings for text in indexed.phrasings)
        assert all(any(text is own for own in entry.phrasings) for text in indexed.phrasings)


def test_the_model_asked_for_is_used_on_a_hit(shipped: KnowledgeBase, tmp_path: Path) -> None:
    cache = IndexCache.beside(tmp_path)
    cache.matcher(shipped)
    never = replace(MODEL, threshold=1.1, sure_score=101.0)
    doubted = cache.matcher(shipped, never)
    assert doubted.model is never
    assert doubted.match("Where is the Mukden Palace?").answer_id is None


def copy_of(source: Path, tmp_path: Path) -> Path:
    directory = tmp_path / "kb"
    shutil.copytree(source, directory)
    return directory


def test_a_changed_file_is_a_miss(tmp_path: Path) -> None:
    directory, cache = copy_of(FIXTURE_KB, tmp_path), tmp_path / "cache"
    before = load_knowledge_or_raise(directory)
    IndexCache.beside(cache).matcher(before)
    places = directory / "places.yaml"
    places.write_text(places.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert hit(load_knowledge_or_raise(directory), cache) is not None  # same entries
    text = places.read_text(encoding="utf-8")
    changed = text.replace("Mukden Palace", "Mukden Imperial Palace", 1)
    assert changed != text
    places.write_text(changed, encoding="utf-8")
    after = load_knowledge_or_raise(directory)
    assert hit(after, cache) is None
    matcher = IndexCache.beside(cache).matcher(after)
    assert results(matcher) == results(Matcher.build(after))
    assert hit(after, cache) is not None


@pytest.mark.parametrize("part", ["id", "phrasing", "keyword", "answer", "normal"])
def test_any_change_to_what_the_index_is_made_of_changes_the_key(
    shipped: KnowledgeBase, part: str
) -> None:
    entry = shipped.entries[3]
    language = next(iter(entry.answer))
    changes = {
        "id": {"id": entry.id + "-2"},
        "phrasing": {"questions": {**entry.questions, language: ("A new question?",)}},
        "keyword": {"keywords": {**entry.keywords, language: ("newword",)}},
        "answer": {"answer": {**entry.answer, language: entry.answer[language] + "!"}},
    }
    entries = list(shipped.entries)
    normal = dict(shipped.normal)
    if part == "normal":
        normal[entry.phrasings[0]] += "x"
    else:
        entries[3] = replace(entry, **changes[part])  # type: ignore[arg-type]
    changed = KnowledgeBase.of(tuple(entries), shipped.languages, shipped.lexicon, normal)
    assert index_key(changed) != index_key(shipped)
    assert index_key(replace(shipped)) == index_key(shipped)


def test_a_new_lexicon_takes_effect_on_a_hit(tmp_path: Path) -> None:
    directory, cache = copy_of(SHIPPED_KB, tmp_path), tmp_path / "cache"
    IndexCache.beside(cache).matcher(load_knowledge_or_raise(directory))
    (directory / "_places.yaml").write_text("places:\n  - [Mukden, 盛京]\n", encoding="utf-8")
    (directory / "_lexicon.yaml").unlink()
    knowledge = load_knowledge_or_raise(directory)
    assert hit(knowledge, cache) is not None
    matcher = IndexCache.beside(cache).matcher(knowledge)
    assert matcher.names_other_place("mukden palace")
    assert results(matcher) == results(Matcher.build(knowledge))


def test_other_code_is_a_miss(
    shipped: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    IndexCache.beside(tmp_path).matcher(shipped)
    monkeypatch.setattr(index_cache, "code_version", lambda: b"another release")
    assert hit(shipped, tmp_path) is None


def test_a_base_without_normal_forms_is_indexed_but_not_cached(
    fixture_kb: KnowledgeBase, tmp_path: Path
) -> None:
    bare = KnowledgeBase.of(fixture_kb.entries, fixture_kb.languages, fixture_kb.lexicon)
    assert not bare.normal and index_key(bare) is None
    assert results(IndexCache.beside(tmp_path).matcher(bare)) == results(Matcher.build(bare))
    assert not slot(tmp_path).exists()


def test_a_text_holding_a_nul_is_indexed_but_not_cached(
    fixture_kb: KnowledgeBase, tmp_path: Path
) -> None:
    entry = replace(fixture_kb.entries[0], id="with\0nul")
    knowledge = KnowledgeBase.of((entry, *fixture_kb.entries[1:]), fixture_kb.languages)
    assert index_key(knowledge) is None
    assert len(IndexCache.beside(tmp_path).matcher(knowledge)) == len(knowledge.entries)
    assert not slot(tmp_path).exists()


def plant(knowledge: KnowledgeBase, cache: Path, value: Any) -> None:
    """Store ``value`` under the right key, as a cache file holding it would be."""
    IndexCache.beside(cache).put(knowledge, value)


def test_a_pickle_naming_other_code_is_refused_unrun(
    fixture_kb: KnowledgeBase, tmp_path: Path
) -> None:
    target = tmp_path / "made-by-the-pickle"
    built = Matcher.build(fixture_kb).built
    plant(fixture_kb, tmp_path, replace(built, entries=(MakesFolder(target),)))
    assert hit(fixture_kb, tmp_path) is None
    assert not target.exists()


@pytest.mark.parametrize("value", [("not", "an", "index"), "entries"])
def test_a_file_of_the_wrong_shape_is_a_miss(
    fixture_kb: KnowledgeBase, tmp_path: Path, value: Any
) -> None:
    plant(fixture_kb, tmp_path, value)
    assert hit(fixture_kb, tmp_path) is None


def test_an_index_pickle_cannot_store_leaves_no_file(
    fixture_kb: KnowledgeBase, tmp_path: Path
) -> None:
    plant(fixture_kb, tmp_path, ("half written", lambda: None))
    assert list(slot(tmp_path).parent.iterdir()) == []


def test_a_reference_to_a_text_the_base_does_not_have_is_a_miss(
    fixture_kb: KnowledgeBase, tmp_path: Path
) -> None:
    key = index_key(fixture_kb)
    assert key is not None
    built = Matcher.build(fixture_kb).built
    slot(tmp_path).parent.mkdir(parents=True)
    with slot(tmp_path).open("wb") as file:
        file.write(index_cache._MAGIC + key)
        pickle_into(file, built, lambda value: 10**9 if type(value) is str else None)
    slot(tmp_path).chmod(0o600)
    assert hit(fixture_kb, tmp_path) is None


def test_the_index_of_other_entries_is_a_miss(fixture_kb: KnowledgeBase, tmp_path: Path) -> None:
    plant(fixture_kb, tmp_path, Matcher.build(load_knowledge_or_raise(SHIPPED_KB)).built)
    assert hit(fixture_kb, tmp_path) is None


def test_a_file_others_may_write_is_not_trusted(fixture_kb: KnowledgeBase, tmp_path: Path) -> None:
    IndexCache.beside(tmp_path).matcher(fixture_kb)
    slot(tmp_path).chmod(0o666)
    assert hit(fixture_kb, tmp_path) is None
    slot(tmp_path).chmod(0o600)
    assert hit(fixture_kb, tmp_path) is not None


def test_a_link_is_not_followed(fixture_kb: KnowledgeBase, tmp_path: Path) -> None:
    IndexCache.beside(tmp_path / "elsewhere").matcher(fixture_kb)
    slot(tmp_path).parent.mkdir()
    slot(tmp_path).symlink_to(slot(tmp_path / "elsewhere"))
    assert hit(fixture_kb, tmp_path) is None


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: b"",
        lambda data: data[: len(data) // 2],
        lambda data: data[:-40] + b"\x00" * 40,
        lambda data: b"garbage" + data,
        lambda data: data[:40] + bytes([data[40] ^ 1]) + data[41:],  # the digest
    ],
)
def test_a_damaged_cache_file_is_ignored(
    fixture_kb: KnowledgeBase, tmp_path: Path, damage: Any
) -> None:
    IndexCache.beside(tmp_path).matcher(fixture_kb)
    slot(tmp_path).write_bytes(damage(slot(tmp_path).read_bytes()))
    assert hit(fixture_kb, tmp_path) is None
    matcher = IndexCache.beside(tmp_path).matcher(fixture_kb)
    assert results(matcher) == results(Matcher.build(fixture_kb))


def test_a_cache_that_cannot_be_written_does_not_break_indexing(
    fixture_kb: KnowledgeBase, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    for cache in (blocker, blocker / "cache"):
        matcher = IndexCache.beside(cache).matcher(fixture_kb)
        assert results(matcher) == results(Matcher.build(fixture_kb))


def test_the_cache_file_is_private_and_written_whole(
    fixture_kb: KnowledgeBase, tmp_path: Path
) -> None:
    IndexCache.beside(tmp_path).matcher(fixture_kb)
    assert slot(tmp_path).stat().st_mode & 0o077 == 0
    assert slot(tmp_path).parent.stat().st_mode & 0o077 == 0
    assert [path.name for path in slot(tmp_path).parent.iterdir()] == ["index.pickle"]


def test_the_knowledge_cache_leaves_the_index_alone(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    loaded = load_knowledge(FIXTURE_KB, cache_dir=cache).knowledge
    assert loaded is not None
    IndexCache.beside(cache).matcher(loaded)
    again = load_knowledge(FIXTURE_KB, cache_dir=cache).knowledge
    assert again is not None and hit(again, cache) is not None

"""The cached index, kept in pieces (a knowledge file's entries each): an unchanged knowledge base
gets its index from the cache and answers exactly as a freshly built one, an edited file's piece is
built again and the others are read, any change to what a piece is made of (or to the code) is a
miss, and a cache file that cannot be trusted or written is passed over without breaking
indexing."""

from __future__ import annotations

import io
import pickle
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from bot import index_cache
from bot.cache_files import pickle_into
from bot.caches import Caches
from bot.confidence import MODEL
from bot.index_cache import IndexCache, piece_keys
from bot.index_pieces import IndexPiece, by_file, joined
from bot.knowledge import KnowledgeBase, load_knowledge, load_knowledge_or_raise
from bot.matching import BuiltIndex, Matcher

from .support.pickles import DAMAGES, MakesFolder

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


def slots(cache: Path) -> list[Path]:
    """The cache files (the pieces and their arrays put together), in the order of their names."""
    return sorted((cache / index_cache.FOLDER).glob("*.pickle"))


def piece_slots(knowledge: KnowledgeBase, cache: Path) -> list[Path]:
    """The cache files of the pieces of ``knowledge``, in their order."""
    names = [f"{key.hex()[:32]}.pickle" for key in piece_keys(knowledge) if key is not None]
    return [cache / index_cache.FOLDER / name for name in names]


def whole_slot(knowledge: KnowledgeBase, cache: Path) -> Path:
    """The cache file of the arrays of the pieces of ``knowledge`` put together."""
    (whole,) = set(slots(cache)) - set(piece_slots(knowledge, cache))
    return whole


def pieces_of(knowledge: KnowledgeBase) -> list[IndexPiece]:
    return [IndexPiece.of(entries, knowledge.normal) for entries in by_file(knowledge.entries)]


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
    assert len(slots(tmp_path)) == len(by_file(shipped.entries)) + 1 > 4
    assert all(path.is_file() for path in piece_slots(shipped, tmp_path))
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


def edit_a_question(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    changed = text.replace("        - 辽博咋去\n", "        - 辽宁省博物馆咋去\n", 1)
    assert changed != text
    path.write_text(changed, encoding="utf-8")


def test_a_changed_file_is_a_miss_for_its_piece_only(tmp_path: Path) -> None:
    directory, cache = copy_of(SHIPPED_KB, tmp_path), tmp_path / "cache"
    before = load_knowledge_or_raise(directory)
    IndexCache.beside(cache).matcher(before)
    kept = slots(cache)
    sights = directory / "sights.yaml"
    sights.write_text(sights.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert hit(load_knowledge_or_raise(directory), cache) is not None  # same entries
    edit_a_question(sights)
    after = load_knowledge_or_raise(directory)
    assert hit(after, cache) is None
    matcher = IndexCache.beside(cache).matcher(after)
    assert results(matcher) == results(Matcher.build(after))
    assert hit(after, cache) is not None
    # One piece replaced (and the arrays put together), the others read as they were.
    assert len(set(slots(cache)) - set(kept)) == len(set(kept) - set(slots(cache))) == 2


def test_an_edited_file_gives_the_index_built_at_once(tmp_path: Path) -> None:
    directory, cache = copy_of(SHIPPED_KB, tmp_path), tmp_path / "cache"
    IndexCache.beside(cache).matcher(load_knowledge_or_raise(directory))
    edit_a_question(directory / "sights.yaml")
    after = load_knowledge_or_raise(directory)
    built, fresh = IndexCache.beside(cache).matcher(after).built, Matcher.build(after).built
    assert built.entries == fresh.entries
    assert built.units.postings.tolist() == fresh.units.postings.tolist()
    assert list(built.units.words.items()) == list(fresh.units.words.items())
    assert built.words.words.tolist() == fresh.words.words.tolist()
    assert list(built.words.numbers.items()) == list(fresh.words.numbers.items())


@pytest.mark.parametrize("part", ["id", "phrasing", "keyword", "normal"])
def test_any_change_to_what_a_piece_is_made_of_changes_its_key(
    shipped: KnowledgeBase, part: str
) -> None:
    entry = shipped.entries[3]
    language = next(iter(entry.answer))
    changes = {
        "id": {"id": entry.id + "-2"},
        "phrasing": {"questions": {**entry.questions, language: ("A new question?",)}},
        "keyword": {"keywords": {**entry.keywords, language: ("newword",)}},
    }
    entries = list(shipped.entries)
    normal = dict(shipped.normal)
    if part == "normal":
        normal[entry.phrasings[0]] += "x"
    else:
        entries[3] = replace(entry, **changes[part])  # type: ignore[arg-type]
    changed = KnowledgeBase.of(tuple(entries), shipped.languages, shipped.lexicon, normal)
    keys, before = piece_keys(changed), piece_keys(shipped)
    piece = next(i for i, run in enumerate(by_file(shipped.entries)) if entry in run)
    assert [i for i, (a, b) in enumerate(zip(keys, before, strict=True)) if a != b] == [piece]
    assert piece_keys(replace(shipped)) == before and None not in before


def test_an_edited_answer_is_read_from_the_knowledge_base_on_a_hit(
    shipped: KnowledgeBase, tmp_path: Path
) -> None:
    # A piece holds the answers as they are (for the places they name), nothing made of them.
    IndexCache.beside(tmp_path).matcher(shipped)
    entry = shipped.entries[3]
    language = next(iter(entry.answer))
    answer = {**entry.answer, language: entry.answer[language] + " Harbin!"}
    entries = list(shipped.entries)
    entries[3] = replace(entry, answer=answer)
    changed = KnowledgeBase.of(tuple(entries), shipped.languages, shipped.lexicon, shipped.normal)
    assert piece_keys(changed) == piece_keys(shipped)
    cached = hit(changed, tmp_path)
    assert cached is not None
    assert cached.entries == Matcher.build(changed).built.entries
    assert any(text.endswith(" Harbin!") for text in cached.entries[3].answers)


def test_a_kept_cache_recalls_the_unchanged_pieces_of_the_last_index(tmp_path: Path) -> None:
    """A reload through the caches the bot keeps: the unchanged files' records are the very
    ones of the last index (not unpickled again), the edited file's are new, and the index
    answers as one built at once."""
    directory, folder = copy_of(SHIPPED_KB, tmp_path), tmp_path / "cache"
    caches = Caches.in_folder(folder)
    before = load_knowledge(directory, cache=caches.knowledge).knowledge
    assert before is not None
    first = caches.index.matcher(before).built
    edit_a_question(directory / "sights.yaml")
    after = load_knowledge(directory, cache=caches.knowledge).knowledge
    assert after is not None
    built = caches.index.matcher(after).built
    same = [old is new for old, new in zip(first.entries, built.entries, strict=True)]
    edited = {entry.id for entry in after.entries if entry.file.endswith("sights.yaml")}
    assert [entry.id for entry, kept in zip(after.entries, same, strict=True) if not kept] == [
        entry.id for entry in after.entries if entry.id in edited
    ]
    assert results(Matcher(built, after.lexicon)) == results(Matcher.build(after))


def test_a_recalled_piece_takes_an_edited_answer(shipped: KnowledgeBase, tmp_path: Path) -> None:
    """Answers are not in a piece's digest: an answer edited between two loads through a kept
    cache is the knowledge base's new one, not the recalled records' old one."""
    kept = IndexCache.beside(tmp_path)
    kept.matcher(shipped)
    entry = shipped.entries[3]
    language = next(iter(entry.answer))
    entries = list(shipped.entries)
    entries[3] = replace(entry, answer={**entry.answer, language: "Now in Harbin!"})
    changed = KnowledgeBase.of(tuple(entries), shipped.languages, shipped.lexicon, shipped.normal)
    built = kept.matcher(changed).built
    assert built.entries == Matcher.build(changed).built.entries
    assert "Now in Harbin!" in built.entries[3].answers


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
    assert not bare.normal and set(piece_keys(bare)) == {None}
    assert results(IndexCache.beside(tmp_path).matcher(bare)) == results(Matcher.build(bare))
    assert not slots(tmp_path)


def test_a_text_holding_a_nul_is_indexed_but_not_cached(
    fixture_kb: KnowledgeBase, tmp_path: Path
) -> None:
    entry = replace(fixture_kb.entries[0], id="with\0nul")
    entries = (entry, *fixture_kb.entries[1:])
    knowledge = KnowledgeBase.of(entries, fixture_kb.languages, normal=fixture_kb.normal)
    keys = piece_keys(knowledge)
    assert keys[0] is None and None not in keys[1:]
    assert len(IndexCache.beside(tmp_path).matcher(knowledge)) == len(knowledge.entries)
    assert len(slots(tmp_path)) == len(keys) - 1  # the other pieces are cached


def plant(knowledge: KnowledgeBase, cache: Path, value: Any) -> None:
    """Store ``value`` as each piece, under the right key, as a cache file holding it would be."""
    IndexCache.beside(cache).put(knowledge, [value] * len(by_file(knowledge.entries)))


def plant_raw(knowledge: KnowledgeBase, cache: Path, value: Any) -> None:
    """Write ``value`` as each piece's records and parts, under the right key."""
    (cache / index_cache.FOLDER).mkdir(parents=True, exist_ok=True)
    for key, path in zip(piece_keys(knowledge), piece_slots(knowledge, cache), strict=True):
        assert key is not None
        with path.open("wb") as file:
            file.write(index_cache._MAGIC + key)
            pickle_into(file, value)
            pickle_into(file, value)
        path.chmod(0o600)


def test_a_pickle_naming_other_code_is_refused_unrun(
    fixture_kb: KnowledgeBase, tmp_path: Path
) -> None:
    target = tmp_path / "made-by-the-pickle"
    piece = pieces_of(fixture_kb)[0]
    plant(fixture_kb, tmp_path, replace(piece, entries=(MakesFolder(target),)))  # type: ignore[arg-type]
    assert hit(fixture_kb, tmp_path) is None
    assert not target.exists()


@pytest.mark.parametrize("value", [("not", "an", "index"), "entries"])
def test_a_file_of_the_wrong_shape_is_a_miss(
    fixture_kb: KnowledgeBase, tmp_path: Path, value: Any
) -> None:
    plant_raw(fixture_kb, tmp_path, value)
    assert len(slots(tmp_path)) == len(by_file(fixture_kb.entries))
    assert hit(fixture_kb, tmp_path) is None


def test_an_index_pickle_cannot_store_leaves_no_file(
    fixture_kb: KnowledgeBase, tmp_path: Path
) -> None:
    piece = pieces_of(fixture_kb)[0]
    plant(fixture_kb, tmp_path, replace(piece, entries=("half written", lambda: None)))  # type: ignore[arg-type]
    assert list((tmp_path / index_cache.FOLDER).iterdir()) == []


def test_a_reference_to_a_text_the_base_does_not_have_is_a_miss(
    fixture_kb: KnowledgeBase, tmp_path: Path
) -> None:
    IndexCache.beside(tmp_path).matcher(fixture_kb)
    for path, piece in zip(slots(tmp_path), pieces_of(fixture_kb), strict=False):
        head = path.read_bytes()[: len(index_cache._MAGIC) + 32]
        with path.open("wb") as file:
            file.write(head)
            pickle_into(file, piece, lambda value: 10**9 if type(value) is str else None)
    assert hit(fixture_kb, tmp_path) is None


def test_the_index_of_other_entries_is_a_miss(fixture_kb: KnowledgeBase, tmp_path: Path) -> None:
    plant(fixture_kb, tmp_path, pieces_of(load_knowledge_or_raise(SHIPPED_KB))[0])
    assert hit(fixture_kb, tmp_path) is None


def test_a_file_others_may_write_is_not_trusted(fixture_kb: KnowledgeBase, tmp_path: Path) -> None:
    IndexCache.beside(tmp_path).matcher(fixture_kb)
    first = piece_slots(fixture_kb, tmp_path)[0]
    first.chmod(0o666)
    assert hit(fixture_kb, tmp_path) is None
    first.chmod(0o600)
    assert hit(fixture_kb, tmp_path) is not None


def test_a_link_is_not_followed(fixture_kb: KnowledgeBase, tmp_path: Path) -> None:
    IndexCache.beside(tmp_path / "elsewhere").matcher(fixture_kb)
    (tmp_path / index_cache.FOLDER).mkdir()
    for path in slots(tmp_path / "elsewhere"):
        (tmp_path / index_cache.FOLDER / path.name).symlink_to(path)
    assert len(slots(tmp_path)) == len(slots(tmp_path / "elsewhere"))
    assert hit(fixture_kb, tmp_path) is None


@pytest.mark.parametrize(
    "damage",
    [
        *DAMAGES,
        lambda data: data[:40] + bytes([data[40] ^ 1]) + data[41:],  # the digest
    ],
)
def test_a_damaged_cache_file_is_ignored(
    fixture_kb: KnowledgeBase, tmp_path: Path, damage: Any
) -> None:
    IndexCache.beside(tmp_path).matcher(fixture_kb)
    fresh = results(Matcher.build(fixture_kb))
    damaged = piece_slots(fixture_kb, tmp_path)[-1]
    damaged.write_bytes(damage(damaged.read_bytes()))
    # Beside the arrays put together, a piece's parts are not read: damage there goes unseen.
    assert results(IndexCache.beside(tmp_path).matcher(fixture_kb)) == fresh
    damaged.write_bytes(damage(damaged.read_bytes()))
    whole_slot(fixture_kb, tmp_path).unlink()  # the pieces must be put together
    assert hit(fixture_kb, tmp_path) is None
    assert results(IndexCache.beside(tmp_path).matcher(fixture_kb)) == fresh


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
    folder = tmp_path / index_cache.FOLDER
    assert slots(tmp_path) and all(path.stat().st_mode & 0o077 == 0 for path in slots(tmp_path))
    assert folder.stat().st_mode & 0o077 == 0
    assert sorted(folder.iterdir()) == slots(tmp_path)  # nothing half written left


def test_the_cache_keeps_only_the_pieces_of_the_last_index(
    shipped: KnowledgeBase, fixture_kb: KnowledgeBase, tmp_path: Path
) -> None:
    cache = IndexCache.beside(tmp_path)
    cache.matcher(shipped)
    (tmp_path / index_cache.FOLDER / "index.pickle").write_bytes(b"an older release's file")
    cache.matcher(fixture_kb)
    assert len(slots(tmp_path)) == len(by_file(fixture_kb.entries)) + 1
    assert hit(shipped, tmp_path) is None and hit(fixture_kb, tmp_path) is not None


def test_the_knowledge_cache_leaves_the_index_alone(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    loaded = load_knowledge(FIXTURE_KB, cache_dir=cache).knowledge
    assert loaded is not None
    IndexCache.beside(cache).matcher(loaded)
    again = load_knowledge(FIXTURE_KB, cache_dir=cache).knowledge
    assert again is not None and hit(again, cache) is not None


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],
        lambda data: data[:40] + bytes([data[40] ^ 1]) + data[41:],  # the digest
        lambda data: data[:-60] + bytes([data[-60] ^ 0x10]) + data[-59:],
    ],
)
def test_damaged_arrays_are_put_together_again_from_the_pieces(
    shipped: KnowledgeBase, tmp_path: Path, damage: Any
) -> None:
    IndexCache.beside(tmp_path).matcher(shipped)
    whole = whole_slot(shipped, tmp_path)
    whole.write_bytes(damage(whole.read_bytes()))
    cached = hit(shipped, tmp_path)
    assert cached is not None
    fresh = Matcher.build(shipped).built
    assert cached.units.postings.tolist() == fresh.units.postings.tolist()
    assert cached.words.words.tolist() == fresh.words.words.tolist()
    assert results(IndexCache.beside(tmp_path).matcher(shipped)) == results(
        Matcher(fresh, shipped.lexicon)
    )


def test_arrays_naming_other_code_are_refused_unrun(
    fixture_kb: KnowledgeBase, tmp_path: Path
) -> None:
    IndexCache.beside(tmp_path).matcher(fixture_kb)
    whole, target = whole_slot(fixture_kb, tmp_path), tmp_path / "made-by-the-pickle"
    head = whole.read_bytes()[: len(index_cache._MAGIC) + 32]
    with whole.open("wb") as file:
        file.write(head)
        pickle_into(file, (MakesFolder(target), ()))
    assert hit(fixture_kb, tmp_path) is not None  # put together from the pieces
    assert not target.exists()


def test_an_unchanged_base_reads_its_arrays_without_putting_pieces_together(
    shipped: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    IndexCache.beside(tmp_path).matcher(shipped)
    calls: list[int] = []

    def counted(pieces: Any) -> Any:
        calls.append(len(pieces))
        return joined(pieces)

    monkeypatch.setattr(index_cache, "joined", counted)
    cached = IndexCache.beside(tmp_path).matcher(shipped)
    assert calls == []
    assert results(cached) == results(Matcher.build(shipped))
    whole_slot(shipped, tmp_path).unlink()
    assert results(IndexCache.beside(tmp_path).matcher(shipped)) == results(cached)
    assert calls == [len(by_file(shipped.entries))]


class Skipping(pickle.Unpickler):
    """Reads past a pickle that refers to texts by number."""

    def persistent_load(self, pid: Any) -> None:
        return None


def test_parts_naming_other_code_are_refused_unrun(
    fixture_kb: KnowledgeBase, tmp_path: Path
) -> None:
    IndexCache.beside(tmp_path).matcher(fixture_kb)
    target, path = tmp_path / "made-by-the-pickle", piece_slots(fixture_kb, tmp_path)[0]
    stream = io.BytesIO(path.read_bytes())
    stream.seek(len(index_cache._MAGIC) + 32)
    Skipping(stream).load()  # the records: kept, so that the parts are read
    stream.truncate()
    pickle_into(stream, (MakesFolder(target), None))
    path.write_bytes(stream.getvalue())
    whole_slot(fixture_kb, tmp_path).unlink()
    assert hit(fixture_kb, tmp_path) is None
    assert not target.exists()

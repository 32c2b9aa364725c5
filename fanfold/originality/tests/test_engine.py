"""The engine on its own: each transformation, fingerprints, the on-disk index, alignment with
name mapping, and source finding. No database, no Django."""

import random
import subprocess
import sys

import numpy as np
import pytest

from fanfold.originality.engine.align import align, side_by_side
from fanfold.originality.engine.check import check_tokens
from fanfold.originality.engine.fingerprint import (
    PERMUTATIONS,
    estimated_jaccard,
    exact_hash,
    fingerprint,
    gram_hashes,
    minhash,
    token_hashes,
    winnow,
)
from fanfold.originality.engine.index import RepostIndex
from fanfold.originality.engine.sources import Library
from fanfold.originality.engine.text import NAME, find_names, fold, tokenize
from fanfold.originality.engine.words import is_dictionary_word
from fanfold.originality.storygen import StoryGenerator, edit_words, swap_names


def words(text: str, **options) -> list[str]:
    return tokenize(text, **options).words


# --- normalisation ----------------------------------------------------------------------------


def test_the_engine_imports_no_django():
    code = (
        "import sys, fanfold.originality.engine.check, fanfold.originality.engine.sources, "
        "fanfold.originality.engine.files, fanfold.originality.storygen; "
        "bad = [m for m in sys.modules if m == 'django' or m.startswith('django.')]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_typography_folds_to_plain_text():
    assert fold("\u201cCaf\u00e9\u201d \u2014 it\u2019s \ufb01ne\u2026") == '"Cafe" - it\'s fine...'
    assert words("\u201cCaf\u00e9,\u201d she said\u2026") == words('"Cafe," she said...')


EXPANDED = "do not will not we are i will they have she would i am can not let us"


def test_contractions_are_expanded():
    assert words("don't won't we're I'll they've she'd I'm can't let's") == (EXPANDED.split())
    assert words("It's late and that's that.") == words("It is late and that is that.")


def test_each_token_keeps_the_word_it_came_from():
    text = "Anna didn't go. Mira\u2019s cat\u2014well-known\u2014stayed; Anna's didn't."
    tokens = tokenize(text, names={"Anna", "Mira"})
    assert tokens.words == [
        NAME, "did", "not", "go", NAME, "cat", "well", "known", "stayed", NAME, "did", "not",
    ]  # fmt: skip
    assert tokens.text(0, 3) == "Anna didn't"
    assert tokens.text(5, 9) == "cat-well-known-stayed"  # the dashes fold to hyphens
    assert tokens.origin == [0, 1, 1, 2, 3, 4, 4, 4, 4, 5, 6, 6]


def test_token_hashes_are_each_tokens_own_hash():
    from fanfold.originality.engine.fingerprint import token_hash

    tokens = words("the cat saw the other cat and the dog")
    assert token_hashes(tokens).tolist() == [token_hash(t) for t in tokens]
    assert token_hashes([]).tolist() == []


def test_possessive_s_is_dropped_but_its_word_kept():
    assert words("the dog's bone") == ["the", "dog", "bone"]


def test_names_are_capitalised_mid_sentence_repeated_and_not_dictionary_words():
    text = "Then Quillon left. Nadira waited for Quillon and the Rose. Later Nadira slept."
    assert find_names(fold(text)) == {"Quillon", "Nadira"}
    once = "Then Quillon left the house."
    assert find_names(once) == set()  # once is not enough: a place, a typo
    dictionary = "Then the Rose fell. She saw the Rose again."
    assert find_names(dictionary) == set()  # "rose" is a word


def test_names_are_masked_with_one_placeholder_possessives_included():
    original = "Keztrel laughed at Idrith. Idrith's coat was wet, and Keztrel's was dry."
    swapped = "Vorhal laughed at Emmerel. Emmerel's coat was wet, and Vorhal's was dry."
    assert words(original) == words(swapped)
    assert words(original).count(NAME) == 4


def test_a_name_swap_and_typography_leave_the_exact_hash_unchanged():
    original = 'Keztrel didn\'t smile. "Idrith," said Keztrel, and Idrith turned.'
    repost = "Marwen did not smile. \u201cOstel,\u201d said Marwen, and Ostel turned."
    assert exact_hash(words(original)) == exact_hash(words(repost))
    assert exact_hash(words(original)) != exact_hash(words(original + " Then rain."))


def test_loose_tokens_fold_pronouns_and_tenses():
    assert words("She walked to her house", loose=True) == words(
        "he walks to his house", loose=True
    )
    assert words("they were waiting", loose=True) == words("she is waiting", loose=True)


def test_the_shipped_dictionary_knows_words_and_not_invented_names():
    assert is_dictionary_word("harbour") or is_dictionary_word("harbor")
    assert is_dictionary_word("lanterns")
    assert not is_dictionary_word("keztrel")


# --- fingerprints -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def stories():
    generator = StoryGenerator(11)
    return generator, [generator.story(800) for _ in range(30)]


def test_minhash_estimates_similarity(stories):
    generator, texts = stories
    a = minhash(words(texts[0]))
    assert a.shape == (PERMUTATIONS,) and a.dtype == np.uint32
    edited = edit_words(texts[0], 0.05, random.Random(1), generator.nouns)
    assert estimated_jaccard(a, minhash(words(edited)))[0] > 0.4
    assert estimated_jaccard(a, minhash(words(texts[1])))[0] < 0.1
    assert (minhash(words(texts[0])) == a).all()  # deterministic


def test_winnowing_finds_a_passage_inside_a_longer_text(stories):
    _, texts = stories
    passage = " ".join(texts[0].split()[:150])
    inside = texts[1] + " " + passage + " " + texts[2]
    shared = np.intersect1d(winnow(words(passage)), winnow(words(inside)))
    assert len(shared) >= 2
    assert len(np.intersect1d(winnow(words(texts[3])), winnow(words(inside)))) <= 1


# --- the index --------------------------------------------------------------------------------


def _index(tmp_path, texts):
    index = RepostIndex(tmp_path / "index")
    index.add([(number, fingerprint(words(text))) for number, text in enumerate(texts)])
    return index


def test_index_finds_a_name_swapped_edited_repost(tmp_path, stories):
    generator, texts = stories
    index = _index(tmp_path, texts)
    names = sorted(tokenize(texts[4]).names)
    mapping = dict(zip(names, ["Vorhal", "Emmerel", "Ostel", "Marwen", "Pell"], strict=False))
    repost = edit_words(swap_names(texts[4], mapping), 0.08, random.Random(2), generator.nouns)
    tokens = {n: tokenize(t) for n, t in enumerate(texts)}
    findings = check_tokens(tokenize(repost), index, tokens.get)
    assert [f.other_id for f in findings] == [4]
    assert findings[0].kind == "full"
    assert findings[0].alignment.share_a > 0.8 and findings[0].alignment.share_b > 0.8
    mapped = {(new, old) for new, old, _ in findings[0].alignment.name_map}
    assert mapped == {(new, old) for old, new in mapping.items()}


def test_index_finds_a_reposted_chapter_inside_a_longer_work(tmp_path, stories):
    _, texts = stories
    index = _index(tmp_path, texts[:20])
    longer = "\n\n".join([texts[25], texts[7], texts[26], texts[27]])
    tokens = {n: tokenize(t) for n, t in enumerate(texts)}
    findings = check_tokens(tokenize(longer), index, tokens.get)
    assert [f.other_id for f in findings] == [7]
    assert findings[0].kind == "partial"
    assert findings[0].alignment.share_b > 0.95 and findings[0].alignment.share_a < 0.4


def test_unrelated_works_sharing_common_phrases_are_not_reposts(tmp_path, stories):
    _, texts = stories
    index = _index(tmp_path, texts[:20])
    tokens = {n: tokenize(t) for n, t in enumerate(texts)}
    for text in texts[20:]:
        assert check_tokens(tokenize(text), index, tokens.get) == []


def test_index_is_memory_mapped_numpy_and_survives_reopening(tmp_path, stories):
    _, texts = stories
    _index(tmp_path, texts[:5])
    reopened = RepostIndex(tmp_path / "index")
    assert len(reopened) == 5
    assert isinstance(reopened.segments[0].signatures, np.memmap)
    found = reopened.candidates(fingerprint(words(texts[2])))
    assert found[0].id == 2 and found[0].exact


def test_reindexing_removing_and_compacting(tmp_path, stories):
    _, texts = stories
    index = _index(tmp_path, texts[:5])
    index.add([(2, fingerprint(words(texts[10])))])  # work 2 was rewritten
    assert len(index) == 5
    assert [c.id for c in index.candidates(fingerprint(words(texts[2])))] == []
    assert index.candidates(fingerprint(words(texts[10])))[0].id == 2
    index.remove([3])
    assert len(index) == 4 and 3 not in index
    index.compact()
    assert len(index.segments) == 1 and len(index) == 4
    assert index.candidates(fingerprint(words(texts[10])))[0].id == 2
    assert index.candidates(fingerprint(words(texts[4])))[0].id == 4
    assert index.candidates(fingerprint(words(texts[3]))) == []


# --- alignment --------------------------------------------------------------------------------


def test_alignment_reports_shares_and_marks_differences():
    a = tokenize("Keztrel ran to the old mill. So Keztrel waited there until dark.")
    b = tokenize("Marwen ran to the mill. So Marwen waited there until dawn came.")
    alignment = align(a, b)
    assert alignment.name_map == [("Keztrel", "Marwen", 2)]
    kinds = [segment.kind for segment in side_by_side(a, b, alignment)]
    assert "equal" in kinds and "delete" in kinds and "replace" in kinds
    assert 0.7 < alignment.share_a < 1.0


def test_alignment_of_long_texts_uses_anchors(stories):
    generator, texts = stories
    long_text = " ".join(texts[:6])
    edited = edit_words(long_text, 0.05, random.Random(5), generator.nouns)
    alignment = align(tokenize(long_text), tokenize(edited))
    assert alignment.share_a > 0.85


# --- source finding ---------------------------------------------------------------------------

BOOK = (
    "It was the quiet season of the salt winds, and Captain Orlagh kept the lighthouse alone. "
    "Every night she climbed the hundred and twelve steps to trim the wick, counting them aloud "
    "so that the dark would know someone was still awake. The sea does not forgive a sleeping "
    "keeper, her mother had told her once, and it remembers every lamp that failed. "
    "Orlagh wrote the weather in a green ledger and spoke to nobody but the gulls."
)


@pytest.fixture(scope="module")
def library():
    generator = StoryGenerator(3)
    return Library.build(
        [("book", "The Salt Keeper", BOOK), ("other", "Other", generator.story(2000))]
    )


def test_a_quotation_with_a_changed_name_pronouns_tense_and_edits_is_found(library):
    work = (
        "Vesna stood at the window. The sea doesn't forgive a sleeping keeper, his father "
        "had told him once, and it remembered every single lamp that failed. Vesna said nothing."
    )
    matches = library.find(work)
    assert len(matches) == 1
    match = matches[0]
    assert match.source_id == "book" and match.source_title == "The Salt Keeper"
    assert "forgive a sleeping keeper" in match.work_text
    assert "remembers every lamp" in match.source_text
    assert match.score > 0.6
    assert any(s.kind == "insert" or s.kind == "delete" for s in match.segments)


def test_a_paraphrase_in_older_english_with_other_function_words_is_found(library):
    # archaic endings ("remembereth"), irregular forms and "which" for "that": the loose
    # tokens fold them (simplemma's lemmas, the Snowball stemmer, function-word classes)
    work = (
        "Tomas waited. The sea doth not forgive a sleeping keeper, said his mother unto him "
        "once; it remembereth every lamp which failed. Tomas slept."
    )
    passages = [m.work_text for m in library.find(work)]
    assert passages == [
        "The sea doth not forgive a sleeping keeper",
        "it remembereth every lamp which failed",
    ]


def test_loose_tokens_use_lemmas_and_stems():
    assert words("men took kept blessing certainly goeth giveth", loose=True) == [
        "man", "take", "keep", "bless", "certain", "go", "give",
    ]  # fmt: skip
    assert words("which whom unto", loose=True) == ["that", "that", "to"]


def test_a_name_quoted_once_is_masked_in_source_finding(library):
    # "Orlagh" is the book's name (twice there); the work names its own keeper once
    work = (
        "Nobody spoke, and Oswy wrote the weather in a green ledger and spoke to nobody but the "
        "gulls, that winter."
    )
    (match,) = library.find(work)
    assert match.source_id == "book"
    assert match.work_text.startswith("Oswy wrote the weather")
    assert match.segments[0].kind == "equal"  # Oswy lines up with Orlagh


def test_short_common_phrases_do_not_make_a_source_match(library):
    work = "It was the quiet of the night, and she told her once that it was still awake."
    assert library.find(work) == []


def test_no_source_in_an_unrelated_story(library):
    assert library.find(StoryGenerator(99).story(1500)) == []


# A chronicle that repeats its own formulae (as old annals and scriptures do): every 3-word run
# of FORMULAE[1] + FORMULAE[4] + FORMULAE[2] is common in it, but that sequence as a whole is
# written once.
FORMULAE = [
    "and the keepers of the northern tower",
    "went down unto the harbour at evening",
    "and counted the lanterns of the guild",
    "in the days when the salt was gathered",
    "and the mayor of the river town spoke",
]
ONCE = f"{FORMULAE[1]} {FORMULAE[4]} {FORMULAE[2]}"


@pytest.fixture(scope="module")
def chronicle():
    rng = random.Random(12)
    order = [(a, b) for a in range(5) for b in range(5) if a != b and {a, b} != {1, 4}]
    sentences = [f"{FORMULAE[a]} {FORMULAE[b]}." for a, b in order * 3]
    rng.shuffle(sentences)
    sentences.insert(30, f"{ONCE}.")
    filler = StoryGenerator(21)
    text = " ".join(sentences) + " " + filler.story(1500)
    return Library.build([("annals", "The Harbour Annals", text)])


def test_a_quotation_made_of_the_librarys_own_formulae_is_found(chronicle):
    grams = gram_hashes(token_hashes(words(ONCE, loose=True)), 3)
    assert chronicle.run_count(grams) == 1
    assert (
        min(chronicle.run_count(grams[i : i + 1]) for i in range(len(grams))) > 3
    )  # no 3 words are
    # rare on their own ...
    work = (
        "Marwen shut the ledger. Went down unto the harbour at evening, and the mayor of the "
        "river town spoke and counted the lanterns of the guild, she read aloud. Nobody laughed."
    )
    matches = chronicle.find(work)
    assert [m.source_id for m in matches] == ["annals"]  # ... but the passage as a whole is
    assert "mayor of the river town" in matches[0].work_text


def test_one_of_the_librarys_common_formulae_alone_is_not_a_quotation(chronicle):
    work = (
        "Marwen shut the ledger and said that the keepers of the northern tower were asleep, "
        "and she went down unto the harbour at evening without a word."
    )
    assert chronicle.find(work) == []

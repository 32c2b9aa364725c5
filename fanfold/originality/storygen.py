"""Generated stories for tests, the demo and the benchmark (never text copied from anywhere).

Sentences are built from templates with slots for names, places and dictionary words, and are
salted with the common phrases real fiction shares ("for a long moment", "without a word"), so
that unrelated generated works overlap the way unrelated real works do. Pure Python: no Django.
"""

import random

from .engine.words import dictionary

FIRST_NAMES = [
    "Anna", "Mira", "Tomas", "Kesh", "Ilsabet", "Orrin", "Yevra", "Dariel", "Sunniva", "Caelan",
    "Brisk", "Talwyn", "Joralie", "Emeric", "Quillon", "Nadira", "Faelan", "Ostrid", "Vesper",
    "Halloran", "Zephyrine", "Marek", "Lioba", "Teodric", "Amaranthe", "Rowenna", "Keztrel",
    "Prosper", "Idrith", "Wendeline",
]  # fmt: skip
COMMON_PHRASES = [
    "for a long moment", "without a word", "at the end of the day", "in the middle of the night",
    "as if nothing had happened", "for the first time in years", "took a deep breath",
    "looked out of the window", "did not know what to say", "the rest of the afternoon",
    "shook her head", "nodded slowly", "could not help but smile", "the door closed behind them",
]  # fmt: skip
TEMPLATES = [
    "{A} {verb} the {adj} {noun} {phrase}.",
    "{phrase}, {A} {verb} toward the {noun} near the {place}.",
    '"{Ask} {noun}?" {A} asked, and {B} {verb} the {adj} {noun2}.',
    "{A} and {B} {verb} the {noun} by the {place}, {phrase}.",
    "The {adj} {noun} was {adj2}, and {A} {verb} it {phrase}.",
    "{B} didn't {verb0} the {noun}; {A} had {verb} it at the {place}.",
    "Nobody in the {place} {verb} the {noun} quite like {A} did.",
    "When {B} {verb} the {adj} {noun}, {A}'s {noun2} grew {adj2}.",
]


class StoryGenerator:
    """Deterministic for a seed: StoryGenerator(7).story(500) is the same text every time."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        words = sorted(w for w in dictionary() if 4 <= len(w) <= 9)
        vocabulary = random.Random(1).sample(words, 6000)  # one vocabulary for every story
        self.nouns = vocabulary[:2500]
        self.adjectives = vocabulary[2500:3500]
        self.verbs = vocabulary[3500:5000]
        self.places = vocabulary[5000:6000]

    def names(self, count: int = 4) -> list[str]:
        return self.rng.sample(FIRST_NAMES, count)

    def sentence(self, names: list[str]) -> str:
        rng = self.rng
        a, b = rng.sample(names, 2)
        return rng.choice(TEMPLATES).format(
            A=a,
            B=b,
            Ask=rng.choice(["Where is the", "Why the", "Who took the"]),
            verb=rng.choice(self.verbs) + "ed",
            verb0=rng.choice(self.verbs),
            noun=rng.choice(self.nouns),
            noun2=rng.choice(self.nouns),
            adj=rng.choice(self.adjectives),
            adj2=rng.choice(self.adjectives),
            place=rng.choice(self.places),
            phrase=rng.choice(COMMON_PHRASES),
        )

    def story(self, words: int, names: list[str] | None = None) -> str:
        """About `words` words in paragraphs of four to seven sentences."""
        names = names or self.names()
        paragraphs: list[str] = []
        count = 0
        while count < words:
            sentences = [self.sentence(names) for _ in range(self.rng.randint(4, 7))]
            sentences = [s[0].upper() + s[1:] for s in sentences]
            paragraph = " ".join(sentences)
            paragraphs.append(paragraph)
            count += len(paragraph.split())
        return "\n\n".join(paragraphs)


def swap_names(text: str, mapping: dict[str, str]) -> str:
    """Find-and-replace names as a reposter does (possessives follow along)."""
    import re

    pattern = re.compile(r"\b(" + "|".join(map(re.escape, mapping)) + r")\b")
    return pattern.sub(lambda m: mapping[m.group()], text)


def edit_words(text: str, share: float, rng: random.Random, vocabulary: list[str]) -> str:
    """Change about `share` of the words: a third each replaced, dropped, or with one inserted."""
    out: list[str] = []
    for word in text.split(" "):
        roll = rng.random()
        if roll >= share:
            out.append(word)
            continue
        kind = rng.randrange(3)
        if kind == 0:
            out.append(rng.choice(vocabulary))
        elif kind == 1:
            if "\n" in word:
                out.append(word)
        else:
            out.extend([word, rng.choice(vocabulary)])
    return " ".join(out)

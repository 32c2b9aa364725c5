"""Generated prose for the demo archive: sentences assembled from word lists and templates
written for this project, so demo works read like text without copying anyone's stories.

Everything takes a `random.Random`, so one seed always gives the same text. Chapters come out
as HTML of the kind writers post: paragraphs with emphasis and dialogue, and, when asked for,
a scene break, a list, a table or a letter in a blockquote."""

import random
import re
from dataclasses import dataclass, field
from html import escape, unescape


@dataclass(frozen=True)
class Cast:
    """What the English generator talks about in one fandom."""

    people: tuple[str, ...]  # first names or short names used in the prose
    places: tuple[str, ...]  # with article: "the lighthouse"
    things: tuple[str, ...]  # with article: "a brass key"
    motifs: tuple[str, ...] = field(default=("the tide", "the lamps", "the old song"))


# --- English ---------------------------------------------------------------------------------

_TIMES = (
    "In the morning",
    "By the time the bells rang",
    "Later that night",
    "Just before dawn",
    "Halfway through the afternoon",
    "When the rain finally stopped",
    "Three days later",
    "Long after everyone else had gone to bed",
    "At the turn of the tide",
    "On the last evening of the month",
)
_WEATHER = (
    "a thin grey rain",
    "the first snow of the year",
    "a wind that smelled of salt and iron",
    "fog thick enough to lose a hand in",
    "a sky the colour of weak tea",
    "heat that sat on the roofs like a cat",
    "a clear, hard cold",
    "the slow gold light of late summer",
)
_FEELINGS = (
    "tired in a way sleep would not fix",
    "oddly light",
    "furious, and then only sad",
    "as if something had been decided without them",
    "too awake",
    "almost happy",
    "homesick for a place that no longer existed",
    "certain, for once",
)
_ADVERBS = (
    "quietly",
    "without looking up",
    "a little too quickly",
    "after a long pause",
    "gently",
    "as if it were obvious",
    "under their breath",
    "with a crooked smile",
)
_SAID = ("said", "murmured", "called", "admitted", "whispered", "offered", "muttered")
_LINES = (
    "You're late",
    "I kept it for you",
    "We don't have to talk about it",
    "Is that what you think happened",
    "Tell me the truth this time",
    "It was never about the {thing}",
    "Stay, just until the {motif} turns",
    "I thought you'd left for good",
    "Nobody else was going to do it",
    "Meet me at {place}",
    "You could have asked",
    "That's not a plan, that's a wish",
    "Hold this, and don't drop it",
    "I remember {place}",
    "Some things are worth the trouble",
    "Don't tell {person2}",
)
_SENTENCES = (
    "{time}, {person} went down to {place} alone.",
    "{person} turned {thing} over in both hands and said nothing.",
    "Outside there was {weather}.",
    "{time}, {weather} settled over {place}.",
    "{person} felt {feeling}.",
    "It was {person} who noticed it first: {thing}, exactly where it should not have been.",
    "Nobody had mentioned {thing} in years, and yet there it was.",
    "{person} and {person2} had not spoken since the business at {place}.",
    "The {motif_bare} was louder tonight, or {person} was listening harder.",
    "Somewhere below, someone was singing badly and with great conviction.",
    "{person2} laughed, and the sound surprised both of them.",
    "The floorboards at {place} complained under every step.",
    "{person} counted to ten, then to twenty, and then gave up counting.",
    "There was a note in {person2}'s handwriting, folded twice and not signed.",
    "It would have been easy to leave. {person} stayed.",
    "For a while the only sound was {motif}.",
    "{person} had <em>meant</em> to say something kind.",
    "It was, {person2} would say later, <em>entirely</em> the wrong moment to laugh.",
    "{person} did not believe in omens, but {thing} was making a strong case.",
    "The lamps at {place} burned low and blue.",
    "{person2} looked at {person} for a long moment, then looked away.",
    "Nothing about the day had gone to plan, which was, in its way, a comfort.",
    "They walked the long way round, past {place}, without deciding to.",
    "{person} kept {thing} in a coat pocket, where a hand could find it.",
    "Everyone at {place} pretended not to be listening.",
    "The answer, when it came, was <strong>no</strong>.",
    "{person} wrote it down so as not to forget, and then forgot where it was written.",
    "Later, neither of them could say who had moved first.",
    "{person} had rehearsed this conversation a dozen times, and none of the versions began "
    "like this.",
    "The kettle at {place} had been boiling for some time before anyone noticed.",
    "{person2} was already there, of course, pretending to read.",
    "It rained. It kept raining. {person} stopped expecting it to stop.",
    "Someone had carved two sets of initials into the bench at {place}, and then scratched one "
    "of them out.",
    "{person} found {thing} at the bottom of a drawer, under a pile of unanswered letters.",
    "There were three ways out of {place}, and {person2} knew all of them.",
    "The silence between them was not unfriendly, only crowded.",
    "{person} slept badly and woke up knowing what to do.",
    "By evening, the whole of {place} had heard a version of the story, most of them wrong.",
    "{person2} had a habit of humming when nervous; {person2} was humming now.",
    "The light went from gold to grey while they argued about {thing}.",
    "It was not forgiveness, exactly, but it was a start.",
    "{person} put {thing} down on the table between them like a card in a game.",
    "Far off, {motif} answered, as if it had been asked.",
    "{time}, a letter arrived with no stamp and {person}'s name spelled wrong.",
    "{person} had never been good at goodbyes, and this was turning out to be one.",
    "The stairs up to {place} had not been swept since spring.",
    "{person2} said something about {weather}; {person} did not hear a word of it.",
    "Neither of them mentioned {place}. That, too, was a kind of answer.",
)
_CHAPTER_TITLES_A = (
    "Low",
    "Borrowed",
    "Quiet",
    "Second",
    "Crooked",
    "Small",
    "Late",
    "Salt",
    "Paper",
    "Uncharted",
)
_CHAPTER_TITLES_B = (
    "Tide",
    "Hours",
    "Weather",
    "Promises",
    "Lanterns",
    "Maps",
    "Mercies",
    "Harbours",
    "Voices",
    "Stars",
)
_LIST_INTROS = (
    "The list, in {person}'s cramped handwriting, read:",
    "{person2} had made a list. Of course {person2} had made a list.",
    "Things {person} had promised not to do again:",
)
_LIST_ITEMS = (
    "Go back to {place} without telling anyone",
    "Lose {thing}",
    "Trust the weather",
    "Argue with {person2} before breakfast",
    "Pretend not to care",
    "Sing, in public, ever",
    "Forget to write back",
)


def _fill(template: str, rng: random.Random, cast: Cast, person: str) -> str:
    others = [name for name in cast.people if name != person] or list(cast.people)
    motif = rng.choice(cast.motifs)
    return template.format(
        time=rng.choice(_TIMES),
        weather=rng.choice(_WEATHER),
        feeling=rng.choice(_FEELINGS),
        person=person,
        person2=rng.choice(others),
        place=rng.choice(cast.places),
        thing=rng.choice(cast.things),
        motif=motif,
        motif_bare=motif.removeprefix("the "),
    )


def _capitalise(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]


def english_paragraph(rng: random.Random, cast: Cast) -> str:
    """One paragraph's inner HTML: narration, or a line of dialogue with a little narration."""
    person = rng.choice(cast.people)
    if rng.random() < 0.3:
        line = _fill(rng.choice(_LINES), rng, cast, person)
        question = line.startswith(("Is ", "Do ", "Can ")) or rng.random() < 0.1
        said = "asked" if question else rng.choice(_SAID)
        mark = "?" if question else ","
        speech = f"“{line}{mark}” {person} {said}, {rng.choice(_ADVERBS)}."
        tail = " ".join(
            _capitalise(_fill(template, rng, cast, person))
            for template in rng.sample(_SENTENCES, k=rng.randint(0, 2))
        )
        return f"{speech} {tail}".strip()
    return " ".join(
        _capitalise(_fill(template, rng, cast, person))
        for template in rng.sample(_SENTENCES, k=rng.randint(2, 6))
    )


def english_title(rng: random.Random) -> str:
    return f"{rng.choice(_CHAPTER_TITLES_A)} {rng.choice(_CHAPTER_TITLES_B)}"


def english_list(rng: random.Random, cast: Cast, *, ordered: bool) -> str:
    person = rng.choice(cast.people)
    intro = _fill(rng.choice(_LIST_INTROS), rng, cast, person)
    items = rng.sample(_LIST_ITEMS, k=rng.randint(3, 5))
    tag = "ol" if ordered else "ul"
    rendered = "".join(f"<li>{_fill(item, rng, cast, person)}</li>" for item in items)
    return f"<p>{intro}</p>\n<{tag}>{rendered}</{tag}>"


def english_letter(rng: random.Random, cast: Cast) -> str:
    writer, reader = rng.sample(list(cast.people), k=2) if len(cast.people) > 1 else cast.people * 2
    body = "".join(f"<p>{english_paragraph(rng, cast)}</p>" for _ in range(rng.randint(1, 2)))
    return (
        f"<p>The letter was short. {reader} read it twice.</p>\n"
        f"<blockquote><p>Dear {reader},</p>{body}<p>Yours, whatever that is worth,<br>"
        f"{writer}</p></blockquote>"
    )


def english_table(rng: random.Random, cast: Cast, *, caption: str, columns: tuple[str, ...]):
    """A small table (a manifest, a timetable...) with generated rows."""
    head = "".join(f'<th scope="col">{escape(name)}</th>' for name in columns)
    rows = []
    for _ in range(rng.randint(3, 5)):
        cells = [
            escape(rng.choice(cast.things).capitalize()),
            escape(rng.choice(cast.people)),
            escape(rng.choice(cast.places).capitalize()),
        ][: len(columns)]
        rows.append("<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>")
    return (
        f"<table><caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


SCENE_BREAK = "<hr>"


def english_chapter(
    rng: random.Random, cast: Cast, *, paragraphs: int, extras: tuple[str, ...] = ()
) -> str:
    """A chapter of `paragraphs` paragraphs; `extras` adds "scene_break", "list", "table",
    "letter" at random places."""
    blocks = [f"<p>{english_paragraph(rng, cast)}</p>" for _ in range(paragraphs)]
    for extra in extras:
        position = rng.randint(1, max(1, len(blocks) - 1))
        if extra == "scene_break":
            block = SCENE_BREAK
        elif extra == "list":
            block = english_list(rng, cast, ordered=rng.random() < 0.5)
        elif extra == "letter":
            block = english_letter(rng, cast)
        elif extra == "table":
            block = english_table(
                rng, cast, caption="Cargo manifest", columns=("Item", "Signed for by", "Bound for")
            )
        else:
            raise ValueError(f"Unknown extra {extra!r}")
        blocks.insert(position, block)
    return "\n".join(blocks)


def english_plain_chapter(rng: random.Random, cast: Cast, *, paragraphs: int) -> str:
    """The same kind of text as plain text (what a writer pastes from a text editor): blank
    lines between paragraphs, no markup."""
    return "\n\n".join(
        unescape(re.sub(r"<[^>]+>", "", english_paragraph(rng, cast))) for _ in range(paragraphs)
    )


# --- Japanese --------------------------------------------------------------------------------

# (name, reading) pairs; the first mention in a chapter gets ruby (furigana).
JA_PEOPLE = (("灯里", "あかり"), ("湊", "みなと"), ("雪乃", "ゆきの"))
_JA_PLACES = ("港", "古い図書館", "橋の上", "灯籠の市場", "屋根の上", "駅のホーム")
_JA_THINGS = ("灯籠", "古い地図", "手紙", "銀の鍵", "紙の舟", "壊れた時計")
_JA_WEATHER = ("雪", "夕焼け", "星空", "霧", "雨上がりの空")
_JA_LINES = (
    "大丈夫だよ",
    "もう少しだけ、ここにいて",
    "明日もまた来る\uff1f",  # fullwidth question mark, as Japanese text uses
    "灯りを消さないで",
    "ずっと待っていた",
    "一緒に行こう",
    "それは秘密",
)
_JA_SENTENCES = (
    "{name}は{place}に立っていた。",
    "{place}の窓から、{weather}が見えた。",
    "「{line}」と{name}は言った。",
    "{name}は{thing}をそっと手に取った。",
    "遠くで鐘が鳴っている。",
    "{name2}は何も答えなかった。",
    "その夜、{name}は長い手紙を書いた。",
    "{thing}はまだ温かかった。",
    "二人は{place}まで並んで歩いた。",
    "灯籠の光が水面に揺れていた。",
    "{name}は小さく笑った。",
    "忘れていた約束を、{name}は思い出した。",
    "雨の匂いがした。",
    "{name2}の声は少し震えていた。",
    "「{line}」",
    "{name}は{weather}を見上げて、ため息をついた。",
)


# A scene break the way Japanese writers often type it: fullwidth asterisks and spaces.
JA_SCENE_BREAK = '<p align="center">\uff0a\u3000\uff0a\u3000\uff0a</p>'


def _ruby(name: str, reading: str) -> str:
    return f"<ruby>{name}<rp>(</rp><rt>{reading}</rt><rp>)</rp></ruby>"


def japanese_chapter(rng: random.Random, *, paragraphs: int) -> str:
    names = [name for name, _ in JA_PEOPLE]
    introduced: set[str] = set()
    blocks = []
    for _ in range(paragraphs):
        sentences = []
        for template in rng.sample(_JA_SENTENCES, k=rng.randint(2, 5)):
            name, name2 = rng.sample(names, k=2)
            sentence = template.format(
                name=name,
                name2=name2,
                place=rng.choice(_JA_PLACES),
                thing=rng.choice(_JA_THINGS),
                weather=rng.choice(_JA_WEATHER),
                line=rng.choice(_JA_LINES),
            )
            for person, reading in JA_PEOPLE:
                if person in sentence and person not in introduced:
                    sentence = sentence.replace(person, _ruby(person, reading), 1)
                    introduced.add(person)
            sentences.append(sentence)
        blocks.append(f"<p>{''.join(sentences)}</p>")
    if len(blocks) > 3:
        blocks.insert(rng.randint(2, len(blocks) - 1), JA_SCENE_BREAK)
    return "\n".join(blocks)


# --- Arabic ----------------------------------------------------------------------------------

_AR_MEN = ("سامي", "كريم")
_AR_WOMEN = ("ليلى", "نور")
_AR_PLACES = ("المحطة القديمة", "سطح المبنى", "المقهى الصغير", "شاطئ البحر", "الاستوديو")
_AR_THINGS = ("الميكروفون", "الرسالة", "فنجان القهوة", "المفتاح القديم", "الشريط المسجل")
_AR_SKY = ("المطر", "النجوم", "الغيوم الرمادية", "ضوء القمر")
_AR_LINES = (
    "هل تسمعني؟",
    "لن أتأخر هذه المرة.",
    "البث يبدأ بعد دقيقة.",
    "انتظرني عند الباب.",
    "كل شيء سيكون بخير.",
)
# Verbs agree with the speaker, so sentences come in a masculine and a feminine set.
_AR_MASCULINE = (
    "مشى {m} ببطء نحو {place}.",
    "فتح {m} النافذة ونظر إلى {sky}.",
    "ابتسم {m} ولم يقل شيئاً.",
    "كتب {m} رسالة طويلة في تلك الليلة.",
    "قال {m}: «{line}»",
)
_AR_FEMININE = (
    "جلست {f} قرب {place} تنتظر.",
    "حملت {f} {thing} بين يديها.",
    "ضحكت {f} بصوت خافت.",
    "تذكرت {f} وعداً قديماً.",
    "قالت {f}: «{line}»",
)
_AR_NEUTRAL = (
    "كان الهواء بارداً ورطباً.",
    "في البعيد، كانت أجراس المدينة تقرع.",
    "مرّ الوقت ببطء.",
    "كانت الإذاعة القديمة تعمل طوال الليل.",
    "انطفأ الضوء في آخر الشارع.",
)


def arabic_chapter(rng: random.Random, *, paragraphs: int) -> str:
    blocks = []
    for _ in range(paragraphs):
        sentences = []
        for template in rng.sample(_AR_MASCULINE + _AR_FEMININE + _AR_NEUTRAL, k=rng.randint(2, 5)):
            sentences.append(
                template.format(
                    m=rng.choice(_AR_MEN),
                    f=rng.choice(_AR_WOMEN),
                    place=rng.choice(_AR_PLACES),
                    thing=rng.choice(_AR_THINGS),
                    sky=rng.choice(_AR_SKY),
                    line=rng.choice(_AR_LINES),
                )
            )
        blocks.append(f"<p>{' '.join(sentences)}</p>")
    return "\n".join(blocks)

"""What the demo archive contains: invented fandoms, writers and works, with generated chapter
text. `demo_plan(seed, today)` is pure (no database), so the same seed gives the same archive
and tests can look at the plan without loading it."""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from . import prose
from .prose import Cast

ADMIN_USERNAME = "admin"


@dataclass(frozen=True)
class Fandom:
    name: str
    characters: tuple[str, ...]
    relationships: tuple[str, ...]
    cast: Cast | None = None  # for the English prose generator


SALTGLASS = Fandom(
    name="The Saltglass Chronicles",
    characters=("Ilse Marrow", "Tobin Reyes", "Wren Halloway", "The Cartographer"),
    relationships=("Ilse Marrow/Tobin Reyes", "Wren Halloway & Tobin Reyes"),
    cast=Cast(
        people=("Ilse", "Tobin", "Wren"),
        places=("the harbour", "the lighthouse", "the glass market", "the chart room"),
        things=(
            "a salt-stained letter",
            "the brass sextant",
            "a lantern with a cracked pane",
            "the map of the northern reefs",
        ),
        motifs=("the tide", "the foghorn", "the rigging"),
    ),
)
STARFALL = Fandom(
    name="Starfall Academy (Web Series)",
    characters=("Juno Okafor", "Pip Castellan", "Headmistress Vale", "Orrin Slate"),
    relationships=("Juno Okafor/Pip Castellan", "Juno Okafor & Orrin Slate"),
    cast=Cast(
        people=("Juno", "Pip", "Orrin"),
        places=("the observatory", "the dormitory roof", "the library annex", "the hangar"),
        things=("a borrowed jacket", "a cracked visor", "a cup of terrible coffee", "a star chart"),
        motifs=("the hum of the reactor", "the night bell", "the wind on the dome"),
    ),
)
CLOCKWORK = Fandom(
    name="Clockwork Orchard (Video Game)",
    characters=("Mara Quint", "Bellweather", "The Gardener", "Fennick Dray"),
    relationships=("Mara Quint & Bellweather", "Mara Quint/Fennick Dray"),
    cast=Cast(
        people=("Mara", "Bellweather", "Fennick"),
        places=("the orchard rows", "the gear-house", "the cider press", "the old greenhouse"),
        things=("a brass key", "the pruning shears", "an apple that hummed", "a dented oilcan"),
        motifs=("the ticking of the trees", "the wind in the gears", "the evening whistle"),
    ),
)
VEYRA = Fandom(
    name="ヴェイラの灯籠 | Lanterns of Veyra",
    characters=(
        "Akari (Lanterns of Veyra)",
        "Minato (Lanterns of Veyra)",
        "Yukino (Lanterns of Veyra)",
    ),
    relationships=("Akari/Minato (Lanterns of Veyra)",),
)
CEDAR_ROAD = Fandom(
    name="Cedar Road Radio (Podcast)",
    characters=("Layla Haddad", "Sami Aziz", "Nour Khalil", "Karim Saleh"),
    relationships=("Layla Haddad/Sami Aziz",),
)
# The crossover mixes two casts.
_CROSSOVER_CAST = Cast(
    people=("Ilse", "Mara", "Tobin", "Bellweather"),
    places=("the harbour", "the gear-house", "the lighthouse", "the orchard rows"),
    things=("the brass sextant", "a brass key", "an apple that hummed", "a salt-stained letter"),
    motifs=("the tide", "the ticking of the trees", "the foghorn"),
)


@dataclass(frozen=True)
class WriterPlan:
    username: str
    second_pseud: str | None = None
    second_pseud_description: str = ""

    @property
    def email(self) -> str:
        return f"{self.username}@example.org"


WRITERS = (
    WriterPlan("quillfeather", "Marginalia", "For the shorter, stranger pieces."),
    WriterPlan("mothandlantern", "Lantern Moth", "Night-shift fic, written on night shifts."),
    WriterPlan("kestrel_writes"),
    WriterPlan("tidewater"),
)


@dataclass(frozen=True)
class ChapterPlan:
    content: str
    text_format: str = "html"
    title: str = ""
    summary: str = ""
    notes: str = ""
    end_notes: str = ""
    published_on: date | None = None


@dataclass(frozen=True)
class WorkPlan:
    title: str
    creators: tuple[tuple[str, str | None], ...]  # (username, pseud name or None for default)
    fandoms: tuple[str, ...]
    rating: str
    warnings: tuple[str, ...]
    categories: tuple[str, ...]
    relationships: tuple[str, ...]
    characters: tuple[str, ...]
    freeforms: tuple[str, ...]
    summary: str
    chapters: tuple[ChapterPlan, ...]
    expected_chapters: int | None
    notes: str = ""
    end_notes: str = ""
    language: str = "en"
    is_restricted: bool = False
    comment_permission: str = "everyone"
    post: bool = True


@dataclass(frozen=True)
class NewsPlan:
    """The archive's own voice on the demo: one site news post by the admin, one reader's
    comment on it, and the announcement banner pointing to the post."""

    title: str
    category: str
    body: str
    comment_by: str  # a writer's username
    comment: str
    banner_text: str
    banner_link_text: str


NEWS = NewsPlan(
    title="Welcome to the demo archive",
    category="Announcements",
    body=(
        "<p>This archive is a demonstration: every writer, fandom and story here was invented "
        "or generated for it, so look around freely.</p>"
        "<p>Things to try:</p>"
        "<ul><li>Filter the works by fandom, rating or tag from any listing.</li>"
        "<li>Log in as one of the demo writers (the logins are printed where you started the "
        "archive) to post a chapter, leave kudos or bookmark a work.</li>"
        "<li>Leave a comment below: news posts take comments like works do.</li></ul>"
        "<p>Nothing here is kept safe: start a new database for real use.</p>"
    ),
    comment_by="tidewater",
    comment=(
        "<p>Found the filters straight away. Is there a way to hide the crossovers? "
        "Asking for a friend who only reads lighthouses.</p>"
    ),
    banner_text="This is a <strong>demo archive</strong>: its writers and works are invented.",
    banner_link_text="What to try",
)


@dataclass(frozen=True)
class DemoPlan:
    writers: tuple[WriterPlan, ...]
    works: tuple[WorkPlan, ...]
    news: NewsPlan = NEWS


@dataclass(frozen=True)
class _WorkSpec:
    """The hand-written part of a work; chapters and dates are generated from it."""

    title: str
    creators: tuple[tuple[str, str | None], ...]
    fandoms: tuple[Fandom, ...]
    rating: str
    warnings: tuple[str, ...]
    categories: tuple[str, ...]
    freeforms: tuple[str, ...]
    summary: str
    chapters: int
    expected_chapters: int | None
    days_ago: int  # when the first chapter was published
    extras: tuple[tuple[str, ...], ...] = ()  # per chapter: "list", "table", "letter"...
    language: str = "en"
    text_format: str = "html"
    relationships: tuple[str, ...] | None = None  # default: the fandoms' first relationship
    is_restricted: bool = False
    comment_permission: str = "everyone"
    post: bool = True
    cast: Cast | None = None


_NO_WARNINGS = ("No Archive Warnings Apply",)
_CHOSE_NOT = ("Creator Chose Not To Use Archive Warnings",)

_SPECS = (
    _WorkSpec(
        title="The Cartographer's Apprentice",
        creators=(("quillfeather", None),),
        fandoms=(SALTGLASS,),
        rating="Teen And Up Audiences",
        warnings=_NO_WARNINGS,
        categories=("F/M",),
        freeforms=("Slow Burn", "Found Family", "Maps", "Letters"),
        summary="Wren was hired to copy maps, not to find out what the reefs were hiding. "
        "<em>Somebody</em> has been redrawing the coastline.",
        chapters=4,
        expected_chapters=4,
        days_ago=240,
        extras=(("letter",), ("scene_break",), ("table",), ("scene_break", "list")),
    ),
    _WorkSpec(
        title="Low Tide, High Water",
        creators=(("quillfeather", None),),
        fandoms=(SALTGLASS,),
        rating="General Audiences",
        warnings=_NO_WARNINGS,
        categories=("Gen",),
        relationships=("Wren Halloway & Tobin Reyes",),
        freeforms=("Storms", "Friendship", "Canon Divergence"),
        summary="The storm takes the pier, the market and most of Tobin's patience.",
        chapters=3,
        expected_chapters=None,
        days_ago=60,
        extras=((), ("scene_break",), ()),
    ),
    _WorkSpec(
        title="Everything the Lighthouse Saw",
        creators=(("quillfeather", "Marginalia"),),
        fandoms=(SALTGLASS,),
        rating="General Audiences",
        warnings=_NO_WARNINGS,
        categories=("Gen",),
        relationships=(),
        freeforms=("Missing Scene", "Lighthouses", "Short One"),
        summary="A lighthouse keeps count of the ships, the storms and the people who stay.",
        chapters=1,
        expected_chapters=1,
        days_ago=400,
        extras=(("list",),),
    ),
    _WorkSpec(
        title="Orbit Decay",
        creators=(("mothandlantern", None),),
        fandoms=(STARFALL,),
        rating="Teen And Up Audiences",
        warnings=_NO_WARNINGS,
        categories=("F/F",),
        freeforms=("Mutual Pining", "Rivals to Lovers", "Study Group"),
        summary="Juno needs a lab partner. Pip needs a passing grade. The observatory needs "
        "<strong>both of them</strong> to stop arguing.",
        chapters=2,
        expected_chapters=5,
        days_ago=120,
        extras=(("scene_break",), ()),
        comment_permission="registered",
    ),
    _WorkSpec(
        title="Night Shift at the Observatory",
        creators=(("mothandlantern", "Lantern Moth"),),
        fandoms=(STARFALL,),
        rating="General Audiences",
        warnings=_NO_WARNINGS,
        categories=("Gen",),
        relationships=("Juno Okafor & Orrin Slate",),
        freeforms=("Insomnia", "Friendship", "Coffee"),
        summary="Nobody is supposed to be in the observatory after midnight. Everybody is.",
        chapters=1,
        expected_chapters=1,
        days_ago=30,
        text_format="plain",
    ),
    _WorkSpec(
        title="Things We Left in the Hangar",
        creators=(("mothandlantern", None),),
        fandoms=(STARFALL,),
        rating="Mature",
        warnings=_CHOSE_NOT,
        categories=("F/F", "Gen"),
        freeforms=("Angst with a Happy Ending", "Hurt/Comfort", "Minor Injuries"),
        summary="After the accident, the hangar is locked. Juno has a key.",
        chapters=2,
        expected_chapters=2,
        days_ago=90,
        extras=(("scene_break",), ()),
        is_restricted=True,
    ),
    _WorkSpec(
        title="A Grafting",
        creators=(("kestrel_writes", None),),
        fandoms=(CLOCKWORK,),
        rating="General Audiences",
        warnings=_NO_WARNINGS,
        categories=("Gen",),
        freeforms=("Gardening", "Robots", "Found Family", "Slice of Life"),
        summary="Mara teaches Bellweather to graft a branch. Bellweather teaches Mara patience.",
        chapters=3,
        expected_chapters=None,
        days_ago=45,
        extras=(("list",), ("scene_break",), ()),
    ),
    _WorkSpec(
        title="The Gear-House Ledger",
        creators=(("kestrel_writes", None),),
        fandoms=(CLOCKWORK,),
        rating="Teen And Up Audiences",
        warnings=_NO_WARNINGS,
        categories=("F/M",),
        relationships=("Mara Quint/Fennick Dray",),
        freeforms=("Bookkeeping", "Banter", "Secrets"),
        summary="Someone has been stealing from the gear-house, one cog at a time.",
        chapters=2,
        expected_chapters=3,
        days_ago=15,
        extras=(("table",), ("letter",)),
    ),
    _WorkSpec(
        title="Orchard Notes (work in progress)",
        creators=(("kestrel_writes", None),),
        fandoms=(CLOCKWORK,),
        rating="Not Rated",
        warnings=_CHOSE_NOT,
        categories=("Gen",),
        freeforms=("Unfinished", "Drabbles"),
        summary="Bits and pieces that might become a story.",
        chapters=2,
        expected_chapters=None,
        days_ago=5,
        post=False,
    ),
    _WorkSpec(
        title="灯籠の夜",
        creators=(("tidewater", None),),
        fandoms=(VEYRA,),
        rating="General Audiences",
        warnings=_NO_WARNINGS,
        categories=("F/M",),
        freeforms=("祭り", "Fluff"),
        summary="灯籠祭りの夜、灯里は港で湊を待っていた。",
        chapters=2,
        expected_chapters=None,
        days_ago=75,
        language="ja",
    ),
    _WorkSpec(
        title="ليلة البث الأخير",
        creators=(("tidewater", None),),
        fandoms=(CEDAR_ROAD,),
        rating="Teen And Up Audiences",
        warnings=_NO_WARNINGS,
        categories=("F/M",),
        freeforms=("Radio", "Last Episode"),
        summary="في الليلة الأخيرة قبل إغلاق المحطة، تقرر ليلى أن تقول كل شيء على الهواء.",
        chapters=1,
        expected_chapters=1,
        days_ago=20,
        language="ar",
    ),
    _WorkSpec(
        title="Salt and Circuitry",
        creators=(("tidewater", None), ("quillfeather", None)),
        fandoms=(SALTGLASS, CLOCKWORK),
        rating="Not Rated",
        warnings=_NO_WARNINGS,
        categories=("Multi",),
        relationships=("Ilse Marrow/Tobin Reyes", "Mara Quint & Bellweather"),
        freeforms=("Crossover", "Alternate Universe - Shipwreck", "Co-written"),
        summary="A ship full of clockwork trees runs aground at the harbour. Nobody agrees on "
        "what to do with it, least of all its crew.",
        chapters=3,
        expected_chapters=3,
        days_ago=200,
        extras=(("scene_break",), ("list",), ("letter",)),
        cast=_CROSSOVER_CAST,
    ),
)

_NOTES = (
    "Thank you for reading! Comments make my day.",
    "This started as a drabble and got away from me.",
    "Written for a prompt: “the map is wrong on purpose”.",
    "Many thanks to my beta, who caught every stray comma.",
    "Updates will be slow but they will happen.",
    "Not beta-read; all mistakes are mine.",
)
_END_NOTES = (
    "More soon. I promise.",
    "Come say hello in the comments.",
    "The next chapter is already half written.",
)


def _chapter_dates(rng: random.Random, spec: _WorkSpec, today: date) -> list[date]:
    start = today - timedelta(days=spec.days_ago)
    dates = [start]
    for number in range(1, spec.chapters):
        remaining = (today - dates[-1]).days
        step = rng.randint(1, max(1, remaining // (spec.chapters - number + 1)))
        dates.append(min(today, dates[-1] + timedelta(days=step)))
    return dates


def _chapter_content(rng: random.Random, spec: _WorkSpec, number: int) -> str:
    paragraphs = rng.randint(8, 16)
    if spec.language == "ja":
        return prose.japanese_chapter(rng, paragraphs=paragraphs)
    if spec.language == "ar":
        return prose.arabic_chapter(rng, paragraphs=paragraphs)
    cast = spec.cast or spec.fandoms[0].cast
    assert cast is not None, "every English demo fandom has a cast"
    if spec.text_format == "plain":
        return prose.english_plain_chapter(rng, cast, paragraphs=paragraphs)
    extras = spec.extras[number] if number < len(spec.extras) else ()
    return prose.english_chapter(rng, cast, paragraphs=paragraphs, extras=extras)


def _work_plan(rng: random.Random, spec: _WorkSpec, today: date) -> WorkPlan:
    dates = _chapter_dates(rng, spec, today)
    english = spec.language == "en"
    chapters = []
    for number in range(spec.chapters):
        titled = english and spec.chapters > 1
        chapters.append(
            ChapterPlan(
                content=_chapter_content(rng, spec, number),
                text_format=spec.text_format,
                title=prose.english_title(rng) if titled else "",
                notes=rng.choice(_NOTES) if english and rng.random() < 0.4 else "",
                end_notes=rng.choice(_END_NOTES) if english and rng.random() < 0.3 else "",
                published_on=dates[number] if spec.post else None,
            )
        )
    relationships = spec.relationships
    if relationships is None:
        relationships = tuple(f.relationships[0] for f in spec.fandoms if f.relationships)
    # The characters in the relationships (by name without the fandom in brackets), or the
    # fandom's first two when there are none.
    characters = (
        tuple(
            name
            for fandom in spec.fandoms
            for name in fandom.characters
            if any(name.split(" (")[0] in relationship for relationship in relationships)
        )
        or spec.fandoms[0].characters[:2]
    )
    return WorkPlan(
        title=spec.title,
        creators=spec.creators,
        fandoms=tuple(f.name for f in spec.fandoms),
        rating=spec.rating,
        warnings=spec.warnings,
        categories=spec.categories,
        relationships=relationships,
        characters=characters,
        freeforms=spec.freeforms,
        summary=spec.summary,
        notes=rng.choice(_NOTES) if english else "",
        end_notes="",
        chapters=tuple(chapters),
        expected_chapters=spec.expected_chapters,
        language=spec.language,
        is_restricted=spec.is_restricted,
        comment_permission=spec.comment_permission,
        post=spec.post,
    )


def demo_plan(*, seed: int, today: date) -> DemoPlan:
    """The demo archive for this seed, dated relative to `today`."""
    rng = random.Random(seed)
    works = tuple(_work_plan(rng, spec, today) for spec in _SPECS)
    return DemoPlan(writers=WRITERS, works=works)

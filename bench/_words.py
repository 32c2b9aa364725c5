"""Vocabulary for the benchmarks' generated text and names. Written for this project: common
English words (most frequent first, so a Zipf law over the list gives text with a realistic
shape for full-text search) and syllables for pronounceable, unique invented names."""


def _words(text: str) -> list[str]:
    return text.split()


COMMON = _words(
    """
the and to of a in was he she it that his her you with on for had as at they but said not be
is from by one what all were we when there this out up into so them could then would have
like if back only about him over down time now just your me my no been eye hand know looked
more before again way around where even first through never something how thought after head
voice face still too long door room felt much while night light moment little left right
last here made turned well away something because told asked other against want good nothing
knew think come again another every small let look side those some tell might things own old
own should quiet soft cold warm dark bright smiled laughed whispered breath heart morning
evening window kitchen table chair floor street city house home harbour river forest
mountain village castle tower garden road ship sea shore rain snow wind storm fire smoke
stars moon sun sky cloud winter summer autumn spring letter book page story song music dream
memory silence shadow lantern candle bread coffee tea cup glass sword shield armour horse
dragon magic spell king queen prince princess captain soldier knight witch wizard healer
thief stranger friend brother sister mother father child family name word promise secret
truth lie question answer war battle peace journey mission plan map key lock chain ring gift
coat scarf boots shoulder fingers lips hair arms chest neck throat knees feet skin blood
bone scar tired afraid angry happy sad gentle careful quick slow quiet loud broken whole
empty full walked ran sat stood waited watched listened reached pulled pushed held carried
dropped opened closed remembered forgot wondered realised decided tried wanted needed loved
hated kissed touched leaned stepped shook nodded sighed swallowed frowned blinked stared
glanced across between behind beneath above along toward towards without within beside
during slowly softly finally suddenly quietly carefully almost already always perhaps maybe
really simply certainly probably nearly barely only once twice enough together alone
tomorrow yesterday tonight today hours minutes days weeks years morning afternoon ocean
island bridge market tavern library school station train office hospital garden mirror
photograph blanket pillow fireplace staircase balcony roof wall corner hallway echo whisper
thunder lightning mist fog frost ice ember ash dust gold silver iron stone wolf fox raven
owl cat dog bird deer bear serpent phoenix griffin unicorn ghost spirit crown throne banner
council guild academy tournament festival wedding funeral feast apology confession argument
laughter tears smile grin glare sigh shiver ache warmth courage fear hope grief anger joy
trust doubt guilt pride shame longing regret relief
"""
)

# (dict.fromkeys: each syllable once, or two numbers could spell the same name)
SYLLABLES = list(
    dict.fromkeys(
        _words(
            """
ka lo mi ra ven tor sel ia an dre el mar vin tha ros el cae lum bri sa ko ne ul fin ja wen
da ry sha ol ti ber nim qua ze ha lis por gan vi to mel ash ren syl ev or kai
"""
        )
    )
)


def invented(number: int, syllables: int = 2) -> str:
    """A pronounceable name that is unique for each number (the number written in base
    len(SYLLABLES)), at least `syllables` syllables long."""
    parts = []
    base = len(SYLLABLES)
    while number or len(parts) < syllables:
        number, digit = divmod(number, base)
        parts.append(SYLLABLES[digit])
    return "".join(parts).capitalize()


# Common additional-tag labels (genre words), the most popular freeforms of the archive.
FREEFORMS = """Fluff|Angst|Hurt/Comfort|Alternate Universe|Romance|Humor|Friendship|Slow Burn
|Found Family|Established Relationship|Happy Ending|Friends to Lovers|Drama|Canon Compliant
|Post-Canon|Missing Scene|Enemies to Lovers|Domestic Fluff|Whump|Pining|Mutual Pining
|Introspection|Character Study|Family|Magic|Time Travel|Road Trip|Holidays|Coffee Shop
|Modern Setting|Ghosts|Dragons|Soulmates|Fake Dating|Hand Holding|Sharing a Bed
|Getting Together|First Kiss|Emotional Hurt/Comfort|Minor Character Death""".replace(
    "\n", ""
).split("|")

MEDIA = ["Books", "TV", "Movies", "Anime", "Video Games", "Comics", "Theatre", "Podcasts"]

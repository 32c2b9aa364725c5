"""The editable mapping from an eFiction archive's categories, characters, classes and ratings
to Fanfold tags. `fanfold import-efiction DUMP --write-mapping FILE` writes the default one
(TOML, one entry per id, the original name in a comment) for the admin to edit; `--mapping
FILE` reads it back. Pure Python."""

import json
import tomllib
from dataclasses import dataclass

from ..errors import ImportRefused
from ..parsing import RATING_NAMES
from .sqldump import Dump

TAG_TYPES = ("fandom", "character", "relationship", "freeform", "warning", "category", "ignore")
RATINGS = ("General Audiences", "Teen And Up Audiences", "Mature", "Explicit", "Not Rated")
WARNINGS = (
    "Creator Chose Not To Use Archive Warnings",
    "Graphic Depictions Of Violence",
    "Major Character Death",
    "No Archive Warnings Apply",
    "Rape/Non-Con",
    "Underage Sex",
)
CATEGORIES = ("F/F", "F/M", "Gen", "M/M", "Multi", "Other")
# eFiction's default ratings and the usual names archives gave theirs.
EFICTION_RATINGS = {
    "all ages": "General Audiences",
    "pre-teen": "General Audiences",
    "g": "General Audiences",
    "pg": "Teen And Up Audiences",
    "teen": "Teen And Up Audiences",
    "teens": "Teen And Up Audiences",
    "mature": "Mature",
    "r": "Mature",
    "adult": "Explicit",
    "adults only": "Explicit",
    "nc-17": "Explicit",
    "x": "Explicit",
}


@dataclass(frozen=True)
class Target:
    type: str  # one of TAG_TYPES
    name: str


@dataclass
class Mapping:
    categories: dict[int, Target]
    characters: dict[int, Target]
    classes: dict[int, Target]
    ratings: dict[int, str]


def _id(value) -> int:
    return int(value)


def default_mapping(dump: Dump) -> Mapping:
    classtypes = {
        _id(row["classtype_id"]): (row.get("classtype_name") or "").lower()
        for row in dump.table("classtypes")
    }
    classes = {}
    for row in dump.table("classes"):
        kind = classtypes.get(_id(row["class_type"]), "")
        name = str(row["class_name"]).strip()
        if kind.startswith("warning") and name in WARNINGS:
            classes[_id(row["class_id"])] = Target("warning", name)
        elif name in CATEGORIES:
            classes[_id(row["class_id"])] = Target("category", name)
        else:
            classes[_id(row["class_id"])] = Target("freeform", name)
    ratings = {}
    for row in dump.table("ratings"):
        name = str(row["rating"]).strip()
        key = name.lower()
        ratings[_id(row["rid"])] = (
            name if name in RATINGS else EFICTION_RATINGS.get(key) or RATING_NAMES.get(key)
        ) or "Not Rated"
    return Mapping(
        categories={
            _id(row["catid"]): Target("fandom", str(row["category"]).strip())
            for row in dump.table("categories")
        },
        characters={
            _id(row["charid"]): Target("character", str(row["charname"]).strip())
            for row in dump.table("characters")
        },
        classes=classes,
        ratings=ratings,
    )


def _string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string


def mapping_toml(mapping: Mapping) -> str:
    lines = [
        "# How this eFiction archive's categories, characters, classes and ratings become",
        "# Fanfold tags. Edit, then run: fanfold import-efiction DUMP.sql --mapping THIS_FILE",
        f"# type is one of: {', '.join(TAG_TYPES)}",
        "# (warning and category take AO3's names; ignore drops the tag).",
        f"# Warnings: {'; '.join(WARNINGS)}",
        f"# Categories: {', '.join(CATEGORIES)}",
        "",
    ]
    for section in ("categories", "characters", "classes"):
        for key, target in sorted(getattr(mapping, section).items()):
            lines += [
                f"[{section}.{key}]",
                f"type = {_string(target.type)}",
                f"name = {_string(target.name)}",
                "",
            ]
    lines += [f"[ratings]  # one of: {', '.join(RATINGS)}"]
    lines += [f'"{key}" = {_string(name)}' for key, name in sorted(mapping.ratings.items())]
    return "\n".join(lines) + "\n"


def mapping_read(text: str, defaults: Mapping) -> Mapping:
    """The admin's mapping file over the defaults; ImportRefused names a bad entry."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ImportRefused(f"The mapping file is not valid TOML: {exc}.") from None
    result = Mapping(
        categories=dict(defaults.categories),
        characters=dict(defaults.characters),
        classes=dict(defaults.classes),
        ratings=dict(defaults.ratings),
    )
    for section in ("categories", "characters", "classes"):
        for key, entry in (data.get(section) or {}).items():
            where = f"[{section}.{key}]"
            if not isinstance(entry, dict) or not str(key).isdigit():
                raise ImportRefused(f"The mapping file's {where} is not an id with type and name.")
            kind, name = entry.get("type", ""), str(entry.get("name", "")).strip()
            if kind not in TAG_TYPES:
                raise ImportRefused(
                    f"The mapping file's {where} has type {kind!r}; use one of "
                    f"{', '.join(TAG_TYPES)}."
                )
            if kind == "warning" and name not in WARNINGS:
                raise ImportRefused(f"The mapping file's {where}: {name!r} is not an AO3 warning.")
            if kind == "category" and name not in CATEGORIES:
                raise ImportRefused(f"The mapping file's {where}: {name!r} is not an AO3 category.")
            if kind != "ignore" and not name:
                raise ImportRefused(f"The mapping file's {where} has no name.")
            getattr(result, section)[int(key)] = Target(kind, name)
    for key, name in (data.get("ratings") or {}).items():
        if name not in RATINGS:
            raise ImportRefused(
                f"The mapping file's rating {key} is {name!r}; use one of {', '.join(RATINGS)}."
            )
        result.ratings[int(key)] = name
    return result

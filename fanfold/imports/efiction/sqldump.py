"""Rows from a MySQL dump (mysqldump or phpMyAdmin output): the column names of each CREATE
TABLE and the rows of each INSERT, as dicts. Pure Python, no database.

Written here rather than with a SQL library: general SQL parsers (sqlparse and the like) build a
token tree for the whole statement, which for a dump whose INSERTs carry whole chapters is slow
and memory-hungry, and none of them decodes MySQL's string escapes. A dump's INSERT statements
need only a small tokenizer: quoted strings with MySQL's backslash escapes, numbers, NULL."""

import re
from dataclasses import dataclass, field

from ..errors import ImportRefused

_ESCAPES = {
    "0": "\0",
    "b": "\b",
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "Z": "\x1a",
    "\\": "\\",
    "'": "'",
    '"': '"',
    "%": "\\%",
    "_": "\\_",
}
_CREATE = re.compile(r"CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?[`\"]?(\w+)[`\"]?\s*\(", re.I)
_INSERT = re.compile(
    r"INSERT\s+(?:IGNORE\s+)?INTO\s+[`\"]?(\w+)[`\"]?\s*(\([^)]*\))?\s*VALUES\s*", re.I
)
_COLUMN = re.compile(r"^\s*[`\"]?(\w+)[`\"]?\s+\w+", re.M)
_NOT_COLUMN = {"primary", "key", "unique", "index", "constraint", "fulltext", "foreign"}


@dataclass
class Dump:
    columns: dict[str, list[str]] = field(default_factory=dict)
    rows: dict[str, list[dict]] = field(default_factory=dict)

    def table(self, name: str) -> list[dict]:
        """Rows of a table by its name without the prefix ("stories" for fanfiction_stories)."""
        for full, rows in self.rows.items():
            if full.lower() == name or full.lower().endswith("_" + name):
                return rows
        return []


def _create_columns(text: str, start: int) -> tuple[str, list[str], int]:
    match = _CREATE.match(text, start)
    if not match:
        return "", [], start + 1
    depth, position = 1, match.end()
    while depth and position < len(text):
        char = text[position]
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char in "'\"`":
            position = text.find(char, position + 1)
            if position < 0:
                break
        position += 1
    body = text[match.end() : position - 1]
    columns = [m.group(1) for m in _COLUMN.finditer(body) if m.group(1).lower() not in _NOT_COLUMN]
    return match.group(1), columns, position


def _value(text: str, position: int) -> tuple[object, int]:
    """One value starting at `position` (after whitespace): string, number or NULL."""
    while text[position] in " \t\r\n":
        position += 1
    char = text[position]
    if char in "'\"":
        parts = []
        position += 1
        while True:
            end = position
            while text[end] not in (char, "\\"):
                end += 1
            parts.append(text[position:end])
            if text[end] == "\\":
                parts.append(_ESCAPES.get(text[end + 1], text[end + 1]))
                position = end + 2
            elif text.startswith(char * 2, end):
                parts.append(char)
                position = end + 2
            else:
                return "".join(parts), end + 1
    match = re.compile(r"[^,)\s]+").match(text, position)
    if not match:
        raise ValueError(f"unexpected {text[position : position + 20]!r}")
    token = match.group(0)
    if token.upper() == "NULL":
        return None, match.end()
    try:
        number: object = int(token)
    except ValueError:
        try:
            number = float(token)
        except ValueError:
            number = token
    return number, match.end()


def _insert_rows(text: str, start: int, dump: Dump) -> int:
    match = _INSERT.match(text, start)
    if not match:
        return start + 1
    table = match.group(1)
    if match.group(2):
        columns = [c.strip(' `"\n\t') for c in match.group(2)[1:-1].split(",")]
    else:
        columns = dump.columns.get(table, [])
    rows = dump.rows.setdefault(table, [])
    position = match.end()
    while True:
        while text[position] in " \t\r\n":
            position += 1
        if text[position] != "(":
            raise ValueError(f"expected a row in {table}")
        position += 1
        values = []
        while True:
            value, position = _value(text, position)
            values.append(value)
            while text[position] in " \t\r\n":
                position += 1
            if text[position] == ",":
                position += 1
                continue
            if text[position] == ")":
                position += 1
                break
            raise ValueError(f"unexpected {text[position : position + 20]!r} in {table}")
        if columns and len(columns) != len(values):
            raise ValueError(
                f"a row of {table} has {len(values)} values for {len(columns)} columns"
            )
        names = columns or [str(i) for i in range(len(values))]
        rows.append(dict(zip(names, values, strict=True)))
        while text[position] in " \t\r\n":
            position += 1
        if text[position] == ",":
            position += 1
            continue
        return position + 1


def parse_dump(text: str) -> Dump:
    """Every table's columns and rows. ImportRefused when a statement can't be read."""
    dump = Dump()
    position = statement = 0
    # Statements are found one after the other so that text inside a row's strings (a chapter
    # that quotes "INSERT INTO") is never taken for a statement.
    pattern = re.compile(r"\b(CREATE\s+TABLE|INSERT\s+(?:IGNORE\s+)?INTO)\b", re.I)
    try:
        while match := pattern.search(text, position):
            statement = match.start()
            if match.group(1).upper().startswith("CREATE"):
                table, columns, position = _create_columns(text, match.start())
                if table:
                    dump.columns[table] = columns
            else:
                position = _insert_rows(text, match.start(), dump)
            # Always move past this statement's keyword, so a malformed statement can't make
            # the search find it again forever (the fuzzer found such a dump).
            position = max(position, match.end())
    except (ValueError, IndexError) as exc:
        line = text.count("\n", 0, statement) + 1
        raise ImportRefused(f"The dump can't be read near line {line}: {exc}.") from None
    return dump

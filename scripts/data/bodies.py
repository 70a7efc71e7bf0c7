#!/usr/bin/env python3
"""Today's directory of public bodies: the government named on 23 January 2026 and fifteen other
bodies citizens write to, from bodies.csv in ../shared/data/cote-divoire (each row with the page
it comes from, its date, a quote and how sure the title is; SOURCES.md there), merged with the
ten bodies of the 2019 guide (schema/seed/01_bodies.sql, whose ids requests, staff and API keys
already point at).

Writes schema/seed/12_bodies.sql. Never invents a contact: a blank cell stays blank (the
directory then says «Contact non communiqué»), and a guide body keeps the guide's numbers (the
directory dials them today with the 27 prefix of 2021).

How the guide's bodies meet the government of 2026 (GUIDE below, with the reason of each):
  * «same»: the same ministry; the entry takes the 2026 title, holder and source, and keeps
    the guide's contacts.
  * «renamed»: the ministry became another; its successor carries the guide body (same id, same
    requests) and keeps the old name as «anciennement …», so that either name finds it.
Ministres délégués are not bodies of their own unless a source gives them an administration of
their own (DELEGATES below).

    python3 scripts/data/bodies.py [data folder]   # default ../shared/data/cote-divoire
"""
import csv
import hashlib
import json
import pathlib
import re
import sys
import unicodedata

from seeded import ROOT, fold, ledger, sql

DATA = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ROOT.parent / "shared/data/cote-divoire")
GOVERNMENT = "2026-01-23"
GUIDE_SOURCE = "Guide de l'utilisateur Miliê, front-office (4 février 2019), « Contact des organismes publics »"
GUIDE_DATE = "2019-02-04"

# guide slug -> (the 2026 row's name, «same» or «renamed», why)
GUIDE = {
    "budget-portefeuille-etat": (
        "Ministère des Finances et du Budget",
        "renamed",
        "Le budget, premier titre du ministère de 2019, relève en 2026 du ministère des Finances et du Budget ; "
        "le portefeuille de l'État a son propre ministère (du Portefeuille de l'État et des Entreprises publiques), "
        "qu'une recherche « portefeuille » trouve aussi.",
    ),
    "defense": (
        "Vice-Premier Ministre, Ministre de la Défense",
        "renamed",
        "Le même ministère, qui n'est plus un ministère d'État : son ministre est en 2026 vice-Premier ministre.",
    ),
    "affaires-etrangeres": (
        "Ministère d'État, Ministère des Affaires étrangères et de la Coopération internationale",
        "renamed",
        "Le ministère des Affaires étrangères, devenu ministère d'État et chargé aussi de la Coopération internationale.",
    ),
    "enseignement-superieur-recherche": (
        "Ministère de l'Enseignement supérieur et de la Recherche scientifique",
        "same",
        "Le même intitulé.",
    ),
    "education-nationale": (
        "Ministère de l'Éducation nationale, de l'Alphabétisation et de l'Enseignement technique",
        "renamed",
        "Le ministère de l'Éducation nationale, chargé en 2026 de l'Alphabétisation et de l'Enseignement technique.",
    ),
    "justice-droits-homme": (
        "Ministère de la Justice et des Droits de l'Homme (Garde des Sceaux)",
        "same",
        "Le même intitulé, dans un autre ordre.",
    ),
    "interieur-securite": ("Ministère de l'Intérieur et de la Sécurité", "same", "Le même intitulé."),
    "eaux-forets": ("Ministère des Eaux et Forêts", "same", "Le même intitulé."),
    "integration-africaine-ivoiriens-exterieur": (
        "Ministre délégué auprès du Ministre d'État, chargé de l'Intégration africaine et des Ivoiriens de l'extérieur",
        "renamed",
        "En 2026 l'Intégration africaine et les Ivoiriens de l'extérieur sont confiés à un ministre délégué auprès du "
        "ministre d'État des Affaires étrangères ; le ministère de 2019 avait son administration (Cité administrative, "
        "Tour B, les numéros du guide), qui continue sous ce titre : le seul ministre délégué gardé comme organisme.",
    ),
    "agriculture-developpement-rural": (
        "Ministère de l'Agriculture, du Développement rural et des Productions vivrières",
        "renamed",
        "Le ministère de l'Agriculture et du Développement rural, chargé en 2026 des Productions vivrières.",
    ),
}
# Ministres délégués left out: each works inside the ministry named, which carries the portfolio in its title.
DELEGATES = {
    "Ministre délégué auprès du Ministre des Transports et des Affaires maritimes, chargé des Affaires maritimes":
        "Ministère des Transports et des Affaires maritimes",
    "Ministre délégué auprès du Ministre de l'Éducation nationale, chargé de l'Enseignement technique":
        "Ministère de l'Éducation nationale, de l'Alphabétisation et de l'Enseignement technique",
    "Ministre délégué (auprès du Ministre de l'Agriculture), chargé des Productions vivrières":
        "Ministère de l'Agriculture, du Développement rural et des Productions vivrières",
}
# Words of a phone cell that are not a number: left out of the numbers (the row's evidence keeps them).
NOT_NUMBERS = {"plateforme Signalis": "the name of HABG's online reporting platform, not a phone number"}


def slugify(name):
    """As `domain::body::slugify`: folded, non-alphanumerics to one dash, at most 80 characters."""
    s = unicodedata.normalize("NFD", name.replace("’", "'"))
    s = "".join(c for c in s if unicodedata.category(c) != "Mn").lower()
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")[:80].rstrip("-")


def split_cell(cell):
    """Items separated by «;», «/» or «,» outside parentheses, as `domain::body::parse_phones`."""
    items, depth, current = [], 0, ""
    for c in cell:
        depth += c == "("
        depth -= c == ")"
        if depth == 0 and c in ";/,":
            items.append(current)
            current = ""
        else:
            current += c
    return [i.strip() for i in items + [current] if i.strip()]


def parse_phone(item):
    """One number as `domain::body::parse_phone` reads it: (display, number to dial, note)."""
    m = re.fullmatch(r"([+\d][\d .\-]*\d)\s*(?:\(([^()]*)\))?", item)
    if not m:
        return None
    printed, note = m[1].strip(), (m[2] or "").strip()
    digits = re.sub(r"\D", "", printed)
    if printed.startswith("+"):
        if digits.startswith("225"):
            dial = "+" + digits if len(digits) == 13 else None
        else:
            dial = "+" + digits if 8 <= len(digits) <= 15 else None
    elif len(digits) == 10:
        dial = "+225" + digits
    elif len(digits) == 8 and digits[0] == "2":
        dial = "+22527" + digits
    elif len(digits) == 8 and digits.startswith("800") or 3 <= len(digits) <= 4:
        dial = digits
    else:
        dial = None
    return dial and {"display": printed, "e164": dial, **({"note": note} if note else {})}


def phones_of(cell, name):
    out = []
    for item in split_cell(cell):
        if item in NOT_NUMBERS:
            continue
        phone = parse_phone(item)
        if phone is None:
            sys.exit(f"{name}: «{item}» is not a phone number (add it to NOT_NUMBERS with the reason)")
        out.append(phone)
    return out


def guide_bodies():
    text = (ROOT / "schema/seed/01_bodies.sql").read_text()
    rows = re.findall(r"\('([a-z-]+)',\n   '((?:[^']|'')*)',\n   '(\[[^']*\])',\n   '((?:[^']|'')*)'\)", text)
    return {slug: (name.replace("''", "'"), json.loads(phones), location.replace("''", "'")) for slug, name, phones, location in rows}


def main():
    rows = list(csv.DictReader((DATA / "bodies.csv").open(encoding="utf-8")))
    guide = guide_bodies()
    if set(guide) != set(GUIDE):
        sys.exit(f"01_bodies.sql and GUIDE differ: {sorted(set(guide) ^ set(GUIDE))}")
    by_name = {r["name"]: r for r in rows}
    for slug, (name, *_ ) in GUIDE.items():
        if name not in by_name:
            sys.exit(f"{slug}: bodies.csv has no row «{name}»")
    for name, ministry in DELEGATES.items():
        if name not in by_name or ministry not in by_name:
            sys.exit(f"DELEGATES: bodies.csv has no row «{name}» or «{ministry}»")
    carried = {GUIDE[s][0]: s for s in GUIDE}

    entries = []
    for r in rows:
        if r["name"] in DELEGATES:
            continue
        government = GOVERNMENT if fold(r["kind"]).startswith(("gouvernement", "primature")) else ""
        entry = {
            "name": r["name"], "acronym": r["acronym"], "kind": r["kind"], "holder": r["holder"],
            "website": r["website"], "phones": phones_of(r["phone"], r["name"]), "email": r["email"],
            "location": r["address"], "source": r["source"], "source_date": r["source_date"],
            "evidence": r["evidence"], "confidence": r["confidence"], "government": government,
            "former": [], "contacts_source": "",
        }
        slug = carried.get(r["name"])
        if slug:
            old_name, phones, location = guide[slug]
            _, relation, _ = GUIDE[slug]
            if r["phone"] or r["email"]:
                sys.exit(f"{slug}: both the guide and bodies.csv give contacts; decide which to keep")
            entry["phones"] = phones
            sources = ["téléphones et localisation : " + GUIDE_SOURCE]
            if r["address"]:
                entry["location"] = f"{location} ; {r['address']}"
                sources.append(f"« {r['address']} » : {r['source']} ({r['source_date']})")
            else:
                entry["location"] = location
            entry["contacts_source"] = " ; ".join(sources)
            entry["former"] = [old_name] if relation == "renamed" else []
            entry["slug"] = slug
        else:
            entry["slug"] = slugify(r["name"])
            if r["phone"] or r["email"] or r["address"] or r["website"]:
                entry["contacts_source"] = f"{r['source']} ({r['source_date'] or 'non datée'})"
        entries.append(entry)
    slugs = [e["slug"] for e in entries]
    if len(set(slugs)) != len(slugs):
        sys.exit("two bodies with one slug")

    columns = ["slug", "name", "acronym", "kind", "holder", "website", "phones", "email", "location",
               "source", "source_date", "evidence", "confidence", "government", "former_names", "contacts_source"]

    def values(e):
        cells = [e["slug"], e["name"], e["acronym"], e["kind"], e["holder"], e["website"],
                 json.dumps(e["phones"], ensure_ascii=False, separators=(",", ":")), e["email"], e["location"],
                 e["source"], e["source_date"], e["evidence"], e["confidence"], e["government"],
                 json.dumps(e["former"], ensure_ascii=False, separators=(",", ":")), e["contacts_source"]]
        return "  (" + ", ".join(sql(c) for c in cells) + ")"

    body = (
        f"WITH v({', '.join(columns)}) AS (VALUES\n"
        + ",\n".join(values(e) for e in entries)
        + "\n)\nINSERT INTO bodies (" + ", ".join(columns) + ", updated_at)\n"
        "SELECT " + ", ".join(f"v.{c}" for c in columns[:7]) + ", nullif(v.email, ''), "
        + ", ".join(f"v.{c}" for c in columns[8:]) + ", unixepoch() * 1000 FROM v WHERE @once\n"
        "ON CONFLICT (slug) DO UPDATE SET\n  "
        + ",\n  ".join(f"{c} = excluded.{c}" for c in columns[1:])
        + ",\n  active = 1, updated_at = excluded.updated_at;\n"
    )
    mapping = "".join(
        f"--   {slug}: «{guide[slug][0]}» → {relation}: «{name}». {why}\n" for slug, (name, relation, why) in GUIDE.items()
    )
    delegates = "".join(f"--   «{d}» (within «{m}»)\n" for d, m in DELEGATES.items())
    left_out = "".join(f"--   «{w}»: {why}\n" for w, why in NOT_NUMBERS.items())
    government = sum(1 for e in entries if e["government"])
    header = (
        "-- Today's directory of public bodies, generated by scripts/data/bodies.py from bodies.csv in\n"
        "-- ../shared/data/cote-divoire (sha256 " + hashlib.sha256((DATA / "bodies.csv").read_bytes()).hexdigest()[:16] + "; SOURCES.md there): the government named by\n"
        "-- the decree of 23 January 2026 and fifteen other bodies, each with the page it comes from (source),\n"
        "-- that page's date as given (source_date; blank when the page is undated), a quote (evidence) and how\n"
        "-- sure its title is (confidence). Facts only (names, titles, public contact points); a blank contact\n"
        "-- stays blank.\n"
        f"-- {len(entries)} bodies ({government} of the government of {GOVERNMENT}); the guide's ten keep their ids, slugs and\n"
        "-- contacts (contacts_source says where each contact comes from):\n" + mapping
        + "-- Ministres délégués not listed as bodies (no administration of their own in the sources):\n" + delegates
        + "-- Left out of the phone numbers:\n" + left_out
        + "-- Applied once per database (seed_ledger), and again only when this file changes: what\n"
        "-- administrators change afterwards (Administration › Organismes) stays theirs.\n\n"
    )
    (ROOT / "schema/seed/12_bodies.sql").write_text(header + ledger("12_bodies", body))
    print(f"{len(entries)} bodies, {government} of the government; guide bodies carried: {len(GUIDE)}", file=sys.stderr)


if __name__ == "__main__":
    main()

//! Comparing a places' file with the directory: which place each line is (its slug, else its
//! P-code, else its kind, name and parent), its parent among the file's lines, what changes, what
//! the file leaves out (closed).

use std::collections::{HashMap, HashSet};

use super::places::{looks_like_pcode, Existing, PlaceFile, Plan, Write};
use super::{LineError, Problem};
use crate::domain::body::slugify;
use crate::domain::directory::PlaceKind;
use crate::domain::text::fold;

fn fits(kind: PlaceKind, parent: PlaceKind, parent_pcode: bool) -> bool {
    use PlaceKind::*;
    match kind {
        District => false,
        Region => parent == District,
        Departement => parent == Region || (parent == District && parent_pcode),
        SousPrefecture => parent == Departement,
        Commune => matches!(parent, Departement | Region | District),
        Locality => parent != Locality,
    }
}

fn prefix(kind: PlaceKind) -> &'static str {
    match kind {
        PlaceKind::SousPrefecture => "sous-prefecture",
        k => k.as_str(),
    }
}

/// Compares a file with the directory. Each line is the place its slug, else its P-code, else
/// its kind, name and parent name; the others are added (with a new slug). Parents are lines of
/// the file, named by P-code, slug or (older files) name.
pub fn plan(file: &PlaceFile, existing: &[Existing]) -> Result<Plan, Vec<LineError>> {
    let mut errors = Vec::new();
    let by_slug: HashMap<&str, &Existing> = existing.iter().map(|e| (e.slug.as_str(), e)).collect();
    let by_pcode: HashMap<&str, &Existing> =
        existing.iter().filter_map(|e| Some((e.pcode.as_deref()?, e))).collect();
    let by_id: HashMap<i64, &Existing> = existing.iter().map(|e| (e.id, e)).collect();
    // Lines by P-code and slug, duplicates named.
    let mut line_pcode: HashMap<&str, usize> = HashMap::new();
    let mut line_slug: HashMap<&str, usize> = HashMap::new();
    let mut line_name: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, l) in file.lines.iter().enumerate() {
        for (what, key, map) in [
            ("pcode", l.pcode.as_deref(), &mut line_pcode),
            ("slug", l.slug.as_deref(), &mut line_slug),
        ] {
            if let Some(key) = key {
                if let Some(first) = map.insert(key, i) {
                    let first_line = file.lines[first].line;
                    errors.push(LineError::new(
                        l.line,
                        Problem::Duplicate { what, value: key.to_owned(), first_line },
                    ));
                }
            }
        }
        line_name.entry(fold(&l.name)).or_default().push(i);
    }
    // Each line's parent: a line of the file.
    let mut parents: Vec<Option<usize>> = vec![None; file.lines.len()];
    for (i, l) in file.lines.iter().enumerate() {
        let Some(reference) = l.parent.as_deref() else { continue };
        let found = if looks_like_pcode(reference) {
            line_pcode.get(reference).copied().ok_or(Problem::UnknownPcode(reference.to_owned()))
        } else if let Some(&j) = line_slug.get(reference) {
            Ok(j)
        } else {
            let named: Vec<usize> = line_name
                .get(&fold(reference))
                .into_iter()
                .flatten()
                .copied()
                .filter(|&j| j != i)
                .collect();
            let fitting =
                |&j: &usize| fits(l.kind, file.lines[j].kind, file.lines[j].pcode.is_some());
            let mut candidates: Vec<usize> = named.iter().copied().filter(fitting).collect();
            if candidates.is_empty() {
                // Named, but of a kind it cannot belong to: said as such below.
                candidates.extend(named.first());
            }
            // The slug of a place already there that the file carries without its slug column.
            let slugged = by_slug.get(reference).and_then(|e| {
                file.lines.iter().position(|o| o.pcode.is_some() && o.pcode == e.pcode)
            });
            match (candidates.as_slice(), slugged) {
                ([j], _) => Ok(*j),
                ([], Some(j)) => Ok(j),
                ([], None) => Err(Problem::UnknownParent(reference.to_owned())),
                _ => Err(Problem::AmbiguousParent(reference.to_owned())),
            }
        };
        match found {
            Ok(j) => {
                let p = &file.lines[j];
                if !fits(l.kind, p.kind, p.pcode.is_some()) {
                    errors.push(LineError::new(
                        l.line,
                        Problem::ParentKind { kind: l.kind.as_str(), parent: p.kind.as_str() },
                    ));
                } else if let (Some(c), Some(pp)) = (&l.pcode, &p.pcode) {
                    if !c.starts_with(pp.as_str()) {
                        errors.push(LineError::new(
                            l.line,
                            Problem::PcodeOutside { pcode: c.clone(), parent: pp.clone() },
                        ));
                    }
                }
                parents[i] = Some(j);
            }
            Err(problem) => errors.push(LineError::new(l.line, problem)),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    // Which place each line is, parents before children (lines name parents of any rank).
    let mut slugs: Vec<Option<String>> = vec![None; file.lines.len()];
    let mut matched: HashMap<i64, u64> = HashMap::new();
    let mut taken: HashSet<String> = existing.iter().map(|e| e.slug.clone()).collect();
    let mut order: Vec<usize> = (0..file.lines.len()).collect();
    order.sort_by_key(|&i| depth(&parents, i));
    let mut found: Vec<Option<&Existing>> = vec![None; file.lines.len()];
    let by_name: HashMap<(PlaceKind, String, Option<&str>), &Existing> = existing
        .iter()
        .map(|e| {
            let parent = e.parent.and_then(|id| by_id.get(&id)).map(|p| p.slug.as_str());
            ((e.kind, fold(&e.name), parent), e)
        })
        .collect();
    for &i in &order {
        let l = &file.lines[i];
        let parent_slug = parents[i].and_then(|j| slugs[j].clone());
        let current = l
            .slug
            .as_deref()
            .and_then(|s| by_slug.get(s).copied())
            .or_else(|| l.pcode.as_deref().and_then(|p| by_pcode.get(p).copied()))
            .or_else(|| by_name.get(&(l.kind, fold(&l.name), parent_slug.as_deref())).copied());
        if let Some(e) = current {
            if let Some(first) = matched.insert(e.id, l.line) {
                errors.push(LineError::new(l.line, Problem::SameEntry { first_line: first }));
                continue;
            }
            if let (Some(p), Some(other)) =
                (&l.pcode, l.pcode.as_deref().and_then(|p| by_pcode.get(p)))
            {
                if other.id != e.id {
                    errors.push(LineError::new(
                        l.line,
                        Problem::PcodeTaken { pcode: p.clone(), by: other.name.clone() },
                    ));
                    continue;
                }
            }
            slugs[i] = Some(e.slug.clone());
            found[i] = Some(e);
        } else {
            if let Some(p) = l.pcode.as_deref().filter(|p| by_pcode.contains_key(p)) {
                errors.push(LineError::new(
                    l.line,
                    Problem::PcodeTaken { pcode: p.to_owned(), by: by_pcode[p].name.clone() },
                ));
                continue;
            }
            let base = l
                .slug
                .clone()
                .unwrap_or_else(|| format!("{}-{}", prefix(l.kind), slugify(&l.name)));
            let mut slug = base.clone();
            let mut n = 1;
            while taken.contains(&slug) {
                n += 1;
                slug = format!("{base}-{n}");
            }
            taken.insert(slug.clone());
            slugs[i] = Some(slug);
        }
    }
    // The same name twice under one parent.
    let mut seen: HashMap<(PlaceKind, String, Option<String>), u64> = HashMap::new();
    for (i, l) in file.lines.iter().enumerate() {
        if errors.iter().any(|e| e.line == l.line) {
            continue;
        }
        let key = (l.kind, fold(&l.name), parents[i].and_then(|j| slugs[j].clone()));
        if let Some(first) = seen.insert(key, l.line) {
            errors.push(LineError::new(
                l.line,
                Problem::Duplicate { what: "name", value: l.name.clone(), first_line: first },
            ));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let has = |c: &str| file.columns.contains(&c);
    let mut plan = Plan::default();
    for (i, l) in file.lines.iter().enumerate() {
        let slug = slugs[i].clone().unwrap_or_default();
        let parent = parents[i].and_then(|j| slugs[j].clone());
        match found[i] {
            None => plan.added.push(Write {
                slug,
                kind: l.kind,
                name: l.name.clone(),
                parent,
                pcode: l.pcode.clone(),
                lat: l.position.map(|p| p.lat),
                lon: l.position.map(|p| p.lon),
                point: l.point,
            }),
            Some(e) => {
                let keep_position = !has("latitude");
                let write = Write {
                    slug,
                    kind: l.kind,
                    name: l.name.clone(),
                    parent,
                    pcode: if has("pcode") { l.pcode.clone() } else { e.pcode.clone() },
                    lat: if keep_position { e.lat } else { l.position.map(|p| p.lat) },
                    lon: if keep_position { e.lon } else { l.position.map(|p| p.lon) },
                    point: if has("point") { l.point } else { e.point },
                };
                let before_parent = e.parent.and_then(|id| by_id.get(&id)).map(|p| p.slug.clone());
                let mut fields = Vec::new();
                for (field, differs) in [
                    ("type", write.kind != e.kind),
                    ("nom", write.name != e.name),
                    ("rattachement", write.parent != before_parent),
                    ("pcode", write.pcode != e.pcode),
                    ("position", write.lat != e.lat || write.lon != e.lon),
                    ("point", write.point != e.point),
                ] {
                    if differs {
                        fields.push(field);
                    }
                }
                if fields.is_empty() && e.active {
                    plan.unchanged += 1;
                } else {
                    plan.changed.push((write, e.name.clone(), fields, !e.active));
                }
            }
        }
    }
    plan.closed = existing
        .iter()
        .filter(|e| e.active && !matched.contains_key(&e.id))
        .map(|e| (e.slug.clone(), e.name.clone(), e.kind))
        .collect();
    Ok(plan)
}

/// How many parents a line has in the file (a cycle counts as deep, and is caught by the kinds).
fn depth(parents: &[Option<usize>], mut i: usize) -> usize {
    let mut n = 0;
    while let Some(j) = parents[i] {
        n += 1;
        if n > 8 {
            break;
        }
        i = j;
    }
    n
}

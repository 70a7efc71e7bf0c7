//! The directory submissions are checked against (active bodies, themes, places, the citizen
//! channels), kept in the isolate's memory between requests. D1 holds a version stamp that
//! triggers bump on every change; it is read in the same batch as the rate-limit counter, and a
//! moved stamp means reading the directory again (and validating again) before anything is stored.

use std::cell::RefCell;
use std::rc::Rc;

use crate::app::store::Store;
use crate::domain::area::{Areas, Territory};
use crate::domain::directory::RefIndex;
use crate::domain::gazetteer::Gazetteer;
use crate::domain::geo::Border;

pub struct Snapshot {
    pub version: i64,
    pub index: RefIndex,
}

thread_local! {
    // An isolate runs one JavaScript thread: this is per isolate, shared by its requests.
    static CURRENT: RefCell<Option<Rc<Snapshot>>> = const { RefCell::new(None) };
    static PLACES: RefCell<Option<(i64, Rc<Gazetteer>)>> = const { RefCell::new(None) };
    // Read once: Some(None) remembers that no usable border is seeded (logged once, not re-read).
    static BORDER: RefCell<Option<Option<Rc<Border>>>> = const { RefCell::new(None) };
    static AREAS: RefCell<Option<Option<Rc<Areas>>>> = const { RefCell::new(None) };
}

/// The directory as last read by this isolate, reading it on first use.
pub async fn current(store: &Store) -> worker::Result<Rc<Snapshot>> {
    if let Some(snapshot) = CURRENT.with(|c| c.borrow().clone()) {
        return Ok(snapshot);
    }
    reload(store).await
}

/// Reads the directory again (its version stamp moved, or none was read yet).
pub async fn reload(store: &Store) -> worker::Result<Rc<Snapshot>> {
    let (version, index) = store.ref_index().await?;
    let snapshot = Rc::new(Snapshot { version, index });
    CURRENT.with(|c| *c.borrow_mut() = Some(snapshot.clone()));
    Ok(snapshot)
}

/// Every place (thousands, with the localities) and its parents, as this isolate last read them:
/// one read of the version stamp per call, the list itself only when the stamp moved. Derefs to
/// the places one can choose.
pub async fn places(store: &Store) -> worker::Result<Rc<Gazetteer>> {
    if let Some((version, places)) = PLACES.with(|p| p.borrow().clone()) {
        if store.directory_version().await? == version {
            return Ok(places);
        }
    }
    let (version, places) = store.all_places().await?;
    let places = Rc::new(places);
    PLACES.with(|p| *p.borrow_mut() = Some((version, places.clone())));
    Ok(places)
}

/// What tells where a position is: the border and the sous-préfectures' polygons, each read once
/// per isolate (they change only with the seeds, which a deploy applies before new isolates start).
pub async fn territory(store: &Store) -> Territory {
    Territory { border: border(store).await, areas: areas(store).await }
}

/// The polygons, read once per isolate like the border: none when none is seeded (remembered),
/// or when D1 fails (tried again next call); a position is then told by distance alone.
async fn areas(store: &Store) -> Option<Rc<Areas>> {
    if let Some(known) = AREAS.with(|a| a.borrow().clone()) {
        return known;
    }
    match store.areas().await {
        Ok((areas, bad)) => {
            if bad > 0 || areas.is_empty() {
                worker::console_error!(
                    "areas: {} polygons read, {bad} left out (their ring does not parse)",
                    areas.len()
                );
            }
            let areas = (!areas.is_empty()).then(|| Rc::new(areas));
            AREAS.with(|a| *a.borrow_mut() = Some(areas.clone()));
            areas
        }
        Err(e) => {
            worker::console_error!("areas: {e}");
            None
        }
    }
}

/// Côte d'Ivoire's border, read once per isolate (it changes only with the seed, which a deploy
/// applies before new isolates start). None when none is seeded or it does not parse (remembered),
/// or when D1 fails (tried again next call): positions are then told by the bounding box and the
/// distance rule.
async fn border(store: &Store) -> Option<Rc<Border>> {
    if let Some(known) = BORDER.with(|b| b.borrow().clone()) {
        return known;
    }
    match store.border().await {
        Ok(border) => {
            if border.is_none() {
                worker::console_error!(
                    "border: no ring seeded, or it does not parse; abroad is told by distance"
                );
            }
            let border = border.map(Rc::new);
            BORDER.with(|b| *b.borrow_mut() = Some(border.clone()));
            border
        }
        Err(e) => {
            worker::console_error!("border: {e}");
            None
        }
    }
}

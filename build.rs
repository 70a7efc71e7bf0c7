//! Fingerprints the static assets pages link to (CSS, JS, images): each gets a copy named after
//! its content hash under `public/assets/`, served with immutable caching, and the names are
//! compiled in (`OUT_DIR/assets.rs`). A script may be a bundle of several sources (joined in
//! order, full-line comments left out). `public/` (Static Assets' directory) is `static/` plus
//! those copies, plus the files written from a template here: the service worker (`/sw.js`, the
//! bundle of its sources headed by the build's version and the shell's hashed names) and the
//! offline page (`/hors-ligne`, linking the hashed stylesheet). It is generated, never edited.

use std::fs;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// (const name, file name under `/assets/` before the hash, sources under static/), in the order
/// they are written (a bundle may name one written before it).
const FINGERPRINTED: &[(&str, &str, &[&str])] = &[
    ("CSS", "milie.css", &["css/milie.css"]),
    // The form's enhancements and its voice recorder.
    ("SUBMIT_JS", "submit.js", &["js/submit.js", "js/voice.js"]),
    // The citizen's form: the drafts kept on the device, loaded by APP_JS when the device holds
    // one or the citizen starts typing (so before APP_JS, which is headed by its name).
    ("DRAFTS_JS", "drafts.js", &["js/drafts.js"]),
    // Every citizen page: the service worker's registration and what it reports.
    ("APP_JS", "app.js", &["js/store.js", "js/app.js"]),
    ("VIDEO_POSTER", "video-poster.webp", &["img/video-poster.webp"]),
];

/// The service worker's sources, after its generated head.
const SERVICE_WORKER: &[&str] = &["js/store.js", "js/outbox.js", "js/sw.js"];

/// What the service worker's version covers besides static/: what shapes the pages it keeps.
const VERSIONED_SOURCES: &[&str] = &["src/templates", "src/i18n"];

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create public/");
    for entry in fs::read_dir(from).expect("read static/") {
        let entry = entry.expect("static/ entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("copy static file");
        }
    }
}

/// Every file under `dir`, sorted, for hashing.
fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn hex(bytes: &[u8], n: usize) -> String {
    bytes.iter().take(n).map(|b| format!("{b:02x}")).collect()
}

/// The sources joined; in a bundle of scripts, lines that are only a `//` comment are left out
/// and the others lose their indentation (what they say and how they line up is for the reader of
/// static/, not for the phone that downloads them; no string of ours spans two lines).
fn bundle(static_dir: &Path, sources: &[&str]) -> Vec<u8> {
    let read =
        |file: &str| fs::read(static_dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    if sources.len() == 1 && !sources[0].ends_with(".js") {
        return read(sources[0]);
    }
    let mut out = String::new();
    for file in sources {
        let text = String::from_utf8(read(file)).expect("scripts are UTF-8");
        for line in text.lines() {
            let trimmed = line.trim_start();
            if trimmed.is_empty() || trimmed.starts_with("//") {
                continue;
            }
            out.push_str(trimmed);
            out.push('\n');
        }
    }
    out.into_bytes()
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("manifest dir"));
    let (static_dir, public) = (root.join("static"), root.join("public"));
    println!("cargo:rerun-if-changed=static");
    for dir in VERSIONED_SOURCES {
        println!("cargo:rerun-if-changed={dir}");
    }
    let _ = fs::remove_dir_all(&public);
    copy_tree(&static_dir, &public);
    fs::create_dir_all(public.join("assets")).expect("create public/assets");
    let mut consts = String::new();
    let mut names = Vec::new();
    for (name, file, sources) in FINGERPRINTED {
        let mut bytes = bundle(&static_dir, sources);
        if *name == "APP_JS" {
            let drafts = &names.iter().find(|(n, _)| *n == "DRAFTS_JS").expect("drafts first").1;
            bytes.splice(0..0, format!("var DRAFTS = '{drafts}';\n").into_bytes());
        }
        let hash = hex(&Sha256::digest(&bytes), 6);
        let path = Path::new(file);
        let stem = path.file_stem().and_then(|s| s.to_str()).expect("stem");
        let ext = path.extension().and_then(|s| s.to_str()).expect("extension");
        let hashed = format!("/assets/{stem}.{hash}.{ext}");
        fs::write(public.join(hashed.trim_start_matches('/')), &bytes)
            .expect("write fingerprinted copy");
        consts.push_str(&format!("pub const {name}: &str = \"{hashed}\";\n"));
        names.push((*name, hashed));
    }
    let asset = |name: &str| names.iter().find(|(n, _)| *n == name).expect("asset").1.clone();

    // The version: everything static/ holds and what the pages are made of. A deployment that
    // changes any of it changes the service worker's bytes, so browsers install the new one,
    // which drops the caches of the old.
    let mut inputs = Vec::new();
    files_under(&static_dir, &mut inputs);
    for dir in VERSIONED_SOURCES {
        files_under(&root.join(dir), &mut inputs);
    }
    inputs.sort();
    let mut version = Sha256::new();
    for file in &inputs {
        let relative = file.strip_prefix(&root).unwrap_or(file);
        version.update(relative.to_string_lossy().as_bytes());
        version.update(fs::read(file).expect("read versioned source"));
    }
    let version = hex(&version.finalize(), 6);

    // The offline page links the hashed stylesheet (the one the service worker keeps).
    let offline = fs::read_to_string(static_dir.join("hors-ligne.html")).expect("hors-ligne.html");
    fs::write(public.join("hors-ligne.html"), offline.replace("{{CSS}}", &asset("CSS")))
        .expect("write hors-ligne.html");

    let head = format!(
        "'use strict';\nvar VERSION = '{version}';\nvar SHELL = ['{css}'];\n",
        css = asset("CSS")
    );
    let mut worker = head.into_bytes();
    worker.extend(bundle(&static_dir, SERVICE_WORKER));
    fs::write(public.join("sw.js"), worker).expect("write sw.js");

    let out = PathBuf::from(std::env::var("OUT_DIR").expect("out dir"));
    fs::write(out.join("assets.rs"), consts).expect("write assets.rs");
}

//! Fingerprints the static assets pages link to (CSS, JS, images): each gets a copy named after
//! its content hash under `public/assets/`, served with immutable caching, and the names are
//! compiled in (`OUT_DIR/assets.rs`). `public/` (Static Assets' directory) is `static/` plus those
//! copies; it is generated, never edited.

use std::fs;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// (const name, file under static/).
const FINGERPRINTED: &[(&str, &str)] = &[
    ("CSS", "css/milie.css"),
    ("SUBMIT_JS", "js/submit.js"),
    ("VIDEO_POSTER", "img/video-poster.webp"),
];

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

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("manifest dir"));
    let (static_dir, public) = (root.join("static"), root.join("public"));
    println!("cargo:rerun-if-changed=static");
    let _ = fs::remove_dir_all(&public);
    copy_tree(&static_dir, &public);
    fs::create_dir_all(public.join("assets")).expect("create public/assets");
    let mut consts = String::new();
    for (name, file) in FINGERPRINTED {
        let bytes =
            fs::read(static_dir.join(file)).unwrap_or_else(|e| panic!("static/{file}: {e}"));
        let hash: String =
            Sha256::digest(&bytes).iter().take(6).map(|b| format!("{b:02x}")).collect();
        let path = Path::new(file);
        let stem = path.file_stem().and_then(|s| s.to_str()).expect("stem");
        let ext = path.extension().and_then(|s| s.to_str()).expect("extension");
        let hashed = format!("{stem}.{hash}.{ext}");
        fs::write(public.join("assets").join(&hashed), &bytes).expect("write fingerprinted copy");
        consts.push_str(&format!("pub const {name}: &str = \"/assets/{hashed}\";\n"));
    }
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("out dir"));
    fs::write(out.join("assets.rs"), consts).expect("write assets.rs");
}

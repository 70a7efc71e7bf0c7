//! What the submission form offers and keeps: the themes of a body, the places, the files
//! already staged. Plain values the store reads and the views show.

/// One theme of the list, as the form shows it.
#[derive(Debug, Clone)]
pub struct ThemeOption {
    pub id: i64,
    pub category: String,
    pub label: String,
}

/// A place of Côte d'Ivoire with the district/region it is listed under.
#[derive(Debug, Clone)]
pub struct PlaceOption {
    pub id: i64,
    pub name: String,
    pub group: String,
}

/// A file already uploaded with this form (kept across review and error pages).
#[derive(Debug, Clone)]
pub struct StagedFile {
    pub id: i64,
    pub name: String,
    pub size: i64,
}

impl StagedFile {
    pub fn size_label(&self) -> String {
        size_label(self.size)
    }
}

/// A size as the forms print it: «1,5 Mo», «12 Ko».
pub fn size_label(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} Mo", bytes as f64 / (1024.0 * 1024.0)).replace('.', ",")
    } else {
        format!("{} Ko", (bytes + 1023) / 1024)
    }
}

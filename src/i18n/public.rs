//! Strings of the public pages every worker shows: the footer's links. The statistics and the
//! information pages' own words (guide, about, personal data, video) are the back office's
//! (`i18n::info`), which serves those pages.

#[derive(Debug)]
pub struct PublicTexts {
    pub stats_open_data: &'static str,
    pub privacy_link: &'static str,
}

pub const FR: PublicTexts = PublicTexts {
    stats_open_data: "Données ouvertes",
    privacy_link: "Données personnelles et conditions d'utilisation",
};

pub const EN: PublicTexts =
    PublicTexts { stats_open_data: "Open data", privacy_link: "Personal data and terms of use" };

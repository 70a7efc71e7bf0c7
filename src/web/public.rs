//! Views of the public pages: statistics (with server-drawn SVG charts), informations, the guide,
//! about and personal data.

use askama::Template;

use super::Chrome;
use crate::domain::nature::Nature;
use crate::domain::stats::{Count, Durations, Summary};
use crate::i18n::Texts;

/// Rows a breakdown shows on the page; the open data has them all.
pub const MAX_ROWS: usize = 12;

pub struct Bar {
    pub label: String,
    /// «12», or «moins de 5».
    pub shown: String,
    /// Bar length in the chart's units (0–200); suppressed counts get a short dashed bar.
    pub width: i64,
    pub suppressed: bool,
    pub y: usize,
}

pub struct Chart {
    pub id: &'static str,
    pub title: &'static str,
    pub bars: Vec<Bar>,
    /// Values beyond `MAX_ROWS`, left to the open data.
    pub hidden: usize,
}

impl Chart {
    pub const ROW: usize = 26;

    pub fn new(
        id: &'static str,
        title: &'static str,
        rows: Vec<(String, Count)>,
        t: &Texts,
    ) -> Chart {
        let max = rows.iter().filter_map(|(_, c)| c.exact()).max().unwrap_or(0).max(1);
        let hidden = rows.len().saturating_sub(MAX_ROWS);
        let bars = rows
            .into_iter()
            .take(MAX_ROWS)
            .enumerate()
            .map(|(i, (label, count))| match count {
                Count::Exact(n) => Bar {
                    label,
                    shown: n.to_string(),
                    width: (n * 200 / max).max(1),
                    suppressed: false,
                    y: i * Self::ROW,
                },
                Count::Suppressed => Bar {
                    label,
                    shown: t.info.stats_suppressed.to_owned(),
                    width: 8,
                    suppressed: true,
                    y: i * Self::ROW,
                },
            })
            .collect();
        Chart { id, title, bars, hidden }
    }

    pub fn height(&self) -> usize {
        self.bars.len() * Self::ROW
    }

    /// The label as drawn in the chart (the table has it whole).
    pub fn short(label: &str) -> String {
        if label.chars().count() <= 30 {
            label.to_owned()
        } else {
            format!("{}…", label.chars().take(29).collect::<String>())
        }
    }
}

pub fn count_text(c: Count, t: &Texts) -> String {
    match c {
        Count::Exact(n) => n.to_string(),
        Count::Suppressed => t.info.stats_suppressed.to_owned(),
    }
}

pub fn durations_text(d: Durations, t: &Texts) -> String {
    match (d.median, d.p90) {
        (Some(m), Some(p)) => t
            .info
            .stats_durations
            .replace("{median}", &m.to_string())
            .replace("{p90}", &p.to_string()),
        _ => t.info.stats_not_enough.to_owned(),
    }
}

pub fn percent_text(p: Option<i64>, t: &Texts) -> String {
    p.map_or_else(|| t.info.stats_not_enough.to_owned(), |p| format!("{p} %"))
}

pub fn nature_label(slug: &str, t: &Texts) -> String {
    Nature::parse(slug).map_or_else(|_| slug.to_owned(), |n| t.nature(n).to_owned())
}

pub fn stage_label(slug: &str, t: &Texts) -> String {
    match slug {
        "awaiting_triage" => t.track.stage_awaiting,
        "returned" => t.track.stage_returned,
        "in_treatment" => t.track.stage_in_treatment,
        "forwarded" => t.info.stage_forwarded,
        "taken_into_account" => t.info.stage_taken,
        "treated" => t.info.stage_treated,
        "closed" => t.track.stage_closed,
        "closed_without_verdict" => t.track.stage_closed_without,
        // Duplicates merged into another request: counted apart, never as answered.
        "merged" => {
            let en = std::ptr::eq(t, crate::i18n::Lang::En.texts());
            crate::i18n::track_merged_stage(if en {
                crate::i18n::Lang::En
            } else {
                crate::i18n::Lang::Fr
            })
        }
        other => return other.to_owned(),
    }
    .to_owned()
}

pub fn verdict_label(slug: &str, t: &Texts) -> String {
    match slug {
        "without_verdict" => t.info.verdict_without.to_owned(),
        other => crate::domain::stage::Verdict::parse(other)
            .map_or_else(|| other.to_owned(), |v| t.track.verdict(v).to_owned()),
    }
}

pub struct KeyFigure {
    pub label: &'static str,
    pub value: String,
}

/// One région or département with requests in the period.
pub struct AreaRow {
    pub name: String,
    pub pcode: String,
    pub count: String,
    pub on_time: String,
    pub median: String,
}

/// The table of the régions, or of the départements.
pub struct AreaTable {
    pub id: &'static str,
    pub title: &'static str,
    pub column: &'static str,
    pub rows: Vec<AreaRow>,
}

impl AreaTable {
    /// From the period's figures: each area with its name and P-code, largest first.
    pub fn new(
        (id, title, column): (&'static str, &'static str, &'static str),
        figures: Vec<crate::domain::stats::AreaFigures>,
        names: &std::collections::HashMap<String, (String, String)>,
        t: &Texts,
    ) -> AreaTable {
        let rows = figures
            .into_iter()
            .map(|f| {
                let (name, pcode) =
                    names.get(&f.id).cloned().unwrap_or((f.id.clone(), String::new()));
                AreaRow {
                    name,
                    pcode,
                    count: count_text(f.received, t),
                    on_time: percent_text(f.on_time_percent, t),
                    median: f.median_days.map_or_else(
                        || t.info.stats_not_enough.to_owned(),
                        |d| t.info.stats_durations_days.replace("{n}", &d.to_string()),
                    ),
                }
            })
            .collect();
        AreaTable { id, title, column, rows }
    }
}

#[derive(Template)]
#[template(path = "stats.html")]
pub struct StatsPage {
    pub c: Chrome,
    pub bodies: Vec<(i64, String)>,
    pub body: Option<i64>,
    pub from: String,
    pub to: String,
    pub period: String,
    pub bad_period: bool,
    pub computed: String,
    pub empty: bool,
    pub figures: Vec<KeyFigure>,
    pub charts: Vec<Chart>,
    pub areas: Vec<AreaTable>,
    pub csv_href: String,
    pub json_href: String,
}

impl StatsPage {
    fn is_selected(&self, id: i64) -> bool {
        self.body == Some(id)
    }

    pub fn key_figures(s: &Summary, t: &Texts) -> Vec<KeyFigure> {
        let p = t.info;
        vec![
            KeyFigure { label: p.stats_received, value: count_text(s.received, t) },
            KeyFigure { label: p.stats_triage_time, value: durations_text(s.triage, t) },
            KeyFigure { label: p.stats_treatment_time, value: durations_text(s.treatment, t) },
            KeyFigure { label: p.stats_on_time, value: percent_text(s.on_time_percent, t) },
            KeyFigure { label: p.stats_reopen, value: percent_text(s.reopen_percent, t) },
            KeyFigure { label: p.stats_taken, value: percent_text(s.taken_percent, t) },
            KeyFigure { label: p.stats_taking_time, value: durations_text(s.taking, t) },
        ]
    }
}

/// One line of the transcript: the slide's title and text.
pub struct TranscriptLine {
    pub title: &'static str,
    pub text: &'static str,
}

#[derive(Template)]
#[template(path = "informations.html")]
pub struct InfoPage {
    pub c: Chrome,
    pub poster: &'static str,
    pub transcript: Vec<TranscriptLine>,
}

#[derive(Template)]
#[template(path = "guide.html")]
pub struct GuidePage {
    pub c: Chrome,
}

#[derive(Template)]
#[template(path = "about.html")]
pub struct AboutPage {
    pub c: Chrome,
}

#[derive(Template)]
#[template(path = "privacy.html")]
pub struct PrivacyPage {
    pub c: Chrome,
    pub retention_years: i64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn bars_scale_to_the_largest_exact_count_and_mark_suppressed_ones() {
        let t = Lang::Fr.texts();
        let rows = vec![
            ("A".to_owned(), Count::Exact(40)),
            ("B".to_owned(), Count::Exact(10)),
            ("C".to_owned(), Count::Suppressed),
        ];
        let chart = Chart::new("x", "X", rows, t);
        let widths: Vec<i64> = chart.bars.iter().map(|b| b.width).collect();
        assert_eq!(widths, vec![200, 50, 8]);
        assert_eq!(chart.bars[2].shown, "moins de 5");
        assert!(chart.bars[2].suppressed);
        assert_eq!(chart.height(), 3 * Chart::ROW);
        let many = (0..20).map(|i| (i.to_string(), Count::Exact(100 - i))).collect();
        let chart = Chart::new("y", "Y", many, t);
        assert_eq!((chart.bars.len(), chart.hidden), (MAX_ROWS, 8));
    }

    #[test]
    fn labels_in_both_languages() {
        let (fr, en) = (Lang::Fr.texts(), Lang::En.texts());
        assert_eq!(stage_label("closed_without_verdict", fr), "Clôturée sans avis");
        assert_eq!(stage_label("treated", en), "Handled, opinion awaited");
        assert_eq!(verdict_label("without_verdict", fr), "Sans avis");
        assert_eq!(verdict_label("partly_satisfied", en), "Partly satisfied");
        assert_eq!(nature_label("reclamation", fr), "Réclamation");
        assert_eq!(
            Chart::short("Ministère de l'Intégration Africaine et des Ivoiriens"),
            "Ministère de l'Intégration Af…"
        );
        let d = Durations { n: 10, median: Some(2), p90: Some(8) };
        assert_eq!(durations_text(d, fr), "2 jour(s) en médiane ; 90 % en 8 jour(s) ou moins");
        assert_eq!(percent_text(None, en), "Too few cases to publish this figure");
    }
}

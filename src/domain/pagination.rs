//! «Afficher N résultats par page», page numbers, and the slice of a list they select.

/// Page sizes offered by the selector; anything else falls back to the default.
pub const PAGE_SIZES: [u32; 4] = [5, 10, 25, 50];
pub const DEFAULT_PAGE_SIZE: u32 = 10;

/// What the visitor asked for, already made sane: unknown sizes and page numbers
/// below 1 or unparsable fall back to defaults instead of erroring, as a directory should.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub page: u32,
    pub per_page: u32,
}

impl Default for PageRequest {
    fn default() -> Self {
        PageRequest { page: 1, per_page: DEFAULT_PAGE_SIZE }
    }
}

impl PageRequest {
    pub fn parse(page: Option<&str>, per_page: Option<&str>) -> PageRequest {
        let page = page.and_then(|p| p.trim().parse::<u32>().ok()).filter(|p| *p >= 1).unwrap_or(1);
        let per_page = per_page
            .and_then(|p| p.trim().parse::<u32>().ok())
            .filter(|p| PAGE_SIZES.contains(p))
            .unwrap_or(DEFAULT_PAGE_SIZE);
        PageRequest { page, per_page }
    }

    /// Resolves the request against a list of `total` items; a page past the end shows the last one.
    pub fn resolve(self, total: usize) -> Page {
        let per_page = self.per_page as usize;
        let pages = total.div_ceil(per_page).max(1);
        let page = (self.page as usize).min(pages);
        let start = (page - 1) * per_page;
        let end = (start + per_page).min(total);
        Page { page, pages, per_page, total, start, end }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub page: usize,
    pub pages: usize,
    pub per_page: usize,
    pub total: usize,
    /// Half-open range of item indexes on this page.
    pub start: usize,
    pub end: usize,
}

impl Page {
    pub fn slice<'a, T>(&self, items: &'a [T]) -> &'a [T] {
        &items[self.start.min(items.len())..self.end.min(items.len())]
    }
    pub fn prev(&self) -> Option<usize> {
        (self.page > 1).then(|| self.page - 1)
    }
    pub fn next(&self) -> Option<usize> {
        (self.page < self.pages).then(|| self.page + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_sanitises() {
        assert_eq!(PageRequest::parse(None, None), PageRequest { page: 1, per_page: 10 });
        assert_eq!(PageRequest::parse(Some("0"), Some("7")), PageRequest { page: 1, per_page: 10 });
        assert_eq!(
            PageRequest::parse(Some("-3"), Some("abc")),
            PageRequest { page: 1, per_page: 10 }
        );
        assert_eq!(PageRequest::parse(Some("2"), Some("5")), PageRequest { page: 2, per_page: 5 });
        assert_eq!(PageRequest::parse(Some("99999999999"), Some("50")).per_page, 50);
    }

    #[test]
    fn second_page_of_ten_by_five() {
        let page = PageRequest { page: 2, per_page: 5 }.resolve(10);
        assert_eq!((page.start, page.end, page.pages), (5, 10, 2));
        assert_eq!(page.prev(), Some(1));
        assert_eq!(page.next(), None);
        let items: Vec<u32> = (0..10).collect();
        assert_eq!(page.slice(&items), &[5, 6, 7, 8, 9]);
    }

    #[test]
    fn past_the_end_shows_the_last_page_and_empty_lists_have_one_page() {
        let page = PageRequest { page: 9, per_page: 5 }.resolve(7);
        assert_eq!((page.page, page.start, page.end), (2, 5, 7));
        let empty = PageRequest::default().resolve(0);
        assert_eq!((empty.page, empty.pages, empty.start, empty.end), (1, 1, 0, 0));
        assert_eq!(empty.slice::<u8>(&[]), &[] as &[u8]);
    }
}

//! Article Markdown to safe HTML: rendered by pulldown-cmark, then cleaned by ammonia, which
//! keeps formatting and drops scripts, event handlers, styles and unsafe links.

/// The sanitised HTML and the plain text (for search and the reading-time estimate).
pub fn render(markdown: &str) -> (String, String) {
    use pulldown_cmark::{Event, Options, Parser, TagEnd, html};
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut raw = String::new();
    html::push_html(&mut raw, Parser::new_ext(markdown, options));
    let safe = ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean(&raw)
        .to_string();
    let mut text = String::new();
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            // Inline ends (bold, links) join words; block ends separate them.
            Event::End(
                TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Link
                | TagEnd::Image,
            ) => {}
            Event::SoftBreak | Event::HardBreak | Event::End(_) => text.push(' '),
            _ => {}
        }
    }
    (safe, text.split_whitespace().collect::<Vec<_>>().join(" "))
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn formatting_survives() {
        let (html, text) = render("# 标题\n\n**重点**内容，[链接](https://example.org)");
        assert!(html.contains("<h1>标题</h1>"), "{html}");
        assert!(html.contains("<strong>重点</strong>"));
        assert!(
            html.contains(r#"rel="noopener noreferrer nofollow""#),
            "{html}"
        );
        assert_eq!(text, "标题 重点内容，链接");
    }

    #[test]
    fn scripts_and_event_handlers_are_removed() {
        let (html, _) = render(
            "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n<a href=\"javascript:alert(1)\">x</a>\n\n<p style=\"color:red\" onclick=\"steal()\">p</p>",
        );
        for bad in ["<script", "onerror", "javascript:", "onclick", "style="] {
            assert!(!html.contains(bad), "{bad} in {html}");
        }
    }
}

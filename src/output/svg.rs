//! A tiny SVG writer: the handful of elements a chart needs, with every
//! piece of text escaped for XML.
//!
//! Hand-written on purpose. plotters' SVG backend lays out text through
//! font crates (font-kit, ttf-parser and friends) even when it only writes
//! `<text>` elements, which would more than double the dependency tree for
//! lines, dots and labels; a browser lays out the text itself anyway.
//!
//! Attribute values other than numbers come from constants in the code,
//! never from the user; text content may (a CPU brand, a workload name) and
//! is escaped.

use std::fmt::Write;

/// Escapes `&`, `<`, `>`, `"` and `'` so any text is safe inside an
/// element or an attribute, and drops control characters XML 1.0 forbids.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Where a text's x position is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Anchor {
    /// The text starts at x.
    Start,
    /// The text is centred on x.
    Middle,
    /// The text ends at x.
    End,
}

impl Anchor {
    fn attribute(self) -> &'static str {
        match self {
            Self::Start => "start",
            Self::Middle => "middle",
            Self::End => "end",
        }
    }
}

/// An SVG document being written, element by element.
pub struct Svg {
    width: f64,
    height: f64,
    body: String,
}

impl Svg {
    /// An empty drawing of `width` × `height` user units (pixels).
    pub fn new(width: f64, height: f64) -> Self {
        Self {
            width,
            height,
            body: String::new(),
        }
    }

    /// Wraps what `draw` writes in `<g id=…>` so that series can be found
    /// (by a test, or by someone restyling the file) by name.
    pub fn group(&mut self, id: &str, draw: impl FnOnce(&mut Self)) {
        let _ = writeln!(self.body, r#"<g id="{}">"#, escape(id));
        draw(self);
        self.body.push_str("</g>\n");
    }

    /// A straight line; `style` holds presentation attributes.
    pub fn line(&mut self, from: (f64, f64), to: (f64, f64), style: &str) {
        let _ = writeln!(
            self.body,
            r#"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" {style}/>"#,
            from.0, from.1, to.0, to.1
        );
    }

    /// A line through `points`, in order; nothing for fewer than two.
    pub fn polyline(&mut self, points: &[(f64, f64)], style: &str) {
        if points.len() < 2 {
            return;
        }
        let coords: Vec<String> = points
            .iter()
            .map(|(x, y)| format!("{x:.1},{y:.1}"))
            .collect();
        let _ = writeln!(
            self.body,
            r#"<polyline fill="none" points="{}" {style}/>"#,
            coords.join(" ")
        );
    }

    /// A dot of radius `r` at `centre`.
    pub fn circle(&mut self, centre: (f64, f64), r: f64, style: &str) {
        let _ = writeln!(
            self.body,
            r#"<circle cx="{:.1}" cy="{:.1}" r="{r:.1}" {style}/>"#,
            centre.0, centre.1
        );
    }

    /// A rectangle with its top-left corner at `at`.
    pub fn rect(&mut self, at: (f64, f64), size: (f64, f64), style: &str) {
        let _ = writeln!(
            self.body,
            r#"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" {style}/>"#,
            at.0, at.1, size.0, size.1
        );
    }

    /// `content` (escaped) at `at`, `size` pixels high, rotated by
    /// `rotate` degrees around its anchor point.
    pub fn text(&mut self, at: (f64, f64), anchor: Anchor, size: f64, rotate: f64, content: &str) {
        let turn = if rotate == 0.0 {
            String::new()
        } else {
            format!(
                r#" transform="rotate({rotate:.0} {:.1} {:.1})""#,
                at.0, at.1
            )
        };
        let _ = writeln!(
            self.body,
            r#"<text x="{:.1}" y="{:.1}" font-size="{size:.0}" text-anchor="{}"{turn}>{}</text>"#,
            at.0,
            at.1,
            anchor.attribute(),
            escape(content)
        );
    }

    /// The finished document: XML declaration, a white background, the
    /// elements, and a sans-serif font for every text.
    pub fn finish(self) -> String {
        format!(
            concat!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w:.0}\" height=\"{h:.0}\" ",
                "viewBox=\"0 0 {w:.0} {h:.0}\" ",
                "font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" fill=\"#222\">\n",
                "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n{body}</svg>\n"
            ),
            w = self.width,
            h = self.height,
            body = self.body
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_for_xml() {
        assert_eq!(
            escape(r#"AT&T <Core> "fast" 'n'"#),
            "AT&amp;T &lt;Core&gt; &quot;fast&quot; &apos;n&apos;"
        );
        assert_eq!(escape("a\u{1}b\u{7f}c ×"), "abc ×");
    }

    #[test]
    fn a_drawing_is_well_formed_xml_with_its_groups() {
        let mut svg = Svg::new(200.0, 100.0);
        svg.group("series", |s| {
            s.polyline(&[(0.0, 0.0), (10.0, 5.5)], r#"stroke="red""#);
            s.polyline(&[(1.0, 1.0)], r#"stroke="red""#);
            s.circle((3.0, 4.0), 2.0, r#"fill="blue""#);
        });
        svg.text((5.0, 5.0), Anchor::Middle, 12.0, -90.0, "CPU <&> \"x\"");
        let text = svg.finish();
        let doc = roxmltree::Document::parse(&text).unwrap();
        let group = doc
            .descendants()
            .find(|n| n.attribute("id") == Some("series"))
            .unwrap();
        assert_eq!(group.children().filter(|n| n.is_element()).count(), 2);
        let label = doc.descendants().find(|n| n.has_tag_name("text")).unwrap();
        assert_eq!(label.text(), Some("CPU <&> \"x\""));
        assert_eq!(label.attribute("transform"), Some("rotate(-90 5.0 5.0)"));
    }
}

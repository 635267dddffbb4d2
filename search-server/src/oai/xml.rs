//! A small XML writer for OAI-PMH responses: elements with attributes and escaped text, into
//! one `String`. quick-xml does the escaping; its event writer would spell every element out
//! as start, text and end events, which says less than one call per element here.

use std::borrow::Cow;

use quick_xml::escape::escape;

/// An XML document being written.
#[derive(Debug, Default)]
pub struct Xml {
    out: String,
}

impl Xml {
    pub fn new() -> Xml {
        let mut out = String::with_capacity(16 << 10);
        out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        Xml { out }
    }

    /// `<name a="v"...>`; close it with [`Xml::close`].
    pub fn open(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.start_tag(name, attrs);
        self.out.push('>');
    }

    pub fn close(&mut self, name: &str) {
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
    }

    /// `<name a="v"/>`.
    pub fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.start_tag(name, attrs);
        self.out.push_str("/>");
    }

    /// `<name a="v">text</name>`; nothing when `text` is empty after trimming.
    pub fn element(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) {
        let text = text.trim();
        if text.is_empty() {
            return;
        }
        self.open(name, attrs);
        self.out.push_str(&escape(xml_chars(text)));
        self.close(name);
    }

    fn start_tag(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.out.push('<');
        self.out.push_str(name);
        for (k, v) in attrs {
            self.out.push(' ');
            self.out.push_str(k);
            self.out.push_str("=\"");
            self.out.push_str(&escape(xml_chars(v)));
            self.out.push('"');
        }
    }

    /// Appends what `other` wrote (made with `Xml::default()`, without a declaration).
    pub fn append(&mut self, other: Xml) {
        self.out.push_str(&other.out);
    }

    pub fn finish(self) -> String {
        self.out
    }
}

/// `text` without the characters XML 1.0 cannot carry (C0 controls other than tab and line
/// ends, unpaired surrogates cannot occur in a `str`, U+FFFE and U+FFFF): an extracted PDF
/// text may hold them, and one of them would make a harvester reject the whole page.
fn xml_chars(text: &str) -> Cow<'_, str> {
    let bad = |c: char| {
        (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
    };
    if text.chars().any(bad) {
        Cow::Owned(text.chars().filter(|c| !bad(*c)).collect())
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_text_and_attributes_and_drops_what_xml_cannot_hold() {
        let mut x = Xml::new();
        x.open("a", &[("k", "1 < 2 & \"q\"")]);
        x.element("b", &[], "Tôm & cá <i>\u{1}\u{FFFF}");
        x.element("c", &[], "   ");
        x.empty("d", &[("v", "x")]);
        x.close("a");
        assert_eq!(
            x.finish(),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a k=\"1 &lt; 2 &amp; &quot;q&quot;\"><b>Tôm &amp; cá &lt;i&gt;</b><d v=\"x\"/></a>"
        );
    }
}

//! What a PDF says about itself: the `/Info` dictionary and the XMP metadata packet.

use lopdf::{Document, Object};

use super::encoding::decode_text_string;
use super::obj;
use crate::metadata::PdfInfo;

/// XMP packets larger than this are ignored.
const MAX_XMP_BYTES: usize = 4 << 20;

/// Read the Info dictionary and the catalog's XMP packet; missing parts stay `None`.
pub(crate) fn read_info(doc: &Document) -> PdfInfo {
    let mut info = PdfInfo::default();
    if let Some(Object::Dictionary(d)) = doc
        .trailer
        .get(b"Info")
        .ok()
        .and_then(|o| obj::deref(doc, o))
    {
        let text = |key: &[u8]| -> Option<String> {
            match obj::get(doc, d, key)? {
                Object::String(s, _) => {
                    let t = decode_text_string(s);
                    let t = t.trim_matches(|c: char| c.is_whitespace() || c == '\0');
                    (!t.is_empty()).then(|| crate::text::normalize(t))
                }
                Object::Name(n) => Some(String::from_utf8_lossy(n).into_owned()),
                _ => None,
            }
        };
        info.title = text(b"Title");
        info.author = text(b"Author");
        info.subject = text(b"Subject");
        info.keywords = text(b"Keywords");
        info.creator = text(b"Creator");
        info.producer = text(b"Producer");
        info.creation_date = text(b"CreationDate");
        info.modification_date = text(b"ModDate");
    }
    let xmp = doc
        .catalog()
        .ok()
        .and_then(|c| obj::get_stream(doc, c, b"Metadata"))
        .and_then(|s| obj::stream_data(s, MAX_XMP_BYTES).ok());
    if let Some(xmp) = xmp {
        let xmp = String::from_utf8_lossy(&xmp);
        read_xmp(&xmp, &mut info);
    }
    info
}

/// Fill the XMP fields from a packet. A tolerant scan, not an XML parser: packets are small
/// and often not well-formed.
pub(crate) fn read_xmp(xmp: &str, info: &mut PdfInfo) {
    if let Some(inner) = element(xmp, "dc:title") {
        info.xmp_title = list_items(inner)
            .into_iter()
            .next()
            .or_else(|| clean(inner));
    }
    if let Some(inner) = element(xmp, "dc:creator") {
        info.xmp_creators = list_items(inner);
        if info.xmp_creators.is_empty() {
            info.xmp_creators.extend(clean(inner));
        }
    }
    info.xmp_create_date = ["xmp:CreateDate", "xap:CreateDate"].iter().find_map(|tag| {
        element(xmp, tag)
            .and_then(clean)
            .or_else(|| attribute(xmp, tag))
    });
}

/// Content of the first `<tag ...>...</tag>`.
fn element<'a>(s: &'a str, tag: &str) -> Option<&'a str> {
    let open = format!("<{tag}");
    let mut from = 0;
    while let Some(p) = s[from..].find(&open) {
        let start = from + p + open.len();
        let rest = &s[start..];
        // `<dc:titleX` is another tag.
        match rest.chars().next() {
            Some('>') | Some(' ') | Some('\n') | Some('\r') | Some('\t') | Some('/') => {}
            _ => {
                from = start;
                continue;
            }
        }
        let gt = rest.find('>')?;
        if rest[..gt].ends_with('/') {
            return None;
        }
        let body = &rest[gt + 1..];
        let end = body.find(&format!("</{tag}>"))?;
        return Some(&body[..end]);
    }
    None
}

fn attribute(s: &str, name: &str) -> Option<String> {
    let pat = format!("{name}=");
    let p = s.find(&pat)? + pat.len();
    let q = s[p..].chars().next()?;
    if q != '"' && q != '\'' {
        return None;
    }
    let rest = &s[p + 1..];
    let end = rest.find(q)?;
    clean(&rest[..end])
}

/// The `<rdf:li>` items of an `rdf:Alt`/`rdf:Seq`/`rdf:Bag`.
fn list_items(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(p) = rest.find("<rdf:li") {
        let after = &rest[p + 7..];
        let Some(gt) = after.find('>') else { break };
        if after[..gt].ends_with('/') {
            rest = &after[gt + 1..];
            continue;
        }
        let body = &after[gt + 1..];
        let Some(end) = body.find("</rdf:li>") else {
            break;
        };
        out.extend(clean(&body[..end]));
        rest = &body[end..];
    }
    out
}

fn clean(s: &str) -> Option<String> {
    let t = unescape(s.trim());
    let t = t.trim();
    (!t.is_empty() && !t.contains('<')).then(|| crate::text::normalize(t))
}

fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(p) = rest.find('&') {
        out.push_str(&rest[..p]);
        let after = &rest[p + 1..];
        let Some(semi) = after.find(';').filter(|&i| i <= 10) else {
            out.push('&');
            rest = after;
            continue;
        };
        let ent = &after[..semi];
        let rep = match ent {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => ent
                .strip_prefix("#x")
                .or_else(|| ent.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| ent.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match rep {
            Some(c) => {
                out.push(c);
                rest = &after[semi + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xmp_fields() {
        let xmp = r#"<x:xmpmeta><rdf:RDF><rdf:Description xmp:CreateDate="2020-05-01T10:00:00+07:00">
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">Nghi&#234;n c&#7913;u &amp; ph&#xE1;t tri&#7875;n</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>Nguyễn Văn A</rdf:li><rdf:li>Trần B</rdf:li></rdf:Seq></dc:creator>
</rdf:Description></rdf:RDF></x:xmpmeta>"#;
        let mut info = PdfInfo::default();
        read_xmp(xmp, &mut info);
        assert_eq!(info.xmp_title.as_deref(), Some("Nghiên cứu & phát triển"));
        assert_eq!(info.xmp_creators, vec!["Nguyễn Văn A", "Trần B"]);
        assert_eq!(
            info.xmp_create_date.as_deref(),
            Some("2020-05-01T10:00:00+07:00")
        );
    }

    #[test]
    fn xmp_element_dates_and_empty_packets() {
        let mut info = PdfInfo::default();
        read_xmp(
            "<xmp:CreateDate>2019-01-02</xmp:CreateDate><dc:title/>",
            &mut info,
        );
        assert_eq!(info.xmp_create_date.as_deref(), Some("2019-01-02"));
        assert_eq!(info.xmp_title, None);
        read_xmp("<<<&&&;", &mut info);
    }
}

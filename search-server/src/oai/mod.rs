//! The OAI-PMH 2.0 provider (`GET`/`POST /oai`): aggregators and other repositories harvest
//! the library's records from here.
//!
//! - **Records** are the works of the index; their identifiers are `oai:<repository id>:<id>`,
//!   their datestamps the time each entered or last changed in the index, with seconds
//!   granularity. **Sets** are the collections ([`set_spec`] spells a collection name in the
//!   characters a setSpec may have).
//! - **Formats**: `oai_dc` for every record, `oai_etdms` (ETD-MS 1.1) for theses
//!   ([`formats`]).
//! - **Deleted records** are *persistent*: deleting a work leaves a tombstone in the index
//!   (`indexer::schema`), listed with `status="deleted"` until the work comes back.
//! - **Lists** come 100 records a page, in (datestamp, id) order, with stateless resumption
//!   tokens ([`token`]): they stay valid across restarts and commits, and give
//!   `completeListSize` and `cursor`.
//! - **Errors** are the protocol's codes ([`error`]), in an HTTP 200 response.
//!
//! Nothing here needs the server's state: [`respond`] takes a searcher, the fields and the
//! repository's description, so the route stays thin and the tests can call it directly.

pub mod error;
pub mod formats;
pub mod listing;
pub mod request;
pub mod token;
pub mod xml;

use indexer::schema::Fields;
use tantivy::Searcher;

use crate::documents;
use crate::error::AppError;
use error::{Code, OaiError};
use formats::Format;
use listing::{Header, Selection};
use request::{datestamp, List, Request};
use token::Token;
use xml::Xml;

/// Records per list page.
pub const PAGE_SIZE: usize = 100;

/// How the repository describes itself in Identify.
#[derive(Debug, Clone, Default)]
pub struct Repository {
    /// `repositoryName`; a default names the product.
    pub name: Option<String>,
    /// The repository identifier of `oai:` identifiers (a domain name); default the host the
    /// request was sent to, without its port.
    pub id: Option<String>,
    /// `adminEmail`; default `admin@<repository id>`.
    pub admin_email: Option<String>,
    /// Records per list page; 0 means [`PAGE_SIZE`].
    pub page_size: usize,
}

/// What one request is answered with.
#[derive(Debug)]
pub struct Context<'a> {
    pub searcher: &'a Searcher,
    pub fields: &'a Fields,
    pub repository: &'a Repository,
    /// Scheme and host the client used (`http://host:port`).
    pub base: &'a str,
    /// Seconds since the epoch.
    pub now: i64,
}

impl Context<'_> {
    fn repository_id(&self) -> String {
        self.repository.id.clone().unwrap_or_else(|| {
            let host = self
                .base
                .split_once("://")
                .map_or(self.base, |(_, h)| h)
                .trim_start_matches('[');
            let host = host.split([']', ':']).next().unwrap_or("");
            if host.is_empty() {
                "localhost".into()
            } else {
                host.to_ascii_lowercase()
            }
        })
    }

    fn identifier(&self, id: &str) -> String {
        format!("oai:{}:{id}", self.repository_id())
    }

    /// The document id of an `oai:` identifier of this repository.
    fn local_id<'i>(&self, identifier: &'i str) -> Option<&'i str> {
        let rest = identifier.strip_prefix("oai:")?;
        let (repo, id) = rest.split_once(':')?;
        (repo.eq_ignore_ascii_case(&self.repository_id()) && !id.is_empty()).then_some(id)
    }
}

/// A collection name as a setSpec: letters and digits of ASCII, `-`, `_` and `.` as they are,
/// any other character as `~<hex code point>~` (a setSpec allows only URI-unreserved
/// characters, and `~` never occurs in a collection name, so the spelling is reversible).
pub fn set_spec(collection: &str) -> String {
    let mut out = String::with_capacity(collection.len());
    for c in collection.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
            out.push(c);
        } else {
            out.push_str(&format!("~{:x}~", c as u32));
        }
    }
    out
}

/// The collection a setSpec names, if it is one [`set_spec`] could have made.
pub fn collection_of(spec: &str) -> Option<String> {
    let mut out = String::new();
    let mut parts = spec.split('~');
    out.push_str(parts.next()?);
    while let Some(hex) = parts.next() {
        let c = u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)?;
        out.push(c);
        out.push_str(parts.next()?);
    }
    (set_spec(&out) == spec).then_some(out)
}

/// Why a request got no answer: the protocol's error (answered in XML), or a failure of the
/// server (a 500, logged).
#[derive(Debug)]
enum Failure {
    Oai(OaiError),
    Server(AppError),
}

impl From<OaiError> for Failure {
    fn from(e: OaiError) -> Failure {
        Failure::Oai(e)
    }
}

impl From<AppError> for Failure {
    fn from(e: AppError) -> Failure {
        Failure::Server(e)
    }
}

impl From<tantivy::TantivyError> for Failure {
    fn from(e: tantivy::TantivyError) -> Failure {
        Failure::Server(e.into())
    }
}

/// Answers a request given as its arguments (name, value pairs in order): the response
/// document, protocol errors included; `Err` only when the server failed.
pub fn respond(ctx: &Context<'_>, args: &[(String, String)]) -> Result<String, AppError> {
    let mut x = Xml::new();
    x.open(
        "OAI-PMH",
        &[
            ("xmlns", "http://www.openarchives.org/OAI/2.0/"),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            (
                "xsi:schemaLocation",
                "http://www.openarchives.org/OAI/2.0/ http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd",
            ),
        ],
    );
    x.element("responseDate", &[], &datestamp(ctx.now));
    let url = format!("{}/oai", ctx.base);
    let parsed = request::parse(args);
    // After badVerb or badArgument the request element names the base URL only (3.2).
    let echo: Vec<(&str, &str)> = match &parsed {
        Err(e) if matches!(e.code, Code::BadVerb | Code::BadArgument) => Vec::new(),
        _ => args.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect(),
    };
    x.element("request", &echo, &url);
    let body = parsed.map_err(Failure::Oai).and_then(|req| {
        let mut body = Xml::default();
        answer(ctx, &req, &mut body)?;
        Ok((req, body))
    });
    match body {
        Ok((req, body)) => {
            x.open(req.verb(), &[]);
            x.append(body);
            x.close(req.verb());
        }
        Err(Failure::Oai(e)) => x.element("error", &[("code", e.code.as_str())], &e.message),
        Err(Failure::Server(e)) => return Err(e),
    }
    x.close("OAI-PMH");
    Ok(x.finish())
}

fn answer(ctx: &Context<'_>, req: &Request, x: &mut Xml) -> Result<(), Failure> {
    match req {
        Request::Identify => identify(ctx, x),
        Request::ListMetadataFormats { identifier } => {
            metadata_formats(ctx, identifier.as_deref(), x)
        }
        Request::ListSets { token } => {
            if let Some(t) = token {
                return Err(OaiError::new(
                    Code::BadResumptionToken,
                    format!("ListSets is answered whole; {t:?} is not a token of it"),
                )
                .into());
            }
            for name in sets(ctx)? {
                x.open("set", &[]);
                x.element("setSpec", &[], &set_spec(&name));
                x.element("setName", &[], &name);
                x.close("set");
            }
            Ok(())
        }
        Request::GetRecord { identifier, prefix } => {
            let format = Format::from_prefix(prefix).ok_or_else(|| unknown_format(prefix))?;
            let header = find(ctx, identifier)?;
            if !header.deleted {
                let doc = documents::load(ctx.searcher, ctx.fields, header.addr)?;
                if !format.fits(&doc.doc_type) {
                    return Err(OaiError::new(
                        Code::CannotDisseminateFormat,
                        format!("{prefix} is for theses; {identifier} is a {}", doc.doc_type),
                    )
                    .into());
                }
                record(ctx, x, &header, Some((format, &doc)));
            } else {
                record(ctx, x, &header, None);
            }
            Ok(())
        }
        Request::ListIdentifiers(list) => list_records(ctx, list, false, x),
        Request::ListRecords(list) => list_records(ctx, list, true, x),
    }
}

/// The collections, one set each; `noSetHierarchy` when there are none.
fn sets(ctx: &Context<'_>) -> Result<Vec<String>, Failure> {
    let names = listing::collections(ctx.searcher, ctx.fields)?;
    if names.is_empty() {
        return Err(OaiError::new(
            Code::NoSetHierarchy,
            "the repository has no collections yet",
        )
        .into());
    }
    Ok(names)
}

fn unknown_format(prefix: &str) -> OaiError {
    OaiError::new(
        Code::CannotDisseminateFormat,
        format!(
            "the metadata format {prefix:?} is not offered: use oai_dc, or oai_etdms for theses"
        ),
    )
}

fn find(ctx: &Context<'_>, identifier: &str) -> Result<Header, Failure> {
    let missing = || {
        OaiError::new(
            Code::IdDoesNotExist,
            format!(
                "no record {identifier:?}: identifiers here are oai:{}:<id>",
                ctx.repository_id()
            ),
        )
    };
    let id = ctx.local_id(identifier).ok_or_else(missing)?;
    Ok(listing::header(ctx.searcher, ctx.fields, id)?.ok_or_else(missing)?)
}

fn identify(ctx: &Context<'_>, x: &mut Xml) -> Result<(), Failure> {
    let earliest = listing::earliest(ctx.searcher)?;
    let repo_id = ctx.repository_id();
    let name = ctx.repository.name.clone().unwrap_or_else(|| {
        "Tìm kiếm tài liệu khoa học — Vietnamese scholarly literature".to_string()
    });
    x.element("repositoryName", &[], &name);
    x.element("baseURL", &[], &format!("{}/oai", ctx.base));
    x.element("protocolVersion", &[], "2.0");
    let email = ctx
        .repository
        .admin_email
        .clone()
        .unwrap_or_else(|| format!("admin@{repo_id}"));
    x.element("adminEmail", &[], &email);
    x.element("earliestDatestamp", &[], &datestamp(earliest));
    x.element("deletedRecord", &[], "persistent");
    x.element("granularity", &[], "YYYY-MM-DDThh:mm:ssZ");
    // The oai-identifier description's schema wants a domain name; an address or `localhost`
    // (a server not yet given its public name) gets none.
    if is_domain_name(&repo_id) {
        oai_identifier(ctx, x, &repo_id);
    }
    Ok(())
}

/// `[a-zA-Z][a-zA-Z0-9-]*(\.[a-zA-Z][a-zA-Z0-9-]*)+`, as the oai-identifier schema has it.
fn is_domain_name(s: &str) -> bool {
    let labels: Vec<&str> = s.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|l| {
            l.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

fn oai_identifier(ctx: &Context<'_>, x: &mut Xml, repo_id: &str) {
    x.open("description", &[]);
    x.open(
        "oai-identifier",
        &[
            ("xmlns", "http://www.openarchives.org/OAI/2.0/oai-identifier"),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            (
                "xsi:schemaLocation",
                "http://www.openarchives.org/OAI/2.0/oai-identifier http://www.openarchives.org/OAI/2.0/oai-identifier.xsd",
            ),
        ],
    );
    x.element("scheme", &[], "oai");
    x.element("repositoryIdentifier", &[], repo_id);
    x.element("delimiter", &[], ":");
    x.element("sampleIdentifier", &[], &ctx.identifier("vi-1a2b3c"));
    x.close("oai-identifier");
    x.close("description");
}

fn metadata_formats(
    ctx: &Context<'_>,
    identifier: Option<&str>,
    x: &mut Xml,
) -> Result<(), Failure> {
    let formats: Vec<Format> = match identifier {
        None => Format::ALL.to_vec(),
        Some(identifier) => {
            let header = find(ctx, identifier)?;
            if header.deleted {
                // A deleted record can still be asked for in any format (as a header).
                Format::ALL.to_vec()
            } else {
                let doc = documents::load(ctx.searcher, ctx.fields, header.addr)?;
                Format::ALL
                    .into_iter()
                    .filter(|f| f.fits(&doc.doc_type))
                    .collect()
            }
        }
    };
    if formats.is_empty() {
        return Err(OaiError::new(Code::NoMetadataFormats, "no format fits this record").into());
    }
    for f in formats {
        x.open("metadataFormat", &[]);
        x.element("metadataPrefix", &[], f.prefix());
        x.element("schema", &[], f.schema());
        x.element("metadataNamespace", &[], f.namespace());
        x.close("metadataFormat");
    }
    Ok(())
}

fn list_records(
    ctx: &Context<'_>,
    list: &List,
    with_metadata: bool,
    x: &mut Xml,
) -> Result<(), Failure> {
    let (prefix, from, until, set, after, cursor) = match list {
        List::Fresh {
            prefix,
            from,
            until,
            set,
        } => (prefix.clone(), *from, *until, set.clone(), None, 0),
        List::Resume(text) => {
            let t = Token::decode(text).ok_or_else(|| {
                OaiError::new(
                    Code::BadResumptionToken,
                    "this resumptionToken was not issued by this repository; start the list again without it",
                )
            })?;
            (t.prefix, t.from, t.until, t.set, Some(t.after), t.cursor)
        }
    };
    let format = Format::from_prefix(&prefix).ok_or_else(|| unknown_format(&prefix))?;
    let collection = match &set {
        None => None,
        Some(spec) => {
            let names = sets(ctx)?;
            match collection_of(spec).filter(|c| names.contains(c)) {
                Some(c) => Some(c),
                None => {
                    return Err(OaiError::new(
                        Code::NoRecordsMatch,
                        format!("no set {spec:?}: ListSets names the sets"),
                    )
                    .into())
                }
            }
        }
    };
    let sel = Selection {
        from,
        until,
        collection: collection.as_deref(),
        theses_only: format == Format::Etdms,
    };
    let size = match ctx.repository.page_size {
        0 => PAGE_SIZE,
        n => n,
    };
    let page = listing::page(ctx.searcher, ctx.fields, &sel, after.as_ref(), size)?;
    if page.headers.is_empty() {
        return Err(
            OaiError::new(Code::NoRecordsMatch, "no record matches these arguments").into(),
        );
    }
    for h in &page.headers {
        if with_metadata && !h.deleted {
            let doc = documents::load(ctx.searcher, ctx.fields, h.addr)?;
            record(ctx, x, h, Some((format, &doc)));
        } else if with_metadata {
            record(ctx, x, h, None);
        } else {
            header(ctx, x, h);
        }
    }
    let sent = cursor + page.headers.len() as u64;
    let size = page.total.to_string();
    let cursor_text = cursor.to_string();
    let attrs = [
        ("completeListSize", size.as_str()),
        ("cursor", cursor_text.as_str()),
    ];
    if page.rest > 0 {
        let last = page.headers.last().map(|h| (h.datestamp, h.id.clone()));
        let t = Token::new(
            &prefix,
            from,
            until,
            set.as_deref(),
            last.unwrap_or_default(),
            sent,
        );
        x.element("resumptionToken", &attrs, &t.encode());
    } else if after.is_some() {
        // The last page of a list in several: an empty token says it is complete.
        x.empty("resumptionToken", &attrs);
    }
    Ok(())
}

fn header(ctx: &Context<'_>, x: &mut Xml, h: &Header) {
    let attrs: &[(&str, &str)] = if h.deleted {
        &[("status", "deleted")]
    } else {
        &[]
    };
    x.open("header", attrs);
    x.element("identifier", &[], &ctx.identifier(&h.id));
    x.element("datestamp", &[], &datestamp(h.datestamp));
    x.element("setSpec", &[], &set_spec(&h.collection));
    x.close("header");
}

fn record(
    ctx: &Context<'_>,
    x: &mut Xml,
    h: &Header,
    metadata: Option<(Format, &documents::StoredDoc)>,
) {
    x.open("record", &[]);
    header(ctx, x, h);
    if let Some((format, doc)) = metadata {
        x.open("metadata", &[]);
        format.write(x, doc, ctx.base);
        x.close("metadata");
    }
    x.close("record");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_specs_spell_any_collection_reversibly() {
        for name in ["vi", "en.papers", "luận-văn", "thư_viện 2", "a~b"] {
            let spec = set_spec(name);
            assert!(
                spec.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_.!~*'()".contains(c)),
                "{spec}"
            );
            assert_eq!(collection_of(&spec).as_deref(), Some(name), "{spec}");
        }
        assert_eq!(set_spec("luận"), "lu~1ead~n");
        assert!(is_domain_name("thuvien.hcmus.edu.vn"));
        for bad in ["localhost", "127.0.0.1", "-a.b", "a..b", "thư-viện.vn"] {
            assert!(!is_domain_name(bad), "{bad}");
        }
        for bad in ["x~zz~", "x~41~", "~", "a~1ead"] {
            assert_eq!(collection_of(bad), None, "{bad}");
        }
    }
}

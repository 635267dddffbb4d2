//! The arguments of an OAI-PMH request, checked as the protocol (section 3) asks: one verb,
//! each argument at most once, the arguments of the verb and no other, `resumptionToken`
//! exclusive, dates in one of the two granularities and both bounds in the same one.

use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, OffsetDateTime, PrimitiveDateTime, Time};

use super::error::{Code, OaiError};

/// A checked request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    Identify,
    ListMetadataFormats { identifier: Option<String> },
    ListSets { token: Option<String> },
    ListIdentifiers(List),
    ListRecords(List),
    GetRecord { identifier: String, prefix: String },
}

/// The arguments of ListIdentifiers and ListRecords.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum List {
    Fresh {
        prefix: String,
        /// Inclusive bounds in seconds since the epoch.
        from: Option<i64>,
        until: Option<i64>,
        set: Option<String>,
    },
    Resume(String),
}

impl Request {
    /// The verb's name.
    pub fn verb(&self) -> &'static str {
        match self {
            Request::Identify => "Identify",
            Request::ListMetadataFormats { .. } => "ListMetadataFormats",
            Request::ListSets { .. } => "ListSets",
            Request::ListIdentifiers(_) => "ListIdentifiers",
            Request::ListRecords(_) => "ListRecords",
            Request::GetRecord { .. } => "GetRecord",
        }
    }
}

/// The verbs and the arguments each takes (`resumptionToken` is exclusive where allowed).
const VERBS: &[(&str, &[&str])] = &[
    ("Identify", &[]),
    ("ListMetadataFormats", &["identifier"]),
    ("ListSets", &["resumptionToken"]),
    (
        "ListIdentifiers",
        &["metadataPrefix", "from", "until", "set", "resumptionToken"],
    ),
    (
        "ListRecords",
        &["metadataPrefix", "from", "until", "set", "resumptionToken"],
    ),
    ("GetRecord", &["identifier", "metadataPrefix"]),
];

/// Checks `args` (name, value pairs in request order).
pub fn parse(args: &[(String, String)]) -> Result<Request, OaiError> {
    let verbs: Vec<&str> = args
        .iter()
        .filter(|(k, _)| k == "verb")
        .map(|(_, v)| v.as_str())
        .collect();
    let verb = match verbs.as_slice() {
        [] => return Err(OaiError::new(Code::BadVerb, "the verb argument is missing")),
        [v] => *v,
        _ => {
            return Err(OaiError::new(
                Code::BadVerb,
                "the verb argument is repeated",
            ))
        }
    };
    let Some((verb, allowed)) = VERBS.iter().find(|(v, _)| *v == verb) else {
        return Err(OaiError::new(
            Code::BadVerb,
            format!("{verb:?} is not an OAI-PMH verb"),
        ));
    };
    let mut seen: Vec<&str> = Vec::new();
    for (k, _) in args.iter().filter(|(k, _)| k != "verb") {
        if !allowed.contains(&k.as_str()) {
            return Err(OaiError::new(
                Code::BadArgument,
                format!("{verb} does not take the argument {k:?}"),
            ));
        }
        if seen.contains(&k.as_str()) {
            return Err(OaiError::new(
                Code::BadArgument,
                format!("the argument {k} is repeated"),
            ));
        }
        seen.push(k);
    }
    let get = |name: &str| {
        args.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.to_string())
    };
    let required = |name: &str| {
        get(name).filter(|v| !v.is_empty()).ok_or_else(|| {
            OaiError::new(
                Code::BadArgument,
                format!("{verb} needs the argument {name}"),
            )
        })
    };
    let token = get("resumptionToken");
    if token.is_some() && seen.len() > 1 {
        return Err(OaiError::new(
            Code::BadArgument,
            "resumptionToken is an exclusive argument: send it alone with the verb",
        ));
    }
    Ok(match *verb {
        "Identify" => Request::Identify,
        "ListMetadataFormats" => Request::ListMetadataFormats {
            identifier: get("identifier"),
        },
        "ListSets" => Request::ListSets { token },
        "GetRecord" => Request::GetRecord {
            identifier: required("identifier")?,
            prefix: required("metadataPrefix")?,
        },
        list => {
            let list_args = match token {
                Some(t) => List::Resume(t),
                None => {
                    let from = get("from").map(|v| parse_date(&v, "from")).transpose()?;
                    let until = get("until").map(|v| parse_date(&v, "until")).transpose()?;
                    if let (Some(f), Some(u)) = (&from, &until) {
                        if f.day != u.day {
                            return Err(OaiError::new(
                                Code::BadArgument,
                                "from and until must have the same granularity",
                            ));
                        }
                        if f.start > u.end {
                            return Err(OaiError::new(
                                Code::BadArgument,
                                "from is later than until",
                            ));
                        }
                    }
                    List::Fresh {
                        prefix: required("metadataPrefix")?,
                        from: from.map(|d| d.start),
                        until: until.map(|d| d.end),
                        set: get("set"),
                    }
                }
            };
            if list == "ListIdentifiers" {
                Request::ListIdentifiers(list_args)
            } else {
                Request::ListRecords(list_args)
            }
        }
    })
}

/// A `from` or `until` value: the first and last second it stands for.
#[derive(Debug, Clone, Copy)]
struct Datestamp {
    start: i64,
    end: i64,
    /// Day granularity (`YYYY-MM-DD`).
    day: bool,
}

fn parse_date(value: &str, name: &str) -> Result<Datestamp, OaiError> {
    let bad = || {
        OaiError::new(
            Code::BadArgument,
            format!("{name} must be YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ, not {value:?}"),
        )
    };
    if value.len() == 10 {
        let date =
            Date::parse(value, format_description!("[year]-[month]-[day]")).map_err(|_| bad())?;
        let start = PrimitiveDateTime::new(date, Time::MIDNIGHT)
            .assume_utc()
            .unix_timestamp();
        return Ok(Datestamp {
            start,
            end: start + 86_399,
            day: true,
        });
    }
    // Seconds granularity, in UTC (`Z`) and without fractions, as the protocol spells it.
    if value.len() != 20 || !value.ends_with('Z') {
        return Err(bad());
    }
    let t = OffsetDateTime::parse(value, &Rfc3339).map_err(|_| bad())?;
    Ok(Datestamp {
        start: t.unix_timestamp(),
        end: t.unix_timestamp(),
        day: false,
    })
}

/// `secs` as an OAI-PMH datestamp (`YYYY-MM-DDThh:mm:ssZ`): the form the index reports use.
pub use indexer::ingest::scan::rfc3339 as datestamp;

#[cfg(test)]
mod tests {
    use super::*;

    fn args(query: &str) -> Vec<(String, String)> {
        form_urlencoded::parse(query.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    }

    #[test]
    fn requests_and_their_errors() {
        use Code::*;
        let ok = |q: &str| parse(&args(q)).unwrap();
        let err = |q: &str| parse(&args(q)).unwrap_err().code;
        assert_eq!(ok("verb=Identify"), Request::Identify);
        assert_eq!(
            ok("verb=ListRecords&metadataPrefix=oai_dc&from=2026-01-02&until=2026-01-02&set=vi"),
            Request::ListRecords(List::Fresh {
                prefix: "oai_dc".into(),
                from: Some(1_767_312_000),
                until: Some(1_767_312_000 + 86_399),
                set: Some("vi".into()),
            })
        );
        assert_eq!(
            ok("verb=ListIdentifiers&resumptionToken=abc"),
            Request::ListIdentifiers(List::Resume("abc".into()))
        );
        for (q, code) in [
            ("", BadVerb),
            ("verb=Foo", BadVerb),
            ("verb=Identify&verb=Identify", BadVerb),
            ("verb=Identify&x=1", BadArgument),
            ("verb=ListRecords", BadArgument),
            (
                "verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=oai_dc",
                BadArgument,
            ),
            (
                "verb=ListRecords&metadataPrefix=oai_dc&resumptionToken=x",
                BadArgument,
            ),
            (
                "verb=ListRecords&metadataPrefix=oai_dc&from=2026-13-01",
                BadArgument,
            ),
            (
                "verb=ListRecords&metadataPrefix=oai_dc&from=2026-01-01T00:00:00",
                BadArgument,
            ),
            (
                "verb=ListRecords&metadataPrefix=oai_dc&from=2026-01-01&until=2026-01-02T00:00:00Z",
                BadArgument,
            ),
            (
                "verb=ListRecords&metadataPrefix=oai_dc&from=2026-01-03&until=2026-01-02",
                BadArgument,
            ),
            ("verb=GetRecord&identifier=oai:x:1", BadArgument),
            ("verb=ListSets&set=a", BadArgument),
        ] {
            assert_eq!(err(q), code, "{q}");
        }
    }

    #[test]
    fn datestamps_are_utc_seconds() {
        assert_eq!(datestamp(0), "1970-01-01T00:00:00Z");
        assert_eq!(datestamp(1_767_312_000 + 3_661), "2026-01-02T01:01:01Z");
        assert_eq!(
            parse_date("2026-01-02T01:01:01Z", "from").unwrap().start,
            1_767_312_000 + 3_661
        );
    }
}

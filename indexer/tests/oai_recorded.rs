//! The OAI-PMH response reader and metadata mapping on recorded responses of real repositories
//! (DSpace at Erasmus University, Citebase/arXiv, DSpace at MIT via Celestial, arXiv's own
//! provider), as shipped in the test data of pyoai (PyPI), libhttp-oai-perl (Debian) and
//! invenio-oaiharvester (PyPI). `tests/py/fetch_recorded.sh`, run by `.ci/run`, downloads those
//! packages into `target/oai-recorded/` and lists every response in `INDEX.tsv` with what a
//! reader must find in it (verb, records, deleted headers, well-formed or not), counted by
//! Python's own XML parser.

use std::path::{Path, PathBuf};

use indexer::harvest::{formats, protocol};

fn recorded_dir() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let dir = target.join("oai-recorded");
    if dir.join("INDEX.tsv").is_file() {
        return Some(dir);
    }
    let msg = format!(
        "recorded OAI-PMH responses missing in {} (run tests/py/fetch_recorded.sh)",
        dir.display()
    );
    if std::env::var_os("CI").is_some() {
        panic!("{msg}");
    }
    eprintln!("SKIPPED: {msg}");
    None
}

#[test]
fn recorded_responses_of_real_repositories_read_as_their_index_says() {
    let Some(dir) = recorded_dir() else { return };
    let index = std::fs::read_to_string(dir.join("INDEX.tsv")).unwrap();
    let mut lines = index.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (path, verb, records, deleted, well_formed) = (
        col("path"),
        col("verb"),
        col("records"),
        col("deleted"),
        col("well_formed"),
    );
    let mut checked = 0;
    let mut titled = 0;
    for line in lines {
        let row: Vec<&str> = line.split('\t').collect();
        let bytes = std::fs::read(dir.join(row[path])).unwrap();
        let parsed = protocol::parse(&bytes);
        checked += 1;
        if row[well_formed].starts_with("no") {
            assert!(parsed.is_err(), "{}: broken XML must be refused", row[path]);
            continue;
        }
        let r = parsed.unwrap_or_else(|e| panic!("{}: {e}", row[path]));
        assert!(r.errors.is_empty(), "{}", row[path]);
        match row[verb] {
            "Identify" => {
                let i = r.identify.as_ref().expect("an Identify answer");
                assert!(i.base_url.starts_with("http"), "{}", row[path]);
                assert!(!i.granularity.is_empty(), "{}", row[path]);
            }
            "ListMetadataFormats" => {
                assert!(
                    r.formats.iter().any(|(p, _)| p == "oai_dc"),
                    "{}",
                    row[path]
                )
            }
            "ListRecords" | "ListIdentifiers" | "GetRecord" => {
                assert_eq!(
                    r.records.len().to_string(),
                    row[records],
                    "{}: records",
                    row[path]
                );
                let gone = r.records.iter().filter(|x| x.deleted).count();
                assert_eq!(gone.to_string(), row[deleted], "{}: deleted", row[path]);
                for rec in &r.records {
                    assert!(!rec.identifier.is_empty() && !rec.datestamp.is_empty());
                    if let Some(m) = rec.metadata.as_ref().filter(|m| m.root == "dc") {
                        let mapped = formats::map(m);
                        assert!(mapped.fields.title.is_some(), "{}: {rec:?}", row[path]);
                        titled += 1;
                    }
                }
            }
            _ => {}
        }
    }
    assert!(checked >= 10, "only {checked} recorded responses");
    assert!(titled >= 90, "only {titled} oai_dc records mapped");
}

#[test]
fn a_dspace_page_maps_onto_our_fields() {
    let Some(dir) = recorded_dir() else { return };
    // DSpace at Erasmus University: 81 records, 2 of them deleted.
    let bytes = std::fs::read(dir.join("pyoai-2.5.0/fake2/00002.xml")).unwrap();
    let r = protocol::parse(&bytes).unwrap();
    let mapped: Vec<_> = r
        .records
        .iter()
        .filter_map(|rec| rec.metadata.as_ref().map(formats::map))
        .collect();
    assert_eq!(mapped.len(), 79);
    assert!(mapped.iter().all(|m| m.fields.title.is_some()));
    let with_year = mapped.iter().filter(|m| m.fields.year.is_some()).count();
    let with_authors = mapped
        .iter()
        .filter(|m| !m.fields.authors.is_empty())
        .count();
    let english = mapped
        .iter()
        .filter(|m| m.fields.language.as_deref() == Some("en"))
        .count();
    assert!(with_year >= 70, "{with_year} of 79 with a year");
    assert!(with_authors >= 70, "{with_authors} of 79 with authors");
    assert!(
        english >= 40,
        "{english} of 79 in English (dc:language en_US)"
    );
}

//! Resumption tokens: the whole state of a list request, carried by the harvester.
//!
//! A token holds the request's arguments and the last record it was sent, by (datestamp, id):
//! lists are in that order, so the next page is whatever comes after that key, whatever
//! was added, changed or deleted meanwhile and whether or not the server restarted. Records
//! changed during a harvest get a later datestamp and so come again at the end, which is
//! what OAI-PMH asks of an incremental harvest. No state is kept on the server, so a token
//! never expires.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};

/// The arguments of a list request and where its next page starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Token {
    /// Token format, for tokens issued by later versions.
    #[serde(rename = "v")]
    pub version: u8,
    #[serde(rename = "p")]
    pub prefix: String,
    /// Inclusive bounds, in seconds since the epoch.
    #[serde(rename = "f", default, skip_serializing_if = "Option::is_none")]
    pub from: Option<i64>,
    #[serde(rename = "u", default, skip_serializing_if = "Option::is_none")]
    pub until: Option<i64>,
    /// The set (a collection), as its setSpec.
    #[serde(rename = "s", default, skip_serializing_if = "Option::is_none")]
    pub set: Option<String>,
    /// The (datestamp, id) of the last record sent.
    #[serde(rename = "a")]
    pub after: (i64, String),
    /// Records sent before the next page.
    #[serde(rename = "c")]
    pub cursor: u64,
}

const VERSION: u8 = 1;

impl Token {
    pub fn new(
        prefix: &str,
        from: Option<i64>,
        until: Option<i64>,
        set: Option<&str>,
        after: (i64, String),
        cursor: u64,
    ) -> Token {
        Token {
            version: VERSION,
            prefix: prefix.to_string(),
            from,
            until,
            set: set.map(str::to_string),
            after,
            cursor,
        }
    }

    pub fn encode(&self) -> String {
        let json = serde_json::to_vec(self).unwrap_or_default();
        URL_SAFE_NO_PAD.encode(json)
    }

    /// The token, or `None` when `text` is not one this server issued.
    pub fn decode(text: &str) -> Option<Token> {
        let bytes = URL_SAFE_NO_PAD.decode(text.trim()).ok()?;
        let t: Token = serde_json::from_slice(&bytes).ok()?;
        (t.version == VERSION).then_some(t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_what_it_did_not_issue() {
        let t = Token::new(
            "oai_dc",
            Some(0),
            None,
            Some("lu~1ead~n-van"),
            (1_700_000_000, "id:with \"quotes\"".into()),
            200,
        );
        let text = t.encode();
        assert!(text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
        assert_eq!(Token::decode(&text), Some(t));
        for bad in ["", "abc", "!!!", &URL_SAFE_NO_PAD.encode(b"{\"v\":9}")] {
            assert_eq!(Token::decode(bad), None, "{bad}");
        }
    }
}

//! The parameters of `GET /api/search` and their validation: [`SearchParams`] holds the raw
//! query-string values, [`SearchRequest::from_params`] checks each against its bounds and says
//! which one is wrong, so a bad request is a 400 with a message before anything is searched.

use indexer::doc::DocType;
use serde::{Deserialize, Serialize};

use super::notes::UiLang;
use crate::error::AppError;

/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 1000;
pub const MAX_LIMIT: usize = 100;
/// Deepest result reachable by paging.
pub const MAX_DEPTH: usize = 10_000;

/// Raw query-string parameters; validated by [`SearchRequest::from_params`] so errors can say
/// exactly which parameter is wrong.
#[derive(Debug, Default, Deserialize)]
pub struct SearchParams {
    pub q: Option<String>,
    pub limit: Option<String>,
    pub offset: Option<String>,
    pub collection: Option<String>,
    pub doc_type: Option<String>,
    pub lang: Option<String>,
    pub year_from: Option<String>,
    pub year_to: Option<String>,
    pub sort: Option<String>,
    /// The page's language (`vi`, `en`), for the notes.
    pub hl: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    Relevance,
    Newest,
    Oldest,
}

/// A validated search request.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    pub q: String,
    pub limit: usize,
    pub offset: usize,
    pub collection: Option<String>,
    pub doc_type: Option<String>,
    pub lang: Option<String>,
    pub year_from: Option<i32>,
    pub year_to: Option<i32>,
    pub sort: Option<Sort>,
    /// The language notes are written in.
    pub hl: UiLang,
}

fn non_empty(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn int_param(name: &str, v: &Option<String>, min: i64, max: i64) -> Result<Option<i64>, AppError> {
    let Some(s) = non_empty(v) else {
        return Ok(None);
    };
    match s.parse::<i64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(Some(n)),
        _ => Err(AppError::bad_request(format!(
            "{name} must be an integer from {min} to {max}, not {s:?}"
        ))),
    }
}

impl SearchRequest {
    pub fn from_params(p: &SearchParams) -> Result<SearchRequest, AppError> {
        let q = p.q.clone().unwrap_or_default();
        if q.chars().count() > MAX_QUERY_CHARS {
            return Err(AppError::bad_request(format!(
                "the query is too long ({} characters); use at most {MAX_QUERY_CHARS}",
                q.chars().count()
            )));
        }
        let limit = int_param("limit", &p.limit, 1, MAX_LIMIT as i64)?.unwrap_or(10) as usize;
        let offset = int_param("offset", &p.offset, 0, MAX_DEPTH as i64)?.unwrap_or(0) as usize;
        if offset + limit > MAX_DEPTH {
            return Err(AppError::bad_request(format!(
                "offset + limit must be at most {MAX_DEPTH}; narrow the search instead"
            )));
        }
        let doc_type = match non_empty(&p.doc_type) {
            None => None,
            Some(s) => Some(
                s.parse::<DocType>()
                    .map_err(|e| AppError::bad_request(e.to_string()))?
                    .as_str()
                    .to_string(),
            ),
        };
        let lang = match non_empty(&p.lang) {
            None => None,
            Some(s) if s.len() <= 8 && s.chars().all(|c| c.is_ascii_alphabetic()) => {
                Some(s.to_ascii_lowercase())
            }
            Some(s) => {
                return Err(AppError::bad_request(format!(
                    "lang must be a language code like vi or en, not {s:?}"
                )))
            }
        };
        let collection = match non_empty(&p.collection) {
            Some(s) if s.chars().count() > 200 => {
                return Err(AppError::bad_request("collection name too long"))
            }
            other => other.map(str::to_string),
        };
        let year_from = int_param("year_from", &p.year_from, 0, 9999)?.map(|y| y as i32);
        let year_to = int_param("year_to", &p.year_to, 0, 9999)?.map(|y| y as i32);
        if let (Some(a), Some(b)) = (year_from, year_to) {
            if a > b {
                return Err(AppError::bad_request(format!(
                    "year_from ({a}) is after year_to ({b})"
                )));
            }
        }
        let sort = match non_empty(&p.sort) {
            None => None,
            Some("relevance") => Some(Sort::Relevance),
            Some("newest") => Some(Sort::Newest),
            Some("oldest") => Some(Sort::Oldest),
            Some(s) => {
                return Err(AppError::bad_request(format!(
                    "sort must be relevance, newest or oldest, not {s:?}"
                )))
            }
        };
        let hl = match non_empty(&p.hl) {
            None => UiLang::default(),
            Some(s) => UiLang::parse(s)
                .ok_or_else(|| AppError::bad_request(format!("hl must be vi or en, not {s:?}")))?,
        };
        Ok(SearchRequest {
            q,
            limit,
            offset,
            collection,
            doc_type,
            lang,
            year_from,
            year_to,
            sort,
            hl,
        })
    }
}

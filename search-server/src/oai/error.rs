//! OAI-PMH error conditions (protocol section 3.6), answered in the protocol's words: an
//! `<error code="...">` element in an HTTP 200 response, with a message saying what to change.

/// The error codes the protocol defines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    BadArgument,
    BadResumptionToken,
    BadVerb,
    CannotDisseminateFormat,
    IdDoesNotExist,
    NoRecordsMatch,
    NoMetadataFormats,
    NoSetHierarchy,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::BadArgument => "badArgument",
            Code::BadResumptionToken => "badResumptionToken",
            Code::BadVerb => "badVerb",
            Code::CannotDisseminateFormat => "cannotDisseminateFormat",
            Code::IdDoesNotExist => "idDoesNotExist",
            Code::NoRecordsMatch => "noRecordsMatch",
            Code::NoMetadataFormats => "noMetadataFormats",
            Code::NoSetHierarchy => "noSetHierarchy",
        }
    }
}

/// One error of a request.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: {message}", code.as_str())]
pub struct OaiError {
    pub code: Code,
    pub message: String,
}

impl OaiError {
    pub fn new(code: Code, message: impl Into<String>) -> OaiError {
        OaiError {
            code,
            message: message.into(),
        }
    }
}

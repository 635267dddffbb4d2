//! The files of `static/`, embedded in the binary so the server needs nothing beside it: the
//! scripts, style sheet and icon served under `/static/`, the two HTML templates and the
//! OpenAPI description of the JSON API.

/// One embedded asset: name, content type, bytes.
pub const ASSETS: &[(&str, &str, &str)] = &[
    (
        "app.js",
        "text/javascript; charset=utf-8",
        include_str!("../../static/app.js"),
    ),
    (
        "doc.js",
        "text/javascript; charset=utf-8",
        include_str!("../../static/doc.js"),
    ),
    (
        "i18n.js",
        "text/javascript; charset=utf-8",
        include_str!("../../static/i18n.js"),
    ),
    (
        "style.css",
        "text/css; charset=utf-8",
        include_str!("../../static/style.css"),
    ),
    (
        "favicon.svg",
        "image/svg+xml",
        include_str!("../../static/favicon.svg"),
    ),
];

/// The search page.
pub const INDEX_HTML: &str = include_str!("../../static/index.html");
/// The document page's template, whose `{{NAME}}` slots `render_doc` fills.
pub const DOC_HTML: &str = include_str!("../../static/doc.html");

/// The OpenAPI 3 description of the API, served at `/api/openapi.json`.
pub const OPENAPI_JSON: &str = include_str!("../../static/openapi.json");

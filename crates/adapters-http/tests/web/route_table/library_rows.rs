//! The table's rows for asset libraries and their assets: any staff member manages them.

use super::rows::{KEY, Row, STAFF, get, post, staff};

/// Library and asset pages and their forms.
pub const LIBRARY_ROWS: &[Row] = &[
    get("/manage/libraries", "/manage/libraries", STAFF),
    get("/manage/libraries/new", "/manage/libraries/new", STAFF),
    post(
        "/manage/libraries/new",
        "/manage/libraries/new",
        &[("name", "Cold War"), ("category", "Historic"), ("idempotency_key", KEY)],
        staff("/manage/libraries/*"),
    ),
    get("/manage/libraries/{id}", "/manage/libraries/{lib}", STAFF),
    get("/manage/libraries/{id}/edit", "/manage/libraries/{lib}/edit", STAFF),
    post(
        "/manage/libraries/{id}/edit",
        "/manage/libraries/{lib}/edit",
        &[("name", "Base game 2035"), ("is_default", "true")],
        staff("/manage/libraries/{lib}"),
    ),
    post("/manage/libraries/{id}/delete", "/manage/libraries/{unused}/delete", &[], staff("/manage/libraries")),
    get("/manage/libraries/{id}/assets/new", "/manage/libraries/{lib}/assets/new", STAFF),
    post(
        "/manage/libraries/{id}/assets/new",
        "/manage/libraries/{lib}/assets/new",
        &[
            ("name", "Strider"),
            ("kind", "Vehicle"),
            ("default_quantity", "2"),
            ("public", "true"),
            ("idempotency_key", KEY),
        ],
        staff("/manage/libraries/{lib}"),
    ),
    get("/manage/assets/{id}/edit", "/manage/assets/{asset}/edit", STAFF),
    post(
        "/manage/assets/{id}/edit",
        "/manage/assets/{asset}/edit",
        &[("name", "Hunter HMG"), ("kind", "Vehicle"), ("default_quantity", "4"), ("public", "true")],
        staff("/manage/libraries/{lib}"),
    ),
    post(
        "/manage/assets/{id}/delete",
        "/manage/assets/{unused_asset}/delete",
        &[],
        staff("/manage/libraries/{unused}"),
    ),
    get("/manage/libraries/{id}/copy", "/manage/libraries/{spare}/copy", STAFF),
    get("/manage/libraries/{id}/copy", "/manage/libraries/{spare}/copy?from_library={lib}", STAFF),
    post(
        "/manage/libraries/{id}/copy",
        "/manage/libraries/{spare}/copy",
        &[("from_library", "{lib}"), ("asset_ids", "{asset}")],
        staff("/manage/libraries/{spare}"),
    ),
    get("/manage/libraries/{id}/assets.csv", "/manage/libraries/{lib}/assets.csv", STAFF),
    get("/manage/libraries/{id}/import", "/manage/libraries/{spare}/import", STAFF),
    post(
        "/manage/libraries/{id}/import",
        "/manage/libraries/{spare}/import",
        &[("csv", CSV), ("action", "preview")],
        STAFF,
    ),
    post(
        "/manage/libraries/{id}/import",
        "/manage/libraries/{spare}/import",
        &[("csv", CSV), ("action", "import")],
        staff("/manage/libraries/{spare}"),
    ),
];

/// A file of one asset to import.
const CSV: &str = "name,kind,category,description,default_quantity,unique,public\nImported crate,Supply,,,5,no,yes\n";

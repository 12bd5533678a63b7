//! The table's rows for the staff dashboard, the campaign pools and the reports: the
//! active campaign (any staff member), the planned one (admins only) and the closed one
//! (read-only for everyone).

use super::rows::{KEY, Outcome, Row, STAFF, admin, closed, get, post, staff};

/// The staff dashboard, pool pages and actions, and reports.
pub const MANAGE_ROWS: &[Row] = &[
    get("/manage", "/manage", STAFF),
    get("/manage/reports", "/manage/reports", STAFF),
    get("/manage/campaigns/{cid}/report", "/manage/campaigns/{active}/report", STAFF),
    get("/manage/campaigns/{cid}/report", "/manage/campaigns/{planned}/report", STAFF),
    get("/manage/campaigns/{cid}/report", "/manage/campaigns/{closed}/report", STAFF),
    get("/manage/campaigns/{cid}/report.csv", "/manage/campaigns/{active}/report.csv", STAFF),
    get("/manage/campaigns/{cid}/report.csv", "/manage/campaigns/{closed}/report.csv?bom=1", STAFF),
    get("/manage/campaigns/{cid}/report.json", "/manage/campaigns/{active}/report.json", STAFF),
    get("/manage/campaigns/{cid}/report.json", "/manage/campaigns/{closed}/report.json", STAFF),
    get("/manage/campaigns/{cid}/pool", "/manage/campaigns/{active}/pool", STAFF),
    get("/manage/campaigns/{cid}/pool", "/manage/campaigns/{planned}/pool", STAFF),
    get("/manage/campaigns/{cid}/pool", "/manage/campaigns/{closed}/pool", STAFF),
    get("/manage/campaigns/{cid}/pool", "/manage/campaigns/{missing}/pool", MISSING),
    // Import a library the pool does not hold.
    post(IMPORT, "/manage/campaigns/{active}/pool/import", SPARE, staff("/manage/campaigns/{active}/pool")),
    post(IMPORT, "/manage/campaigns/{planned}/pool/import", SPARE, admin("/manage/campaigns/{planned}/pool")),
    post(IMPORT, "/manage/campaigns/{closed}/pool/import", SPARE, closed("/manage/campaigns/{closed}/pool")),
    // Sync the imported library, which gained an asset since.
    post(SYNC, "/manage/campaigns/{active}/pool/sync", LIB, staff("/manage/campaigns/{active}/pool")),
    post(SYNC, "/manage/campaigns/{planned}/pool/sync", LIB, admin("/manage/campaigns/{planned}/pool")),
    post(SYNC, "/manage/campaigns/{closed}/pool/sync", LIB, closed("/manage/campaigns/{closed}/pool")),
    // Add one asset the pool does not hold.
    post(ADD, "/manage/campaigns/{active}/pool/add", ASSET, staff("/manage/campaigns/{active}/pool")),
    post(ADD, "/manage/campaigns/{planned}/pool/add", ASSET, admin("/manage/campaigns/{planned}/pool")),
    post(ADD, "/manage/campaigns/{closed}/pool/add", ASSET, closed("/manage/campaigns/{closed}/pool")),
    // One entry: its initial quantity, its visibility, its removal (the entry has no change).
    post(INITIAL, "/manage/pool/{entry}/initial", &[("initial", "9"), ("campaign_id", "{active}")], ACTIVE_POOL),
    post(INITIAL, "/manage/pool/{p_entry}/initial", &[("initial", "9"), ("campaign_id", "{planned}")], PLANNED_POOL),
    post(INITIAL, "/manage/pool/{c_entry}/initial", &[("initial", "9"), ("campaign_id", "{closed}")], CLOSED_POOL),
    post(PUBLIC, "/manage/pool/{entry}/visibility", &[("public", "false"), ("campaign_id", "{active}")], ACTIVE_POOL),
    post(
        PUBLIC,
        "/manage/pool/{p_entry}/visibility",
        &[("public", "false"), ("campaign_id", "{planned}")],
        PLANNED_POOL,
    ),
    post(PUBLIC, "/manage/pool/{c_entry}/visibility", &[("public", "false"), ("campaign_id", "{closed}")], CLOSED_POOL),
    post(REMOVE, "/manage/pool/{bare_entry}/remove", &[("campaign_id", "{active}")], ACTIVE_POOL),
    post(REMOVE, "/manage/pool/{p_bare_entry}/remove", &[("campaign_id", "{planned}")], PLANNED_POOL),
    post(REMOVE, "/manage/pool/{c_bare_entry}/remove", &[("campaign_id", "{closed}")], CLOSED_POOL),
    post(REMOVE, "/manage/pool/{missing}/remove", &[("campaign_id", "{active}")], MISSING),
];

const IMPORT: &str = "/manage/campaigns/{cid}/pool/import";
const SYNC: &str = "/manage/campaigns/{cid}/pool/sync";
const ADD: &str = "/manage/campaigns/{cid}/pool/add";
const INITIAL: &str = "/manage/pool/{entry}/initial";
const PUBLIC: &str = "/manage/pool/{entry}/visibility";
const REMOVE: &str = "/manage/pool/{entry}/remove";

const SPARE: &[(&str, &str)] = &[("library_id", "{spare}"), ("idempotency_key", KEY)];
const LIB: &[(&str, &str)] = &[("library_id", "{lib}")];
const ASSET: &[(&str, &str)] = &[("asset_id", "{spare_asset}"), ("initial", "2"), ("idempotency_key", KEY)];

/// A staff page or write naming an id nothing has.
const MISSING: [Outcome; 3] = [Outcome::ToLogin, Outcome::NotFound, Outcome::NotFound];

const ACTIVE_POOL: [Outcome; 3] = staff("/manage/campaigns/{active}/pool");
const PLANNED_POOL: [Outcome; 3] = admin("/manage/campaigns/{planned}/pool");
const CLOSED_POOL: [Outcome; 3] = closed("/manage/campaigns/{closed}/pool");

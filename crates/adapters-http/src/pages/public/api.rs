//! `GET /api/v1/pool`: the active campaign's public pool as JSON, or 404
//! `{"error": "no campaign is active"}` when none is active.
//!
//! Invariant: the JSON shape is a published contract: `campaign` {name, start, end}
//! and `assets` [{name, kind, category, current, initial}]; hidden entries never appear.

use crate::AppState;
use crate::web::HttpError;
use application::App;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::{Campaign, PoolEntry};
use serde::Serialize;

/// The campaign the pool belongs to.
#[derive(Debug, Serialize)]
struct CampaignJson {
    name: String,
    /// The first day, `YYYY-MM-DD`.
    start: String,
    /// The last day, `YYYY-MM-DD`, or `null` when not set.
    end: Option<String>,
}

/// One public pool entry.
#[derive(Debug, Serialize)]
struct AssetJson {
    name: String,
    kind: &'static str,
    category: String,
    current: u32,
    initial: u32,
}

/// The response body.
#[derive(Debug, Serialize)]
struct PoolJson {
    campaign: CampaignJson,
    assets: Vec<AssetJson>,
}

impl PoolJson {
    fn new(campaign: &Campaign, pool: &[PoolEntry]) -> Self {
        let dates = &campaign.details().dates;
        let campaign = CampaignJson {
            name: campaign.name().to_string(),
            start: dates.start().to_string(),
            end: dates.end().map(|d| d.to_string()),
        };
        let assets = pool
            .iter()
            .map(|e| AssetJson {
                name: e.asset_name().to_string(),
                kind: e.kind().as_str(),
                category: e.category().to_string(),
                current: e.current().get(),
                initial: e.initial().get(),
            })
            .collect();
        Self { campaign, assets }
    }
}

/// `GET /api/v1/pool`.
pub(super) async fn pool<A: App>(State(state): State<AppState<A>>) -> Result<Response, HttpError> {
    Ok(match state.tracker.public_pool().await? {
        Some((campaign, pool)) => Json(PoolJson::new(&campaign, &pool)).into_response(),
        None => (StatusCode::NOT_FOUND, Json(serde_json::json!({ "error": "no campaign is active" }))).into_response(),
    })
}

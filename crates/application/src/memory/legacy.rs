//! The legacy import in memory: the whole plan in one all-or-nothing write, with the
//! backstops a database keeps (an empty store, unique names, one active campaign,
//! the ledger's bounds).

use super::{MemoryStore, State};
use crate::error::{Conflict, RepoResult};
use crate::legacy::{ImportPlan, ImportedIds};
use crate::ports::LegacyImportRepo;
use domain::{
    Asset, AssetChange, AssetChangeId, AssetId, AssetLibrary, Campaign, CampaignId, CampaignStatus, Event, EventId,
    LibraryId, Mission, MissionId, NewAuditEntry, PoolEntry, PoolEntryId, SecurityStamp, User, UserId,
};
use std::collections::HashSet;

fn holds_data(s: &State) -> bool {
    !s.users.is_empty() || !s.libraries.is_empty() || !s.campaigns.is_empty()
}

impl LegacyImportRepo for MemoryStore {
    async fn holds_data(&self) -> RepoResult<bool> {
        self.read(holds_data)
    }

    async fn import_legacy(&self, plan: &ImportPlan, audit: &NewAuditEntry) -> RepoResult<ImportedIds> {
        self.write(|s| {
            if holds_data(s) {
                return Err(Conflict::StoreNotEmpty.into());
            }
            let mut ids = ImportedIds::default();
            let mut names = HashSet::new();
            for u in &plan.users {
                if !names.insert(u.username.normalized()) {
                    return Err(Conflict::DuplicateUsername.into());
                }
                let id = UserId::new(s.next_id());
                let user = User::new(
                    id,
                    u.username.clone(),
                    u.role,
                    u.password_hash.clone(),
                    false,
                    SecurityStamp::INITIAL,
                    plan.at,
                );
                s.users.insert(id, user);
                ids.users.push(id);
            }
            let mut library_names = HashSet::new();
            for l in &plan.libraries {
                if !library_names.insert(l.name.as_str()) {
                    return Err(Conflict::DuplicateLibraryName.into());
                }
                let id = LibraryId::new(s.next_id());
                let library = AssetLibrary {
                    id,
                    name: l.name.clone(),
                    description: l.description.clone(),
                    category: l.category.clone(),
                    is_default: l.is_default,
                };
                s.libraries.insert(id, library);
                let mut asset_names = HashSet::new();
                let mut assets = Vec::new();
                for spec in &l.assets {
                    if !asset_names.insert(spec.name().as_str()) {
                        return Err(Conflict::DuplicateAssetName.into());
                    }
                    let asset_id = AssetId::new(s.next_id());
                    s.assets.insert(asset_id, Asset { id: asset_id, library_id: id, spec: spec.clone() });
                    assets.push(asset_id);
                }
                ids.libraries.push(id);
                ids.assets.push(assets);
            }
            if plan.campaigns.iter().filter(|c| c.status == CampaignStatus::Active).count() > 1 {
                return Err(Conflict::AnotherCampaignActive.into());
            }
            for c in &plan.campaigns {
                let id = CampaignId::new(s.next_id());
                let campaign = Campaign::new(id, c.details.clone(), c.status, c.created_at, c.closed_at);
                s.campaigns.insert(id, campaign);
                ids.campaigns.push(id);
                let mut entries = Vec::new();
                for e in &c.pool {
                    let entry_id = PoolEntryId::new(s.next_id());
                    let pooled = plan.pooled(e, &ids);
                    let entry = PoolEntry::new(entry_id, id, pooled, e.initial, e.current, e.public)
                        .map_err(Conflict::Ledger)?;
                    s.pool.insert(entry_id, entry);
                    entries.push(entry_id);
                }
                ids.entries.push(entries);
                let mut missions = Vec::new();
                let mut events = Vec::new();
                for m in &c.missions {
                    let mission_id = MissionId::new(s.next_id());
                    let mission = Mission {
                        id: mission_id,
                        campaign_id: id,
                        details: m.details.clone(),
                        status: m.status,
                        order_index: m.order_index,
                    };
                    s.missions.insert(mission_id, mission);
                    missions.push(mission_id);
                    let mut mission_events = Vec::new();
                    for e in &m.events {
                        let event_id = EventId::new(s.next_id());
                        let entry_ids = ids.entries.last().map(Vec::as_slice).unwrap_or_default();
                        let mut changes = Vec::new();
                        for ch in &e.changes {
                            changes.push(AssetChange {
                                id: AssetChangeId::new(s.next_id()),
                                event_id,
                                pool_entry_id: entry_ids[ch.entry],
                                delta: ch.delta,
                                note: ch.note.clone(),
                            });
                        }
                        let event = Event { id: event_id, mission_id, details: e.details.clone(), changes };
                        s.events.insert(event_id, event);
                        mission_events.push(event_id);
                    }
                    events.push(mission_events);
                }
                ids.missions.push(missions);
                ids.events.push(events);
            }
            for c in 0..plan.campaigns.len() {
                if let Some(report) = plan.archived_report(c, &ids) {
                    s.reports.insert(ids.campaigns[c], report);
                }
            }
            for entry in plan.library_audit(&ids) {
                s.record(&entry, None);
            }
            s.record(audit, None);
            Ok(ids)
        })
    }
}

//! Page-shaped reads (`PageRepo`): each page's data in at most two statements, in one
//! snapshot, however large the campaign. Joined tables come back in one statement with
//! prefixed columns (`c_` campaign, `p_` pool entry, `m_` mission, `e_` event, `ch_`
//! change, `l_` library, `a_` asset, `u_` user), and `Gather` folds the rows back into
//! domain values, each object once, in the order it first appears.

use crate::SqlStore;
use crate::dialect::{Arg, Dialect};
use crate::errors::stored;
use crate::events::{CHANGE_COLUMNS, EVENT_FIELDS, change, event};
use crate::libraries::{ASSET_COLUMNS, asset, sorted as sorted_assets, summary};
use crate::missions::mission;
use crate::pool::{POOL_COLUMNS, entry, sorted as sorted_pool};
use crate::query::{Exec, Row, Sql, nulls, prefixed};
use crate::{archive, audit, campaigns, libraries, missions, users};
use application::error::RepoResult;
use application::ports::{
    AuditFilter, AuditPage, CampaignHistory, CampaignPool, CampaignRef, DashboardPage, EventScope, LatestMission,
    LibraryCampaign, LibraryPage, LibrarySummary, MissionEntries, MissionEventsPage, MissionListPage, MissionScope,
    Page, PageRepo, PageRequest, PoolWithLibraries, ReportSource, StaffOverview, TimelinePage,
};
use domain::{
    Asset, AssetId, AuditAction, Campaign, CampaignId, CampaignReport, Event, EventId, LibraryId, Mission, MissionId,
    ObjectKind, PoolEntryId, User,
};
use std::collections::HashMap;
use time::UtcDateTime;

/// Folds joined rows into campaigns, missions and events (with their changes).
#[derive(Default)]
struct Gather {
    campaign: Option<Campaign>,
    missions: Vec<Mission>,
    events: Vec<Event>,
    event_at: HashMap<EventId, usize>,
}

impl Gather {
    fn campaign<D: Dialect>(&mut self, r: Row<'_, D>) -> RepoResult<()> {
        if self.campaign.is_none() {
            self.campaign = Some(campaigns::campaign(r.prefixed("c_"))?);
        }
        Ok(())
    }

    fn mission<D: Dialect>(&mut self, r: Row<'_, D>) -> RepoResult<()> {
        let id: Option<i64> = r.prefixed("m_").get("id")?;
        if id.is_some_and(|id| self.missions.last().is_none_or(|m| m.id.get() != id)) {
            self.missions.push(mission(r.prefixed("m_"))?);
        }
        Ok(())
    }

    /// The event and its change on this row, when the row has them.
    fn event<D: Dialect>(&mut self, r: Row<'_, D>) -> RepoResult<()> {
        let Some(id) = r.prefixed("e_").get::<Option<i64>>("id")?.map(EventId::new) else { return Ok(()) };
        let at = match self.event_at.get(&id) {
            Some(at) => *at,
            None => {
                self.events.push(event(r.prefixed("e_"))?);
                self.event_at.insert(id, self.events.len() - 1);
                self.events.len() - 1
            }
        };
        if r.prefixed("ch_").get::<Option<i64>>("id")?.is_some() {
            self.events[at].changes.push(change(r.prefixed("ch_"))?);
        }
        Ok(())
    }

    /// The events, oldest first.
    fn events_by_time(mut self) -> Vec<Event> {
        self.events.sort_by_key(|e| (e.details.occurred_at, e.id));
        self.events
    }
}

/// The condition picking the campaign aliased `c`, and its value if it takes one.
fn which_campaign(which: CampaignRef) -> (&'static str, Option<i64>) {
    match which {
        CampaignRef::Active => ("c.status = 'Active'", None),
        CampaignRef::Id(id) => ("c.id = $1", Some(id.get())),
    }
}

/// The campaign and its pool, in one statement; `extra` adds columns to every row.
async fn read_campaign_pool<E: Exec>(
    on: &mut E,
    which: CampaignRef,
    extra: &str,
) -> RepoResult<Option<(CampaignPool, Option<u64>)>> {
    Ok(read_pool_and_libraries(on, which, extra, false).await?.map(|(found, total, _)| (found, total)))
}

/// The libraries a pool's entries came from, with their names now, by id.
type LibraryNames = Vec<(LibraryId, String)>;

/// The campaign and its pool, in one statement; `extra` adds columns to every row (the
/// `total` it names is read back), and `with_libraries` the names of the libraries the
/// entries came from.
async fn read_pool_and_libraries<E: Exec>(
    on: &mut E,
    which: CampaignRef,
    extra: &str,
    with_libraries: bool,
) -> RepoResult<Option<(CampaignPool, Option<u64>, LibraryNames)>> {
    let (condition, id) = which_campaign(which);
    let (library_column, library_join) = if with_libraries {
        (", l.name AS library_name", " LEFT JOIN libraries l ON l.id = p.library_id")
    } else {
        ("", "")
    };
    let sql = format!(
        "SELECT {}, {}{library_column}{extra} FROM campaigns c LEFT JOIN pool_entries p ON p.campaign_id = c.id\
         {library_join} WHERE {condition}",
        prefixed("c", "c_", campaigns::COLUMNS),
        prefixed("p", "p_", POOL_COLUMNS),
    );
    let mut sql = Sql::new(sql);
    if let Some(id) = id {
        sql = sql.bind(id);
    }
    let mut gather = Gather::default();
    let (mut pool, mut total, mut libraries) = (Vec::new(), None, LibraryNames::new());
    for row in sql.all(on).await? {
        let r = Row::<E::D>::new(&row);
        gather.campaign(r)?;
        if !extra.is_empty() {
            total = Some(r.get::<u64>("total")?);
        }
        if r.prefixed("p_").get::<Option<i64>>("id")?.is_some() {
            let entry = entry(r.prefixed("p_"))?;
            if with_libraries
                && let Some(name) = r.get::<Option<String>>("library_name")?
                && !libraries.iter().any(|(id, _)| *id == entry.library_id())
            {
                libraries.push((entry.library_id(), name));
            }
            pool.push(entry);
        }
    }
    libraries.sort_by_key(|(id, _)| *id);
    Ok(gather.campaign.map(|campaign| (CampaignPool { campaign, pool: sorted_pool(pool) }, total, libraries)))
}

/// The missions, events and changes of `condition` (on `m` and `e`, `$1` bound to `id`).
async fn read_history<E: Exec>(on: &mut E, condition: &str, id: i64, with_campaign: bool) -> RepoResult<Gather> {
    let campaign = if with_campaign { format!("{}, ", prefixed("c", "c_", campaigns::COLUMNS)) } else { String::new() };
    let sql = format!(
        "SELECT {campaign}{}, {}, {} FROM missions m JOIN campaigns c ON c.id = m.campaign_id \
         LEFT JOIN events e ON e.mission_id = m.id LEFT JOIN asset_changes ch ON ch.event_id = e.id \
         WHERE {condition} ORDER BY m.order_index, m.id, e.id, ch.id",
        prefixed("m", "m_", missions::COLUMNS),
        prefixed("e", "e_", EVENT_FIELDS),
        prefixed("ch", "ch_", CHANGE_COLUMNS),
    );
    let mut gather = Gather::default();
    for row in Sql::new(sql).bind(id).all(on).await? {
        let r = Row::<E::D>::new(&row);
        if with_campaign {
            gather.campaign(r)?;
        }
        gather.mission(r)?;
        gather.event(r)?;
    }
    Ok(gather)
}

/// A campaign's pool.
async fn read_pool<E: Exec>(on: &mut E, campaign: CampaignId) -> RepoResult<Vec<domain::PoolEntry>> {
    crate::pool::read_pool(on, campaign).await
}

/// A `WITH` entry `l`: the libraries (`s`) that match `filter` with their summaries,
/// worked out once per library (materialized, so that a join with the assets does not
/// count them again for every asset).
fn summaries(filter: &str) -> String {
    format!("l AS MATERIALIZED (SELECT * FROM ({}) s WHERE {filter})", libraries::SUMMARY)
}

/// The summary columns of `SUMMARIES`, `l_` prefixed.
const SUMMARY_FIELDS: &str = "id, name, description, category, is_default, asset_count, in_use";

/// The campaigns whose pool holds library `id`'s assets, newest first (one statement).
async fn read_library_campaigns<E: Exec>(on: &mut E, id: LibraryId) -> RepoResult<Vec<LibraryCampaign>> {
    // When the library came in and was last synced, from the audit entries written
    // with those changes; how many of its assets each pool lacks.
    let when = |of: &str, action: &str| {
        format!(
            "(SELECT {of}(a.at) FROM audit_log a WHERE a.campaign_id = c.id AND a.action = {action} \
             AND a.object_kind = $4 AND a.object_id = $1)"
        )
    };
    let sql = format!(
        "SELECT {}, {} AS imported_at, {} AS synced_at, \
         (SELECT count(*) FROM assets s WHERE s.library_id = $1 AND NOT EXISTS \
         (SELECT 1 FROM pool_entries p WHERE p.campaign_id = c.id AND p.asset_id = s.id)) AS missing \
         FROM campaigns c WHERE EXISTS (SELECT 1 FROM pool_entries pe WHERE pe.campaign_id = c.id \
         AND pe.library_id = $1) ORDER BY c.id DESC",
        prefixed("c", "c_", campaigns::COLUMNS),
        when("min", "$2"),
        when("max", "$3"),
    );
    let rows = Sql::new(sql)
        .bind(id.get())
        .bind(AuditAction::LibraryImported.as_str())
        .bind(AuditAction::LibrarySynced.as_str())
        .bind(ObjectKind::Library.as_str())
        .all(on)
        .await?;
    rows.iter()
        .map(|row| {
            let r = Row::<E::D>::new(row);
            let campaign = campaigns::campaign(r.prefixed("c_"))?;
            let imported_at = r.get::<Option<UtcDateTime>>("imported_at")?.unwrap_or_else(|| campaign.created_at());
            let synced_at = r.get("synced_at")?;
            Ok(LibraryCampaign { campaign, imported_at, synced_at, missing: r.get("missing")? })
        })
        .collect()
}

/// Every library (or only `only`) with its assets.
async fn read_libraries<E: Exec>(on: &mut E, only: Option<LibraryId>) -> RepoResult<Vec<(LibrarySummary, Vec<Asset>)>> {
    let sql = format!(
        "WITH {} SELECT {}, {} FROM l LEFT JOIN assets a ON a.library_id = l.id ORDER BY l.name, l.id, a.id",
        summaries("$1 IS NULL OR s.id = $1"),
        prefixed("l", "l_", SUMMARY_FIELDS),
        prefixed("a", "a_", ASSET_COLUMNS)
    );
    let mut libraries: Vec<(LibrarySummary, Vec<Asset>)> = Vec::new();
    for row in Sql::new(sql).bind(only.map(LibraryId::get)).all(on).await? {
        let r = Row::<E::D>::new(&row);
        let id: i64 = r.prefixed("l_").get("id")?;
        if libraries.last().is_none_or(|(l, _)| l.library.id.get() != id) {
            libraries.push((summary(r.prefixed("l_"))?, Vec::new()));
        }
        if r.prefixed("a_").get::<Option<i64>>("id")?.is_some()
            && let Some((_, assets)) = libraries.last_mut()
        {
            assets.push(asset(r.prefixed("a_"))?);
        }
    }
    Ok(libraries.into_iter().map(|(library, assets)| (library, sorted_assets(assets))).collect())
}

impl<D: Dialect> PageRepo for SqlStore<D> {
    async fn revision(&self) -> RepoResult<u64> {
        let row = Sql::new("SELECT revision FROM store_revision WHERE id = 1")
            .optional(&mut self.conn().await?)
            .await?
            .ok_or_else(|| crate::errors::invariant("the store_revision row is missing"))?;
        stored("store revision", u64::try_from(Row::<D>::new(&row).get::<i64>("revision")?))
    }

    async fn campaign_pool(&self, which: CampaignRef) -> RepoResult<Option<CampaignPool>> {
        Ok(read_campaign_pool(&mut self.conn().await?, which, "").await?.map(|(found, _)| found))
    }

    async fn campaign_history(&self, which: CampaignRef) -> RepoResult<Option<CampaignHistory>> {
        self.in_snapshot(async |s| {
            let Some((CampaignPool { campaign, pool }, _)) = read_campaign_pool(s, which, "").await? else {
                return Ok(None);
            };
            let gather = read_history(s, "m.campaign_id = $1", campaign.id().get(), false).await?;
            let missions = gather.missions.clone();
            Ok(Some(CampaignHistory { campaign, pool, missions, events: gather.events_by_time() }))
        })
        .await
    }

    async fn mission_scope(&self, id: MissionId) -> RepoResult<Option<MissionScope>> {
        self.in_snapshot(async |s| {
            let mut gather = read_history(s, "m.id = $1", id.get(), true).await?;
            let (Some(campaign), Some(mission)) = (gather.campaign.take(), gather.missions.pop()) else {
                return Ok(None);
            };
            let pool = read_pool(s, campaign.id()).await?;
            Ok(Some(MissionScope { campaign, mission, events: gather.events_by_time(), pool }))
        })
        .await
    }

    async fn mission_entries(&self, id: MissionId, entries: &[PoolEntryId]) -> RepoResult<Option<MissionEntries>> {
        let sql = format!(
            "SELECT {}, {}, {} FROM missions m JOIN campaigns c ON c.id = m.campaign_id \
             LEFT JOIN pool_entries p ON p.campaign_id = c.id AND {} WHERE m.id = $1",
            prefixed("c", "c_", campaigns::COLUMNS),
            prefixed("m", "m_", missions::COLUMNS),
            prefixed("p", "p_", POOL_COLUMNS),
            D::any_id("p.id", "$2"),
        );
        let ids = entries.iter().map(|e| e.get()).collect();
        let (mut gather, mut found) = (Gather::default(), Vec::new());
        for row in Sql::new(sql).bind(id.get()).bind(Arg::Ids(ids)).all(&mut self.conn().await?).await? {
            let r = Row::<D>::new(&row);
            gather.campaign(r)?;
            gather.mission(r)?;
            if r.prefixed("p_").get::<Option<i64>>("id")?.is_some() {
                found.push(entry(r.prefixed("p_"))?);
            }
        }
        let (Some(campaign), Some(mission)) = (gather.campaign, gather.missions.pop()) else { return Ok(None) };
        Ok(Some(MissionEntries { campaign, mission, entries: sorted_pool(found) }))
    }

    async fn event_scope(&self, id: EventId) -> RepoResult<Option<EventScope>> {
        self.in_snapshot(async |s| {
            let mut gather = read_history(s, "e.id = $1", id.get(), true).await?;
            let (Some(campaign), Some(mission), Some(event)) =
                (gather.campaign.take(), gather.missions.pop(), gather.events.pop())
            else {
                return Ok(None);
            };
            let pool = read_pool(s, campaign.id()).await?;
            Ok(Some(EventScope { campaign, mission, event, pool }))
        })
        .await
    }

    async fn campaign_missions(&self, id: CampaignId) -> RepoResult<Option<(Campaign, Vec<Mission>)>> {
        let sql = format!(
            "SELECT {}, {} FROM campaigns c LEFT JOIN missions m ON m.campaign_id = c.id WHERE c.id = $1 \
             ORDER BY m.order_index, m.id",
            prefixed("c", "c_", campaigns::COLUMNS),
            prefixed("m", "m_", missions::COLUMNS),
        );
        let mut gather = Gather::default();
        for row in Sql::new(sql).bind(id.get()).all(&mut self.conn().await?).await? {
            let r = Row::<D>::new(&row);
            gather.campaign(r)?;
            gather.mission(r)?;
        }
        Ok(gather.campaign.map(|campaign| (campaign, gather.missions)))
    }

    async fn library_page(&self, id: LibraryId) -> RepoResult<Option<LibraryPage>> {
        self.in_snapshot(async |s| {
            let Some((summary, assets)) = read_libraries(s, Some(id)).await?.pop() else { return Ok(None) };
            let campaigns = read_library_campaigns(s, id).await?;
            Ok(Some(LibraryPage { summary, assets, campaigns }))
        })
        .await
    }

    async fn asset_in_library(&self, id: AssetId) -> RepoResult<Option<(Asset, LibrarySummary)>> {
        let sql = format!(
            "WITH {} SELECT {}, {} FROM assets a JOIN l ON l.id = a.library_id WHERE a.id = $1",
            summaries("s.id = (SELECT library_id FROM assets WHERE id = $1)"),
            prefixed("a", "a_", ASSET_COLUMNS),
            prefixed("l", "l_", SUMMARY_FIELDS),
        );
        let pair = |r: Row<'_, D>| Ok((asset(r.prefixed("a_"))?, summary(r.prefixed("l_"))?));
        Sql::new(sql).bind(id.get()).optional_as(&mut self.conn().await?, pair).await
    }

    async fn pool_with_libraries(&self, campaign: CampaignId) -> RepoResult<Option<PoolWithLibraries>> {
        self.in_snapshot(async |s| {
            let Some((campaign, _)) = read_campaign_pool(s, CampaignRef::Id(campaign), "").await? else {
                return Ok(None);
            };
            Ok(Some(PoolWithLibraries { campaign, libraries: read_libraries(s, None).await? }))
        })
        .await
    }

    async fn timeline_page(&self, which: CampaignRef, page: PageRequest) -> RepoResult<Option<TimelinePage>> {
        self.in_snapshot(async |s| {
            let total = ", (SELECT count(*) FROM events te JOIN missions tm ON tm.id = te.mission_id \
                         WHERE tm.campaign_id = c.id) AS total";
            let Some((campaign, total)) = read_campaign_pool(s, which, total).await? else { return Ok(None) };
            let sql = format!(
                "SELECT {}, {}, {} FROM (SELECT pe.* FROM events pe JOIN missions pm ON pm.id = pe.mission_id \
                 WHERE pm.campaign_id = $1 ORDER BY pe.occurred_at DESC, pe.id DESC LIMIT $2 OFFSET $3) e \
                 JOIN missions m ON m.id = e.mission_id LEFT JOIN asset_changes ch ON ch.event_id = e.id \
                 ORDER BY e.occurred_at DESC, e.id DESC, ch.id",
                prefixed("m", "m_", missions::COLUMNS),
                prefixed("e", "e_", EVENT_FIELDS),
                prefixed("ch", "ch_", CHANGE_COLUMNS),
            );
            let offset = stored("page offset", i64::try_from(page.offset()))?;
            let sql = Sql::new(sql).bind(campaign.campaign.id().get()).bind(page.per_page).bind(offset);
            let mut gather = Gather::default();
            let mut missions: Vec<Mission> = Vec::new();
            for row in sql.all(s).await? {
                let r = Row::<D>::new(&row);
                gather.event(r)?;
                let mission_id: i64 = r.prefixed("m_").get("id")?;
                if !missions.iter().any(|m| m.id.get() == mission_id) {
                    missions.push(mission(r.prefixed("m_"))?);
                }
            }
            let events = Page { items: gather.events, request: page, total: total.unwrap_or(0) };
            Ok(Some(TimelinePage { campaign, events, missions }))
        })
        .await
    }

    async fn dashboard_page(
        &self,
        which: CampaignRef,
        missions: u32,
        events_per_mission: u32,
    ) -> RepoResult<Option<DashboardPage>> {
        self.in_snapshot(async |s| {
            let total = ", (SELECT count(*) FROM missions tm WHERE tm.campaign_id = c.id) AS total";
            let Some((campaign, total)) = read_campaign_pool(s, which, total).await? else { return Ok(None) };
            // The latest missions, each with its event count, and the latest events of
            // each (numbered per mission, newest first), with their changes.
            let sql = format!(
                "SELECT {}, m.event_count AS m_event_count, m.public_net AS m_public_net, {}, {} FROM \
                 (SELECT lm.*, (SELECT count(*) FROM events x WHERE x.mission_id = lm.id) AS event_count, \
                 (SELECT CAST(COALESCE(SUM(xc.delta), 0) AS BIGINT) FROM events xe \
                 JOIN asset_changes xc ON xc.event_id = xe.id JOIN pool_entries xp ON xp.id = xc.pool_entry_id \
                 WHERE xe.mission_id = lm.id AND xp.is_public) AS public_net \
                 FROM missions lm WHERE lm.campaign_id = $1 ORDER BY lm.order_index DESC, lm.id DESC LIMIT $2) m \
                 LEFT JOIN (SELECT we.*, ROW_NUMBER() OVER \
                 (PARTITION BY we.mission_id ORDER BY we.occurred_at DESC, we.id DESC) AS rn \
                 FROM events we WHERE we.mission_id IN (SELECT id FROM missions WHERE campaign_id = $1 \
                 ORDER BY order_index DESC, id DESC LIMIT $2)) e ON e.mission_id = m.id AND e.rn <= $3 \
                 LEFT JOIN asset_changes ch ON ch.event_id = e.id \
                 ORDER BY m.order_index DESC, m.id DESC, e.occurred_at, e.id, ch.id",
                prefixed("m", "m_", missions::COLUMNS),
                prefixed("e", "e_", EVENT_FIELDS),
                prefixed("ch", "ch_", CHANGE_COLUMNS),
            );
            let sql = Sql::new(sql).bind(campaign.campaign.id().get()).bind(missions).bind(events_per_mission);
            let mut gather = Gather::default();
            let mut tallies = Vec::new();
            for row in sql.all(s).await? {
                let r = Row::<D>::new(&row);
                let before = gather.missions.len();
                gather.mission(r)?;
                if gather.missions.len() > before {
                    tallies.push((r.get::<u64>("m_event_count")?, r.get::<i64>("m_public_net")?));
                }
                gather.event(r)?;
            }
            let latest = std::mem::take(&mut gather.missions)
                .into_iter()
                .zip(tallies)
                .map(|(mission, (event_count, public_net))| LatestMission { mission, event_count, public_net })
                .collect();
            let mission_count = total.unwrap_or(0);
            Ok(Some(DashboardPage { campaign, missions: latest, mission_count, events: gather.events_by_time() }))
        })
        .await
    }

    async fn staff_overview(
        &self,
        which: CampaignRef,
        missions: u32,
        events: u32,
    ) -> RepoResult<Option<StaffOverview>> {
        self.in_snapshot(async |s| {
            let Some((campaign, _)) = read_campaign_pool(s, which, "").await? else { return Ok(None) };
            let id = campaign.campaign.id().get();
            // One statement: the latest missions' rows (no event columns), then the
            // latest events' rows with their changes (no mission columns).
            let sql = format!(
                "SELECT {}, {}, {} FROM (SELECT * FROM missions WHERE campaign_id = $1 \
                 ORDER BY order_index DESC, id DESC LIMIT $2) m \
                 UNION ALL \
                 SELECT {}, {}, {} FROM (SELECT pe.* FROM events pe JOIN missions pm ON pm.id = pe.mission_id \
                 WHERE pm.campaign_id = $1 ORDER BY pe.occurred_at DESC, pe.id DESC LIMIT $3) e \
                 LEFT JOIN asset_changes ch ON ch.event_id = e.id ORDER BY e_id, ch_id",
                prefixed("m", "m_", missions::COLUMNS),
                nulls("e_", EVENT_FIELDS),
                nulls("ch_", CHANGE_COLUMNS),
                nulls("m_", missions::COLUMNS),
                prefixed("e", "e_", EVENT_FIELDS),
                prefixed("ch", "ch_", CHANGE_COLUMNS),
            );
            let mut gather = Gather::default();
            for row in Sql::new(sql).bind(id).bind(missions).bind(events).all(s).await? {
                let r = Row::<D>::new(&row);
                gather.mission(r)?;
                gather.event(r)?;
            }
            let mut latest = gather.missions;
            latest.sort_by_key(|m| std::cmp::Reverse((m.order_index, m.id)));
            let mut events = gather.events;
            events.sort_by_key(|e| std::cmp::Reverse((e.details.occurred_at, e.id)));
            Ok(Some(StaffOverview { campaign, missions: latest, events }))
        })
        .await
    }

    async fn mission_list(&self, which: CampaignRef, page: PageRequest) -> RepoResult<Option<MissionListPage>> {
        self.in_snapshot(async |s| {
            let (condition, id) = which_campaign(which);
            let sql = format!(
                "SELECT {}, (SELECT count(*) FROM missions tm WHERE tm.campaign_id = c.id) AS total \
                 FROM campaigns c WHERE {condition}",
                prefixed("c", "c_", campaigns::COLUMNS),
            );
            let mut sql = Sql::new(sql);
            if let Some(id) = id {
                sql = sql.bind(id);
            }
            let Some(row) = sql.optional(s).await? else { return Ok(None) };
            let r = Row::<D>::new(&row);
            let campaign = campaigns::campaign(r.prefixed("c_"))?;
            let total: u64 = r.get("total")?;
            let sql = format!(
                "SELECT {}, (SELECT count(*) FROM events x WHERE x.mission_id = m.id) AS m_event_count \
                 FROM missions m WHERE m.campaign_id = $1 ORDER BY m.order_index DESC, m.id DESC LIMIT $2 OFFSET $3",
                prefixed("m", "m_", missions::COLUMNS),
            );
            let offset = stored("page offset", i64::try_from(page.offset()))?;
            let mut items = Vec::new();
            for row in Sql::new(sql).bind(campaign.id().get()).bind(page.per_page).bind(offset).all(s).await? {
                let r = Row::<D>::new(&row);
                items.push((mission(r.prefixed("m_"))?, r.get::<u64>("m_event_count")?));
            }
            Ok(Some(MissionListPage { campaign, missions: Page { items, request: page, total } }))
        })
        .await
    }

    async fn mission_events_page(&self, id: MissionId, page: PageRequest) -> RepoResult<Option<MissionEventsPage>> {
        self.in_snapshot(async |s| {
            // The mission, its event count, its campaign and the campaign's pool, in one.
            let sql = format!(
                "SELECT {}, {}, {}, (SELECT count(*) FROM events x WHERE x.mission_id = m.id) AS total \
                 FROM missions m JOIN campaigns c ON c.id = m.campaign_id \
                 LEFT JOIN pool_entries p ON p.campaign_id = c.id WHERE m.id = $1",
                prefixed("m", "m_", missions::COLUMNS),
                prefixed("c", "c_", campaigns::COLUMNS),
                prefixed("p", "p_", POOL_COLUMNS),
            );
            let mut gather = Gather::default();
            let (mut pool, mut total) = (Vec::new(), 0);
            for row in Sql::new(sql).bind(id.get()).all(s).await? {
                let r = Row::<D>::new(&row);
                gather.campaign(r)?;
                gather.mission(r)?;
                total = r.get::<u64>("total")?;
                if r.prefixed("p_").get::<Option<i64>>("id")?.is_some() {
                    pool.push(entry(r.prefixed("p_"))?);
                }
            }
            let (Some(campaign), Some(found)) = (gather.campaign, gather.missions.pop()) else { return Ok(None) };
            let campaign = CampaignPool { campaign, pool: sorted_pool(pool) };
            let sql = format!(
                "SELECT {}, {} FROM (SELECT * FROM events WHERE mission_id = $1 ORDER BY occurred_at, id \
                 LIMIT $2 OFFSET $3) e LEFT JOIN asset_changes ch ON ch.event_id = e.id ORDER BY e.occurred_at, e.id, ch.id",
                prefixed("e", "e_", EVENT_FIELDS),
                prefixed("ch", "ch_", CHANGE_COLUMNS),
            );
            let offset = stored("page offset", i64::try_from(page.offset()))?;
            let mut gather = Gather::default();
            for row in Sql::new(sql).bind(id.get()).bind(page.per_page).bind(offset).all(s).await? {
                gather.event(Row::<D>::new(&row))?;
            }
            let events = Page { items: gather.events, request: page, total };
            Ok(Some(MissionEventsPage { campaign, mission: found, events }))
        })
        .await
    }

    async fn report_source(&self, id: CampaignId) -> RepoResult<Option<ReportSource>> {
        self.in_snapshot(async |s| {
            let Some((CampaignPool { campaign, pool }, _, libraries)) =
                read_pool_and_libraries(s, CampaignRef::Id(id), "", true).await?
            else {
                return Ok(None);
            };
            if campaign.is_closed() {
                let archived = read_archive(s, Some(id)).await?.pop();
                return Ok(archived.map(|(campaign, report)| ReportSource::Archived(campaign, report)));
            }
            let gather = read_history(s, "m.campaign_id = $1", id.get(), false).await?;
            let missions = gather.missions.clone();
            let history = CampaignHistory { campaign, pool, missions, events: gather.events_by_time() };
            Ok(Some(ReportSource::Live(history, libraries)))
        })
        .await
    }

    async fn archived_reports(&self, only: Option<CampaignId>) -> RepoResult<Vec<(Campaign, CampaignReport)>> {
        read_archive(&mut self.conn().await?, only).await
    }

    async fn audit_page(&self, filter: &AuditFilter, page: PageRequest) -> RepoResult<AuditPage> {
        self.in_snapshot(async |s| {
            let entries = audit::read_audit_log_with_total(s, filter, page).await?;
            let (campaigns, users) = read_campaigns_and_users(s).await?;
            Ok(AuditPage { entries, campaigns, users })
        })
        .await
    }
}

/// The closed campaigns (newest first, or only `only`) with their archived reports.
async fn read_archive<E: Exec>(on: &mut E, only: Option<CampaignId>) -> RepoResult<Vec<(Campaign, CampaignReport)>> {
    let sql = format!(
        "SELECT {}, {} AS report FROM campaigns c JOIN campaign_reports r ON r.campaign_id = c.id \
         WHERE $1 IS NULL OR c.id = $1 ORDER BY c.id DESC",
        prefixed("c", "c_", campaigns::COLUMNS),
        E::D::json_text("r.report"),
    );
    Sql::new(sql)
        .bind(only.map(CampaignId::get))
        .all_as(on, |r| {
            let report = stored("campaign_reports.report", archive::decode(&r.get::<String>("report")?))?;
            Ok((campaigns::campaign(r.prefixed("c_"))?, report))
        })
        .await
}

/// Every campaign (newest first) and every user (by username), in one statement.
async fn read_campaigns_and_users<E: Exec>(on: &mut E) -> RepoResult<(Vec<Campaign>, Vec<User>)> {
    let nulls = |columns: &str, prefix: &str| {
        columns.split(',').map(|c| format!("NULL AS {prefix}{}", c.trim())).collect::<Vec<_>>().join(", ")
    };
    let sql = format!(
        "SELECT {}, {} FROM campaigns c UNION ALL SELECT {}, {} FROM users u",
        prefixed("c", "c_", campaigns::COLUMNS),
        nulls(users::COLUMNS, "u_"),
        nulls(campaigns::COLUMNS, "c_"),
        prefixed("u", "u_", users::COLUMNS),
    );
    let mut campaigns = Vec::new();
    let mut users = Vec::new();
    for row in Sql::new(sql).all(on).await? {
        let r = Row::<E::D>::new(&row);
        if r.prefixed("c_").get::<Option<i64>>("id")?.is_some() {
            campaigns.push(campaigns::campaign(r.prefixed("c_"))?);
        } else {
            users.push(users::user(r.prefixed("u_"))?);
        }
    }
    campaigns.sort_by_key(|c| std::cmp::Reverse(c.id()));
    users.sort_by(|a, b| {
        let key = |u: &User| u.username().as_str().to_lowercase();
        key(a).cmp(&key(b)).then(a.id().cmp(&b.id()))
    });
    Ok((campaigns, users))
}

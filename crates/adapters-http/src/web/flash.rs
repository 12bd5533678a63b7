//! Flash messages: one-time notices ("Library created") stored in the session by the
//! request that redirects and shown, then removed, by the next page rendered.

use serde::{Deserialize, Serialize};
use tower_sessions::Session;

const KEY: &str = "flash";

/// How a flash message is styled and announced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum FlashKind {
    /// Something was done.
    Success,
    /// Something was refused.
    Error,
    /// For information.
    Info,
}

/// One message for the next page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Flash {
    /// Its style.
    pub(crate) kind: FlashKind,
    /// Its text, escaped by the template.
    pub(crate) message: String,
}

impl Flash {
    /// A success notice.
    pub(crate) fn success(message: impl Into<String>) -> Self {
        Self { kind: FlashKind::Success, message: message.into() }
    }

    /// An error notice, for refusals of buttons outside forms.
    pub(crate) fn error(message: impl Into<String>) -> Self {
        Self { kind: FlashKind::Error, message: message.into() }
    }

    /// A neutral notice.
    pub(crate) fn info(message: impl Into<String>) -> Self {
        Self { kind: FlashKind::Info, message: message.into() }
    }
}

/// Queues `flash` for the next page rendered in this session.
pub(crate) async fn push(session: &Session, flash: Flash) -> Result<(), tower_sessions::session::Error> {
    let mut queued: Vec<Flash> = session.get(KEY).await?.unwrap_or_default();
    queued.push(flash);
    session.insert(KEY, queued).await
}

/// The queued messages, removed from the session.
pub(crate) async fn take(session: &Session) -> Result<Vec<Flash>, tower_sessions::session::Error> {
    if session.get_value(KEY).await?.is_none() {
        return Ok(Vec::new());
    }
    Ok(session.remove(KEY).await?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use tower_sessions::MemoryStore;

    #[tokio::test]
    async fn flashes_are_shown_once_in_the_order_they_were_queued() {
        let session = Session::new(None, Arc::new(MemoryStore::default()), None);
        push(&session, Flash::success("saved")).await.unwrap();
        push(&session, Flash::error("but not that")).await.unwrap();
        assert_eq!(take(&session).await.unwrap(), vec![Flash::success("saved"), Flash::error("but not that")]);
        assert!(take(&session).await.unwrap().is_empty());
    }
}

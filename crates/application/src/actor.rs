//! Who is asking: the anonymous public or a logged-in staff member, and the
//! permission checks every use case starts with.

use crate::error::UseCaseError;
use domain::{Campaign, Role, TokenName, User, UserId, Username};

/// A logged-in admin or manager, as the web layer found them in their session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffMember {
    /// The account.
    pub id: UserId,
    /// Its login name.
    pub username: Username,
    /// Its role.
    pub role: Role,
    /// The API token the request came with (`None` for a browser session); its name
    /// goes into the audit entries of the request's writes.
    pub token: Option<TokenName>,
}

impl StaffMember {
    /// The account as it is now, acting through a browser session.
    pub fn of(user: &User) -> Self {
        Self { id: user.id(), username: user.username().clone(), role: user.role(), token: None }
    }
}

/// Whoever makes a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// Someone who has not logged in.
    Anonymous,
    /// A logged-in admin or manager.
    Staff(StaffMember),
}

impl Actor {
    /// The staff member, or `Forbidden` for the public.
    pub fn staff(&self) -> Result<&StaffMember, UseCaseError> {
        match self {
            Actor::Staff(s) => Ok(s),
            Actor::Anonymous => Err(UseCaseError::Forbidden),
        }
    }

    /// The admin, or `Forbidden` for anyone else.
    pub fn admin(&self) -> Result<&StaffMember, UseCaseError> {
        let staff = self.staff()?;
        if staff.role == Role::Admin { Ok(staff) } else { Err(UseCaseError::Forbidden) }
    }

    /// The staff member who may change `campaign`: admins on any campaign that is not
    /// closed, managers on the active one only. A closed campaign is a conflict for
    /// everyone (it is read-only, not hidden).
    pub fn runner_of(&self, campaign: &Campaign) -> Result<&StaffMember, UseCaseError> {
        let staff = self.staff()?;
        campaign.ensure_open()?;
        match staff.role {
            Role::Admin => Ok(staff),
            Role::Manager if campaign.is_active() => Ok(staff),
            Role::Manager => Err(UseCaseError::Forbidden),
        }
    }

    /// Whether the actor may change `campaign` ([`Self::runner_of`] as a flag), for a
    /// page deciding whether to offer its forms.
    pub(crate) fn can_run(&self, campaign: &Campaign) -> bool {
        self.runner_of(campaign).is_ok()
    }
}

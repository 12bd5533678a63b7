//! Running statements: [`Sql`] (text and bound values), [`Exec`] (where it runs: a
//! pooled connection, a read snapshot or a write), and [`Row`] (typed column reads).
//!
//! Invariant: every driver error leaves here through `errors::db` (or the statement's
//! own foreign-key meaning), so a named constraint always becomes its conflict and
//! nothing else reaches a user as text.

use crate::dialect::{Arg, Dialect};
use crate::errors::{Corrupt, db};
use application::RepoError;
use application::error::RepoResult;
use std::borrow::Cow;
use time::{Date, UtcDateTime};

/// The most rows one multi-row statement carries: a few parameters each stays far
/// below SQLite's 32,766 and PostgreSQL's 65,535 parameters per statement.
pub(crate) const BATCH: usize = 500;

/// Somewhere statements run: a connection of dialect `D`.
pub trait Exec: Send {
    /// The dialect.
    type D: Dialect;
    /// The connection.
    fn conn(&mut self) -> &mut <Self::D as Dialect>::Conn;
}

/// A connection taken from the pool, for a read that is one statement.
pub struct Conn<D: Dialect>(pub(crate) D::Pooled);

impl<D: Dialect> Exec for Conn<D> {
    type D = D;
    fn conn(&mut self) -> &mut D::Conn {
        &mut self.0
    }
}

/// A read-only transaction: every statement sees the same snapshot.
pub struct Snapshot<D: Dialect>(pub(crate) D::Tx);

impl<D: Dialect> Exec for Snapshot<D> {
    type D = D;
    fn conn(&mut self) -> &mut D::Conn {
        &mut self.0
    }
}

impl<D: Dialect> Snapshot<D> {
    /// Ends the snapshot.
    pub async fn end(self) -> RepoResult<()> {
        D::commit(self.0).await.map_err(crate::errors::driver::<D>)
    }
}

impl<D: Dialect> std::fmt::Debug for Conn<D> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Conn")
    }
}

impl<D: Dialect> std::fmt::Debug for Snapshot<D> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Snapshot")
    }
}

impl<D: Dialect> std::fmt::Debug for Row<'_, D> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Row")
    }
}

/// A statement and its values.
#[derive(Debug)]
pub struct Sql<'s> {
    text: Cow<'s, str>,
    args: Vec<Arg>,
    on_foreign_key: Option<RepoError>,
}

impl<'s> Sql<'s> {
    /// A statement with `$n` parameters.
    pub fn new(text: impl Into<Cow<'s, str>>) -> Self {
        Self { text: text.into(), args: Vec::new(), on_foreign_key: None }
    }

    /// Binds the next parameter.
    #[must_use]
    pub fn bind(mut self, value: impl Into<Arg>) -> Self {
        self.args.push(value.into());
        self
    }

    /// What a foreign-key violation by this statement means: on a delete, that the row
    /// is still referenced (`InUse`); on an insert, that the row it names is gone.
    #[must_use]
    pub fn foreign_key(mut self, meaning: RepoError) -> Self {
        self.on_foreign_key = Some(meaning);
        self
    }

    /// The text and values, for a caller that handles the driver's error itself.
    pub(crate) fn into_parts(self) -> (Cow<'s, str>, Vec<Arg>) {
        (self.text, self.args)
    }

    fn fail<D: Dialect>(on_foreign_key: Option<RepoError>) -> impl FnOnce(sqlx::Error) -> RepoError {
        move |e| match (on_foreign_key, D::violation(&e)) {
            (Some(meaning), Some(crate::dialect::Violation::ForeignKey)) => meaning,
            _ => db::<D>(e),
        }
    }

    /// Runs it; answers the number of rows it changed.
    pub async fn execute<E: Exec>(self, on: &mut E) -> RepoResult<u64> {
        let Self { text, args, on_foreign_key } = self;
        E::D::execute(on.conn(), (&text, args)).await.map_err(Self::fail::<E::D>(on_foreign_key))
    }

    /// Runs it; answers every row.
    pub async fn all<E: Exec>(self, on: &mut E) -> RepoResult<Vec<<E::D as Dialect>::Row>> {
        let Self { text, args, on_foreign_key } = self;
        E::D::fetch_all(on.conn(), (&text, args)).await.map_err(Self::fail::<E::D>(on_foreign_key))
    }

    /// Runs it; answers the first row, if any.
    pub async fn optional<E: Exec>(self, on: &mut E) -> RepoResult<Option<<E::D as Dialect>::Row>> {
        let Self { text, args, on_foreign_key } = self;
        E::D::fetch_optional(on.conn(), (&text, args)).await.map_err(Self::fail::<E::D>(on_foreign_key))
    }

    /// Runs it; reads every row with `convert`.
    pub async fn all_as<E: Exec, T>(
        self,
        on: &mut E,
        convert: impl Fn(Row<'_, E::D>) -> RepoResult<T>,
    ) -> RepoResult<Vec<T>> {
        self.all(on).await?.iter().map(|row| convert(Row::new(row))).collect()
    }

    /// Runs it; reads the first row, if any, with `convert`.
    pub async fn optional_as<E: Exec, T>(
        self,
        on: &mut E,
        convert: impl FnOnce(Row<'_, E::D>) -> RepoResult<T>,
    ) -> RepoResult<Option<T>> {
        self.optional(on).await?.as_ref().map(|row| convert(Row::new(row))).transpose()
    }

    /// Runs an `INSERT … RETURNING id`; answers the id.
    pub async fn returning_id<E: Exec>(self, on: &mut E) -> RepoResult<i64> {
        let id = self.value(on, "id").await?;
        id.ok_or_else(|| RepoError::unexpected(Corrupt::new("row", "the insert returned none")))
    }

    /// Runs it and reads column `column` of each row.
    pub async fn column<T: Column, E: Exec>(self, on: &mut E, column: &str) -> RepoResult<Vec<T>> {
        self.all_as(on, |row| row.get(column)).await
    }

    /// Runs it and reads column `column` of the first row, if any.
    pub async fn value<T: Column, E: Exec>(self, on: &mut E, column: &str) -> RepoResult<Option<T>> {
        self.optional_as(on, |row| row.get(column)).await
    }
}

/// A row, read one typed column at a time; in a join, the columns of one table carry
/// a prefix (`m_id`, `m_name`) and `prefixed` reads them by their plain names.
pub struct Row<'r, D: Dialect> {
    row: &'r D::Row,
    prefix: &'static str,
}

impl<D: Dialect> Clone for Row<'_, D> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<D: Dialect> Copy for Row<'_, D> {}

impl<'r, D: Dialect> Row<'r, D> {
    /// The row, with plain column names.
    pub fn new(row: &'r D::Row) -> Self {
        Self { row, prefix: "" }
    }

    /// The same row, reading the columns named `prefix` + name.
    #[must_use]
    pub fn prefixed(self, prefix: &'static str) -> Self {
        Self { row: self.row, prefix }
    }

    /// Column `column` as `T` (an `Option` for a nullable column).
    pub fn get<T: Column>(&self, column: &str) -> RepoResult<T> {
        if self.prefix.is_empty() {
            T::read::<D>(self.row, column)
        } else {
            T::read::<D>(self.row, &format!("{}{column}", self.prefix))
        }
    }
}

/// `alias.column AS prefix_column, …` for every column in `columns` (a comma-separated
/// list), so that the columns of several joined tables keep apart.
pub fn prefixed(alias: &str, prefix: &str, columns: &str) -> String {
    columns
        .split(',')
        .map(str::trim)
        .map(|column| format!("{alias}.{column} AS {prefix}{column}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `NULL AS prefix_column, …` for every column in `columns`: the columns a branch of a
/// `UNION ALL` lacks, named as `prefixed` names them in the branch that has them.
pub fn nulls(prefix: &str, columns: &str) -> String {
    columns.split(',').map(str::trim).map(|column| format!("NULL AS {prefix}{column}")).collect::<Vec<_>>().join(", ")
}

/// A type a column can be read as.
pub trait Column: Sized {
    /// Reads `column` of `row`.
    fn read<D: Dialect>(row: &D::Row, column: &str) -> RepoResult<Self>;
}

fn present<T>(value: sqlx::Result<Option<T>>, column: &str) -> RepoResult<T> {
    value.map_err(RepoError::unexpected)?.ok_or_else(|| RepoError::unexpected(Corrupt::new("column", column)))
}

macro_rules! columns {
    ($($t:ty => $read:ident),* $(,)?) => {$(
        impl Column for $t {
            fn read<D: Dialect>(row: &D::Row, column: &str) -> RepoResult<Self> {
                present(D::$read(row, column), column)
            }
        }
        impl Column for Option<$t> {
            fn read<D: Dialect>(row: &D::Row, column: &str) -> RepoResult<Self> {
                D::$read(row, column).map_err(RepoError::unexpected)
            }
        }
    )*};
}

columns!(i64 => int, String => text, bool => flag, Date => date, UtcDateTime => time);

impl Column for u32 {
    fn read<D: Dialect>(row: &D::Row, column: &str) -> RepoResult<Self> {
        let raw = i64::read::<D>(row, column)?;
        u32::try_from(raw).map_err(|e| RepoError::unexpected(Corrupt::new("count", format!("{column}: {e}"))))
    }
}

impl Column for u64 {
    fn read<D: Dialect>(row: &D::Row, column: &str) -> RepoResult<Self> {
        let raw = i64::read::<D>(row, column)?;
        u64::try_from(raw).map_err(|e| RepoError::unexpected(Corrupt::new("count", format!("{column}: {e}"))))
    }
}

impl From<i64> for Arg {
    fn from(v: i64) -> Self {
        Arg::Int(Some(v))
    }
}

impl From<Option<i64>> for Arg {
    fn from(v: Option<i64>) -> Self {
        Arg::Int(v)
    }
}

impl From<u32> for Arg {
    fn from(v: u32) -> Self {
        Arg::Int(Some(i64::from(v)))
    }
}

impl From<&str> for Arg {
    fn from(v: &str) -> Self {
        Arg::Text(Some(v.to_owned()))
    }
}

impl From<String> for Arg {
    fn from(v: String) -> Self {
        Arg::Text(Some(v))
    }
}

impl From<Option<&str>> for Arg {
    fn from(v: Option<&str>) -> Self {
        Arg::Text(v.map(str::to_owned))
    }
}

impl From<bool> for Arg {
    fn from(v: bool) -> Self {
        Arg::Flag(v)
    }
}

impl From<Date> for Arg {
    fn from(v: Date) -> Self {
        Arg::Date(Some(v))
    }
}

impl From<Option<Date>> for Arg {
    fn from(v: Option<Date>) -> Self {
        Arg::Date(v)
    }
}

impl From<UtcDateTime> for Arg {
    fn from(v: UtcDateTime) -> Self {
        Arg::Time(Some(v))
    }
}

impl From<Option<UtcDateTime>> for Arg {
    fn from(v: Option<UtcDateTime>) -> Self {
        Arg::Time(v)
    }
}

//! PostgreSQL implementation of the application's persistence ports (built by the storage issue).

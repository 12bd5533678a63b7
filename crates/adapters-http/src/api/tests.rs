//! Tests of the API module: the document against the router.

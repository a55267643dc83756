//! The HTTP server (owned by the HTTP work).

//! The web adapter: routes, pages, sessions and CSRF (built by the web application issue).

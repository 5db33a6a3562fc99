"""Web plumbing every page shares: error pages, middleware, health check and template context."""

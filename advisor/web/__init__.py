"""Web plumbing every page shares: error pages, middleware, health check, template context,
CSP reports and the files at fixed addresses (security.txt, robots.txt)."""

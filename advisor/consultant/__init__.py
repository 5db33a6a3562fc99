"""The consultant behind the site: profile, branding (contact, logo, colours) and prices."""

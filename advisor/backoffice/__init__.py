"""The consultant's back office: admin site with 2FA, leads, exports, dashboard and profile."""

"""The funnel without trackers: daily counts of what visits did, and where leads come from."""

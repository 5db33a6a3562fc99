"""Outgoing e-mail: written with what it is about, delivered exactly once by a queued job."""

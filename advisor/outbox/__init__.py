"""Outgoing e-mail: what is sent to whom, queued and delivered in the background."""

"""Small building blocks that know nothing of the product: digests, client IP, redaction,
mailbox addresses, cache generations."""

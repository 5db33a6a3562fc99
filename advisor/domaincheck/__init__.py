"""A live e-mail health check of a domain from public DNS; knows nothing else of the product."""

from advisor.domaincheck.checks import check_domain
from advisor.domaincheck.findings import LEVELS, DomainReport, Finding
from advisor.domaincheck.names import InvalidDomain, domain_of_email, normalise_domain
from advisor.domaincheck.providers import PROVIDER_KINDS, is_public_mail_domain

__all__ = [
    "LEVELS",
    "PROVIDER_KINDS",
    "DomainReport",
    "Finding",
    "InvalidDomain",
    "check_domain",
    "domain_of_email",
    "is_public_mail_domain",
    "normalise_domain",
]

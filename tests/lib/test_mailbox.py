"""Which addresses reach one mailbox, for counting the mails each person gets."""

import pytest

from advisor.lib.mailbox import mailbox_key


@pytest.mark.parametrize(("address", "mailbox"), [
    ("Eva@PraktijkJansen.nl", "eva@praktijkjansen.nl"),
    ("eva+nieuwsbrief@praktijkjansen.nl", "eva@praktijkjansen.nl"),
    ("eva+a+b@praktijkjansen.nl", "eva@praktijkjansen.nl"),
    ("j.a.n+x@googlemail.com", "jan@gmail.com"),
    ("J.an@Gmail.com", "jan@gmail.com"),
    ("info@bücher.de", "info@xn--bcher-kva.de"),
    ("info@xn--bcher-kva.de", "info@xn--bcher-kva.de"),
    ("info@bakkerij.nl.", "info@bakkerij.nl"),
])
def test_spellings_of_one_mailbox_have_one_key(address, mailbox):
    assert mailbox_key(address) == mailbox


def test_dots_and_dashes_still_tell_mailboxes_apart_outside_gmail():
    assert mailbox_key("j.an@bakkerij.nl") != mailbox_key("jan@bakkerij.nl")
    assert mailbox_key("jan-x@bakkerij.nl") != mailbox_key("jan@bakkerij.nl")


def test_an_address_that_is_only_a_tag_keeps_its_name():
    assert mailbox_key("+tag@bakkerij.nl") == "+tag@bakkerij.nl"

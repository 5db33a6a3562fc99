"""Two shares at once, each wanting the last place an address has today; run as a script
against a migrated PostgreSQL database (DATABASE_URL), by tests/outbox/test_limits.py.

Each request counts the address's mails and then waits for the other to have counted too
(at most a few seconds): without a lock per mailbox both would count the same and both send.
Prints, as JSON, what each request was told.
"""

import contextlib
import json
import sys
import threading

import django

django.setup()

from django.db import connection  # noqa: E402

from advisor.outbox import limits  # noqa: E402
from advisor.outbox.limits import AddressLimitReached  # noqa: E402
from advisor.questionnaire.services import create_submission  # noqa: E402
from advisor.questionnaire.sharing import (  # noqa: E402
    ShareRefused,
    confirm_address,
    share_report,
)

COLLEAGUE = "jan@doelwit.example"


def report(owner: str):
    return confirm_address(submission=create_submission(
        answers={"team_size": "6_15"}, language="nl",
        contact={"name": "Eva", "company": "Bakkerij", "email": owner}))


def main(scenario: str) -> None:
    if scenario == "one address, two reports":
        # The colleague has had two of three mails today; two other reports share at once.
        for n in range(2):
            share_report(submission=report(f"eerder{n}@bakkerij.example"), to_self=False,
                         colleague=COLLEAGUE)
        racers = [(report("eva@bakkerij.example"), "jan@doelwit.example"),
                  (report("pim@slagerij.example"), "Jan+pim@doelwit.example")]
    else:  # "one report, two colleagues": the report's one colleague, asked for twice
        shared = report("eva@bakkerij.example")
        racers = [(shared, "sam@doelwit.example"), (shared, "piet@doelwit.example")]

    counted = threading.Barrier(len(racers), timeout=3)
    real_count = limits.mails_to_mailbox_today

    def count_then_wait(address: str) -> int:
        number = real_count(address)
        # Broken when the other request waits for a lock instead: this one goes first.
        with contextlib.suppress(threading.BrokenBarrierError):
            counted.wait()
        return number

    limits.mails_to_mailbox_today = count_then_wait
    results: list[str] = []

    def share(submission, colleague: str) -> None:
        try:
            share_report(submission=submission, to_self=False, colleague=colleague)
            results.append("sent")
        except AddressLimitReached:
            results.append("address limit")
        except ShareRefused as refused:
            results.append(refused.reason)
        finally:
            connection.close()

    threads = [threading.Thread(target=share, args=racer) for racer in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    print(json.dumps(sorted(results)))


if __name__ == "__main__":
    main(sys.argv[1])

"""The sharing policy (questionnaire/sharing.py): the confirmation of the visitor's address,
and the mailbox of every mail for the limit per address and day (outbox/limits.py).

Mails written before this release get their mailbox too, so the limit counts them from the
first day. Earlier submissions stay unconfirmed: their advice mail had no confirmation link,
so their visitors ask the consultant to share (README, "Mail").
"""

from django.db import migrations, models

from advisor.lib.mailbox import mailbox_key


def fill_recipient_keys(apps, schema_editor):
    OutgoingMail = apps.get_model("advisor", "OutgoingMail")
    batch = []
    for mail in OutgoingMail.objects.only("pk", "recipient").iterator(chunk_size=2000):
        mail.recipient_key = mailbox_key(mail.recipient)
        batch.append(mail)
        if len(batch) == 2000:
            OutgoingMail.objects.bulk_update(batch, ["recipient_key"])
            batch = []
    OutgoingMail.objects.bulk_update(batch, ["recipient_key"])


class Migration(migrations.Migration):

    dependencies = [
        ("advisor", "0013_back_office_at_scale"),
    ]

    operations = [
        migrations.AddField(
            model_name="outgoingmail",
            name="recipient_key",
            field=models.CharField(blank=True, editable=False, max_length=254),
        ),
        migrations.AddField(
            model_name="submission",
            name="email_confirmed_at",
            field=models.DateTimeField(blank=True, editable=False, null=True,
                                       verbose_name="e-mail address confirmed at"),
        ),
        migrations.AddIndex(
            model_name="outgoingmail",
            index=models.Index(fields=["recipient_key", "created_at"],
                               name="mail_recipient_key_idx"),
        ),
        migrations.RunPython(fill_recipient_keys, migrations.RunPython.noop),
    ]

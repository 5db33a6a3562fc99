"""Share links always have an expiry; sessions move to a table that indexes their addresses.

Rows stored before links expired get created_at + SHARE_LINK_DAYS, as the pages counted them.
Live sessions move from django_session to advisor_indexedsession with the digests of the
addresses they hold (so a privacy request finds them); the old table is emptied, so no
session with an address is left where nothing looks.
"""

from datetime import timedelta

import django.core.validators
from django.conf import settings
from django.db import migrations, models
from django.db.models import F
from django.utils import timezone


def fill_link_expiry(apps, schema_editor):
    Submission = apps.get_model("advisor", "Submission")
    Submission.objects.filter(link_expires_at__isnull=True).update(
        link_expires_at=F("created_at") + timedelta(days=settings.SHARE_LINK_DAYS)
    )


def move_sessions(apps, schema_editor):
    # The store of this release: it decodes Django's sessions (same salt) and digests.
    from advisor.privacy.sessions import SessionStore, address_digest, addresses_in

    OldSession = apps.get_model("sessions", "Session")
    IndexedSession = apps.get_model("advisor", "IndexedSession")
    live = OldSession.objects.filter(expire_date__gt=timezone.now())
    IndexedSession.objects.bulk_create(
        IndexedSession(
            session_key=old.session_key, session_data=old.session_data,
            expire_date=old.expire_date,
            address_digests=" ".join(sorted({
                address_digest(address)
                for address in addresses_in(SessionStore().decode(old.session_data))
            })),
        )
        for old in live.iterator()
    )
    OldSession.objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ('advisor', '0003_outgoing_mail_background_reports'),
        ('sessions', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='IndexedSession',
            fields=[
                ('session_key', models.CharField(max_length=40, primary_key=True, serialize=False, verbose_name='session key')),
                ('session_data', models.TextField(verbose_name='session data')),
                ('expire_date', models.DateTimeField(db_index=True, verbose_name='expire date')),
                ('address_digests', models.TextField(blank=True, default='', editable=False)),
            ],
            options={
                'verbose_name': 'session',
                'verbose_name_plural': 'sessions',
                'abstract': False,
            },
        ),
        migrations.AlterField(
            model_name='consultantprofile',
            name='accent_color',
            field=models.CharField(default='#e07a1f', help_text='As # followed by six hex digits, like #e07a1f.', max_length=7, validators=[django.core.validators.RegexValidator('^#[0-9a-fA-F]{6}\\Z', 'Enter a colour as # followed by six hex digits, like #1f4e79.')], verbose_name='accent colour'),
        ),
        migrations.AlterField(
            model_name='consultantprofile',
            name='primary_color',
            field=models.CharField(default='#1f4e79', help_text='As # followed by six hex digits, like #1f4e79.', max_length=7, validators=[django.core.validators.RegexValidator('^#[0-9a-fA-F]{6}\\Z', 'Enter a colour as # followed by six hex digits, like #1f4e79.')], verbose_name='main colour'),
        ),
        migrations.RunPython(fill_link_expiry, migrations.RunPython.noop),
        migrations.RunPython(move_sessions, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='submission',
            name='link_expires_at',
            field=models.DateTimeField(verbose_name='link expires at'),
        ),
    ]

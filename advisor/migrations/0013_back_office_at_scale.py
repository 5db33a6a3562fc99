# The back office at 100,000 leads: every sortable column and every filter of the lead list
# gets an index that ends in the list's order (created_at, id), and on PostgreSQL the search
# by company, name or e-mail address reads trigram indexes.

import django.utils.timezone
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models
from django.db.models.functions import Upper


class AddIndexOnPostgreSQL(migrations.AddIndex):
    """AddIndex on PostgreSQL only, and outside the model state.

    A trigram index (GIN with pg_trgm's operator class) exists only on PostgreSQL; SQLite, the
    default for development, has no such index and searches a small table by scanning it.
    Django's Meta.indexes cannot differ per database, so these indexes live here alone.
    """

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)

    def describe(self):
        return f"{super().describe()} (PostgreSQL only)"


def trigram_index(field: str) -> GinIndex:
    # The admin's search (icontains) compares UPPER(column) LIKE UPPER('%term%') on
    # PostgreSQL: an index on exactly that expression answers it, in any letter case.
    return GinIndex(OpClass(Upper(field), name="gin_trgm_ops"),
                    name=f"submission_{field}_trgm_idx")


# The lead list's sort and filter indexes, each ending in the list's order (created_at, id).
IN_LIST_ORDER = {
    'submission_company_idx': 'company',
    'submission_status_idx': 'status',
    'submission_next_follow_up_idx': 'next_follow_up',
    'submission_verdict_idx': 'verdict',
    'submission_plan_idx': 'plan',
    'submission_sector_idx': 'sector',
    'submission_team_size_idx': 'team_size',
    'submission_domain_level_idx': 'domain_check_level',
}
# Indexes of migration 0002 and 0008 on (column, created_at) or (company) alone.
REPLACED = ('submission_verdict_idx', 'submission_plan_idx', 'submission_sector_idx',
            'submission_team_size_idx', 'submission_status_idx', 'submission_company_idx',
            'submission_domain_level_idx')


class Migration(migrations.Migration):

    dependencies = [
        ('advisor', '0012_webhooks'),
    ]

    operations = [
        *(migrations.RemoveIndex(model_name='submission', name=name) for name in REPLACED),
        # The single-column indexes of these two give way to ones in the list's order.
        migrations.AlterField(
            model_name='submission',
            name='created_at',
            field=models.DateTimeField(default=django.utils.timezone.now, editable=False,
                                       verbose_name='submitted at'),
        ),
        migrations.AlterField(
            model_name='submission',
            name='next_follow_up',
            field=models.DateField(blank=True, null=True, verbose_name='next follow-up'),
        ),
        # The list's order, and all the dashboard counts, so those read this index alone.
        migrations.AddIndex(
            model_name='submission',
            index=models.Index(fields=['created_at', 'id', 'status', 'verdict', 'sector', 'plan',
                                       'next_follow_up'], name='submission_created_idx'),
        ),
        *(migrations.AddIndex(model_name='submission',
                              index=models.Index(fields=[column, 'created_at', 'id'], name=name))
          for name, column in IN_LIST_ORDER.items()),
        # pg_trgm is a trusted extension (PostgreSQL 13+): the database's owner may create
        # it. On SQLite this operation does nothing.
        TrigramExtension(),
        *(AddIndexOnPostgreSQL(model_name='submission', index=trigram_index(field))
          for field in ('company', 'name', 'email')),
    ]

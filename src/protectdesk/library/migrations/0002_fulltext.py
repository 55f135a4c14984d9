"""The full-text table of the database in use (protectdesk.library.fulltext)."""

from django.db import migrations

from protectdesk.library import fulltext


def create(apps, schema_editor):
    for statement in fulltext.create_table(schema_editor.connection.vendor):
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    schema_editor.execute("DROP TABLE IF EXISTS library_fulltext")


class Migration(migrations.Migration):
    dependencies = [("library", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]

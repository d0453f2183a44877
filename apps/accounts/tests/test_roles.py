from django.contrib.auth.models import Group, Permission
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from model_bakery import baker

from apps.accounts.roles import REGISTRARS, VIEWERS, sync_role_groups

RECORDS = ("student", "course", "enrollment")


def codenames(group_name):
    return set(Group.objects.get(name=group_name).permissions.values_list("codename", flat=True))


class TestTheRoleGroups(TestCase):
    def test_let_viewers_only_look(self):
        self.assertEqual(codenames(VIEWERS), {f"view_{model}" for model in RECORDS})

    def test_let_registrars_do_everything_with_records(self):
        self.assertEqual(
            codenames(REGISTRARS),
            {f"{action}_{model}" for model in RECORDS for action in ("view", "add", "change", "delete")},
        )

    def test_are_put_back_exactly_after_someone_edits_them(self):
        viewers = Group.objects.get(name=VIEWERS)
        viewers.permissions.add(Permission.objects.get(codename="delete_student"))
        Group.objects.get(name=REGISTRARS).delete()

        sync_role_groups()
        sync_role_groups()

        self.assertEqual(Group.objects.filter(name__in=[VIEWERS, REGISTRARS]).count(), 2)
        self.assertEqual(codenames(VIEWERS), {f"view_{model}" for model in RECORDS})
        self.assertEqual(len(codenames(REGISTRARS)), 12)

    def test_give_their_members_the_matching_permissions(self):
        viewer = baker.make_recipe("accounts.viewer")
        registrar = baker.make_recipe("accounts.registrar")

        self.assertTrue(viewer.has_perm("students.view_student"))
        self.assertFalse(viewer.has_perm("students.add_student"))
        self.assertTrue(registrar.has_perm("students.delete_course"))


class TestMigratingTheDatabase(TestCase):
    def test_sets_the_role_groups_up_once_after_every_apps_permissions_exist(self):
        Group.objects.all().delete()

        with CaptureQueriesContext(connection) as queries:
            emit_post_migrate_signal(verbosity=0, interactive=False, db="default")

        looked_up = [query["sql"] for query in queries if '"auth_group"."name" = \'Viewers\'' in query["sql"]]
        self.assertEqual(len(looked_up), 1, "the groups were set up more than once")
        self.assertEqual(codenames(VIEWERS), {f"view_{model}" for model in RECORDS})
        self.assertEqual(len(codenames(REGISTRARS)), 12)

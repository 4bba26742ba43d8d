"""Test settings shared by the whole suite."""

from hypothesis import settings

# No example database: tests write nothing into the working tree.
settings.register_profile("ccplan", database=None, deadline=None, print_blob=True)
settings.load_profile("ccplan")

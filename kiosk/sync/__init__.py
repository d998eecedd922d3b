"""Catalog synchronisation with the intake platform: signed changesets, bundles, the poller."""

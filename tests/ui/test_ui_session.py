"""The Qt-free citizen session: navigation, history, wipe, idle policy."""

from __future__ import annotations

import pytest

from kiosk.session import IdlePolicy, Listing, ListingKind, Screen, Session, SubjectKind


def started() -> Session:
    session = Session()
    session.start()
    return session


def test_starts_on_attract_and_a_touch_goes_home():
    session = Session()
    assert session.screen is Screen.ATTRACT and not session.active
    session.set_query("sbk")  # ignored: nobody is being served
    assert session.query == "" and session.screen is Screen.ATTRACT
    session.start()
    assert session.screen is Screen.HOME and session.active and not session.can_go_back


def test_typing_on_home_moves_to_results_and_back_restores_home():
    session = started()
    session.set_query("s")
    assert session.screen is Screen.RESULTS
    assert session.listing == Listing(ListingKind.SEARCH)
    session.set_query("sb")
    session.set_query("sbk")
    assert len(session.history) == 1  # typing more does not stack history
    session.back()
    assert session.screen is Screen.HOME and session.query == ""


def test_guide_back_returns_to_the_same_results_and_query():
    session = started()
    session.set_query("sbk")
    session.open_item("ITEM-1")
    assert session.screen is Screen.GUIDE and session.subject.kind is SubjectKind.ITEM
    session.open_bundle("B-1")
    session.back()
    assert session.subject.code == "ITEM-1"
    session.back()
    assert session.screen is Screen.RESULTS and session.query == "sbk" and session.subject is None


def test_browse_then_home_drops_navigation_but_keeps_identity():
    session = started()
    session.set_identity(object())
    session.browse(ListingKind.THEME, "社会保障")
    assert session.listing == Listing(ListingKind.THEME, "社会保障")
    session.open("item", "X")
    session.home()
    assert session.screen is Screen.HOME and session.history == [] and session.identity is not None
    with pytest.raises(ValueError):
        session.browse(ListingKind.SEARCH)


def test_wipe_scrubs_the_identity_card_itself():
    from devices.id_card.samples import sample_card

    session = started()
    card = sample_card("resident")
    assert card.name and card.id_number and card.address and card.photo_wlt
    values = session.form_values
    session.set_identity(card)
    session.set_form_value("phone", "13800000000")
    session.wipe()
    # Whoever still holds the card (a queued event, a screen) finds nothing personal in it.
    assert (card.name, card.id_number, card.address, card.photo_wlt) == ("", "", "", b"")
    assert values == {} and session.identity is None


def test_wipe_forgets_everything_and_notifies():
    session = started()
    seen = []
    session.add_listener(lambda s: seen.append(s.screen))
    session.set_query("hukou")
    session.open_item("X")
    session.set_identity({"name": "x"})
    session.set_form_value("phone", "13800000000")
    session.wipe()
    assert seen[-1] is Screen.ATTRACT
    assert (session.query, session.identity, session.form_values, session.history) == ("", None, {}, [])
    assert session.subject is None and session.listing is None
    assert session.snapshot()["screen"] == "attract"


def test_query_is_capped_and_snapshot_has_no_personal_text():
    session = started()
    session.set_query("x" * 100)
    assert len(session.query) == 40
    assert "x" not in str(session.snapshot())


def test_idle_policy_from_config_and_guarded_screens():
    class Ui:
        idle_timeout_s = 90
        idle_warning_s = 30

    policy = IdlePolicy.from_config(Ui)
    assert (policy.timeout_s, policy.warning_s) == (90.0, 30.0)
    assert not policy.guards(Screen.ATTRACT) and not policy.guards(Screen.SUBMIT)
    assert policy.guards(Screen.GUIDE)
    Ui.idle_warning_s = 5
    with pytest.raises(ValueError, match="idle_warning_s"):
        IdlePolicy.from_config(Ui)
    with pytest.raises(ValueError):
        IdlePolicy(timeout_s=0)

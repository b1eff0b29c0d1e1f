"""Choice labels as readers see them: in their language, whatever was read first."""

from django.utils import translation

from petitions.models import Event, Petition
from petitions.workflow import Action, Role, Status


def test_labels_follow_the_readers_language_from_one_request_to_the_next():
    petition = Petition(status=Status.IN_PROGRESS, channel="web")
    event = Event(action=Action.ACCEPT, to_status=Status.ACCEPTED, actor_role=Role.HEAD)
    for language, expected in [
        ("zh-hans", ["办理中", "网上表单", "受理", "已受理", "单位负责人"]),
        ("en", ["In progress", "Web form", "Accept", "Accepted", "Unit head"]),
        ("zh-hans", ["办理中", "网上表单", "受理", "已受理", "单位负责人"]),
    ]:
        with translation.override(language):
            shown = [
                petition.get_status_display(),
                petition.get_channel_display(),
                event.get_action_display(),
                event.get_to_status_display(),
                event.get_actor_role_display(),
            ]
        assert shown == expected, language
        assert all(type(label) is str for label in shown)


def test_a_value_outside_the_choices_shows_as_itself():
    assert Petition(status="archived-elsewhere").get_status_display() == (
        "archived-elsewhere"
    )

"""Every label the engine gives a next-step deadline reads in the portal's language, and
the deadline's bare name in every public one."""

from __future__ import annotations

import domain.next_steps as next_steps
from api.pages.i18n import translations
from api.pages.labels import deadline_label

STEPS = [v for v in vars(next_steps).values() if isinstance(v, next_steps.NextStep)]


def test_every_next_step_label_is_translated_in_the_portal() -> None:
    assert len(STEPS) >= 4
    for language in ("nl",):  # the portal's languages besides English
        gettext = translations(language).gettext
        for step in STEPS:
            shown = deadline_label(next_steps.NAME, step.label, gettext)
            assert shown != step.label, (language, step.label)


def test_the_bare_name_has_a_word_in_every_public_language() -> None:
    for language in ("nl", "bn", "tr", "zh"):
        shown = deadline_label(next_steps.NAME, "", translations(language).gettext)
        assert shown not in ("", "next_step", "Next step"), language
